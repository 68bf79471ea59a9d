"""Every file a user hands over is untrusted: each rule that keeps it from blanking, dropping
or injecting what a patient reads, or from hanging or crashing the build, has a test here.

Loaders are called directly where they can be; full builds (patient, English, Letter)
only where the rule is the command line's.
"""

from __future__ import annotations

import base64
import io
import json
import os
import signal
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import BUNDLED, run_build
from handouts.cli import cli
from handouts.errors import ContentErrors
from handouts.load.folder import load_document

MD = "backwards-walking.md"
YAML = "topic.yaml"
BIB = "references.json"
ANCHOR = "## Key points {#key-points .patient .summary}\n"
QUICK = ["--audience", "patient", "--lang", "en", "--paper", "letter"]


@pytest.fixture(autouse=True)
def no_hang():
    """A test that would block (a named pipe opened for reading) fails instead of hanging."""
    def hung(*_):
        raise TimeoutError("the test blocked: something opened a named pipe")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def problems(folder: Path) -> list[str]:
    """Every problem loading the topic reports, as printed; [] if it loads."""
    try:
        load_document(folder)
    except ContentErrors as exc:
        return [str(p) for p in exc.problems if not p.warning]
    return []


def png(width: int = 40, height: int = 30, kind: str = "PNG") -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(data, kind)
    return data.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width × height pixels (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def with_image(topic, name: str, data: bytes | str | None, alt: str = "A picture") -> str:
    """Add `![alt](name)` before the Key points section; write the file; the line's prefix."""
    if data is not None:
        path = topic.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    topic.edit(MD, ANCHOR, f"![{alt}]({name})\n\n{ANCHOR}")
    return f"backwards-walking/{MD}:{topic.line_of(MD, f'![{alt}]')}: image '{name}'"


def add_text(topic, text: str) -> int:
    """Add Markdown before the Key points section; the line it starts on."""
    topic.edit(MD, ANCHOR, text + "\n" + ANCHOR)
    return topic.line_of(MD, ANCHOR.strip()) - text.count("\n") - 1


# -- 1. files a topic names stay inside the topic and are regular files -------------------

@pytest.mark.parametrize("key, value, what", [
    ("content", "../backwards-walking.md", "Markdown file"),
    ("content", "images/../../x.md", "Markdown file"),
    ("bibliography", "../../references.json", "bibliography"),
])
def test_paths_out_of_the_topic_are_refused_at_their_topic_yaml_line(topic, key, value, what):
    old = {"content": MD, "bibliography": BIB}[key]
    topic.edit(YAML, f"{key}: {old}", f"{key}: {value}")
    line = topic.line_of(YAML, f"{key}: {value}")
    assert problems(topic.folder) == [
        f"backwards-walking/{YAML}:{line}: the {what} '{value}' is outside the topic folder "
        "(copy the file into the topic folder and name it relative to it)"]


def test_slide_template_out_of_the_topic_missing_or_not_a_file(topic, tmp_path):
    topic.edit(YAML, "training:\n", "training:\n  template: ../brand.pptx\n")
    line = topic.line_of(YAML, "template:")
    (tmp_path / "brand.pptx").write_bytes(b"PK")
    assert problems(topic.folder) == [
        f"backwards-walking/{YAML}:{line}: the slide template '../brand.pptx' is outside the "
        "topic folder (copy the file into the topic folder and name it relative to it)"]
    topic.edit(YAML, "template: ../brand.pptx", "template: brand.pptx")
    assert problems(topic.folder) == [
        f"backwards-walking/{YAML}:{line}: the slide template 'brand.pptx' does not exist "
        "(check the file name, or add the .pptx or .potx to the topic folder)"]
    topic.path("brand.pptx").symlink_to("/dev/zero")
    assert problems(topic.folder) == [
        f"backwards-walking/{YAML}:{line}: the slide template 'brand.pptx' is a link to a file "
        "outside the topic folder (copy the file into the topic folder instead of linking to "
        "it)"]
    topic.path("brand.pptx").unlink()
    os.mkfifo(topic.path("brand.pptx"))
    assert problems(topic.folder) == [
        f"backwards-walking/{YAML}:{line}: the slide template 'brand.pptx' is a named pipe, "
        "not a file (put the file itself there)"]


def test_a_markdown_file_linked_from_outside_the_topic_is_not_read(topic, tmp_path):
    outside = tmp_path / "shared.md"
    topic.path(MD).rename(outside)
    topic.path(MD).symlink_to(outside)
    line = topic.line_of(YAML, "content:")
    assert problems(topic.folder) == [
        f"backwards-walking/{YAML}:{line}: the Markdown file '{MD}' is a link to a file outside "
        "the topic folder (copy the file into the topic folder instead of linking to it)"]


def test_the_default_file_names_point_at_the_file_itself(topic, tmp_path):
    """Without content:/bibliography: in topic.yaml the message names the file."""
    topic.edit(YAML, "bibliography: references.json\n", "")
    topic.path(BIB).unlink()
    topic.path(BIB).symlink_to("/etc/passwd")
    assert problems(topic.folder) == [
        f"backwards-walking/{BIB}: the file is a link to a file outside the topic folder (copy "
        "the file into the topic folder instead of linking to it)"]


def test_links_that_stay_inside_the_topic_are_followed(topic):
    topic.path("text").mkdir()
    topic.path(MD).rename(topic.path("text/walking.md"))
    topic.path(MD).symlink_to("text/walking.md")
    assert problems(topic.folder) == []


@pytest.mark.parametrize("name, shown", [
    (MD, f"{YAML}:10: the Markdown file '{MD}'"),
    (BIB, f"{YAML}:11: the bibliography '{BIB}'"),
    (YAML, f"{YAML}: the file"),
])
def test_named_pipes_are_refused_at_once_never_opened(topic, name, shown):
    topic.path(name).unlink()
    os.mkfifo(topic.path(name))
    assert problems(topic.folder) == [
        f"backwards-walking/{shown} is a named pipe, not a file (put the file itself there)"]


def test_folders_are_refused_as_files(topic):
    topic.path(BIB).unlink()
    topic.path(BIB).mkdir()
    assert problems(topic.folder) == [
        f"backwards-walking/{YAML}:11: the bibliography '{BIB}' is a folder, not a file (put "
        "the file itself there)"]


def test_reading_checks_the_file_again_through_its_descriptor(tmp_path):
    """A pipe swapped in after the check is refused by the read, which cannot block."""
    from handouts.load.files import Refused, read_bounded
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(Refused, match="named pipe"):
        read_bounded(tmp_path / "pipe", 100)


@pytest.mark.parametrize("name, size, limit, hint", [
    (YAML, 300 * 1024, "256 KB limit of a topic.yaml",
     "keep long text in the Markdown; topic.yaml holds settings"),
    (BIB, 2 * 1024 * 1024, "1 MB limit of a bibliography",
     "keep only the references the topic cites"),
    (MD, 3 * 1024 * 1024, "2 MB limit of a topic source", "split the content into several "
     "topics"),
])
def test_every_text_input_is_bounded_before_it_is_read(topic, name, size, limit, hint):
    topic.path(name).write_bytes(b"#" * size)
    found = problems(topic.folder)
    assert any(line.startswith(f"backwards-walking/{name}: the file is ") and
               f"over the {limit} ({hint})" in line for line in found), found


# -- 2. non-ASCII file names ---------------------------------------------------------------

def test_an_image_with_an_accent_in_its_name_is_found(topic):
    with_image(topic, "images/café.png", png())
    assert problems(topic.folder) == []
    document = load_document(topic.folder).document
    images = [item.image for s in document.sections for item in s.content
              if getattr(item, "image", None)]
    assert [image.path.name for image in images] == ["café.png"]


# -- 3. language tags ----------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["en", "es", "zh-Hans", "es-419", "sr-Latn-RS", "de-CH-1996",
                                 "EN"])
