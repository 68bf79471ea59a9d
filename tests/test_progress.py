"""What a build shows while it renders: a bar on a terminal, lines elsewhere, errors with --quiet."""

from __future__ import annotations

import io

from conftest import run_build

from handouts.build import BuildRequest, build
from handouts.assets.locations import default_templates


class RecordingProgress:
    def __init__(self):
        self.names, self.done, self.ended = None, [], 0

    def begin(self, names):
        self.names = names

    def finished(self, name, line):
        self.done.append((name, line))

    def end(self):
        self.ended += 1


def request(topic, **options):
    return BuildRequest(topics=(topic.folder,), out=topic.root / "out",
                        templates=default_templates(), languages=("en",),
                        audiences=("patient",), **options)


def test_the_build_reports_every_output_as_it_finishes_longest_first(topic):
    """The workers get the longest outputs first (large print), so that is the order they
    finish and are reported in; the report itself lists them in job order."""
    progress = RecordingProgress()
    report = build(request(topic, jobs=2), progress)
    rendered = [output.relpath for output in report.outputs]
    done = [name for name, _ in progress.done]
    assert progress.names == rendered and sorted(done) == sorted(rendered)
    assert len(done) == len(set(done))
    assert done[0].endswith("-patient-large.pdf") or done[0].endswith("-patient-large-a4.pdf")
    assert progress.ended == 1
    html = next(line for name, line in progress.done if name.endswith("-patient.html"))
    assert "section(s)" in html and str(topic.root / "out") in html


def test_a_terminal_shows_a_bar_with_the_current_output_and_the_time_left(topic):
    from rich.console import Console

    from handouts.progress import TerminalBar

    screen = io.StringIO()
    bar = TerminalBar(Console(file=screen, force_terminal=True, width=160))
    build(request(topic, jobs=1), bar)
    shown = screen.getvalue()
    assert "Rendering" in shown and "backwards-walking/en/backwards-walking-patient.pdf" in shown
    assert "0/5" in shown and "-:--:--" in shown  # the count and the estimate's column
    assert shown.count("page(s)") == 4 and shown.count("section(s)") == 1  # lines scroll above


def test_without_a_terminal_the_build_prints_one_line_per_output_as_before(runner, topic):
    result = run_build(runner, str(topic.folder), "--out", "out", "--lang", "en",
                       "--audience", "patient")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.startswith("  out/")]
    assert len(lines) == 5 and "Rendering" not in result.output
    assert "Rendered 5 output(s)" in result.output


def test_quiet_prints_errors_only(runner, topic):
    result = run_build(runner, str(topic.folder), "--out", "out", "--lang", "en",
                       "--audience", "patient", "--quiet")
    assert result.exit_code == 0 and result.output == ""
    topic.edit("backwards-walking.md", "[@thomas2018]", "[@nobody2020]")
    result = run_build(runner, str(topic.folder), "--out", "out", "--lang", "en",
                       "--audience", "patient", "--quiet")
    assert result.exit_code == 1 and "nobody2020" in result.output
