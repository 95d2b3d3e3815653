"""The form editor: Decap CMS at ``/admin/`` of internal builds, configured from ``schemas/``.

People who never see YAML change a record in a form made from its collection's schema; saving
opens a pull request (GitHub) or merge request (GitLab) through Decap's editorial workflow, or
writes the file when the local backend (``decap-server``) runs. Everything here is derived:

- :func:`config` is Decap's configuration: one folder collection per collection (``format:
  yaml``, the file name is the record's id), its fields in schema order (so a saved file keeps
  its key order), widgets from types, ``required``, ``pattern`` with the words ``playbook check``
  uses, ``description`` as the hint, fields of a narrower audience labelled, ``x-ref`` as a
  choice of records. It is written into each internal build (never committed), so it cannot go
  stale and a new collection (schema + folder) needs no Python.
- :func:`site_files` is ``/admin/``: a page, that configuration and Decap's prebuilt bundle,
  copied from ``node_modules/decap-cms`` (pinned in package.json, installed by ``make``); no
  request leaves the site's host. Without the bundle the page says how to install it.
- :func:`suggestion` is the "Suggest a change" paragraph of a record page: the record in the
  form, who reviews, and a prefilled issue for readers who cannot sign in.
- What Decap writes back is read by :mod:`generator.content.blanks`: an optional field it saved
  empty (``''``, ``[]``) counts as left out.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import yaml

from ..content.config import Settings
from ..content.model import Playbook, Record
from ..content.schemas import Collection, ref_targets, resolve
from ..content.validate import pattern_message
from ..core.escape import inline
from ..core.problems import Problem
from ..core.wording import field_title
from ..rules.owners import TEAM_FIELD

ADMIN = "admin"
PAGE = f"{ADMIN}/index.html"
CONFIG = f"{ADMIN}/config.yml"
BUNDLE = "decap-cms.js"
PACKAGE = Path("node_modules") / "decap-cms"
LOCAL_BACKEND = "http://localhost:8081/api/v1"  # decap-server's default (used on localhost only)
AUDIENCE_LABELS = {"internal": "internal only", "partner": "staff and partners only"}


# ---------------------------------------------------------------------------
# Fields from schemas


def _at(node: Any, resolver: Any) -> tuple[dict[str, Any], Any]:
    """A schema node with its ``$ref`` chain merged in (:func:`generator.content.schemas.resolve`), and
    the resolver for the references inside it; ``{}`` for anything that is not a schema object."""
    if not isinstance(node, dict):
        return {}, resolver
    return resolve(node, resolver)


def _label(name: str, node: dict[str, Any]) -> str:
    label = field_title(node, name)
    audience = node.get("x-audience")
    return f"{label} ({AUDIENCE_LABELS[audience]})" if audience in AUDIENCE_LABELS else label


def _choices(playbook: Playbook, targets: tuple[str, ...]) -> list[dict[str, str]]:
    """Every record of ``targets`` as a choice: its title (and collection), its id stored."""
    several = len(targets) > 1
    options = []
    for name in targets:
        collection = playbook.collections.get(name)
        for record in playbook.in_collection(name):
            suffix = f" ({collection.singular if collection else name})" if several else ""
            options.append({"label": f"{record.title}{suffix}", "value": record.id})
    return options


def _reference(playbook: Playbook, node: dict[str, Any], multiple: bool) -> dict[str, Any]:
    """A value naming other records: Decap's relation widget for one collection (it searches
    the collection's files, so a record added in the editor can be picked at once); a choice of
    the records of this build for several collections (a relation names one)."""
    targets = tuple(t for t in ref_targets(node["x-ref"]) if t in playbook.collections)
    if len(targets) == 1:
        field: dict[str, Any] = {"widget": "relation", "collection": targets[0], "value_field": "{{slug}}",
                                 "search_fields": ["title"], "display_fields": ["title"]}
    else:
        field = {"widget": "select", "options": _choices(playbook, targets)}
    if multiple:
        field["multiple"] = True
    return field


LONG = 80  # characters: text this long (or of several lines) gets a box of several lines


def _string(node: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    """A date picker, a Markdown editor (``contentMediaType: text/markdown``), a box of several
    lines where the records already hold long or multi-line text there, else one line."""
    if node.get("format") == "date":
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
                "time_format": False, "picker_utc": True}
    if node.get("contentMediaType") == "text/markdown":
        return {"widget": "markdown"}
    maximum = node.get("maxLength")
    long = any(isinstance(v, str) and ("\n" in v.strip() or len(v) > LONG) for v in values)
    return {"widget": "text" if long and not (isinstance(maximum, int) and maximum <= LONG) else "string"}


def _inside(values: list[Any], name: str) -> list[Any]:
    return [v[name] for v in values if isinstance(v, dict) and name in v]


def _items(values: list[Any]) -> list[Any]:
    return [item for v in values if isinstance(v, list) for item in v]


def _number(node: dict[str, Any]) -> dict[str, Any]:
    field: dict[str, Any] = {"widget": "number",
                             "value_type": "int" if node.get("type") == "integer" else "float"}
    for keyword, option in (("minimum", "min"), ("maximum", "max")):
        if isinstance(node.get(keyword), int | float) and not isinstance(node.get(keyword), bool):
            field[option] = node[keyword]
    return field


def _kind(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    return kind if isinstance(kind, str) else None


Field = dict[str, Any]  # one Decap field's settings


def _widget(playbook: Playbook, node: dict[str, Any], resolver: Any, values: list[Any]) -> Field | None:
    """The widget settings for one schema node (``values``: what the records hold there);
    None when no widget can edit it (the field is then left out of the form, and Decap keeps
    its value as it is)."""
    if "x-ref" in node:
        return _reference(playbook, node, multiple=False)
    if isinstance(node.get("enum"), list) and node["enum"]:
        return {"widget": "select", "options": [v for v in node["enum"] if isinstance(v, str | int | float)]}
    kind = _kind(node)
    if kind == "string":
        return _string(node, values)
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind in ("integer", "number"):
        return _number(node)
    if kind == "object":
        fields = _fields(playbook, node, resolver, values)
        return {"widget": "object", "fields": fields, "collapsed": False} if fields else None
    if kind == "array":
        return _list(playbook, node, resolver, _items(values))
    return None


def _list(playbook: Playbook, node: dict[str, Any], resolver: Any, values: list[Any]) -> Field | None:
    items, resolver = _at(node.get("items"), resolver)
    if "x-ref" in items:
        field = _reference(playbook, items, multiple=True)
    elif _kind(items) == "object":
        fields = _fields(playbook, items, resolver, values)
        if not fields:
            return None
        field = {"widget": "list", "fields": fields, "collapsed": False}
    else:
        inner = _widget(playbook, items, resolver, values)
        if inner is None or inner["widget"] in ("list", "object"):
            return None
        field = {"widget": "list", "field": {"name": "item", "label": _label("item", items), **inner,
                                              **_checks(items)}}
    for keyword, option in (("minItems", "min"), ("maxItems", "max")):
        if isinstance(node.get(keyword), int) and not isinstance(node.get(keyword), bool):
            field[option] = node[keyword]
    return field


def _checks(node: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if isinstance(node.get("pattern"), str):
        found["pattern"] = [node["pattern"], _sentence(pattern_message(node))]
    return found


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fields(playbook: Playbook, schema: dict[str, Any], resolver: Any,
            values: list[Any]) -> list[dict[str, Any]]:
    """Decap fields for an object schema's properties, in schema order (``values``: the objects
    the records hold there)."""
    properties = schema.get("properties")
    required = set(schema.get("required") or ())
    fields = []
    for name, raw in properties.items() if isinstance(properties, dict) else ():
        node, inner = _at(raw, resolver)
        widget = _widget(playbook, node, inner, _inside(values, name))
        if widget is None:
            continue
        field: dict[str, Any] = {"name": name, "label": _label(name, node), **widget,
                                 "required": name in required}
        if node.get("description"):
            field["hint"] = str(node["description"])
        if widget["widget"] in ("string", "text", "markdown"):
            field.update(_checks(node))
        fields.append(field)
    return fields


def collection_config(playbook: Playbook, collection: Collection) -> dict[str, Any]:
    return {
        "name": collection.name,
        "label": collection.title,
        "label_singular": collection.singular,
        **({"description": collection.description} if collection.description else {}),
        "folder": f"content/{collection.name}",
        "extension": "yaml",
        "format": "yaml",
        "create": True,
        "delete": False,
        "identifier_field": "title",
        "slug": "{{slug}}",
        "summary": "{{title}}",
        "sortable_fields": ["title"],
        "fields": _fields(playbook, *_at(collection.schema, collection.resolver),
                          [r.data for r in playbook.in_collection(collection.name)]),
    }


# ---------------------------------------------------------------------------
# The backend (playbook.yml)


def repository(repo_url: str | None) -> tuple[str, str, str] | None:
    """(code host, host, owner/name) of a repository address; None when there is none."""
    if not repo_url:
        return None
    parts = urlsplit(repo_url)
    path = parts.path.strip("/").removesuffix(".git")
    if not parts.netloc or path.count("/") < 1:
        return None
    host = parts.netloc.lower()
    return ("gitlab" if "gitlab" in host else "github"), host, path


def backend(settings: Settings, repo_url: str | None) -> dict[str, Any]:
    """Decap's ``backend``: the repository of ``repo_url`` on GitHub or GitLab, the branch and
    sign-in of ``playbook.yml``. Without a repository only the local backend can save."""
    found = repository(repo_url)
    chosen = settings.cms
    if found is None:
        return {"name": "proxy", "proxy_url": LOCAL_BACKEND, "branch": settings.branch}
    guessed, host, path = found
    name = chosen.get("backend") or guessed
    out: dict[str, Any] = {"name": name, "repo": path, "branch": settings.branch,
                           "squash_merges": True}
    if name == "github":
        if host not in ("github.com", "www.github.com"):
            out["api_root"] = f"https://{host}/api/v3"
        out["open_authoring"] = chosen.get("open_authoring", True)
        if chosen.get("base_url"):
            out["base_url"] = chosen["base_url"]
        if chosen.get("auth_endpoint"):
            out["auth_endpoint"] = chosen["auth_endpoint"]
    else:
        if host != "gitlab.com":
            out["api_root"] = f"https://{host}/api/v4"
        out["base_url"] = chosen.get("base_url") or f"https://{host}"
        if chosen.get("app_id"):
            out["auth_type"] = "pkce"
            out["app_id"] = chosen["app_id"]
        out["auth_endpoint"] = chosen.get("auth_endpoint") or "oauth/authorize"
    return out


def config(playbook: Playbook, repo_url: str | None = None,
           local_backend: bool | str = True) -> dict[str, Any]:
    """Decap CMS's configuration for ``playbook``. ``local_backend``: True lets the editor use
    ``decap-server`` on localhost (Decap asks for it only when the page itself is served from
    localhost or 127.0.0.1); a URL names another address of it; False: never."""
    settings = playbook.settings
    repo_url = settings.repo_url or repo_url
    out: dict[str, Any] = {"backend": backend(settings, repo_url)}
    if local_backend:
        out["local_backend"] = True if local_backend is True else {"url": str(local_backend)}
    out["publish_mode"] = "editorial_workflow"
    out["media_folder"] = "docs/assets/uploads"
    out["public_folder"] = "/assets/uploads"
    if settings.site_url:
        out["site_url"] = out["display_url"] = settings.site_url
    out["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    out["editor"] = {"preview": False}
    out["collections"] = [collection_config(playbook, c) for c in playbook.collections.values()]
    return out


# libyaml's emitter when PyYAML has it: the same text (tests/test_cms.py), five times faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dumps(data: dict[str, Any]) -> str:
    return ("# Written into each internal build by the playbook from schemas/ and playbook.yml; "
            "not a source file.\n" + yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True,
                                                width=100))


# ---------------------------------------------------------------------------
# /admin/


def bundle_folder(root: Path) -> Path | None:
    """``node_modules/decap-cms/dist`` of the playbook; None before ``npm ci`` ran there."""
    folder = root / PACKAGE / "dist"
    return folder if (folder / BUNDLE).is_file() else None


def bundle_files(folder: Path) -> dict[str, Path]:
    """The bundle, the chunks it loads on demand (from its own folder), its WebAssembly and its
    licence notices (source maps and the second copy under the old name left out)."""
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        name = path.name
        if not path.is_file() or name.endswith(".map"):
            continue
        if name == BUNDLE or name.endswith((f".{BUNDLE}", ".wasm")) or name == f"{BUNDLE}.LICENSE.txt":
            found[f"{ADMIN}/{name}"] = path
    return found


# The package ships no LICENSE file of its own (its package.json says MIT; the text is the
# monorepo's, as decap-server ships it).
LICENCE = """Decap CMS (the files decap-cms.js, *.decap-cms.js and *.wasm of this folder)

