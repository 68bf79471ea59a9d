"""What every PDF format shares: its file names, its two-pass fit and its read-back.

Nothing here imports Jinja or WeasyPrint at module level: naming the files
must stay cheap (the up-to-date check); rendering imports them on first use.
"""

from __future__ import annotations

from pathlib import Path

from ...model import OutputSpec, View
from ..builder import OutputSettings


CHARACTERS_PER_PAGE = 8000  # the densest page (the compact brief, 9.2 pt) holds about 6000


class PdfBuilder:
    """One Jinja template rendered to PDF on each paper size; subclasses give the context.

    When a layout runs over `page_target` pages, the builder lays it out once
    more with tighter spacing and keeps whichever takes fewer pages: a handout
    that spills two lines onto a third page wastes a sheet of paper.
    """

    name: str
    audience: str
    template: str  # under the templates folder
    stylesheets: tuple[str, ...]  # under the templates folder, applied in this order
    variants: tuple[str, ...] = ("standard",)  # "large": the large-print edition
    count_unit = "page"
    max_pages = 12  # more is runaway content, not a handout: refused with a message

    def outputs(self, topic: str, language: str, settings: OutputSettings) -> list[OutputSpec]:
        base = f"{topic}/{language}/{topic}-{self.name}"
        options = len(self.variants) > 1
        return [OutputSpec(self.name, topic, self.audience, language,
                           f"{base}{'-large' if variant == 'large' else ''}"
                           f"{'-a4' if paper == 'a4' else ''}.pdf", paper,
                           (("large", variant == "large"),) if options else ())
                for variant in self.variants for paper in settings.papers]

    def template_files(self) -> tuple[str, ...]:
        return (self.template, *self.stylesheets)

    def load_engine(self, templates: Path) -> None:
        from ..references import warm_up as warm_references
        from .html import load_engine

        load_engine(templates, self.template)
        warm_references()

    def warm_up(self, languages: set[str], templates: Path) -> None:
        from ...assets.fonts import glyph_sets
        from .html import warm_fonts

        for language in sorted(languages):
            warm_fonts(language)
            glyph_sets(language)

    def page_target(self, spec: OutputSpec) -> int | None:
        return None

    def context(self, view: View, spec: OutputSpec) -> dict:
        raise NotImplementedError

    def html(self, view: View, spec: OutputSpec, templates: Path, compact: bool = False) -> str:
        """The final HTML that WeasyPrint lays out (`compact`: the tighter spacing)."""
        from .html import render_html

        context = {**self.context(view, spec), "compact": compact,
                   "stylesheets": self.stylesheets, "link_stylesheets": False}
        return render_html(templates, self.template, context, view)

    def page_limit(self, spec: OutputSpec) -> int:
        return self.max_pages * (2 if spec.option("large") else 1)

    def render(self, view: View, spec: OutputSpec, templates: Path) -> bytes:
        from .html import to_pdf

        self.refuse_runaway_text(view, spec)
        document = self.lay_out(view, spec, templates)
        if len(document.pages) > self.page_limit(spec):
            raise self.too_long(view, spec, f"runs to {len(document.pages)} pages")
        return to_pdf(document, view)

    def lay_out(self, view: View, spec: OutputSpec, templates: Path):
        """The normal layout, or the compact one when it takes fewer pages.

        The normal layout is stopped as soon as it runs past the page target: when the
        compact layout then fits the target, it has fewer pages, and the rest of the
        normal layout is never needed. Only when neither fits are both laid out in full.
        """
        from .html import lay_out

        def layout(compact: bool, within: int | None = None):
            return lay_out(self.html(view, spec, templates, compact=compact), view, templates,
                           self.stylesheets, within)

        target = self.page_target(spec)
        if not target:
            return layout(False)
        normal = layout(False, within=target)
        if normal is not None:
            return normal
        compact = layout(True)
        if len(compact.pages) <= target:
            return compact
        normal = layout(False)
        return compact if len(compact.pages) < len(normal.pages) else normal

    def refuse_runaway_text(self, view: View, spec: OutputSpec) -> None:
        """Refuse before layout what cannot fit the page limit (laying out 500 pages takes
        minutes and a gigabyte): no page of ours holds more than CHARACTERS_PER_PAGE."""
        characters = sum(len(unit.text) for unit in view.units())
        if characters > self.page_limit(spec) * CHARACTERS_PER_PAGE:
            raise self.too_long(view, spec, f"has {characters:,} characters of text")

    def too_long(self, view: View, spec: OutputSpec, what: str):
        from ...errors import ContentErrors, Location, Problem, display_path

        where = Location(display_path(view.topic.folder / view.topic.content_file))
        return ContentErrors([Problem(where, f"the {self.name} output {spec.relpath} {what}, "
                                             f"over its limit of {self.page_limit(spec)} pages",
                                      "shorten the content for this audience, or split it "
                                      "into several topics")])

    def verify(self, data: bytes, spec: OutputSpec, view: View, source: View | None,
               thorough: bool = False):
        from ...verify.pdf import verify_pdf
        return verify_pdf(data, spec, view, source, thorough)
