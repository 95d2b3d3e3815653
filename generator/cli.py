"""The ``playbook`` entry point; the commands live in :mod:`generator.commands`."""

from __future__ import annotations

import sys

from .commands import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
