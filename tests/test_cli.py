"""The command line: help with examples, version, exit codes, valid names listed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from handouts.cli import cli


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("handouts, version ")


@pytest.mark.parametrize("command", [[], ["build"], ["schema"]])
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "handouts " in result.output


def test_unknown_audience_is_a_usage_error_listing_valid_names(runner):
    result = runner.invoke(cli, ["build", "--audience", "nurse"])
    assert result.exit_code == 2
    assert "'patient', 'clinician', 'trainer'" in result.output


def test_unknown_paper_is_a_usage_error(runner):
    result = runner.invoke(cli, ["build", "--paper", "legal"])
    assert result.exit_code == 2
    assert "'letter', 'a4'" in result.output


def test_missing_topic_folder_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_no_content_folder_is_a_usage_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 2
    assert "no content/ folder here" in result.output


def test_folder_without_topic_yaml_is_a_content_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["build", "empty", "--out", "out"])
    assert result.exit_code == 1
    assert "empty: no topic.yaml in this topic folder (create empty/topic.yaml" in result.output
    assert not (tmp_path / "out").exists()


def test_language_no_audience_lists_is_refused(runner, topic):
    result = runner.invoke(cli, ["build", "backwards-walking", "--lang", "xx", "--out", "out"])
    assert result.exit_code == 2  # a usage error: the valid ones are listed
    assert "no audience is built in 'xx'; --lang takes one of: ar, en, es, zh-Hans" in result.output
    assert not (topic.root / "out").exists()


def test_language_without_a_catalog_is_refused(runner, topic):
    result = runner.invoke(cli, ["build", "backwards-walking", "--lang", "fr", "--audience",
                                 "patient", "--out", "out"])
    assert result.exit_code == 1
    assert ("backwards-walking/locales/fr.po: no translation into 'fr' for the patient audience "
            "(create it with: handouts i18n update backwards-walking --lang fr") in result.output
    assert not (topic.root / "out").exists()


def test_schema_documents_every_topic_field(runner):
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    for field in ("`id`", "`review_date`", "`audiences`", "`audiences.<audience>.required_safety`",
                  "`plan.fields[].label`", "`link.url`"):
        assert field in result.output


def test_help_does_not_import_the_renderers():
    code = ("import sys; from handouts.cli import cli\n"
            "try:\n    cli(['--help'], standalone_mode=False)\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('weasyprint', 'pptx', 'citeproc', 'textstat') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().endswith("[]")


def test_a_templates_folder_given_as_a_relative_path_is_used(runner, topic):
    """`--templates my-templates` from the working folder (it once ended in a traceback)."""
    import shutil

    from conftest import REPOSITORY

    shutil.copytree(REPOSITORY / "templates", "my-templates")
    args = ["backwards-walking", "--out", "out", "--templates", "my-templates",
            "--audience", "patient", "--lang", "en", "--paper", "letter"]
    result = runner.invoke(cli, ["build", *args])
    assert result.exit_code == 0, result.output
    checked = runner.invoke(cli, ["check", *args])
    assert checked.exit_code == 0, checked.output