Copyright (c) 2016 Netlify <decap@p-m.si>

MIT License

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

The libraries bundled into it are listed, with their licences, in decap-cms.js.LICENSE.txt.
"""


PAGE_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Suggest a change — {title}</title>
</head>
<body>
{body}
</body>
</html>
"""

MISSING = ("<main style=\"font-family: sans-serif; max-width: 40em; margin: 3em auto\">"
           "<h1>The form editor is not part of this build</h1>"
           "<p>This site was built without Decap CMS, so changes cannot be suggested here yet. "
           "Whoever builds the site runs <code>make</code> (or <code>npm ci</code>) in the playbook's "
           "folder first: it installs the editor from package.json into node_modules/.</p></main>")


def admin_page(title: str, installed: bool) -> str:
    body = f'<script src="{BUNDLE}"></script>' if installed else MISSING
    return PAGE_HTML.format(title=html.escape(title), body=body)


def site_files(playbook: Playbook, root: Path, repo_url: str | None = None, site_name: str = "Playbook",
               local_backend: bool | str = True) -> dict[str, Path | bytes]:
    """``/admin/``: the page, the configuration and the bundle (internal builds only)."""
    folder = bundle_folder(root)
    files: dict[str, Path | bytes] = {
        PAGE: admin_page(site_name, folder is not None).encode("utf-8"),
        CONFIG: dumps(config(playbook, repo_url, local_backend)).encode("utf-8"),
    }
    if folder is not None:
        files.update(bundle_files(folder))
        files[f"{ADMIN}/LICENSE.txt"] = LICENCE.encode("utf-8")
    return files


