"""Same inputs, same bytes."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import BUNDLED
from handouts.cli import cli


def test_building_twice_gives_identical_outputs(built, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = CliRunner().invoke(cli, ["build", str(BUNDLED), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    again = tmp_path / "backwards-walking" / "en"
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    assert any(n.endswith(".pptx") for n in names) and any(n.endswith(".pdf") for n in names)
    for name in names:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name
