"""The Atom writer, read back by feedparser (a real, strict feed parser)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import feedparser

from generator.history.feed import ATOM, Entry, atom, html_list

HOSTILE = "</title><script>alert(1)</script> & ]]> \x01\x1b"


def sample(base: str | None = "https://playbook.example/") -> bytes:
    entries = [
        Entry("urn:playbook:commit:bbb", "Lifecycle stage: MQL changed", datetime(2026, 3, 9, 10, 0, tzinfo=UTC),
              "Dana Reyes", "stages/mql/", html_list(["Threshold: 60 → 70", HOSTILE]), ("stages",)),
        Entry("urn:playbook:commit:aaa", HOSTILE, datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
              HOSTILE, None, "", ()),
    ]
    return atom(feed_id="urn:playbook:changes", title="Fixture playbook: what changed",
                updated=datetime(2026, 3, 9, 10, 0, tzinfo=UTC), entries=entries,
                self_link="changes.xml", alternate="changes/", base=base, subtitle="Every change")


def test_feedparser_reads_every_field() -> None:
    parsed = feedparser.parse(sample())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Fixture playbook: what changed"
    assert parsed.feed.id == "urn:playbook:changes"
    assert parsed.feed.updated == "2026-03-09T10:00:00Z"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"self": "https://playbook.example/changes.xml",
                     "alternate": "https://playbook.example/changes/"}
    first, second = parsed.entries
    assert first.id == "urn:playbook:commit:bbb"
    assert first.title == "Lifecycle stage: MQL changed"
    assert first.link == "https://playbook.example/stages/mql/"
    assert first.author == "Dana Reyes"
    assert first.updated_parsed[:5] == (2026, 3, 9, 10, 0)
    assert [t.term for t in first.tags] == ["stages"]
    assert first.content[0].type == "text/html"
    # feedparser sanitises HTML content: the script is gone, the text stays text.
    assert first.content[0].value.startswith("<ul><li>Threshold: 60 → 70</li><li>&lt;/title&gt;")
    assert "<script" not in first.content[0].value
    assert second.title == "</title><script>alert(1)</script> & ]]>"  # plain text, read back as written


def test_record_text_cannot_break_the_xml() -> None:
    root = ET.fromstring(sample())
    titles = [e.text for e in root.iter(f"{{{ATOM}}}title")]
    assert titles[2] == "</title><script>alert(1)</script> & ]]> "  # control characters dropped
    assert len(root.findall(f"{{{ATOM}}}entry")) == 2


def test_without_a_site_url_links_stay_relative_and_valid() -> None:
    parsed = feedparser.parse(sample(base=None))
    assert not parsed.bozo
    assert parsed.entries[0].link == "stages/mql/"


def test_an_empty_feed_is_still_valid_atom() -> None:
    data = atom(feed_id="urn:x", title="Empty", updated=datetime(2026, 1, 1), entries=[],
                self_link="changes.xml", alternate="changes/")
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert parsed.entries == []
    assert parsed.feed.author == "Empty"  # RFC 4287: a feed whose entries have no author has one
    assert parsed.feed.updated == "2026-01-01T00:00:00Z"


def test_characters_xml_cannot_carry_are_dropped_everywhere() -> None:
    """U+FFFE and U+FFFF (and surrogates) are not XML 1.0 characters, even escaped: a record value
    holding one passes check, so the feed drops them instead of being ill-formed (issue 24 item 8)."""
    odd = "Rival\ufffe Ltd\uffff \U0001f600"
    document = atom(feed_id="urn:playbook:changes", title=odd, updated=datetime(2026, 3, 9, tzinfo=UTC),
                    entries=[Entry("urn:playbook:x", odd, datetime(2026, 3, 9, tzinfo=UTC), odd, "a/",
                                   html_list([odd]), (odd,))],
                    self_link="changes.xml", alternate="changes/", subtitle=odd)
    root = ET.fromstring(document)
    assert [e.text for e in root.iter(f"{{{ATOM}}}title")] == ["Rival Ltd \U0001f600"] * 2
    assert not feedparser.parse(document).bozo
