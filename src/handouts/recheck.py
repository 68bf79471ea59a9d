"""`handouts check`: read built outputs back and verify them against the current content.

The same checks run inside every build before anything is written; this
command runs them on files already on disk, for example after copying an
output folder to a shared drive, or before a print run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .plan.request import BuildRequest
from .plan.topics import finish, plan_topic, planned_specs
from .render.registry import builder
from .verify.results import CheckResult
from .write.publish import recover


@dataclass(frozen=True)
class OutputCheck:
    """The checks of one output file on disk."""

    relpath: str
    checks: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok or not c.fatal for c in self.checks)


def recheck(topics: tuple[Path, ...], out: Path, templates: Path,
            audiences: tuple[str, ...] = (), languages: tuple[str, ...] = (),
            papers: tuple[str, ...] = (), thorough: bool = False) -> list[OutputCheck]:
    """Every output the topics should have (narrowed like a build), read back and checked.

    A publish that a killed build left half done is finished or undone first,
    so what is checked is a whole set of outputs. An output whose translation
    cannot be used (a stale or flawed catalog) cannot be compared with what it
    should say: it fails with the catalog's problems, and the other outputs are
    still checked. `thorough` adds each format's slow checks (poppler's reading
    of every PDF, a deck laid out by LibreOffice).
    """
    recover(out)
    request = BuildRequest(topics=topics, out=out, templates=templates, audiences=audiences,
                           languages=languages, papers=papers, blocked=[], checking=True)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    plans = [plan_topic(folder, request, warnings, problems) for folder in topics]
    finish(problems, warnings, strict=False)
    results = []
    for plan in plans:
        for job in plan.jobs:
            path = out / job.spec.relpath
            if not path.is_file():
                checks = (CheckResult("built", False, "missing: run handouts build"),)
            else:
                data, made_by = path.read_bytes(), builder(job.spec.builder)
                slow = {"thorough": True} if thorough else {}  # a format may have no slow checks
                checks = tuple(made_by.verify(data, job.spec, job.view, job.source,
                                              **slow).checks)
            results.append(OutputCheck(job.spec.relpath, checks))
        for spec, reasons in plan.blocked:
            results.append(OutputCheck(spec.relpath, tuple(
                CheckResult("translation", False, f"not checked: {reason}")
                for reason in sorted(set(reasons)) if not reason.warning)))
    specs = [spec for plan in plans for spec in planned_specs(plan.document.topic, request)]
    order = {spec.relpath: i for i, spec in enumerate(specs)}
    return sorted(results, key=lambda r: order.get(r.relpath, len(order)))
