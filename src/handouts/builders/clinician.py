"""The clinician evidence brief PDF: bottom line and precautions first, evidence table, AMA references."""

from __future__ import annotations

from ..markdown import citation_keys
from ..model import Section
from ..references import format_references
from ..select import View
from . import OutputSpec
from .htmlpdf import PAGE_SIZES, PdfBuilder, UnitRenderer, page_context, section_context

# Sections with these classes open the brief, in this order; the rest follow as written.
LEADING_CLASSES = ("summary", "precautions")


def arranged_sections(view: View) -> list[Section]:
    """The reading order of the brief: bottom line, precautions, then the other sections."""
    leading = [s for cls in LEADING_CLASSES for s in view.sections if cls in s.classes]
    return leading + [s for s in view.sections if s not in leading]


def table_section_id(sections: list[Section]) -> str | None:
    """The evidence table follows the section marked `.evidence` (or ends the body)."""
    marked = [s.id for s in sections if "evidence" in s.classes]
    return marked[0] if marked else (sections[-1].id if sections else None)


def reference_order(view: View) -> list[str]:
    """Keys numbered by first citation in the brief's reading order, table rows included.

    The slide deck uses the same numbers, so a reference is [3] on both.
    """
    sections = arranged_sections(view)
    table_after = table_section_id(sections)
    order: dict[str, None] = {}
    for unit in (view.settings.title, view.settings.subtitle, view.settings.purpose):
        for key in citation_keys(unit.text) if unit else ():
            order.setdefault(key, None)
    for section in sections:
        units = [section.title] + [u for item in section.content for u in item.units]
        for key in (k for unit in units for k in citation_keys(unit.text)):
            order.setdefault(key, None)
        if section.id == table_after and view.topic.evidence:
            for study in view.topic.evidence.studies:
                order.setdefault(study.reference, None)
    for study in view.topic.evidence.studies if view.topic.evidence else ():
        order.setdefault(study.reference, None)
    return list(order)


class ClinicianBrief(PdfBuilder):
    template = "clinician/brief.html.j2"

    def page_target(self, spec: OutputSpec) -> int | None:
        """A brief is read in three minutes: two pages at most."""
        return 2

    def context(self, view: View, spec: OutputSpec) -> dict:
        keys = reference_order(view)
        numbers = {key: n for n, key in enumerate(keys, start=1)}
        render = UnitRenderer(numbers)
        sections = arranged_sections(view)
        context = page_context(view)
        context.update(
            title=render(view.settings.title), title_text=view.settings.title.text,
            subtitle=render(view.settings.subtitle), purpose=render(view.settings.purpose),
            purpose_text=view.settings.purpose.text if view.settings.purpose else "",
            sections=[section_context(s, render) for s in sections],
            table_after=table_section_id(sections),
            evidence=self._evidence(view, numbers, render),
            references=format_references([view.document.references[k] for k in keys]),
            page_size=PAGE_SIZES[spec.paper],
        )
        return context

    @staticmethod
    def _evidence(view: View, numbers: dict[str, int], render: UnitRenderer) -> dict | None:
        evidence = view.topic.evidence
        if evidence is None:
            return None
        rows, notes = [], []
        for study in sorted(evidence.studies, key=lambda s: numbers[s.reference]):
            marker = None
            if study.note:
                marker = "abcdefghijklmnopqrstuvwxyz"[len(notes)]
                notes.append({"marker": marker, "html": render(study.note)})
            rows.append({"number": numbers[study.reference], "marker": marker,
                         "cells": [render(cell) for cell in study.cells()]})
        return {"scale": evidence.scale, "note": render(evidence.note), "rows": rows,
                "notes": notes}
