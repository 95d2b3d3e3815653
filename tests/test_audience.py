"""Audience-scoped builds: nothing an audience may not see reaches its site, anywhere.

The real builds (one per audience, shared by the module) are marked ``site``."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.rules.audience import WITHHELD, of_page, scope, sees
from generator.rules.project import load_playbook

from .conftest import FIXTURES, build_site, edit_file

SECRETS = {
    # what only `internal` may see -> where it comes from
    "SECRETSTAGETITLE": "an internal record's title",
    "SECRETSTAGEDEFINITION": "an internal record's text",
    "secretstage": "an internal record's id",
    "HSX": "an internal record's abbreviation",
    "SECRETRIVALTITLE": "an internal competitor note",
    "SECRETRIVALPOSITIONING": "an internal competitor note's text",
    "secretrival": "an internal competitor note's id",
    "SECRETPRICING": "an internal-only field of a partner record",
    "SECRETPHONE": "an internal-only field of a public record",
    "SECRETDOCS": "a hand-written page without an audience",
    "edit/main": "edit links into the repository",
}
PARTNER_ONLY = ["Marketing qualified lead", "MQL follow-up", "Open Rival Ltd", "Working with our agencies", "Sales"]
PUBLIC = ["Dana Reyes", "Revenue operations"]


def everything(site: Path) -> str:
    """Every text file the build wrote: HTML, the search index, the sitemap, assets."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(site.rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".json", ".xml", ".txt", ".js", ".md"))