def test_well_formed_language_tags(tag):
    from handouts.load.language import is_language_tag
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["../locales/es", "../../x", "es/..", "e", "es.po", "", "..",
                                 "es-", "es_ES", "español", "es\n", "x" * 9])
def test_malformed_language_tags(tag):
    from handouts.load.language import is_language_tag
    assert not is_language_tag(tag)


def test_a_language_path_on_the_build_command_line_is_a_usage_error(runner, topic):
    result = runner.invoke(cli, ["build", "backwards-walking", "--out", "out", "--lang",
                                 "../locales/es"])
    assert result.exit_code == 2, result.output
    assert ("Error: Invalid value for '--lang': '../locales/es' is not a language tag such as "
            "en, es, ar or zh-Hans") in result.output
    assert "Traceback" not in result.output and not Path("out").exists()


def test_i18n_update_never_writes_outside_the_topic(runner, topic):
    before = sorted(p.name for p in topic.root.rglob("*"))
    result = runner.invoke(cli, ["i18n", "update", "backwards-walking", "--lang", "../../x"])
    assert result.exit_code == 2, result.output
    assert "Error: Invalid value for '--lang': '../../x' is not a language tag" in result.output
    assert sorted(p.name for p in topic.root.rglob("*")) == before
    assert not (topic.root.parent / "x.po").exists()


