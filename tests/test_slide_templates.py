"""An organisation's slide template is untrusted: refused from its stat, its zip bounds, its
XML, its macros or its layouts, with a message naming the template (and the part or the
layout), before python-pptx opens it; never a traceback, never a hang, never a deck that
carries code."""

from __future__ import annotations

import io
import os
import socket
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPOSITORY, run_build
from handouts.cli import cli
from handouts.errors import ContentErrors, Location
from handouts.render.pptx import package
from handouts.render.pptx.package import TemplateProblem, check_file, read_package
from handouts.render.pptx.template import check_template_file

DEFAULT = REPOSITORY / "templates" / "slides" / "default.pptx"
TRAINER = ("--audience", "trainer", "--lang", "en")
DECK = Path("out/backwards-walking/en/backwards-walking-slides.pptx")
DEADLINE = 60  # seconds; the refusals below take well under one


def variant(path: Path, add: dict[str, bytes] | None = None,
            replace: dict[str, dict[str, str]] | None = None, remove: tuple = ()) -> Path:
    """The default template with entries added, text replaced in entries, or entries removed."""
    with zipfile.ZipFile(DEFAULT) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in remove or info.filename in (add or {}):
                continue
            data = source.read(info.filename)
            for old, new in (replace or {}).get(info.filename, {}).items():
                assert old.encode() in data, f"{old!r} not in {info.filename}"
                data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(TemplateProblem) as caught:
        read_package(path)
    return f"{caught.value.message} ({caught.value.hint})"


def zip_of(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def central_entries(data: bytes) -> dict[str, int]:
    """Each entry's name -> the offset of its central directory record."""
    found, at = {}, data.find(b"PK\x01\x02")
    while at >= 0:
        (length,) = struct.unpack_from("<H", data, at + 28)
        found[data[at + 46:at + 46 + length].decode()] = at
        at = data.find(b"PK\x01\x02", at + 46 + length)
    return found


# -- what python-pptx gets ------------------------------------------------------------------

def test_the_default_template_passes_every_check_unchanged():
    with zipfile.ZipFile(DEFAULT) as original, \
            zipfile.ZipFile(io.BytesIO(read_package(DEFAULT))) as checked:
        assert checked.namelist() == original.namelist()
        assert all(checked.read(n) == original.read(n) for n in original.namelist())


def test_a_potx_is_opened_as_a_presentation(tmp_path):
    potx = variant(tmp_path / "brand.potx", replace={"[Content_Types].xml": {
        "presentationml.presentation.main+xml": "presentationml.template.main+xml"}})
    with zipfile.ZipFile(io.BytesIO(read_package(potx))) as checked:
        assert b"presentationml.presentation.main+xml" in checked.read("[Content_Types].xml")


# -- not a regular file: refused from stat, without opening -------------------------------------

def test_a_folder_a_pipe_a_device_and_a_socket_are_refused_without_being_opened(
        tmp_path, monkeypatch):
    folder = tmp_path / "folder.pptx"
    folder.mkdir()
    pipe = tmp_path / "pipe.pptx"
    os.mkfifo(pipe)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "socket.pptx"))
    monkeypatch.setattr(package, "_read_bounded", _never)
    try:
        for path, kind in [(folder, "a folder"), (pipe, "a named pipe"),
                           (Path("/dev/zero"), "a device"), (tmp_path / "socket.pptx", "a socket")]:
            with pytest.raises(TemplateProblem) as caught:
                read_package(path)
            assert caught.value.message == (f"the slide template {path.name} is {kind}, not a "
                                            ".pptx or .potx file")
            assert caught.value.hint == "give the path of the template file itself"
    finally:
        sock.close()


def _never(*args, **kwargs):
    raise AssertionError("the template was opened")


def test_a_link_to_a_device_is_judged_by_what_it_leads_to(tmp_path):
    (tmp_path / "brand.pptx").symlink_to("/dev/zero")
    with pytest.raises(TemplateProblem, match="is a device"):
        check_file(tmp_path / "brand.pptx")


def test_a_missing_template_names_the_place_it_was_named(tmp_path):
    with pytest.raises(ContentErrors) as caught:
        check_template_file(tmp_path / "brand.pptx", Location("backwards-walking/topic.yaml", 9))
    assert str(caught.value.problems[0]) == (
        "backwards-walking/topic.yaml:9: the slide template brand.pptx does not exist (check the "
        "file name; the template must be in the topic folder or given with --template)")


def test_a_template_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "brand.pptx"
    with open(big, "wb") as handle:  # sparse: costs no disk
        handle.truncate(package.MAX_FILE_BYTES + 1024 * 1024)
    monkeypatch.setattr(package, "_read_bounded", _never)
    assert refusal(big) == ("the slide template brand.pptx is 51 MB, more than the 50 MB a "
                            "template may have (compress its pictures (PowerPoint: File > "
                            "Compress Pictures) or remove the ones the layouts do not need)")


@pytest.mark.parametrize("option", ["pipe", "device"])
def test_a_pipe_or_dev_zero_given_with_template_fails_at_once(topic, tmp_path, option):
    """In a subprocess with a memory cap: a build that read /dev/zero or waited on a pipe
    would hit the cap or the deadline."""
    if option == "pipe":
        template = tmp_path / "brand.pptx"
        os.mkfifo(template)
        expected = f"{template}: the slide template brand.pptx is a named pipe"
    else:
        template = Path("/dev/zero")
        expected = "/dev/zero: the slide template zero is a device"
    command = (f"ulimit -v 3000000; exec {sys.executable} -m handouts build backwards-walking "
               f"--out out {' '.join(TRAINER)} --template {template}")
    started = time.monotonic()
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                            timeout=DEADLINE, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < DEADLINE
    assert not (tmp_path / "out").exists()


# -- the zip: bounded before any entry is read ---------------------------------------------------

def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_any_entry_is_inflated(
        tmp_path, monkeypatch):
    monkeypatch.setattr(package, "MAX_UNPACKED_BYTES", 1024 * 1024)
    bomb = variant(tmp_path / "brand.pptx", add={"ppt/media/image1.png": b"\0" * 2 * 1024 * 1024})
    monkeypatch.setattr(zipfile.ZipFile, "open", _never)
    assert refusal(bomb).startswith("the slide template brand.pptx would unpack to 2 MB, more "
                                    "than the 1 MB a template may have (a zip bomb or a damaged "
                                    "file)")


def test_too_many_entries_are_refused_from_the_end_record_before_the_zip_is_parsed(
        tmp_path, monkeypatch):
    path = tmp_path / "brand.pptx"
    path.write_bytes(zip_of({f"e{i}": b"" for i in range(package.MAX_ENTRIES + 1)},
                            zipfile.ZIP_STORED))
    monkeypatch.setattr(package.zipfile, "ZipFile", _never)
    assert refusal(path).startswith("the slide template brand.pptx holds 2001 files, more than "
                                    "the 2000 a template may have")


def test_an_end_record_that_understates_the_entries_does_not_help(tmp_path):
    data = bytearray(zip_of({f"e{i}": b"" for i in range(2500)}, zipfile.ZIP_STORED))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 1, 1)  # "one entry"
    path = tmp_path / "brand.pptx"
    path.write_bytes(bytes(data))
    assert refusal(path).startswith("the slide template brand.pptx holds 2500 files")


def test_a_zip64_end_record_claiming_a_billion_entries_is_refused_unparsed(tmp_path,
                                                                           monkeypatch):
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 10**9, 10**9, 0, 0)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, 0, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
                      0)
    path = tmp_path / "brand.pptx"
    path.write_bytes(record + locator + end)
    monkeypatch.setattr(package.zipfile, "ZipFile", _never)
    assert refusal(path).startswith("the slide template brand.pptx holds 1000000000 files")


@pytest.mark.parametrize("declared, expected", [
    (100, "cannot be read (Bad CRC-32 for file 'ppt/media/image1.png')"),  # inflates to more
    (4 * 1024 * 1024, "is not the size its zip header declares"),  # inflates to less
])
def test_an_entry_whose_header_lies_about_its_size_is_refused(tmp_path, declared, expected):
    data = bytearray(variant(tmp_path / "good.pptx",
                             add={"ppt/media/image1.png": b"\0" * 1024 * 1024}).read_bytes())
    at = central_entries(bytes(data))["ppt/media/image1.png"]
    struct.pack_into("<I", data, at + 24, declared)
    path = tmp_path / "brand.pptx"
    path.write_bytes(bytes(data))
    assert refusal(path).startswith("the slide template brand.pptx is damaged: "
                                    f"ppt/media/image1.png {expected}")


def test_an_encrypted_entry_is_refused(tmp_path):
    data = bytearray(DEFAULT.read_bytes())
    at = central_entries(bytes(data))["ppt/presentation.xml"]
    struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | 1)
    path = tmp_path / "brand.pptx"
    path.write_bytes(bytes(data))
    assert refusal(path).startswith("the slide template brand.pptx is password-protected "
                                    "(ppt/presentation.xml is encrypted)")


def test_two_entries_with_one_name_are_refused(tmp_path):
    path = tmp_path / "brand.pptx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate we make on purpose
        variant(path, add={"ppt/theme/theme1.xml": b"<a/>"})
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("ppt/theme/theme1.xml", b"<b/>")
    assert refusal(path).startswith("the slide template brand.pptx holds two entries named "
                                    "ppt/theme/theme1.xml")


# -- XML ---------------------------------------------------------------------------------------

def test_broken_xml_in_the_slide_master_names_the_master_and_the_line(tmp_path):
    path = variant(tmp_path / "brand.pptx", replace={
        "ppt/slideMasters/slideMaster1.xml": {"</p:sldMaster>": "</p:sldMastr>"}})
    assert refusal(path).startswith("the slide template brand.pptx has broken XML in the slide "
                                    "master ppt/slideMasters/slideMaster1.xml, line 7: Opening "
                                    "and ending tag mismatch")


def test_entity_expansion_is_refused_before_any_entity_is_expanded(tmp_path):
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "lol"}">'
                       for i in range(10))
    path = variant(tmp_path / "brand.pptx", replace={"ppt/theme/theme1.xml": {
        "standalone='yes'?>": f"standalone='yes'?><!DOCTYPE a:theme [{entities}]>"}})
    started = time.monotonic()
    assert "has a DOCTYPE declaration in ppt/theme/theme1.xml" in refusal(path)
    assert time.monotonic() - started < 5


# -- code: refused, so that no deck carries it ---------------------------------------------

MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


@pytest.mark.parametrize("name, changes, what", [
    ("brand.pptx", {"add": {"ppt/embeddings/VBAPROJECT.BIN": b"x"}},
     "it holds a VBA macro project, ppt/embeddings/VBAPROJECT.BIN"),
    ("brand.pptx", {"add": {"ppt/x.vba": b"x"}, "replace": {"[Content_Types].xml": {
        "<Default Extension=\"bin\"": "<Default Extension=\"vba\" ContentType=\"application/"
        "vnd.ms-office.vbaProject\"/><Default Extension=\"bin\""}}},
     "*.vba has the content type application/vnd.ms-office.vbaProject"),
    ("brand.pptx", {"replace": {"[Content_Types].xml": {
        MAIN: "application/vnd.ms-powerpoint.template.macroEnabled.main+xml"}}},
     "ppt/presentation.xml has the content type "
     "application/vnd.ms-powerpoint.template.macroEnabled.main+xml"),
    ("brand.pptx", {"replace": {"ppt/slideLayouts/_rels/slideLayout2.xml.rels": {
        "</Relationships>": "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/oleObject\" Target=\"../embeddings/oleObject1.bin\"/>"
        "</Relationships>"}}},
     "ppt/slideLayouts/_rels/slideLayout2.xml.rels links an embedded OLE object, "
     "../embeddings/oleObject1.bin"),
    ("brand.pptx", {"replace": {"ppt/slideMasters/_rels/slideMaster1.xml.rels": {
        "</Relationships>": "<Relationship Id=\"rId70\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/control\" Target=\"../activeX/activeX1.xml\"/>"
        "</Relationships>"}}},
     "ppt/slideMasters/_rels/slideMaster1.xml.rels links an ActiveX control, "
     "../activeX/activeX1.xml"),
    ("brand.potm", {}, "a .potm file is macro-enabled"),
    ("brand.PPSM", {}, "a .ppsm file is macro-enabled"),
], ids=["vba-project-anywhere", "vba-content-type", "macro-enabled-potx", "ole-object",
        "activex-control", "potm-name", "ppsm-name"])
def test_templates_that_can_run_code_are_refused(tmp_path, name, changes, what):
    path = variant(tmp_path / name, **changes)
    assert refusal(path) == (
        f"the slide template {name} can run code ({what}); decks are never built from a "
        "template with macros, controls or embedded objects (open it in PowerPoint and save it "
        "as a PowerPoint Template (.potx), which drops macros, and remove any embedded objects "
        "or controls from its layouts)")


def test_a_web_link_in_a_layout_is_kept_but_an_outside_file_is_refused(tmp_path):
    link = ("<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
            "2006/relationships/{kind}\" Target=\"{target}\" TargetMode=\"External\"/>"
            "</Relationships>")
    rels = "ppt/slideLayouts/_rels/slideLayout2.xml.rels"
    web = variant(tmp_path / "web.pptx", replace={rels: {"</Relationships>": link.format(
        kind="hyperlink", target="https://example.org/brand")}})
    read_package(web)
    unc = variant(tmp_path / "unc.pptx", replace={rels: {"</Relationships>": link.format(
        kind="hyperlink", target="\\\\attacker\\share\\x")}})
    assert "links to an outside file, \\\\attacker\\share\\x" in refusal(unc)


def test_a_macro_template_writes_no_deck_and_a_clean_one_writes_a_deck_without_code(
        runner, topic, tmp_path):
    macros = variant(tmp_path / "brand.pptx", add={"ppt/vbaProject.bin": b"VBA"}, replace={
        "ppt/_rels/presentation.xml.rels": {"</Relationships>": (
            "<Relationship Id=\"rId99\" Type=\"http://schemas.microsoft.com/office/2006/"
            "relationships/vbaProject\" Target=\"vbaProject.bin\"/></Relationships>")},
        "[Content_Types].xml": {MAIN: "application/vnd.ms-powerpoint.presentation.macroEnabled"
                                      ".main+xml"}})
    result = run_build(runner, "backwards-walking", "--out", "out", *TRAINER,
                       "--template", str(macros))
    assert result.exit_code == 1
    assert f"{macros}: the slide template brand.pptx can run code" in result.output
    assert not DECK.exists()

    clean = variant(tmp_path / "clean.pptx")
    result = run_build(runner, "backwards-walking", "--out", "out", *TRAINER,
                       "--template", str(clean))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(DECK) as deck:
        names = [n.lower() for n in deck.namelist()]
        types = deck.read("[Content_Types].xml").lower()
        relationships = b"".join(deck.read(n) for n in deck.namelist() if n.endswith(".rels"))
    assert not any("vbaproject" in n or "activex" in n or "embeddings" in n for n in names)
    assert b"macroenabled" not in types and b"vbaproject" not in types
    assert b"vbaproject" not in relationships.lower()


# -- layouts: the placeholders the deck is written into ------------------------------------------

