"""Shared fixtures: a CLI runner, a private copy of the bundled topic, and one build of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.cli import cli

REPOSITORY = Path(__file__).resolve().parents[1]
BUNDLED = REPOSITORY / "content" / "backwards-walking"
ARTICLE = BUNDLED / "source" / "backwards-walking-article.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


class TopicCopy:
    """A writable copy of the bundled topic, in a folder the test owns."""

    def __init__(self, root: Path):
        self.root = root
        self.folder = root / "backwards-walking"
        shutil.copytree(BUNDLED, self.folder)
        # the content folder's organisation profile and its logo, as the topic has them
        shutil.copy(BUNDLED.parent / "handouts.yaml", root / "handouts.yaml")
        shutil.copytree(BUNDLED.parent / "brand", root / "brand")

    def path(self, name: str) -> Path:
        return self.folder / name

    def edit(self, name: str, old: str, new: str, count: int = 1) -> None:
        """Replace text that must be there (so a stale test fails loudly)."""
        path = self.path(name)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def line_of(self, name: str, text: str) -> int:
        """The 1-based line where `text` first appears."""
        lines = self.path(name).read_text(encoding="utf-8").splitlines()
        return next(i for i, line in enumerate(lines, start=1) if text in line)


@pytest.fixture
def topic(tmp_path, monkeypatch) -> TopicCopy:
    """A copy of the bundled topic; the working folder is its parent so paths print short."""
    monkeypatch.chdir(tmp_path)
    return TopicCopy(tmp_path)


def run_build(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["build", *args], catch_exceptions=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The bundled topic built once for the whole session; tests only read it."""
    out = tmp_path_factory.mktemp("built")
    result = CliRunner().invoke(cli, ["build", str(BUNDLED), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "backwards-walking" / "en"
