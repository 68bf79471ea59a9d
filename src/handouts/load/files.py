"""Reading authors' files: text with a clear error for bad encodings, YAML with line numbers.

Authors edit these files by hand on clinic PCs, so a stray Windows-1252 byte
or a tab in YAML is expected; each becomes a `Problem` at the right line
instead of a traceback.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem

YamlPath = tuple[Any, ...]


# Every input is bounded before it is read, so a runaway or hostile file costs a clear
# message instead of the machine's memory. Each limit is far above a real topic's file:
MAX_BYTES = 2 * 1024 * 1024  # the Markdown: the bundled topic's is 10 KB; 2 MB is ~300 pages
TOPIC_YAML_BYTES = 256 * 1024  # topic.yaml: the bundled one is 7 KB, a 100-study table ~100 KB
# CSL-JSON: a Zotero export with abstracts is ~3 KB an entry, so 1 MB holds ~300 of them
# (a handout cites tens); line-numbered parsing takes ~2 s a megabyte, so more would stall.
BIBLIOGRAPHY_BYTES = 1024 * 1024

# How a file that is not a regular file is named in messages.
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class Refused(Exception):
    """A file a topic names that must not be read; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str, missing: bool = False, outside: bool = False):
        super().__init__(message)
        self.message, self.hint, self.missing, self.outside = message, hint, missing, outside


class TooLarge(Exception):
    """A file over its size limit, found before it was read."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"{size} > {limit}")
        self.size, self.limit = size, limit


def kind_of(mode: int) -> str | None:
    """'a named pipe', 'a folder'...: what a file is when it is not a regular file."""
    return next((name for test, name in _KINDS if test(mode)),
                None if stat.S_ISREG(mode) else "not a regular file")


def confine(folder: Path, name: str) -> Path:
    """The resolved path of `name`, a file the topic names, if it is a regular file inside
    `folder` once every symbolic link is resolved; raise Refused otherwise.

    Nothing is opened here, so a named pipe cannot block the build and a device cannot be
    read; `read_bounded` checks again through the descriptor it opens.
    """
    if not name or "\0" in name or name.startswith(("/", "\\")) \
            or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", name):
        raise Refused("is not inside the topic folder",
                      "name a file inside the topic folder, relative to it", outside=True)
    parts = Path(os.path.normpath(name)).parts
    if not parts or parts == (".",):
        raise Refused("is the topic folder itself, not a file", "name a file inside it",
                      outside=True)
    if parts[0] == "..":
        raise Refused("is outside the topic folder",
                      "copy the file into the topic folder and name it relative to it",
                      outside=True)
    root = folder.resolve()
    try:
        path = (folder / name).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of symbolic links
        raise Refused("is a symbolic link that leads nowhere",
                      "replace it with the file itself") from None
    if path == root or root not in path.parents:
        raise Refused("is a link to a file outside the topic folder",
                      "copy the file into the topic folder instead of linking to it",
                      outside=True)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise Refused("does not exist", "check the file name, or add the file to the topic "
                      "folder", missing=True) from None
    except (OSError, ValueError) as exc:
        raise Refused(f"cannot be read: {getattr(exc, 'strerror', None) or exc}",
                      "check that it is readable") from None
    kind = kind_of(mode)
    if kind:
        raise Refused(f"is {kind}, not a file", "put the file itself there")
    return path


def read_bounded(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file, or OSError / Refused.

    The file is opened without blocking (a named pipe swapped in after a check cannot hang
    the build) and checked again through its descriptor; a size over the limit is refused
    before any of it is read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind:
            raise Refused(f"is {kind}, not a file", "put the file itself there")
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew after the check
                raise TooLarge(total, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def megabytes(size: int) -> str:
    """'10.0 MB', '300 KB': sizes as the messages print them."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024:.0f} KB"


def limit_text(limit: int) -> str:
    """'2 MB', '256 KB': a limit as the messages print it."""
    if limit % (1024 * 1024) == 0:
        return f"{limit // 1024 // 1024} MB"
    return f"{limit // 1024} KB"


