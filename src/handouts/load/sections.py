"""The Markdown source -> sections of blocks, each unit with its audiences, id and line.

Structure problems (a div left open, a class nobody knows, raw HTML, a
duplicate id) are collected, not raised, so an author sees them all at once.

A structural problem (a div left open, attributes that cannot be read, text
that had to be skipped) is reported once, at its line, and nothing it causes
is reported after it: a div left open ends at the next `##` heading with
what it held so far, and the section is marked `damaged`, which keeps the
cross-checks (a required statement missing, an audience with no content)
quiet until the author has fixed the structure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from ..errors import Location, Problem
from ..model.inline import inline_tokens, plain_text
from .markdown import AttrsError, parse_attrs, parser, split_heading_attrs
from ..model import AUDIENCES, Block, Image, SafetyStatement, Section, Unit
from ..model.keys import KeyMaker, words_key
from .files import Refused, confine
from .images import ImageRefused, check_image
from .markdown import DIV_CLOSE, MAX_DIV_DEPTH
from .schema import did_you_mean

TIERS = ("stop", "call")
MAX_TABLE_ROWS = 60
IMAGE_SYNTAX = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")
STYLE_CLASSES = ("summary", "precautions", "evidence")
DIV_CLASSES = AUDIENCES + ("safety", "notes") + STYLE_CLASSES
ALL = frozenset(AUDIENCES)
UNSUPPORTED = {
    "blockquote_open": "a block quote", "fence": "a code block", "code_block": "an indented "
    "code block", "hr": "a horizontal rule", "html_block": "raw HTML",
}
# Inside a list item only text (and a nested list, refused on its own) may stand.
IN_LIST_ITEM = {"list_item_open", "list_item_close", "paragraph_open", "paragraph_close",
                "inline", "bullet_list_open", "bullet_list_close", "ordered_list_open",
                "ordered_list_close"}
# Characters that are letters to Unicode but print as nothing.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


@dataclass
class _Div:
    kind: str  # audience, safety or notes
    audiences: frozenset[str]
    location: Location
    safety_id: str | None = None
    tier: str | None = None
    blocks: list[Block] = field(default_factory=list)
    closed: bool = True
    unsure: bool = False  # a problem at its opening line: its audiences may not be meant


@dataclass
class _Section:
    id: str
    title: Unit
    audiences: frozenset[str]
    classes: tuple[str, ...]
    location: Location
    content: list = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    keys: KeyMaker = field(default_factory=KeyMaker)
    damaged: bool = False
    unsure: bool = False  # its heading's attributes were not all understood

    def freeze(self) -> Section:
        return Section(self.id, self.title, self.audiences, self.classes, tuple(self.content),
                       tuple(self.notes), self.location, self.damaged)


class ContentReader:
    """Walks markdown-it's token stream once, building sections and collecting problems."""

    def __init__(self, text: str, shown: str, folder: Path):
        self.shown = shown
        self.folder = folder
        self.tokens = parser().parse(text)
        self.problems: list[Problem] = []
        self.sections: list[Section] = []
        self.section: _Section | None = None
        self.divs: list[_Div] = []
        self.safety_ids: dict[str, Location] = {}
        self.damaged = False  # a structural problem before the first section
        self.orphan_reported = False  # "text before the first ## heading", said once
        self.unopened = 0  # reported ::: lines meant to open a div, whose ::: is still to come

    # -- helpers ---------------------------------------------------------
    def at(self, token: Token) -> Location:
        return Location(self.shown, (token.map[0] + 1) if token.map else 0)

    def problem(self, where: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where, message, hint))

    def structural(self, where: Location, message: str, hint: str = "") -> None:
        """A problem after which the sections may not hold what the author wrote."""
        self.problem(where, message, hint)
        if self.section:
            self.section.damaged = True
        else:
            self.damaged = True

    def orphan(self, where: Location) -> None:
        """Text before the first section: dropped, and said once, not once a paragraph."""
        self.damaged = True
        if not self.orphan_reported:
            self.orphan_reported = True
            self.problem(where, "text before the first ## heading",
                         "start the file with a '## Section' heading")

    def audiences(self) -> frozenset[str]:
        result = self.section.audiences if self.section else ALL
        for div in self.divs:
            result = result & div.audiences
        return result

    def safety(self) -> _Div | None:
        return next((d for d in reversed(self.divs) if d.kind == "safety"), None)

    def notes(self) -> _Div | None:
        return next((d for d in reversed(self.divs) if d.kind == "notes"), None)

    # -- walking ---------------------------------------------------------
    def read(self) -> tuple[list[Section], list[Problem]]:
        i = 0
        while i < len(self.tokens):
            i = self.step(i)
        self.close_section()
        return self.sections, self.problems

    def step(self, i: int) -> int:
        token = self.tokens[i]
        kind = token.type
        if kind == "heading_open":
            return self.heading(i)
        if kind == "div_open":
            self.open_div(token)
            return i + 1
        if kind == "div_close":
            self.close_div()
            return i + 1
        if kind in UNSUPPORTED:
            self.unsupported(self.at(token), UNSUPPORTED[kind])
            return _skip(self.tokens, i)
        if self.section is None:
            self.orphan(self.at(token))
            return _skip(self.tokens, i)
        if kind == "paragraph_open":
            self.paragraph(self.tokens[i + 1], token)
            return i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_(i)
        if kind == "table_open":
            return self.table(i)
        self.unsupported(self.at(token), kind.replace("_open", "").replace("_", " "))
        return _skip(self.tokens, i)

    def unsupported(self, where: Location, what: str) -> None:
        """A block that is refused; its text is skipped, so what it held is not counted."""
        hint = ("content is printed as text, never run; write Markdown instead"
                if what == "raw HTML" else
                "use paragraphs, lists, tables, images and ### sub-headings")
        self.structural(where, f"{what} is not allowed in handout content", hint)

    def heading(self, i: int) -> int:
        token, inline = self.tokens[i], self.tokens[i + 1]
        level = int(token.tag[1])
        where = self.at(token)
        if level == 1:
            self.structural(where, "a # level-1 heading in the content",
                            "titles come from topic.yaml; start sections with ##")
        elif level == 2:
            self.open_section(inline.content, where)
        elif self.section is None:
            self.orphan(where)
        else:
            self.add(Block("subheading", (self.unit("h", inline.content, where),),
                           self.audiences(), where))
        return i + 3

    def open_section(self, heading: str, where: Location) -> None:
        if self.divs:
            if all(div.closed for div in self.divs):
                self.structural(where, f"a ## heading inside the ::: div opened at line "
                                f"{self.divs[-1].location.line}",
                                "close the div with ::: before the heading")
            # A div left open ends here (it was reported where it opens): its statement
            # keeps what it held, and is not reported again as empty or missing.
            while self.divs:
                self.close_div(quiet=True)
        self.close_section()
        title, attr_text = split_heading_attrs(heading)
        problems = len(self.problems)
        attrs = self.attrs(attr_text, where) if attr_text else {"classes": []}
        classes = tuple(attrs.get("classes", []))
        audiences = frozenset(c for c in classes if c in AUDIENCES) or ALL
        for cls in classes:
            if cls not in AUDIENCES + STYLE_CLASSES:
                self.unknown_class(cls, where, AUDIENCES + STYLE_CLASSES)
        unsure = len(self.problems) > problems  # attributes not all understood
        section_id = str(attrs.get("id") or _slug(plain_text(title)) or "section")
        if any(s.id == section_id for s in self.sections):
            self.problem(where, f"duplicate section id '{section_id}'",
                         "give one of the headings its own {#id}")
        unit = Unit(f"{section_id}.title", title, where, audiences)
        self.section = _Section(section_id, unit, audiences,
                                tuple(c for c in classes if c in STYLE_CLASSES), where)
        # A structural problem met before the first section is the first section's.
        self.section.damaged = unsure or self.damaged
        self.section.unsure = unsure
        self.damaged = False

    def close_section(self) -> None:
        if self.section:
            self.sections.append(self.section.freeze())
        self.section = None

    def attrs(self, text: str, where: Location) -> dict:
        try:
            return parse_attrs(text)
        except AttrsError as exc:
            self.problem(where, str(exc), 'write attributes as {#id .class key="value"}')
            return {"classes": []}

    def unknown_class(self, cls: str, where: Location, valid: tuple[str, ...]) -> None:
        self.problem(where, f"unknown audience or class '.{cls}'", did_you_mean(cls, valid))

    # -- divs ------------------------------------------------------------
    def open_div(self, token: Token) -> None:
        where = self.at(token)
        problems = len(self.problems)
        if token.meta.get("too_deep"):
            self.problem(where, f"a ::: div nested more than {MAX_DIV_DEPTH} deep",
                         "close some of the enclosing divs; a div needs only its own "
                         "audience, safety or notes")
        if not token.meta.get("closed"):
            self.problem(where, "this ::: div is never closed",
                         "add a line with ::: where it should end")
        attrs = self.attrs(token.info, where)
        classes = attrs.get("classes", [])
        for cls in classes:
            if cls not in DIV_CLASSES:
                self.unknown_class(cls, where, DIV_CLASSES)
        named = set(c for c in classes if c in AUDIENCES)
        for name in str(attrs.get("audience", "")).replace(",", " ").split():
            if name in AUDIENCES:
                named.add(name)
            else:
                self.problem(where, f"unknown audience '{name}'", did_you_mean(name, AUDIENCES))
        audiences = frozenset(named) or ALL
        if "notes" in classes:
            div = _Div("notes", frozenset(["trainer"]), where)
        elif "safety" in classes:
            div = self.safety_div(attrs, audiences, where)
        else:
            div = _Div("audience", audiences, where)
        if self.section is None:
            self.problem(where, "a ::: div before the first ## heading",
                         "start the file with a '## Section' heading")
            self.orphan_reported = True  # its text is the same mistake
        div.closed = bool(token.meta.get("closed"))
        self.divs.append(div)
        if len(self.problems) > problems:
            # Whatever went wrong here (left open, too deep, attributes or audiences not
            # understood, an unknown tier), what the div holds is unsure.
            div.unsure = True
            if self.section:
                self.section.damaged = True
            else:
                self.damaged = True

    def safety_div(self, attrs: dict, audiences: frozenset[str], where: Location) -> _Div:
        safety_id = str(attrs.get("id", ""))
        tier = attrs.get("tier")
        if tier is not None and tier not in TIERS:
            self.problem(where, f"unknown tier '{tier}'", "valid: " + ", ".join(TIERS))
            tier = None
        if not safety_id:
            # The suggestion keeps every attribute the statement has (its audience, its
            # tier), so following it fixes this problem without making another.
            classes = [c for c in attrs.get("classes", []) if c != "safety"]
            self.problem(where, "a safety statement without an id", "give it one: ::: "
                         + statement_attributes("fall-risk", attrs.get("audience"), tier,
                                                classes))
        elif safety_id in self.safety_ids:
            self.problem(where, f"duplicate safety id '{safety_id}' (first at line "
                         f"{self.safety_ids[safety_id].line})", "give each statement its own id")
        else:
            self.safety_ids[safety_id] = where
        enclosing = self.safety() or self.notes()
        if enclosing and enclosing.closed:  # an unclosed one was reported already
            self.problem(where, "a safety statement inside another safety statement or notes",
                         "close the enclosing ::: div first")
        return _Div("safety", audiences, where, safety_id or None, tier)

    def close_div(self, quiet: bool = False) -> None:
        """End the innermost div; `quiet`: it was left open, and that is reported already."""
        if not self.divs:
            return
        div = self.divs.pop()
        if div.kind != "safety" or self.section is None:
            return
        if quiet:
            pass  # what it held is unsure: saying it is empty would mislead
        elif not div.blocks:
            self.problem(div.location, f"safety statement '{div.safety_id}' is empty",
                         "write the safety wording inside the ::: div")
        elif not any(_visible(unit.text) for block in div.blocks if block.kind != "image"
                     for unit in block.units):
            self.problem(div.location, f"safety statement '{div.safety_id}' has no visible "
                         "text", "write the safety wording in words inside the ::: div; "
                         "spaces, punctuation, citations and invisible characters print "
                         "nothing a reader can act on")
        self.section.content.append(SafetyStatement(
            div.safety_id or "", div.audiences & self.audiences(), tuple(div.blocks),
            div.location, div.tier))

    # -- blocks ----------------------------------------------------------
    def next_id(self, prefix: str, text: str) -> str:
        """An id that survives edits elsewhere (model/keys.py): in a safety statement, the
        author's id and the block's place in it; elsewhere the section's id and the unit's
        first words, so inserting, re-wrapping or moving other text leaves it as it is."""
        safety = self.safety()
        if safety:
            return f"safety.{safety.safety_id}.{prefix}{len(safety.blocks) + 1}"
        scope = ("n" if self.notes() else "") + prefix
        return self.section.keys.key(f"{self.section.id}.{scope}.{words_key(text)}")

    def unit(self, prefix: str, text: str, where: Location, unit_id: str | None = None) -> Unit:
        safety = self.safety()
        return Unit(unit_id or self.next_id(prefix, text), text.strip(), where,
                    self.audiences(), safety.safety_id if safety else None)

    def item_id(self, container: str | None, prefix: str, text: str, number: str) -> str:
        """A list item's or table cell's id: numbered within a safety statement's list or
        table (`container`), keyed by its words elsewhere."""
        return f"{container}.{number}" if container else self.next_id(prefix, text)

    def add(self, block: Block) -> None:
        unsure = self.section.unsure or any(div.unsure for div in self.divs)
        if not block.audiences and not unsure:  # else: the audiences are the error's
            self.problem(block.location, "this text is shown to no audience",
                         "the enclosing section and ::: divs name audiences that do not overlap")
        for unit in block.units:
            if any(t.type == "html_inline" for t in inline_tokens(unit.text)):
                self.unsupported(unit.location, "raw HTML")
        safety, notes = self.safety(), self.notes()
        if safety:
            safety.blocks.append(block)
        elif notes:
            self.section.notes.append(block)
        else:
            self.section.content.append(block)

    def paragraph(self, inline: Token, opening: Token) -> None:
        where = self.at(opening)
        if inline.content.lstrip().startswith(":::"):
            lines = [line.strip() for line in inline.content.splitlines()]
            if DIV_CLOSE.fullmatch(lines[0]) and self.unopened:
                self.unopened -= 1  # the end of a div whose opening line was reported
                return
            self.structural(where, f"a ::: line that opens or closes no div: {lines[0]!r}",
                            "open a div with ::: {.patient} (braces closed) and close it "
                            "with ::: alone on a line")
            if not DIV_CLOSE.fullmatch(lines[0]) and not DIV_CLOSE.fullmatch(lines[-1]):
                self.unopened += 1  # an opening line that failed: its ::: is no news
            return
        children = inline.children or []
        images = [c for c in children if c.type == "image"]
        refused = IMAGE_SYNTAX.search(inline.content)
        if refused and not images:
            # markdown-it drops links with schemes such as file: and leaves them as text.
            self.problem(where, f"image '{refused.group(1)}' is not a file inside the topic "
                         "folder", "copy the image into the topic's images/ folder and link it "
                         "relatively")
            return
        if images:
            if len([c for c in children if c.type != "softbreak" and
                    (c.type != "text" or c.content.strip())]) != 1:
                self.structural(where, "an image inside a sentence",
                                "put each image in a paragraph of its own")
                return
            self.image(images[0], where)
            return
        self.add(Block("paragraph", (self.unit("p", inline.content, where),),
                       self.audiences(), where))

    def image(self, token: Token, where: Location) -> None:
        # markdown-it percent-encodes the address (café.png -> caf%C3%A9.png): the file
        # has the name the author wrote.
        src = unquote(str(token.attrs.get("src", "")))
        alt = "".join(c.content for c in token.children or [])
        if not alt.strip():
            self.problem(where, f"image '{src}' has no alt text",
                         "describe it in the brackets: ![what it shows](images/x.png)")
        try:
            path = confine(self.folder, src)
            check_image(path)
        except Refused as refused:
            if refused.outside:
                self.problem(where, f"image '{src}' is not a file inside the topic folder",
                             "copy the image into the topic's images/ folder and link it "
                             "relatively")
            elif refused.missing:
                self.problem(where, f"image '{src}' does not exist",
                             "check the file name, or add the file to the topic folder")
            else:
                self.problem(where, f"image '{src}' {refused.message}", refused.hint)
            return
        except ImageRefused as refused:
            self.problem(where, f"image '{src}' {refused.message}", refused.hint)
            return
        unit = self.unit("img", alt or src, where)
        self.add(Block("image", (unit,), self.audiences(), where, image=Image(path, unit)))

    def list_(self, i: int) -> int:
        opening = self.tokens[i]
        close_type = opening.type.replace("_open", "_close")
        kind = "bullets" if opening.type == "bullet_list_open" else "steps"
        units, depth, j = [], 0, i + 1
        list_id = self.next_id("l", "") if self.safety() else None
        while not (self.tokens[j].type == close_type and depth == 0):
            token = self.tokens[j]
            if token.type not in IN_LIST_ITEM:
                # Text in anything else would be dropped or lose its div's audiences.
                what = ("a ::: div" if token.type == "div_open" else
                        UNSUPPORTED.get(token.type) or
                        "a " + token.type.replace("_open", "").replace("_", " "))
                self.structural(self.at(token) if token.map else self.at(opening),
                                f"{what} inside a list item",
                                "a list item holds text only; end the list before it, or put "
                                "a ::: div around the whole list")
                j = _skip(self.tokens, j)
                continue
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
                if depth == 1:
                    self.structural(self.at(token), "a list inside a list",
                                    "use one level of list items")
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif token.type == "inline" and depth == 0:
                units.append(self.unit("", token.content, self.at(token), self.item_id(
                    list_id, "li", token.content, str(len(units) + 1))))
            j += 1
        self.add(Block(kind, tuple(units), self.audiences(), self.at(opening)))
        return j + 1

    def table(self, i: int) -> int:
        opening, cells, columns, j = self.tokens[i], [], 0, i + 1
        rows = (opening.map[1] - opening.map[0] - 2) if opening.map else 0  # minus header, rule
        if rows > MAX_TABLE_ROWS:
            self.structural(self.at(opening), f"a table of {rows} rows, over the limit of "
                            f"{MAX_TABLE_ROWS}", "a handout table should fit a page; link to "
                            "the full data instead")
            return _skip(self.tokens, i)
        table_id = self.next_id("t", "") if self.safety() else None
        row = column = 0
        while self.tokens[j].type != "table_close":
            token = self.tokens[j]
            if token.type == "tr_open":
                row += 1
                column = 0
            elif token.type == "inline":
                column += 1
                columns = max(columns, column)
                cells.append(self.unit("", token.content, self.at(token), self.item_id(
                    table_id, "td", token.content, f"r{row}c{column}")))
            j += 1
        self.add(Block("table", tuple(cells), self.audiences(), self.at(opening), columns=columns))
        return j + 1


