"""Laying out once where we can: the normal layout stops at the page target, and the
choice between normal and compact spacing is the one laying out both in full gives."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from handouts.assets.locations import default_templates
from handouts.plan.request import BuildRequest
from handouts.plan.topics import plan_topic
from handouts.render.pdf import html as pdf_html
from handouts.render.pdf.clinician import ClinicianBrief
from handouts.render.pdf.patient import PatientHandout

BUNDLED = Path(__file__).resolve().parents[1] / "content" / "backwards-walking"


def job_for(audience: str, paper: str = "letter"):
    request = BuildRequest((BUNDLED,), Path("."), default_templates(), audiences=(audience,),
                           languages=("en",), papers=(paper,))
    return next(j for j in plan_topic(BUNDLED, request, [], []).jobs
                if not j.spec.option("large"))


class PagesStarted(logging.Handler):
    """Counts the pages WeasyPrint starts to lay out."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record):
        if record.msg == "Step 5 - Creating layout - Page %d":
            self.count += 1


@pytest.fixture
def layouts(monkeypatch):
    """Every lay_out call as (compact, within, pages it returned or None)."""
    calls = []
    real = pdf_html.lay_out

    def spy(html, view, templates, stylesheets=(), within=None):
        document = real(html, view, templates, stylesheets, within)
        compact = bool(re.search(r'<body class="[^"]*\bcompact\b', html))
        calls.append((compact, within, None if document is None else len(document.pages)))
        return document

    monkeypatch.setattr(pdf_html, "lay_out", spy)
    return calls


def full_choice(builder, job):
    """The rule as stated: lay out both in full, keep compact only when it has fewer pages."""
    templates = default_templates()
    normal = pdf_html.lay_out(builder.html(job.view, job.spec, templates), job.view, templates,
                              builder.stylesheets)
    compact = pdf_html.lay_out(builder.html(job.view, job.spec, templates, compact=True),
                               job.view, templates, builder.stylesheets)
    return compact if len(compact.pages) < len(normal.pages) else normal


def test_the_normal_layout_stops_when_it_runs_past_the_target(layouts):
    """The bundled handout takes three pages at normal spacing and two when compact: the
    normal layout is abandoned as it starts page 3, and compact is laid out once."""
    job, builder = job_for("patient"), PatientHandout()
    document = builder.lay_out(job.view, job.spec, default_templates())
    assert layouts == [(False, 2, None), (True, None, 2)]
    assert len(document.pages) == 2


def test_a_stopped_layout_starts_no_page_past_its_budget():
    job, builder = job_for("patient"), PatientHandout()
    templates = default_templates()
    html = builder.html(job.view, job.spec, templates)
    started = PagesStarted()
    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(started)
    try:
        assert pdf_html.lay_out(html, job.view, templates, builder.stylesheets, within=2) is None
        stopped = started.count
        started.count = 0
        assert len(pdf_html.lay_out(html, job.view, templates, builder.stylesheets).pages) == 3
    finally:
        logger.removeHandler(started)
    assert stopped == 3  # pages 1 and 2, and the announcement of page 3 that stops it
    assert started.count == 0  # the logger is quiet again outside a budgeted layout


@pytest.mark.parametrize("audience, builder, paper", [
    ("patient", PatientHandout(), "letter"),
    ("patient", PatientHandout(), "a4"),
    ("clinician", ClinicianBrief(), "letter"),
    ("clinician", ClinicianBrief(), "a4"),
])
def test_the_same_pdf_as_laying_out_both_in_full(audience, builder, paper):
    job = job_for(audience, paper)
    expected = pdf_html.to_pdf(full_choice(builder, job), job.view)
    assert builder.render(job.view, job.spec, default_templates()) == expected


def test_when_neither_fits_both_are_laid_out_and_the_shorter_kept(layouts, monkeypatch):
    job, builder = job_for("patient"), PatientHandout()
    monkeypatch.setattr(PatientHandout, "page_target", lambda self, spec: 1)
    document = builder.lay_out(job.view, job.spec, default_templates())
    assert layouts == [(False, 1, None), (True, None, 2), (False, None, 3)]
    assert len(document.pages) == 2


def test_an_output_without_a_target_is_laid_out_once(layouts):
    request = BuildRequest((BUNDLED,), Path("."), default_templates(), audiences=("patient",),
                           languages=("en",), papers=("letter",))
    job = next(j for j in plan_topic(BUNDLED, request, [], []).jobs if j.spec.option("large"))
    document = PatientHandout().lay_out(job.view, job.spec, default_templates())
    assert layouts == [(False, None, len(document.pages))]
