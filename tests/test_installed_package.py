"""An installed wheel builds from any folder: templates and icons ship inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import BUNDLED, REPOSITORY


def test_the_wheel_installed_elsewhere_builds_a_topic_from_another_folder(tmp_path):
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(wheels), str(REPOSITORY)], check=True,
                   capture_output=True)
    (wheel,) = wheels.glob("handouts-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for part in ("handouts/templates/base.html.j2", "handouts/templates/patient/handout.html.j2",
                 "handouts/templates/slides/default.pptx", "handouts/templates/icons/stop.svg"):
        assert part in names
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site), str(wheel)], check=True, capture_output=True)
    environment = {**os.environ, "PYTHONPATH": str(site)}
    environment.pop("HANDOUTS_TEMPLATES", None)
    where = subprocess.run([sys.executable, "-c", "import handouts; print(handouts.__file__)"],
                           cwd=work, env=environment, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site)
    result = subprocess.run([sys.executable, "-m", "handouts", "build", str(BUNDLED), "--out",
                             str(work / "out"), "--audience", "patient", "--lang", "en",
                             "--paper", "a4"], cwd=work, env=environment, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert (work / "out/backwards-walking/en/backwards-walking-patient-a4.pdf").is_file()
    assert not (work / "templates").exists()
