"""Faults: a build killed mid-render, two builds at once, byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from conftest import BUNDLED
from handouts.cli import cli


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def handouts(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "handouts", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stagings() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("handouts-staging-*"))


def test_a_build_killed_while_rendering_leaves_earlier_outputs_intact(topic, tmp_path):
    args = ("build", "backwards-walking", "--out", "out", "--audience", "patient",
            "--lang", "en", "--paper", "letter")
    assert CliRunner().invoke(cli, list(args)).exit_code == 0
    before = tree(tmp_path / "out")
    topic.edit("backwards-walking.md", "Start slow and short.", "Start slow and short, always.")
    existing = _stagings()
    process = handouts(*args, "--jobs", "1", cwd=tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (_stagings() - existing):
        time.sleep(0.02)  # the staging folder appears when rendering starts
    assert _stagings() - existing, "the build never started rendering"
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert tree(tmp_path / "out") == before
    assert [p for p in (tmp_path / "out").rglob("*") if p.name.startswith(".")] == []
    for leftover in _stagings() - existing:  # outside the output folder, as designed
        shutil.rmtree(leftover, ignore_errors=True)


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
    assert len(first) == 23  # 22 outputs and the manifest
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
