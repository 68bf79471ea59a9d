"""Content is data, never code; the renderer reads nothing outside its folders."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from conftest import REPOSITORY, run_build
from readback import pdf_text, squeezed

MD = "backwards-walking.md"
ANCHOR = "Falls are the main danger. Follow these steps each time you walk backward."


@pytest.fixture
def web_server():
    """A loopback HTTP server that counts requests: proof that nothing was fetched."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_template_syntax_in_content_prints_literally(runner, topic):
    topic.edit(MD, ANCHOR, ANCHOR + " Total {{ 7*7 }} and {% include 'x' %} and {{ config }}.")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient", "--lang", "en",
                       "--paper", "letter")
    assert result.exit_code == 0, result.output
    text = squeezed(pdf_text(Path("out/backwards-walking/en/backwards-walking-patient.pdf")))
    assert squeezed("Total {{ 7*7 }} and {% include 'x' %} and {{ config }}.") in text
    assert "Total49" not in text


def test_raw_html_image_is_refused_and_never_fetched(runner, topic, web_server):
    url, hits = web_server
    topic.edit(MD, ANCHOR, ANCHOR + f' <img src="{url}/tracker.png">')
    line = topic.line_of(MD, ANCHOR)
    result = run_build(runner, "backwards-walking", "--out", "out")
    assert result.exit_code == 1
    assert (f"backwards-walking/{MD}:{line}: raw HTML is not allowed in handout content "
            "(content is printed as text, never run; write Markdown instead)") in result.output
    assert hits == []


@pytest.mark.parametrize("src", ["{url}/remote.png", "file:///etc/passwd", "/etc/passwd",
                                 "../../etc/passwd"])
def test_markdown_image_outside_the_topic_is_refused(runner, topic, web_server, src):
    url, hits = web_server
    src = src.format(url=url)
    topic.edit(MD, ANCHOR, ANCHOR + f"\n\n![A picture]({src})")
    line = topic.line_of(MD, "![A picture]")
    result = run_build(runner, "backwards-walking", "--out", "out")
    assert result.exit_code == 1
    assert (f"backwards-walking/{MD}:{line}: image '{src}' is not a file inside the topic "
            "folder") in result.output
    assert hits == []


def test_stylesheet_url_to_the_network_fails_the_build_without_fetching(runner, topic,
                                                                      web_server, tmp_path):
    """Even a template cannot make the renderer fetch: the sandboxed fetcher refuses."""
    import shutil
    url, hits = web_server
    templates = tmp_path / "templates"
    shutil.copytree(REPOSITORY / "templates", templates)
    css = templates / "css" / "patient.css"
    css.write_text(css.read_text() + f'\nbody {{ background: url("{url}/bg.png"); }}\n')
    result = run_build(runner, "backwards-walking", "--out", "out", "--templates",
                       str(templates), "--audience", "patient", "--paper", "letter", "--lang", "en")
    assert result.exit_code == 1
    assert f"the renderer refused to load {url}/bg.png" in result.output
    assert hits == []
    assert not Path("out").exists() or not list(Path("out").rglob("*.pdf"))


def test_a_stylesheet_import_from_the_network_is_refused_naming_the_stylesheet(
        runner, topic, web_server, tmp_path):
    """An @import is fetched when the stylesheet is parsed, once per process: the refusal
    still stops the build, and names the stylesheet that asked."""
    import shutil
    url, hits = web_server
    templates = tmp_path / "templates"
    shutil.copytree(REPOSITORY / "templates", templates)
    css = templates / "css" / "patient.css"
    css.write_text(f'@import url("{url}/more.css");\n' + css.read_text())
    result = run_build(runner, "backwards-walking", "--out", "out", "--templates",
                       str(templates), "--audience", "patient", "--paper", "letter", "--lang", "en")
    assert result.exit_code == 1
    assert f"css/patient.css: the renderer refused to load {url}/more.css" in result.output
    assert hits == []


def test_fetcher_allows_only_files_inside_its_roots(tmp_path, web_server):
    from handouts.render.pdf.sandbox import RefusedResource, SandboxFetcher

    url, hits = web_server
    inside = tmp_path / "topic" / "images" / "a.png"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(b"\x89PNG")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    link = tmp_path / "topic" / "images" / "link.txt"
    link.symlink_to(outside)
    fetcher = SandboxFetcher([tmp_path / "topic"])
    response = fetcher.fetch(inside.as_uri())
    assert response.read() == b"\x89PNG"
    for refused in (outside.as_uri(), link.as_uri(), f"{url}/x.png", "https://example.org/x"):
        with pytest.raises(RefusedResource):
            fetcher.fetch(refused)
    assert hits == []
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_safety_statement_text_is_escaped_not_interpreted(runner, topic):
    topic.edit(MD, "Keep hold of the safety rails the whole time.",
               "Keep hold of the safety rails the whole time & always.")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient", "--lang", "en",
                       "--paper", "letter")
    assert result.exit_code == 0, result.output
    text = pdf_text(Path("out/backwards-walking/en/backwards-walking-patient.pdf"))
    assert squeezed("the whole time & always.") in squeezed(text)