def test_a_request_made_without_the_command_line_is_checked_too(topic, tmp_path):
    from handouts.plan.request import BuildRequest
    from handouts.plan.topics import plan_topic
    from conftest import REPOSITORY
    request = BuildRequest(topics=(topic.folder,), out=tmp_path / "out",
                           templates=REPOSITORY / "templates", audiences=("patient",),
                           languages=("../../x",))
    found: list = []
    assert plan_topic(topic.folder, request, [], found) is None
    assert [p.message for p in found] == [
        "'../../x' is not a language tag such as en, es, ar or zh-Hans (BCP 47: a 2- or "
        "3-letter language, then an optional script, region and variants, joined by hyphens)"]


def test_topic_yaml_languages_must_be_language_tags(topic):
    topic.edit(YAML, "languages: [en, es]", "languages: [en, ../es]")
    line = topic.line_of(YAML, "languages: [en, ../es]")
    assert (f"backwards-walking/{YAML}:{line}: 'audiences.clinician.languages[2]' should be a "
            "language tag such as en, es, ar or zh-Hans, got text '../es'") in problems(
                topic.folder)


# -- 4. two topic folders with one id --------------------------------------------------------

def test_two_topic_folders_with_one_id_are_refused_naming_both(runner, topic):
    twin = topic.root / "copy" / "backwards-walking"
    twin.parent.mkdir()
    twin.mkdir()
    result = runner.invoke(cli, ["build", "backwards-walking", "copy/backwards-walking",
                                 "--out", "out"])
    assert result.exit_code == 1, result.output
    assert ("copy/backwards-walking/topic.yaml: the topic id 'backwards-walking' is also the "
            "id of backwards-walking/topic.yaml in this command; their outputs would overwrite "
            "each other (build them one at a time into different --out folders, or rename one "
            "topic folder and its id)") in result.output.splitlines()
    assert "Traceback" not in result.output and not Path("out").exists()


def test_the_same_folder_named_twice_is_one_topic(topic):
    from handouts.cli import distinct_topics
    assert distinct_topics((Path("backwards-walking"), topic.folder,
                            Path("./backwards-walking"))) == (Path("backwards-walking"),)


# -- 5. images: refused or unreadable ones stop the load at the Markdown line --------------

SVG = "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>{}</svg>"
OUTSIDE_HINT = ("(an SVG may use only its own #ids and embedded PNG or JPEG images; embed what "
                "it refers to, or export the drawing as PNG)")


@pytest.mark.parametrize("inside, message", [
    ("<image xlink:href='http://127.0.0.1:9/x.png'/>",
     f"refers to 'http://127.0.0.1:9/x.png', outside the drawing {OUTSIDE_HINT}"),
    ("<image href='file:///etc/passwd'/>",
     f"refers to 'file:///etc/passwd', outside the drawing {OUTSIDE_HINT}"),
    ("<image href='../../secret.png'/>",
     f"refers to '../../secret.png', outside the drawing {OUTSIDE_HINT}"),
    ("<rect style='fill: url(http://127.0.0.1:9/p)'/>",
     f"refers to 'http://127.0.0.1:9/p', outside the drawing {OUTSIDE_HINT}"),
    ("<style>@import 'x.css';</style>",
     "imports a style sheet (@import) (put the styles in the SVG itself)"),
    ("<image href='data:image/svg+xml;base64,PHN2Zy8+'/>",
     f"refers to 'data:image/svg+xml;base64,PHN2Zy8+', outside the drawing {OUTSIDE_HINT}"),
    ("<script>alert(1)</script>",
     "holds a <script> element, which is not printed (remove it, or export the drawing as "
     "PNG)"),
    ("<g id='a'><use href='#a'/></g>",
     "refers to itself (an element that draws one of its own ancestors) (remove the circular "
     "<use> or url(#id))"),
    ("<g id='l0'><rect/></g>" + "".join(f"<g id='l{i}'>" + f"<use href='#l{i - 1}'/>" * 10
                                        + "</g>" for i in range(1, 7)),
     "draws more than 50000 elements (counting each <use> of another element) (simplify the "
     "drawing, or export it as PNG)"),
    ("<g>" * 70 + "</g>" * 70,
     "nests elements more than 64 deep (flatten its groups, or export the drawing as PNG)"),
])
def test_svg_that_refers_outside_itself_or_expands_is_refused(topic, inside, message):
    prefix = with_image(topic, "images/figure.svg", SVG.format(inside))
    assert problems(topic.folder) == [f"{prefix} {message}"]


@pytest.mark.parametrize("text, message", [
    ("<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
     "<svg xmlns='http://www.w3.org/2000/svg'><text>&b;</text></svg>",
     "declares a DOCTYPE or entities (which can expand to gigabytes) (remove the <!DOCTYPE ...> "
     "and <!ENTITY ...> lines, or export a plain SVG)"),
    ("<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
     "is not a valid SVG drawing (XML error at line 1 of the SVG: mismatched tag) (export the "
     "drawing again as plain SVG, or as PNG)"),
    ("<svg xmlns='http://www.w3.org/2000/svg'>&xxe;</svg>",
     "is not a valid SVG drawing (XML error at line 1 of the SVG: undefined entity) (export "
     "the drawing again as plain SVG, or as PNG)"),
    ("<html xmlns='http://www.w3.org/1999/xhtml'/>",
     "is not an SVG drawing (it starts with <html>) (export the drawing again as plain SVG)"),
    ("<?xml-stylesheet href='http://127.0.0.1:9/s.css'?><svg/>",
     "holds a processing instruction <?xml-stylesheet ...?> (remove it; an SVG must hold only "
     "its drawing)"),
])
def test_svg_with_entities_or_that_is_not_xml_is_refused(topic, text, message):
    prefix = with_image(topic, "images/figure.svg", text)
    assert problems(topic.folder) == [f"{prefix} {message}"]


@pytest.mark.parametrize("data, message", [
    (b"", "is empty (export the image again)"),
    (png()[:60], "is corrupt or truncated"),
    (png(kind="JPEG")[:-300], "is corrupt or truncated"),
    (png_claiming(60000, 60000), "has 3600.0 megapixels, over the limit of 25 megapixels "
                                 "(scale it down: 3000 pixels across prints sharply on a full "
                                 "page)"),
    (png_claiming(6000, 5000), "is 6000 × 5000 pixels (30.0 megapixels), over the limit of 25 "
                               "megapixels"),
    (png(kind="BMP"), "is not a PNG, JPEG, GIF, WebP or SVG image (save it as PNG, JPEG, GIF, "
                      "WebP or SVG)"),
    (SVG.format("").encode(), "is an SVG drawing (or other XML) named .png (name an SVG "
                              "drawing .svg)"),
])
def test_corrupt_empty_oversized_or_unknown_rasters_are_refused(topic, data, message):
    prefix = with_image(topic, "images/figure.png", data)
    found = problems(topic.folder)
    assert len(found) == 1 and found[0].startswith(f"{prefix} {message}"), found


def test_unsupported_types_and_large_files_are_refused_unread(topic):
    prefix = with_image(topic, "images/figure.tiff", png(kind="TIFF"))
    assert problems(topic.folder) == [
        f"{prefix} has the type '.tiff', which handouts cannot print (save it as PNG, JPEG, "
        "GIF, WebP or SVG)"]
    topic.path("images/big.png").write_bytes(b"\x89PNG" + b"\0" * (11 * 1024 * 1024))
    topic.edit(MD, "images/figure.tiff", "images/big.png")
    assert problems(topic.folder) == [
        f"{prefix.replace('figure.tiff', 'big.png')} is 11.0 MB, over the 10 MB limit of an "
        "image (save it smaller: at most 3000 pixels across prints sharply on a full page)"]