def statement_attributes(safety_id: str, audience: str | None, tier: str | None = None,
                         classes: list[str] | tuple[str, ...] = ()) -> str:
    """The attribute block of a safety statement, with every attribute it needs (its other
    classes, its audience and its tier), for hints that suggest one."""
    extra = "".join(f" .{c}" for c in classes)
    audience_attribute = f' audience="{audience}"' if audience else ""
    tier_attribute = f' tier="{tier}"' if tier else ""
    return f"{{.safety #{safety_id}{extra}{audience_attribute}{tier_attribute}}}"


def _skip(tokens: list[Token], i: int) -> int:
    """Index after the block that starts at i (its matching close, or itself)."""
    if tokens[i].nesting != 1:
        return i + 1
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j + 1
    return len(tokens)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _visible(text: str) -> bool:
    """Whether a unit prints a letter or a digit (not only spaces, punctuation, &nbsp;,
    zero-width or other invisible characters, or citations)."""
    return any(unicodedata.category(c)[0] in "LN" and c not in INVISIBLE_LETTERS
               for c in plain_text(text))


def read_content(text: str, shown: str, folder: Path) -> tuple[list[Section], list[Problem]]:
    """Parse the Markdown source of a topic into sections."""
    return ContentReader(text, shown, folder).read()
