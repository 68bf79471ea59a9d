"""An organisation's slide template, read as the untrusted file it is, before python-pptx sees it.

A .pptx or .potx is a zip of XML parts. python-pptx reads every entry into
memory and trusts what it finds, so the file is checked here first, cheapest
check first, and nothing is read that the checks before it did not bound:

1. the path names a regular file (a folder, named pipe or device is refused
   from its `stat`, without opening it: opening a pipe would wait for a writer,
   reading /dev/zero would never end), of at most MAX_FILE_BYTES;
2. the zip's end record (read from the bytes, before the zip is parsed) lists
   at most MAX_ENTRIES entries in a central directory of at most
   MAX_DIRECTORY_BYTES; the entries' declared sizes add up to at most
   MAX_UNPACKED_BYTES (a zip bomb is refused before one entry is inflated);
3. each entry is read with its declared size as a hard cap, and must inflate
   to exactly that size with the right checksum (a header that lies is refused);
4. [Content_Types].xml is present; every XML part parses, without a DOCTYPE
   (a PowerPoint file never has one; entity expansion is never done);
5. nothing that runs code travels into a deck: a macro-enabled content type,
   a VBA project, ActiveX controls, embedded OLE objects or packages, and
   links to outside files, are refused, not stripped (see README).

What python-pptx then opens is a zip rebuilt from the entries that passed, so
it never sees anything these checks did not.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 50 * 1024 * 1024  # a template with full-bleed photos is a few MB
MAX_ENTRIES = 2000  # PowerPoint's own templates hold under 200
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip's table of contents, parsed before any check
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # python-pptx holds every entry in memory

CONTENT_TYPES = "[Content_Types].xml"
TEMPLATE_MAIN = b"presentationml.template.main+xml"
PRESENTATION_MAIN = b"presentationml.presentation.main+xml"

# Relationship types (the last part of the type URI) whose target can run code.
ACTIVE_RELATIONSHIPS = {
    "vbaproject": "a VBA macro project",
    "vbaprojectsignature": "a VBA macro project",
    "activexcontrol": "an ActiveX control",
    "activexcontrolbinary": "an ActiveX control",
    "control": "an ActiveX control",
    "oleobject": "an embedded OLE object",
    "package": "an embedded document",
}
# Internal relationships whose target must be in the file: the chain python-pptx walks from
# the presentation to the layouts (it skips a missing part, then fails when it is used).
STRUCTURE = {"officedocument": "the presentation", "slidemaster": "the slide master",
             "slidelayout": "the slide layout", "theme": "the theme"}
ACTIVE_TYPE = re.compile(r"macroenabled|vbaproject|activex|oleobject", re.IGNORECASE)
MACRO_SUFFIXES = (".pptm", ".potm", ".ppsm")
WEB_LINK = re.compile(r"(https?://|mailto:)", re.IGNORECASE)

KIND = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")]

SAVE_AS = ("save it from PowerPoint or LibreOffice as a PowerPoint template (.potx) or "
           "presentation (.pptx)")


MAX_MESSAGE = 1000  # characters: names inside the file are the file's, of any length


class TemplateProblem(Exception):
    """What is wrong with the template file, and what to do; the caller adds where.

    Messages quote names from inside the file (entries, layouts, targets): control and
    invisible characters are shown escaped, so a name cannot rewrite the terminal or forge
    a line of output, and a message is never longer than MAX_MESSAGE.
    """

    def __init__(self, message: str, hint: str = SAVE_AS):
        message = printable(message)
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE - 1] + "…"
        super().__init__(message)
        self.message, self.hint = message, hint


def printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def check_file(path: Path) -> os.stat_result:
    """Refuse, from `stat` alone, anything but an existing regular file of a bounded size."""
    name = path.name or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise TemplateProblem(f"the slide template {name} does not exist",
                              "check the file name; the template must be in the topic folder "
                              "or given with --template") from None
    except OSError as exc:
        raise TemplateProblem(f"the slide template {name} cannot be read: "
                              f"{exc.strerror or exc}", "check the file's permissions") from None
    _check_kind(name, info)
    return info


def _check_kind(name: str, info: os.stat_result) -> None:
    for test, kind in KIND:
        if test(info.st_mode):
            raise TemplateProblem(f"the slide template {name} is {kind}, not a .pptx or .potx "
                                  "file", "give the path of the template file itself")
    if not stat.S_ISREG(info.st_mode):
        raise TemplateProblem(f"the slide template {name} is not a regular file",
                              "give the path of the template file itself")
    if info.st_size > MAX_FILE_BYTES:
        raise TemplateProblem(f"the slide template {name} is {megabytes(info.st_size)}, more than "
                              f"the {megabytes(MAX_FILE_BYTES)} a template may have",
                              "compress its pictures (PowerPoint: File > Compress Pictures) or "
                              "remove the ones the layouts do not need")


def read_package(path: Path) -> bytes:
    """The template as a clean .pptx zip for python-pptx; TemplateProblem if it is not one."""
    name = path.name
    check_file(path)
    if path.suffix.lower() in MACRO_SUFFIXES:
        raise _macros(name, f"a {path.suffix.lower()} file is macro-enabled")
    data = _read_bounded(path, name)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE compound file
        raise TemplateProblem(f"the slide template {name} is password-protected or a "
                              "PowerPoint 97-2003 (.ppt) file",
                              "remove its password, or " + SAVE_AS)
    _check_directory(name, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            struct.error, NotImplementedError) as exc:
        raise TemplateProblem(f"the slide template {name} is not a .pptx or .potx file "
                              f"(it cannot be read as a zip archive: {exc})") from None
    _check_entries(name, entries)
    parts = {info.filename: _read_entry(archive, info, name)
             for info in entries if not info.filename.endswith("/")}
    if CONTENT_TYPES not in parts:
        raise TemplateProblem(f"the slide template {name} has no {CONTENT_TYPES}, so it is not "
                              "a PowerPoint file")
    _check_xml(name, parts)
    _check_relationships(name, parts)
    parts[CONTENT_TYPES] = parts[CONTENT_TYPES].replace(TEMPLATE_MAIN, PRESENTATION_MAIN)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for part, content in parts.items():
            target.writestr(zipfile.ZipInfo(part, (1980, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


def _read_bounded(path: Path, name: str) -> bytes:
    """The file's bytes, opened so that a file swapped for a pipe since `stat` cannot block."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise TemplateProblem(f"the slide template {name} cannot be read: "
                              f"{exc.strerror or exc}", "check the file's permissions") from None
    try:
        _check_kind(name, os.fstat(handle))
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(handle, min(1024 * 1024, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise TemplateProblem(f"the slide template {name} cannot be read: "
                              f"{exc.strerror or exc}", "check the file's permissions") from None
    finally:
        os.close(handle)
    if size > MAX_FILE_BYTES:  # it grew after stat
        raise TemplateProblem(f"the slide template {name} is more than the "
                              f"{megabytes(MAX_FILE_BYTES)} a template may have",
                              "compress its pictures or remove the ones the layouts do not need")
    return b"".join(chunks)


def _check_directory(name: str, data: bytes) -> None:
    """Bound the zip's table of contents from its end record, before zipfile parses it."""
    def whole(at: int) -> bool:  # a record whose comment runs exactly to the end
        return at + 22 <= len(data) and \
            struct.unpack_from("<H", data, at + 20)[0] == len(data) - at - 22

    start = max(0, len(data) - 22 - 65535)  # the record, then a comment of up to 64 KB
    end = found = data.rfind(b"PK\x05\x06", start)
    while found >= 0 and not whole(found):  # the signature inside the comment, or garbage
        found = data.rfind(b"PK\x05\x06", start, found)
    end = found if found >= 0 else end
    if end < 0 or len(data) < end + 22:
        raise TemplateProblem(f"the slide template {name} is not a .pptx or .potx file "
                              "(it is not a zip archive)")
    entries, directory = struct.unpack_from("<HI", data, end + 10)
    if entries == 0xFFFF or directory == 0xFFFFFFFF:  # a ZIP64 end record says more
        locator = end - 20
        if locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":
            (offset,) = struct.unpack_from("<Q", data, locator + 8)
            if offset + 56 <= len(data) and data[offset:offset + 4] == b"PK\x06\x06":
                entries, directory = struct.unpack_from("<QQ", data, offset + 32)
    if entries > MAX_ENTRIES:
        raise _too_many(name, entries)
    if directory > MAX_DIRECTORY_BYTES:
        raise TemplateProblem(f"the slide template {name} has a table of contents of "
                              f"{megabytes(directory)}, more than the "
                              f"{megabytes(MAX_DIRECTORY_BYTES)} a template may have "
                              "(a damaged or hostile file)")


def _too_many(name: str, count: int) -> TemplateProblem:
    return TemplateProblem(f"the slide template {name} holds {count} files, more than the "
                           f"{MAX_ENTRIES} a template may have (a damaged or hostile file)")


def _check_entries(name: str, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise _too_many(name, len(entries))
    unpacked = sum(info.file_size for info in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise TemplateProblem(f"the slide template {name} would unpack to "
                              f"{megabytes(unpacked)}, more than the "
                              f"{megabytes(MAX_UNPACKED_BYTES)} a template may have "
                              "(a zip bomb or a damaged file)")
    seen = set()
    for info in entries:
        if info.filename in seen:
            raise TemplateProblem(f"the slide template {name} holds two entries named "
                                  f"{info.filename} (a damaged or hostile file)")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise TemplateProblem(f"the slide template {name} is password-protected "
                                  f"({info.filename} is encrypted)",
                                  "remove its password, or " + SAVE_AS)
        if "vbaproject" in PurePosixPath(info.filename).name.lower():
            raise _macros(name, f"it holds a VBA macro project, {info.filename}")


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One entry, read no further than its declared size, which it must match exactly."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size)
            extra = stream.read(1)  # zipfile stops at the declared size; checks the CRC here
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
            NotImplementedError, struct.error) as exc:
        raise TemplateProblem(f"the slide template {name} is damaged: {info.filename} cannot be "
                              f"read ({exc})") from None
    if len(data) != info.file_size or extra:
        raise TemplateProblem(f"the slide template {name} is damaged: {info.filename} is not "
                              "the size its zip header declares")
    return data


def _check_xml(name: str, parts: dict[str, bytes]) -> None:
    """Every XML part parses, with no DOCTYPE (so no entities) and no network."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    for part, content in parts.items():
        if not part.lower().endswith((".xml", ".rels")):
            continue
        where = _describe(part)
        try:
            root = etree.fromstring(content, parser)
        except etree.XMLSyntaxError as exc:
            line = exc.position[0] if exc.position else exc.lineno
            message = re.sub(r", line \d+, column \d+$", "", str(exc.msg or exc))
            raise TemplateProblem(f"the slide template {name} has broken XML in {where}, "
                                  f"line {line}: {message}",
                                  "open the template in PowerPoint or LibreOffice and save it "
                                  "again, or ask whoever made it for a working copy") from None
        if root.getroottree().docinfo.doctype:
            raise TemplateProblem(f"the slide template {name} has a DOCTYPE declaration in "
                                  f"{where}, which no PowerPoint file has (a hostile file)",
                                  "ask whoever made it for a copy saved by PowerPoint")


def _describe(part: str) -> str:
    if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", part):
        return f"the slide layout {part}"
    if re.fullmatch(r"ppt/slideMasters/slideMaster\d+\.xml", part):
        return f"the slide master {part}"
    return part


def _check_relationships(name: str, parts: dict[str, bytes]) -> None:
    """No macro-enabled content type, no code-running relationship, no outside file linked,
    and the presentation's masters, layouts and themes all there."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    types = etree.fromstring(parts[CONTENT_TYPES], parser)
    for element in types:
        content_type = element.get("ContentType") or ""
        if ACTIVE_TYPE.search(content_type):
            what = element.get("PartName") or f"*.{element.get('Extension')}"
            raise _macros(name, f"{what.lstrip('/')} has the content type {content_type}")
    for part, content in parts.items():
        if not part.lower().endswith(".rels"):
            continue
        for relationship in etree.fromstring(content, parser):
            kind = (relationship.get("Type") or "").rstrip("/").rsplit("/", 1)[-1]
            target = relationship.get("Target") or ""
            if kind.lower() in ACTIVE_RELATIONSHIPS:
                raise _macros(name, f"{part} links {ACTIVE_RELATIONSHIPS[kind.lower()]}, "
                                    f"{target}")
            external = (relationship.get("TargetMode") or "").lower() == "external"
            if external and not (kind.lower() == "hyperlink" and WEB_LINK.match(target)):
                raise TemplateProblem(
                    f"the slide template {name} links to an outside file, {target} ({part}); "
                    "a deck opened with it would fetch that file",
                    "insert pictures and media into the template instead of linking them")
            if not external and kind.lower() in STRUCTURE:
                wanted = _target(part, target)
                if wanted not in parts:
                    source = _source(part) or "the package"
                    raise TemplateProblem(
                        f"the slide template {name} is damaged: {source} refers to "
                        f"{STRUCTURE[kind.lower()]} {wanted}, which is not in the file",
                        "open the template in PowerPoint or LibreOffice and save it again")


def _source(rels: str) -> str:
    """The part a .rels file describes: ppt/_rels/presentation.xml.rels -> ppt/presentation.xml."""
    folder, _, file = rels.rpartition("_rels/")
    return folder + file.removesuffix(".rels")


def _target(rels: str, target: str) -> str:
    """The zip entry name a relationship's target refers to."""
    base = posixpath.dirname(_source(rels))
    joined = target if target.startswith("/") else posixpath.join("/", base, target)
    return posixpath.normpath(joined).lstrip("/")


def _macros(name: str, what: str) -> TemplateProblem:
    return TemplateProblem(f"the slide template {name} can run code ({what}); decks are never "
                           "built from a template with macros, controls or embedded objects",
                           "open it in PowerPoint and save it as a PowerPoint Template (.potx), "
                           "which drops macros, and remove any embedded objects or controls "
                           "from its layouts")
