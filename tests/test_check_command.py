"""`handouts check` reads outputs back: it passes on good outputs and names what is wrong."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from conftest import BUNDLED
from handouts.cli import cli

RAILS_EN = "Keep hold of the safety rails the whole time."


@pytest.fixture
def outputs(built, tmp_path) -> Path:
    """A private copy of the session's full build, safe to tamper with."""
    out = tmp_path / "out"
    shutil.copytree(built.parent.parent, out)
    return out


def check(runner, out: Path):
    return runner.invoke(cli, ["check", str(BUNDLED), "--out", str(out)])


def test_check_passes_on_the_bundled_outputs(runner, outputs):
    result = check(runner, outputs)
    assert result.exit_code == 0, result.output
    assert "28 output(s) checked, 0 failed." in result.output
    assert "backwards-walking/ar/backwards-walking-patient.pdf" in result.output


def test_check_fails_when_a_safety_statement_is_missing_from_the_pdf(runner, outputs):
    """Render the handout's HTML with one statement's text deleted, put it in place, check."""
    from handouts.render.pdf.html import lay_out, to_pdf
    from handouts.render.pdf.patient import PatientHandout
    from handouts.assets.locations import default_templates
    from handouts.plan.request import BuildRequest
    from handouts.plan.topics import plan_topic

    request = BuildRequest((BUNDLED,), outputs, default_templates(), audiences=("patient",),
                           languages=("en",), papers=("letter",))
    plan = plan_topic(BUNDLED, request, [], [])
    job = next(j for j in plan.jobs if not j.spec.option("large"))
    builder = PatientHandout()
    html = builder.html(job.view, job.spec, default_templates())
    assert RAILS_EN in html
    tampered = to_pdf(lay_out(html.replace(RAILS_EN, ""), job.view, default_templates(),
                               builder.stylesheets),
                      job.view)
    (outputs / job.spec.relpath).write_bytes(tampered)
    result = check(runner, outputs)
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if "safety:patient-rails" in l)
    markdown = BUNDLED / "backwards-walking.md"
    rails = next(i for i, text in enumerate(markdown.read_text().splitlines(), 1)
                 if "#patient-rails" in text)
    assert line.strip().startswith("safety:patient-rails: ")
    assert line.strip().endswith(
        f"backwards-walking/backwards-walking.md:{rails}: the statement's text is not in the output")
    assert re.search(r"backwards-walking/en/backwards-walking-patient.pdf\s+FAILED", result.output)
    assert "1 failed." in result.output


def test_check_fails_when_a_safety_statement_is_missing_from_the_deck(runner, outputs):
    path = outputs / "backwards-walking/en/backwards-walking-slides.pptx"
    deck = Presentation(path)
    removed = False
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    if paragraph.text.startswith("Guard:"):
                        for run in paragraph.runs:
                            run.text = ""
                        removed = True
    assert removed
    deck.save(path)
    result = check(runner, outputs)
    assert result.exit_code == 1
    assert "safety:trainer-guarding:" in result.output
    assert "backwards-walking/en/backwards-walking-slides.pptx" in result.output


def test_check_reports_a_missing_output(runner, outputs):
    (outputs / "backwards-walking/zh-Hans/backwards-walking-patient-a4.pdf").unlink()
    result = check(runner, outputs)
    assert result.exit_code == 1
    assert "built: missing: run handouts build" in result.output


def test_check_catches_english_left_in_a_translation(runner, outputs):
    """An English handout copied over the Spanish one is caught by the language check."""
    shutil.copy(outputs / "backwards-walking/en/backwards-walking-patient.pdf",
                outputs / "backwards-walking/es/backwards-walking-patient.pdf")
    result = check(runner, outputs)
    assert result.exit_code == 1
    assert "language: still in en:" in result.output


def test_check_first_finishes_a_publish_that_a_killed_build_left(runner, outputs, monkeypatch):
    """A build stopped between renames leaves a journal; check completes it, then checks."""
    import os

    import handouts.write.publish as publishing
    from handouts.errors import OutputError

    names = ["backwards-walking/en/backwards-walking-patient.pdf",
             "backwards-walking/en/backwards-walking-patient-a4.pdf"]
    same = {name: (outputs / name).read_bytes() for name in names}
    real, calls = os.replace, []

    def stop_after_one_output(source, target):
        calls.append(target)
        if len(calls) > 2:  # the journal and the first output are renamed, then EIO
            raise OSError(5, "Input/output error")
        return real(source, target)

    monkeypatch.setattr(publishing.os, "replace", stop_after_one_output)
    with pytest.raises(OutputError):
        publishing.publish(outputs, same)
    monkeypatch.setattr(publishing.os, "replace", real)
    assert list(outputs.rglob(".handouts-*"))
    result = check(runner, outputs)
    assert result.exit_code == 0, result.output
    assert "finished replacing them (1 file(s))" in result.output
    assert list(outputs.rglob(".handouts-*")) == []
    assert "28 output(s) checked, 0 failed." in result.output


def test_a_translated_statement_missing_from_its_pdf_points_at_its_catalog_entry(runner,
                                                                                 outputs):
    """The translator fixes the .po entry, not the English Markdown: the failure says where."""
    from handouts.assets.locations import default_templates
    from handouts.model.inline import plain_text
    from handouts.plan.request import BuildRequest
    from handouts.plan.topics import plan_topic
    from handouts.render.pdf.html import lay_out, to_pdf
    from handouts.render.pdf.patient import PatientHandout

    request = BuildRequest((BUNDLED,), outputs, default_templates(), audiences=("patient",),
                           languages=("es",), papers=("letter",))
    job = next(j for j in plan_topic(BUNDLED, request, [], []).jobs
               if not j.spec.option("large"))
    rails = next(s for s in job.view.safety_statements() if s.id == "patient-rails")
    sentence = plain_text(rails.units[0].text).split(". ")[-1]  # the last sentence, unbolded
    html = PatientHandout().html(job.view, job.spec, default_templates())
    assert sentence in html
    tampered = to_pdf(lay_out(html.replace(sentence, ""), job.view, default_templates(),
                              PatientHandout.stylesheets), job.view)
    (outputs / job.spec.relpath).write_bytes(tampered)
    result = check(runner, outputs)
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if "safety:patient-rails" in l)
    catalog = (BUNDLED / "locales" / "es.po").read_text("utf-8").splitlines()
    context = next(i for i, text in enumerate(catalog, 1)
                   if text == 'msgctxt "safety.patient-rails.p1"')
    entry_line = int(re.search(r"locales/es\.po:(\d+):", line).group(1))
    assert context < entry_line < context + 12  # the entry's msgstr, not the English .md
    assert line.strip().endswith("the statement's text is not in the output")
