"""Every kind of bad input: `path:line: message (what to do)`, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

from conftest import run_build

MD = "backwards-walking.md"
YAML = "topic.yaml"
BIB = "references.json"


def failed_build(runner, topic) -> str:
    """Build the copy; assert it failed as a content error and wrote nothing."""
    out = topic.root / "out"
    result = run_build(runner, "backwards-walking", "--out", str(out))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(p.suffix == ".pdf" for p in out.rglob("*"))
    assert "nothing was written" in result.output
    return result.output


def test_unknown_citation_key(runner, topic):
    topic.edit(MD, "[@thomas2018]", "[@thomas2019]")
    line = topic.line_of(MD, "- It uses more energy")
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{MD}:{line}: unknown citation key '@thomas2019' (add it to "
            "references.json or use one of: balasukumaran2019, cha2016") in output


def test_required_safety_statement_missing(runner, topic):
    topic.edit(MD, "{.safety #patient-rails", "{.safety #patient-railings")
    line = topic.line_of(YAML, "- patient-rails")
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{YAML}:{line}: safety statement 'patient-rails' is required for "
            "the patient audience but is not in the content") in output


def test_required_safety_statement_not_shown_to_its_audience(runner, topic):
    topic.edit(YAML, "      - clinician-treadmill\n", "      - clinician-treadmill\n"
               "      - patient-falls\n")
    line = topic.line_of(MD, "#patient-falls")
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{MD}:{line}: safety statement 'patient-falls' is required for "
            "the clinician audience but is not shown to it (add clinician to its audience "
            "attribute)") in output


def test_unknown_audience_name_in_a_div(runner, topic):
    topic.edit(MD, '{.safety #patient-falls audience="patient"}',
               '{.safety #patient-falls audience="patients"}')
    line = topic.line_of(MD, "#patient-falls")
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{MD}:{line}: unknown audience 'patients' (did you mean "
            "'patient'? valid: patient, clinician, trainer)") in output


def test_unknown_audience_class_on_a_heading(runner, topic):
    topic.edit(MD, "{#why .patient}", "{#why .pateint}")
    line = topic.line_of(MD, "{#why .pateint}")
    output = failed_build(runner, topic)
    assert f"backwards-walking/{MD}:{line}: unknown audience or class '.pateint' (did you " \
           "mean 'patient'?" in output


def test_unknown_audience_in_topic_yaml(runner, topic):
    topic.edit(YAML, "  trainer:\n", "  trainers:\n")
    line = topic.line_of(YAML, "  trainers:")
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{YAML}:{line}: unknown audience 'trainers' (did you mean "
            "'trainer'?") in output


def test_unclosed_div(runner, topic):
    topic.edit(MD, "walk backward. Keep hold of the safety rails the whole time.\n:::\n",
               "walk backward. Keep hold of the safety rails the whole time.\n")
    line = topic.line_of(MD, "#patient-rails")
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{MD}:{line}: this ::: div is never closed (add a line with ::: "
            "where it should end)") in output


def test_broken_yaml_names_its_line(runner, topic):
    topic.edit(YAML, "version: \"1.0\"", "version: [\"1.0\"")
    output = failed_build(runner, topic)
    assert f"backwards-walking/{YAML}:" in output
    assert "YAML syntax error" in output
    assert "(check indentation (spaces, not tabs), colons and quotes)" in output
    line = int(output.split(f"backwards-walking/{YAML}:")[1].split(":")[0])
    assert line in (topic.line_of(YAML, "version:"), topic.line_of(YAML, "version:") + 1)


def test_field_of_the_wrong_type_says_what_was_expected(runner, topic):
    topic.edit(YAML, "max_grade: 6", "max_grade: six")
    topic.edit(YAML, "review_date: 2026-11-25", "review_date: soon")
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{YAML}:{topic.line_of(YAML, 'max_grade')}: "
            "'audiences.patient.max_grade' should be a number from 1 to 18, got text 'six'") in output
    assert (f"backwards-walking/{YAML}:{topic.line_of(YAML, 'review_date')}: 'review_date' "
            "should be a date written YYYY-MM-DD, got text 'soon' (for example 2026-11-25, "
            "without quotes)") in output


def test_missing_required_field(runner, topic):
    topic.edit(YAML, "owner: Clinical Education Team\n", "")
    output = failed_build(runner, topic)
    first_key = topic.line_of(YAML, "id: backwards-walking")
    assert (f"backwards-walking/{YAML}:{first_key}: the file is missing the required key 'owner' "
            "(add 'owner:' (who is responsible for the content (a team or a person)))") in output


def test_unknown_key_suggests_the_right_one(runner, topic):
    topic.edit(YAML, "review_date:", "reviewed_date:")
    output = failed_build(runner, topic)
    assert "unknown key 'reviewed_date' (did you mean 'review_date'?" in output


def test_duplicate_safety_id(runner, topic):
    topic.edit(MD, "{.safety #patient-start-slow", "{.safety #patient-rails")
    first = topic.line_of(MD, "{.safety #patient-rails")
    lines = (topic.path(MD)).read_text().splitlines()
    second = [i for i, line in enumerate(lines, 1) if "{.safety #patient-rails" in line][1]
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{MD}:{second}: duplicate safety id 'patient-rails' (first at "
            f"line {first})") in output


def test_duplicate_section_id(runner, topic):
    topic.edit(MD, "{#why .patient}", "{#what-is-it .patient}")
    line = topic.line_of(MD, "## Why your therapist")
    output = failed_build(runner, topic)
    assert f"backwards-walking/{MD}:{line}: duplicate section id 'what-is-it'" in output


def test_duplicate_yaml_key(runner, topic):
    topic.edit(YAML, "owner: Clinical Education Team\n",
               "owner: Clinical Education Team\nowner: Someone Else\n")
    output = failed_build(runner, topic)
    assert f"backwards-walking/{YAML}:{topic.line_of(YAML, 'owner: Someone')}: duplicate key " \
           "'owner'" in output


def test_duplicate_bibliography_id(runner, topic):
    topic.edit(BIB, '"id": "cha2016"', '"id": "balasukumaran2019"')
    output = failed_build(runner, topic)
    assert f"backwards-walking/{BIB}:{topic.line_of(BIB, 'Therapeutic efficacy') - 3}: " \
           "duplicate bibliography id 'balasukumaran2019'" in output


def test_every_problem_is_reported_at_once(runner, topic):
    topic.edit(MD, "[@thomas2018]", "[@nobody2020]")
    topic.edit(MD, '{.safety #patient-falls audience="patient"}',
               '{.safety #patient-falls audience="patients"}')
    topic.edit(YAML, "max_grade: 6", "max_grade: six")
    output = failed_build(runner, topic)
    assert "unknown citation key '@nobody2020'" in output
    assert "unknown audience 'patients'" in output
    assert "should be a number from 1 to 18" in output


def test_a_bad_topic_stops_every_topic_from_being_written(runner, topic):
    """Two topics in one build: the good one is not written either."""
    import shutil
    good = topic.root / "good" / "backwards-walking"
    shutil.copytree(topic.folder, good)
    topic.edit(MD, "[@thomas2018]", "[@nobody2020]")
    out = topic.root / "out"
    result = run_build(runner, str(good), "backwards-walking", "--out", str(out))
    assert result.exit_code == 1
    assert not out.exists() or not list(out.rglob("*.pdf"))


def test_warnings_do_not_stop_a_build(runner, topic):
    """An uncited reference is reported but the handout is still built."""
    topic.edit(BIB, "[\n", '[\n  {"id": "spare2020", "type": "article-journal", "title": "T", '
               '"container-title": "J", "issued": {"date-parts": [[2020]]}},\n')
    out = Path("out")
    result = run_build(runner, "backwards-walking", "--out", str(out), "--audience", "patient",
                       "--paper", "letter")
    assert result.exit_code == 0, result.output
    assert (f"backwards-walking/{BIB}:2: warning: reference 'spare2020' is cited nowhere (cite "
            "it as [@spare2020] or remove it)") in result.output


def test_bibliography_entry_without_title_year_or_journal(runner, topic):
    topic.edit(BIB, '"title": "Therapeutic efficacy of walking backward and forward on a slope in '
               'normal adults",\n', "")
    topic.edit(BIB, '"issued": {"date-parts": [[2016]]},', "")
    topic.edit(BIB, '"container-title": "Journal of Physical Therapy Science",', "")
    line = topic.line_of(BIB, '"id": "cha2016"') - 1
    output = failed_build(runner, topic)
    for field, what in (("title", "the article's title"),
                        ("issued", 'the year, as {"date-parts": [[2019]]}'),
                        ("container-title", "the journal's full name")):
        assert f"backwards-walking/{BIB}:{line}: reference 'cha2016' has no \"{field}\" " \
               f"(add {what})" in output


def test_malformed_doi(runner, topic):
    topic.edit(BIB, '"DOI": "10.1589/jpts.28.1901"', '"DOI": "https://doi.org/10.1589/jpts"')
    line = topic.line_of(BIB, '"DOI": "https://doi.org')
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{BIB}:{line}: reference 'cha2016' has a malformed DOI "
            "'https://doi.org/10.1589/jpts' (write it as 10.xxxx/suffix, without "
            "https://doi.org/)") in output


def test_evidence_row_naming_an_unknown_reference(runner, topic):
    topic.edit(YAML, "- reference: cha2016", "- reference: cha2017")
    line = topic.line_of(YAML, "- reference: cha2017")
    output = failed_build(runner, topic)
    assert (f"backwards-walking/{YAML}:{line}: evidence row for unknown reference 'cha2017' "
            "(use one of: balasukumaran2019, cha2016") in output


def test_uncited_reference_is_an_error_with_strict(runner, topic):
    topic.edit(BIB, "[\n", '[\n  {"id": "spare2020", "type": "article-journal", "title": "T", '
               '"container-title": "J", "issued": {"date-parts": [[2020]]}},\n')
    result = run_build(runner, "backwards-walking", "--out", "out", "--strict")
    assert result.exit_code == 1
    assert (f"backwards-walking/{BIB}:2: reference 'spare2020' is cited nowhere (cite it as "
            "[@spare2020] or remove it; --strict makes this an error)") in result.output
    assert not Path("out").exists() or not list(Path("out").rglob("*.pdf"))


def test_evidence_table_field_of_the_wrong_type(runner, topic):
    topic.edit(YAML, '      level: "4"', "      level: [4]")
    output = failed_build(runner, topic)
    assert "'evidence.studies[6].level' should be text, got a list" in output
