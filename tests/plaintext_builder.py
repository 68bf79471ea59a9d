"""A toy output format for the registry tests: the patient handout as plain text.

It lives outside the package on purpose: registering it must be all it takes
to add a format, with no change to any module of handouts.
"""

from __future__ import annotations

from pathlib import Path

from handouts.model import OutputSpec, View
from handouts.model.inline import plain_text
from handouts.render.builder import OutputSettings
from handouts.verify.results import Verified, safety_results


class PlainTextHandout:
    name = "text"
    audience = "patient"
    count_unit = "line"

    def outputs(self, topic: str, language: str, settings: OutputSettings) -> list[OutputSpec]:
        return [OutputSpec(self.name, topic, self.audience, language,
                           f"{topic}/{language}/{topic}-patient.txt")]

    def warm_up(self, languages: set[str], templates: Path) -> None:
        pass

    def render(self, view: View, spec: OutputSpec, templates: Path) -> bytes:
        return "\n".join(self.lines(view)).encode("utf-8") + b"\n"

    def lines(self, view: View) -> list[str]:
        return [plain_text(unit.text) for unit in view.units()]

    def verify(self, data: bytes, spec: OutputSpec, view: View, source: View | None,
               thorough: bool = False) -> Verified:
        text = data.decode("utf-8")
        return Verified(text.count("\n"), safety_results(text, view))


class LossyTextHandout(PlainTextHandout):
    """Drops every safety statement: its own read-back must stop the build."""

    def lines(self, view: View) -> list[str]:
        safety = {unit.id for s in view.safety_statements() for unit in s.units}
        return [plain_text(unit.text) for unit in view.units() if unit.id not in safety]
