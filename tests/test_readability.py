"""Patient prose is measured and gated at the topic's max_grade."""

from __future__ import annotations

from conftest import BUNDLED, run_build
from handouts.load import load_document
from handouts.plan.readability import measure
from handouts.plan.selection import select

MD = "backwards-walking.md"
HARD = ("Notwithstanding considerable methodological heterogeneity, contemporary "
        "systematic investigations demonstrate statistically significant improvements "
        "in proprioceptive neuromuscular coordination following retrograde ambulation.")


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


def test_clinician_prose_is_not_gated():
    document = load_document(BUNDLED).document
    assert document.topic.audiences["clinician"].max_grade is None
