"""Where a bullet's sentences end, so an over-long bullet continues sentence by sentence.

A slide may cut a paragraph only between two sentences, never inside one: a
statement read off a slide must be a whole statement. When in doubt this
module finds no end (a bullet left long is a nuisance; a sentence broken in
two could change what it says), so a full stop does not end a sentence
after an abbreviation ("e.g.", "et al.", "Dr."), an initial ("J. Smith"),
inside brackets or quotes, or before a lower-case word; a decimal ("1.5")
has no space after its point. A citation marker ("[2]") or a dagger after a
full stop still belongs to the sentence before it, and a bold run-in label
("**Source discrepancy.**") stays with the sentence it introduces.

No sentence segmenter that handles English, Spanish, Arabic and Chinese is
among the project's dependencies; these rules cover the punctuation of the
four languages.
"""

from __future__ import annotations

import re

from ...model.inline import Run
from ...model.markers import SLIDE_CITATION

STOPS = ".?!…。？！؟．"  # a full stop, question or exclamation mark in any of the languages
NO_SPACE_NEEDED = "。？！．"  # Chinese sentences follow one another without a space
OPENERS = {"(": ")", "[": "]", "{": "}", "（": "）", "“": "”", "«": "»", "「": "」", "『": "』"}
CLOSERS = "\"'”’»)]）」』†‡*"  # may follow the stop and still belong to its sentence
FOLLOWING = re.compile(rf"(?:[{re.escape(CLOSERS)}]|\s*{SLIDE_CITATION.pattern})*")

# Lower-cased, without their last full stop; compared with the words before a stop.
ABBREVIATIONS = frozenset({
    "e.g", "i.e", "et al", "vs", "cf", "etc", "approx", "dr", "dra", "drs", "mr", "mrs", "ms",
    "prof", "st", "sr", "sra", "srta", "jr", "fig", "figs", "vol", "p", "pp", "ed", "eds",
    "p. ej", "ej", "aprox", "núm", "pág", "págs", "ca", "min", "máx", "mín",
})
CASE_SENSITIVE = frozenset({"No", "Nos"})  # "No. 3", but "no." ends a Spanish sentence
LEADING = "([{\"'“«¿¡"  # may come before an abbreviation's first letter


def sentence_ends(text: str) -> list[int]:
    """Offsets where one sentence of `text` ends and the next may start on another bullet.

    Each offset is just after the sentence's stop (and any closing quote, bracket,
    dagger or citation marker that follows it), before the space.
    """
    ends, nesting, quoted = [], [], False
    position = 0
    while position < len(text):
        char = text[position]
        if char in OPENERS:
            nesting.append(OPENERS[char])
        elif nesting and char == nesting[-1]:
            nesting.pop()
        elif char == '"':
            quoted = not quoted
        elif char in STOPS and not nesting and not quoted:
            end = _end_of_sentence(text, position)
            if end is not None:
                ends.append(end)
                position = end
                continue
        position += 1
    return ends


def _end_of_sentence(text: str, stop: int) -> int | None:
    """Where the sentence whose stop is at `stop` ends, or None if it does not end there."""
    while stop + 1 < len(text) and text[stop + 1] in STOPS:  # "?!" or "..."
        stop += 1
    end = stop + 1 + len(FOLLOWING.match(text, stop + 1).group(0))
    rest = text[end:]
    if not rest.strip() or text[stop] == "." and _abbreviated(text[:stop]):
        return None
    if rest[0].isspace():
        following = rest.lstrip()[0]
    elif text[stop] in NO_SPACE_NEEDED:
        following = rest[0]
    else:
        return None  # "1.5", "e.g.," or "word.Word": not an end
    return None if following.islower() else end


def _abbreviated(before: str) -> bool:
    """Is the full stop after `before` an abbreviation's or an initial's?"""
    words = [word.lstrip(LEADING) for word in before.split()[-2:]]
    if not words or not words[-1]:
        return False
    last = words[-1]
    if len(last) == 1 and last.isupper():  # an initial: "J. Smith"
        return True
    if last in CASE_SENSITIVE:
        return True
    return bool({last.lower(), " ".join(words).lower()} & ABBREVIATIONS)


def sentences(runs: list[Run]) -> list[list[Run]]:
    """A bullet's runs cut into its sentences, each keeping its runs' bold, italic and link.

    A sentence in bold type alone (a run-in label) is joined to the next.
    """
    text = "".join(run.text for run in runs)
    parts = cut(runs, sentence_ends(text))
    joined: list[list[Run]] = []
    for part in parts:
        if joined and _label(joined[-1]):
            joined[-1] = joined[-1] + [Run(" ")] + part
        else:
            joined.append(part)
    return [_merged(part) for part in joined]


def _label(part: list[Run]) -> bool:
    return all(run.bold for run in part if run.text.strip())


def cut(runs: list[Run], offsets: list[int]) -> list[list[Run]]:
    """The runs cut at character offsets of their joined text, without the spaces at a cut."""
    parts: list[list[Run]] = [[]]
    start = 0
    bounds = sorted(offsets)
    for run in runs:
        end = start + len(run.text)
        piece_start = start
        while bounds and bounds[0] < end:
            at = bounds.pop(0)
            if at > piece_start:
                parts[-1].append(_with_text(run, run.text[piece_start - start:at - start]))
            parts.append([])
            piece_start = at
        if end > piece_start:
            parts[-1].append(_with_text(run, run.text[piece_start - start:]))
        start = end
    return [trimmed for part in parts if (trimmed := _trimmed(part))]


def _with_text(run: Run, text: str) -> Run:
    return Run(text, run.bold, run.italic, run.link)


def _trimmed(part: list[Run]) -> list[Run]:
    """The part without space at either end (the space between two sentences)."""
    runs = [run for run in part if run.text]
    while runs and not runs[0].text.strip():
        runs.pop(0)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        runs[0] = _with_text(runs[0], runs[0].text.lstrip())
        runs[-1] = _with_text(runs[-1], runs[-1].text.rstrip())
    return runs


def _merged(part: list[Run]) -> list[Run]:
    """Neighbouring runs of one style as one run."""
    merged: list[Run] = []
    for run in part:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (
                run.bold, run.italic, run.link):
            merged[-1] = _with_text(run, merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged
