"""Jinja2 -> HTML -> WeasyPrint -> PDF: the machinery the PDF builders share.

Content reaches templates only as escaped Markup made by the renderer
(`inline_html`), never as template source, so `{{ 7*7 }}` in Markdown prints
as written. WeasyPrint reads resources only through `SandboxFetcher`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ...assets.fonts import font_face_css, font_roots, font_stack
from ...errors import ContentErrors, Location, Problem, display_path
from ...model import (Block, OutputSpec, SafetyStatement, Section, SectionItem, Unit, View,
                      is_right_to_left)
from ...model.dates import long_date, source_date
from ...model.inline import inline_html, plain_text
from ...model.markers import reference_anchor
from ...model.placeholders import fill_placeholders
from ..template_errors import reported
from .organisation import logo_roots, organisation_context

PAGE_SIZES = {"letter": "letter", "a4": "A4"}
COUNTER_STYLES = {"ar": "arabic-indic", "fa": "persian"}  # page numbers in the script's digits
SPACE_BEFORE_CITE = re.compile(r"\s+(<sup class=\"cite\">)")
CITE_BEFORE_PUNCTUATION = re.compile(r"(<sup class=\"cite\">.*?</sup>)([.,])")


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside <style> (no HTML escaping applies there)."""
    if isinstance(text, Markup):
        text = text.unescape()
    escaped = re.sub(r'[\\"<>\n]', lambda m: f"\\{ord(m.group(0)):x} ", str(text))
    return Markup(f'"{escaped}"')


def fill(pattern: str, **values) -> Markup:
    """A translated pattern with its {name} placeholders filled in.

    The pattern is text (escaped here); only plain names are filled, so a
    translation cannot reach into objects the way str.format fields can.
    """
    text = pattern.unescape() if isinstance(pattern, Markup) else str(pattern)
    return Markup(fill_placeholders(str(escape(text)), values, lambda v: str(escape(v))))


def css_page_label(pattern: str, style: str = "decimal") -> Markup:
    """'Page {page} of {pages}' -> "Page " counter(page) " of " counter(pages)."""
    if isinstance(pattern, Markup):
        pattern = pattern.unescape()
    parts = re.split(r"(\{page\}|\{pages\})", str(pattern))
    css = []
    for part in parts:
        if part == "{page}":
            css.append(f"counter(page, {style})")
        elif part == "{pages}":
            css.append(f"counter(pages, {style})")
        elif part:
            css.append(css_string(part))
    return Markup(" ".join(css))


_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory and shared by every environment of the process.

    Each catalog version has its own environment (its gettext), but all of them are
    configured alike, so a template is compiled once, not once per language.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment(templates: Path, catalog: tuple[Path, int] | None = None,
                gettext=None) -> jinja2.Environment:
    """One Jinja environment per templates folder and catalog file version (path, mtime)."""
    key = (templates, catalog)
    if key in _ENVIRONMENTS:
        return _ENVIRONMENTS[key]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=False,
        bytecode_cache=_COMPILED,
    )
    env.filters["css_string"] = css_string
    env.filters["css_page_label"] = css_page_label
    env.filters["fill"] = fill
    env.globals["reference_anchor"] = reference_anchor
    # Old-style callables: `_()` returns the translation as a plain string, which
    # autoescape then prints as text. (Jinja's "newstyle" gettext marks every
    # translation safe markup and %-formats it: a translator's <style> or "%"
    # would reach the page as markup or fail the build.)
    if gettext is None:
        env.install_null_translations(newstyle=False)  # type: ignore[attr-defined]
    else:
        env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext, lambda one, many, n: gettext(one if n == 1 else many), newstyle=False)
    _ENVIRONMENTS[key] = env
    return env


def view_environment(templates: Path, view: View) -> jinja2.Environment:
    if view.translation is None:
        return environment(templates)
    return environment(templates, view.translation.stamp(), view.translation.gettext)


