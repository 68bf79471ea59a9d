"""Save-to-reload time of `handouts serve`, measured in Chromium. Reported, not asserted.

    .venv/bin/python bench/serve_reload.py [--repeat N]

A copy of the bundled topic is previewed (every audience and language); its
English patient web page is open in headless Chromium. Each round edits one
English sentence of the patient prose and times from the file's save to the
moment the reloaded page shows the new words, twice: once with the preview
idle (the PDFs and decks of the previous save finished), once with the save
landing while the PDFs and decks of the previous save are still building.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests"))

from browser import chromium  # noqa: E402

PAGE = "files/backwards-walking/en/backwards-walking-patient.html"
SENTENCE = "Falls are the main danger."


def status(url: str) -> dict:
    with urllib.request.urlopen(url + "status.json", timeout=10) as answer:
        return json.load(answer)


def wait_idle(url: str, process: subprocess.Popen, versions: int) -> None:
    """Until the preview has finished `versions` builds and its background build ended."""
    while status(url)["version"] < versions:
        time.sleep(0.1)
    while any(child for child in _children(process.pid)):
        time.sleep(0.1)


def _children(pid: int) -> list[str]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return path.read_text().split() if path.exists() else []


def save_to_reload(page, markdown: Path, round_: int, previous: str) -> tuple[float, str]:
    marker = f"Falls are the main danger (edit {round_})."
    text = markdown.read_text(encoding="utf-8").replace(previous, marker)
    started = time.perf_counter()
    markdown.write_text(text, encoding="utf-8")
    page.wait_for_function(f"document.body.innerText.includes({json.dumps(marker)})",
                           timeout=120_000)
    return time.perf_counter() - started, marker


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handouts-serve-bench-"))
    topic = work / "backwards-walking"
    shutil.copytree(REPOSITORY / "content" / "backwards-walking", topic)
    markdown = topic / "backwards-walking.md"
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY / "src")}
    process = subprocess.Popen([sys.executable, "-m", "handouts", "serve", str(topic), "--port",
                                "0", "--out", str(work / "out")], cwd=work, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = process.stdout.readline().split("Previewing at ", 1)[1].split()[0]
    idle, busy, previous = [], [], SENTENCE
    try:
        wait_idle(url, process, 2)
        with chromium() as browser:
            page = browser.open(url + PAGE)
            for round_ in range(args.repeat):
                seconds, previous = save_to_reload(page, markdown, 2 * round_, previous)
                idle.append(seconds)
                time.sleep(0.5)  # the PDFs and decks of that save are building now
                seconds, previous = save_to_reload(page, markdown, 2 * round_ + 1, previous)
                busy.append(seconds)
                wait_idle(url, process, status(url)["version"])
            assert browser.outside_loopback() == []
    finally:
        process.terminate()
        process.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    for name, values in (("idle", idle), ("during a background build", busy)):
        print(f"save to reloaded page, {name}: median {statistics.median(values):.2f} s, "
              f"max {max(values):.2f} s ({len(values)} saves)")


if __name__ == "__main__":
    main()
