"""Translations survive editing: each entry is matched by a key that insertions,
re-wrapping and reordering leave alone, and by its English where the key changed."""

from __future__ import annotations

import re

import polib
import pytest

from handouts.cli import cli

MD = "backwards-walking.md"
LANGUAGES = ("es", "ar", "zh-Hans")
FIRST_PARAGRAPH = ("Backward walking is walking in reverse. You step back, and your toes touch\n"
                   "the ground first.\n")
KEY_POINTS = ("## Key points {#key-points .patient .summary}\n\n"
              "- Backward walking may help your balance and your knees.\n"
              "- Do it along with your other exercises, not on its own.\n"
              "- Falls are the main danger. Use a treadmill, hold the rails and start slow.\n"
              "- If you are frail or older, or walking is hard for you, do it only with\n"
              "  safety help.\n\n")


def translations(path) -> dict[tuple[str | None, str], tuple[str, bool]]:
    """(context, msgid) -> (msgstr, fuzzy) of every live entry."""
    return {(e.msgctxt, e.msgid): (e.msgstr, "fuzzy" in e.flags)
            for e in polib.pofile(str(path)) if not e.obsolete}


def update(runner, language: str):
    result = runner.invoke(cli, ["i18n", "update", "backwards-walking", "--lang", language],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def counts(output: str) -> tuple[int, int, int, int]:
    found = re.search(r"(\d+) kept, (\d+) now fuzzy, (\d+) new, (\d+) obsolete", output)
    assert found, output
    return tuple(int(n) for n in found.groups())


@pytest.mark.parametrize("language", LANGUAGES)
def test_insert_rewrap_and_reorder_keep_every_translation_and_add_only_the_new(
        runner, topic, language):
    catalog = topic.path(f"locales/{language}.po")
    before = translations(catalog)
    # a paragraph at the top of the first section, and a plan line at the top of the plan
    topic.edit(MD, FIRST_PARAGRAPH, "Read this first: it is new.\n\n" + FIRST_PARAGRAPH)
    topic.edit("topic.yaml", "  fields:\n", "  fields:\n    - id: goal\n      label: Your goal\n")
    # a paragraph re-wrapped without changing a word
    topic.edit(MD, "They had less pain and less disability [@lin2025]. There is no\nstrong",
               "They had less pain\nand less disability [@lin2025]. There is no strong")
    # two sections swapped: the key points move to the top
    topic.edit(MD, KEY_POINTS, "")
    topic.edit(MD, "## What is backward walking?", KEY_POINTS + "## What is backward walking?")
    output = update(runner, language)
    after = translations(catalog)

    kept, fuzzy, new, obsolete = counts(output)
    assert (fuzzy, new, obsolete) == (0, 2, 0), output
    assert kept == len(before), output
    assert not any(is_fuzzy for _, is_fuzzy in after.values())
    assert set(before.items()) <= set(after.items())  # same id, English and translation
    added = {key: value for key, value in after.items() if key not in before}
    assert added == {("topic.plan.fields.goal.label", "Your goal"): ("", False),
                     ("what-is-it.p.read-this-first-it-is-new", "Read this first: it is new."):
                         ("", False)}
    assert "new      backwards-walking/locales/" in output and "Your goal" in output


def test_an_edited_sentence_is_offered_its_own_old_translation_as_fuzzy(runner, topic):
    old = translations(topic.path("locales/es.po"))
    # the first words change, so its key does: it is found again by its English
    topic.edit(MD, "Backward walking is walking in reverse.", "Walking backward is walking "
               "in reverse.")
    # and a plan line relabelled keeps its id, so it keeps its entry
    topic.edit("topic.yaml", "label: Start date", "label: Date to start")
    output = update(runner, "es")
    assert counts(output)[1:] == (2, 0, 0), output
    po = polib.pofile(str(topic.path("locales/es.po")))
    moved = next(e for e in po if e.msgid.startswith("Walking backward is walking in reverse"))
    assert moved.msgctxt == "what-is-it.p.walking-backward-is-walking-in-reverse"
    assert "fuzzy" in moved.flags
    assert moved.previous_msgid == ("Backward walking is walking in reverse. You step back, "
                                    "and your toes touch the ground first.")
    assert moved.msgstr == old[("what-is-it.p.backward-walking-is-walking-in-reverse",
                                moved.previous_msgid)][0]
    start = next(e for e in po if e.msgctxt == "topic.plan.fields.start-date.label")
    assert start.msgid == "Date to start" and "fuzzy" in start.flags
    assert start.msgstr == "Fecha de inicio" and start.previous_msgid == "Start date"


def test_catalog_english_is_whitespace_normalised(topic):
    po = polib.pofile(str(topic.path("locales/es.po")))
    assert all("\n" not in e.msgid for e in po if not e.obsolete)
    first = next(e for e in po
                 if e.msgctxt == "what-is-it.p.backward-walking-is-walking-in-reverse")
    assert first.msgid == ("Backward walking is walking in reverse. You step back, and your toes "
                           "touch the ground first.")


def test_ids_come_from_the_authors_ids_where_there_are_some(topic):
    po = polib.pofile(str(topic.path("locales/es.po")))
    contexts = {e.msgctxt for e in po if not e.obsolete}
    assert {"topic.plan.fields.start-date.label", "topic.plan.fields.speed.label",
            "topic.evidence.studies.lin2025.finding", "safety.patient-rails.p1",
            "how-to.title"} <= contexts
    assert not [c for c in contexts if c and re.search(r"\.\d+(\.|$)|\.[pl]\d", c)
                and not c.startswith("safety.")]
