"""Build timings, printed as a table (nothing is asserted: speed is reported, not tested).

    .venv/bin/python bench/run.py [--repeat N]

cold: a new process building into an empty output folder;
warm: the same build again into the now filled folder (imports and font files
in the OS cache). Each figure is the median of N runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HANDOUTS = [sys.executable, "-m", "handouts"]


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    rows = []
    scenarios = {"patient outputs (4 PDFs)": ["--audience", "patient"],
                 "patient, Letter only (2 PDFs)": ["--audience", "patient", "--paper", "letter"]}
    for name, extra in scenarios.items():
        cold, warm = [], []
        for _ in range(options.repeat):
            out = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
            try:
                build = [*HANDOUTS, "build", "--out", str(out), *extra]
                cold.append(timed(build))
                warm.append(timed(build))
            finally:
                shutil.rmtree(out)
        rows.append((name, statistics.median(cold), statistics.median(warm)))
    help_time = statistics.median(timed([*HANDOUTS, "--help"]) for _ in range(options.repeat))
    print(f"{'scenario':34} {'cold (s)':>9} {'warm (s)':>9}")
    for name, cold, warm in rows:
        print(f"{name:34} {cold:9.2f} {warm:9.2f}")
    print(f"{'handouts --help':34} {help_time:9.2f}")


if __name__ == "__main__":
    main()
