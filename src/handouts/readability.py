"""Readability of an output's prose, measured with textstat, and the gate on it.

Only running prose counts (paragraphs, list items, safety wording, the
purpose line): headings and fill-in labels are fragments that would make
any formula meaningless.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Problem
from .markdown import plain_text
from .model import Block, Unit
from .select import View

PROSE_KINDS = ("paragraph", "bullets", "steps")


@dataclass(frozen=True)
class Readability:
    grade: float  # Flesch-Kincaid grade level
    smog: float
    words: int
    sentences: int
    hardest: tuple[tuple[Unit, float], ...]  # the units with the highest grade, hardest first

    def summary(self) -> str:
        return (f"Flesch-Kincaid grade {self.grade:.1f}, SMOG {self.smog:.1f} "
                f"({self.words} words, {self.sentences} sentences)")


def prose_units(view: View) -> list[Unit]:
    units = [view.settings.purpose] if view.settings.purpose else []
    for section in view.sections:
        for item in section.content:
            blocks = item.blocks if not isinstance(item, Block) else (item,)
            units += [u for b in blocks if b.kind in PROSE_KINDS for u in b.units]
    return units


def _as_sentences(units: list[Unit]) -> str:
    texts = (plain_text(u.text) for u in units)
    return " ".join(t if t.endswith((".", "?", "!", ":")) else t + "." for t in texts if t)


def measure(view: View) -> Readability:
    import textstat  # 0.2 s to import; only builds that gate readability pay it

    units = prose_units(view)
    text = _as_sentences(units)
    graded = sorted(((u, textstat.flesch_kincaid_grade(_as_sentences([u]))) for u in units),
                    key=lambda pair: -pair[1])
    return Readability(
        grade=round(textstat.flesch_kincaid_grade(text), 2),
        smog=round(textstat.smog_index(text), 2),
        words=textstat.lexicon_count(text),
        sentences=textstat.sentence_count(text),
        hardest=tuple(graded[:3]))


def gate(view: View, result: Readability) -> list[Problem]:
    """A problem when the prose reads above the audience's `max_grade`."""
    limit = view.settings.max_grade
    if limit is None or result.grade <= limit:
        return []
    hardest, _ = result.hardest[0]
    others = "; ".join(f"{u.location} {g:.1f}" for u, g in result.hardest)
    return [Problem(hardest.location,
                    f"the {view.audience} prose reads at Flesch-Kincaid grade {result.grade:.1f}, "
                    f"above the max_grade {limit:g} set in topic.yaml",
                    f"use shorter sentences and shorter words; hardest first: {others}")]
