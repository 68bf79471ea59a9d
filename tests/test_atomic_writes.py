"""A failed build leaves earlier outputs byte-identical and no partial files."""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

import pytest

from conftest import run_build
from handouts.verify.results import CheckResult, Verified

MD = "backwards-walking.md"
ARGS = ("--audience", "patient", "--paper", "letter", "--lang", "en")


def snapshot(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def first_build(runner, topic):
    result = run_build(runner, "backwards-walking", "--out", "out", *ARGS)
    assert result.exit_code == 0, result.output
    before = snapshot(Path("out"))
    assert len(before) == 4  # standard and large print on Letter, the web page, the manifest
    return before


def test_content_error_leaves_earlier_outputs_untouched(runner, topic, first_build):
    topic.edit(MD, "Start slow and short.", "Start slow and short. [@nobody]")
    result = run_build(runner, "backwards-walking", "--out", "out", *ARGS)
    assert result.exit_code == 1
    assert snapshot(Path("out")) == first_build


def test_failed_read_back_check_writes_nothing(runner, topic, first_build, monkeypatch):
    """A render that loses a safety statement is caught before anything is replaced."""
    from handouts.render.pdf.builder import PdfBuilder

    topic.edit(MD, "Start slow and short.", "Start slowly and briefly.")
    monkeypatch.setattr(PdfBuilder, "verify", lambda self, data, spec, view, source: Verified(2, [
        CheckResult("safety:patient-rails", False, "the statement's text is not in the output")]))
    result = run_build(runner, "backwards-walking", "--out", "out", *ARGS)
    assert result.exit_code == 1
    assert "failed their checks, so nothing was written" in result.output
    assert "safety:patient-rails" in result.output
    assert snapshot(Path("out")) == first_build
    assert not list(Path("out").rglob(".handouts-*"))


def test_write_failure_midway_keeps_every_earlier_output(runner, topic, first_build,
                                                         monkeypatch):
    import handouts.write.publish as output_module

    topic.edit(MD, "Start slow and short.", "Start slow and short, please.")
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output_module.os, "replace", failing_replace)
    result = run_build(runner, "backwards-walking", "--out", "out", *ARGS)
    monkeypatch.setattr(output_module.os, "replace", real_replace)  # for the snapshot below
    assert result.exit_code == 1
    assert "cannot write the outputs: the disk is full" in result.output
    assert calls
    assert snapshot(Path("out")) == first_build
    assert not list(Path("out").rglob(".handouts-*"))


def test_a_second_build_into_a_locked_folder_is_refused(runner, topic, first_build):
    handle = os.open("out", os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run_build(runner, "backwards-walking", "--out", "out", *ARGS)
    finally:
        os.close(handle)
    assert result.exit_code == 1
    assert "another handouts build is writing to this folder" in result.output
    assert snapshot(Path("out")) == first_build


def test_read_only_output_folder_gives_a_clear_error(runner, topic, first_build, monkeypatch):
    """Simulated, because the test may run as root, whom permissions do not stop."""
    import errno

    import handouts.write.publish as output_module

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    with monkeypatch.context() as patch:
        patch.setattr(output_module.Path, "mkdir", read_only)
        result = run_build(runner, "backwards-walking", "--out", "out", *ARGS)
    assert result.exit_code == 1
    assert "cannot write the outputs: the folder is on a read-only disk" in result.output
    assert snapshot(Path("out")) == first_build
