"""Jinja2 -> HTML -> WeasyPrint -> PDF, shared by the PDF builders.

Content reaches templates only as escaped Markup made by the renderer
(`inline_html`), never as template source, so `{{ 7*7 }}` in Markdown prints
as written. WeasyPrint reads resources only through `SandboxFetcher`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import ContentErrors, Problem
from ..fonts import font_face_css, font_roots, font_stack
from ..markdown import inline_html, plain_text
from ..model import Block, Content, SafetyStatement, Section, Unit
from ..select import View
from . import OutputSpec, Rendered

PAGE_SIZES = {"letter": "letter", "a4": "A4"}
RTL_LANGUAGES = ("ar", "he", "fa", "ur")
SPACE_BEFORE_CITE = re.compile(r"\s+(<sup class=\"cite\">)")
CITE_BEFORE_PUNCTUATION = re.compile(r"(<sup class=\"cite\">.*?</sup>)([.,])")


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside <style> (no HTML escaping applies there)."""
    if isinstance(text, Markup):
        text = text.unescape()
    escaped = re.sub(r'[\\"<>\n]', lambda m: f"\\{ord(m.group(0)):x} ", str(text))
    return Markup(f'"{escaped}"')


def css_page_label(pattern: str) -> Markup:
    """'Page {page} of {pages}' -> "Page " counter(page) " of " counter(pages)."""
    parts = re.split(r"(\{page\}|\{pages\})", str(pattern))
    css = []
    for part in parts:
        if part == "{page}":
            css.append("counter(page)")
        elif part == "{pages}":
            css.append("counter(pages)")
        elif part:
            css.append(css_string(part))
    return Markup(" ".join(css))


@lru_cache(maxsize=4)
def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=False,
    )
    env.filters["css_string"] = css_string
    env.filters["css_page_label"] = css_page_label
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


class UnitRenderer:
    """Units -> Markup, numbering citations in the order the output first cites them."""

    def __init__(self, numbers: dict[str, int]):
        self.numbers = numbers

    def cite(self, keys: list[str]) -> str:
        links = ",".join(f'<a href="#ref-{self.numbers[k]}">{self.numbers[k]}</a>' for k in keys)
        return f'<sup class="cite">{links}</sup>'

    def __call__(self, unit: Unit | None) -> Markup | None:
        if unit is None:
            return None
        html = inline_html(unit.text, self.cite)
        # AMA: superscript numbers hug the word and go after periods and commas.
        html = CITE_BEFORE_PUNCTUATION.sub(r"\2\1", SPACE_BEFORE_CITE.sub(r"\1", html))
        return Markup(html)

    def block(self, block: Block) -> dict:
        item = {"kind": block.kind, "units": [self(u) for u in block.units]}
        if block.kind == "table":
            cells = item["units"]
            item["rows"] = [cells[i:i + block.columns] for i in range(0, len(cells), block.columns)]
        if block.kind == "image":
            item["src"] = block.image.path.as_uri()
            item["alt"] = plain_text(block.image.alt.text)
        return item


def statement_context(statement: SafetyStatement, render: UnitRenderer) -> dict:
    return {"id": statement.id, "html": Markup(" ").join(render(u) for u in statement.units)}


def section_items(content: tuple[Content, ...], render: UnitRenderer) -> list[dict]:
    """Blocks as template items; consecutive safety statements share one boxed group."""
    items: list[dict] = []
    for item in content:
        if isinstance(item, SafetyStatement):
            if not items or items[-1]["kind"] != "safety-group":
                items.append({"kind": "safety-group", "statements": []})
            items[-1]["statements"].append(statement_context(item, render))
        else:
            items.append(render.block(item))
    return items


def section_context(section: Section, render: UnitRenderer, content=None) -> dict:
    return {"id": section.id, "title": render(section.title), "classes": section.classes,
            "blocks": section_items(section.content if content is None else content, render)}


def page_context(view: View) -> dict:
    """What every PDF template needs besides its own content."""
    from babel.dates import format_date

    language = view.language
    review = format_date(view.topic.review_date, format="long", locale=language.replace("-", "_"))
    return {
        "lang": language,
        "dir": "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr",
        "font_css": Markup(font_face_css(language)),
        "font_stack": Markup(font_stack(language)),
        "review_date": review,
        "review_date_iso": view.topic.review_date.isoformat(),
        "version": view.topic.version,
        "owner": view.topic.owner,
        "draft": None,
    }


def render_html(templates: Path, template: str, context: dict) -> str:
    return environment(templates).get_template(template).render(**context)


def write_pdf(html: str, view: View, templates: Path, shown_origin: dict) -> bytes:
    """Render HTML to PDF bytes, reading only from the topic, templates and font folders."""
    from weasyprint import HTML

    from ..sandbox import RefusedResource, SandboxFetcher

    roots = [view.topic.folder, templates, *font_roots(view.language)]
    fetcher = SandboxFetcher(roots, shown_origin)
    # Same inputs, same bytes: font subsetting timestamps follow the review date.
    epoch = dt.datetime.combine(view.topic.review_date, dt.time(), dt.timezone.utc)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(epoch.timestamp())))
    try:
        document = HTML(string=html, base_url=templates.as_uri() + "/", url_fetcher=fetcher)
        return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    except RefusedResource as exc:
        where = exc.location or view.settings.title.location
        raise ContentErrors([Problem(where, f"the renderer refused to load {exc.url}",
                                     "only files inside the topic and templates folders may "
                                     "be used; copy the file into the topic folder")]) from None


class PdfBuilder:
    """A builder whose output is one Jinja template rendered to PDF; subclasses give context."""

    template: str

    def context(self, view: View, spec: OutputSpec) -> dict:
        raise NotImplementedError

    def html(self, view: View, spec: OutputSpec, templates: Path) -> str:
        return render_html(templates, self.template, self.context(view, spec))

    def render(self, view: View, spec: OutputSpec, templates: Path) -> Rendered:
        origins = {item.image.path.as_uri(): item.location
                   for section in view.sections for item in section.content
                   if isinstance(item, Block) and item.image}
        return Rendered(spec, write_pdf(self.html(view, spec, templates), view, templates,
                                        origins), {})
