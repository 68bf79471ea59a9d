"""The brand template: an organisation's .pptx/.potx, or the default one, opened for use.

The file is untrusted: package.py checks it (kind, size, zip bounds, XML,
macros) before python-pptx opens it, and the layouts are checked here for the
placeholders the planner and the writer use, so that a template that cannot
work is a message naming the template and the layout, never a traceback.
"""

from __future__ import annotations

import io
from pathlib import Path

from ...errors import ContentErrors, Location, Problem
from ...model import View
from .fit import BULLET_INDENT_EMU, Box
from .package import TemplateProblem, check_file, read_package

DEFAULT_LAYOUTS = {"title": "Title Slide", "content": "Title and Content",
                   "two_content": "Two Content"}
# What each layout must hold: placeholder idx -> what it is for. idx 0 is the title
# (python-pptx's slide.shapes.title); the writer fills idx 1 (and idx 2) with text.
NEEDED = {"title": {0: "title", 1: "subtitle"},
          "content": {0: "title", 1: "body (idx 1)"},
          "two_content": {0: "title", 1: "left body (idx 1)", 2: "right body (idx 2)"}}
MEASURED = {"content": (1,), "two_content": (1, 2)}  # the planner fits text to these boxes
MIN_WIDTH, MIN_HEIGHT = 72.0, 36.0  # points of text area: room for a line of 18 pt text
LAYOUT_HINT = ("add the placeholder to that layout in PowerPoint's Slide Master view, or name "
               "another layout under training.layouts in topic.yaml")


def template_path(view: View, templates: Path, override: str | None) -> tuple[Path, Location]:
    """The template file a deck uses, and where it was named (for messages)."""
    training = view.topic.training
    if override:
        return Path(override), Location(str(override))
    if training and training.template:
        return view.topic.folder / training.template, training.template_location
    return templates / "slides" / "default.pptx", Location(str(templates))


def check_template_file(path: Path, where: Location) -> None:
    """Refuse at once (from stat alone) a template that is not a regular file of bounded size."""
    try:
        check_file(path)
    except TemplateProblem as problem:
        raise ContentErrors([Problem(where, problem.message, problem.hint)]) from None


def open_template(view: View, templates: Path, override: str | None):
    """The brand template with its sample slides removed, and the three layouts we use."""
    path, where = template_path(view, templates, override)
    training = view.topic.training
    names = training.layouts if training else DEFAULT_LAYOUTS
    try:
        presentation = _presentation(path)
        layouts = _layouts(presentation, path.name, names)
        _check_fonts(presentation, path.name)
    except TemplateProblem as problem:
        raise ContentErrors([Problem(where, problem.message, problem.hint)]) from None
    _remove_slides(presentation)
    return presentation, layouts


def theme_fonts(presentation) -> tuple[str, str]:
    """The theme's (heading, body) Latin font families: what every slide's text is set in."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = presentation.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    return tuple(_typeface(root, which) for which in ("majorFont", "minorFont"))


def _typeface(theme, which: str) -> str:
    latin = theme.find(f".//{{*}}fontScheme/{{*}}{which}/{{*}}latin")
    return latin.get("typeface", "") if latin is not None else ""


def _check_fonts(presentation, name: str) -> None:
    """The theme's fonts are ones whose widths this machine can measure."""
    from ...assets.slide_fonts import UnmeasurableFont, metric_file

    try:
        fonts = theme_fonts(presentation)
    except Exception as exc:  # noqa: BLE001 - python-pptx and lxml on an untrusted theme
        raise TemplateProblem(f"the slide template {name} has a theme that cannot be read "
                              f"({type(exc).__name__}: {exc})",
                              "open the template in PowerPoint or LibreOffice and save it "
                              "again") from None
    for family in dict.fromkeys(fonts):
        if not family.strip():
            raise TemplateProblem(f"the slide template {name} names no theme font, so its text "
                                  "cannot be measured", "set its theme fonts to Calibri or "
                                  "Arial (Design > Variants > Fonts in PowerPoint)")
        for bold in (False, True):
            try:
                metric_file(family, bold)
            except UnmeasurableFont as problem:
                raise TemplateProblem(f"the slide template {name}: {problem.message}",
                                      problem.hint) from None


