"""Images a topic's Markdown shows: only what prints exactly as the author saw it.

An image is read here, when the topic loads, so that a refused or unreadable
one stops the build with the Markdown line that referenced it. Without this,
WeasyPrint logs the failure and prints the alt text instead (exit 0), or, for
an SVG, draws a blank box. What is refused, and why:

- a file that is not PNG, JPEG, GIF, WebP or SVG (checked by content, never
  only by name), that is empty, truncated or corrupt (it is decoded here,
  once, with truncated images refused rather than padded with grey);
- a raster over MAX_PIXELS: a few-kilobyte PNG can declare 50,000 × 50,000
  pixels and take gigabytes once decoded (dimensions are read from the header
  before anything is decoded);
- an SVG named otherwise, or a file named .svg that is not one: WeasyPrint
  picks its SVG or raster reader from the name, so both must agree;
- an SVG that is not well-formed XML, that declares a DOCTYPE, entities or
  notations (entity expansion: a kilobyte of entities can stand for
  gigabytes), holds processing instructions, scripts or foreignObject (not
  printed: silent loss), or refers to anything outside itself: every href and
  url() must be a #fragment of the same file or an embedded PNG/JPEG/GIF/WebP
  `data:` image (which is checked like a file). An embedded SVG is refused: it
  could hide what this check looks for;
- an SVG whose elements, once every `<use>` and `url(#id)` is expanded, pass
  MAX_SVG_ELEMENTS, or nest deeper than MAX_SVG_DEPTH (the renderer recurses).

XML is parsed with the standard library's expat, with handlers that refuse
DOCTYPE and entity declarations before anything is expanded, and parameter
entities off (defusedxml is not installed, and is not needed for this).
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from pathlib import Path
from urllib.parse import unquote_to_bytes
from xml.parsers import expat

from .files import Refused, TooLarge, limit_text, megabytes, read_bounded

# A raster file's bytes: a full-page photo at print quality is 2-5 MB as JPEG.
MAX_RASTER_BYTES = 10 * 1024 * 1024
# An SVG's bytes: a detailed diagram is tens of KB; 2 MB is the limit of a text source.
MAX_SVG_BYTES = 2 * 1024 * 1024
# Pixels of a raster: a Letter page at 300 dpi is 8.4 megapixels and a 24-megapixel camera
# photo fits; decoded as RGBA (as the renderer does) 25 megapixels take 100 MB.
MAX_PIXELS = 25_000_000
# SVG elements once every reference is expanded: a detailed figure has a few thousand.
MAX_SVG_ELEMENTS = 50_000
# Nesting of SVG elements: drawings nest a handful of groups; the renderer recurses.
MAX_SVG_DEPTH = 64

# Pillow's readers tried, and no other (each reader is code run on untrusted bytes); a
# camera's JPEG may open as MPO, its multi-picture variant.
OPEN_FORMATS = ["PNG", "JPEG", "GIF", "WEBP"]
SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
SUPPORTED = "PNG, JPEG, GIF, WebP or SVG"
_EMBEDDED_RASTER = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)\s*[;,]", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_XLINK = "http://www.w3.org/1999/xlink"


class ImageRefused(Exception):
    """Why an image cannot be printed (the message follows "image 'x.png' ") and what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def check_image(path: Path) -> None:
    """Raise ImageRefused unless `path` (a regular file inside the topic) prints as it is."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImageRefused(f"has the type '{suffix or path.name}', which handouts cannot print",
                           f"save it as {SUPPORTED}")
    svg = suffix == ".svg"
    limit = MAX_SVG_BYTES if svg else MAX_RASTER_BYTES
    try:
        data = read_bounded(path, limit)
    except TooLarge as exc:
        raise ImageRefused(f"is {megabytes(exc.size)}, over the {limit_text(limit)} limit of "
                           f"{'an SVG' if svg else 'an image'}",
                           "save it smaller: at most 3000 pixels across prints sharply on a "
                           "full page") from None
    except Refused as exc:
        raise ImageRefused(exc.message, exc.hint) from None
    except OSError as exc:
        raise ImageRefused(f"cannot be read: {exc.strerror}", "check that it is readable") \
            from None
    if not data.strip():
        raise ImageRefused("is empty", "export the image again")
    if svg:
        check_svg(data)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        raise ImageRefused(f"is an SVG drawing (or other XML) named {suffix}",
                           "name an SVG drawing .svg")
    else:
        check_raster(data)


def check_raster(data: bytes) -> None:
    """A PNG, JPEG, GIF or WebP that decodes completely, within the pixel limit."""
    from PIL import Image, ImageFile

    try:
        with warnings.catch_warnings():
            # Our own limit is lower than Pillow's; its warning would only repeat it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=OPEN_FORMATS) as image:
                width, height = image.size  # from the header: nothing is decoded yet
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels(width * height, f"{width} × {height} pixels")
                # PNG: chunk checksums; others: what the format allows without decoding.
                image.verify()
    except ImageRefused:
        raise
    except Image.DecompressionBombError as exc:  # over twice Pillow's own limit
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_many_pixels(int(pixels.group(1)) if pixels else None) from None
    except Image.UnidentifiedImageError:
        raise ImageRefused(f"is not a {SUPPORTED} image",
                           f"save it as {SUPPORTED}") from None
    except Exception as exc:  # noqa: BLE001 - any decoder error means a corrupt file
        raise _corrupt(exc) from None
    if width < 1 or height < 1:
        raise ImageRefused(f"has no pixels ({width} × {height})", "export the image again")
    # verify() does not decode JPEG, GIF or WebP data: decode it once, refusing the
    # truncated images the renderer would otherwise pad with grey.
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=OPEN_FORMATS) as image:
                image.load()
    except Exception as exc:  # noqa: BLE001 - as above
        raise _corrupt(exc) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated


def _corrupt(exc: Exception) -> ImageRefused:
    detail = str(exc).strip().splitlines()[0][:100] if str(exc).strip() else type(exc).__name__
    return ImageRefused(f"is corrupt or truncated ({detail})",
                        "export or download the image again, as PNG or JPEG")


def _too_many_pixels(pixels: int | None, size: str = "") -> ImageRefused:
    what = f"is {size} ({pixels / 1e6:.1f} megapixels)" if size else \
        f"has {pixels / 1e6:.1f} megapixels" if pixels else "has too many pixels"
    return ImageRefused(f"{what}, over the limit of {MAX_PIXELS // 1_000_000} megapixels",
                        "scale it down: 3000 pixels across prints sharply on a full page")


# -- SVG ---------------------------------------------------------------------------------

class _Element:
    __slots__ = ("children", "refs")

    def __init__(self) -> None:
        self.children: list[_Element] = []
        self.refs: list[str] = []  # ids this element draws again (<use href="#id">, url(#id))


def check_svg(data: bytes) -> None:
    """A well-formed SVG that refers to nothing outside itself and expands to a bounded size."""
    reader = _SvgReader()
    try:
        reader.parse(data)
    except expat.ExpatError as exc:
        raise ImageRefused(f"is not a valid SVG drawing (XML error at line {exc.lineno} of the "
                           f"SVG: {expat.ErrorString(exc.code)})",
                           "export the drawing again as plain SVG, or as PNG") from None
    if reader.root is None:
        raise ImageRefused("is not an SVG drawing", "export the drawing again as plain SVG")
    _check_expansion(reader.root, reader.ids)


class _SvgReader:
    """expat with every declaration refused before it can expand, and every reference seen."""

    def __init__(self) -> None:
        self.root: _Element | None = None
        self.stack: list[_Element] = []
        self.ids: dict[str, _Element] = {}
        self.count = 0
        self.style: list[str] | None = None  # text of the <style> element being read

    def parse(self, data: bytes) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self.declaration
        parser.EntityDeclHandler = self.declaration
        parser.UnparsedEntityDeclHandler = self.declaration
        parser.NotationDeclHandler = self.declaration
        parser.ExternalEntityRefHandler = self.declaration
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.Parse(data, True)

    @staticmethod
    def declaration(*_args) -> None:
        raise ImageRefused("declares a DOCTYPE or entities (which can expand to gigabytes)",
                           "remove the <!DOCTYPE ...> and <!ENTITY ...> lines, or export a "
                           "plain SVG")

    @staticmethod
    def instruction(target: str, _data: str) -> None:
        raise ImageRefused(f"holds a processing instruction <?{target} ...?>",
                           "remove it; an SVG must hold only its drawing")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if self.root is None and local != "svg":
            raise ImageRefused(f"is not an SVG drawing (it starts with <{local}>)",
                               "export the drawing again as plain SVG")
        if local in ("script", "foreignObject"):
            raise ImageRefused(f"holds a <{local}> element, which is not printed",
                               "remove it, or export the drawing as PNG")
        self.count += 1
        if self.count > MAX_SVG_ELEMENTS:
            raise _too_big()
        if len(self.stack) >= MAX_SVG_DEPTH:
            raise ImageRefused(f"nests elements more than {MAX_SVG_DEPTH} deep",
                               "flatten its groups, or export the drawing as PNG")
        element = _Element()
        for attribute, value in attributes.items():
            namespace, _, attribute_name = attribute.rpartition(" ")
            if attribute_name == "href" and namespace in ("", _XLINK):
                element.refs += _reference(value)
            elif attribute_name == "id":
                self.ids.setdefault(value, element)
            if "url(" in value.lower():
                element.refs += _css_references(value)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)
        if local == "style":
            self.style = []

    def end(self, name: str) -> None:
        element = self.stack.pop()
        if self.style is not None and name.rsplit(" ", 1)[-1] == "style":
            css = "".join(self.style)
            if "@import" in css.lower():
                raise ImageRefused("imports a style sheet (@import)",
                                   "put the styles in the SVG itself")
            element.refs += _css_references(css)
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)


def _reference(value: str) -> list[str]:
    """The #id an href draws; an embedded raster is checked; anything else is refused."""
    value = value.strip()
    if value.startswith("#"):
        return [value[1:]]
    if _EMBEDDED_RASTER.match(value):
        header, _, payload = value[5:].partition(",")
        try:
            raw = (base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
                   if header.lower().rstrip().endswith(";base64") else unquote_to_bytes(payload))
        except ValueError:
            raise ImageRefused("embeds an image whose data cannot be read",
                               "export the drawing again") from None
        try:
            check_raster(raw)
        except ImageRefused as exc:
            raise ImageRefused(f"embeds an image that {exc.message}", exc.hint) from None
        return []
    raise _outside(value)


