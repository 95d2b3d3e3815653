"""The starter's schemas and templates, as another company adopts them (issue 23): its words come
from the data (schema titles, annotations, records), what differs between companies is optional,
and a company without an MQL, a grade or a consumer team fits without a workaround."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.rules.project import load_playbook
from generator.site.render import render_pages
from generator.site.site import EXTRA_PAGES

from .conftest import REPO, edit_file

TODAY = date(2026, 12, 1)

SCORES = """title: How we score leads
owner: dana-reyes
last_reviewed: 2026-11-20
summary: Two point-based scores; sales calls whoever tops both.
scores:
  - name: Practice fit
    description: Who the clinic is.
    maximum: 100
    attributes:
      - attribute: Practitioners
        maximum: 40
        points:
          - value: 1 to 4
            points: 10
          - value: 5 or more
            points: 40
      - attribute: Region
        points:
          - value: Outside our regions
            points: -20
  - name: Engagement
    attributes:
      - attribute: Booked a demo
        points:
          - value: "yes"
            points: 50
"""


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    """A writable copy of the starter playbook (schemas, templates, content)."""
    root = tmp_path / "playbook"
    for folder in ("schemas", "templates", "content"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def pages(root: Path) -> dict[str, str]:
    playbook, problems = load_playbook(root)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return render_pages(playbook, TODAY, EXTRA_PAGES)


def edit_schema(root: Path, name: str, change: Any) -> None:
    path = root / f"schemas/{name}.schema.json"
    schema = json.loads(path.read_text())
    change(schema)
    path.write_text(json.dumps(schema, indent=2))


def test_a_scoring_model_of_points_tables_needs_no_mql(starter: Path) -> None:
    (starter / "content/scoring/lead-scoring-model.yaml").write_text(SCORES)
    page = pages(starter)["scoring/lead-scoring-model.md"]
    body = page.split("## Practice fit", 1)[1]
    assert body.startswith(
        "\n\nWho the clinic is.\n\n**Maximum:** 100\n\n"
        "| Practitioners (maximum 40) | Points |\n| --- | ---: |\n| 1 to 4 | \\+10 |\n| 5 or more | \\+40 |\n\n"
        "| Region | Points |\n| --- | ---: |\n| Outside our regions | \\-20 |\n\n"
        "## Engagement\n\n| Booked a demo | Points |\n| --- | ---: |\n| yes | \\+50 |\n")
    assert "MQL" not in page.split("## Related")[0] and "grade" not in page.casefold().split("## related")[0]


def test_a_threshold_is_named_by_the_company(starter: Path) -> None:
    record = starter / "content/scoring/lead-scoring-model.yaml"
    record.write_text(SCORES + "thresholds:\n  - title: Ready for a call\n    score: 80\n"
                      "    rule: Sales calls a clinic whose two scores add up to 80 or more.\n")
    page = pages(starter)["scoring/lead-scoring-model.md"]
    assert ('!!! abstract "Ready for a call"\n    **Minimum behaviour score:** 80\n\n'
            "    Sales calls a clinic whose two scores add up to 80 or more.\n") in page
    assert "MQL" not in page.split("## Related")[0]


def test_headings_and_labels_come_from_the_schema(starter: Path) -> None:
    def words(schema: dict[str, Any]) -> None:
        props = schema["properties"]
        props["fit_grades"]["title"] = "Tiers"
        props["routing"]["title"] = "Who gets the lead"
        props["routing"]["items"]["properties"]["grade"]["title"] = "Tier"
        props["behaviour_points"]["title"] = "Engagement points"
        props["thresholds"]["items"]["properties"]["score"]["title"] = "Engagement from"
    edit_schema(starter, "scoring", words)
    page = pages(starter)["scoring/lead-scoring-model.md"]
    assert '!!! abstract "The MQL rule"\n    **Fit grades:** A, B · **Engagement from:** 60 ·' in page
    for heading in ("## Tiers\n", "## Who gets the lead\n\n| Tier |", "## Engagement points\n"):
        assert heading in page
    assert "## Fit grades" not in page and "## Routing matrix" not in page


def test_the_home_page_promise_comes_from_the_schemas(starter: Path) -> None:
    home = pages(starter)["index.md"]
    assert "What we call a lead, who does what by when, when we meet and who we sell to: agreed" in home
    edit_schema(starter, "stages", lambda s: s["x-playbook"].pop("promise"))
    edit_schema(starter, "competitors", lambda s: s["x-playbook"].update(promise="how we win against rivals"))
    home = pages(starter)["index.md"]
    assert "Who does what by when, when we meet, who we sell to and how we win against rivals: agreed" in home
    assert "what we call a lead" not in home.casefold()


def test_an_sla_without_a_consumer_team(starter: Path) -> None:
    sla = starter / "content/slas/ab-lead-follow-up.yaml"
    edit_file(sla, "consumer: marketing\n", "")
    rendered = pages(starter)
    page = rendered["slas/ab-lead-follow-up.md"]
    assert "**Provider:** [Sales development](../teams/sdr.md) · **Applies to:**" in page
    assert "Consumer" not in page
    row = next(line for line in rendered["index.md"].splitlines() if "A and B lead follow-up" in line
               and line.startswith("| [Sales development]"))
    assert row.startswith("| [Sales development](teams/sdr.md) | [A and B lead follow-up]")
    index = rendered["slas/index.md"]
    assert "| [Sales development](../teams/sdr.md) | [A and B lead follow-up](ab-lead-follow-up.md) |" in index
    assert "(ab-lead-follow-up.md)** ([Sales development](../teams/sdr.md)):" in index


def test_a_meeting_on_the_first_working_day_of_each_quarter(starter: Path) -> None:
    meeting = starter / "content/meetings/quarterly-goals-review.yaml"
    text = meeting.read_text()
    meeting.write_text(re.sub(r"schedule: .*\n", "schedule: {unit: quarters, working_day: 1}\n", text))
    page = pages(starter)["meetings/quarterly-goals-review.md"]
    # 1 January 2027 is a Friday, but the company is closed from 24 December to 1 January (its
    # calendar), and 2 and 3 January are a weekend: the first working day is Monday the 4th.
    assert "**Next:** Monday 4 January 2027" in page


def test_a_persona_has_lists_of_the_companys_own(starter: Path) -> None:
    persona = starter / "content/personas/vp-operations.yaml"
    persona.write_text(persona.read_text() + "lists:\n  - title: Deal-breakers\n    entries:\n"
                       "      - No single sign-on\n      - \"<b>Data</b> hosted outside the EU\"\n"
                       "  - title: Words they use\n    entries: [fill rate, turns]\n")
    page = pages(starter)["personas/vp-operations.md"]
    assert ("## Deal-breakers\n\n- No single sign-on\n- &lt;b&gt;Data&lt;/b&gt; hosted outside the EU\n\n"
            "## Words they use\n\n- fill rate\n- turns\n") in page
