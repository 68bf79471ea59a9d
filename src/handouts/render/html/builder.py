"""The web editions: the patient handout and the clinician brief as self-contained HTML.

They reuse the PDF builders' context and templates (patient/web.html.j2 and
clinician/web.html.j2 extend the PDF templates), so the page says exactly
what the PDF says. Everything
the page needs is inside the one file: stylesheets, fonts cut down to the
page's characters, icons (inline SVG), figures and the QR code (data: URLs).
A page opened from an e-mail, a USB stick or a portal then loads nothing from
the network and shows the same type everywhere. Content reaches the page only
as escaped Markup, exactly as in the PDF.
"""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

from ...model import Block, OutputSpec, View
from ..builder import OutputSettings

# The loader judged each figure by its content; the media type is told the same way.
IMAGE_SIGNATURES = ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"GIF8", "image/gif"))


class WebPage:
    """One HTML file per topic and language; subclasses name the template and the PDF twin."""

    name: str
    audience: str
    template: str  # under the templates folder
    count_unit = "section"

    def outputs(self, topic: str, language: str, settings: OutputSettings) -> list[OutputSpec]:
        return [OutputSpec(self.name, topic, self.audience, language,
                           f"{topic}/{language}/{topic}-{self.audience}.html")]

    def template_files(self) -> tuple[str, ...]:
        from .styles import stylesheet_names
        return (self.template, *stylesheet_names(self.audience))

    def load_engine(self, templates: Path) -> None:
        from ..pdf.html import compile_template
        from ..references import warm_up as warm_references

        compile_template(templates, self.template)
        warm_references()

    def warm_up(self, languages: set[str], templates: Path) -> None:
        pass  # its fonts are cut per page; nothing else depends on the language

    def pdf_context(self, view: View, spec: OutputSpec) -> dict:
        raise NotImplementedError

    def render(self, view: View, spec: OutputSpec, templates: Path) -> bytes:
        from markupsafe import Markup

        from ..pdf.html import render_html
        from .fonts import font_face_rules
        from .styles import inline_styles

        # The PDF's context, for its first paper: the page needs none of its sizes.
        context = self.pdf_context(view, dataclasses.replace(spec, paper="letter"))
        _inline_images(context, view)
        context.update(web_css=inline_styles(templates, self.audience), compact=False,
                       font_css=Markup(""))
        draft = render_html(templates, self.template, context, view)
        fonts, _ = font_face_rules(view.language, draft)
        context["font_css"] = Markup(fonts)
        return render_html(templates, self.template, context, view).encode("utf-8")

    def verify(self, data: bytes, spec: OutputSpec, view: View, source: View | None,
               thorough: bool = False):
        from ...verify.html import verify_html
        return verify_html(data, view, source)


class PatientWebPage(WebPage):
    name = "patient-web"
    audience = "patient"
    template = "patient/web.html.j2"

    def pdf_context(self, view: View, spec: OutputSpec) -> dict:
        from ..pdf.patient import PatientHandout
        return PatientHandout().context(view, spec)


class ClinicianWebPage(WebPage):
    name = "clinician-web"
    audience = "clinician"
    template = "clinician/web.html.j2"

    def pdf_context(self, view: View, spec: OutputSpec) -> dict:
        from ..pdf.clinician import ClinicianBrief
        return ClinicianBrief().context(view, spec)


def _inline_images(context: dict, view: View) -> None:
    """Figures and the organisation's logo as data: URLs (the loader confined them to the
    topic and content folders and bounded their size)."""
    images = {item.image.path.as_uri(): item.image.path
              for section in view.sections for item in section.content
              if isinstance(item, Block) and item.image}
    for section in context["sections"]:
        for item in section["blocks"]:
            if item.get("kind") == "image":
                item["src"] = _data_url(images[item["src"]].read_bytes())
    organisation = view.topic.organisation
    if context.get("org") and context["org"].get("logo") and organisation.logo:
        logo = {**context["org"]["logo"], "src": _data_url(organisation.logo.path.read_bytes())}
        context["org"] = {**context["org"], "logo": logo}


def _data_url(data: bytes) -> str:
    return f"data:{_media_type(data)};base64," + base64.b64encode(data).decode()


def _media_type(data: bytes) -> str:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for signature, kind in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return kind
    return "image/svg+xml"  # the only other kind the loader lets through