def problems(root: Path) -> list[Problem]:
    """What stops ``/admin/`` from working in a build made here."""
    if bundle_folder(root) is None:
        return [Problem("package.json", 1, 1, "Decap CMS is not installed (no node_modules/decap-cms/"
                        f"dist/{BUNDLE}): run `make` or `npm ci`, or /admin/ says the editor is not part "
                        "of the build")]
    return []


# ---------------------------------------------------------------------------
# "Suggest a change" on a record page


def entry_link(page: str, record: Record) -> str:
    """The record in the form, relative to the record page's Markdown file."""
    target = posixpath.relpath(PAGE, posixpath.dirname(page) or ".")
    return f"{target}#/collections/{quote(record.collection)}/entries/{quote(record.id)}"


def members(playbook: Playbook) -> dict[str, list[str]]:
    """Each team's id -> the titles of the records in it, in the playbook's order (one pass, so
    that every record page's reviewers cost nothing more)."""
    found: dict[str, list[str]] = {}
    for other in playbook.records.values():
        team = other.get(TEAM_FIELD)
        if isinstance(team, str):
            found.setdefault(team, []).append(other.title)
    return found


def reviewers(playbook: Playbook, record: Record,
              teams: dict[str, list[str]] | None = None) -> tuple[str, list[str]]:
    """Who reviews a change to ``record``: its owner's title and, for an owner that is a team,
    its lead and the people in it, by name (``teams``: :func:`members`, when already known)."""
    owner_id = record.get("owner")
    owners = playbook.settings.owner_collections
    owner = playbook.find(owner_id, owners) if isinstance(owner_id, str) else None
    if owner is None:
        return (str(owner_id or "its owner"), [])
    names: list[str] = []
    lead = playbook.find(owner.get("lead")) if isinstance(owner.get("lead"), str) else None
    if lead is not None:
        names.append(lead.title)
    for title in (members(playbook) if teams is None else teams).get(owner.id, []):
        if title not in names:
            names.append(title)
    return owner.title, names


