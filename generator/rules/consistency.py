"""Checks that hold a playbook to its own history (warnings of ``playbook check``, located at the
YAML line like every problem).

- A ``last_reviewed`` date before the record was first committed cannot be true: the record was
  copied with an old date, or the date was guessed. When each record was added comes from the
  history layer (:func:`generator.history.added.first_added`); a record with no known first
  commit (no git, a shallow clone, not committed yet) is not judged.

The other consistency rules live where the thing they judge is read: links to the addresses
reserved for examples are placeholders (:mod:`generator.content.placeholders`); a closure's dates
are computed once, observed days included (:mod:`generator.rules.closures`); a value several
collections share is a record of its own that the others name with ``x-ref``, so a code nobody
defined is a broken reference (:mod:`generator.content.validate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ..content.model import Playbook
from ..core.dates import is_real_date, parse_iso_date
from ..core.problems import WARNING, Problem

FIELD = "last_reviewed"


def reviewed_before_added(playbook: Playbook, added: Mapping[str, date]) -> list[Problem]:
    """A warning for each record whose ``last_reviewed`` is before the day its file was first
    committed (``added``: content file, relative to the playbook's root -> that day)."""
    found = []
    for record in playbook.records.values():
        when, value = added.get(record.file), record.get(FIELD)
        if when is None or not isinstance(value, str) or not is_real_date(value):
            continue
        if parse_iso_date(value) < when:
            line, column = record.doc.locate((FIELD,))
            found.append(Problem(record.file, line, column,
                                 f"{FIELD}: {value} is before the record was added, on {when.isoformat()}: "
                                 "review it and write the date of that review", WARNING))
    return found
