"""Which old catalog entry carries over to each entry of the new template, as msgmerge does.

Matching goes from sure to unsure, each old entry used once:

1. the same id and the same English: kept;
2. the same English under another id (a unit moved, or an id scheme changed): kept;
3. the same id, with changed English: fuzzy, the old English shown to the translator;
4. the most similar English of an entry left over (ratio at least 0.6, msgmerge's
   threshold): fuzzy.

So inserting or moving text never hands one unit another's translation, and a
translation is only ever offered as fuzzy when its English is not the same.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import polib

from ..model.keys import normalise_space

SIMILAR = 0.6


@dataclass(frozen=True)
class Match:
    """An old entry for a new one; `fuzzy` when its English differs (steps 3 and 4)."""

    entry: polib.POEntry
    fuzzy: bool


def english(entry: polib.POEntry) -> str:
    return normalise_space(entry.msgid)


def match(wanted: list[tuple[str | None, str]],
          old: list[polib.POEntry]) -> list[Match | None]:
    """For each (context, English) wanted, the old entry it takes over, or None (new).

    `old` lists live entries before obsolete ones, so a live translation is
    preferred; a content unit (with a context) only ever takes a content entry,
    a template string only a template string.
    """
    found: list[Match | None] = [None] * len(wanted)
    free = list(range(len(old)))
    by_key = {(e.msgctxt, None if e.msgctxt else english(e)): i for i, e in enumerate(old)
              if not e.obsolete}

    def take(i: int, j: int, fuzzy: bool) -> None:
        found[i] = Match(old[j], fuzzy)
        free.remove(j)

    def same_kind(context: str | None, entry: polib.POEntry) -> bool:
        return (context is None) == (entry.msgctxt is None)

    for i, (context, text) in enumerate(wanted):  # 1: same id, same English
        j = by_key.get((context, None if context else text))
        if j is not None and j in free and english(old[j]) == text:
            take(i, j, False)
    for i, (context, text) in enumerate(wanted):  # 2: same English elsewhere
        if found[i] is None:
            j = next((j for j in free if same_kind(context, old[j])
                      and english(old[j]) == text and old[j].msgstr), None)
            if j is not None:
                take(i, j, False)
    for i, (context, text) in enumerate(wanted):  # 3: same id, English changed
        j = by_key.get((context, None)) if context else None
        if found[i] is None and j is not None and j in free:
            take(i, j, True)
    for i, (context, text) in enumerate(wanted):  # 4: similar English
        if found[i] is None:
            j = _most_similar(text, [j for j in free if same_kind(context, old[j])
                                     and old[j].msgstr], old)
            if j is not None:
                take(i, j, True)
    return found


def _most_similar(text: str, candidates: list[int], old: list[polib.POEntry]) -> int | None:
    best, best_ratio = None, SIMILAR
    for j in candidates:
        matcher = difflib.SequenceMatcher(None, text, english(old[j]), autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = j, ratio
    return best