def field_labels(collection: Collection | None) -> str:
    """The fields of a collection's records, by their labels, for an issue's text."""
    properties = collection.schema.get("properties") if collection is not None else None
    return ", ".join(_label(n, _at(s, collection.resolver)[0]) for n, s in properties.items()) \
        if collection is not None and isinstance(properties, dict) else ""


def issue_link(repo_url: str | None, record: Record, collection: Collection | None,
               fields: str | None = None) -> str | None:
    """A new issue on the code host, prefilled with the record and a line for the field
    (``fields``: :func:`field_labels` of the collection, when already known)."""
    found = repository(repo_url)
    if found is None or repo_url is None:
        return None
    fields = field_labels(collection) if fields is None else fields
    title = f"Suggested change: {record.title}"
    body = (f"Record: {record.title} ({record.collection}/{record.id}, file {record.file})\n\n"
            f"Field to change (one of: {fields}):\n\nWhat it says now:\n\nWhat it should say:\n\nWhy:\n")
    base = repo_url.rstrip("/").removesuffix(".git")
    if found[0] == "gitlab":
        return f"{base}/-/issues/new?" + urlencode({"issue[title]": title, "issue[description]": body})
    return f"{base}/issues/new?" + urlencode({"title": title, "body": body})


def _md(text: str) -> str:
    """Plain text as inert Markdown."""
    return str(inline(text))


def suggestion(playbook: Playbook, record: Record, page: str, repo_url: str | None = None,
               teams: dict[str, list[str]] | None = None, labels: dict[str, str] | None = None) -> str:
    """The Markdown that ends a record page of an internal build (left out of the search index:
    every record page has it, so it would only make every page match "change"). For every page
    of a build, ``teams`` (:func:`members`) and ``labels`` (collection -> :func:`field_labels`)
    are worked out once."""
    owner, people = reviewers(playbook, record, teams)
    who = _md(owner) + (f" ({', '.join(_md(p) for p in people)})" if people else "")
    lines = ["", "---", "", '<div class="pb-suggest" data-search-exclude markdown>', "",
             f"**Something wrong or out of date?** [Suggest a change]({entry_link(page, record)}): "
             f"the form opens this record; sign in, change the field and save. {who} reviews it "
             "before it is published."]
    collection = playbook.collections.get(record.collection)
    fields = labels.get(record.collection) if labels is not None else None
    issue = issue_link(playbook.settings.repo_url or repo_url, record, collection, fields)
    if issue:
        lines += ["", f"Cannot sign in? [Describe the change]({issue}) and the owner makes it."]
    return "\n".join([*lines, "", "</div>"]) + "\n"