def _presentation(path: Path):
    from pptx import Presentation

    package = read_package(path)
    try:
        presentation = Presentation(io.BytesIO(package))
        masters = len(presentation.slide_masters)
        width, height = presentation.slide_width, presentation.slide_height
    except Exception as exc:  # noqa: BLE001 - python-pptx on an untrusted file; report, not crash
        raise TemplateProblem(f"the slide template {path.name} cannot be opened "
                              f"({type(exc).__name__}: {exc})",
                              "give a .pptx or .potx saved by PowerPoint or LibreOffice") from None
    if not masters:
        raise TemplateProblem(f"the slide template {path.name} has no slide master",
                              "give a .pptx or .potx saved by PowerPoint or LibreOffice")
    if not width or not height or width <= 0 or height <= 0:
        raise TemplateProblem(f"the slide template {path.name} does not set its slide size",
                              "give a .pptx or .potx saved by PowerPoint or LibreOffice")
    return presentation


def _layouts(presentation, name: str, names: dict[str, str]) -> dict:
    available = {}
    try:
        for layout in presentation.slide_layouts:
            available.setdefault(layout.name, layout)
    except Exception as exc:  # noqa: BLE001 - python-pptx on an untrusted file
        raise TemplateProblem(f"the slide template {name} has layouts that cannot be read "
                              f"({type(exc).__name__}: {exc})",
                              "open the template in PowerPoint or LibreOffice and save it "
                              "again") from None
    missing = [wanted for wanted in names.values() if wanted not in available]
    if missing:
        raise TemplateProblem(f"the slide template {name} has no layout "
                              + ", ".join(f"'{m}'" for m in missing)
                              + "; it has: " + ", ".join(f"'{n}'" for n in available),
                              "name the layouts to use under training.layouts in topic.yaml")
    layouts = {role: available[wanted] for role, wanted in names.items()}
    for role, layout in layouts.items():
        try:
            _check_layout(presentation, name, role, layout)
        except TemplateProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - python-pptx on an untrusted layout
            raise TemplateProblem(f"the slide template {name}: layout '{layout.name}' cannot be "
                                  f"read ({type(exc).__name__}: {exc})",
                                  "open the template in PowerPoint or LibreOffice and save it "
                                  "again") from None
    return layouts


def _check_layout(presentation, name: str, role: str, layout) -> None:
    """The layout holds, once each, every placeholder its slides are written into."""
    part = layout.part.partname.lstrip("/")
    shown = f"the slide template {name}: layout '{layout.name}' ({part})"
    from pptx.enum.shapes import PP_PLACEHOLDER

    latent = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
    found: dict[int, list] = {}
    for placeholder in layout.placeholders:
        if placeholder.placeholder_format.type in latent:
            continue
        found.setdefault(placeholder.placeholder_format.idx, []).append(placeholder)
    for idx, what in NEEDED[role].items():
        if idx not in found:
            raise TemplateProblem(f"{shown} has no {what} placeholder", LAYOUT_HINT)
        if len(found[idx]) > 1:
            raise TemplateProblem(f"{shown} has {len(found[idx])} placeholders with idx {idx}",
                                  "keep one and delete the others in PowerPoint's Slide Master "
                                  "view")
    for idx in MEASURED.get(role, ()):
        placeholder = found[idx][0]
        left, top = placeholder.left, placeholder.top
        width, height = placeholder.width, placeholder.height
        what = NEEDED[role][idx]
        if None in (left, top, width, height):
            raise TemplateProblem(f"{shown}: its {what} placeholder has no position or size "
                                  "(nor does the slide master's)", LAYOUT_HINT)
        box = Box.from_emu(width, height, BULLET_INDENT_EMU)
        if box.width < MIN_WIDTH or box.height < MIN_HEIGHT:
            raise TemplateProblem(f"{shown}: its {what} placeholder is too small for text "
                                  f"({width / 914400:.2f} x {height / 914400:.2f} in)",
                                  "make it at least 1.6 inches wide and 0.6 inches tall")
        if left < 0 or top < 0 or left + width > presentation.slide_width \
                or top + height > presentation.slide_height:
            raise TemplateProblem(f"{shown}: its {what} placeholder reaches outside the slide",
                                  "move it inside the slide in PowerPoint's Slide Master view")


def _remove_slides(presentation) -> None:
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def title_size(layout) -> float:
    """Points a slide title on this layout is set at unless told otherwise."""
    for placeholder in layout.placeholders:
        if placeholder.placeholder_format.idx == 0:
            size = placeholder._element.find(".//{*}lstStyle/{*}lvl1pPr/{*}defRPr")
            if size is not None and size.get("sz"):
                return int(size.get("sz")) / 100
    master = layout.slide_master._element.find(
        "{*}txStyles/{*}titleStyle/{*}lvl1pPr/{*}defRPr")
    return int(master.get("sz")) / 100 if master is not None and master.get("sz") else 44.0
