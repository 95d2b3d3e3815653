"""``playbook.yml``: the one place for what differs between companies.

The company's name, the site's and repository's addresses, which collections can own records, how
owners' code-host handles are written, and where CODEOWNERS goes. ``playbook init`` writes it;
``playbook check``, every command and the MkDocs plugin read it. A playbook without the file gets
the defaults (owners in ``people`` and ``teams`` with GitHub handles in a ``github`` field,
``.github/CODEOWNERS``), and ``mkdocs.yml`` alone decides the site's name and addresses.

Why a file of its own rather than ``mkdocs.yml``: commands that never build a site (``check``,
``codeowners``, ``new``) need it too, and ``mkdocs.yml`` may hold Python tags that only MkDocs
may load. It is read with the content loader, so a mistake is a located problem like any other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from ..core.problems import Problem
from .loader import LoadError, load_yaml
from .schemas import DEFAULT_OWNERS
from .validate import located

FILE = "playbook.yml"
SCHEMA = Path(__file__).parent.parent / "schemas" / "config.schema.json"
DEFAULT_CODEOWNERS = ".github/CODEOWNERS"
HANDLE_FORMATS = ("github", "gitlab")


DEFAULT_SITE_NAME = "Playbook"  # a site named by neither playbook.yml nor mkdocs.yml

@dataclass(frozen=True)
class Settings:
    """What ``playbook.yml`` says, with defaults for everything it leaves out."""

    company: str | None = None
    site_name: str | None = None
    site_url: str | None = None
    repo_url: str | None = None
    branch: str = "main"
    starter: bool = False
    owner_collections: tuple[str, ...] = DEFAULT_OWNERS
    handle_field: str = "github"
    handle_format: str = "github"
    codeowners: str = DEFAULT_CODEOWNERS
    fiscal_year_starts: int = 1  # the month the fiscal year starts in
    # As written; generator.rules.clock reads it.
    working_hours: dict[str, Any] | None = field(default=None, compare=False)
    switched_off: tuple[str, ...] = ()  # collections not used: not read, not published
    cms: dict[str, Any] = field(default_factory=dict, compare=False)  # the form editor's sign-in
    exists: bool = False  # whether playbook.yml was there
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str | None:
        """The site's name, when the settings decide it (else the builder's, else
        :data:`DEFAULT_SITE_NAME`)."""
        if self.site_name:
            return self.site_name
        return f"{self.company} — Sales & Marketing Playbook" if self.company else None


def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def parse_settings(data: dict[str, Any], *, exists: bool = True) -> Settings:
    """Settings from already validated ``playbook.yml`` data."""
    owners = data.get("owners") or {}
    return Settings(
        company=data.get("company"),
        site_name=data.get("site_name"),
        site_url=data.get("site_url"),
        repo_url=data.get("repo_url"),
        branch=data.get("branch") or "main",
        starter=bool(data.get("starter", False)),
        owner_collections=tuple(owners.get("collections") or DEFAULT_OWNERS),
        handle_field=owners.get("handle_field") or "github",
        handle_format=owners.get("handle_format") or "github",
        codeowners=data.get("codeowners") or DEFAULT_CODEOWNERS,
        fiscal_year_starts=int(data.get("fiscal_year_starts") or 1),
        working_hours=data.get("working_hours"),
        switched_off=tuple(data.get("switched_off") or ()),
        cms=dict(data.get("cms") or {}),
        exists=exists,
        raw=data,
    )


def load_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """Read ``root/playbook.yml``; every mistake in it is a located problem (and the defaults apply)."""
    path = root / FILE
    if not path.is_file():
        return Settings(), []
    return read_settings(path.read_bytes())


def read_settings(raw: bytes) -> tuple[Settings, list[Problem]]:
    """Settings from the text of a ``playbook.yml``, with its problems located in it."""
    try:
        doc = load_yaml(raw)
    except LoadError as exc:
        return Settings(exists=True), [Problem(FILE, exc.line, exc.column, exc.message)]
    problems = [Problem(FILE, line, column, message) for line, column, message in doc.errors]
    if not isinstance(doc.data, dict):
        return Settings(exists=True), [*problems, Problem(FILE, 1, 1, "playbook.yml must be a mapping of "
                                                          "settings, like 'company: Acme'")]
    problems += located(_validator().iter_errors(doc.data), FILE, doc)
    if problems:
        return Settings(exists=True), problems
    return parse_settings(doc.data), []
