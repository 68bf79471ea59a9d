"""The templates folder checked before a build renders (load/templates.py).

The command-line cases (a file missing, too large, not UTF-8, outside the
folder, a template that does not parse...) are in bad_inputs/cases-page-templates.yaml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPOSITORY
from handouts.load.templates import check_templates
from handouts.render.registry import BUILDERS, template_files


def _copy(tmp_path: Path) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(REPOSITORY / "templates", templates)
    return templates


def test_the_shipped_templates_pass_for_every_format():
    names = template_files(set(BUILDERS))
    assert "patient/handout.html.j2" in names and "slides/strings.yaml" in names
    assert check_templates(REPOSITORY / "templates", names) == []


def test_a_missing_file_deep_in_a_chain_is_named_where_it_is_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    templates = _copy(tmp_path)
    macros = templates / "macros.html.j2"
    macros.write_text(macros.read_text("utf-8") + '\n{% import "clinic/parts.html.j2" as p %}\n',
                      "utf-8")
    line = macros.read_text("utf-8").count("\n")
    problems = check_templates(templates, ["patient/handout.html.j2"])
    assert [(str(p.location), p.message) for p in problems] == [
        (f"templates/macros.html.j2:{line}",
         "the template uses clinic/parts.html.j2, which is not in the templates folder")]


def test_a_file_changed_after_a_check_is_checked_again(tmp_path):
    templates = _copy(tmp_path)
    names = ["clinician/brief.html.j2"]
    assert check_templates(templates, names) == []
    brief = templates / "clinician" / "brief.html.j2"
    brief.write_text(brief.read_text("utf-8") + "{% endif %}\n", "utf-8")
    problems = check_templates(templates, names)
    assert len(problems) == 1 and "the template cannot be used" in problems[0].message


def test_templates_that_use_each_other_in_a_ring_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.html.j2").write_text('{% include "b.html.j2" %}\n', "utf-8")
    (templates / "b.html.j2").write_text('text\n{% include "a.html.j2" %}\n', "utf-8")
    problems = check_templates(templates, ["a.html.j2"])
    assert [(str(p.location), p.message) for p in problems] == [
        ("templates/b.html.j2:2",
         "the template uses a.html.j2, which leads back to b.html.j2: a template cannot "
         "use itself")]
