"""The care setting: who the patient turns to comes from topic.yaml, never from the template."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from conftest import REPOSITORY, run_build
from handouts.cli import cli
from readback import pdf_text, squeezed

INSTRUCTOR = """
care_setting:
  call: Call your instructor
  plan_note: Your instructor fills this in with you.
  follow_plan: Follow the plan your instructor made for you.
"""
DEFAULTS = ("Call your care team", "Your care team fills this in with you.",
            "Follow the plan your care team made for you.")
TEMPLATE = REPOSITORY / "templates" / "patient" / "handout.html.j2"


def new_topic(runner, root: Path, care: str = "") -> Path:
    """A topic from `handouts new` (neutral wording, a call-tier statement and a plan)."""
    result = runner.invoke(cli, ["new", "class-topic", "--content", str(root)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    folder = root / "class-topic"
    if care:
        with (folder / "topic.yaml").open("a", encoding="utf-8") as file:
            file.write(care)
    return folder


def patient_text(runner, folder: Path, out: Path, language: str = "en") -> str:
    result = run_build(runner, str(folder), "--out", str(out), "--audience", "patient",
                       "--lang", language, "--paper", "letter")
    assert result.exit_code == 0, result.output
    return pdf_text(out / folder.name / language / f"{folder.name}-patient.pdf")


def found(text: str, words: str) -> bool:
    """Found whatever the case (the tier line is set in capitals) and line breaks."""
    return squeezed(words).lower() in squeezed(text).lower()


def test_another_care_setting_prints_its_own_words_and_no_therapist(runner, tmp_path):
    folder = new_topic(runner, tmp_path, INSTRUCTOR)
    text = patient_text(runner, folder, tmp_path / "out")
    for words in ("Call your instructor", "Your instructor fills this in with you.",
                  "Follow the plan your instructor made for you."):
        assert found(text, words), words
    assert "therapist" not in text.lower()
    assert not any(found(text, words) for words in DEFAULTS)


def test_without_the_block_the_handout_names_the_care_team(runner, tmp_path):
    folder = new_topic(runner, tmp_path)
    assert "care_setting:" not in re.sub(r"(?m)^#.*$", "", (folder / "topic.yaml").read_text())
    text = patient_text(runner, folder, tmp_path / "out")
    for words in DEFAULTS:
        assert found(text, words), words
    assert "therapist" not in text.lower()


def test_one_line_set_leaves_the_others_neutral(runner, tmp_path):
    folder = new_topic(runner, tmp_path, "\ncare_setting:\n  call: Call the pharmacy\n")
    text = patient_text(runner, folder, tmp_path / "out")
    assert found(text, "Call the pharmacy")
    assert found(text, DEFAULTS[1]) and found(text, DEFAULTS[2])
    assert not found(text, DEFAULTS[0])


def test_the_template_names_no_role():
    """Every line that names who the patient turns to comes from the care setting."""
    template = TEMPLATE.read_text("utf-8")
    assert "therapist" not in template.lower()
    for key in ("call", "plan_note", "follow_plan"):
        assert f'care_lines.get("{key}")' in template


def test_the_bundled_topic_keeps_its_wording(runner, topic):
    text = patient_text(runner, topic.folder, topic.root / "out")
    for words in ("Call your therapist", "Your therapist fills this in with you.",
                  "It does not replace the advice of your care team. Follow the plan your "
                  "therapist made for you."):
        assert found(text, words), words


def test_the_bundled_topic_keeps_its_spanish_wording(runner, topic):
    text = patient_text(runner, topic.folder, topic.root / "out", "es")
    for words in ("Llame a su terapeuta", "Su terapeuta lo completa con usted.",
                  "No reemplaza los consejos de su equipo de salud. Siga el plan que su "
                  "terapeuta hizo para usted."):
        assert found(text, words), words


def test_care_lines_are_topic_units_translated_in_the_topics_catalog(runner, tmp_path):
    folder = new_topic(runner, tmp_path, INSTRUCTOR)
    result = runner.invoke(cli, ["i18n", "extract", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pot = polib.pofile(str(folder / "locales" / "class-topic.pot"))
    units = {e.msgctxt: e for e in pot if e.msgctxt}
    call = units["topic.care_setting.call"]
    assert call.msgid == "Call your instructor"
    assert "audience: patient" in call.comment
    assert units["topic.care_setting.plan_note"].msgid == "Your instructor fills this in with you."
    assert units["topic.care_setting.follow_plan"].msgid == ("Follow the plan your instructor "
                                                             "made for you.")
    lines = (folder / "topic.yaml").read_text("utf-8").splitlines()
    assert call.occurrences == [("topic.yaml", str(lines.index("  call: Call your instructor")
                                                   + 1))]
    # The neutral wording is a template string (in the catalogs every topic shares): whole
    # sentences, no {role} to splice in.
    assert not [e for e in pot if not e.msgctxt]
    shared = polib.pofile(str(REPOSITORY / "templates" / "locales" / "templates.pot"))
    strings = {e.msgid for e in shared if not e.msgctxt}
    assert set(DEFAULTS) <= strings
    assert "It does not replace the advice of your care team. {follow_plan}" in strings
    assert not any("{role}" in s for s in strings)


def test_a_translated_care_setting_is_printed(runner, tmp_path):
    folder = new_topic(runner, tmp_path, INSTRUCTOR)
    topic_yaml = folder / "topic.yaml"
    topic_yaml.write_text(topic_yaml.read_text("utf-8").replace(
        "    max_grade: 6\n", "    max_grade: 6\n    languages: [en, es]\n"), "utf-8")
    result = runner.invoke(cli, ["i18n", "update", str(folder), "--lang", "es"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = folder / "locales" / "es.po"
    catalog = polib.pofile(str(path))
    spanish = {"Call your instructor": "Llame a su instructor",
               "Your instructor fills this in with you.": "Su instructor lo completa con usted.",
               "Follow the plan your instructor made for you.":
                   "Siga el plan que su instructor hizo para usted."}
    for entry in catalog:  # the care lines and the safety text (never built untranslated)
        if entry.msgid in spanish:
            entry.msgstr = spanish[entry.msgid]
        elif (entry.msgctxt or "").startswith("safety."):
            entry.msgstr = "ES " + entry.msgid
    catalog.save(str(path))
    result = run_build(runner, str(folder), "--out", str(tmp_path / "out"), "--audience",
                       "patient", "--lang", "es", "--paper", "letter", "--allow-partial")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "class-topic" / "es" / "class-topic-patient.pdf")
    for words in ("Llame a su instructor", "Su instructor lo completa con usted.",
                  "Siga el plan que su instructor hizo para usted."):
        assert found(text, words), words
    assert "instructor made" not in text


@pytest.mark.parametrize("key", ["call", "plan_note", "follow_plan"])
def test_a_care_line_must_be_text(runner, tmp_path, key):
    folder = new_topic(runner, tmp_path, f"\ncare_setting:\n  {key}: [a, list]\n")
    result = run_build(runner, str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"'care_setting.{key}' should be text, got a list" in result.output
