"""Inline Markdown, the text format of every Unit: CommonMark plus pandoc citations.

Units keep their text as inline Markdown (`**bold**`, `*italic*`, `[@key]`),
so this module is shared by every stage: loaders check citations, renderers
turn units into HTML or styled slide runs, and the read-back flattens them to
the plain text a reader sees. Raw HTML is recognised (so validation can refuse
it) but only ever rendered as escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

CITATION_KEY = r"[A-Za-z0-9_][\w:.#$%&+?<>~/-]*"
CITATION_GROUP = re.compile(rf"\[\s*@{CITATION_KEY}(\s*;\s*@{CITATION_KEY})*\s*\]")
KEY_IN_GROUP = re.compile(rf"@({CITATION_KEY})")


def configure(md: MarkdownIt) -> MarkdownIt:
    """Add the citation rule and the escaping render rules to a CommonMark parser."""
    md.inline.ruler.before("link", "citation", _citation)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("html_inline", _render_raw_html_as_text)
    md.add_render_rule("html_block", _render_raw_html_as_text)
    return md


@lru_cache(maxsize=1)
def inline_parser() -> MarkdownIt:
    """The parser of unit text: raw HTML is tokenised so validation can refuse it."""
    return configure(MarkdownIt("commonmark", {"html": True, "linkify": False,
                                               "typographer": False}))


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


def inline_tokens(text: str) -> list[Token]:
    """The inline tokens of one text unit (read them; they are shared)."""
    return list(_parsed(text))


@lru_cache(maxsize=8192)
def _parsed(text: str) -> tuple[Token, ...]:
    """One parse per text: a unit is read by the checks, every language's view, the
    renderers and the read-back (2,600 parses of 270 texts in a build)."""
    tokens = inline_parser().parseInline(text)
    return tuple(tokens[0].children or []) if tokens else ()


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
    md = inline_parser()
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
