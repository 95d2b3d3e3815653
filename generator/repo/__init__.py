"""The repository layer: adoption (`playbook init`), scaffolding, CODEOWNERS and stale-content alerts."""
