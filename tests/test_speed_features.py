"""Parallel, incremental and lazy builds, checked by what they do (not by timing)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polib
from click.testing import CliRunner

from conftest import BUNDLED
from handouts.cli import cli

OLD = "greater than forward walking at the same speed"
NEW = "greater than forward walking at an equal speed"  # its first words, its id, stay


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(*args: str):
    result = CliRunner().invoke(cli, ["build", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def rendered(output: str) -> list[str]:
    return re.findall(r"^  \S*?/(backwards-walking/\S+)  ", output, re.MULTILINE)


def test_parallel_outputs_are_byte_identical_to_one_job(built, tmp_path):
    build(str(BUNDLED), "--out", str(tmp_path), "--jobs", "1", "--force")
    assert tree(tmp_path) == tree(built.parent.parent)


def test_topics_planned_while_the_renderers_load_give_the_same_outputs(topic, tmp_path,
                                                                        monkeypatch):
    """On two cores a build plans in a forked process while it loads the renderers
    (processes.py); what it writes is what a build in one process writes."""
    import handouts.build as build_module
    import handouts.render.registry as registry

    forked = []

    def recorded(work, meanwhile):
        forked.append(meanwhile)
        return real(work, meanwhile)

    real = build_module.alongside
    monkeypatch.setattr(build_module, "alongside", recorded)
    monkeypatch.setattr(registry, "_engines", set())  # as in a new process
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    args = ("backwards-walking", "--lang", "en", "--lang", "ar", "--audience", "patient")
    build(*args, "--out", "forked", "--jobs", "2")
    assert len(forked) == 1
    build(*args, "--out", "here", "--jobs", "1")  # one process: no fork
    assert len(forked) == 1
    assert tree(tmp_path / "forked") == tree(tmp_path / "here")
    assert len(tree(tmp_path / "here")) == 11  # 4 PDFs and a web page a language, a manifest
    build(*args, "--out", "forked", "--jobs", "2")  # up to date: nothing to load meanwhile
    assert len(forked) == 1


def test_no_op_build_renders_nothing(topic, tmp_path):
    args = ("backwards-walking", "--out", "out", "--lang", "en", "--lang", "es")
    build(*args)
    before = tree(tmp_path / "out")
    again = build(*args)
    assert rendered(again) == []
    assert "Rendered 0 output(s), 18 up to date" in again
    assert tree(tmp_path / "out") == before


def test_one_changed_sentence_renders_exactly_the_outputs_that_show_it(topic, tmp_path):
    """An English sentence for clinicians and trainers: their English outputs, nothing else."""
    build("backwards-walking", "--out", "out")
    topic.edit("backwards-walking.md", OLD, NEW)
    for po_path in (topic.folder / "locales").glob("*.po"):  # translators keep up
        catalog = polib.pofile(str(po_path))
        for entry in catalog:
            if entry.msgctxt == "mechanism.li.energy-expenditure-greater-than-forward-walking":
                entry.msgid = entry.msgid.replace(OLD, NEW)
        catalog.save()
    output = build("backwards-walking", "--out", "out")
    # The Spanish outputs show the unchanged translation, so they stay as they are.
    assert sorted(rendered(output)) == sorted(
        f"backwards-walking/en/backwards-walking-{name}"
        for name in ("clinician.pdf", "clinician-a4.pdf", "slides.pptx", "clinician.html"))
    assert "4 output(s), 24 up to date" in output
    manifest = json.loads((tmp_path / "out/backwards-walking/manifest.json").read_text())
    assert len(manifest["outputs"]) == 28


def test_a_deleted_output_is_rendered_again(topic, tmp_path):
    args = ("backwards-walking", "--out", "out", "--lang", "en", "--audience", "patient")
    build(*args)
    (tmp_path / "out/backwards-walking/en/backwards-walking-patient-a4.pdf").unlink()
    assert rendered(build(*args)) == ["backwards-walking/en/backwards-walking-patient-a4.pdf"]


def test_force_renders_everything(topic, tmp_path):
    args = ("backwards-walking", "--out", "out", "--lang", "en", "--audience", "patient")
    build(*args)
    assert len(rendered(build(*args, "--force"))) == 5


def test_no_op_build_imports_no_renderer(topic, tmp_path):
    build("backwards-walking", "--out", "out", "--lang", "en", "--audience", "patient")
    code = ("import sys; from handouts.cli import cli\n"
            "try:\n    cli(['build', 'backwards-walking', '--out', 'out', '--lang', 'en',"
            " '--audience', 'patient'], standalone_mode=False)\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('weasyprint', 'pptx', 'citeproc', 'textstat', 'pypdf') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=tmp_path)
    assert "5 up to date" in result.stdout
    assert result.stdout.strip().endswith("[]")


def test_a_complete_build_does_not_pass_over_a_draft(topic, tmp_path):
    """After a --allow-partial build, the next normal build checks the translation again."""
    topic.edit("backwards-walking.md", "Backward walking is walking in reverse.",
               "Backward walking is walking in reverse, slowly.")
    args = ("backwards-walking", "--out", "out", "--lang", "es", "--audience", "patient",
            "--paper", "letter")
    build(*args, "--allow-partial")
    result = CliRunner().invoke(cli, ["build", *args])
    assert result.exit_code == 1
    assert ("the es translation of unit 'what-is-it.p.backward-walking-is-walking-in-reverse'"
            in result.output)
