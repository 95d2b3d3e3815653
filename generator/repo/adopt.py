"""``playbook init``: turn a fresh copy of the repository into a company's own playbook.

One call sets the company's name, addresses and owner handles in ``playbook.yml`` (see
:mod:`generator.content.config`), and, unless the starter is kept, replaces the fictional example
company's records with a minimal skeleton: one example record per collection, made by
``playbook new`` and marked to replace (``playbook check`` warns until they are). It also writes
the start page, the editor settings and CODEOWNERS from the result.

Safety: running it again changes nothing that is already right. A file is only removed when git
can restore it (tracked, and unchanged since the last commit); a file that differs from what
was committed is kept and reported. An existing page or record is never overwritten.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..content.config import FILE, HANDLE_FORMATS, load_settings, read_settings
from ..content.model import Playbook
from ..content.schemas import DEFAULT_OWNERS, Collection
from ..core.escape import inline
from ..core.problems import errors, format_text
from ..history import gitrepo
from ..rules import editor
from ..rules.project import CONTENT, SUFFIX, load_playbook
from . import codeowners, settings_edit
from .scaffold import ScaffoldError, scaffold

START_PAGE = "docs/start-here.md"
# The example company's files by content, in `sha256sum` format: the only files init removes.
MANIFEST = "starter.sha256"
_MANIFEST_LINE = re.compile(r"([0-9a-f]{64})  (\S.*)")
EXAMPLE_NOTE = ("# An example written by `playbook init`: replace it with a real record (and rename the\n"
                "# file to the record's id), or delete it once the collection has records of its own.\n")
# The hand-written lines init writes in place of the example company's (its team's handle).
MACHINERY = (
    "# The playbook's machinery: name the team that keeps it (playbook.yml, schemas, templates, docs/,\n"
    "# mkdocs.yml, .github/), then remove the '# ' at the start of each line, for example:\n"
    "# /playbook.yml @your-org/revops\n# /schemas/ @your-org/revops\n# /templates/ @your-org/revops\n"
    "# /docs/ @your-org/revops\n# /mkdocs.yml @your-org/revops\n# /.github/ @your-org/revops\n\n"
)
_SLUG = re.compile(r"[^a-z0-9]+")


class InitError(Exception):
    """The playbook cannot be set up as asked (the command turns it into a usage error)."""


@dataclass(frozen=True)
class Step:
    """One thing ``init`` did or deliberately left alone."""

    action: str  # wrote, updated, unchanged, removed, kept, skipped
    path: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.action:>9}  {self.path}{f'  ({self.note})' if self.note else ''}"


@dataclass(frozen=True)
class Request:
    """What the company asked for; None leaves a setting as it is."""

    company: str
    repo_url: str | None = None
    site_url: str | None = None
    site_name: str | None = None
    handle_format: str | None = None
    handle_field: str | None = None
    owner_collections: tuple[str, ...] | None = None
    codeowners: str | None = None
    branch: str | None = None
    keep_starter: bool = False


# ---------------------------------------------------------------------------
# playbook.yml


def merged_settings(current: dict[str, Any], request: Request) -> dict[str, Any]:
    data = dict(current)
    owners = dict(data.get("owners") or {})
    previous = data.get("company")
    if previous and previous != request.company and previous in str(data.get("site_name", "")):
        data.pop("site_name")  # named after the company before: it would keep the old name
    data["company"] = request.company
    for key in ("repo_url", "site_url", "site_name", "codeowners", "branch"):
        value = getattr(request, key)
        if value is not None:
            data[key] = value
    if request.handle_format is not None:
        owners["handle_format"] = request.handle_format
    if request.handle_field is not None:
        owners["handle_field"] = request.handle_field
    if request.owner_collections is not None:
        owners["collections"] = list(request.owner_collections)
    owners.setdefault("collections", list(DEFAULT_OWNERS))
    owners.setdefault("handle_field", "github")
    owners.setdefault("handle_format", "github")
    data["owners"] = owners
    data.setdefault("codeowners", codeowners.OUTPUT)
    return data


def linked(root: Path, rel: str) -> bool:
    """Whether ``root/rel``, or a folder between ``root`` and it, is a symbolic link (dangling
    or not): writing there could change or create a file outside the repository."""
    path = root / rel
    while path != root and path != path.parent:
        if path.is_symlink():
            return True
        path = path.parent
    return False


def refuse_links(root: Path, rels: list[str]) -> None:
    """:class:`InitError` before anything changes when a file ``init`` writes is a link."""
    found = sorted({rel for rel in rels if linked(root, rel)})
    if found:
        raise InitError(f"refusing to write through symbolic links: {', '.join(found)} (init writes these "
                        "files; replace each link by a plain file, or remove it)")


def _write(root: Path, rel: str, text: str) -> Step:
    path = root / rel
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == text:
        return Step("unchanged", rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Step("wrote" if current is None else "updated", rel)


# ---------------------------------------------------------------------------
# The starter's records: removed only where git can bring them back


def restorable(root: Path, paths: list[str]) -> tuple[set[str], bool]:
    """The files among ``paths`` (relative, POSIX) that git can restore exactly as they are: in the
    last commit, with the same bytes. And whether ``root`` is the top of a git work tree at all."""
    try:
        if gitrepo.git(root, "rev-parse", "--show-prefix").strip():
            return set(), False  # a folder inside a repository: its paths would not line up
        commit = gitrepo.resolve_commit(root, "HEAD")
        committed = {e.path: e.oid for e in gitrepo.ls_tree(root, commit, *paths) if e.is_plain_file}
        algorithm = gitrepo.object_format(root)
    except gitrepo.GitError:
        return set(), False
    same = set()
    for rel in paths:
        path = root / rel
        if rel in committed and path.is_file() and not path.is_symlink() \
                and gitrepo.blob_id(path.read_bytes(), algorithm) == committed[rel]:
            same.add(rel)
    return same, True


def example_files(root: Path) -> list[str]:
    """The files that make up the example company: its records and its start page."""
    records = sorted(p.relative_to(root).as_posix() for p in (root / CONTENT).glob(f"*/*{SUFFIX}"))
    return [*records, START_PAGE] if (root / START_PAGE).is_file() else records


def manifest_text(root: Path) -> str:
    """:data:`MANIFEST` for the example files at ``root``, in ``sha256sum`` format (``make
    starter-manifest`` writes it; a test checks it matches the starter)."""
    return "".join(f"{hashlib.sha256((root / rel).read_bytes()).hexdigest()}  {rel}\n"
                   for rel in example_files(root))


def read_manifest(root: Path) -> dict[str, str] | None:
    """Each example file's path and its bytes' SHA-256, as :data:`MANIFEST` lists them (a line
    that is not ``<64 hex digits>  <path>`` names nothing); None when there is no list."""
    path = root / MANIFEST
    if not path.is_file() or path.is_symlink():
        return None
    found = (_MANIFEST_LINE.fullmatch(line) for line in path.read_text("utf-8", "replace").splitlines())
    return {m[2]: m[1] for m in found if m}


def _example(root: Path, rel: str, examples: dict[str, str]) -> bool:
    path = root / rel
    return rel in examples and path.is_file() and not path.is_symlink() \
        and hashlib.sha256(path.read_bytes()).hexdigest() == examples[rel]


def remove_starter(root: Path) -> tuple[list[Step], bool, set[str]]:
    """Remove the example records (and the example start page); return the steps, whether the
    starter is gone, and the records removed. A file is removed only when it is one of the
    examples, byte for byte as :data:`MANIFEST` lists it, and git can restore it."""
    examples = read_manifest(root)
    if examples is None:
        return [Step("kept", f"{CONTENT}/", f"no {MANIFEST} lists the example company's files, so none was "
                     "removed: delete the example records yourself and run init with --keep-starter")], \
            False, set()
    files = example_files(root)
    candidates = [*files, MANIFEST]
    safe, in_git = restorable(root, candidates)
    if not in_git:
        return [Step("kept", f"{CONTENT}/", "not the top of a git clone, so removed records could not be "
                     "restored: run `playbook init` in your clone of the repository, or delete the example "
                     "records yourself and run it with --keep-starter")], False, set()
    steps: list[Step] = []
    removed: set[str] = set()
    for rel in files:
        if rel not in examples:
            note = "not one of the examples: yours, so it stays"
        elif not _example(root, rel, examples):
            note = "changed from the example: delete it yourself if it belongs to the example"
        elif rel not in safe:
            note = "changed since the last commit or never committed, so git could not restore it: " \
                "delete it yourself"
        else:
            (root / rel).unlink()
            removed.add(rel)
            continue
        steps.append(Step("kept", rel, note))
    count = len(removed - {START_PAGE})
    if count:
        steps.insert(0, Step("removed", f"{CONTENT}/*/*{SUFFIX}", f"{count} example records (git can restore "
                             "them)"))
    if MANIFEST in safe:
        (root / MANIFEST).unlink()
    else:
        steps.append(Step("kept", MANIFEST, "changed since the last commit: delete it yourself"))
    for folder in (root / CONTENT).iterdir() if (root / CONTENT).is_dir() else ():
        if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()
    return steps, True, removed


def starter_handles(playbook: Playbook, removed: set[str]) -> set[str]:
    """The code-host handles of the example company's owners (people and teams) among the
    ``removed`` records, as written."""
    field = playbook.settings.handle_field
    return {str(r.get(field)) for r in playbook.records.values()
            if r.file in removed and r.collection in playbook.settings.owner_collections
            and isinstance(r.get(field), str)}


def _names_handle(line: str, handles: set[str]) -> bool:
    return any(re.search(rf"@{re.escape(h)}(?![\w/-])", line) for h in handles)


def codeowners_without_starter(root: Path, rel: str, current: str | None,
                               handles: set[str]) -> tuple[str | None, list[Step]]:
    """CODEOWNERS as ``init`` continues from it once the starter is gone: the example company's
    hand-written lines (those naming one of its ``handles``) give way to :data:`MACHINERY` when
    git can restore the file; a file changed since the last commit keeps them, and is reported."""
    parts = codeowners.hand_written(current, rel) if current is not None else None
    if parts is None:
        return current, []
    before, after = parts
    if not any(_names_handle(line, handles) for line in (before + after).splitlines()):
        return current, []
    if rel not in restorable(root, [rel])[0]:
        return current, [Step("kept", rel, "its hand-written lines name the example company's owners and "
                              "it changed since the last commit: replace those lines yourself")]
    kept_after = "".join(line for line in after.splitlines(keepends=True) if not _names_handle(line, handles))
    return codeowners.PREAMBLE + "\n" + MACHINERY + codeowners.BEGIN + "\n" + codeowners.END + "\n" \
        + kept_after, []


# ---------------------------------------------------------------------------
# The skeleton


def example_id(collection: Collection) -> str:
    words = _SLUG.sub("-", collection.singular.lower()).strip("-") or collection.name
    return f"example-{words}"


def skeleton(root: Path, today: date) -> list[Step]:
    """One example record in each collection that has none, made by ``playbook new`` (records
    that others name first: a team before a stage that needs an owning team)."""
    playbook, _ = load_playbook(root)
    pending = [c for c in playbook.collections.values() if not playbook.in_collection(c.name)
               and not any((root / CONTENT / c.name).glob(f"*{SUFFIX}"))]
    owners = playbook.settings.owner_collections
    pending.sort(key=lambda c: (c.name not in owners, owners.index(c.name) if c.name in owners else 0))
    steps: list[Step] = []
    reasons: dict[str, str] = {}
    while pending:
        progress = False
        for collection in list(pending):
            record_id = example_id(collection)
            try:
                path, text = scaffold(root, collection.name, record_id, None, today)
            except ScaffoldError as exc:
                reasons[collection.name] = str(exc)
                continue
            header, _, body = text.partition("\n")
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:  # never replaces a file
                handle.write(f"{header}\n{EXAMPLE_NOTE}{body}")
            steps.append(Step("wrote", path.relative_to(root).as_posix(), "an example to replace"))
            pending.remove(collection)
            progress = True
        if not progress:
            steps += [Step("skipped", f"{CONTENT}/{c.name}/", reasons.get(c.name, "")) for c in pending]
            break
    return steps


# ---------------------------------------------------------------------------
# The start page


def start_page(company: str, collections: list[Collection]) -> str:
    rows = "\n".join(f"| {inline(c.description or c.title)} | [{inline(c.title)}]({c.name}/index.md) |"
                     for c in collections)
    return f"""# Start here

