"""`handouts check --thorough`: poppler's pdftotext reads every PDF besides PDFium.

A build reads its PDFs back with PDFium (text, fonts, links, painted glyphs);
the second extractor, which shares no code with it, runs in `check --thorough`
and in the tests (test_translated_outputs.py, test_text_layer.py).
"""

from __future__ import annotations

import re

import pytest

from handouts.cli import cli
from handouts.verify import poppler
from handouts.verify.pdf_reader import read

PATIENT_EN = ["--audience", "patient", "--lang", "en", "--paper", "letter"]


@pytest.fixture
def poppler_reads(monkeypatch):
    """Count poppler's readings, and let a test say what poppler reads."""
    readings = {"count": 0, "text": None}
    real = poppler.PopplerReading.text

    def text(self):
        readings["count"] += 1
        got = real(self)
        return got if readings["text"] is None else readings["text"]

    monkeypatch.setattr(poppler.PopplerReading, "text", text)
    return readings


def check(runner, built, *args):
    out = built.parent.parent
    return runner.invoke(cli, ["check", "content/backwards-walking", "--out", str(out), *args])


def test_only_thorough_reads_with_poppler(built, runner, poppler_reads):
    plain = check(runner, built, *PATIENT_EN)
    assert plain.exit_code == 0, plain.output
    assert poppler_reads["count"] == 0
    thorough = check(runner, built, *PATIENT_EN, "--thorough")
    assert thorough.exit_code == 0, thorough.output
    assert poppler_reads["count"] == 2  # standard and large print


def test_a_statement_poppler_cannot_read_fails_only_the_thorough_check(built, runner,
                                                                      poppler_reads):
    poppler_reads["text"] = "Walk backward."  # poppler finds none of the safety statements
    assert check(runner, built, *PATIENT_EN).exit_code == 0
    thorough = check(runner, built, *PATIENT_EN, "--thorough")
    assert thorough.exit_code == 1
    assert "as poppler reads it" in thorough.output


@pytest.mark.parametrize("language", ["ar", "zh-Hans", "es"])
def test_every_translated_handout_reads_exactly_with_both_extractors(built, runner, language):
    result = check(runner, built, "--audience", "patient", "--lang", language, "--thorough")
    assert result.exit_code == 0, result.output


def test_the_facts_name_the_extractors_that_read(built):
    data = (built / "backwards-walking-patient.pdf").read_bytes()
    assert set(read(data).texts) == {"PDFium"}
    both = read(data, poppler=True).texts
    assert set(both) == {"PDFium", "poppler"} and "Walk" in both["poppler"]


def test_a_damaged_pdf_or_deck_on_disk_is_a_failed_check_not_a_traceback(built, runner, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(built.parent.parent, out)
    for name in ("backwards-walking-patient.pdf", "backwards-walking-slides.pptx"):
        damaged = out / "backwards-walking" / "en" / name
        damaged.write_bytes(damaged.read_bytes()[:20000])  # a copy cut short
    for extra in ([], ["--thorough"]):
        result = runner.invoke(cli, ["check", "content/backwards-walking", "--out", str(out),
                                     "--lang", "en", "--paper", "letter", *extra])
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert ("readable: PDFium cannot open the file (Failed to load document (PDFium: "
                "Data format error)); build it again") in result.output
        assert ("readable: python-pptx cannot open the file (File is not a zip file); build "
                "it again") in result.output
        assert re.search(r"patient-large\.pdf +ok ", result.output)  # the others still read
        assert "6 output(s) checked, 2 failed." in result.output