def test_an_image_that_is_a_pipe_or_a_folder_is_refused(topic):
    topic.path("images").mkdir()
    os.mkfifo(topic.path("images/pipe.png"))
    prefix = with_image(topic, "images/pipe.png", None)
    assert problems(topic.folder) == [f"{prefix} is a named pipe, not a file (put the file "
                                      "itself there)"]


@pytest.mark.parametrize("name, data", [
    ("images/a.png", png()), ("images/a.jpg", png(kind="JPEG")), ("images/a.gif", png(kind="GIF")),
    ("images/a.webp", png(kind="WEBP")),
    ("images/a.svg", SVG.format("<defs><linearGradient id='g'/></defs><rect fill='url(#g)' "
                                "width='4' height='4'/><use xlink:href='#g'/><image href='data:"
                                "image/png;base64," + base64.b64encode(png()).decode() + "'/>")),
])
def test_good_images_load(topic, name, data):
    with_image(topic, name, data)
    assert problems(topic.folder) == []


# -- 6. links: the web and e-mail only -------------------------------------------------------

@pytest.mark.parametrize("link, href", [
    ("[the rules](../../etc/shadow)", "../../etc/shadow"),
    ("[a file](file:///etc/passwd)", "file:///etc/passwd"),
    ("[click](javascript:alert(1))", "javascript:alert(1"),
    ("[a page](page.html)", "page.html"),
    ("[a part](#how-to)", "#how-to"),
])
def test_links_other_than_web_or_mail_are_refused_at_their_line(topic, link, href):
    topic.edit(MD, "Falls are the main danger.", f"Falls are the main danger {link}.")
    line = topic.line_of(MD, "Falls are the main danger")
    assert problems(topic.folder) == [
        f"backwards-walking/{MD}:{line}: link '{href}' is not a web or e-mail address (links "
        "may start only with https://, http:// or mailto:; name other places in words)"]


def test_web_and_mail_links_are_kept(topic):
    topic.edit(MD, "Falls are the main danger.", "Falls are the main danger "
               "[see](https://example.org/falls) or [write](mailto:team@example.org).")
    assert problems(topic.folder) == []


def test_links_in_topic_yaml_text_are_checked_too(topic):
    topic.edit(YAML, "subtitle: Information for patients",
               "subtitle: Information for [patients](../../etc/shadow)")
    line = topic.line_of(YAML, "subtitle: Information for")
    assert problems(topic.folder) == [
        f"backwards-walking/{YAML}:{line}: link '../../etc/shadow' is not a web or e-mail "
        "address (links may start only with https://, http:// or mailto:; name other places "
        "in words)"]


def test_an_image_inside_a_list_item_is_refused(topic):
    with_image(topic, "images/a.png", png())  # a real file: only its place is wrong
    topic.edit(MD, "- Backward walking may help your balance and your knees.",
               "- Backward walking may help ![a knee](images/a.png) your knees.")
    line = topic.line_of(MD, "![a knee]")
    assert (f"backwards-walking/{MD}:{line}: an image inside a list, table, heading or sentence "
            "(put each image in a paragraph of its own)") in problems(topic.folder)


# -- 7. no silent loss in the Markdown reader ------------------------------------------------

def nested(depth: int, inside: str = "Deep text.") -> str:
    return ("::: {.patient}\n" * depth) + inside + "\n" + (":::\n" * depth)


@pytest.mark.parametrize("depth", [1, 4, 8])
def test_text_inside_nested_divs_up_to_the_limit_is_kept(depth):
    from handouts.load.sections import read_content
    for inside in ("Deep text.", "- Deep text.\n- More.", "| a | b |\n|---|---|\n| Deep text. | x |"):
        sections, found = read_content("## S {#s .patient}\n\n" + nested(depth, inside)
                                       + "\nAfter.\n", "t.md", BUNDLED)
        assert found == []
        texts = [u.text for s in sections for item in s.content for u in item.units]
        assert "Deep text." in texts and "After." in texts


@pytest.mark.parametrize("depth", [9, 20, 40])
def test_divs_nested_past_the_limit_are_an_error_at_the_div_too_deep(depth):
    from handouts.load.sections import read_content
    _, found = read_content("## S {#s .patient}\n\n" + nested(depth) + "\nAfter.\n", "t.md",
                            BUNDLED)
    assert [str(p) for p in found] == [
        "t.md:11: a ::: div nested more than 8 deep (close some of the enclosing divs; a div "
        "needs only its own audience, safety or notes)"]


