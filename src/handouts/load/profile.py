"""`handouts.yaml`, the organisation profile at the root of a content folder.

Like mkdocs.yml or _quarto.yml at a project's root, it holds what every topic
of the folder shares: the organisation (name, logo, phones, address, web site,
brand colours), the care setting's wording, and the default paper sizes and
languages. Each topic's `topic.yaml` may set any of it again for itself. No
profile: the neutral look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem, display_path
from ..model.document import Unit
from ..model.names import PAPERS
from ..model.organisation import Organisation
from .files import TOPIC_YAML_BYTES, Refused, YamlDocument, confine, load_yaml, read_text
from .organisation import (ORGANISATION, colour_problems, logo_problems, merged,
                           missing_name, organisation, unit_maker)
from .schema import Choice, Field, ListOf, Record

PROFILE_FILE = "handouts.yaml"


def profile_schema() -> Record:
    """The profile's fields (built on first use: topic_yaml.py declares the shared ones)."""
    from .topic_yaml import CARE_SETTING, LANGUAGE

    return Record(name="the organisation profile", fields={
        "organisation": Field(ORGANISATION, "who the handouts go home from", required=True),
        "care_setting": Field(CARE_SETTING, "the care setting's wording for every topic (a "
                                            "topic's care_setting replaces it line by line)"),
        "paper": Field(ListOf(Choice(PAPERS), min_items=1, unique=True),
                       "paper sizes for topics that set none"),
        "languages": Field(ListOf(LANGUAGE, min_items=1, unique=True),
                           "languages for every audience that sets none"),
    })


@dataclass(frozen=True)
class Profile:
    """A checked handouts.yaml: defaults a topic's own settings override."""

    path: Path
    organisation: Organisation
    care_setting: dict[str, Unit] = field(default_factory=dict)
    paper: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None


def profile_path(content: Path) -> Path:
    return content / PROFILE_FILE


def load_profile(content: Path) -> tuple[Profile | None, list[Problem]]:
    """The content folder's profile; (None, []) when it has none."""
    shown = display_path(profile_path(content))
    try:
        path = confine(content, PROFILE_FILE)
    except Refused as refused:
        if refused.missing:
            return None, []
        return None, [Problem(Location(shown), f"the file {refused.message}", refused.hint)]
    text, problems = read_text(path, shown, TOPIC_YAML_BYTES, "a handouts.yaml",
                               "handouts.yaml holds settings; keep text in the topics")
    if text is None:
        return None, problems
    doc, problems = load_yaml(text, shown)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, problems + [Problem(Location(shown, 1), "handouts.yaml should be a "
                                         "mapping of settings", "start with 'organisation:'")]
    data = profile_schema().check(doc.data, (), doc, problems)
    return _profile(content, path, data, doc, problems), problems


def _profile(content: Path, path: Path, data: dict, doc: YamlDocument,
             problems: list[Problem]) -> Profile | None:
    org = data.get("organisation") or {}
    problems += colour_problems(org, ("organisation",), doc)
    logo, more = logo_problems(org, content, "content folder", ("organisation",), doc)
    problems += more
    if org and not org.get("name"):
        problems += missing_name(Organisation(""), doc.location(("organisation",)))
    if problems:
        return None
    unit = unit_maker("profile.", doc, ("organisation",))
    care = data["care_setting"] or {}
    care_units = {key: Unit(f"profile.care_setting.{key}", text,
                            doc.location(("care_setting", key)), frozenset({"patient"}))
                  for key, text in care.items() if text}
    return Profile(path, organisation(org, logo, unit), care_units,
                   tuple(data["paper"]) if data["paper"] else None,
                   tuple(data["languages"]) if data["languages"] else None)


def with_profile(folder: Path, doc: YamlDocument, data: dict,
                 problems: list[Problem]) -> tuple[Organisation | None, dict[str, Unit]]:
    """A topic's settings completed from its content folder's profile.

    Paper sizes and languages the topic does not set come from the profile (`data` is
    changed in place); returns the organisation (the topic's keys over the profile's)
    and the profile's care-setting lines (the topic's own replace them line by line).
    """
    profile, found = load_profile(folder.parent)
    problems += found
    raw = doc.data if isinstance(doc.data, dict) else {}
    if profile and profile.paper and "paper" not in raw:
        data["paper"] = list(profile.paper)
    if profile and profile.languages:
        for name, spec in (data.get("audiences") or {}).items():
            written = (raw.get("audiences") or {}).get(name)
            if spec and isinstance(written, dict) and "languages" not in written:
                spec["languages"] = list(profile.languages)
    own = _topic_organisation(folder, doc, data, problems)
    keys = set(raw.get("organisation") or {}) if isinstance(raw.get("organisation"), dict) \
        else set()
    result = merged(profile.organisation if profile else None, own, keys)
    problems += missing_name(result, doc.location(("organisation",)))
    return result, profile.care_setting if profile else {}


def _topic_organisation(folder: Path, doc: YamlDocument, data: dict,
                        problems: list[Problem]) -> Organisation | None:
    org = data.get("organisation")
    if not org:
        return None
    problems += colour_problems(org, ("organisation",), doc)
    logo, more = logo_problems(org, folder, "topic folder", ("organisation",), doc)
    problems += more
    return organisation(org, logo, unit_maker("topic.", doc, ("organisation",)))


def profile_files(content: Path) -> list[Path]:
    """The profile and its logo, for the digest that tells whether outputs are up to date."""
    try:
        path = confine(content, PROFILE_FILE)
    except Refused:
        return []
    profile, _ = load_profile(content)
    logo = profile.organisation.logo if profile else None
    return [path] + ([logo.path] if logo else [])