def read_text(path: Path, shown: str, limit: int = MAX_BYTES, what: str = "a topic source",
              hint: str = "split the content into several topics",
              ) -> tuple[str | None, list[Problem]]:
    """The file's text as UTF-8 (a leading byte-order mark is dropped), or a problem.

    Only a regular file is read, and only up to `limit` bytes (`what` and `hint` name the
    kind of file and what to do when it is larger).
    """
    try:
        data = read_bounded(path, limit)
    except TooLarge as exc:
        return None, [Problem(Location(shown), f"the file is {megabytes(exc.size)}, over the "
                              f"{limit_text(exc.limit)} limit of {what}", hint)]
    except Refused as exc:
        return None, [Problem(Location(shown), f"the file {exc.message}", exc.hint)]
    except OSError as exc:
        return None, [Problem(Location(shown), f"cannot read the file: {exc.strerror}",
                              "check that it exists and is readable")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        return None, [Problem(Location(shown, line),
                              f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at column {column})",
                              "save it as UTF-8 in your editor")]


@dataclass
class YamlDocument:
    """Plain data from a YAML file plus the line where each value starts."""

    data: Any
    shown: str
    lines: dict[YamlPath, int] = field(default_factory=dict)

    def location(self, path: YamlPath) -> Location:
        """The line of the value at `path`, or of its nearest parent that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return Location(self.shown, self.lines.get(path, 1))


def load_yaml(text: str, shown: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML (or JSON, its subset) keeping line numbers; duplicate keys are problems.

    Aliases (`*name`) are refused: nine nested ones can stand for a billion values.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except _AliasRefused as exc:
        return None, [Problem(Location(shown, exc.line), "a YAML alias (*name) is not allowed",
                              "write the value out in full where it is needed")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        return None, [Problem(Location(shown, line), f"YAML syntax error: {what}",
                              "check indentation (spaces, not tabs), colons and quotes")]
    except yaml.YAMLError as exc:
        return None, [Problem(Location(shown, 1), f"YAML error: {exc}", "fix the YAML syntax")]
    except RecursionError:
        return None, [_too_deep(shown)]
    doc = YamlDocument(None, shown)
    problems: list[Problem] = []
    if node is not None:
        try:
            doc.data = _convert(node, (), doc, problems)
        except RecursionError:
            return None, [_too_deep(shown)]
    return doc, problems


def _too_deep(shown: str) -> Problem:
    return Problem(Location(shown, 1), "the values are nested too deeply to read",
                   "a topic's settings nest a few levels at most; remove the extra brackets")


class _AliasRefused(yaml.YAMLError):
    def __init__(self, line: int):
        super().__init__(f"alias at line {line}")
        self.line = line


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing aliases as it composes."""

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML's hook
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)


_constructor = yaml.SafeLoader("")


def _scalar(node: yaml.Node, doc: YamlDocument, problems: list[Problem]) -> Any:
    """A key or a scalar value; a value its tag cannot hold (`!!int abc`) is a problem."""
    try:
        return _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        what = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(Location(doc.shown, node.start_mark.line + 1),
                                f"cannot read the value {node.value!r:.60}: {what}"
                                if isinstance(node, yaml.ScalarNode) else
                                f"cannot read the value: {what}",
                                "write it as plain text, without a !!tag"))
        return None
    finally:
        _constructor.constructed_objects.clear()


def _convert(node: yaml.Node, path: YamlPath, doc: YamlDocument, problems: list[Problem]) -> Any:
    doc.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, doc, problems)
            if not isinstance(key, (str, int)):
                key = str(key)
            if key in result:
                problems.append(Problem(Location(doc.shown, key_node.start_mark.line + 1),
                                        f"duplicate key '{key}'",
                                        "remove or rename one of them"))
            result[key] = _convert(value_node, path + (key,), doc, problems)
            # Point at the `key:` line, where the author looks, not where a block value starts.
            doc.lines[path + (key,)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), doc, problems) for i, item in enumerate(node.value)]
    return _scalar(node, doc, problems)
