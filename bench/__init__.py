"""The benchmark: ``make bench`` (see run.py)."""
