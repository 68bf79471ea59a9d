"""Reading a translator's PO file strictly: every flaw is a `Problem` at its line.

polib, which the rest of the package uses for catalogs, is lenient: it
builds garbled text from a missing quote, keeps the last of two entries with
one msgctxt, and raises IOError or UnicodeDecodeError on other flaws. Safety
text must never be built from a file GNU gettext would refuse, so the file is
checked here first with the rules of `msgfmt --check`, and a few stricter ones:

- it is a regular file inside the topic's locales folder (links resolved), and
  its size is bounded before it is read (`MAX_CATALOG_BYTES`);
- it is UTF-8 without a byte-order mark (msgfmt refuses one), and its header
  says `charset=UTF-8` (a valid Plural-Forms, if any);
- every line is a comment, a keyword line (`msgctxt`, `msgid`, `msgstr`) with
  one string, or a string continuing the keyword above; strings use only the
  escapes \\n \\t \\\\ \\"; no control characters, no Unicode line separators,
  no backslash at the end of a line (msgfmt joins the next line to it);
- every entry is `[msgctxt] msgid msgstr`, with no comment inside it and no
  plural forms (handouts has none); a translation begins and ends with a line
  break exactly when its English does;
- no two entries share a msgctxt (a unit id), or a msgid without msgctxt.

Only a file that passes goes to polib, so what polib builds is what the file
says (checked: both readings must agree entry by entry). When GNU gettext's
msgfmt is installed, it reads the file too, as a second opinion (it also
checks `#, c-format`-style flags and evaluates Plural-Forms). The checks above
do not depend on it: on thousands of random catalogs (tests/test_po_properties.py)
msgfmt refused nothing they accepted, but for Plural-Forms expressions.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..errors import ContentErrors, Location, Problem

# The loader refuses a topic source over 2 MB (load/files.py). A catalog holds
# each unit's English (msgid), its translation (msgstr), the previous English
# of fuzzy entries (#| msgid) and ~150 bytes of comments per entry. The shipped
# catalogs measure 4.8 (es.po), 5.9 (ar.po: two-byte Arabic letters) and 5.2
# (zh-Hans.po) times the bytes of their English msgids, so the catalog of the
# largest topic the loader accepts is under 6 x 2 MB. A larger file is not a
# catalog of this topic (a wrong file, a paste gone wrong, /dev/zero), and is
# refused before it is read into memory.
MAX_CATALOG_BYTES = 12 * 1024 * 1024
MAX_SYNTAX_PROBLEMS = 10  # after the first few, later errors are usually echoes of them
MSGFMT_TIMEOUT = 30  # seconds; msgfmt reads a 12 MB catalog in 0.6 s (this module in 2.3 s)

KEYWORDS = ("msgctxt", "msgid", "msgstr")
STRING = r'"(?:[^"\\]|\\.)*"'
KEYWORD_LINE = re.compile(rf"([A-Za-z_\[\]0-9]+)[ \t]+({STRING})[ \t]*$")
STRING_LINE = re.compile(rf"({STRING})[ \t]*$")
ESCAPE = re.compile(r"\\(.)")
ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"'}
# Characters no translation needs, and which would split or hide a line:
# C0/C1 controls (tab aside), DEL, and the Unicode line and paragraph separators.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# What GNU gettext's manual lists: nplurals=N; plural=EXPRESSION in n (C operators).
PLURAL_FORMS = re.compile(r"nplurals\s*=\s*[1-9][0-9]?\s*;\s*plural\s*=\s*"
                          r"[n0-9\s()!=<>%&|?:+*/-]+;?")
CHARSET = re.compile(r"charset\s*=\s*([^\s;\"\\]*)", re.IGNORECASE)
# The header as bytes: `msgid ""` directly followed by msgstr, up to the next blank line.
RAW_HEADER = re.compile(rb'^[ \t]*msgid[ \t]+""[ \t]*\r?\n[ \t]*msgstr.*?(?:\n[ \t]*\r?\n|\Z)',
                        re.MULTILINE | re.DOTALL)
RAW_CHARSET = re.compile(rb'^[ \t]*(?:msgstr[ \t]+)?"Content-Type:[^"\n]*?charset='
                         rb'([^\s;"\\]*)', re.MULTILINE | re.IGNORECASE)
UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                 codecs.BOM_UTF16_BE)
MSGFMT_LINE = re.compile(r"^<stdin>:(\d+)(?::\d+)?: (.*)$")
SAVE_UTF8 = "save it as UTF-8 in your PO editor (Poedit, Weblate and msgcat do)"
TOO_BIG = ("a catalog of the largest topic handouts accepts is smaller; check that this is "
           "the translator's file")


@dataclass
class EntryLines:
    """Where an entry is: its first line, the line naming it, and its msgstr line."""

    start: int
    key: int
    msgstr: int


@dataclass
class Catalog:
    """A catalog that passed every check, and the lines of its entries."""

    po: polib.POFile
    lines: dict[tuple[str | None, str | None], EntryLines] = field(default_factory=dict)


@dataclass
class _Entry:
    start: int
    obsolete: bool
    context: str | None = None
    msgid: str | None = None
    msgstr: str | None = None
    key_line: int = 0
    msgstr_line: int = 0
    damaged: bool = False  # a syntax error was reported inside it already
    fuzzy: bool = False
    pieces: list[tuple[int, str, str]] = field(default_factory=list)  # (line, keyword, text)

    def add(self, line: int, keyword: str, text: str) -> None:
        self.pieces.append((line, keyword, text))
        if keyword == "msgctxt":
            self.context = (self.context or "") + text
        elif keyword == "msgid":
            self.msgid = (self.msgid or "") + text
        else:
            self.msgstr = (self.msgstr or "") + text


def handouts_key(context: str | None, msgid: str | None) -> tuple[str | None, str | None]:
    """How handouts looks an entry up: by msgctxt (a unit id), or by msgid without one."""
    return (context, None) if context else (None, msgid)


def read_catalog(path: Path, shown: str, folder: Path | None = None,
                 wrapwidth: int = 79) -> Catalog:
    """The catalog at `path`, checked as `msgfmt --check` would; ContentErrors if not.

    `folder` is where the file must be after resolving links (the topic's locales/).
    """
    data = _read_bytes(path, shown, folder)
    text = _decode(data, shown)
    entries = _lex(text, shown)
    _check_header(entries, shown)
    _check_duplicates(entries, shown)
    _check_line_breaks(entries, shown)
    po = _polib(text, shown, wrapwidth)
    catalog = Catalog(po, _lines(entries, po, shown))
    problems = msgfmt_problems(data, shown)
    if problems:
        raise ContentErrors(problems)
    return catalog


# -- bytes and characters ------------------------------------------------------

def _read_bytes(path: Path, shown: str, folder: Path | None) -> bytes:
    where = Location(shown)
    try:
        inside = folder is None or path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop of symbolic links
        raise ContentErrors([Problem(where, "the catalog is a symbolic link that leads nowhere",
                                     "replace it with the translator's file")]) from None
    if not inside:
        raise ContentErrors([Problem(where, "the catalog is a link to a file outside the "
                                     "topic's locales folder",
                                     "copy the translator's file into the locales folder "
                                     "instead of linking to it")])
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ContentErrors([Problem(where, f"cannot read the catalog: {exc.strerror}",
                                     "check that the file exists and is readable")]) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a folder" if stat.S_ISDIR(info.st_mode) else
                    "a named pipe" if stat.S_ISFIFO(info.st_mode) else
                    "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                    else "a special file")
            raise ContentErrors([Problem(where, f"the catalog is {kind}, not a file",
                                         "put the translator's .po file here")])
        if info.st_size > MAX_CATALOG_BYTES:
            raise ContentErrors([Problem(where, f"the catalog is "
                                         f"{info.st_size / 1024 / 1024:.1f} MB, over the "
                                         f"{MAX_CATALOG_BYTES // 1024 // 1024} MB limit of a "
                                         "catalog", TOO_BIG)])
        chunks, size = [], 0
        while size <= MAX_CATALOG_BYTES:
            chunk = os.read(descriptor, min(1 << 20, MAX_CATALOG_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise ContentErrors([Problem(where, f"cannot read the catalog: {exc.strerror}",
                                     "check that the file is readable")]) from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_CATALOG_BYTES:  # it grew while being read
        raise ContentErrors([Problem(where, f"the catalog is over the "
                                     f"{MAX_CATALOG_BYTES // 1024 // 1024} MB limit of a "
                                     "catalog", TOO_BIG)])
    return data


def _decode(data: bytes, shown: str) -> str:
    if data.startswith(UTF16_32_BOMS):
        raise ContentErrors([Problem(Location(shown, 1), "the catalog is saved as UTF-16 or "
                                     "UTF-32, not UTF-8", SAVE_UTF8)])
    if data.startswith(codecs.BOM_UTF8):
        raise ContentErrors([Problem(Location(shown, 1), "the catalog starts with a byte-order "
                                     "mark, which GNU gettext refuses",
                                     "save it as UTF-8 without BOM (Poedit and msgcat do)")])
    # The header's charset first: a file saved as Latin-1 says so there, which is the
    # better message than the first byte that is not UTF-8.
    header = RAW_HEADER.search(data)
    declared = header and RAW_CHARSET.search(data, header.start(), header.end())
    if declared and not _is_utf8(declared.group(1).decode("latin-1")):
        line = data.count(b"\n", 0, declared.start(1)) + 1
        raise ContentErrors([_charset_problem(shown, line, declared.group(1).decode("latin-1"))])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise ContentErrors([Problem(Location(shown, line), f"the catalog is not UTF-8 (byte "
                                     f"0x{data[exc.start]:02x} at column {column})",
                                     SAVE_UTF8)]) from None


def _is_utf8(name: str) -> bool:
    try:
        return codecs.lookup(name).name == "utf-8"
    except LookupError:
        return False


def _charset_problem(shown: str, line: int, charset: str) -> Problem:
    what = (f"the catalog's header declares charset={charset}" if charset else
            "the catalog's header declares no charset")
    return Problem(Location(shown, line), f"{what}; handouts reads UTF-8 catalogs only",
                   f"{SAVE_UTF8}, with the header line "
                   "\"Content-Type: text/plain; charset=UTF-8\\n\"")


# -- lines and entries ---------------------------------------------------------

class _Syntax:
    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []

    def __call__(self, line: int, message: str, hint: str) -> None:
        if len(self.problems) < MAX_SYNTAX_PROBLEMS:
            self.problems.append(Problem(Location(self.shown, line),
                                         f"PO syntax error: {message}", hint))


def _lex(text: str, shown: str) -> list[_Entry]:
    """Every entry of the file, in order, or ContentErrors naming each bad line.

    After a bad line the reading goes on as if the line were right, so that one
    mistake is reported once, not again at every line after it.
    """
    error = _Syntax(shown)
    entries: list[_Entry] = []
    current: _Entry | None = None
    state = "between"  # between entries, or after: msgctxt, msgid, msgstr
    pending_start = 0  # first comment line of the next entry
    previous_open = False  # a `#| msgid` line may be continued by `#| "..."`
    interrupted = 0  # a comment line after a msgctxt or msgid, before any msgstr
    fuzzy = False  # a `#, fuzzy` flag for the next entry
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        bad = FORBIDDEN.search(line)
        if bad:
            error(number, f"control character U+{ord(bad.group(0)):04X} at column "
                          f"{bad.start() + 1}", "delete it; write \\n for a line break")
            line = FORBIDDEN.sub("?", line)
        if line.endswith("\\"):
            error(number, "the line ends with a backslash, which joins the next line to it",
                  "delete the backslash (inside a string, write \\\\ for one)")
            line = line[:-1]
        body = line.strip(" \t")
        if not body:
            continue
        obsolete = False
        if body.startswith("#~"):
            rest = body[2:]
            if rest.startswith("|"):  # the previous English of an obsolete entry
                continue
            if rest[:1] not in (" ", "\t") or not rest.strip(" \t"):
                error(number, f"unknown comment {body[:4]!r}",
                      "obsolete entries start with '#~ ' and a msgid, msgstr or \"...\" line")
                continue
            body, obsolete = rest.strip(" \t"), True
        elif body.startswith("#"):
            previous_open = _comment(body, number, error, previous_open)
            if state in ("msgctxt", "msgid"):
                interrupted = interrupted or number
                continue
            if state == "msgstr":  # the entry above is complete; this one starts here
                current, state, pending_start, fuzzy = None, "between", 0, False
            pending_start = pending_start or number
            fuzzy = fuzzy or body.startswith("#,") and "fuzzy" in [
                flag.strip() for flag in body[2:].split(",")]
            continue
        previous_open = False
        offset = line.find(body)
        keyword_match = KEYWORD_LINE.match(body)
        string_match = STRING_LINE.match(body)
        if keyword_match:
            keyword, literal = keyword_match.groups()
            value = _unescape(literal, number, offset + keyword_match.start(2) + 1, error)
        elif string_match:
            keyword, literal = None, string_match.group(1)
            value = _unescape(literal, number, offset + 1, error)
        else:
            _diagnose(body, number, error)
            word = re.match(r"[A-Za-z_]*", body).group(0)
            if word not in KEYWORDS:
                continue
            keyword = word
            value = ""
        value = value or ""
        if interrupted:
            if keyword == "msgstr":
                error(interrupted, "a comment inside an entry, before its msgstr",
                      "move the comment above the entry's msgctxt or msgid")
            elif current is not None:
                if not current.damaged:
                    error(current.key_line or current.start, "an entry without msgstr",
                          "add msgstr \"\" (or its translation) after the msgid")
                current, state, pending_start, fuzzy = None, "between", interrupted, False
            interrupted = 0
        if keyword is None:
            if current is None or state == "between" or obsolete != current.obsolete:
                error(number, "a \"...\" line that continues no msgctxt, msgid or msgstr",
                      "join it to the string above it, or delete it")
                continue
            current.add(number, state, value)
            continue
        if keyword not in KEYWORDS:
            hint = ("handouts catalogs have no plural forms; delete the entry"
                    if keyword.startswith(("msgid_plural", "msgstr[")) else
                    "the keywords are msgctxt, msgid and msgstr")
            error(number, f"unknown keyword {keyword!r}", hint)
            if current is not None and state != "between":
                current.damaged = True
            continue
        if current is not None and state in ("msgctxt", "msgid") and \
                obsolete != current.obsolete:
            error(number, "an entry mixes obsolete (#~) and current lines",
                  "mark every line of an obsolete entry with '#~ ', or none")
        if keyword in ("msgctxt", "msgid") and state in ("between", "msgstr"):
            current = _Entry(pending_start or number, obsolete, fuzzy=fuzzy)
            entries.append(current)
            pending_start, fuzzy = 0, False
            current.key_line = number
        elif not (keyword == "msgid" and state == "msgctxt" or
                  keyword == "msgstr" and state == "msgid"):
            expected = {"between": "msgctxt or msgid", "msgctxt": "msgid",
                        "msgid": "msgstr", "msgstr": "a new entry (msgctxt or msgid)"}[state]
            hint = {"msgstr": "every msgid needs its msgstr, and each keyword appears once "
                              "per entry",
                    "msgid": "an entry is: msgctxt \"id\" (optional), msgid \"English\", "
                             "msgstr \"translation\""}.get(keyword, "check the entry's "
                                                                   "keywords")
            error(number, f"{keyword} where {expected} was expected", hint)
            continue
        if current is None:  # pragma: no cover - every path above sets it
            continue
        current.add(number, keyword, value)
        if keyword == "msgstr":
            current.msgstr_line = number
        state = keyword
    if state in ("msgctxt", "msgid") and current is not None and not current.damaged:
        error(current.key_line or current.start, "an entry without msgstr",
              "add msgstr \"\" (or its translation) after the msgid")
    if error.problems:
        raise ContentErrors(error.problems)
    return entries


def _comment(body: str, number: int, error: _Syntax, previous_open: bool) -> bool:
    """Check one comment line; True when it is a `#|` line a `#| "..."` may continue."""
    if body.startswith("#|"):
        rest = body[2:].strip(" \t")
        match = KEYWORD_LINE.match(rest)
        if match and match.group(1) in ("msgctxt", "msgid"):
            return _unescape(match.group(2), number, 1, error) is not None
        if STRING_LINE.match(rest) and previous_open:
            return _unescape(rest, number, 1, error) is not None
        error(number, "a '#|' line that is not '#| msgctxt \"...\"', '#| msgid \"...\"' or "
                      "their continuation", "delete the line (it only shows the old English)")
        return False
    marker = body[:2]
    if body == "#" or body[1:2] in (" ", "\t") or body.startswith("##") or \
            marker in ("#.", "#:", "#,") and (len(body) == 2 or body[2] in " \t"):
        return False
    error(number, f"unknown comment {body.split()[0][:12]!r}",
          "start a comment with '# ' (a space after #); flags are written '#, fuzzy'")
    return False


def _diagnose(body: str, number: int, error: _Syntax) -> None:
    """A precise message for a line that is neither a keyword line nor a string."""
    word = re.match(r"[A-Za-z_\[\]0-9]*", body).group(0)
    after = body[len(word):].lstrip(" \t")
    if word and word not in KEYWORDS and not after.startswith('"'):
        error(number, f"unexpected text {body[:30]!r}",
              "each line is a comment (#), a keyword (msgctxt, msgid, msgstr) with a \"...\" "
              "string, or a \"...\" string")
    elif word and not after:
        error(number, f"{word} without a \"...\" string", f"write {word} \"\"")
    elif word and not after.startswith('"'):
        error(number, f"the text after {word} is not in double quotes",
              f"write {word} \"...\"")
    else:
        literal = after if word else body
        closed = re.match(STRING, literal)
        if closed is None:
            error(number, "a string without its closing quote",
                  "end the line with \" (write \\\" for a quote mark inside the text)")
        else:
            error(number, f"text after the closing quote: {literal[closed.end():][:30]!r}",
                  "write \\\" for a quote mark inside the text; put each string on its own "
                  "line")


def _unescape(literal: str, number: int, column: int, error: _Syntax) -> str | None:
    inner = literal[1:-1]
    for match in ESCAPE.finditer(inner):
        if match.group(1) not in ESCAPES:
            error(number, f"unknown escape \\{match.group(1)} at column "
                          f"{column + match.start() + 1}",
                  "write \\\\ for a backslash; \\n and \\t are the only other escapes")
            return None
    return ESCAPE.sub(lambda m: ESCAPES[m.group(1)], inner)


# -- header and duplicates -----------------------------------------------------

def _check_header(entries: list[_Entry], shown: str) -> None:
    header = next((e for e in entries if not e.obsolete and not e.context and e.msgid == ""),
                  None)
    if header is None:
        raise ContentErrors([Problem(Location(shown, 1), "the catalog has no header (the "
                                     "entry with msgid \"\" that names its charset)",
                                     "add a header with \"Content-Type: text/plain; "
                                     "charset=UTF-8\\n\", as `handouts i18n update` writes "
                                     "it")])
    fields = _header_fields(header)
    charset_line, content_type = fields.get("content-type", (header.msgstr_line, ""))
    match = CHARSET.search(content_type)
    charset = match.group(1) if match else ""
    if not _is_utf8(charset):
        raise ContentErrors([_charset_problem(shown, charset_line, charset)])
    if "plural-forms" in fields:
        line, value = fields["plural-forms"]
        if not PLURAL_FORMS.fullmatch(value.strip()):
            raise ContentErrors([Problem(Location(shown, line), "the header's Plural-Forms "
                                         f"line is not valid: {_short(value.strip())!r}",
                                         "write it as gettext's manual gives it for the "
                                         "language, e.g. 'nplurals=2; plural=(n != 1);', or "
                                         "delete the line")])


def _header_fields(header: _Entry) -> dict[str, tuple[int, str]]:
    """The header's `Name: value` fields (lower-case names), each with the line it starts on.

    A field may be wrapped over several strings, as msgcat writes a long Plural-Forms.
    """
    fields: dict[str, tuple[int, str]] = {}
    name, start, value = None, 0, ""
    for line, keyword, text in header.pieces:
        if keyword != "msgstr":
            continue
        for part in re.split(r"(?<=\n)", text):
            if not part:
                continue
            if name is None:
                found = re.match(r"\s*([^:\n]+):(.*)", part, re.DOTALL)
                if found is None:
                    continue
                name, start, value = found.group(1).strip().lower(), line, found.group(2)
            else:
                value += part
            if part.endswith("\n"):
                fields.setdefault(name, (start, value))
                name = None
    if name is not None:
        fields.setdefault(name, (start, value))
    return fields


def _check_duplicates(entries: list[_Entry], shown: str) -> None:
    """Two entries for one unit id (or one template string): the second would win silently.

    handouts looks entries up by msgctxt, so two entries with one msgctxt are a
    duplicate even when their msgids differ; msgfmt also refuses two entries
    with one msgctxt and msgid, obsolete or not.
    """
    problems = []
    ours: dict[tuple, _Entry] = {}
    gettexts: dict[tuple, _Entry] = {}
    for entry in entries:
        first = None
        if not entry.obsolete:
            first = ours.setdefault(handouts_key(entry.context, entry.msgid), entry)
        exact = gettexts.setdefault((entry.context, entry.msgid), entry)
        first = first if first is not None and first is not entry else \
            (exact if exact is not entry else None)
        if first is None:
            continue
        named = (f"msgctxt {entry.context!r}" if entry.context else
                 f"msgid {_short(entry.msgid or '')!r}")
        problems.append(Problem(Location(shown, entry.key_line),
                                f"a second entry for {named} (the first is at line "
                                f"{first.key_line})",
                                "keep one entry and delete the other: only one translation "
                                "can be used"))
    if problems:
        raise ContentErrors(problems)


def _check_line_breaks(entries: list[_Entry], shown: str) -> None:
    """A translation begins and ends with a line break exactly when its English does.

    msgfmt --check refuses the difference; it is checked here too, so that a
    build without GNU gettext refuses what a build with it does.
    """
    problems = []
    for entry in entries:
        if entry.obsolete or entry.fuzzy or not entry.msgstr or not entry.msgid:
            continue
        for where, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(entry.msgid, "\n") != test(entry.msgstr, "\n"):
                problems.append(Problem(Location(shown, entry.msgstr_line),
                                        f"the msgid and msgstr do not both {where} with a "
                                        "line break (\\n)",
                                        f"{where} the translation as the English does"))
    if problems:
        raise ContentErrors(problems)


def _short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# -- polib, and msgfmt's second opinion ----------------------------------------

def _polib(text: str, shown: str, wrapwidth: int) -> polib.POFile:
    # The text has passed the checks above, so polib reads exactly what they read;
    # still, any complaint of its own becomes a message, never a traceback.
    if "\n" not in text:  # polib would take a one-line string for a file name
        raise ContentErrors([Problem(Location(shown, 1), "the catalog has no entries",
                                     "add a header and the translations")])
    try:
        return polib.pofile(text, encoding="utf-8", wrapwidth=wrapwidth)
    except (OSError, ValueError, LookupError, IndexError, KeyError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise ContentErrors([Problem(Location(shown, int(found.group(1)) if found else 0),
                                     f"PO syntax error: {exc}",
                                     "check the file with: msgfmt --check FILE")]) from None


def _lines(entries: list[_Entry], po: polib.POFile, shown: str) -> dict:
    """Each current entry's lines, matched to polib's entries in file order."""
    ours = [e for e in entries if not (not e.obsolete and not e.context and e.msgid == "")]
    if len(ours) != len(po) or any(
            (a.context or None, a.msgid, a.msgstr or "") != (b.msgctxt or None, b.msgid,
                                                             b.msgstr)
            for a, b in zip(ours, po)):
        raise ContentErrors([Problem(Location(shown, 1), "the catalog could not be read "
                                     "consistently", "check the file with: msgfmt --check "
                                     "FILE, and save it again with a PO editor")])
    return {handouts_key(e.context, e.msgid): EntryLines(e.start, e.key_line, e.msgstr_line)
            for e in ours if not e.obsolete}


def msgfmt_problems(data: bytes, shown: str, program: str | None = None) -> list[Problem]:
    """What GNU msgfmt refuses in the file, when it is installed; warnings are ignored."""
    program = program or shutil.which("msgfmt")
    if program is None:
        return []
    environment = {**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
    try:
        result = subprocess.run([program, "--check-format", "--check-header", "-o", os.devnull,
                                 "-"], input=data, capture_output=True,
                                timeout=MSGFMT_TIMEOUT, env=environment)
    except (OSError, subprocess.SubprocessError):
        return []  # a second opinion only: the checks above stand without it
    if result.returncode == 0:
        return []
    return msgfmt_output_problems(result.stderr.decode("utf-8", "replace"), shown)


def msgfmt_output_problems(output: str, shown: str) -> list[Problem]:
    """msgfmt's `<stdin>:LINE: message` lines (its fatal errors) as Problems."""
    problems = []
    for line in output.splitlines():
        match = MSGFMT_LINE.match(line)
        if match and "warning:" not in match.group(2) and \
                not match.group(2).startswith("..."):
            problems.append(Problem(Location(shown, int(match.group(1))),
                                    f"msgfmt: {match.group(2).rstrip('.')}",
                                    "fix the line, then check the file with: msgfmt --check "
                                    "FILE"))
    if not problems:
        first = next((l for l in output.splitlines() if l.strip()), "the file is refused")
        problems.append(Problem(Location(shown), f"msgfmt: {first.strip()}",
                                "check the file with: msgfmt --check FILE"))
    return problems