@pytest.mark.parametrize("markdown, message", [
    ("- ::: {.clinician}\n  Only for clinicians.\n  :::\n", "t.md:3: a ::: div inside a list "
     "item"),
    ("- Item\n\n  ```\n  code\n  ```\n", "t.md:5: a code block inside a list item"),
    ("- Item\n\n  > quoted\n", "t.md:5: a block quote inside a list item"),
    ("- ## Heading\n", "t.md:3: a heading inside a list item"),
])
def test_blocks_a_list_item_cannot_hold_are_errors_not_dropped(markdown, message):
    from handouts.load.sections import read_content
    _, found = read_content("## S {#s .patient}\n\n" + markdown, "t.md", BUNDLED)
    assert any(str(p).startswith(message) for p in found), found


@pytest.mark.parametrize("body", ["&nbsp;", "\u200b\u200b", " . ", "**&nbsp;**", "[@thomas2000]",
                                  "&#x3164;", "\u2060 \u00a0 \u2014 !"])
def test_a_safety_statement_without_visible_text_is_an_error(topic, body):
    topic.edit(MD, "Call your therapist before you try again if you fall or almost fall.", body)
    line = topic.line_of(MD, "#patient-call-therapist")
    assert problems(topic.folder) == [
        f"backwards-walking/{MD}:{line}: safety statement 'patient-call-therapist' has no "
        "visible text (write the safety wording in words inside the ::: div; spaces, "
        "punctuation, citations and invisible characters print nothing a reader can act on)"]


def test_a_short_safety_statement_in_words_or_digits_is_visible(topic):
    topic.edit(MD, "Call your therapist before you try again if you fall or almost fall.", "Call 911.")
    assert problems(topic.folder) == []


# -- 8. CSL-JSON: wrong types are messages at their line, never tracebacks ----------------

def edit_reference(topic, index: int, **fields) -> int:
    data = json.loads(topic.path(BIB).read_text("utf-8"))
    for name, value in fields.items():
        if value is None:
            data[index].pop(name.replace("_", "-"), None)
        else:
            data[index][name.replace("_", "-")] = value
    topic.path(BIB).write_text(json.dumps(data, indent=2), "utf-8")
    return topic.line_of(BIB, f'"id": "{data[index]["id"]}"')


@pytest.mark.parametrize("fields, where, message", [
    ({"author": "Smith J"}, "author", "\"author\" should be a list of names, got str 'Smith J'"),
    ({"author": [{"family": 5}]}, ("author", 1), "\"family\" of name 1 of \"author\" should be text, "
                                            "got int 5"),
    ({"author": [{"given": "J."}]}, ("author", 1), "name 1 of \"author\" has no \"family\" (or "
                                              "\"literal\")"),
    ({"editor": ["Smith"]}, ("editor", 1), "name 1 of \"editor\" should be an object such as "
                                      "{\"family\": ..., \"given\": ...}, got str 'Smith'"),
    ({"volume": {"a": 1}}, "volume", "\"volume\" should be text or a number, got an object "
                                     "{...}"),
    ({"page": [171, 182]}, "page", "\"page\" should be text or a number, got a list [...]"),
    ({"issue": True}, "issue", "\"issue\" should be text or a number, got true"),
    ({"volume": 10 ** 20}, "volume", "\"volume\" should be text or a number, got int "),
    ({"issued": "2019"}, "issued", "\"issued\" should be a date such as {\"date-parts\": "
                                   "[[2019]]}, got str '2019'"),
    ({"issued": {"date-parts": [["abc"]]}}, "issued", "the date [\"abc\"] in \"issued\" should "
                                                      "hold whole numbers"),
    ({"issued": {"date-parts": [[2019, 13]]}}, "issued", "the date [2019, 13] in \"issued\" has "
                                                         "a month outside 1 to 12"),
    ({"issued": {"date-parts": [[2019, 2, 30]]}}, "issued", "the date [2019, 2, 30] in "
                                                            "\"issued\" is not a day of the "
                                                            "calendar"),
    ({"issued": {"raw": "2019"}}, "issued", "the date \"issued\" has the part \"raw\", which "
                                            "the reference formatter cannot read"),
    ({"type": None}, None, "\"type\" should be a CSL type such as \"article-journal\", got null"),
    ({"language": 5}, "language", "\"language\" should be text, got int 5"),
])
def test_wrong_csl_types_are_messages_at_their_line(topic, fields, where, message):
    line = edit_reference(topic, 0, **fields)
    if where is None:
        line -= 1  # the entry's opening {
    else:  # the field's line, or (field, n): n lines below it (a name in a list)
        field, below = (where, 0) if isinstance(where, str) else where
        line = topic.line_of(BIB, f'"{field}"') + below
    found = problems(topic.folder)
    assert any(p.startswith(f"backwards-walking/{BIB}:{line}: reference 'balasukumaran2019': "
                            f"{message}") for p in found), found


