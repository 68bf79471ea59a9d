"""The organisation settings (handouts.yaml's `organisation:`, or a topic's): schema and checks.

Declared once, so `handouts schema` documents them and both files check them
the same way. What is refused, and why: a brand colour darker text could not
be read in (contrast under 4.5:1 against white, where it prints as text); a
phone number with letters or markup (it is printed large for a patient to
dial); a logo outside its folder, of a type handouts cannot print, or without
alt text.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Location, Problem
from ..model.document import Unit
from ..model.organisation import Logo, Organisation, Phone
from .files import Refused, YamlDocument, YamlPath, confine
from .images import ImageRefused, check_image
from .schema import Field, ListOf, Record, Text

MIN_CONTRAST = 4.5  # WCAG AA for body text: brand colours print as text on white
PHONE_PATTERN = r"\+?[0-9(][0-9 ()./-]{1,28}[0-9]"
COLOUR_PATTERN = r"#[0-9a-fA-F]{6}"
# The CSS custom property (templates/css/base.css) each brand colour sets.
COLOUR_PROPERTIES = {"brand": "--brand", "heading": "--heading"}

LOGO = Record(name="a logo", fields={
    "file": Field(Text(r"[^/\\][^\\]*", "a file name relative to the file's folder"),
                  "a PNG or SVG file, inside the folder of the file that names it",
                  required=True),
    "alt": Field(Text(), "what the logo shows, read aloud by screen readers (usually the "
                         "organisation's name; not translated)", required=True),
})

PHONE = Record(name="a phone number", fields={
    "label": Field(Text(), "what the number is for, e.g. Clinic or After hours (translated)",
                   required=True),
    "number": Field(Text(PHONE_PATTERN, "a phone number of digits, spaces and + ( ) - . /"),
                    "the number as patients dial it; printed as written, never translated",
                    required=True),
})

COLOURS = Record(name="brand colours", fields={
    "brand": Field(Text(COLOUR_PATTERN, "a colour written #rrggbb"),
                   "bars, kickers, links and table heads; needs a contrast of at least 4.5:1 "
                   "against white"),
    "heading": Field(Text(COLOUR_PATTERN, "a colour written #rrggbb"),
                     "titles and section headings; needs a contrast of at least 4.5:1 against "
                     "white"),
})

ORGANISATION = Record(name="the organisation", fields={
    "name": Field(Text(), "the organisation's name, printed in the header and footer (not "
                          "translated)"),
    "logo": Field(LOGO, "the logo printed beside the name on the handout, brief and deck"),
    "phones": Field(ListOf(PHONE, min_items=1), "numbers to call; the first is printed large "
                                                "on the patient handout's call line and in "
                                                "every footer"),
    "address": Field(Text(), "the postal address, printed under the name at the top of the "
                             "patient handout"),
    "website": Field(Text(r"https?://\S+", "a web address starting https://"),
                     "the web site, printed in every patient handout page's footer"),
    "colours": Field(COLOURS, "brand colours replacing the neutral ones"),
})


def contrast_with_white(colour: str) -> float:
    """The WCAG 2 contrast ratio of #rrggbb against white."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def colour_problems(data: dict, path: YamlPath, doc: YamlDocument) -> list[Problem]:
    problems = []
    for key, colour in (data.get("colours") or {}).items():
        if colour is None:
            continue
        ratio = contrast_with_white(colour)
        if ratio < MIN_CONTRAST:
            problems.append(Problem(
                doc.location(path + ("colours", key)),
                f"the colour {colour} for 'organisation.colours.{key}' has a contrast of "
                f"{ratio:.1f}:1 against white, under the {MIN_CONTRAST}:1 text needs",
                "choose a darker shade; a contrast checker shows the ratio"))
    return problems


def logo_problems(data: dict, folder: Path, where: str, path: YamlPath,
                  doc: YamlDocument) -> tuple[Path | None, list[Problem]]:
    """The logo's real path when it may be printed; else every reason it may not."""
    logo = data.get("logo")
    if not logo or not logo.get("file"):
        return None, []
    location = doc.location(path + ("logo", "file"))
    name = logo["file"]
    try:
        real = confine(folder, name)
    except Refused as refused:
        message = refused.message.replace("topic folder", where)
        hint = refused.hint.replace("topic folder", where)
        return None, [Problem(location, f"the logo '{name}' {message}", hint)]
    try:
        check_image(real)
    except ImageRefused as refused:
        return None, [Problem(location, f"the logo '{name}' {refused.message}", refused.hint)]
    if real.suffix.lower() not in (".png", ".svg"):
        return None, [Problem(location, f"the logo '{name}' is not a PNG or SVG file",
                              "save the logo as PNG (it then also prints on the deck) or SVG")]
    return real, []


def phone_keys(phones: list[dict]) -> list[str]:
    """A key per phone from its number ('tel-5550142'), so that a translated label stays
    with its number when phones are added or reordered."""
    keys: list[str] = []
    for phone in phones:
        key = "tel-" + re.sub(r"\D", "", str(phone.get("number", "")))
        keys.append(key if key not in keys else f"{key}-{len(keys) + 1}")
    return keys


def organisation(data: dict, logo_path: Path | None, unit) -> Organisation:
    """The checked settings as the model holds them; `unit(path, text)` makes a Unit."""
    logo = None
    if logo_path is not None:
        logo = Logo(logo_path, data["logo"]["alt"])
    phones = tuple(Phone(unit(("phones", key, "label"), phone["label"]),
                         re.sub(r"\s+", " ", phone["number"]))
                   for key, phone in zip(phone_keys(data.get("phones") or []),
                                         data.get("phones") or []))
    colours = {COLOUR_PROPERTIES[key]: value.lower()
               for key, value in (data.get("colours") or {}).items() if value}
    return Organisation(name=data.get("name") or "", logo=logo, phones=phones,
                        address=data.get("address"), website=data.get("website"),
                        colours=colours)


def merged(profile: Organisation | None, topic: Organisation | None,
           topic_keys: set[str]) -> Organisation | None:
    """The topic's settings over the profile's, key by key (a topic's phones replace all)."""
    if topic is None:
        return profile
    if profile is None:
        return topic
    return Organisation(**{key: getattr(topic if key in topic_keys else profile, key)
                           for key in ORGANISATION.fields})


def missing_name(org: Organisation | None, where: Location) -> list[Problem]:
    if org is None or org.name:
        return []
    return [Problem(where, "the organisation has no name",
                    "add 'name:' under 'organisation:' in handouts.yaml or topic.yaml")]


def unit_maker(prefix: str, doc: YamlDocument, base: YamlPath):
    """Units for the organisation's translated texts: phone labels, printed for patients."""
    def unit(path: tuple, text: str) -> Unit:
        full = base + path
        return Unit(prefix + ".".join(str(p) for p in full), text, doc.location(full),
                    frozenset({"patient"}))
    return unit
