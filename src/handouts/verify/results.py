"""The read-back's common ground: check results, and finding a unit's text in extracted text.

The renderer could drop text (a template bug, an overflowing box, a font
without the glyphs); the only proof that a safety statement is printed is
finding it in the text extracted from the file itself. Each format's reader
(pdf.py, deck.py) extracts the text; the comparisons here are the same for all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..model import Unit, View
from ..model.inline import plain_text, walk_inline


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""
    fatal: bool = True  # a failed non-fatal check is reported, and the output still written


@dataclass(frozen=True)
class Verified:
    """What reading one output back found: its length (pages or slides) and every check."""

    count: int
    checks: list[CheckResult]

    @property
    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.ok and c.fatal]


def unreadable(reader: str, problem: object) -> Verified:
    """What reading back a file that cannot be opened found: one failed check, saying so
    (a damaged or truncated file on disk, or a renderer that wrote something broken)."""
    return Verified(0, [CheckResult("readable", False,
                                    f"{reader} cannot open the file ({str(problem).rstrip('.')}); "
                                    "build it again")])


HYPHENS = re.compile("[\u002d\u00ad\u2010\u2011\u0002\ufffe]")  # hyphen-minus, soft, hyphen,
# no-break; U+0002 and U+FFFE: what PDFium reports for a hyphen at a line end (per character,
# and in its page text)


def squeeze(text: str) -> str:
    """Text as compared: NFKC (ligatures and Arabic presentation forms to letters), without
    whitespace, hyphens, or format and control characters.

    A line may break at a word's own hyphen ("low-" / "speed") or at one the
    renderer adds; extractors give either as a hyphen and a line break, so
    hyphens cannot be told apart and are left out of the comparison on both
    sides. Format characters are the direction marks an extractor wraps
    right-to-left lines in and the joiners a writer may type. Letters,
    marks, digits and punctuation all still count, in every script.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in HYPHENS.sub("", text) if unicodedata.category(c) not in ("Cf", "Cc")
                   or c.isspace())
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=4096)
def squeeze_char(char: str) -> str:
    """One extracted character squeezed (a page holds thousands and few distinct ones)."""
    return squeeze(char)


def unit_segments(unit: Unit) -> list[str]:
    """The unit's text split where citations sit (the output prints numbers there)."""
    marker = "\x00"
    flat = walk_inline(unit.text, lambda s: s, lambda keys: marker, lambda token: "")
    return [squeeze(part) for part in flat.split(marker) if squeeze(part)]


def citation_labels(units, view: View) -> tuple[str, ...]:
    """The citation numbers the output prints inside these units ("4", "2,3")."""
    labels: set[str] = set()

    def label(keys: list[str]) -> str:
        labels.add(",".join(str(view.numbers[k]) for k in keys if k in view.numbers))
        return ""

    for unit in units:
        walk_inline(unit.text, lambda s: "", label, lambda token: "")
    return tuple(sorted(labels - {""}, key=len, reverse=True))


def find_segment(haystack: str, segment: str, start: int = 0,
                 labels: tuple[str, ...] = ()) -> tuple[int, int]:
    """(start, end) of `segment` in `haystack` from `start`, else (-1, -1).

    The statement's own citation numbers (`labels`) may sit anywhere inside
    it: an extractor reads a raised citation number by its own rules, and on
    a right-to-left line, where the number is painted at the left end, it
    comes out between the statement's last two lines, or first on the last.
    Only those digits are skipped; every letter is still compared, in order.
    """
    position = haystack.find(segment, start)
    if position >= 0 or not labels:
        return (position, position + len(segment)) if position >= 0 else (-1, -1)
    skip = "(?:" + "|".join(re.escape(label) for label in labels) + ")?"
    pattern = re.compile(skip.join(re.escape(char) for char in segment))
    match = pattern.search(haystack, start)
    return match.span() if match else (-1, -1)


def contains_in_order(haystack: str, segments: list[str], labels: tuple[str, ...] = ()) -> bool:
    position = 0
    for segment in segments:
        position = find_segment(haystack, segment, position, labels)[1]
        if position < 0:
            return False
    return True


def safety_results(texts: str | dict[str, str], view: View) -> list[CheckResult]:
    """Each safety statement the audience requires, found word for word in the output's
    text as every extractor reads it (`texts`: extractor name -> text; a deck has one).

    Exact in every script: no similarity threshold, so a dropped "not" fails.
    """
    if isinstance(texts, str):
        texts = {"": texts}
    squeezed = {name: squeeze(text) for name, text in texts.items()}
    results = []
    statements = {s.id: s for s in view.safety_statements()}
    for safety_id in view.settings.required_safety:
        statement = statements.get(safety_id)
        labels = citation_labels(statement.units, view) if statement else ()
        missing = [name for name, text in squeezed.items() if statement is None or not all(
            contains_in_order(text, unit_segments(u), labels) for u in statement.units)]
        # In a translation, the statement's first unit is located at its catalog entry.
        located = statement and (statement.units[0].location if view.translation and
                                 statement.units else statement.location)
        where = f"{located}: " if statement else ""
        # the extractor that misses it, when only one does (a text layer only it misreads)
        how = f" as {missing[0]} reads it" if len(missing) == 1 < len(squeezed) else ""
        results.append(CheckResult(f"safety:{safety_id}", not missing, "" if not missing else
                                   f"{where}the statement's text is not in the output{how}"))
    return results


def language_result(text: str, view: View, source: View) -> CheckResult:
    """A translated output shows no sentence left in the source language (unless DRAFT)."""
    if view.translation is None or view.draft:
        return CheckResult("language", True)
    flat = squeeze(text)
    left = [unit.id for unit in source.units() if len(plain_text(unit.text).split()) >= 4
            and squeeze(plain_text(unit.text)) in flat]
    return CheckResult("language", not left,
                       f"still in {source.language}: {', '.join(left[:5])}")