class UnitRenderer:
    """Units -> Markup, citations as the numbers the View gives each reference."""

    def __init__(self, numbers: dict[str, int]):
        self.numbers = numbers

    def cite(self, keys: list[str]) -> str:
        links = ",".join(f'<a href="#{reference_anchor(self.numbers[k])}">{self.numbers[k]}</a>'
                         for k in keys)
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


def section_items(content: tuple[SectionItem, ...], render: UnitRenderer) -> list[dict]:
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


def page_context(view: View, spec: OutputSpec, render: UnitRenderer) -> dict:
    """What every PDF template needs besides its own content: the base template's part."""
    from ..references import format_references

    language, settings = view.language, view.settings
    return {
        "title": render(settings.title), "title_text": settings.title.text,
        "subtitle": render(settings.subtitle), "purpose": render(settings.purpose),
        "purpose_text": settings.purpose.text if settings.purpose else "",
        "references": format_references(view.references),
        "page_size": PAGE_SIZES[spec.paper],
        "lang": language,
        "source_lang": view.topic.language,  # references stay in the language they were written in
        "dir": "rtl" if is_right_to_left(language) else "ltr",
        "font_css": Markup(font_face_css(language)),
        "font_stack": Markup(font_stack(language)),
        "review_date": long_date(view.topic.review_date, language),
        "file_date": source_date(view.topic.review_date).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "version": view.topic.version,
        "owner": view.topic.owner,
        "draft": view.draft,
        "unreviewed": not view.reviewed,
        "counter_style": COUNTER_STYLES.get(language.split("-")[0], "decimal"),
        **organisation_context(view, render),
    }


def render_html(templates: Path, template: str, context: dict, view: View) -> str:
    with reported(templates, template):
        return view_environment(templates, view).get_template(template).render(**context)


def compile_template(templates: Path, template: str) -> None:
    """Compile a template before worker processes fork from us (a broken one is reported)."""
    with reported(templates, template):
        environment(templates).get_template(template)


def lay_out(html: str, view: View, templates: Path, stylesheets: tuple[str, ...] = (),
            within: int | None = None):
    """Lay HTML out in pages, reading only from the topic, templates and font folders.

    `stylesheets` (paths under the templates folder) are applied after the
    document's own <style>, in order, as its <link>s would be; each is parsed
    once per process (a quarter of a render was spent parsing the same CSS).
    With `within`, return None as soon as the layout needs a page more than
    that: the caller only wanted to know whether it fits.
    """
    from .sandbox import RefusedResource, SandboxFetcher
    from weasyprint import HTML

    roots = [view.topic.folder, templates, *font_roots(view.language), *logo_roots(view)]
    fetcher = SandboxFetcher(roots, image_origins(view))
    try:
        sheets = [parsed_stylesheet(templates, name) for name in stylesheets]
        with _missing_glyphs() as missing, _page_budget(within):
            document = HTML(string=html, base_url=templates.as_uri() + "/",
                            url_fetcher=fetcher).render(font_config=font_configuration(),
                                                        counter_style=counter_styles(),
                                                        stylesheets=sheets,
                                                        pdf_variant="pdf/ua-1")
    except PageBudgetExceeded:
        return None
    except RefusedResource as exc:
        where = exc.location or Location(display_path(templates))  # a template asked for it
        raise ContentErrors([Problem(where, f"the renderer refused to load {exc.url}",
                                     "only files inside the topic and templates folders may "
                                     "be used; copy the file into one of them")]) from None
    if missing:
        raise ContentErrors([Problem(view.settings.title.location,
                                     f"no bundled font for the {view.language} text "
                                     + ", ".join(sorted(set(missing))),
                                     "use other characters, or add a font for them in fonts.py")])
    return document


_STYLESHEETS: dict[tuple, object] = {}


