"""`handouts serve`: it rebuilds on save, reloads the open page, shows errors over it, stops cleanly.

The preview runs as a real process on loopback; the page is opened in
headless Chromium, which may not reach anything outside loopback.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser import chromium
from conftest import REPOSITORY

PAGE = "files/backwards-walking/en/backwards-walking-patient.html"


class Preview:
    """`handouts serve` in its own process, on a free loopback port."""

    def __init__(self, topic, *args: str):
        env = {**os.environ, "PYTHONPATH": str(REPOSITORY / "src")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "handouts", "serve", str(topic.folder), "--port", "0",
             "--out", "out", *args], cwd=topic.root, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        first = self.process.stdout.readline()
        assert "Previewing at http://127.0.0.1:" in first, first
        self.url = first.split("Previewing at ", 1)[1].split()[0]

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "status.json", timeout=10) as answer:
            return json.load(answer)

    def wait_for_version(self, version: int, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["version"] >= version and not status["building"]:
                return status
            time.sleep(0.2)
        raise AssertionError(f"no build {version} within {timeout} s: {self.status()}")

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            output, _ = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return self.process.returncode, output


@pytest.fixture
def preview(topic):
    running = Preview(topic, "--lang", "en", "--audience", "patient")
    yield running
    print(running.stop()[1])  # shown when a test fails


def test_a_save_reloads_the_open_page_and_an_error_shows_over_it(topic, preview):
    preview.wait_for_version(2)  # the web pages, then the rest
    with chromium() as browser:
        page = browser.open(preview.url + PAGE)
        assert "Falls are the main danger." in page.inner_text("main")

        topic.edit("backwards-walking.md", "Falls are the main danger.",
                   "Falls are the main danger, so take care.")
        page.wait_for_function("document.body.innerText.includes('so take care')",
                               timeout=60_000)

        topic.edit("backwards-walking.md", "[@thomas2018]", "[@nobody2020]")
        overlay = page.wait_for_selector("#handouts-errors", timeout=60_000)
        line = topic.line_of("backwards-walking.md", "@nobody2020")
        assert f"backwards-walking/backwards-walking.md:{line}:" in overlay.inner_text()
        assert "nobody2020" in overlay.inner_text()

        topic.edit("backwards-walking.md", "[@nobody2020]", "[@thomas2018]")
        page.wait_for_selector("#handouts-errors", state="detached", timeout=60_000)

        index = browser.open(preview.url)
        listed = index.inner_text("main")
        assert "backwards-walking/en/backwards-walking-patient.html (web page)" in listed
        assert "backwards-walking/en/backwards-walking-patient-a4.pdf (PDF)" in listed
        assert "checks passed" in listed and "failed" not in listed
        index.click("text=backwards-walking/en/backwards-walking-patient-a4.pdf")
        index.wait_for_selector("embed[type='application/pdf']")
        assert browser.outside_loopback() == []
    code, output = preview.stop()
    assert code == 0 and "Preview stopped." in output and "Traceback" not in output


def test_only_outputs_inside_the_output_folder_are_served(topic, preview):
    preview.wait_for_version(1)
    (topic.root / "secret.html").write_text("secret", encoding="utf-8")
    for path in ("files/../secret.html", "files/%2e%2e/secret.html", "files/out/../secret.html",
                 "view/../secret.pdf"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(preview.url + path, timeout=10)
        assert refused.value.code == 404
        refused.value.close()


def test_a_port_in_use_is_a_clear_message(topic):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(REPOSITORY / "src")}
        result = subprocess.run([sys.executable, "-m", "handouts", "serve", str(topic.folder),
                                 "--port", str(port)], cwd=topic.root, env=env,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr and "Traceback" not in result.stderr


def test_sigterm_stops_it_cleanly(topic):
    running = Preview(topic, "--lang", "en", "--audience", "clinician")
    running.wait_for_version(1)
    running.process.send_signal(signal.SIGTERM)
    code, output = running.stop()
    assert code == 0 and "Preview stopped." in output


def test_the_index_escapes_what_it_lists_and_survives_a_damaged_manifest(tmp_path):
    from handouts.serve.pages import index_page

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "manifest.json").write_text(json.dumps({"outputs": [
        {"path": "en/<script>x</script>.html", "language": "<b>en</b>", "audience": "patient",
         "checks": [{"name": "safety:<i>a</i>", "ok": False}]},
        "not an entry", {"path": 7}]}), encoding="utf-8")
    (tmp_path / "u").mkdir()
    (tmp_path / "u" / "manifest.json").write_text("{broken", encoding="utf-8")
    page = index_page(tmp_path, ["t", "u"], ("a.md:3: <error>",), 4)
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>en</b>" not in page and "safety:&lt;i&gt;a&lt;/i&gt;" in page
    assert "a.md:3: &lt;error&gt;" in page and "Not built yet." in page
