"""What an author reads: a structural error alone, fixes with every attribute, positions from 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_build
from handouts.load.schema import _dotted
from handouts.load.sections import read_content, statement_attributes

MD = "backwards-walking.md"
YAML = "topic.yaml"
RAILS_END = "walk backward. Keep hold of the safety rails the whole time.\n:::\n"
STOP_NOW = ('::: {.safety #patient-stop-now audience="patient" tier="stop"}\n'
            "Stop the treadmill and hold the rails if you feel unsteady or start to lose\n"
            "your balance.\n:::\n")


def problems(runner, topic) -> list[str]:
    """The problem lines of a build that failed on its content, nothing written."""
    result = run_build(runner, "backwards-walking", "--out", str(topic.root / "out"))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[-1].endswith("problem(s) found; nothing was written.")
    assert not (topic.root / "out").exists()
    return lines[:-1]


def read(text: str, tmp_path: Path):
    return read_content(text, "t.md", tmp_path)


# -- a structural error alone ---------------------------------------------------------

def test_an_unclosed_div_reports_itself_and_nothing_else(runner, topic):
    line = topic.line_of(MD, "#patient-rails")
    topic.edit(MD, RAILS_END, RAILS_END.removesuffix(":::\n"))
    assert problems(runner, topic) == [
        f"backwards-walking/{MD}:{line}: this ::: div is never closed (add a line with ::: "
        "where it should end)"]


def test_an_unclosed_div_keeps_its_statement_and_ends_at_the_next_heading(tmp_path):
    sections, found = read("## A {#a .patient}\n\n::: {.safety #s audience=\"patient\"}\n"
                           "Hold on.\n\n## B {#b .patient}\n\nAfter.\n", tmp_path)
    assert [p.message for p in found] == ["this ::: div is never closed"]
    first, second = sections
    statement = first.content[0]
    assert statement.id == "s" and [u.text for u in statement.units] == ["Hold on."]
    assert first.damaged and not second.damaged
    assert [u.text for b in second.content for u in b.units] == ["After."]


def test_a_heading_inside_a_closed_div_does_not_also_empty_its_statement(runner, topic):
    line = topic.line_of(MD, "#patient-falls")
    topic.edit(MD, '::: {.safety #patient-falls audience="patient"}\n',
               '::: {.safety #patient-falls audience="patient"}\n## Inside\n')
    assert problems(runner, topic) == [
        f"backwards-walking/{MD}:{line + 1}: a ## heading inside the ::: div opened at line "
        f"{line} (close the div with ::: before the heading)"]


def test_a_failed_opening_line_is_reported_once_not_again_at_its_closing(runner, topic):
    line = topic.line_of(MD, "#patient-stop-now")
    broken = STOP_NOW.replace('tier="stop"}', 'tier="stop"').replace("balance.\n:::",
                                                                     "balance.\n\n:::")
    topic.edit(MD, STOP_NOW, broken)
    assert problems(runner, topic) == [
        f"backwards-walking/{MD}:{line}: a ::: line that opens or closes no div: '::: "
        '{.safety #patient-stop-now audience="patient" tier="stop"\' (open a div with ::: '
        "{.patient} (braces closed) and close it with ::: alone on a line)"]


def test_a_stray_closing_line_is_still_reported(tmp_path):
    _, found = read("## A {#a}\n\nText.\n\n:::\n", tmp_path)
    assert [p.message for p in found] == ["a ::: line that opens or closes no div: ':::'"]


@pytest.mark.parametrize("markdown, message", [
    ('## A {#a .patient}\n\n::: {.safety #s audience="patient}\nT.\n:::\n',
     "cannot read the attributes"),
    ("## A {#a .patient}\n\n```\n::: {.safety #s}\nT.\n:::\n```\n",
     "a code block is not allowed in handout content"),
    ("## A {#a .patient}\n\n> ::: {.safety #s}\n> T.\n> :::\n",
     "a block quote is not allowed in handout content"),
    ("## A {#a .pateint}\n\nT.\n", "unknown audience or class '.pateint'"),
    ('## A {#a}\n\n::: {.safety #s audience="patients"}\nT.\n:::\n',
     "unknown audience 'patients'"),
    ("## A {#a}\n\n- one\n  - two\n", "a list inside a list"),
])
def test_each_structural_error_is_alone_and_marks_its_section(tmp_path, markdown, message):
    sections, found = read(markdown, tmp_path)
    assert len(found) == 1 and found[0].message.startswith(message), found
    assert sections[0].damaged


def test_text_before_the_first_heading_is_reported_once(tmp_path):
    _, found = read("One.\n\nTwo.\n\n- three\n\n### Four\n\n## A {#a}\n\nFive.\n", tmp_path)
    assert [(p.location.line, p.message) for p in found] == [
        (1, "text before the first ## heading")]


def test_a_sound_file_marks_nothing(tmp_path):
    sections, found = read("## A {#a .patient}\n\n::: {.safety #s audience=\"patient\"}\nT.\n"
                           ":::\n\nText [@k].\n", tmp_path)
    assert found == [] and not any(s.damaged for s in sections)


def test_after_a_structural_error_the_checks_that_count_content_wait(runner, topic):
    """A statement hidden by a code block is not also reported missing; a citation check,
    which does not count what the Markdown holds, still speaks."""
    line = topic.line_of(MD, "#patient-stop-now")
    topic.edit(MD, STOP_NOW, "```\n" + STOP_NOW + "```\n")
    topic.edit(MD, "[@thomas2018]", "[@thomas2019]")
    found = problems(runner, topic)
    assert any(f"{MD}:{line}: a code block is not allowed" in p for p in found)
    assert any("unknown citation key '@thomas2019'" in p for p in found)
    assert not any("required for the patient audience" in p for p in found)
    assert len(found) == 2


def test_once_the_structure_is_sound_the_missing_statement_is_reported(runner, topic):
    topic.edit(MD, STOP_NOW, "")
    line = topic.line_of(YAML, "- patient-stop-now")
    assert problems(runner, topic) == [
        f"backwards-walking/{YAML}:{line}: safety statement 'patient-stop-now' is required for "
        "the patient audience but is not in the content (add ::: {.safety #patient-stop-now "
        'audience="patient"} to the Markdown, or remove it from required_safety)']


# -- fixes carry every attribute ------------------------------------------------------

def test_a_missing_statement_is_suggested_with_the_tier_topic_yaml_requires(runner, topic):
    topic.edit(YAML, "      - patient-stop-now\n", "      - {id: patient-stop-now, tier: stop}\n")
    topic.edit(MD, STOP_NOW, "")
    line = topic.line_of(YAML, "{id: patient-stop-now")
    assert problems(runner, topic) == [
        f"backwards-walking/{YAML}:{line}: safety statement 'patient-stop-now' is required for "
        "the patient audience but is not in the content (add ::: {.safety #patient-stop-now "
        'audience="patient" tier="stop"} to the Markdown, or remove it from required_safety)']


def test_a_statement_that_lost_its_required_tier_fails(runner, topic):
    topic.edit(YAML, "      - patient-stop-now\n", "      - {id: patient-stop-now, tier: stop}\n")
    topic.edit(MD, ' tier="stop"}', "}")
    yaml_line, md_line = topic.line_of(YAML, "{id: patient-stop-now"), topic.line_of(
        MD, "#patient-stop-now")
    assert problems(runner, topic) == [
        f"backwards-walking/{MD}:{md_line}: safety statement 'patient-stop-now' has no tier, "
        f'but backwards-walking/{YAML}:{yaml_line} requires tier="stop" for the patient '
        'audience (write tier="stop" in its attributes, or change the tier in topic.yaml)']


def test_a_statement_without_an_id_is_suggested_with_its_own_attributes(tmp_path):
    _, found = read('## A {#a}\n\n::: {.safety .patient tier="call"}\nT.\n:::\n', tmp_path)
    assert [(p.message, p.hint) for p in found] == [
        ("a safety statement without an id",
         'give it one: ::: {.safety #fall-risk .patient tier="call"}')]


def test_statement_attributes_name_everything_given():
    assert statement_attributes("x", "patient", "stop") == \
        '{.safety #x audience="patient" tier="stop"}'
    assert statement_attributes("x", "clinician") == '{.safety #x audience="clinician"}'
    assert statement_attributes("x", None, None, ["patient"]) == "{.safety #x .patient}"


# -- positions count from 1 -----------------------------------------------------------

def test_list_positions_in_key_paths_count_from_one():
    assert _dotted(("plan", "fields", 4, "label")) == "plan.fields[5].label"
    assert _dotted(("evidence", "studies", 0)) == "evidence.studies[1]"
    assert _dotted(("training", "questions", 1, "answer")) == "training.questions[2].answer"
    assert _dotted(("audiences", "patient", "title")) == "audiences.patient.title"


def test_the_fifth_plan_line_is_called_the_fifth(runner, topic):
    topic.edit(YAML, "      label: Treadmill speed\n",
               "      label: Treadmill speed\n    - id: incline\n      label: [Incline]\n")
    line = topic.line_of(YAML, "label: [Incline]")
    assert problems(runner, topic) == [
        f"backwards-walking/{YAML}:{line}: 'plan.fields[5].label' should be text, got a list "
        "(write it as text, in quotes if unsure)"]


def test_a_duplicate_in_a_list_is_named_by_its_value(runner, topic):
    topic.edit(YAML, "      - patient-support\n", "      - patient-rails\n")
    line = topic.line_of(YAML, "      - patient-start-slow") + 1
    found = problems(runner, topic)
    assert found[0] == (f"backwards-walking/{YAML}:{line}: 'patient-rails' is listed twice in "
                        "'audiences.patient.required_safety' (remove the duplicate)")


def test_a_statement_without_an_id_or_audience_is_not_given_a_guessed_one(tmp_path):
    _, found = read("## A {#a .clinician}\n\n::: {.safety}\nT.\n:::\n", tmp_path)
    assert [p.hint for p in found] == ["give it one: ::: {.safety #fall-risk}"]