def parsed_stylesheet(templates: Path, name: str):
    """A templates-folder stylesheet parsed by WeasyPrint, once per file version.

    It may load only from the templates folder (an @import, a font it names);
    what its rules point at (images) is fetched at layout through the
    document's own sandbox.
    """
    from .sandbox import RefusedResource, SandboxFetcher
    from weasyprint import CSS

    path = templates / name
    status = path.stat()
    key = (path, status.st_mtime_ns, status.st_size)
    if key not in _STYLESHEETS:
        try:
            _STYLESHEETS[key] = CSS(filename=str(path), url_fetcher=SandboxFetcher([templates]),
                                    font_config=font_configuration(),
                                    counter_style=counter_styles())
        except RefusedResource as exc:  # the stylesheet asked for it: name the stylesheet
            raise RefusedResource(exc.url, exc.location or Location(display_path(path))) from None
    return _STYLESHEETS[key]


@lru_cache(maxsize=1)
def counter_styles():
    """One counter-style registry per process, shared by the stylesheets parsed once and
    every document that uses them (a stylesheet's @counter-style rules land in it)."""
    from weasyprint.css.counters import CounterStyle
    return CounterStyle()


@lru_cache(maxsize=1)
def font_configuration():
    """One fontconfig set-up per process: loading fonts is a tenth of each render.

    Reuse does not change the bytes (tested by rendering in different orders).
    """
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


def image_origins(view: View) -> dict[str, Location]:
    """Image URL -> the Markdown line that asked for it, for the sandbox's messages."""
    return {item.image.path.as_uri(): item.location
            for section in view.sections for item in section.content
            if isinstance(item, Block) and item.image}


def load_engine(templates: Path, template: str) -> None:
    """Before worker processes fork from us: import WeasyPrint, set up its fonts and compile
    the template, so that no worker pays for it again."""
    from . import engine  # noqa: F401

    font_configuration()
    compile_template(templates, template)


@lru_cache(maxsize=None)
def warm_fonts(language: str) -> None:
    """Lay out one line in the language's fonts (once per process, before workers fork)."""
    from .sandbox import SandboxFetcher
    from weasyprint import HTML

    html = (f'<html lang="{language}"><style>{font_face_css(language)} body {{ '
            f'font-family: {font_stack(language)} }}</style><p>Aa <b>Aa</b> <i>Aa</i></p>')
    HTML(string=html, url_fetcher=SandboxFetcher(font_roots(language))).render(
        font_config=font_configuration())


def to_pdf(document, view: View) -> bytes:
    """PDF bytes; font subsetting stamps the file date, not the clock, into the fonts.

    The text layer is written exactly, in every script (text_layer.py).
    """
    from .font_subsets import reused_subsets
    from .text_layer import exact_text_layer

    stamp = source_date(view.topic.review_date).replace(tzinfo=dt.timezone.utc)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        with exact_text_layer(), reused_subsets():
            return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


class PageBudgetExceeded(Exception):
    """The layout started a page beyond the budget it was given."""


@contextlib.contextmanager
def _page_budget(pages: int | None):
    """Stop a layout when it starts page `pages + 1`.

    WeasyPrint announces each page it starts on its progress logger; that is
    the one place to learn it before the page is laid out. (If the message
    ever changes, the layout simply runs to the end: slower, never wrong.)
    """
    if pages is None:
        yield
        return

    class Budget(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if (record.msg == "Step 5 - Creating layout - Page %d" and record.args
                    and record.args[0] > pages):
                raise PageBudgetExceeded

    logger, handler = logging.getLogger("weasyprint.progress"), Budget(logging.INFO)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the messages are for this handler only
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


@contextlib.contextmanager
def _missing_glyphs():
    """Collect WeasyPrint's '.notdef glyph rendered' warnings: a box instead of a letter."""
    missing: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if ".notdef glyph" in record.getMessage():
                missing.append(str(record.args[0]) if record.args else record.getMessage())

    logger, handler = logging.getLogger("weasyprint"), Catch(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield missing
    finally:
        logger.removeHandler(handler)