def add_docs_that_cannot_say_their_audience(root: Path, outside: Path) -> None:
    """docs/ files without front matter (not Markdown), and a symbolic link out of docs/."""
    docs = root / "docs"
    (docs / "plan.mdown").write_text("---\naudience: internal\n---\n# Plan\n\nSECRETMDOWN\n")
    (docs / "board.html").write_text("<p>SECRETHTML</p>")
    (docs / "prices.csv").write_text("SECRETCSV\n")
    (docs / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>logo</title></svg>')
    (outside / "outside.md").write_text("---\naudience: partner\n---\n# Linked\n\nSECRETLINK\n")
    (docs / "linked.md").symlink_to(outside / "outside.md")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The audience fixture (plus docs that cannot say their audience) built once per audience."""
    base = tmp_path_factory.mktemp("audience")
    root = base / "playbook"
    shutil.copytree(FIXTURES / "audience", root)
    add_docs_that_cannot_say_their_audience(root, base)
    return {audience: build_site(root, audience=audience, site=root / f"site-{audience}")
            for audience in ("internal", "partner", "public")}


@pytest.fixture(scope="module")
def sites(built: dict[str, Path]) -> dict[str, str]:
    return {audience: everything(site) for audience, site in built.items()}


@pytest.mark.site
def test_internal_sees_everything(sites: dict[str, str]) -> None:
    for text in [*SECRETS, *PARTNER_ONLY, *PUBLIC]:
        assert text in sites["internal"], text


@pytest.mark.parametrize("audience", ["partner", "public"])
@pytest.mark.site
def test_no_trace_of_what_the_audience_may_not_see(sites: dict[str, str], audience: str) -> None:
    for secret, what in SECRETS.items():
        assert secret not in sites[audience], f"{what} leaked into the {audience} site"


@pytest.mark.site
def test_partner_sees_partner_and_public_content(sites: dict[str, str]) -> None:
    for text in [*PARTNER_ONLY, *PUBLIC]:
        assert text in sites["partner"], text


@pytest.mark.site
def test_public_sees_only_public_content(sites: dict[str, str]) -> None:
    for text in PUBLIC:
        assert text in sites["public"], text
    for text in ["Marketing qualified lead", "Open Rival Ltd", "Working with our agencies"]:
        assert text not in sites["public"], text


def test_scope_withholds_references_and_fields(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "audience", tmp_path / "p")
    playbook, problems = load_playbook(tmp_path / "p")
    assert problems == []
    partner = scope(playbook, "partner")
    assert sorted(partner.records) == [
        ("competitors", "open-rival"), ("people", "dana-reyes"), ("slas", "mql-follow-up"),
        ("stages", "mql"), ("teams", "revops"), ("teams", "sales"),
    ]
    assert partner.records[("slas", "mql-follow-up")].data["stages"] == ["mql", WITHHELD]
    assert partner.records[("stages", "mql")].data["next_stages"] == [WITHHELD]
    assert "pricing_notes" not in partner.records[("competitors", "open-rival")].data
    assert "phone" not in partner.records[("people", "dana-reyes")].data
    assert [r.id for r in partner.records[("stages", "mql")].referenced_by()] == ["open-rival", "mql-follow-up"]
    # the full playbook is untouched
    assert playbook.records[("competitors", "open-rival")].data["pricing_notes"].startswith("SECRETPRICING")
    assert scope(playbook, "internal") is playbook


def test_a_reference_the_audience_may_not_follow_is_left_out(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "audience", tmp_path / "p")
    out = io.StringIO()
    assert main(["build", "--root", str(tmp_path / "p"), "--out", str(tmp_path / "md"), "--audience", "partner",
                 "--today", "2026-04-01"], out) == 0
    sla = (tmp_path / "md/docs/slas/mql-follow-up.md").read_text()
    # the list names only what a partner may see; it does not read as redacted
    assert "## Applies to stages\n\n- [Marketing qualified lead](../stages/mql.md)\n\n" in sla
    assert "withheld" not in sla
    assert not (tmp_path / "md/docs/how-we-work.md").exists()
    assert (tmp_path / "md/docs/partner-guide.md").exists()
    assert not (tmp_path / "md/docs/stages/secretstage.md").exists()


def test_check_reports_text_that_would_leak(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    sla = root / "content/slas/mql-follow-up.yaml"
    edit_file(sla,
        "target: First call within 4 working hours",
        "target: First call within 4 working hours. Remind them SECRETPRICING list price 90k a year, "
        "discounts to 60k at quarter end.",
    )
    assert [str(p) for p in load_playbook(root)[1]] == [
        "content/slas/mql-follow-up.yaml:9:9: error: target: this text is shown to partner but repeats content "
        "it may not see, from content/competitors/open-rival.yaml (pricing_notes)",
    ]


def test_check_reports_an_owner_the_audience_may_not_see(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    team = root / "content/teams/sales.yaml"
    edit_file(team, "audience: partner\n", "")
    found = [str(p) for p in load_playbook(root)[1]]
    assert ("content/slas/mql-follow-up.yaml:2:8: error: owner: 'sales' may be seen by internal only, but this "
            "record is shown to partner: widen the owner's audience or narrow this record's") in found


@pytest.mark.parametrize("field", ["owner", "last_reviewed", "title"])
def test_check_reports_a_field_every_page_shows_marked_narrower_than_its_record(tmp_path: Path, field: str) -> None:
    """Issue 24, point 9: with ``owner`` marked internal, check was clean and the partner export
    then failed inside the built-in freshness template. Every audience a record is shown to gets
    its title, owner and review date, so such a mark is a located problem of check."""
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    common = root / "schemas/_common.schema.json"
    edit_file(common, f'"{field}": {{\n      "type": "string",', f'"{field}": {{\n      "x-audience": "internal",\n'
              '      "type": "string",', count=1)
    found = [str(p) for p in load_playbook(root)[1]]
    line = {"owner": "2:8", "last_reviewed": "3:16", "title": "1:8"}[field]
    assert found and all("its schema marks it narrower than this record" in p for p in found), found
    assert (f"content/stages/mql.yaml:{line}: error: {field}: its schema marks it narrower than this record, "
            f"which is shown to partner; every page of a record shows its {field}, so remove that "
            '"x-audience" mark from the schema or narrow this record\'s audience') in found, found
    out = io.StringIO()
    assert main(["export", "--root", str(root), "--audience", "partner", "--out", "-", "--today", "2026-11-20"],
                out) == 1
    assert "template error" not in out.getvalue()


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("---\naudience: partner\n---\n# Hi\n", "partner"),
        ("---\ntitle: x\n---\n# Hi\n", "internal"),
        ("# No front matter\n", "internal"),
        ("---\naudience: [\n---\n", "internal"),
        ("---\naudience: everyone\n---\n", "internal"),
    ],
)
def test_page_audience_from_front_matter(text: str, audience: str) -> None:
    assert of_page(text) == audience


def test_sees() -> None:
    assert sees("internal", "partner") and sees("partner", "public") and sees("public", "public")
    assert not sees("partner", "internal") and not sees("public", "partner")


def test_check_guards_the_title_of_a_record_marked_narrower(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    rival = root / "content/competitors/secretrival.yaml"
    edit_file(rival, "last_reviewed: 2026-03-01\n", "last_reviewed: 2026-03-01\naudience: internal\n")
    sla = root / "content/slas/mql-follow-up.yaml"
    edit_file(sla, "Sales calls every A or B MQL.", "Beat SECRETRIVALTITLE Systems to the call.")
    assert [str(p) for p in load_playbook(root)[1]] == [
        "content/slas/mql-follow-up.yaml:8:13: error: commitment: this text is shown to partner but repeats "
        "content it may not see, from content/competitors/secretrival.yaml (title)",
    ]


def test_a_reference_to_a_narrower_record_is_withheld_not_a_leak(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    stage = root / "content/stages/secretstage.yaml"
    edit_file(stage, "title: Hidden stage", "audience: internal\ntitle: Hidden stage")
    sla = root / "content/slas/mql-follow-up.yaml"
    assert "stages: [mql, secretstage]" in sla.read_text()
    assert load_playbook(root)[1] == []


@pytest.mark.site
def test_docs_files_that_cannot_say_their_audience_stay_internal(built: dict[str, Path]) -> None:
    partner = built["partner"]
    text = everything(partner) + "\n".join(p.name for p in partner.rglob("*"))
    for secret in ("SECRETMDOWN", "SECRETHTML", "SECRETCSV", "SECRETLINK", "board.html", "prices.csv"):
        assert secret not in text, secret
    assert (partner / "logo.svg").exists()
    internal = built["internal"]
    assert "SECRETMDOWN" in everything(internal) and (internal / "prices.csv").exists()
    assert "SECRETLINK" not in everything(internal)  # a symbolic link in docs/ is never followed


def _with_hidden_items(root: Path) -> None:
    """Competitor notes get a list whose every item is internal (``x-audience`` on ``items``)."""
    schema = root / "schemas/competitors.schema.json"
    edit_file(schema,
        '"stages": {',
        '"war_stories": {"type": "array", "title": "War stories", '
        '"items": {"type": "string", "x-audience": "internal"}},\n    "stages": {')
    rival = root / "content/competitors/open-rival.yaml"
    rival.write_text(rival.read_text() + "war_stories:\n  - SECRETSTORYONE\n  - SECRETSTORYTWO\n"
                     "  - SECRETSTORYTHREE\n")


@pytest.mark.parametrize("audience", ["partner", "public"])
def test_hidden_list_items_are_removed_for_wider_audiences(tmp_path: Path, audience: str) -> None:
    """Issue 13, point 7: indices were deleted in ascending order (IndexError in every build)."""
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    _with_hidden_items(root)
    playbook, problems = load_playbook(root)
    assert problems == []
    seen = scope(playbook, audience)
    if audience == "partner":
        assert seen.records[("competitors", "open-rival")].data["war_stories"] == []
    out = io.StringIO()
    assert main(["build", "--root", str(root), "--out", str(tmp_path / "md"), "--audience", audience,
                 "--today", "2026-04-01"], out) == 0, out.getvalue()
    text = "\n".join(p.read_text() for p in (tmp_path / "md").rglob("*.md"))
    assert "SECRETSTORY" not in text
    assert playbook.records[("competitors", "open-rival")].data["war_stories"][2] == "SECRETSTORYTHREE"


@pytest.mark.site
def test_hidden_list_items_in_a_real_partner_build(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    _with_hidden_items(root)
    internal = everything(build_site(root, site=root / "site-internal"))
    partner = everything(build_site(root, audience="partner", site=root / "site-partner"))
    assert "SECRETSTORYTHREE" in internal
    assert "SECRETSTORY" not in partner


def test_check_sees_through_invisible_characters_and_case(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    sla = root / "content/slas/mql-follow-up.yaml"
    edit_file(sla,
        "target: First call within 4 working hours",
        'target: "Remember: secret\\u200bpricing LIST PRICE 90K A YEAR, discounts to 60k at quarter end."',
    )
    assert [str(p) for p in load_playbook(root)[1]] == [
        "content/slas/mql-follow-up.yaml:9:9: error: target: this text is shown to partner but repeats content "
        "it may not see, from content/competitors/open-rival.yaml (pricing_notes)",
    ]


def test_check_reports_a_partial_quote_of_eight_words(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    sla = root / "content/slas/mql-follow-up.yaml"
    text = sla.read_text()
    sla.write_text(text.replace("target: First call within 4 working hours",
                                "target: Mention the list price 90k a year, discounts to 60k if asked"))
    assert [str(p) for p in load_playbook(root)[1]] == [
        "content/slas/mql-follow-up.yaml:9:9: error: target: this text is shown to partner but repeats content "
        "it may not see, from content/competitors/open-rival.yaml (pricing_notes)",
    ]
    sla.write_text(text.replace("target: First call within 4 working hours",
                                "target: Mention the list price 90k a year, discounts if asked"))  # 6 words
    assert load_playbook(root)[1] == []


def test_check_scans_hand_written_pages_for_the_audience_they_declare(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    quote = "Our partners quote\nSECRETPRICING list price 90k a year, discounts to 60k at quarter end.\n"
    (root / "docs/partner-guide.md").write_text(
        "---\naudience: partner\n---\n# Working with our agencies\n\nHow partners use this playbook.\n" + quote)
    (root / "docs/how-we-work.md").write_text("# How we work\n\n" + quote)  # internal: may quote anything
    (root / "docs/public.md").write_text("---\naudience: public\n---\n# Public\n\nSee Open Rival Ltd for that.\n")
    assert [str(p) for p in load_playbook(root)[1]] == [
        "docs/partner-guide.md:8:1: error: this page is shown to partner but repeats content it may not see, "
        "from content/competitors/open-rival.yaml (pricing_notes)",
        "docs/public.md:6:5: error: this page is shown to public but repeats content it may not see, "
        "from content/competitors/open-rival.yaml (title)",
    ]


def test_record_ids_are_not_guarded_as_prose(tmp_path: Path) -> None:
    """Making a person internal must not flag a team's handle that merely shares the id the
    person's record names."""
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    (root / "content/teams/revenue-operations-emea.yaml").write_text(
        "title: Revenue operations EMEA\nowner: dana-reyes\nlast_reviewed: 2026-01-10\naudience: public\n"
        "github: example/revenue-operations-emea\n")
    (root / "content/people/ola-berg.yaml").write_text(
        "title: Ola Berg\nowner: revops\nlast_reviewed: 2026-01-10\naudience: internal\n"
        "role: Analyst\nteam: revenue-operations-emea\n")
    assert load_playbook(root)[1] == []


def test_replicated_playbook_checks_clean_and_still_finds_leaks(tmp_path: Path) -> None:
    from bench.realistic import replicate

    root = tmp_path / "p"
    assert replicate(FIXTURES / "audience", root, 5) == 8 * 5
    assert (root / "content/slas/mql-follow-up-c4.yaml").read_text().splitlines()[:8] == [
        "title: MQL follow-up 4", "owner: sales-c4", "last_reviewed: 2026-03-15", "audience: partner",
        "provider: sales-c4", "consumer: revops-c4", "stages: [mql-c4, secretstage-c4]",
        "commitment: Sales calls every A or B MQL.",
    ]
    playbook, problems = load_playbook(root)
    assert problems == [] and len(playbook.records) == 40
    sla = root / "content/slas/mql-follow-up-c3.yaml"
    edit_file(sla, "target: First call within 4 working hours",
                                           "target: Remember SECRETPRICING list price 90k a year, discounts to 60k.")
    assert [str(p) for p in load_playbook(root)[1]] == [
        "content/slas/mql-follow-up-c3.yaml:9:9: error: target: this text is shown to partner but repeats "
        "content it may not see, from content/competitors/open-rival-c1.yaml (pricing_notes)",  # the first in file order
    ]


def test_front_matter_with_a_key_twice_is_a_located_error_and_the_page_stays_internal(basic: Path) -> None:
    """Issue 24, point 6: `audience:` twice (partner, then internal) was published to partners
    (the page reader kept the first value, YAML and MkDocs keep the last)."""
    from generator.rules.audience import of_page
    from generator.rules.project import load_playbook

    text = "---\ntitle: Guide\naudience: partner\naudience: internal\n---\n\n# Guide\n"
    (basic / "docs/guide.md").write_text(text)
    assert of_page(text) == "internal"
    _, problems = load_playbook(basic)
    assert [str(p) for p in problems if p.file == "docs/guide.md"] == [
        "docs/guide.md:4:1: error: front matter: duplicate key 'audience' (it is already set at line 3): "
        "keep one of the two"]


def test_a_built_in_template_failing_is_a_bug_not_a_content_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 24, point 9, second half: the freshness template (built in) failing on content that
    check passed was reported as a located content problem, exit 1. Without check's rule for the
    fields every page shows, the same content now ends as what it is: a generator bug, exit 3."""
    monkeypatch.setattr("generator.rules.audience.ON_EVERY_PAGE", ())
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    common = root / "schemas/_common.schema.json"
    edit_file(common, '"owner": {\n      "type": "string",', '"owner": {\n      "x-audience": "internal",\n'
              '      "type": "string",', count=1)
    out = io.StringIO()
    status = main(["export", "--root", str(root), "--audience", "partner", "--out", "-", "--today", "2026-11-20"],
                  out)
    err = capsys.readouterr().err
    assert status == 3, (out.getvalue(), err)
    assert "template error" not in out.getvalue() + err
    assert "this is a bug in the playbook generator" in err
