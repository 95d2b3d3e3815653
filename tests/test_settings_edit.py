"""``playbook.yml`` changed in place: values where they stand, comments and other settings kept."""

from __future__ import annotations

import yaml

from generator.repo.settings_edit import fresh, updated

OWNERS = {"collections": ["people", "teams"], "handle_field": "github", "handle_format": "github"}


def test_nothing_to_change_returns_the_same_text() -> None:
    text = 'company: "Acme"  # ours\nowners:\n  collections: [people]\nfiscal_year_starts: 2\n'
    assert updated(text, yaml.safe_load(text)) == text


def test_a_value_changes_where_it_stands_and_keeps_its_comment() -> None:
    text = "# header\ncompany: Acme # legal name\nbranch: main  # edit links\n"
    assert updated(text, {"company": "Acme Inc", "branch": "trunk"}) == \
        '# header\ncompany: "Acme Inc" # legal name\nbranch: "trunk"  # edit links\n'


def test_a_new_setting_goes_after_its_neighbour_in_the_usual_order() -> None:
    text = "company: Acme\ncodeowners: x  # mine\n"
    out = updated(text, {"company": "Acme", "site_url": "https://a.test/", "starter": False, "codeowners": "x"})
    assert out == ('company: Acme\nsite_url: "https://a.test/"  # where the site is published\n'
                   "starter: false  # true: content/ still holds the fictional example company\n"
                   "codeowners: x  # mine\n")


def test_a_dropped_setting_loses_its_lines_even_a_block_scalar() -> None:
    text = "company: Acme\nsite_name: >\n  Acme\n  playbook\n# kept\ncodeowners: x"
    assert updated(text, {"company": "Acme", "codeowners": "x"}) == "company: Acme\n# kept\ncodeowners: x\n"


def test_owners_change_inside_a_block_and_are_written_again_from_flow_style() -> None:
    block = "owners:\n    collections:\n      - people\n    handle_field: gh  # ours\n"
    assert updated(block, {"owners": {**OWNERS, "handle_field": "gh"}}) == (
        "owners:\n    collections:\n      [people, teams]\n    handle_field: gh  # ours\n"
        "    handle_format: github  # github (user, org/team) or gitlab (user, group/subgroup/...)\n")
    flow = "owners: {collections: [people]}\nbranch: main\n"
    assert updated(flow, {"owners": OWNERS, "branch": "main"}) == (
        "owners:\n  collections: [people, teams]  # the collections whose records can own records\n"
        "  handle_field: github  # the field with a code-host handle\n"
        "  handle_format: github  # github (user, org/team) or gitlab (user, group/subgroup/...)\nbranch: main\n")


def test_every_value_reads_back_as_written_whatever_it_holds() -> None:
    company = 'Ac"me\\ \x1f\u2028 <b>\n: # x'
    for text in ("company: A\n", "", "just a string\n"):
        out = updated(text, {"company": company, "owners": {**OWNERS, "handle_field": "yes"}})
        data = yaml.safe_load(out)
        assert data["company"] == company and data["owners"]["handle_field"] == "yes", out


def test_a_new_file_names_each_setting() -> None:
    assert fresh({"company": "Acme", "starter": True, "owners": OWNERS, "codeowners": ".github/CODEOWNERS"}) \
        .splitlines()[2:5] == ['company: "Acme"',
                               "starter: true  # true: content/ still holds the fictional example company",
                               "owners:"]
