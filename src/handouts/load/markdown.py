"""The Markdown dialect authors write: CommonMark plus pandoc's fenced divs and citations.

markdown-it-py does the parsing; this module adds the block rule it lacks:
fenced divs that nest with the same number of colons (`::: {.patient}` inside
`::: {.clinician}`). Bracketed citations (`[@cha2016; @lin2025]`) belong to
the inline dialect of unit text, in model/inline.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.attrs.parse import ParseError, parse as parse_attrs_text

from ..model.inline import configure

DIV_OPEN = re.compile(r":{3,}\s*(\{.*\}|[A-Za-z][\w-]*)\s*:*\s*$")
DIV_CLOSE = re.compile(r":{3,}\s*$")
CODE_FENCE = re.compile(r"(`{3,}|~{3,})")
HEADING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*$")
# Divs nest: a section's audience div, a safety statement or notes inside it, rarely more.
# Deeper ones are refused, never parsed: markdown-it stops tokenizing past `maxNesting`
# levels and drops the text there without a word.
MAX_DIV_DEPTH = 8
# Block levels markdown-it tokenizes: a paragraph in a list item in MAX_DIV_DEPTH divs
# needs 11; anything deeper (lists in lists, block quotes) is refused at its first level.
MAX_NESTING = 32


class AttrsError(ValueError):
    """A `{...}` attribute block that cannot be read."""


def parse_attrs(text: str) -> dict[str, object]:
    """`{#id .a .b key="v"}` or a bare word `notes` -> {'id':…, 'classes': [...], key: value}."""
    text = text.strip()
    if not text.startswith("{"):
        return {"classes": [text]}
    try:
        end, attrs = parse_attrs_text(text)
    except ParseError as exc:
        raise AttrsError(f"cannot read the attributes {text!r}: {exc}") from None
    if text[end + 1:].strip():
        raise AttrsError(f"unexpected text after the attributes {text!r}")
    result: dict[str, object] = dict(attrs)
    result["classes"] = str(result.pop("class", "")).split()
    return result


def split_heading_attrs(text: str) -> tuple[str, str | None]:
    """'Title {#id .patient}' -> ('Title', '{#id .patient}'), as pandoc reads headings."""
    match = HEADING_ATTRS.search(text)
    if not match:
        return text, None
    return text[: match.start()].rstrip(), match.group(1)


def _pandoc_div(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: a fenced div, closed by the matching bare fence (pandoc nesting rules)."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    line = _line(state, start_line)
    match = DIV_OPEN.match(line)
    if not match:
        return False
    if silent:
        return True
    depth, next_line, closed, in_code = 0, start_line, False, None
    while True:
        next_line += 1
        if next_line >= end_line:
            break
        text = _line(state, next_line)
        fence = CODE_FENCE.match(text)
        if in_code:
            if fence and fence.group(1)[0] == in_code[0] and len(fence.group(1)) >= len(in_code):
                in_code = None
            continue
        if fence:
            in_code = fence.group(1)
        elif DIV_CLOSE.match(text):
            if depth == 0:
                closed = True
                break
            depth -= 1
        elif DIV_OPEN.match(text):
            depth += 1

    depth = state.env.get("div_depth", 0)
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "div"
    state.lineMax = next_line
    token = state.push("div_open", "div", 1)
    token.info = match.group(1)
    token.map = [start_line, next_line]
    token.meta = {"closed": closed, "too_deep": depth >= MAX_DIV_DEPTH}
    if depth < MAX_DIV_DEPTH:  # a deeper div is an error: its inside is not read
        state.env["div_depth"] = depth + 1
        state.md.block.tokenize(state, start_line + 1, next_line)
        state.env["div_depth"] = depth
    token = state.push("div_close", "div", -1)
    state.parentType, state.lineMax = old_parent, old_max
    state.line = next_line + (1 if closed else 0)
    return True


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]: state.eMarks[line]]


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The block parser: pandoc divs and tables on top of the unit-text dialect."""
    md = configure(MarkdownIt("commonmark", {"html": True, "linkify": False,
                                             "typographer": False,
                                             "maxNesting": MAX_NESTING}))
    md.enable("table")
    md.block.ruler.before("fence", "pandoc_div", _pandoc_div,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    return md
