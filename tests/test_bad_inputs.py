"""The bad-input corpus: every case fails loudly and harmlessly, with its exact message."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import BUNDLED, REPOSITORY
from handouts.cli import cli
from readback import pdf_text, squeezed

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = [case for path in sorted(CORPUS.glob("cases*.yaml"))
         for case in yaml.safe_load(path.read_text("utf-8"))]


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    """A good English build, copied into each case's output folder before it runs."""
    out = tmp_path_factory.mktemp("earlier")
    result = CliRunner().invoke(cli, ["build", str(BUNDLED), "--out", str(out), "--lang", "en",
                                      "--audience", "patient", "--paper", "letter"])
    assert result.exit_code == 0, result.output
    return out


def prepare(case: dict, root: Path) -> tuple[Path, list[str]]:
    """The case's topic folder and extra arguments."""
    topic = root / "backwards-walking"
    if case.get("empty"):
        topic.mkdir()
        return topic, []
    shutil.copytree(BUNDLED, topic)
    args: list[str] = []
    for edit in ([case["edit"]] if "edit" in case else []) + case.get("edits", []):
        path = topic / edit["file"]
        if edit["file"].startswith("templates/"):  # a file of a copy of the templates
            args += _copied_templates(root, args)
            path = root / edit["file"]
        text = path.read_text("utf-8")
        assert edit["old"] in text, f"{case['name']}: {edit['old']!r} not in {edit['file']}"
        path.write_text(text.replace(edit["old"], edit["new"], 1), "utf-8")
    for write in ([case["write"]] if "write" in case else []) + case.get("writes", []):
        path = topic / write["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(write["text"], "utf-8")
    for write in ([case["write_bytes"]] if "write_bytes" in case else []) + \
            case.get("writes_bytes", []):
        path = topic / write["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes.fromhex(write["hex"]))
    for name in case.get("delete", []):
        target = topic / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for name in case.get("mkdir", []):
        (topic / name).mkdir(parents=True, exist_ok=True)
    for name in case.get("fifo", []):
        (topic / name).unlink(missing_ok=True)
        os.mkfifo(topic / name)
    if "slide_template" in case:
        write_slide_template(topic / case["slide_template"]["file"], case["slide_template"])
    if "prepend_bom" in case:
        path = topic / case["prepend_bom"]
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    if "symlink" in case:
        link = topic / case["symlink"]["link"]
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(case["symlink"]["target"])
    if "size" in case:
        line = "Backward walking is walking in reverse, one careful step at a time.\n"
        text = "## Filler {#filler .patient}\n\n" + line * (
            case["size"]["megabytes"] * 1024 * 1024 // len(line))
        (topic / case["size"]["file"]).write_text(text, "utf-8")
    if "table" in case:
        rows = "\n".join(f"| {i} | row {i} |" for i in range(case["table"]["rows"]))
        path = topic / case["table"]["file"]
        path.write_text(path.read_text("utf-8") + "\n## Data {#data .clinician}\n\n"
                        "| n | value |\n|---|---|\n" + rows + "\n", "utf-8")
    args += [arg.replace("{topic}", topic.name).replace("{root}", str(root))
             for arg in case.get("args", [])]
    if "templates_append" in case:
        args += _copied_templates(root, args)
        css = root / "templates" / case["templates_append"]["file"]
        css.write_text(css.read_text("utf-8") + "\n" + case["templates_append"]["text"] + "\n")
    args += _changed_templates(case, root, args)
    return topic, args


def _changed_templates(case: dict, root: Path, args: list[str]) -> list[str]:
    """A copy of the templates with files deleted, written or linked, as a case says."""
    changes = ("templates_delete", "templates_write", "templates_write_bytes",
               "templates_symlink")
    if not any(key in case for key in changes):
        return []
    added = _copied_templates(root, args)
    templates = root / "templates"
    for name in case.get("templates_delete", []):
        (templates / name).unlink()
    if "templates_write" in case:
        write = case["templates_write"]
        (templates / write["file"]).write_text(write["text"] * write.get("repeat", 1), "utf-8")
    if "templates_write_bytes" in case:
        (templates / case["templates_write_bytes"]["file"]).write_bytes(
            bytes.fromhex(case["templates_write_bytes"]["hex"]))
    if "templates_symlink" in case:
        link = templates / case["templates_symlink"]["link"]
        link.unlink(missing_ok=True)
        link.symlink_to(case["templates_symlink"]["target"])
    return added


def _copied_templates(root: Path, args: list[str]) -> list[str]:
    """A copy of the templates the case may change (once), and the option that uses it."""
    templates = root / "templates"
    if "--templates" in args:
        return []
    shutil.copytree(REPOSITORY / "templates", templates)
    return ["--templates", str(templates)]


def write_slide_template(path: Path, spec: dict) -> None:
    """The default slide template, altered: entries added, replaced or removed, content types
    rewritten (a macro-enabled deck, broken XML, a zip bomb...)."""
    source = zipfile.ZipFile(REPOSITORY / "templates" / "slides" / "default.pptx")
    path.parent.mkdir(parents=True, exist_ok=True)
    added = {name: text.encode("utf-8") for name, text in spec.get("add", {}).items()}
    added.update({name: b"\0" * size for name, size in spec.get("zeros", {}).items()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in spec.get("remove", []) or info.filename in added:
                continue
            data = source.read(info.filename)
            for old, new in spec.get("replace", {}).get(info.filename, {}).items():
                data = data.replace(old.encode("utf-8"), new.encode("utf-8"))
            target.writestr(info, data)
        for name, data in added.items():
            target.writestr(name, data)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case, earlier, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, value in case.get("env", {}).items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "out"
    shutil.copytree(earlier, out)
    before = tree(out)
    topic, args = prepare(case, tmp_path)
    command = case.get("command", ["build", "{topic}", "--out", "out"])
    command = [arg.replace("{topic}", topic.name) for arg in command]
    result = CliRunner().invoke(cli, [*command, *args])
    expected_exit = case.get("exit", 1)
    assert result.exit_code == expected_exit, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if "expect" in case:
        assert case["expect"] in result.output.splitlines(), result.output
    if "expect_in" in case:
        assert case["expect_in"] in result.output, result.output
    if expected_exit != 0:
        assert tree(out) == before, "a failed build changed the output folder"
    if "text" in case:
        pdf = out / "backwards-walking/en/backwards-walking-patient.pdf"
        assert squeezed(case["text"]) in squeezed(pdf_text(pdf))


def test_corpus_is_large_and_every_failing_case_names_its_message():
    assert len(CASES) >= 30
    failing = [c for c in CASES if c.get("exit", 1) == 1]
    assert all("expect" in c or "expect_in" in c for c in failing), \
        [c["name"] for c in failing if "expect" not in c and "expect_in" not in c]
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "two cases share a name"
