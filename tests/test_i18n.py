"""The translator workflow: extract, update (merge), status, and what builds accept."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import BUNDLED, REPOSITORY, run_build
from handouts.cli import cli
from readback import pdf_text, squeezed

MD = "backwards-walking.md"
LANGUAGES = ("es", "ar", "zh-Hans")
SAFE_EN = "Stop the treadmill and hold the rails if you feel unsteady or start to lose"
PLAIN_EN = "Backward walking is walking in reverse. You step back, and your toes touch"


def i18n(runner, *args):
    return runner.invoke(cli, ["i18n", *args], catch_exceptions=False)


def catalog(topic, language) -> polib.POFile:
    return polib.pofile(str(topic.folder / "locales" / f"{language}.po"))


def entry(po: polib.POFile, context: str) -> polib.POEntry:
    return next(e for e in po if e.msgctxt == context)


def test_extract_writes_every_unit_with_id_place_audience_and_safety_mark(runner, topic):
    result = i18n(runner, "extract", "backwards-walking")
    assert result.exit_code == 0, result.output
    pot = polib.pofile(str(topic.folder / "locales" / "backwards-walking.pot"))
    rails = entry(pot, "safety.patient-rails.p1")
    assert rails.msgid.startswith("**Use a treadmill and hold the rails.**")
    assert rails.occurrences == [(MD, str(topic.line_of(MD, "**Use a treadmill")))]
    assert "audience: patient" in rails.comment and "SAFETY TEXT" in rails.comment
    plain = entry(pot, "what-is-it.p.backward-walking-is-walking-in-reverse")
    assert "SAFETY" not in plain.comment
    assert entry(pot, "topic.audiences.patient.title").occurrences[0][0] == "topic.yaml"
    assert entry(pot, "topic.evidence.studies.lin2025.finding").comment.startswith(
        "audience: clinician, trainer")
    assert not [e for e in pot if e.msgctxt is None]  # template strings: the shared catalog
    shutil.copytree(REPOSITORY / "templates", "templates")
    result = i18n(runner, "update-templates", "--lang", "es", "--templates", "templates")
    assert result.exit_code == 0, result.output
    shared = polib.pofile("templates/locales/templates.pot")
    templates = {e.msgid: e for e in shared if e.msgctxt is None}
    for text in ("References", "Page {page} of {pages}", "When to stop and ask for help",
                 "Your plan", "This handout is for information only.", "(cont.)"):
        assert text in templates, text
    page = templates["Page {page} of {pages}"]
    assert any(path == "templates/macros.html.j2" for path, _ in page.occurrences)
    assert "template string" in page.comment


def test_shipped_catalogs_are_complete_for_the_languages_topic_yaml_lists(runner):
    result = i18n(runner, "status", str(BUNDLED))
    assert result.exit_code == 0
    rows = [line.split() for line in result.output.splitlines()[1:]]
    by_key = {(row[1], row[2]): row for row in rows}
    assert set(by_key) == {("es", "patient"), ("es", "clinician"), ("es", "trainer"),
                           ("ar", "patient"), ("zh-Hans", "patient")}
    for row in rows:
        translated, fuzzy, missing, safety = row[3], row[4], row[5], row[6]
        assert (fuzzy, missing) == ("0", "0") and safety.endswith("/0/0"), row
        assert int(translated) > 40


def _counts(po: polib.POFile, audience: str) -> tuple[int, int, int]:
    """translated / fuzzy / missing for one audience, read straight from the catalog."""
    mine = [e for e in po if not e.obsolete and (
        f"audience: {audience}" in e.comment or re.search(
            rf"audience: [a-z, ]*\b{audience}\b", e.comment) or (
            "template string for:" in e.comment and audience in e.comment))]
    fuzzy = sum(1 for e in mine if "fuzzy" in e.flags)
    missing = sum(1 for e in mine if not e.msgstr)
    return len(mine) - fuzzy - missing, fuzzy, missing


def test_status_numbers_match_the_catalogs(runner, topic):
    topic.edit(MD, PLAIN_EN, PLAIN_EN.replace("walking in reverse", "walking in reverse, slowly"))
    i18n(runner, "update", "backwards-walking", "--lang", "es")
    po = catalog(topic, "es")
    result = i18n(runner, "status", "backwards-walking")
    rows = {tuple(line.split()[1:3]): line.split() for line in result.output.splitlines()[1:]}
    for audience in ("patient", "clinician", "trainer"):
        shared = polib.pofile(str(REPOSITORY / "templates" / "locales" / "es.po"))
        translated, fuzzy, missing = _counts(list(po) + list(shared), audience)
        row = rows[("es", audience)]
        safety = [int(n) for n in row[6].split("/")]
        shown = (int(row[3]) + safety[0], int(row[4]) + safety[1], int(row[5]) + safety[2])
        assert shown == (translated, fuzzy, missing), audience
        in_catalog = sum(1 for e in po if e.msgctxt and e.msgctxt.startswith("safety.")
                         and f"{audience}" in e.comment.split("\n")[0])
        assert sum(safety) == in_catalog, audience
    assert rows[("es", "patient")][4] == "1"
    assert rows[("es", "patient")][-2:] == ["NOT", "REVIEWED"]


def test_changed_safety_sentence_turns_fuzzy_everywhere_and_stops_every_build(runner, topic):
    topic.edit(MD, SAFE_EN, SAFE_EN.replace("Stop the treadmill", "Stop the treadmill at once"))
    result = i18n(runner, "update", "backwards-walking", *[a for lang in LANGUAGES
                                                            for a in ("--lang", lang)])
    assert result.exit_code == 0, result.output
    line = topic.line_of(MD, "#patient-stop-now") + 1
    for language in LANGUAGES:
        changed = entry(catalog(topic, language), "safety.patient-stop-now.p1")
        assert "fuzzy" in changed.flags
        assert changed.previous_msgid.startswith("Stop the treadmill and hold the rails")
        assert changed.msgid.startswith("Stop the treadmill at once")
        assert changed.msgstr  # the old translation stays for the translator to fix
    for language in LANGUAGES:
        result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                           "--lang", language, "--allow-partial")
        assert result.exit_code == 1
        assert (f"backwards-walking/{MD}:{line}: the {language} translation of safety unit "
                "'safety.patient-stop-now.p1' is marked fuzzy (stale) in "
                f"backwards-walking/locales/{language}.po") in result.output
        assert "safety text is never built partly translated" in result.output
    assert not Path("out").exists()


def test_changed_sentence_is_stale_even_before_update(runner, topic):
    topic.edit(MD, SAFE_EN, SAFE_EN.replace("Stop the treadmill", "Stop the treadmill at once"))
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "es")
    assert result.exit_code == 1
    assert ("the es translation of safety unit 'safety.patient-stop-now.p1' translates an older "
            "English text") in result.output
    assert "run: handouts i18n update backwards-walking --lang es" in result.output


def test_changed_plain_sentence_fails_unless_partial_then_says_draft(runner, topic):
    topic.edit(MD, PLAIN_EN, PLAIN_EN.replace("walking in reverse", "walking in reverse, slowly"))
    i18n(runner, "update", "backwards-walking", "--lang", "es")
    args = ("backwards-walking", "--out", "out", "--audience", "patient", "--lang", "es",
            "--paper", "letter")
    result = run_build(runner, *args)
    assert result.exit_code == 1
    line = topic.line_of(MD, "Backward walking is walking in reverse")
    assert (f"backwards-walking/{MD}:{line}: the es translation of unit "
            "'what-is-it.p.backward-walking-is-walking-in-reverse' is marked fuzzy (stale)"
            ) in result.output
    assert "or build with --allow-partial" in result.output
    result = run_build(runner, *args, "--allow-partial")
    assert result.exit_code == 0, result.output
    for name in ("backwards-walking-patient.pdf", "backwards-walking-patient-large.pdf"):
        path = Path("out/backwards-walking/es") / name
        from pypdf import PdfReader
        for page in PdfReader(path).pages:
            assert "BORRADOR – traducción incompleta" in page.extract_text()
        assert squeezed("walking in reverse, slowly") in squeezed(pdf_text(path))


def test_partial_deck_is_marked_draft_on_every_slide(runner, topic):
    topic.edit(MD, "Open with where the practice comes from.",
               "Open with where the practice comes from, briefly.")
    i18n(runner, "update", "backwards-walking", "--lang", "es")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer",
                       "--lang", "es", "--allow-partial")
    assert result.exit_code == 0, result.output
    from pptx import Presentation
    deck = Presentation("out/backwards-walking/es/backwards-walking-slides.pptx")
    for slide in deck.slides:
        notice = [s.text_frame.text for s in slide.shapes if s.name == "Translation notice"]
        assert notice and notice[0].startswith("BORRADOR – traducción incompleta")


def test_removed_unit_becomes_obsolete_and_new_unit_untranslated(runner, topic):
    last_point = ("- If you are frail or older, or walking is hard for you, do it only with\n"
                  "  safety help.\n")
    topic.edit(MD, last_point, "\nA new closing line.\n")
    old = catalog(topic, "es")
    before = entry(old, "key-points.li.if-you-are-frail-or-older")
    already = {(e.msgctxt, e.msgid) for e in old if e.obsolete}  # kept, as msgmerge keeps them
    i18n(runner, "update", "backwards-walking", "--lang", "es")
    po = catalog(topic, "es")
    obsolete = [e for e in po if e.obsolete and (e.msgctxt, e.msgid) not in already]
    assert [(e.msgctxt, e.msgstr) for e in obsolete] == [
        ("key-points.li.if-you-are-frail-or-older", before.msgstr)]
    new = entry(po, "key-points.p.a-new-closing-line")
    assert new.msgid == "A new closing line." and new.msgstr == "" and "fuzzy" not in new.flags
    # untouched neighbours keep their translation
    assert entry(po, "key-points.li.falls-are-the-main-danger-use").msgstr


def test_update_twice_changes_nothing(runner, topic):
    i18n(runner, "update", "backwards-walking", "--lang", "es")
    first = (topic.folder / "locales" / "es.po").read_bytes()
    i18n(runner, "update", "backwards-walking", "--lang", "es")
    assert (topic.folder / "locales" / "es.po").read_bytes() == first
    assert first == (BUNDLED / "locales" / "es.po").read_bytes()


def test_translation_that_drops_a_citation_is_refused(runner, topic):
    po = catalog(topic, "es")
    falls = entry(po, "safety.patient-falls.p1")
    falls.msgstr = falls.msgstr.replace(" [@thomas2000]", "")
    po.save()
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "es")
    assert result.exit_code == 1
    assert ("the es translation of unit 'safety.patient-falls.p1' drops the citation "
            "[@thomas2000]") in result.output


def test_reviewed_catalog_drops_the_not_reviewed_footer(runner, topic, monkeypatch):
    from test_review_state import signed_templates

    signed_templates(topic.root, monkeypatch)  # the template strings' catalog is signed too
    po = catalog(topic, "es")
    po.metadata["X-Reviewed-By"] = "A. Translator, certified medical translator, 2026-11-25"
    po.save()
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "es", "--paper", "letter")
    assert result.exit_code == 0, result.output
    text = pdf_text(Path("out/backwards-walking/es/backwards-walking-patient.pdf"))
    assert "Traducción aún no revisada" not in text
    result = i18n(runner, "status", "backwards-walking")
    assert "reviewed by A. Translator" in result.output


def test_spanish_readability_is_reported_and_gated(runner, topic):
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "es", "--paper", "letter")
    assert result.exit_code == 0, result.output
    assert re.search(r"patient \[es\] readability: INFLESZ \d+\.\d, Fernández-Huerta \d+\.\d "
                     r"\((bastante fácil|muy fácil)\)", result.output)
    po = catalog(topic, "es")
    hard = ("La deambulación retrógrada constituye una intervención terapéutica "
            "multidimensional cuya implementación requiere consideraciones biomecánicas "
            "extraordinariamente pormenorizadas.")
    for context in ("what-is-it.p.backward-walking-is-walking-in-reverse",
                    "what-is-it.p.therapists-use-it-to-treat-knee",
                    "how-to.p.falls-are-the-main-danger-follow",
                    "why.li.your-toes-land-first-not-your", "why.li.it-makes-the-muscles-on-the",
                    "why.li.it-works-the-muscle-on-the",
                    "key-points.li.backward-walking-may-help-your-balance",
                    "key-points.li.do-it-along-with-your-other"):
        entry(po, context).msgstr = hard
    po.save()
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "es")
    assert result.exit_code == 1
    assert "the patient prose [es] reads at INFLESZ" in result.output
    assert "below the min_inflesz 65 set in topic.yaml" in result.output


def test_arabic_and_chinese_report_sentence_length(runner, topic):
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "ar", "--lang", "zh-Hans", "--paper", "a4")
    assert result.exit_code == 0, result.output
    assert re.search(r"patient \[ar\] readability: words per sentence \d", result.output)
    assert re.search(r"patient \[zh-Hans\] readability: characters per sentence \d",
                     result.output)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed; "
                    "the set-up (scripts/install-system-packages) installs it")
@pytest.mark.parametrize("name", ["es.po", "ar.po", "zh-Hans.po", "backwards-walking.pot"])
def test_catalogs_pass_msgfmt_and_survive_a_msgcat_round_trip(tmp_path, name):
    path = BUNDLED / "locales" / name
    if name.endswith(".po"):
        subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(path)],
                       check=True, capture_output=True)
    subprocess.run(["msgcat", "-o", str(tmp_path / name), str(path)], check=True)
    assert (tmp_path / name).read_bytes() == path.read_bytes()


def test_i18n_commands_have_help_with_examples(runner):
    for command in ("extract", "update", "update-templates", "status"):
        result = runner.invoke(cli, ["i18n", command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output
    assert REPOSITORY.joinpath("templates/slides/strings.yaml").is_file()
