"""The brand template: an organisation's .pptx/.potx, or the default one, opened for use."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ...errors import ContentErrors, Location, Problem
from ...model import View


def open_template(view: View, templates: Path, override: str | None):
    """The brand template with its sample slides removed, and the three layouts we use."""
    from pptx import Presentation

    training = view.topic.training
    if override:
        path, where = Path(override), Location(str(override))
    elif training and training.template:
        path, where = view.topic.folder / training.template, training.template_location
    else:
        path, where = templates / "slides" / "default.pptx", Location(str(templates))
    try:
        presentation = Presentation(io.BytesIO(_as_presentation(path.read_bytes())))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ContentErrors([Problem(where, f"cannot open the slide template {path}: {exc}",
                                     "give a .pptx or .potx saved by PowerPoint or "
                                     "LibreOffice")]) from None
    _remove_slides(presentation)
    names = training.layouts if training else {"title": "Title Slide",
                                               "content": "Title and Content",
                                               "two_content": "Two Content"}
    available = {layout.name: layout for layout in presentation.slide_layouts}
    missing = [name for name in names.values() if name not in available]
    if missing:
        raise ContentErrors([Problem(where, f"the slide template {path.name} has no layout "
                                     + ", ".join(f"'{m}'" for m in missing)
                                     + "; it has: " + ", ".join(f"'{n}'" for n in available),
                                     "name the layouts to use under training.layouts in "
                                     "topic.yaml")])
    return presentation, {role: available[name] for role, name in names.items()}


def _as_presentation(data: bytes) -> bytes:
    """A .potx is a .pptx with another content type; python-pptx opens only the latter."""
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml")
    template_type = b"presentationml.template.main+xml"
    if template_type not in types:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(template_type, b"presentationml.presentation.main+xml")
            target.writestr(info, content)
    return out.getvalue()


def _remove_slides(presentation) -> None:
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
