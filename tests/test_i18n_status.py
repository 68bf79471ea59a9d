"""`i18n status --lang` lists what remains (safety first, with file:line) and explains its
columns; `i18n update` lists what it changed; catalog headers carry plural forms, the
content's date and how to sign off."""

from __future__ import annotations

import polib
import pytest

from conftest import BUNDLED
from handouts.cli import cli

MD = "backwards-walking.md"
SAFE_EN = "Stop the treadmill and hold the rails if you feel unsteady or start to lose"
PLAIN_EN = "Backward walking is walking in reverse. You step back, and your toes touch"


def i18n(runner, *args):
    return runner.invoke(cli, ["i18n", *args], catch_exceptions=False)


def line_of(path, text: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_status_lists_what_remains_safety_first_with_file_and_line(runner, topic):
    topic.edit(MD, PLAIN_EN, PLAIN_EN.replace("walking in reverse", "walking in reverse, slowly"))
    topic.edit(MD, SAFE_EN, SAFE_EN.replace("Stop the treadmill", "Stop the treadmill at once"))
    topic.edit(MD, "\n## ", "\nA new closing line.\n\n## ")  # a new paragraph, untranslated
    result = i18n(runner, "update", "backwards-walking", "--lang", "es")
    assert result.exit_code == 0, result.output
    result = i18n(runner, "status", "backwards-walking", "--lang", "es")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Columns: translated = " in out
    assert "catalog's sign-off (X-Reviewed-By and X-Reviewed-Date)" in out
    assert " ar " not in out  # only the language asked for
    po = topic.path("locales/es.po")
    lines = [line.strip() for line in out.splitlines() if line.startswith("  backwards-walking/")]
    assert lines[0].startswith("backwards-walking/locales/es.po:")
    entries = {e.msgctxt: e for e in polib.pofile(str(po)) if e.msgctxt}
    assert "SAFETY fuzzy: safety.patient-stop-now.p1 (patient)" in lines[0]
    assert any("fuzzy: what-is-it.p.backward-walking-is-walking-in-reverse (patient)" in line
               and "SAFETY" not in line for line in lines[1:])
    assert any("missing:" in line and "A new closing line." in line for line in lines[1:])
    assert "to do (1 SAFETY TEXT)" in out
    # every listed place is the entry's first line in the catalog
    po_lines = po.read_text("utf-8").splitlines()
    for line in lines:
        number = int(line.split(":")[1])
        ident = line.split(": ")[2].split(" (")[0]
        if ident in entries:
            block = "\n".join(po_lines[number - 1:number + 16])
            assert f'msgctxt "{ident}"' in block, (line, block)


def test_status_without_lang_keeps_its_table_and_says_what_remains(runner, topic):
    topic.edit(MD, PLAIN_EN, PLAIN_EN.replace("walking in reverse", "walking in reverse, slowly"))
    i18n(runner, "update", "backwards-walking", "--lang", "es")
    result = i18n(runner, "status", "backwards-walking")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "Still to do: ar 1, es 1, zh-Hans 1; list them with: handouts i18n status --lang LANG")


def test_status_of_a_complete_catalog_and_of_a_missing_one(runner):
    result = i18n(runner, "status", str(BUNDLED), "--lang", "zh-Hans", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "backwards-walking [zh-Hans]: nothing to do" in result.output
    assert "backwards-walking [fr]: no catalog; create it with: handouts i18n update" \
        in result.output


def test_update_lists_new_fuzzy_with_the_old_english_and_obsolete(runner, topic):
    topic.edit(MD, SAFE_EN, SAFE_EN.replace("Stop the treadmill", "Stop the treadmill at once"))
    topic.edit(MD, "\n## ", "\nA new closing line.\n\n## ")
    result = i18n(runner, "update", "backwards-walking", "--lang", "es")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "1 now fuzzy, 1 new, 0 obsolete" in out
    fuzzy = next(line for line in out.splitlines() if line.startswith("  fuzzy "))
    assert "SAFETY safety.patient-stop-now.p1: English was 'Stop the treadmill and hold" in fuzzy
    assert "now 'Stop the treadmill at once" in fuzzy
    po = topic.path("locales/es.po")
    number = int(fuzzy.split("es.po:")[1].split(":")[0])
    assert 'msgctxt "safety.patient-stop-now.p1"' in "\n".join(
        po.read_text("utf-8").splitlines()[number - 1:number + 16])
    new = next(line for line in out.splitlines() if line.startswith("  new "))
    assert "'A new closing line.'" in new
    # removing the paragraph again makes it... nothing: it was never translated; a removed
    # translated one becomes obsolete and is listed
    topic.edit(MD, "\nA new closing line.\n", "\n")
    topic.edit(MD, PLAIN_EN, "")
    result = i18n(runner, "update", "backwards-walking", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert any(line.startswith("  obsolete ") or line.startswith("  fuzzy ")
               for line in result.output.splitlines()), result.output


@pytest.mark.parametrize("language, plural", [
    ("es", "nplurals=2; plural=(n != 1);"),
    ("ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
           ": n%100>=11 ? 4 : 5);"),
    ("zh-Hans", "nplurals=1; plural=0;"),
])
def test_a_new_catalog_has_plural_forms_the_content_date_and_sign_off(runner, topic, language,
                                                                      plural):
    topic.path(f"locales/{language}.po").unlink()
    result = i18n(runner, "update", "backwards-walking", "--lang", language)
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(topic.path(f"locales/{language}.po")))
    assert po.metadata["Plural-Forms"] == plural
    assert po.metadata["POT-Creation-Date"] == "2026-11-25 00:00+0000"  # topic.yaml review_date
    assert "X-Reviewed-By: NAME, QUALIFICATION" in po.header
    assert "X-Reviewed-Date: YYYY-MM-DD" in po.header


def test_shipped_catalogs_carry_the_same_headers():
    for language in ("es", "ar", "zh-Hans"):
        po = polib.pofile(str(BUNDLED / "locales" / f"{language}.po"))
        assert po.metadata["Plural-Forms"].startswith("nplurals=")
        assert po.metadata["POT-Creation-Date"] != "2000-01-01 00:00+0000"
        assert "X-Reviewed-Date" in po.header