def test_ids_differing_only_in_capitals_are_duplicates(topic):
    data = json.loads(topic.path(BIB).read_text("utf-8"))
    data.append(dict(data[1], id="Cha2016"))
    topic.path(BIB).write_text(json.dumps(data, indent=2), "utf-8")
    found = problems(topic.folder)
    assert any("duplicate bibliography id 'Cha2016' (first at line" in p and "differing only in "
               "capitals" in p for p in found), found


def test_fields_the_formatter_does_not_know_are_dropped_with_a_warning(topic):
    edit_reference(topic, 0, journalAbbreviation="Clin Rehabil", custom={"a": 1})
    loaded = load_document(topic.folder)
    assert "journalAbbreviation" not in loaded.document.references["balasukumaran2019"].csl
    assert any("has the field \"journalAbbreviation\", which the reference formatter does not "
               "know; it is ignored" in p.message and p.warning for p in loaded.warnings)


@pytest.mark.parametrize("text, message", [
    ('[{"id": "a", "volume": NaN}]', "JSON syntax error: NaN is not a JSON number"),
    ("# a comment\n[]\n", "JSON syntax error: Expecting value"),
    ("[" * 5000 + "]" * 5000, "nested too deeply"),
])
def test_the_bibliography_must_be_json(topic, text, message):
    topic.path(BIB).write_text(text, "utf-8")
    found = problems(topic.folder)
    assert any(f"backwards-walking/{BIB}:" in p and message in p for p in found), found


# -- 9. topic.yaml: YAML features that would hang or crash --------------------------------

@pytest.mark.parametrize("old, new, message", [
    ("owner: Clinical Education Team", "owner: &o [a, b]\nx: *o",
     "a YAML alias (*name) is not allowed (write the value out in full where it is needed)"),
    ('version: "1.0"', "version: !!int one", "cannot read the value 'one': invalid literal"),
    ('version: "1.0"', "version: !!python/object:os.system x", "cannot read the value 'x'"),
    ('version: "1.0"', "version: " + "[" * 3000, "the values are nested too deeply to read"),
])
def test_yaml_aliases_tags_and_deep_nesting_are_messages(topic, old, new, message):
    topic.edit(YAML, old, new)
    found = problems(topic.folder)
    assert any(p.startswith(f"backwards-walking/{YAML}:") and message in p for p in found), found


def test_a_billion_laughs_in_topic_yaml_is_refused_at_once(topic):
    laughs = "a0: &a0 [lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
    topic.path(YAML).write_text(laughs + topic.path(YAML).read_text("utf-8"), "utf-8")
    assert problems(topic.folder) == [f"backwards-walking/{YAML}:2: a YAML alias (*name) is not "
                                      "allowed (write the value out in full where it is needed)"]


# -- 10. SOURCE_DATE_EPOCH -------------------------------------------------------------------

@pytest.mark.parametrize("value", ["99999999999999999999", "253402300800", "-1", "1e9", "²³",
                                   "١٧٠٠٠٠٠٠٠٠", "17 00"])
def test_a_malformed_source_date_epoch_is_a_usage_error(monkeypatch, value):
    from handouts.model.dates import SourceDateError, source_date, source_date_epoch
    import datetime as dt
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(SourceDateError) as error:
        source_date_epoch()
    assert error.value.exit_code == 2
    assert "is not a date: it should be a whole number of seconds since 1970-01-01" in str(
        error.value)
    with pytest.raises(SourceDateError):
        source_date(dt.date(2026, 11, 25))