def _css_references(css: str) -> list[str]:
    refs = []
    for match in _CSS_URL.finditer(css):
        target = match.group(2).strip()
        if not target.startswith("#"):
            raise _outside(target)
        refs.append(target[1:])
    return refs


def _outside(value: str) -> ImageRefused:
    shown = value if len(value) <= 60 else value[:57] + "..."
    return ImageRefused(f"refers to '{shown}', outside the drawing",
                        "an SVG may use only its own #ids and embedded PNG or JPEG images; "
                        "embed what it refers to, or export the drawing as PNG")


def _too_big() -> ImageRefused:
    return ImageRefused(f"draws more than {MAX_SVG_ELEMENTS} elements (counting each <use> "
                        "of another element)", "simplify the drawing, or export it as PNG")


def _check_expansion(root: _Element, ids: dict[str, _Element]) -> None:
    """Elements drawn once every reference is followed, without recursion; a cycle or a
    total over MAX_SVG_ELEMENTS is refused (the SVG form of entity expansion)."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[_Element, bool]] = [(root, False)]
    while stack:
        element, done = stack.pop()
        key = id(element)
        edges = element.children + [ids[ref] for ref in element.refs if ref in ids]
        if done:
            visiting.discard(key)
            sizes[key] = min(1 + sum(sizes[id(e)] for e in edges), MAX_SVG_ELEMENTS + 1)
            if sizes[key] > MAX_SVG_ELEMENTS:
                raise _too_big()
            continue
        if key in sizes:
            continue
        visiting.add(key)
        stack.append((element, True))
        for edge in edges:
            if id(edge) in visiting:
                raise ImageRefused("refers to itself (an element that draws one of its own "
                                   "ancestors)", "remove the circular <use> or url(#id)")
            if id(edge) not in sizes:
                stack.append((edge, False))
