"""The clinician evidence brief PDF: bottom line and precautions first, evidence table, AMA references.

The reading order of its sections and the place of the evidence table are
decided at selection (plan/selection.py), where references are numbered.
"""

from __future__ import annotations

from ...model import OutputSpec, View
from ...model.markers import footnote_marker
from .builder import PdfBuilder


class ClinicianBrief(PdfBuilder):
    name = "clinician"
    audience = "clinician"
    template = "clinician/brief.html.j2"
    stylesheets = ("css/base.css", "css/clinician.css", "css/organisation.css")

    def page_target(self, spec: OutputSpec) -> int | None:
        """A brief is read in three minutes: two pages at most."""
        return 2

    def context(self, view: View, spec: OutputSpec) -> dict:
        from .html import UnitRenderer, page_context, section_context

        render = UnitRenderer(view.numbers)
        context = page_context(view, spec, render)
        context.update(
            sections=[section_context(s, render) for s in view.sections],
            table_after=view.evidence_after,
            evidence=_evidence(view, render),
        )
        return context


def _evidence(view: View, render) -> dict | None:
    evidence = view.topic.evidence
    if evidence is None:
        return None
    numbers = view.numbers
    rows, notes = [], []
    for study in sorted(evidence.studies, key=lambda s: numbers[s.reference]):
        marker = None
        if study.note:
            marker = footnote_marker(len(notes))
            notes.append({"marker": marker, "html": render(study.note)})
        rows.append({"number": numbers[study.reference], "marker": marker,
                     "cells": [render(cell) for cell in study.cells()]})
    return {"scale": evidence.scale, "note": render(evidence.note), "rows": rows,
            "notes": notes}