@pytest.mark.parametrize("part, old, new, expected", [
    ("ppt/slideLayouts/slideLayout2.xml", '<p:ph idx="1"/>', '<p:ph idx="7"/>',
     "layout 'Inhalt' (ppt/slideLayouts/slideLayout2.xml) has no body (idx 1) placeholder"),
    ("ppt/slideLayouts/slideLayout4.xml", '<p:ph sz="half" idx="1"/>',
     '<p:ph sz="half" idx="9"/>',
     "layout 'Two Content' (ppt/slideLayouts/slideLayout4.xml) has no left body (idx 1) "
     "placeholder"),
    ("ppt/slideLayouts/slideLayout1.xml", '<p:ph type="subTitle" idx="1"/>',
     '<p:ph type="dt" idx="1"/>',
     "layout 'Title Slide' (ppt/slideLayouts/slideLayout1.xml) has no subtitle placeholder"),
    ("ppt/slideLayouts/slideLayout2.xml", '<p:ph type="title"/>', '<p:ph type="body" idx="3"/>',
     "layout 'Inhalt' (ppt/slideLayouts/slideLayout2.xml) has no title placeholder"),
], ids=["content-body", "two-content-left", "title-subtitle-is-a-date", "content-title"])
def test_a_layout_without_a_needed_placeholder_is_a_message_not_a_traceback(
        runner, topic, tmp_path, part, old, new, expected):
    """These gave StopIteration (planner) or KeyError (writer) tracebacks before."""
    replace = {"ppt/slideLayouts/slideLayout2.xml": {'name="Title and Content"': 'name="Inhalt"'}}
    replace.setdefault(part, {})[old] = new
    variant(topic.path("brand.pptx"), replace=replace)
    topic.edit("topic.yaml", "training:\n", "training:\n  template: brand.pptx\n"
               "  layouts:\n    content: Inhalt\n")
    line = topic.line_of("topic.yaml", "template: brand.pptx")
    result = run_build(runner, "backwards-walking", "--out", "out", *TRAINER)
    assert result.exit_code == 1, result.output
    assert f"backwards-walking/topic.yaml:{line}: the slide template brand.pptx: {expected} (add " \
           "the placeholder to that layout in PowerPoint's Slide Master view, or name another " \
           "layout under training.layouts in topic.yaml)" in result.output.splitlines()
    assert "Traceback" not in result.output
    assert not DECK.exists()


def test_the_layouts_that_pass_give_the_planner_the_boxes_it_measures():
    from handouts.render.pptx import template
    from handouts.render.pptx.planner import placeholder_box

    presentation = template._presentation(DEFAULT)
    layouts = template._layouts(presentation, DEFAULT.name, template.DEFAULT_LAYOUTS)
    for role, idx in [("content", 1), ("two_content", 1), ("two_content", 2)]:
        box, _ = placeholder_box(layouts[role], idx)
        assert box.width >= template.MIN_WIDTH and box.height >= template.MIN_HEIGHT


def test_a_template_that_is_not_a_zip_names_the_template(runner, topic, tmp_path):
    template = tmp_path / "brand.pptx"
    template.write_text("<html>not a deck</html>")
    result = CliRunner().invoke(cli, ["build", "backwards-walking", "--out", "out", *TRAINER,
                                      "--template", str(template)])
    assert result.exit_code == 1
    assert f"{template}: the slide template brand.pptx is not a .pptx or .potx file (it is not " \
           "a zip archive)" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_names_from_inside_the_template_cannot_rewrite_the_terminal(tmp_path):
    path = variant(tmp_path / "brand.pptx", add={
        "ppt/\x1b[2J\nok: 0 problem(s) found; all good/vbaProject.bin": b"x"})
    assert refusal(path).startswith("the slide template brand.pptx can run code (it holds a VBA "
                                    "macro project, ppt/\\x1b[2J\\nok: 0 problem(s) found; all "
                                    "good/vbaProject.bin)")


def test_a_layout_name_is_quoted_escaped(runner, topic, tmp_path):
    template = variant(tmp_path / "brand.pptx", replace={"ppt/slideLayouts/slideLayout4.xml": {
        'name="Two Content"': 'name="Two&#10;Content&#x202e;"'}})
    result = run_build(runner, "backwards-walking", "--out", "out", *TRAINER,
                       "--template", str(template))
    assert result.exit_code == 1
    assert "has no layout 'Two Content'; it has: 'Title Slide', 'Title and Content', " \
        in result.output
    assert "'Two\\nContent\\u202e'" in result.output
    assert "\u202e" not in result.output
