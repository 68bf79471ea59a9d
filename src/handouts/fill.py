"""`handouts fill`: one patient handout with its plan typed in, written only where -o says.

A filled copy may hold personal data (a patient's plan), so it never goes into
an output folder or a manifest: it is rendered and read back like any output,
then written to the one file named, atomically (a failed fill leaves nothing).
Values are untrusted text: bounded in length, without control characters; the
templates print them as text (they live in the form fields, escaped).
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import click

from .errors import ContentErrors, HandoutsError, Location, Problem
from .render.pdf.plan_form import MAX_VALUE_LENGTH, support_name


@dataclass(frozen=True)
class FillRequest:
    topic: Path
    language: str
    paper: str
    large: bool
    values: tuple[tuple[str, str], ...]  # (plan field id, text) as given
    ticks: tuple[str, ...]  # support numbers, support-N names or their English text
    target: Path
    out: Path  # the output folder a filled copy must stay out of
    templates: Path


def refuse_target(target: Path, out: Path) -> None:
    """A usage error unless `target` is a .pdf file outside the output folder."""
    if target.suffix.lower() != ".pdf":
        raise click.UsageError(f"-o {target}: name a .pdf file")
    real, folder = target.resolve(), out.resolve()
    if real == folder or folder in real.parents:
        raise click.UsageError(f"-o {target} is inside the output folder {out}/; a filled "
                               "copy may hold personal data and never goes there: name a "
                               "file elsewhere")
    if target.is_dir():
        raise click.UsageError(f"-o {target} is a folder; name a .pdf file")


def form_values(request: FillRequest, field_ids: list[str],
                supports: list[str]) -> tuple[tuple[str, str], ...]:
    """(field name, value) pairs for the form, or a usage error naming the valid names."""
    values = {}
    for name, text in request.values:
        if name not in field_ids:
            raise click.UsageError(f"--set {name}=...: the plan has no field '{name}'; valid: "
                                   f"{', '.join(field_ids) or '(the topic has no plan)'}")
        values[name] = checked_value(name, text)
    names = [support_name(i) for i in range(1, len(supports) + 1)]
    for tick in request.ticks:
        values[_support(tick, names, supports)] = "on"
    return tuple(sorted(values.items()))


def checked_value(name: str, text: str) -> str:
    if len(text) > MAX_VALUE_LENGTH:
        raise click.UsageError(f"--set {name}: {len(text)} characters, over the "
                               f"{MAX_VALUE_LENGTH} a plan line holds; shorten it")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text):
        raise click.UsageError(f"--set {name}: holds control or invisible characters; type "
                               "the value as plain text")
    return text.strip()


def _support(tick: str, names: list[str], supports: list[str]) -> str:
    if tick.isdigit() and 1 <= int(tick) <= len(names):
        return names[int(tick) - 1]
    if tick in names:
        return tick
    if tick in supports:
        return names[supports.index(tick)]
    listed = "; ".join(f"{i} ({text})" for i, text in enumerate(supports, start=1))
    raise click.UsageError(f"--tick {tick}: no such support box; valid: "
                           f"{listed or '(the plan has no support boxes)'}")


def fill(request: FillRequest) -> int:
    """Render, check and write the filled copy; returns its page count."""
    from .model.inline import plain_text
    from .plan.request import BuildRequest
    from .plan.topics import finish, plan_topic
    from .render.registry import builder

    refuse_target(request.target, request.out)
    build_request = BuildRequest(topics=(request.topic,), out=request.out,
                                 templates=request.templates, audiences=("patient",),
                                 languages=(request.language,), papers=(request.paper,))
    problems: list[Problem] = []
    warnings: list[Problem] = []
    plan = plan_topic(request.topic, build_request, warnings, problems)
    finish(problems, [], strict=False)
    assert plan is not None
    jobs = [job for job in plan.jobs if job.spec.option("large", False) == request.large]
    if not jobs:
        raise click.UsageError(f"the topic has no patient handout in '{request.language}' on "
                               f"{request.paper}")
    job = jobs[0]
    topic_plan = job.view.topic.plan
    field_ids = [f.id for f in topic_plan.fields] if topic_plan else []
    supports = [plain_text(s.text) for s in (plan.document.topic.plan.supports
                                            if plan.document.topic.plan else ())]
    values = form_values(request, field_ids, supports)
    spec = replace(job.spec, options=job.spec.options + (("fill", values),))
    patient = builder("patient")
    data = patient.render(job.view, spec, request.templates)
    verified = patient.verify(data, spec, job.view, job.source)
    failed = verified.failed + filled_value_failures(data, dict(values))
    if failed:
        where = Location(str(request.topic))
        raise ContentErrors([Problem(where, f"the filled copy failed its check {c.name}: "
                                            f"{c.detail}", "nothing was written")
                             for c in failed])
    write_atomically(request.target, data)
    return verified.count


def filled_value_failures(data: bytes, values: dict[str, str]) -> list:
    """Every value set is read back from the PDF's form fields (pypdf), as given."""
    import io

    from pypdf import PdfReader

    from .verify.results import CheckResult

    fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    wrong = []
    for name, value in values.items():
        got = fields.get(name, {}).get("/V")
        expected = "/on" if value == "on" and name.startswith("support-") else value
        if str(got if got is not None else "") != expected:
            wrong.append(f"{name} holds {got!r}, not {expected!r}")
    return [CheckResult("filled-values", False, "; ".join(wrong))] if wrong else []


def write_atomically(target: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: never a half-written file."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise HandoutsError(f"cannot write {target}: the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".handouts-fill-", suffix=".pdf",
                                             dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with_suppressed_unlink(locals().get("temporary"))
        raise HandoutsError(f"cannot write {target}: {exc.strerror or exc}") from None


def with_suppressed_unlink(path: str | None) -> None:
    if path:
        try:
            os.unlink(path)
        except OSError:
            pass
