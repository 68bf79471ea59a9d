"""Cross-reference checks over a loaded Document; every problem is returned, none raised.

The checks that count what the Markdown holds (a required statement, an audience's
content, speaker notes, citations of every reference) stay quiet while the Markdown has
a structural error (see sections.py): its text is then not what the author wrote, and
each of their findings would only repeat that one error in other words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import Problem
from ..model.inline import inline_tokens
from ..model import Document, Reference, Unit
from .sections import statement_attributes

LOOSE_CITATION = re.compile(r"\[[^\]]*@[\w-]")
# Links may leave the page only for the web or e-mail: a relative link would become a
# file:// link carrying this machine's paths, javascript: and file: have no place on paper.
WEB_OR_MAIL = re.compile(r"(https?://[^/\s]|mailto:[^\s@]+@)", re.IGNORECASE)
# A link markdown-it refused (javascript:, file:...) stays in the text as written.
REFUSED_LINK = re.compile(r"\]\(\s*<?([^\s>]*?)>?\s*\)")


def check_document(document: Document) -> list[Problem]:
    problems = (citation_problems(document.units(), document.references,
                                  document.topic.bibliography_file)
                + _evidence_problems(document) + link_problems(document.units()))
    if any(section.damaged for section in document.sections):
        return problems
    return (problems + _safety_problems(document) + _notes_problems(document)
            + _empty_audiences(document) + _uncited_references(document))


def link_problems(units: Iterable[Unit]) -> list[Problem]:
    """Links to anything but the web or e-mail, and images inside text, in any unit."""
    problems = []
    for unit in units:
        for token in inline_tokens(unit.text):
            if token.type == "link_open":
                href = str(token.attrs.get("href", ""))
                if not WEB_OR_MAIL.match(href):
                    problems.append(_link_problem(unit, href))
            elif token.type == "text" and REFUSED_LINK.search(token.content):
                problems.append(_link_problem(unit, REFUSED_LINK.search(token.content).group(1)))
            elif token.type == "image":
                problems.append(Problem(unit.location, "an image inside a list, table, heading "
                                        "or sentence", "put each image in a paragraph of its "
                                        "own"))
    return problems


def _link_problem(unit: Unit, href: str) -> Problem:
    return Problem(unit.location, f"link '{href}' is not a web or e-mail address",
                   "links may start only with https://, http:// or mailto:; name other "
                   "places in words")


def _empty_audiences(document: Document) -> list[Problem]:
    """An audience that topic.yaml builds for but the Markdown says nothing to."""
    problems = []
    for audience, settings in document.topic.audiences.items():
        if not any(audience in item.audiences for section in document.sections
                   if audience in section.audiences for item in section.content):
            problems.append(Problem(settings.title.location, f"the {audience} audience has no "
                                    f"content in {document.topic.content_file}",
                                    f"add sections for the {audience} audience, or remove it "
                                    "from audiences in topic.yaml"))
    return problems


def _notes_problems(document: Document) -> list[Problem]:
    """A trainer section without speaker notes leaves the presenter with nothing to say."""
    if "trainer" not in document.topic.audiences:
        return []
    return [Problem(section.location, f"section '{section.id}' has no speaker notes for the "
                    "training deck", "add a ::: notes div with what the presenter should say",
                    warning=True)
            for section in document.sections
            if "trainer" in section.audiences and not section.notes
            and any("trainer" in item.audiences for item in section.content)]


def _evidence_problems(document: Document) -> list[Problem]:
    evidence = document.topic.evidence
    if evidence is None:
        return []
    problems, seen = [], set()
    known = ", ".join(sorted(document.references)) or "none"
    for study in evidence.studies:
        if study.reference not in document.references:
            problems.append(Problem(study.location, f"evidence row for unknown reference "
                                    f"'{study.reference}'", f"use one of: {known}"))
        elif study.reference in seen:
            problems.append(Problem(study.location, f"a second evidence row for "
                                    f"'{study.reference}'", "merge the rows into one"))
        seen.add(study.reference)
    return problems


def citation_problems(units: Iterable[Unit], references: dict[str, Reference],
                      bibliography_file: str) -> list[Problem]:
    """Citations to keys the bibliography lacks, and bracketed citations we cannot read."""
    known = ", ".join(sorted(references)) or "none"
    problems = []
    for unit in units:
        for token in inline_tokens(unit.text):
            if token.type == "citation":
                problems += [Problem(unit.location, f"unknown citation key '@{key}'",
                                     f"add it to {bibliography_file} or use one of: {known}")
                             for key in token.meta["keys"] if key not in references]
            elif token.type == "text" and LOOSE_CITATION.search(token.content):
                problems.append(Problem(unit.location, "a citation this tool cannot read: "
                                        f"{LOOSE_CITATION.search(token.content).group(0)}…",
                                        "write citations as [@key] or [@key1; @key2]"))
    return problems


def _safety_problems(document: Document) -> list[Problem]:
    """Every statement topic.yaml requires: there, shown to its audience, in its tier.

    A suggested statement carries every attribute it needs; its tier is known when
    topic.yaml requires one ({id: ..., tier: stop}); otherwise none is guessed.
    """
    problems = []
    statements = {s.id: s for s in document.safety_statements()}
    for audience, settings in document.topic.audiences.items():
        for safety_id, where in settings.required_safety.items():
            statement = statements.get(safety_id)
            tier = settings.required_tiers.get(safety_id)
            if statement is None:
                attributes = statement_attributes(safety_id, audience, tier)
                problems.append(Problem(where, f"safety statement '{safety_id}' is required for "
                                        f"the {audience} audience but is not in the content",
                                        f"add ::: {attributes} to the Markdown, or remove it "
                                        "from required_safety"))
            elif audience not in statement.audiences:
                problems.append(Problem(statement.location, f"safety statement '{safety_id}' is "
                                        f"required for the {audience} audience but is not shown "
                                        f"to it", f"add {audience} to its audience attribute"))
            elif tier and statement.tier != tier:
                has = f'has tier="{statement.tier}"' if statement.tier else "has no tier"
                problems.append(Problem(statement.location, f"safety statement '{safety_id}' "
                                        f"{has}, but {where} requires tier=\"{tier}\" for "
                                        f"the {audience} audience",
                                        f'write tier="{tier}" in its attributes, or change the '
                                        "tier in topic.yaml"))
    return problems


def _uncited_references(document: Document) -> list[Problem]:
    cited = {key for unit in document.units() for token in inline_tokens(unit.text)
             if token.type == "citation" for key in token.meta["keys"]}
    if document.topic.evidence:
        cited |= {study.reference for study in document.topic.evidence.studies}
    return [Problem(ref.location, f"reference '{key}' is cited nowhere",
                    f"cite it as [@{key}] or remove it", warning=True)
            for key, ref in document.references.items() if key not in cited]
