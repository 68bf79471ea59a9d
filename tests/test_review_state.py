"""A translation's review state: a sign-off (X-Reviewed-By, X-Reviewed-Date) prints who
reviewed it and when; a fuzzy entry or a change after that date brings back "not yet
reviewed"; footers tell the content's review date apart from the translation's state."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polib
import pytest

from conftest import REPOSITORY, run_build
from handouts.cli import cli
from handouts.i18n.catalogs import review_state
from readback import pdf_text, squeezed

MD = "backwards-walking.md"
SAFE_EN = "Stop the treadmill and hold the rails if you feel unsteady or start to lose"
PDF = Path("out/backwards-walking/es/backwards-walking-patient.pdf")
ARGS = ("backwards-walking", "--out", "out", "--audience", "patient", "--lang", "es",
        "--paper", "letter")
REVIEWED = "Traducción revisada por Ana Ruiz, traductora médica, 26 de noviembre de 2026"
NOT_REVIEWED = "Traducción aún no revisada por un traductor médico cualificado"


def signed_templates(folder: Path, monkeypatch) -> Path:
    """A copy of the templates whose Spanish catalog of template strings is signed off, used
    by every command (HANDOUTS_TEMPLATES): a translation counts as reviewed only when its
    topic's catalog and the template strings' catalog both are."""
    templates = folder / "templates"
    shutil.copytree(REPOSITORY / "templates", templates)
    path = str(templates / "locales" / "es.po")
    po = polib.pofile(path, wrapwidth=79)
    po.metadata["X-Reviewed-By"] = "Luis Vega, traductor médico"
    po.metadata["X-Reviewed-Date"] = "2026-11-20"
    po.metadata["PO-Revision-Date"] = "2026-11-20 00:00+0000"
    po.save(path)
    monkeypatch.setenv("HANDOUTS_TEMPLATES", str(templates))
    return templates


@pytest.fixture(autouse=True)
def _shared_catalog_signed(tmp_path, monkeypatch) -> Path:
    return signed_templates(tmp_path, monkeypatch)


def sign(topic, date: str = "2026-11-26", revised: str = "2026-11-25 00:00+0000") -> None:
    path = str(topic.path("locales/es.po"))
    po = polib.pofile(path, wrapwidth=79)
    po.metadata["X-Reviewed-By"] = "Ana Ruiz, traductora médica"
    po.metadata["X-Reviewed-Date"] = date
    po.metadata["PO-Revision-Date"] = revised
    po.save(path)


def test_a_signed_catalog_prints_who_reviewed_the_translation_and_when(runner, topic):
    sign(topic)
    result = run_build(runner, *ARGS)
    assert result.exit_code == 0, result.output
    text = pdf_text(PDF)
    assert squeezed(REVIEWED) in squeezed(text)
    assert squeezed(NOT_REVIEWED) not in squeezed(text)
    # the content's review date is a separate statement, in words of its own
    assert squeezed("Contenido revisado 25 de noviembre de 2026") in squeezed(text)
    status = runner.invoke(cli, ["i18n", "status", "backwards-walking"])
    assert "reviewed by Ana Ruiz, traductora médica, 2026-11-26" in status.output


def test_a_change_after_the_review_date_or_a_fuzzy_entry_brings_back_not_reviewed(runner, topic):
    sign(topic, date="2026-11-26", revised="2026-11-27 10:00+0100")
    result = run_build(runner, *ARGS)
    assert result.exit_code == 0, result.output
    text = squeezed(pdf_text(PDF))
    assert squeezed(NOT_REVIEWED) in text and squeezed(REVIEWED) not in text
    status = runner.invoke(cli, ["i18n", "status", "backwards-walking", "--lang", "es"])
    assert ("not reviewed: signed by Ana Ruiz, traductora médica on 2026-11-26, but changed "
            "on 2026-11-27 (PO-Revision-Date)") in status.output
    # signed again, the review holds and the outputs render again with it
    sign(topic, date="2026-11-27", revised="2026-11-27 10:00+0100")
    result = run_build(runner, *ARGS)
    assert result.exit_code == 0, result.output
    assert "Rendered 0 output(s)" not in result.output
    assert squeezed("Traducción revisada por Ana Ruiz, traductora médica, 27 de noviembre de "
                    "2026") in squeezed(pdf_text(PDF))


def test_update_that_changes_a_signed_catalog_lapses_the_review(runner, topic):
    sign(topic)
    topic.edit(MD, SAFE_EN, SAFE_EN.replace("Stop the treadmill", "Stop the treadmill at once"))
    result = runner.invoke(cli, ["i18n", "update", "backwards-walking", "--lang", "es"])
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(topic.path("locales/es.po")))
    assert po.metadata["PO-Revision-Date"] == "2026-11-27 00:00+0000"
    # the translator fixes the fuzzy entry by hand: still not reviewed, the date says why
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    po.save()
    reviewer, _, note = review_state(po.metadata, [e for e in po if not e.obsolete])
    assert reviewer is None and "but changed on 2026-11-27" in note


def test_review_state_rules():
    entry = polib.POEntry(msgid="a", msgstr="b")
    fuzzy = polib.POEntry(msgid="c", msgstr="d", flags=["fuzzy"])
    signed = {"X-Reviewed-By": "A. Reviewer", "X-Reviewed-Date": "2026-11-26",
              "PO-Revision-Date": "2026-11-26 09:00+0000"}
    assert review_state(signed, [entry]) == ("A. Reviewer", dt.date(2026, 11, 26), "")
    assert review_state(signed, [entry, fuzzy])[0] is None
    assert "1 entry is fuzzy" in review_state(signed, [entry, fuzzy])[2]
    assert review_state({**signed, "X-Reviewed-Date": "soon"}, [entry])[0] is None
    assert review_state({}, [entry]) == (None, None, "no X-Reviewed-By header")
    # without X-Reviewed-Date, the date of the file the reviewer saved
    no_date = {"X-Reviewed-By": "A. Reviewer", "PO-Revision-Date": "2026-11-25 00:00+0000"}
    assert review_state(no_date, [entry]) == ("A. Reviewer", dt.date(2026, 11, 25), "")


def test_unsigned_footers_separate_the_content_date_from_the_translation_state(runner, topic):
    result = run_build(runner, *ARGS)
    assert result.exit_code == 0, result.output
    text = squeezed(pdf_text(PDF))
    assert squeezed("Contenido revisado 25 de noviembre de 2026") in text
    assert squeezed(NOT_REVIEWED) in text


def test_a_signed_deck_says_who_reviewed_the_translation_on_every_slide(runner, topic):
    from pptx import Presentation

    sign(topic)
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer",
                       "--lang", "es")
    assert result.exit_code == 0, result.output
    deck = Presentation("out/backwards-walking/es/backwards-walking-slides.pptx")
    for slide in deck.slides:
        notices = [s.text_frame.text for s in slide.shapes if s.name == "Translation notice"]
        assert notices == [REVIEWED], notices


def test_an_unsigned_template_strings_catalog_keeps_the_translation_unreviewed(runner, topic):
    sign(topic)
    shared = Path("templates/locales/es.po")
    po = polib.pofile(str(shared), wrapwidth=79)
    del po.metadata["X-Reviewed-By"]
    po.save(str(shared))
    result = run_build(runner, *ARGS)
    assert result.exit_code == 0, result.output
    text = squeezed(pdf_text(PDF))
    assert squeezed(NOT_REVIEWED) in text and squeezed(REVIEWED) not in text
    status = runner.invoke(cli, ["i18n", "status", "backwards-walking", "--lang", "es"])
    assert ("not reviewed: signed by Ana Ruiz, traductora médica, but the template strings' "
            "catalog templates/locales/es.po is not signed off (no X-Reviewed-By header)"
            ) in status.output
