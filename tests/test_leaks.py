"""The leak index: normalisation, fragments, partial quotes, and equivalence with brute force."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest

from generator.rules.leaks import _INVISIBLE, QUOTE_WORDS, Index, word_offsets, words


def wide(text: str) -> str:
    """``text`` in full-width letters."""
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Open Rival Ltd", ["open", "rival", "ltd"]),
        ("Bin\u200bwright", ["binwright"]),  # zero-width space
        ("Bin\u00adwright\u2060", ["binwright"]),  # soft hyphen, word joiner
        ("\u202eBinwright\u202c", ["binwright"]),  # right-to-left override
        (wide("BINWRIGHT"), ["binwright"]),  # full-width letters (NFKC)
        ("Cafe\u0301 ﬁnance", ["café", "finance"]),  # combining accent, ligature
        ("STRASSE straße", ["strasse", "strasse"]),  # case folding
        ("a\x07b\tc\r\nd", ["ab", "c", "d"]),  # a control character joins, whitespace separates
        ("“Price: 90k”—per year!", ["price", "90k", "per", "year"]),
    ],
)
def test_words_are_normalised(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_every_format_character_is_invisible() -> None:
    format_chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert format_chars and all(_INVISIBLE.fullmatch(c) for c in format_chars)
    assert not _INVISIBLE.search(" \t\n\r\x85\u2028\u2029aé1")


def test_fragments_are_found_as_whole_words_however_wrapped() -> None:
    index = Index()
    index.add_fragment(words("Discounts to 60k."), 0)
    assert index.find(words("We give DISCOUNTS\n  to 60k at quarter end")) == 0
    assert index.find(words("discounts to 600k")) is None  # not a whole word
    assert index.find(words("the discounts, to 60k")) == 0  # punctuation is not a word


def test_partial_quotes_of_a_passage() -> None:
    passage = "SECRETPRICING list price 90k a year, discounts to 60k at quarter end."
    index = Index()
    index.add_passage(words(passage), 3)
    eight = "Remember: list price 90k a year discounts to 60k."
    seven = "Remember: list price 90k a year discounts to."
    assert len(words("list price 90k a year discounts to 60k")) == QUOTE_WORDS
    assert index.find(words(eight)) == 3
    assert index.find(words(seven)) is None


def test_the_earliest_source_is_named_and_located() -> None:
    index = Index()
    index.add_fragment(words("Binwright"), 5)
    index.add_fragment(words("Quantaloop"), 2)
    found = words("Binwright and Quantaloop compete")
    assert index.matches(found) == [(0, 5), (2, 2)]
    assert index.find(found) == 2


def test_word_offsets_point_into_the_raw_text() -> None:
    text = f"Noted: Bin\u200bwright {wide('PRICE')} list"
    offsets = word_offsets(text)
    assert [text[o:o + 3] for o in offsets] == ["Not", "Bin", wide("PRI"), "lis"]


# ---------------------------------------------------------------------------
# Equivalence with brute force on a generated corpus

VOCABULARY = ["price", "list", "discount", "quarter", "year", "buyer", "renewal", "seat", "plan", "we", "the",
              "a", "to", "of", "90k", "60k", "Binwright", "Quantaloop", "forecast", "warehouse", "ERP", "trial"]
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_SPACE = re.compile(r"\s+")
MIN_QUOTE = 16


def _sentence(rng: random.Random, low: int, high: int) -> str:
    out = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(low, high)))
    return out[0].upper() + out[1:] + rng.choice([".", ";", "!", "?"])


def _corpus(seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    secrets = [" ".join(_sentence(rng, 2, 14) for _ in range(rng.randint(1, 3))) for _ in range(12)]
    shown = []
    for _ in range(150):
        text = _sentence(rng, 3, 20)
        if rng.random() < 0.6:  # quote a secret, perhaps re-wrapped, re-cased, re-punctuated
            secret = rng.choice(secrets)
            if rng.random() < 0.5:  # a whole sentence
                quote = rng.choice(_SENTENCE.split(secret))
            else:  # a part
                parts = secret.split()
                start = rng.randrange(len(parts))
                quote = " ".join(parts[start:start + rng.randint(1, 12)])
            quote = rng.choice([quote, quote.upper(), quote.replace(" ", "\n  "), quote.replace(".", ",")])
            text = rng.choice([f"{quote} {text}", f"{text} {quote}", quote])
        shown.append(text)
    return secrets, shown


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _fragments(text: str) -> list[str]:
    return [p for p in {_normal(s) for s in _SENTENCE.split(text)} | {_normal(text)} if len(p) >= MIN_QUOTE]


def old_brute_force(secrets: list[str], text: str) -> int | None:
    """The check before the index: every shown text against every fragment, as text."""
    shown = f" {_normal(text)} "
    for source, secret in enumerate(secrets):
        for fragment in _fragments(secret):
            if fragment in shown and re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", shown):
                return source
    return None


def _contains(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i:i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def new_brute_force(secrets: list[str], text: str) -> int | None:
    """The definition the index implements, written the slow way: a whole fragment, or any run
    of QUOTE_WORDS words of a secret, as normalised words."""
    shown = words(text)
    for source, secret in enumerate(secrets):
        fragments = [words(p) for p in {*_SENTENCE.split(secret), secret} if len(_normal(p)) >= MIN_QUOTE]
        secret_words = words(secret)
        runs = [secret_words[i:i + QUOTE_WORDS] for i in range(len(secret_words) - QUOTE_WORDS + 1)]
        if any(_contains(shown, needle) for needle in [*fragments, *runs] if needle):
            return source
    return None


def _index(secrets: list[str]) -> Index:
    index = Index()
    for source, secret in enumerate(secrets):
        for part in {*_SENTENCE.split(secret), secret}:
            if len(_normal(part)) >= MIN_QUOTE:
                index.add_fragment(words(part), source)
        index.add_passage(words(secret), source)
    return index


@pytest.mark.parametrize("seed", range(8))
def test_index_finds_what_brute_force_finds(seed: int) -> None:
    secrets, shown = _corpus(seed)
    index = _index(secrets)
    old_found = new_only = 0
    for text in shown:
        new = index.find(words(text))
        assert new == new_brute_force(secrets, text), text
        old = old_brute_force(secrets, text)
        if old is not None:
            assert new is not None, text  # every leak the old check found is still found
            old_found += 1
        elif new is not None:
            new_only += 1  # re-cased, re-wrapped, re-punctuated or partial quotes
    assert old_found > 10 and new_only > 5
