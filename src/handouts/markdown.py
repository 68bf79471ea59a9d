"""The Markdown dialect authors write: CommonMark plus pandoc's fenced divs and citations.

markdown-it-py does the parsing; this module adds two pandoc rules it lacks:
fenced divs that nest with the same number of colons (`::: {.patient}` inside
`::: {.clinician}`), and bracketed citations (`[@cha2016; @lin2025]`).
Raw HTML is recognised (so validation can refuse it) but never rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError, parse as parse_attrs_text

DIV_OPEN = re.compile(r":{3,}\s*(\{.*\}|[A-Za-z][\w-]*)\s*:*\s*$")
DIV_CLOSE = re.compile(r":{3,}\s*$")
CODE_FENCE = re.compile(r"(`{3,}|~{3,})")
CITATION_KEY = r"[A-Za-z0-9_][\w:.#$%&+?<>~/-]*"
CITATION_GROUP = re.compile(rf"\[\s*@{CITATION_KEY}(\s*;\s*@{CITATION_KEY})*\s*\]")
KEY_IN_GROUP = re.compile(rf"@({CITATION_KEY})")
HEADING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*$")


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

    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "div"
    state.lineMax = next_line
    token = state.push("div_open", "div", 1)
    token.info = match.group(1)
    token.map = [start_line, next_line]
    token.meta = {"closed": closed}
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("div_close", "div", -1)
    state.parentType, state.lineMax = old_parent, old_max
    state.line = next_line + (1 if closed else 0)
    return True


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]: state.eMarks[line]]


def _citation(state: StateInline, silent: bool) -> bool:
    """Inline rule: `[@key]` and `[@a; @b]` become one `citation` token listing the keys."""
    if state.src[state.pos] != "[" or not state.src.startswith("@", _skip_spaces(state)):
        return False
    match = CITATION_GROUP.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"keys": KEY_IN_GROUP.findall(match.group(0))}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _skip_spaces(state: StateInline) -> int:
    pos = state.pos + 1
    while pos < state.posMax and state.src[pos] == " ":
        pos += 1
    return pos


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one Markdown parser: raw HTML is tokenised so validation can refuse it."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table")
    md.block.ruler.before("fence", "pandoc_div", _pandoc_div,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.inline.ruler.before("link", "citation", _citation)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("html_inline", _render_raw_html_as_text)
    md.add_render_rule("html_block", _render_raw_html_as_text)
    return md


def inline_tokens(text: str) -> list[Token]:
    """The inline tokens of one text unit."""
    tokens = parser().parseInline(text)
    return tokens[0].children or [] if tokens else []


def citation_keys(text: str) -> list[str]:
    """Citation keys in the order they appear in a text unit."""
    return [key for token in inline_tokens(text) if token.type == "citation"
            for key in token.meta["keys"]]


def walk_inline(text: str, on_text: Callable[[str], str],
                on_citation: Callable[[list[str]], str],
                on_tag: Callable[[Token], str]) -> str:
    """Fold a unit's inline tokens into a string, one callback per kind of token."""
    out = []
    for token in inline_tokens(text):
        if token.type == "text":
            out.append(on_text(token.content))
        elif token.type == "citation":
            out.append(on_citation(token.meta["keys"]))
        elif token.type in ("softbreak", "hardbreak"):
            out.append(on_text(" "))
        elif token.type == "code_inline":
            out.append(on_text(token.content))
        else:
            out.append(on_tag(token))
    return "".join(out)


def plain_text(text: str) -> str:
    """A unit as a reader hears it: no markup, no citation brackets."""
    flat = walk_inline(text, lambda s: s, lambda keys: "", lambda token: "")
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", flat)).strip()


def inline_html(text: str, cite: Callable[[list[str]], str]) -> str:
    """A unit as HTML: markdown-it escapes the text; `cite` renders each citation group.

    Raw HTML never reaches the output: it is shown escaped, as text.
    """
    md = parser()
    return md.renderer.renderInline(inline_tokens(text), md.options, {"cite": cite})


def _render_citation(self, tokens, idx, options, env) -> str:
    return env["cite"](tokens[idx].meta["keys"])


def _render_raw_html_as_text(self, tokens, idx, options, env) -> str:
    return escapeHtml(tokens[idx].content)


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style, for formats that are not HTML (slides)."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


def inline_runs(text: str, cite: Callable[[list[str]], str]) -> list[Run]:
    """A unit as styled runs: **bold**, *italic*, citations rendered by `cite`."""
    runs: list[Run] = []
    bold = italic = False
    for token in inline_tokens(text):
        if token.type in ("strong_open", "strong_close"):
            bold = token.type == "strong_open"
        elif token.type in ("em_open", "em_close"):
            italic = token.type == "em_open"
        elif token.type in ("text", "code_inline", "html_inline"):
            runs.append(Run(token.content, bold, italic))
        elif token.type in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold, italic))
        elif token.type == "citation":
            runs.append(Run(cite(token.meta["keys"]), bold, italic))
    merged: list[Run] = []
    for run in (r for r in runs if r.text):
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (
                run.bold, run.italic, run.link):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return merged
