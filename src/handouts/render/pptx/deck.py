"""The in-service training deck: one PPTX per language, in the organisation's template."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from ...model import OutputSpec, View
from ..builder import OutputSettings


class SlideDeck:
    name = "slides"
    audience = "trainer"
    count_unit = "slide"

    def outputs(self, topic: str, language: str, settings: OutputSettings) -> list[OutputSpec]:
        template = str(settings.slide_template) if settings.slide_template else None
        return [OutputSpec(self.name, topic, self.audience, language,
                           f"{topic}/{language}/{topic}-slides.pptx",
                           options=(("template", template),))]

    def template_files(self) -> tuple[str, ...]:
        return ("slides/strings.yaml",)  # the slide template is checked as a package

    def load_engine(self, templates: Path) -> None:
        """Import python-pptx and parse the CSL style once, before workers fork."""
        import pptx  # noqa: F401

        from ..references import warm_up
        warm_up()

    def warm_up(self, languages: set[str], templates: Path) -> None:
        pass  # nothing depends on the language

    def render(self, view: View, spec: OutputSpec, templates: Path) -> bytes:
        from .organisation import add_organisation
        from .planner import Planner
        from .template import open_template, theme_fonts
        from .writer import fixed_zip, set_core_properties, write_slides

        presentation, layouts = open_template(view, templates, spec.option("template"))
        strings = deck_strings(view, templates)
        heading_font, body_font = theme_fonts(presentation)
        slides = Planner(view, strings, layouts, body_font, heading_font).plan()
        signed = view.translation is not None and view.reviewed  # as the PDF footers say
        notices = [strings[key] for key, show in
                   (("draft", view.draft), ("unreviewed", not view.reviewed),
                    ("reviewed", signed)) if show]
        write_slides(presentation, layouts, slides, view.language, notices)
        add_organisation(presentation, slides, view)
        set_core_properties(presentation, view)
        buffer = io.BytesIO()
        presentation.save(buffer)
        return fixed_zip(buffer.getvalue())

    def verify(self, data: bytes, spec: OutputSpec, view: View, source: View | None,
               thorough: bool = False):
        """python-pptx's reading; thorough: also the deck laid out by LibreOffice (slow)."""
        from ...verify.deck import verify_deck
        verified = verify_deck(data, view, source)
        if not thorough or any(check.name == "readable" for check in verified.checks):
            return verified  # a deck python-pptx cannot open is not laid out either
        from ...verify.deck_render import rendered_fit_results
        return replace(verified, checks=verified.checks + list(rendered_fit_results(data)))


def deck_strings(view: View, templates: Path) -> dict[str, str]:
    """The words the deck adds, from the templates' slides/strings.yaml, in the view's language."""
    import yaml

    english = yaml.safe_load((templates / "slides" / "strings.yaml").read_text("utf-8"))
    return {key: view.gettext(str(value)) for key, value in english.items()}
