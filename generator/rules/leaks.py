"""Finding confidential text repeated elsewhere: how text is compared, and an index to look it up.

Text is compared as a sequence of words, after normalisation (:func:`words`):

- Unicode NFKC (full-width letters, ligatures and other look-alike forms become the plain
  letters), case folded;
- invisible characters are dropped, so they can neither split nor hide a word: format
  characters (zero-width space and joiners, soft hyphen, bidirectional controls, tags),
  control characters, variation selectors and Hangul fillers;
- a word is a run of letters, digits and underscores; whitespace, line breaks and
  punctuation only separate words, so a quote is found however it is wrapped or punctuated.

The :class:`Index` holds what an audience may not see, in two forms:

- *fragments* (a confidential sentence, a whole confidential text, the title of a record
  marked narrower), each found when its words appear consecutively anywhere in a text;
- *passages* (a confidential text), of which every run of :data:`QUOTE_WORDS` consecutive
  words is looked for: a partial quote.

Looking a text up costs time in proportion to its own words, whatever the size of the
index: runs of :data:`QUOTE_WORDS` words are looked up in a set of the confidential ones
(shingles; in C, by ``set.isdisjoint``), and a fragment shorter than that is looked for only
in texts that contain its longest word (an index by word). A fragment of
:data:`QUOTE_WORDS` words or more needs no lookup of its own: its first run of words is one
of its passage's. Only a text that matches gets a closer, slower look, to name the
earliest source it repeats.

Why not a character automaton (Aho-Corasick)? It finds exact substrings, not word
sequences, so it would need a boundary check after each hit and could not ignore
punctuation; and partial quotes would make every run of words of every confidential text a
pattern of its own, which for a large playbook is a large automaton, where a set of word
tuples stays small and needs no dependency.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

QUOTE_WORDS = 8
"""A run of this many consecutive words of a confidential text is a partial quote. At 7 the
starter playbook's own shared phrase "the ERP stays the system of record" (in an internal
competitor note and in a partner persona) would be reported; 8 words is about half a
sentence of the playbook's prose, long enough not to happen by chance."""

# Format characters (Unicode category Cf), control characters other than the ones that end
# or separate lines and words, combining grapheme joiner, Mongolian and Khmer invisible
# marks, Hangul fillers, variation selectors.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001-\U000e007f\U000e0100-\U000e01ef]"
)
_WORD = re.compile(r"\w+")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

Words = list[str]


def normalise(text: str) -> str:
    """``text`` as it is compared: invisible characters dropped, NFKC, case folded."""
    if text.isascii():
        return _ASCII_CONTROL.sub("", text).lower()
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return unicodedata.normalize("NFKC", text.casefold())


def words(text: str) -> Words:
    """The words of ``text``, normalised (see the module's docstring)."""
    return _WORD.findall(normalise(text))


def _runs(found: Words, size: int) -> Iterator[tuple[str, ...]]:
    """Every run of ``size`` consecutive words, in order."""
    return zip(*[found[start:] for start in range(size)], strict=False)


class Index:
    """What an audience may not see, by source: each source is an ``int`` (its priority:
    when a text repeats several sources, the smallest is named)."""

    def __init__(self, quote_words: int = QUOTE_WORDS) -> None:
        self.quote_words = quote_words
        self._runs: dict[tuple[str, ...], int] = {}
        self._short: dict[str, dict[str, int]] = {}  # longest word -> " a b c " -> source

    def __bool__(self) -> bool:
        return bool(self._runs or self._short)

    def add_fragment(self, found: Words, source: int) -> None:
        """Look for these words, consecutive, anywhere."""
        if len(found) >= self.quote_words:
            self.add_passage(found, source)
        elif found:
            key = max(found, key=len)
            self._short.setdefault(key, {}).setdefault(f" {' '.join(found)} ", source)

    def add_passage(self, found: Words, source: int) -> None:
        """Look for every run of :attr:`quote_words` consecutive words of these."""
        for run in _runs(found, self.quote_words):
            self._runs.setdefault(run, source)

    def matches(self, found: Words) -> list[tuple[int, int]]:
        """(index of the first word, source) of every repeat in ``found``, in word order."""
        hits: list[tuple[int, int]] = []
        if self._runs and len(found) >= self.quote_words:
            runs, size = self._runs, self.quote_words
            if not runs.keys().isdisjoint(_runs(found, size)):
                hits += [(i, runs[run]) for i, run in enumerate(_runs(found, size)) if run in runs]
        keys = self._short.keys() & found if self._short else ()
        if keys:
            joined = f" {' '.join(found)} "
            for key in keys:
                for fragment, source in self._short[key].items():
                    start = joined.find(fragment)
                    while start != -1:
                        hits.append((joined.count(" ", 0, start), source))
                        start = joined.find(fragment, start + 1)
        return sorted(hits)

    def find(self, found: Words) -> int | None:
        """The smallest source that ``found`` repeats, if any."""
        hits = self.matches(found)
        return min(source for _, source in hits) if hits else None


def word_offsets(text: str) -> list[int]:
    """The offset in ``text`` at which each of ``words(text)`` starts (for locating a match).

    Exact where normalisation keeps lengths (all ASCII text); otherwise the start of the
    shortest prefix of ``text`` whose normalised form reaches the word."""
    normal = normalise(text)
    starts = [m.start() for m in _WORD.finditer(normal)]
    if normal == text.lower() and len(normal) == len(text):
        return starts
    return [_raw_offset(text, start) for start in starts]


def _raw_offset(text: str, start: int) -> int:
    low, high = 0, len(text)
    while low < high:  # the shortest prefix whose normalised form is longer than ``start``
        middle = (low + high) // 2
        if len(normalise(text[: middle + 1])) > start:
            high = middle
        else:
            low = middle + 1
    return low
