"""The home page sends each team to its records, from the data: no template names a record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.rules.project import load_playbook
from generator.site.site import generate

HOME = {  # as in the starter's teams schema
    "type": "object", "required": ["links"], "additionalProperties": False,
    "properties": {
        "heading": {"type": "string", "minLength": 1}, "order": {"type": "integer"},
        "links": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["record"], "additionalProperties": False,
            "properties": {"record": {"type": "string", "x-ref": "*", "x-drift": False},
                           "why": {"type": "string", "minLength": 1}}}},
    },
}


def with_home(root: Path, team: str, home: str) -> None:
    schema = root / "schemas/teams.schema.json"
    data = json.loads(schema.read_text())
    data["properties"]["home"] = HOME
    schema.write_text(json.dumps(data))
    record = root / f"content/teams/{team}.yaml"
    record.write_text(record.read_text() + home)


def test_each_team_with_a_home_section_gets_a_box_of_links(basic: Path) -> None:
    with_home(basic, "sales", "home:\n  heading: I sell\n  links:\n    - record: mql\n      why: when to call\n"
                              "    - record: mql-follow-up\n")
    with_home(basic, "revops", "home:\n  order: 1\n  links:\n    - record: dana-reyes\n      why: who to ask\n")
    home = generate(basic, date(2026, 4, 1)).pages["index.md"]
    assert (
        "    - [How we work](how-we-work.md)\n\n"  # the hand-written pages come first
        "-   **Revenue operations**\n\n    ---\n\n"
        "    - [Dana Reyes](people/dana-reyes.md): who to ask\n\n"
        "-   **I sell**\n\n    ---\n\n"
        "    - [Marketing qualified lead](stages/mql.md): when to call\n"
        "    - [MQL follow-up](slas/mql-follow-up.md)\n\n"
        "</div>\n"
    ) in home


def test_a_link_to_a_missing_record_is_a_check_error(basic: Path) -> None:
    with_home(basic, "sales", "home:\n  links:\n    - record: mqll\n")
    assert [str(p) for p in load_playbook(basic)[1]] == [
        "content/teams/sales.yaml:6:15: error: home.links[0].record: 'mqll' is not a known record in people or "
        "slas or stages or teams (did you mean 'mql'?)"
    ]


def test_without_home_sections_only_the_hand_written_pages_are_offered(basic: Path) -> None:
    home = generate(basic, date(2026, 4, 1)).pages["index.md"]
    assert "-   **New here?**\n\n    ---\n\n    - [How we work](how-we-work.md)\n\n</div>\n" in home
    (basic / "docs/how-we-work.md").unlink()
    assert "pb-start" not in generate(basic, date(2026, 4, 1)).pages["index.md"]
