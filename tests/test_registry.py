"""Output formats are plug-ins: a new one is its own module plus one registry line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_build
from handouts.cli import cli
from handouts.render import registry

ARGS = ("--audience", "patient", "--lang", "en", "--paper", "letter")


@pytest.fixture
def text_format(monkeypatch):
    """The registry with a plain-text format added, as an organisation's plug-in would."""
    monkeypatch.setattr(registry, "BUILDERS", dict(registry.BUILDERS))
    monkeypatch.setattr(registry, "_loaded", {})
    registry.register("text", "plaintext_builder:PlainTextHandout")
    return registry.builder("text")


def test_a_registered_format_is_built_verified_and_listed(runner, topic, text_format):
    result = run_build(runner, "backwards-walking", "--out", "out", *ARGS)
    assert result.exit_code == 0, result.output
    text_file = Path("out/backwards-walking/en/backwards-walking-patient.txt")
    text = text_file.read_text("utf-8")
    assert "Use a treadmill and hold the rails." in text
    assert f"{text_file}  {text.count(chr(10))} line(s)" in result.output
    manifest = json.loads(Path("out/backwards-walking/manifest.json").read_text("utf-8"))
    entry = next(e for e in manifest["outputs"] if e["path"] == "en/backwards-walking-patient.txt")
    assert entry["checks"] and all(check["ok"] for check in entry["checks"])
    assert any(check["name"] == "safety:patient-rails" for check in entry["checks"])
    checked = runner.invoke(cli, ["check", "backwards-walking", "--out", "out"])
    row = next(line for line in checked.output.splitlines() if "patient.txt" in line)
    assert row.split()[1:] == ["ok", f"{len(entry['checks'])}/{len(entry['checks'])}", "passed"]


def test_a_format_that_loses_safety_text_fails_its_own_read_back(runner, topic, monkeypatch):
    monkeypatch.setattr(registry, "BUILDERS", dict(registry.BUILDERS))
    monkeypatch.setattr(registry, "_loaded", {})
    registry.register("text", "plaintext_builder:LossyTextHandout")
    result = run_build(runner, "backwards-walking", "--out", "out", *ARGS)
    assert result.exit_code == 1
    assert ("backwards-walking/en/backwards-walking-patient.txt: safety:patient-rails: "
            in result.output)
    assert not Path("out/backwards-walking").exists()


def test_an_unknown_format_lists_the_known_ones():
    with pytest.raises(KeyError, match="known: patient, clinician, slides"):
        registry.builder("epub")


def test_formats_declare_their_files_without_rendering_libraries():
    """Naming the files (the up-to-date check) must not import WeasyPrint or python-pptx."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from handouts.render.builder import OutputSettings\n"
            "from handouts.render.registry import planned_outputs\n"
            "specs = planned_outputs('t', {'patient': ('en',), 'clinician': ('en',), "
            "'trainer': ('en',)}, OutputSettings(('letter', 'a4')))\n"
            "print(len(specs), 'weasyprint' in sys.modules, 'pptx' in sys.modules, "
            "'jinja2' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["9", "False", "False", "False"]
