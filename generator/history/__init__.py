"""The history layer: git, the structured diff between two playbooks, change history, feed, digest
and webhook posts."""
