"""The patient handout PDF: standard and large print, on each paper size the topic asks for."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ..model import Block, SafetyStatement
from ..references import format_references
from ..select import View
from . import OutputSpec, Rendered
from .htmlpdf import PAGE_SIZES, UnitRenderer, page_context, render_html, write_pdf

TIER_ORDER = ("stop", "call")
TIER_ICONS = {"stop": "stop", "call": "phone"}
VARIANTS = ("standard", "large")


class PatientHandout:
    name = "patient"
    audience = "patient"
    template = "patient/handout.html.j2"

    def outputs(self, view: View, papers: tuple[str, ...]) -> list[OutputSpec]:
        topic, lang = view.topic.id, view.language
        specs = []
        for variant in VARIANTS:
            for paper in papers:
                suffix = ("-large" if variant == "large" else "") + ("-a4" if paper == "a4" else "")
                specs.append(OutputSpec(self.name, topic, self.audience, lang,
                                        f"{topic}/{lang}/{topic}-patient{suffix}.pdf", paper,
                                        (("large", variant == "large"),)))
        return specs

    def render(self, view: View, spec: OutputSpec, templates: Path) -> Rendered:
        html = self.html(view, spec)
        origins = {item.image.path.as_uri(): item.location
                   for s in view.sections for item in s.content
                   if isinstance(item, Block) and item.image}
        return Rendered(spec, write_pdf(html, view, templates, origins), {})

    def html(self, view: View, spec: OutputSpec, templates: Path | None = None) -> str:
        from ..paths import default_templates
        context = self.context(view, spec)
        return render_html(templates or default_templates(), self.template, context)

    def context(self, view: View, spec: OutputSpec) -> dict:
        keys = view.cited_keys()
        render = UnitRenderer({key: n for n, key in enumerate(keys, start=1)})
        sections, escalation, escalation_after = [], {}, None
        for section in view.sections:
            items: list[dict] = []
            for item in section.content:
                if isinstance(item, SafetyStatement) and item.tier:
                    escalation.setdefault(item.tier, []).append(self._statement(item, render))
                    escalation_after = escalation_after or section.id
                elif isinstance(item, SafetyStatement):
                    if not items or items[-1]["kind"] != "safety-group":
                        items.append({"kind": "safety-group", "statements": []})
                    items[-1]["statements"].append(self._statement(item, render))
                else:
                    items.append(render.block(item))
            sections.append({"id": section.id, "title": render(section.title),
                             "classes": section.classes, "blocks": items})
        topic = view.topic
        context = page_context(view)
        context.update(
            title=render(view.settings.title), title_text=view.settings.title.text,
            subtitle=render(view.settings.subtitle), purpose=render(view.settings.purpose),
            purpose_text=view.settings.purpose.text if view.settings.purpose else "",
            sections=sections, escalation_after=escalation_after,
            escalation=[{"tier": tier, "icon": TIER_ICONS[tier], "statements": escalation[tier]}
                        for tier in TIER_ORDER if tier in escalation],
            plan=topic.plan and {
                "fields": [{"id": f.id, "label": render(f.label)} for f in topic.plan.fields],
                "supports": [render(s) for s in topic.plan.supports]},
            references=format_references([view.document.references[k] for k in keys]),
            qr=topic.link and _qr_data_uri(topic.link.url),
            link_url=topic.link and topic.link.url,
            link_label=topic.link and render(topic.link.label),
            page_size=PAGE_SIZES[spec.paper], large=spec.option("large", False),
        )
        return context

    @staticmethod
    def _statement(statement: SafetyStatement, render: UnitRenderer) -> dict:
        html = Markup(" ").join(render(u) for u in statement.units)
        return {"id": statement.id, "html": html}


def _qr_data_uri(url: str) -> str:
    import segno
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)
