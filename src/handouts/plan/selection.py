"""Document × audience (× language) -> the View of exactly what one output shows.

Selection decides, once, everything a renderer would otherwise have to work
out for itself: which sections and units the audience sees, in which reading
order, where the evidence table stands, and the number of every reference.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Document, Section, TemplateStrings, Unit, View, audience_sections
from ..model.inline import citation_keys

# Sections with these classes open the clinician brief, in this order; the rest follow.
LEADING_CLASSES = ("summary", "precautions")


def select(document: Document, audience: str, language: str | None = None,
           translation: TemplateStrings | None = None, draft: bool = False) -> View:
    """What `audience` sees of `document`, with its references numbered for its output."""
    sections = audience_sections(document, audience)
    evidence_after = None
    if audience == "clinician":
        sections = brief_order(sections)
    elif audience == "patient":
        sections = handout_order(sections)
    if audience in ("clinician", "trainer") and document.topic.evidence:
        evidence_after = evidence_table_after(sections)
    keys = reference_order(document, audience, sections)
    return View(document.topic, audience, language or document.topic.language,
                document.topic.audiences[audience], sections,
                tuple(document.references[k] for k in keys), evidence_after, translation,
                draft)


def brief_order(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """The reading order of the brief: bottom line, precautions, then the other sections."""
    leading = list(dict.fromkeys(s for cls in LEADING_CLASSES for s in sections
                                 if cls in s.classes))
    return tuple(leading + [s for s in sections if s not in leading])


def handout_order(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """The handout opens with its key points (`.summary`): the main message and the safety
    a reader must not miss come first (CDC Clear Communication Index, items 1 and 4.3)."""
    leading = [s for s in sections if "summary" in s.classes]
    return tuple(leading + [s for s in sections if s not in leading])


def evidence_table_after(sections: tuple[Section, ...]) -> str | None:
    """The evidence table follows the section marked `.evidence` (or ends the body)."""
    marked = [s.id for s in sections if "evidence" in s.classes]
    return marked[0] if marked else (sections[-1].id if sections else None)


def reference_order(document: Document, audience: str,
                    sections: tuple[Section, ...]) -> list[str]:
    """Reference keys in the order the output numbers them: first citation in its reading
    order, so the numbers in the text rise as a reader goes on.

    The brief and the deck read the evidence table's rows where the table stands
    (after the `.evidence` section), the deck its quiz after the sections, and its
    speaker notes last. Each output has its own numbering: a reference may be [3] in
    the brief and [2] on the slides, each with its own reference list.
    """
    topic = document.topic
    settings = topic.audiences[audience]
    units = [u for u in (settings.title, settings.subtitle, settings.purpose) if u]
    if audience == "trainer" and topic.training:
        units += topic.training.objectives
    evidence = topic.evidence if audience in ("clinician", "trainer") else None
    studies = [study.reference for study in evidence.studies] if evidence else []
    table_after = evidence_table_after(sections) if evidence else None
    order = first_citation_order(units)
    for section in sections:
        order = first_citation_order(
            [section.title] + [u for item in section.content for u in item.units], seed=order)
        if section.id == table_after:
            order = first_citation_order([], extra=studies, seed=order)
    if audience == "trainer" and topic.training:
        order = first_citation_order([q for q, _ in topic.training.questions], seed=order)
    notes = [u for section in sections for block in section.notes for u in block.units]
    rest = [u for u in topic.units() if audience in u.audiences]
    return first_citation_order([*notes, *rest], extra=studies, seed=order)


def first_citation_order(units: Iterable[Unit], extra: Iterable[str] = (),
                         seed: Iterable[str] = ()) -> list[str]:
    """Keys in the order the units first cite them, then any `extra` keys not yet cited.

    `seed` keys come first, in their order, when another output's numbering must be kept.
    """
    seen: dict[str, None] = dict.fromkeys(seed)
    for unit in units:
        for key in citation_keys(unit.text):
            seen.setdefault(key, None)
    for key in extra:
        seen.setdefault(key, None)
    return list(seen)
