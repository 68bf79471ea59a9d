"""The files a build makes: one OutputSpec each, named before anything is rendered."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutputSpec:
    """One file to produce: which builder, audience, language and paper, and where it goes."""

    builder: str
    topic: str
    audience: str
    language: str
    relpath: str  # under the output folder, e.g. backwards-walking/en/backwards-walking-patient.pdf
    paper: str | None = None
    options: tuple[tuple[str, object], ...] = field(default_factory=tuple)

    def option(self, name: str, default=None):
        return dict(self.options).get(name, default)

    @property
    def variant(self) -> str:
        return "large" if self.option("large") else "standard"

    @property
    def topic_relpath(self) -> str:
        """The path inside the topic's output folder (as the manifest lists it)."""
        return self.relpath.split("/", 1)[1]
