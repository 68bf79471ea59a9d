"""Reading authors' files: text with a clear error for bad encodings, YAML with line numbers.

Authors edit these files by hand on clinic PCs, so a stray Windows-1252 byte
or a tab in YAML is expected; each becomes a `Problem` at the right line
instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem

YamlPath = tuple[Any, ...]


MAX_BYTES = 2 * 1024 * 1024  # far above any handout's source; a guard against runaway files


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The file's text as UTF-8 (a leading byte-order mark is dropped), or a problem."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(Location(shown), f"the file is {size / 1024 / 1024:.1f} MB, "
                                  f"over the {MAX_BYTES // 1024 // 1024} MB limit of a topic "
                                  "source", "split the content into several topics")]
        data = path.read_bytes()
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
    """Parse YAML (or JSON, its subset) keeping line numbers; duplicate keys are problems."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        return None, [Problem(Location(shown, line), f"YAML syntax error: {what}",
                              "check indentation (spaces, not tabs), colons and quotes")]
    except yaml.YAMLError as exc:
        return None, [Problem(Location(shown, 1), f"YAML error: {exc}", "fix the YAML syntax")]
    doc = YamlDocument(None, shown)
    problems: list[Problem] = []
    if node is not None:
        doc.data = _convert(node, (), doc, problems)
    return doc, problems


_constructor = yaml.SafeLoader("")


def _convert(node: yaml.Node, path: YamlPath, doc: YamlDocument, problems: list[Problem]) -> Any:
    doc.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _constructor.construct_object(key_node, deep=True)
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
    return _constructor.construct_object(node, deep=True)
