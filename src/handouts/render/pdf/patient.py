"""The patient handout PDF: standard and large print, on each paper size the topic asks for."""

from __future__ import annotations

from ...model import OutputSpec, SafetyStatement, View
from .builder import PdfBuilder
from .plan_form import plan_context

TIER_ORDER = ("stop", "call")
TIER_ICONS = {"stop": "stop", "call": "phone"}


class PatientHandout(PdfBuilder):
    name = "patient"
    audience = "patient"
    template = "patient/handout.html.j2"
    stylesheets = ("css/base.css", "css/patient.css", "css/organisation.css")
    variants = ("standard", "large")

    def page_target(self, spec: OutputSpec) -> int | None:
        """The standard print aims at one sheet, printed on both sides."""
        return None if spec.option("large", False) else 2

    def context(self, view: View, spec: OutputSpec) -> dict:
        from .html import UnitRenderer, page_context, section_context, statement_context

        render = UnitRenderer(view.numbers)
        sections, escalation, escalation_after = [], {}, None
        for section in view.sections:
            # Tiered statements leave the flow for "When to stop and ask for help".
            tiered = [c for c in section.content if isinstance(c, SafetyStatement) and c.tier]
            for statement in tiered:
                escalation.setdefault(statement.tier, []).append(
                    statement_context(statement, render))
                escalation_after = escalation_after or section.id
            rest = tuple(c for c in section.content if c not in tiered)
            sections.append(section_context(section, render, rest))
        topic = view.topic
        context = page_context(view, spec, render)
        context.update(
            sections=sections, escalation_after=escalation_after,
            escalation=[{"tier": tier, "icon": TIER_ICONS[tier], "statements": escalation[tier]}
                        for tier in TIER_ORDER if tier in escalation],
            plan=topic.plan and plan_context(topic.plan, render, dict(spec.option("fill", ()))),
            qr=topic.link and _qr_data_uri(topic.link.url),
            link_url=topic.link and topic.link.url,
            link_label=topic.link and render(topic.link.label),
            large=spec.option("large", False),
            care={key: render(unit) for key, unit in topic.care_setting.items()},
        )
        return context


def _qr_data_uri(url: str) -> str:
    import segno
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)
