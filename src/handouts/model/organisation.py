"""The organisation a handout goes home from: its name, logo, phone numbers, address, colours.

It comes from the content folder's `handouts.yaml`, with a topic's own
`organisation:` settings over it. Names, numbers, addresses and web sites are
printed as written (never translated); phone labels are units, translated with the topic like any other text; the logo's alt text, usually
the name, is printed as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .document import Unit


@dataclass(frozen=True)
class Phone:
    """A number to call and what it is for ("Clinic", "After hours")."""

    label: Unit
    number: str


@dataclass(frozen=True)
class Logo:
    """A PNG or SVG checked as untrusted input; `alt` is what a screen reader says (usually the
    organisation's name, printed as written like the name itself)."""

    path: Path
    alt: str


@dataclass(frozen=True)
class Organisation:
    name: str
    logo: Logo | None = None
    phones: tuple[Phone, ...] = ()
    address: str | None = None
    website: str | None = None
    colours: dict[str, str] = field(default_factory=dict)  # CSS custom property -> #rrggbb

    def units(self) -> Iterator[Unit]:
        yield from (phone.label for phone in self.phones)
