"""A small declarative schema for YAML written by hand, with line-accurate messages.

Each field is declared once with a one-line description; the same
declarations check `topic.yaml` and print the README's field reference
(`handouts schema`). Checking never stops at the first problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from .files import YamlDocument, YamlPath

_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", float: "a number",
               list: "a list", dict: "a mapping (key: value lines)", dt.date: "a date",
               type(None): "nothing"}


def _describe(value: Any) -> str:
    name = _TYPE_NAMES.get(type(value), type(value).__name__)
    shown = repr(value) if not isinstance(value, (list, dict)) else ""
    return f"{name} {shown}".strip()


class ValueType:
    """A type of value; `check` converts and reports, never raises."""

    expected = "a value"

    def check(self, value: Any, path: YamlPath, doc: YamlDocument, problems: list[Problem]) -> Any:
        raise NotImplementedError

    def _wrong(self, value: Any, path: YamlPath, doc: YamlDocument, problems: list[Problem],
               hint: str = "") -> None:
        problems.append(Problem(doc.location(path),
                                f"'{_dotted(path)}' should be {self.expected}, got {_describe(value)}",
                                hint))


@dataclass
class Text(ValueType):
    """Non-empty text; `pattern` restricts it (ids, language codes)."""

    pattern: str | None = None
    pattern_help: str = ""

    @property
    def expected(self) -> str:  # type: ignore[override]
        return self.pattern_help or "text"

    def check(self, value, path, doc, problems):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # `version: 1.0` means the text "1.0"
        if not isinstance(value, str) or not value.strip():
            self._wrong(value, path, doc, problems, "write it as text, in quotes if unsure")
            return None
        if self.pattern and not re.fullmatch(self.pattern, value):
            self._wrong(value, path, doc, problems)
            return None
        return value.strip()


@dataclass
class Number(ValueType):
    minimum: float
    maximum: float

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a number from {self.minimum:g} to {self.maximum:g}"

    def check(self, value, path, doc, problems):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                self.minimum <= value <= self.maximum):
            self._wrong(value, path, doc, problems)
            return None
        return float(value)


@dataclass
class WholeNumber(ValueType):
    """A whole number within bounds (a count, such as words per sentence)."""

    minimum: int
    maximum: int

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a whole number from {self.minimum} to {self.maximum}"

    def check(self, value, path, doc, problems):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not (
                self.minimum <= value <= self.maximum):
            self._wrong(value, path, doc, problems)
            return None
        return value


class Date(ValueType):
    expected = "a date written YYYY-MM-DD"

    def check(self, value, path, doc, problems):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self._wrong(value, path, doc, problems, "for example 2026-11-25, without quotes")
        return None


@dataclass
class Choice(ValueType):
    choices: tuple[str, ...]

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def check(self, value, path, doc, problems):
        if value not in self.choices:
            self._wrong(value, path, doc, problems, did_you_mean(value, self.choices))
            return None
        return value


@dataclass
class ListOf(ValueType):
    item: ValueType
    min_items: int = 0
    unique: bool = False
    key: Callable[[Any], Any] | None = None  # what makes two items the same (default: equal)

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a list of {self.item.expected}" + (
            f" with at least {self.min_items} item(s)" if self.min_items else "")

    def check(self, value, path, doc, problems):
        if not isinstance(value, list) or len(value) < self.min_items:
            self._wrong(value, path, doc, problems, "write one '- item' per line")
            return None
        items = [self.item.check(v, path + (i,), doc, problems) for i, v in enumerate(value)]
        if self.unique:
            seen: set[Any] = set()
            for i, item in enumerate(items):
                same = self.key(item) if self.key and item is not None else item
                if same is not None and same in seen:
                    problems.append(Problem(doc.location(path + (i,)),
                                            f"'{same}' is listed twice in '{_dotted(path)}'",
                                            "remove the duplicate"))
                seen.add(same)
        return items


@dataclass
class Field:
    """One key of a record: its type, whether it must be there, and what it means."""

    check: ValueType
    doc: str
    required: bool = False
    default: Any = None


@dataclass
class Record(ValueType):
    """A mapping with known keys; unknown keys are problems with a suggestion."""

    fields: dict[str, Field]
    name: str = "a mapping"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return self.name

    def check(self, value, path, doc, problems):
        if not isinstance(value, dict):
            self._wrong(value, path, doc, problems, "write 'key: value' lines, indented under it")
            return None
        result: dict[str, Any] = {}
        for key, spec in self.fields.items():
            if key in value and value[key] is not None:
                result[key] = spec.check.check(value[key], path + (key,), doc, problems)
            elif spec.required:
                where = f"'{_dotted(path)}'" if path else "the file"
                problems.append(Problem(doc.location(path),
                                        f"{where} is missing the required key '{key}'",
                                        f"add '{key}:' ({spec.doc})"))
            else:
                result[key] = spec.default
        for key in value:
            if key in self.fields:
                continue
            where = f" in '{_dotted(path)}'" if path else ""
            problems.append(Problem(doc.location(path + (key,)), f"unknown key '{key}'{where}",
                                    did_you_mean(key, list(self.fields))))
        return result


@dataclass
class OneOf(ValueType):
    """A short form or a long one: a value written as text, or as a mapping of more keys.

    The mapping form (a Record) is chosen when the value is a mapping; any other
    value is checked against the first form that is not a Record.
    """

    forms: tuple[ValueType, ...]

    @property
    def expected(self) -> str:  # type: ignore[override]
        return " or ".join(form.expected for form in self.forms)

    @property
    def record(self) -> Record | None:
        return next((form for form in self.forms if isinstance(form, Record)), None)

    def check(self, value, path, doc, problems):
        short = next((form for form in self.forms if not isinstance(form, Record)), None)
        form = self.record if isinstance(value, dict) and self.record else short
        if form is None:
            self._wrong(value, path, doc, problems)
            return None
        return form.check(value, path, doc, problems)


@dataclass
class MapOf(ValueType):
    """A mapping whose keys come from a closed set (audiences) to values of one type."""

    keys: tuple[str, ...]
    value: ValueType
    key_name: str = "key"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a mapping from {self.key_name} to {self.value.expected}"

    def check(self, value, path, doc, problems):
        if not isinstance(value, dict):
            self._wrong(value, path, doc, problems)
            return None
        result = {}
        for key, item in value.items():
            if key not in self.keys:
                problems.append(Problem(doc.location(path + (key,)),
                                        f"unknown {self.key_name} '{key}'",
                                        did_you_mean(key, self.keys)))
                continue
            result[key] = self.value.check(item, path + (key,), doc, problems)
        return result


def _dotted(path: YamlPath) -> str:
    """A key path as an author reads it; list positions count from 1 (`plan.fields[5]` is
    the fifth line of the plan), as a person counts the items of a list."""
    return ".".join(str(p) if not isinstance(p, int) else f"[{p + 1}]"
                    for p in path).replace(".[", "[")


def did_you_mean(value: Any, choices) -> str:
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
    valid = ", ".join(str(c) for c in choices)
    if close:
        return f"did you mean '{close[0]}'? valid: {valid}"
    return f"valid: {valid}"


def describe_fields(record: Record, prefix: str = "") -> list[str]:
    """Markdown lines documenting a record's fields, for the README and `handouts schema`."""
    lines = []
    for key, spec in record.fields.items():
        name = f"{prefix}{key}"
        need = "required" if spec.required else "optional"
        lines.append(f"- `{name}` ({spec.check.expected}; {need}): {spec.doc}")
        inner = spec.check
        if isinstance(inner, MapOf):
            inner = inner.value
            name += ".<" + spec.check.key_name + ">"
        if isinstance(inner, ListOf):
            inner = inner.item
            name += "[]"
        if isinstance(inner, OneOf):
            inner = inner.record
        if isinstance(inner, Record):
            lines.extend("  " + line for line in describe_fields(inner, name + "."))
    return lines
