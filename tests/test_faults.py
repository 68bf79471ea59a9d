"""Faults: a build killed mid-render, two builds at once, byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from click.testing import CliRunner

from conftest import BUNDLED
from handouts.cli import cli
from handouts.plan.manifest import MANIFEST
from handouts.write.publish import STAGING_PREFIX


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def handouts(*args: str, cwd: Path, tmpdir: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmpdir)} if tmpdir else None
    return subprocess.Popen([sys.executable, "-m", "handouts", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_build_killed_while_rendering_leaves_earlier_outputs_intact(topic, tmp_path):
    args = ("build", "backwards-walking", "--out", "out", "--audience", "patient",
            "--lang", "en", "--paper", "letter")
    assert CliRunner().invoke(cli, list(args)).exit_code == 0
    before = tree(tmp_path / "out")
    topic.edit("backwards-walking.md", "Start slow and short.", "Start slow and short, always.")
    private = tmp_path / "tmp"  # the build's own temporary folder: no other build stages here
    private.mkdir()
    # Two outputs (standard and large print), rendered one after the other: the first
    # render lands in the staging folder while the second is still being rendered.
    process = handouts(*args, "--jobs", "1", cwd=tmp_path, tmpdir=private)
    try:
        staged = _wait_for_first_render(private, process)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
    assert staged.name.startswith(STAGING_PREFIX)  # outside the output folder, as designed
    assert sorted(p.name for p in staged.iterdir()) == ["00000"], \
        "the build was not killed while rendering its second output"
    assert tree(tmp_path / "out") == before
    assert [p for p in (tmp_path / "out").rglob("*") if p.name.startswith(".")] == []


def _wait_for_first_render(tmpdir: Path, process: subprocess.Popen, seconds: float = 60) -> Path:
    """The build's staging folder, once the first output has been rendered into it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the build ended before it was killed"
        for folder in tmpdir.glob(STAGING_PREFIX + "*"):
            if (folder / "00000").is_file():
                return folder
        time.sleep(0.005)
    raise AssertionError("the build never rendered its first output")


def test_two_builds_at_once_do_not_corrupt_each_other(topic, tmp_path):
    args = ("build", "backwards-walking", "--out", "out", "--audience", "patient",
            "--lang", "en", "--paper", "letter", "--force")
    first, second = handouts(*args, cwd=tmp_path), handouts(*args, cwd=tmp_path)
    results = []
    for process in (first, second):
        stdout, stderr = process.communicate(timeout=300)
        results.append((process.returncode, stdout + stderr))
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0, results
    for code, output in results:
        if code:
            assert "another handouts build is writing to this folder" in output, output
            assert "Traceback" not in output
    from pypdf import PdfReader
    for pdf in (tmp_path / "out").rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 2  # complete, readable files


def test_building_twice_gives_identical_bytes_for_every_output(built, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = CliRunner().invoke(cli, ["build", str(BUNDLED), "--out", str(tmp_path), "--force"])
    assert result.exit_code == 0, result.output
    first, second = tree(built.parent.parent), tree(tmp_path)
    manifest = json.loads((tmp_path / "backwards-walking" / MANIFEST).read_text("utf-8"))
    listed = {f"backwards-walking/{entry['path']}" for entry in manifest["outputs"]}
    # Every output the manifest lists, and the manifest itself, PDFs and decks alike.
    assert set(second) == listed | {f"backwards-walking/{MANIFEST}"}
    assert any(p.endswith(".pdf") for p in listed) and any(p.endswith(".pptx") for p in listed)
    settings = yaml.safe_load((BUNDLED / "topic.yaml").read_text("utf-8"))["audiences"]
    assert {(e["audience"], e["language"]) for e in manifest["outputs"]} == {
        (audience, language) for audience, spec in settings.items()
        for language in spec["languages"]}  # every audience in every language
    assert first == second


def test_source_date_epoch_sets_the_file_dates(topic, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    args = ["build", "backwards-walking", "--out", "out", "--lang", "en", "--paper", "letter",
            "--audience", "patient", "--audience", "trainer"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    from pptx import Presentation
    from pypdf import PdfReader
    deck = Presentation(tmp_path / "out/backwards-walking/en/backwards-walking-slides.pptx")
    assert deck.core_properties.modified.isoformat() == "2023-11-14T22:13:20"
    pdf = PdfReader(tmp_path / "out/backwards-walking/en/backwards-walking-patient.pdf")
    assert pdf.metadata["/ModDate"] == "D:20231114221320Z"
