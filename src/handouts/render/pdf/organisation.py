"""The organisation's part of a PDF page: name and logo, numbers, address, brand colours.

Phone numbers and web addresses are printed as written, in their own
left-to-right run (an Arabic page would otherwise reverse the groups of
digits: "0199 555 1+"). In the page footer, a CSS string where no element can
carry dir="ltr", the run is isolated with U+2066 ... U+2069.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ...model import View
from ...model.inline import plain_text

LEFT_TO_RIGHT = "\u2066{}\u2069"  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE


def left_to_right(text: str) -> Markup:
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)


def organisation_context(view: View, render) -> dict:
    """`org` (None without a profile) and `brand_css` for the base template."""
    org = view.topic.organisation
    if org is None:
        return {"org": None, "brand_css": ""}
    phones = [{"label": render(phone.label), "label_text": plain_text(phone.label.text),
               "number": left_to_right(phone.number),
               "isolated": LEFT_TO_RIGHT.format(phone.number)} for phone in org.phones]
    colours = "".join(f"{name}: {value}; " for name, value in sorted(org.colours.items()))
    return {
        "org": {
            "name": org.name,
            "logo": org.logo and {"src": org.logo.path.as_uri(), "alt": org.logo.alt},
            "phones": phones,
            "address": org.address,
            "website": org.website and left_to_right(org.website),
            "website_isolated": org.website and LEFT_TO_RIGHT.format(
                re.sub(r"^https?://", "", org.website).rstrip("/")),
        },
        # Values are #rrggbb, checked when the profile loads; escaped all the same.
        "brand_css": Markup(f":root {{ {escape(colours)}}}") if colours else "",
    }


def logo_roots(view: View) -> list:
    """The one file outside the topic and templates folders a page may load: the logo."""
    org = view.topic.organisation
    return [org.logo.path] if org and org.logo else []
