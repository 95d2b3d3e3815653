"""Playbook: a docs-as-code sales and marketing playbook, validated and rendered for MkDocs."""

__version__ = "0.1.0"