This is {inline(company)}'s sales and marketing playbook: the definitions, commitments and routines both
teams have agreed to. If the playbook and someone's memory disagree, the playbook wins until its owner
changes it.

## Where to look

| What you need | Section |
| --- | --- |
{rows}

## How to read the status of a page

Every record names an owner and the date they last confirmed it, and each section has a review
interval.

- **Current**: reviewed within its interval.
- **Review due soon**: the review falls due within 14 days.
- **Needs re-review**: a page it depends on changed after this page was last reviewed. Check that
  the two still agree.
- **Overdue for review**: past its review date. Use it with care and ask the owner.

## How to change the playbook

1. Open the page and use the edit button at the top right, if there is one. It opens the record's
   YAML file in `content/`.
2. Change the values, and set `last_reviewed` to today if you checked the whole record.
3. Open a pull request. The record's owner reviews it; the check fails on a broken reference, a
   missing field or a mistyped date, with the file, line and column.
4. To check locally: `make check`, or `make serve` to see the site at http://127.0.0.1:8000.
"""


# ---------------------------------------------------------------------------


def _validate(request: Request) -> None:
    if not request.company.strip():
        raise InitError("--company must name the company")
    if request.handle_format is not None and request.handle_format not in HANDLE_FORMATS:
        raise InitError(f"--handle-format must be one of {', '.join(HANDLE_FORMATS)}")


def init(root: Path, request: Request, today: date) -> list[Step]:
    """Set the playbook at ``root`` up for ``request.company``; return what was done."""
    _validate(request)
    settings, problems = load_settings(root)
    if problems:
        raise InitError(f"{FILE} has problems; fix them first:\n{format_text(problems).rstrip()}")
    before = settings.codeowners
    data = merged_settings(settings.raw, request)
    starter = bool(settings.raw.get("starter"))
    replace = starter and not request.keep_starter
    if replace:
        data["starter"] = False
    text = (root / FILE).read_text(encoding="utf-8") if (root / FILE).is_file() else ""
    _, problems = read_settings(settings_edit.updated(text, data).encode())  # before anything changes
    if problems:
        raise InitError(f"the settings are not valid:\n{format_text(problems).rstrip()}")
    refuse_links(root, [FILE, START_PAGE, editor.SETTINGS, before,
                        str(data.get("codeowners") or codeowners.OUTPUT), codeowners.OUTPUT])
    steps: list[Step] = []
    handles: set[str] = set()
    if replace:
        before_removal = load_playbook(root)[0]
        removed, gone, files = remove_starter(root)
        handles = starter_handles(before_removal, files)
        steps += removed
        data["starter"] = not gone
    steps.insert(0, _write(root, FILE, settings_edit.updated(text, data)))
    settings, _ = load_settings(root)
    steps += skeleton(root, today)
    playbook, _ = load_playbook(root)
    collections = list(playbook.collections.values())
    if not (root / START_PAGE).exists():
        steps.append(_write(root, START_PAGE, start_page(request.company, collections)))
    try:
        steps.append(_write(root, editor.SETTINGS, editor.updated(root, playbook.collections)[0]))
    except editor.EditorSettingsError as exc:
        steps.append(Step("skipped", editor.SETTINGS, str(exc)))
    current = codeowners.read(root / settings.codeowners)
    if replace and not data["starter"]:
        current, kept = codeowners_without_starter(root, settings.codeowners, current, handles)
        steps += kept
    owners_text, problems = codeowners.generate(playbook, current, settings.codeowners)
    if errors(problems):
        steps.append(Step("kept", settings.codeowners, "its generated section's markers are broken: see "
                          "`playbook codeowners`"))
    else:
        steps.append(_write(root, settings.codeowners, owners_text))
        missing = codeowners.unowned(owners_text)
        if missing:
            paths = ", ".join(p.lstrip("/") for p in missing)
            steps.append(Step("kept", settings.codeowners, f"no code owner for {paths}: add hand-written "
                              "lines for them"))
    steps += _retire(root, {before, codeowners.OUTPUT} - {settings.codeowners})
    return steps


def _retire(root: Path, places: set[str]) -> list[Step]:
    """Remove CODEOWNERS files that ``playbook codeowners`` wrote where it no longer writes (a code
    host reads the first it finds, so a stale one would route reviews wrongly); a file with
    hand-written lines is kept, and reported."""
    steps = []
    for rel in sorted(places):
        path = root / rel
        if not path.is_file() or path.is_symlink():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if codeowners.only_generated(text):
            path.unlink()
            steps.append(Step("removed", rel, "written by `playbook codeowners` for the old location"))
        elif codeowners.BEGIN in text:
            steps.append(Step("kept", rel, "it has hand-written lines: remove its generated section "
                              "yourself"))
    return steps

