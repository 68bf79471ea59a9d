"""Per-language builds and checks: filters on `check`, a stale catalog that blocks only its
own language, unlisted languages as usage errors, and template-string edits that re-render."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import run_build
from handouts.cli import cli
from readback import pdf_text

MD = "backwards-walking.md"
PLAIN_EN = "Backward walking is walking in reverse. You step back, and your toes touch"
PATIENT_LETTER = ("backwards-walking", "--out", "out", "--audience", "patient",
                  "--paper", "letter")


def check(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["check", *args], catch_exceptions=False)


def test_check_takes_the_filters_of_build(runner, topic):
    result = run_build(runner, *PATIENT_LETTER, "--lang", "en", "--lang", "es")
    assert result.exit_code == 0, result.output
    result = check(runner, *PATIENT_LETTER, "--lang", "en", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert "FAILED" not in result.output and "missing" not in result.output
    assert "backwards-walking/es/backwards-walking-patient.pdf" in result.output
    assert "clinician" not in result.output and "-a4" not in result.output
    # without the filters, the outputs the patient-only build did not make are missing
    result = check(runner, "backwards-walking", "--out", "out")
    assert result.exit_code == 1
    assert "built: missing: run handouts build" in result.output


def test_a_stale_catalog_blocks_only_its_own_language(runner, topic):
    topic.edit(MD, PLAIN_EN, PLAIN_EN.replace("walking in reverse", "walking in reverse, slowly"))
    result = run_build(runner, *PATIENT_LETTER, "--lang", "en", "--lang", "es")
    assert result.exit_code == 1
    assert ("the es translation of unit 'what-is-it.p.backward-walking-is-walking-in-reverse' "
            "translates an older English text" in result.output)
    assert "the outputs of those languages were not built" in result.output
    english = Path("out/backwards-walking/en/backwards-walking-patient.pdf")
    assert english.is_file()
    assert "walking in reverse, slowly" in " ".join(pdf_text(english).split())
    assert not Path("out/backwards-walking/es").exists()
    # English checks while Spanish is stale; Spanish fails as "not checked", naming the cause
    result = check(runner, *PATIENT_LETTER, "--lang", "en")
    assert result.exit_code == 0, result.output
    result = check(runner, *PATIENT_LETTER, "--lang", "en", "--lang", "es")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("backwards-walking/en/backwards-walking-patient.pdf")
               and " ok " in line for line in lines), result.output
    assert any(line.startswith("backwards-walking/es/backwards-walking-patient.pdf")
               and "FAILED" in line for line in lines), result.output
    assert "translation: not checked:" in result.output
    assert ("'what-is-it.p.backward-walking-is-walking-in-reverse' translates an older English "
            "text" in result.output)
    # Spanish alone: listed as not checked, not a content error
    result = check(runner, *PATIENT_LETTER, "--lang", "es")
    assert result.exit_code == 1
    assert "translation: not checked:" in result.output
    assert "nothing was written" not in result.output


def test_a_stale_catalog_alone_still_writes_nothing(runner, topic):
    topic.edit(MD, PLAIN_EN, PLAIN_EN.replace("walking in reverse", "walking in reverse, slowly"))
    result = run_build(runner, *PATIENT_LETTER, "--lang", "es")
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert not Path("out").exists()


def test_a_language_no_audience_lists_is_a_usage_error(runner, topic):
    for command in ("build", "check"):
        result = runner.invoke(cli, [command, "backwards-walking", "--out", "out", "--lang", "fr"])
        assert result.exit_code == 2, result.output
        assert "no audience is built in 'fr'" in result.output
        assert "one of: ar, en, es, zh-Hans" in result.output
        assert "Traceback" not in result.output
    assert not Path("out").exists()


def test_a_changed_template_string_translation_renders_again(runner, topic):
    args = (*PATIENT_LETTER, "--lang", "es")
    result = run_build(runner, *args)
    assert result.exit_code == 0, result.output
    result = run_build(runner, *args)
    assert "Rendered 0 output(s)" in result.output
    # the topic's catalog overrides the shared translation of a template string
    with topic.path("locales/es.po").open("a", encoding="utf-8") as catalog:
        catalog.write('\nmsgid "Page {page} of {pages}"\nmsgstr "Pág. {page} de {pages}"\n')
    result = run_build(runner, *args)
    assert result.exit_code == 0, result.output
    assert "Rendered 0 output(s)" not in result.output
    text = pdf_text(Path("out/backwards-walking/es/backwards-walking-patient.pdf"))
    assert "Pág. 1 de" in text
    result = check(runner, *args)
    assert result.exit_code == 0, result.output