@pytest.mark.parametrize("value, expected", [("0", "1970-01-01 00:00:00"),
                                             ("1700000000", "2023-11-14 22:13:20"),
                                             ("253402300799", "9999-12-31 23:59:59"),
                                             (" ", "2026-11-25 00:00:00")])
def test_source_date_epoch_in_range(monkeypatch, value, expected):
    from handouts.model.dates import source_date
    import datetime as dt
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert str(source_date(dt.date(2026, 11, 25))) == expected


def test_the_build_stops_before_it_starts_on_a_malformed_epoch(runner, topic, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999999")
    result = runner.invoke(cli, ["build", "backwards-walking", "--out", "out", *QUICK])
    assert result.exit_code == 2
    assert "Error: SOURCE_DATE_EPOCH='99999999999999999999' is not a date" in result.output
    assert "Traceback" not in result.output and not Path("out").exists()


def test_a_pipe_given_as_the_slide_template_never_blocks_the_digest(tmp_path):
    """The up-to-date check digests the --template file; a pipe is not read."""
    from handouts.plan.manifest import _regular_digest
    os.mkfifo(tmp_path / "pipe.pptx")
    assert _regular_digest(tmp_path / "pipe.pptx") == ""
    assert _regular_digest(Path("/dev/zero")) == ""


# -- 11. a malformed manifest means "render everything" -----------------------------------

@pytest.mark.parametrize("text", [
    "[]", "null", "3", '"x"', "{", "{}", '{"schema": 1, "outputs": {}}',
    '{"schema": 1, "outputs": [1, 2]}', '{"schema": 1, "outputs": [{}]}',
    '{"schema": "1", "outputs": []}', '{"schema": 1, "outputs": [{"path": 5}]}',
    "[" * 100000,
])
def test_read_treats_any_unexpected_manifest_as_none(tmp_path, text):
    from handouts.plan.manifest import read
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "manifest.json").write_text(text, "utf-8")
    assert read(tmp_path, "t") == {}


def test_read_refuses_entries_with_wrong_types_paths_or_scores(built_manifest):
    from handouts.plan.manifest import read
    out, good = built_manifest
    assert read(out, "backwards-walking") == good
    for change in ({"size": "12"}, {"inputs": None}, {"readability": {"grade": "six"}},
                   {"path": "../../etc/passwd"}, {"checks": {}}, {"pages": True}):
        broken = dict(good, outputs=[dict(good["outputs"][0], **change)])
        (out / "backwards-walking" / "manifest.json").write_text(json.dumps(broken), "utf-8")
        assert read(out, "backwards-walking") == {}, change
    missing = dict(good, outputs=[{k: v for k, v in good["outputs"][0].items() if k != "inputs"}])
    (out / "backwards-walking" / "manifest.json").write_text(json.dumps(missing), "utf-8")
    assert read(out, "backwards-walking") == {}


@pytest.fixture
def built_manifest(runner, topic) -> tuple[Path, dict]:
    result = runner.invoke(cli, ["build", "backwards-walking", "--out", "out", *QUICK])
    assert result.exit_code == 0, result.output
    out = topic.root / "out"
    return out, json.loads((out / "backwards-walking" / "manifest.json").read_text("utf-8"))


@pytest.mark.parametrize("damage", [
    lambda m: [1, 2],
    lambda m: dict(m, outputs=[dict(m["outputs"][0], readability={"grade": "six"})]),
    lambda m: dict(m, outputs=[{k: v for k, v in m["outputs"][0].items() if k != "inputs"}]),
])
def test_a_build_over_a_malformed_manifest_renders_everything(runner, built_manifest, damage):
    out, good = built_manifest
    path = out / "backwards-walking" / "manifest.json"
    path.write_text(json.dumps(damage(good)), "utf-8")
    result = runner.invoke(cli, ["build", "backwards-walking", "--out", "out", *QUICK])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "Rendered 3 output(s), 0 up to date" in result.output
    assert json.loads(path.read_text("utf-8")) == good


def test_the_topic_digest_skips_pipes_and_links_out_of_the_topic(topic, tmp_path):
    from handouts.plan.manifest import topic_digest
    before = topic_digest(topic.folder)
    os.mkfifo(topic.path("source/pipe"))
    (tmp_path / "big").write_bytes(b"x")
    topic.path("source/outside").symlink_to(tmp_path / "big")
    assert topic_digest(topic.folder) == before
