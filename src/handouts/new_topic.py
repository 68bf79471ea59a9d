"""`handouts new`: a topic folder that builds at once, for an author to fill in.

topic.yaml is written from the schema (load/topic_yaml.py): every field is
there with its own description as a comment, so the file and `handouts
schema` cannot disagree. The fields a first build needs are set; the others
are commented out with an example value. The Markdown has a section for each
audience, each holding the safety statement topic.yaml requires of it (the
patient's with their tiers) and the trainer's with speaker notes, and cites
one reference of each kind in references.json (a journal article with a DOI,
a book, a web page). All wording is a neutral placeholder ("Replace this
with ..."): nothing in it is advice.

The folder is written under a temporary name beside its place and renamed
into it, so an interrupted command leaves no half-made topic, and an
existing folder is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentErrors, Location, OutputError, Problem, display_path
from .load.schema import Field, ListOf, MapOf, OneOf, Record, ValueType
from .load.topic_yaml import SLUG, TOPIC

TOPIC_ID = re.compile(SLUG.pattern or "")
MAX_ID = 60  # file names are <id>-patient-large-a4.pdf and the like
MAX_TITLE = 150
WIDTH = 88
PLACEHOLDER = "Replace this"


def id_problem(topic_id: str) -> str | None:
    """Why `topic_id` cannot name a topic (None when it can)."""
    if not TOPIC_ID.fullmatch(topic_id):
        return (f"{topic_id!r} is not a topic id: use lowercase letters, digits and single "
                "hyphens, such as fall-risk")
    if len(topic_id) > MAX_ID:
        return f"a topic id has at most {MAX_ID} characters; {topic_id!r} has {len(topic_id)}"
    return None


def title_problem(title: str) -> str | None:
    """Why `title` cannot be a topic's title (None when it can)."""
    if not title.strip():
        return "the title is empty"
    if any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in title):
        return "the title holds a line break or another control character: give one line"
    if len(title) > MAX_TITLE:
        return f"a title has at most {MAX_TITLE} characters; this one has {len(title)}"
    return None


def default_title(topic_id: str) -> str:
    """'fall-risk' -> 'Fall risk'."""
    words = topic_id.replace("-", " ")
    return words[:1].upper() + words[1:]


# -- what the new topic says ----------------------------------------------------------

def topic_values(topic_id: str, title: str, today: dt.date) -> dict[str, Any]:
    """The fields the new topic.yaml sets, in the schema's shape."""
    return {
        "id": topic_id,
        "language": "en",
        "version": "0.1",
        "review_date": today,
        "owner": f"{PLACEHOLDER} with the team responsible for this topic",
        "audiences": {
            "patient": {
                "title": title,
                "subtitle": "Information for patients",
                "purpose": f"{PLACEHOLDER} with a sentence on what this handout is for.",
                "required_safety": [{"id": "patient-stop", "tier": "stop"},
                                    {"id": "patient-call", "tier": "call"}],
                "max_grade": 6,
            },
            "clinician": {
                "title": f"{title}: Evidence Brief",
                "subtitle": "For health professionals",
                "required_safety": ["clinician-precautions"],
            },
            "trainer": {
                "title": title,
                "subtitle": "In-service training",
                "required_safety": ["trainer-safety"],
            },
        },
        "plan": {
            "fields": [{"id": "start-date", "label": "Start date"},
                       {"id": "how-often", "label": "How often"}],
            "supports": [f"{PLACEHOLDER} with a kind of help the reader may need"],
        },
        "evidence": {
            "scale": "Oxford CEBM 2011",
            "studies": [{
                "reference": "example-article",
                "design": f"{PLACEHOLDER} with the study's design",
                "population": f"{PLACEHOLDER} with who was studied",
                "intervention": f"{PLACEHOLDER} with the intervention and comparison",
                "finding": f"{PLACEHOLDER} with the main finding",
                "limitation": f"{PLACEHOLDER} with the main limitation",
                "level": f"{PLACEHOLDER} with the level",
            }],
        },
        "training": {
            "objectives": [f"{PLACEHOLDER} with the first learning objective.",
                           f"{PLACEHOLDER} with the second learning objective.",
                           f"{PLACEHOLDER} with the third learning objective."],
            "questions": [
                {"question": f"{PLACEHOLDER} with a question?",
                 "answer": f"{PLACEHOLDER} with its answer."},
                {"question": f"{PLACEHOLDER} with another question?",
                 "answer": f"{PLACEHOLDER} with its answer."},
            ],
        },
    }


def examples(topic_id: str, today: dt.date) -> dict[str, Any]:
    """Example values of the fields left commented out, by dotted path (`[]`: list items,
    `*`: any audience). A field not named here gets one made from its type."""
    return {
        "next_review": today.replace(year=today.year + 1) if not (
            today.month == 2 and today.day == 29) else today + dt.timedelta(days=365),
        "content": f"{topic_id}.md",
        "paper": ["letter", "a4"],
        "bibliography": "references.json",
        "audiences.*.min_inflesz": 65,
        "audiences.*.max_sentence_grade": 10,
        "audiences.*.max_sentence_words": 25,
        "audiences.*.languages": ["en"],
        "care_setting": {"call": "Call your instructor",
                         "plan_note": "Your instructor fills this in with you.",
                         "follow_plan": "Follow the plan your instructor made for you."},
        "organisation": {"name": "Replace this with the organisation's name",
                         "logo": {"file": "logo.png", "alt": "Replace this with its name"},
                         "phones": [{"label": "Clinic", "number": "555-0100"}],
                         "address": "Replace this with the address",
                         "website": "https://example.org",
                         "colours": {"brand": "#0b5563", "heading": "#0b3d47"}},
        "link": {"url": "https://example.org/replace-this",
                 "label": f"{PLACEHOLDER} with what the page offers"},
        "evidence.note": f"{PLACEHOLDER} with how the levels were assigned.",
        "training.presenter": f"{PLACEHOLDER} with who presents",
        "training.date": today,
        "training.template": "brand.potx",
    }


def markdown() -> str:
    """The Markdown: sections for each audience, their required statements, notes."""
    return f"""\
## Key points {{#key-points .patient .summary}}

- {PLACEHOLDER} with the main message for the reader.
- {PLACEHOLDER} with a second point.

## What to do {{#what-to-do .patient}}

{PLACEHOLDER} with a short paragraph for the reader [@example-web-page].

::: {{.safety #patient-stop audience="patient" tier="stop"}}
{PLACEHOLDER} with when to stop at once.
:::

::: {{.safety #patient-call audience="patient" tier="call"}}
{PLACEHOLDER} with when to call for help.
:::

## Bottom line {{#bottom-line .clinician .summary}}

- {PLACEHOLDER} with the main finding for clinicians [@example-article].

## Precautions {{#precautions .clinician .precautions}}

::: {{.safety #clinician-precautions audience="clinician"}}
**{PLACEHOLDER}** with the precautions clinicians must take [@example-book].
:::

## What the evidence shows {{#evidence .clinician .trainer .evidence}}

- {PLACEHOLDER} with what the studies found [@example-article].

::: notes
{PLACEHOLDER} with what the presenter says on this slide.
:::

## Safety for staff {{#staff-safety .trainer}}

::: {{.safety #trainer-safety audience="trainer"}}
**{PLACEHOLDER}** with the safety steps staff must follow [@example-book].
:::

::: notes
{PLACEHOLDER} with what the presenter says about safety.
:::
"""


def references(today: dt.date) -> list[dict[str, Any]]:
    """One reference of each kind, as CSL-JSON with the fields Zotero exports."""
    return [
        {
            "id": "example-article",
            "type": "article-journal",
            "title": f"{PLACEHOLDER} with the article's title",
            "author": [{"family": "Replace", "given": "A."}],
            "container-title": f"{PLACEHOLDER} with the journal's full name",
            "container-title-short": "Replace J",
            "volume": "1",
            "issue": "1",
            "page": "1-10",
            "issued": {"date-parts": [[today.year - 1]]},
            "DOI": "10.5555/replace-this",
        },
        {
            "id": "example-book",
            "type": "book",
            "title": f"{PLACEHOLDER} with the book's title",
            "author": [{"family": "Replace", "given": "B."}],
            "edition": "2",
            "publisher": f"{PLACEHOLDER} with the publisher",
            "publisher-place": f"{PLACEHOLDER} with the city",
            "issued": {"date-parts": [[today.year - 2]]},
        },
        {
            "id": "example-web-page",
            "type": "webpage",
            "title": f"{PLACEHOLDER} with the page's title",
            "author": [{"literal": f"{PLACEHOLDER} with the organisation"}],
            "container-title": f"{PLACEHOLDER} with the website's name",
            "URL": "https://example.org/replace-this",
            "issued": {"date-parts": [[today.year]]},
            "accessed": {"date-parts": [[today.year, today.month, today.day]]},
        },
    ]


# -- topic.yaml from the schema ---------------------------------------------------------

def topic_yaml(values: dict[str, Any], example_values: dict[str, Any]) -> str:
    head = [
        f"# {values['id']}: the settings of one topic. Each field is described in the",
        "# comment above it; an optional field that starts with '# ' is switched off:",
        "# remove the '# ' to use it. `handouts schema` prints the same reference, and the",
        "# README's 'Writing a topic' says how the Markdown and references work.",
        "",
    ]
    return "\n".join(head + _YamlWriter(example_values).record(TOPIC, values, "", 0)) + "\n"


class _YamlWriter:
    """topic.yaml as lines, in the schema's order: every field under a comment made from its
    declaration, set to its value or, when the new topic leaves it unset, commented out
    with an example (nested fields are described under the first audience and in each
    list's comment)."""

    def __init__(self, example_values: dict[str, Any]):
        self.examples = example_values

    def record(self, record: Record, values: dict[str, Any], path: str, indent: int,
               documented: bool = True) -> list[str]:
        lines: list[str] = []
        pad = " " * indent
        for key, spec in record.fields.items():
            dotted = f"{path}{key}"
            active = key in values
            if documented:
                lines += _comment(_describe(spec), pad)
                lines += [pad + "# " + line for line in _parts(spec.check, active)]
            if active:
                lines += self.value(key, spec.check, values[key], dotted, indent, documented)
            elif documented:
                example = self.example(dotted, spec.check)
                lines += [pad + "# " + line[indent:] for line in
                          self.value(key, spec.check, example, dotted, indent, False)]
            if documented and indent == 0:
                lines.append("")
        return lines

    def value(self, key: str, check: ValueType, value: Any, path: str, indent: int,
              documented: bool) -> list[str]:
        pad = " " * indent
        if isinstance(check, Record) and isinstance(value, dict):
            return [f"{pad}{key}:"] + self.record(check, value, path + ".", indent + 2,
                                                 documented)
        if isinstance(check, MapOf) and isinstance(value, dict):
            lines = [f"{pad}{key}:"]
            for i, (name, inner) in enumerate(value.items()):
                if i == 1 and documented:
                    lines += _comment("The other audiences have the same fields, described "
                                      "under the first.", pad + "  ")
                lines.append(f"{pad}  {name}:")
                lines += self.record(check.value, inner, f"{path}.*.", indent + 4,
                                     documented and i == 0)
            return lines
        if isinstance(check, ListOf) and isinstance(value, list):
            item = check.item.record if isinstance(check.item, OneOf) else check.item
            if isinstance(item, Record) and not isinstance(check.item, OneOf):
                lines = [f"{pad}{key}:"]
                for entry in value:
                    inner = self.record(item, entry, path + "[].", indent + 4, False)
                    inner[0] = f"{pad}  - " + inner[0].lstrip(" ")
                    lines += inner
                return lines
            flow = _scalar(value)
            if not isinstance(check.item, OneOf) and len(pad + key + flow) < WIDTH - 2:
                return [f"{pad}{key}: {flow}"]  # paper: [letter, a4]
            return [f"{pad}{key}:"] + [f"{pad}  - {_scalar(v)}" for v in value]
        return [f"{pad}{key}: {_scalar(value)}"]

    def example(self, path: str, check: ValueType) -> Any:
        if path in self.examples:
            return self.examples[path]
        return _made_up(check)


def _made_up(check: ValueType) -> Any:
    """An example value of a type, for a field the scaffold has no example of."""
    if isinstance(check, Record):
        return {key: spec.default if spec.default is not None else _made_up(spec.check)
                for key, spec in check.fields.items()
                if spec.required or spec.default is not None} or {
            key: _made_up(spec.check) for key, spec in list(check.fields.items())[:1]}
    if isinstance(check, ListOf):
        return [_made_up(check.item)]
    if isinstance(check, OneOf):
        return _made_up(check.forms[0])
    if isinstance(check, MapOf):
        return {check.keys[0]: _made_up(check.value)}
    choices = getattr(check, "choices", None)
    if choices:
        return choices[0]
    minimum = getattr(check, "minimum", None)
    if minimum is not None:
        return minimum
    if check.expected.startswith("a date"):
        return dt.date.today()
    if check.expected.startswith("an https://"):
        return "https://example.org/replace-this"
    return PLACEHOLDER


def _describe(spec: Field) -> str:
    """A field's comment: the schema's own description, its type, whether it is required."""
    need = "required" if spec.required else "optional"
    doc = spec.doc[:1].upper() + spec.doc[1:]
    end = "." if doc[-1:].isalnum() or doc.endswith("'") else ""
    return f"{doc}{end} [{spec.check.expected}; {need}]"


def _parts(check: ValueType, active: bool) -> list[str]:
    """The fields of a list's items, or of a record switched off (an active record's
    fields have their own comments): one line each, under the field's own comment."""
    inner = check.item if isinstance(check, ListOf) else check
    if isinstance(inner, OneOf):
        inner = inner.record
    if not isinstance(inner, Record) or (isinstance(check, Record) and active):
        return []
    return [("Each item's fields:" if isinstance(check, ListOf) else "Its fields:")] + \
        _field_lines(inner, "  ")


def _field_lines(record: Record, pad: str) -> list[str]:
    """One line per field, and under it, indented, the fields of a record it holds."""
    lines = []
    for key, spec in record.fields.items():
        need = "required" if spec.required else "optional"
        lines += textwrap.wrap(f"{key}: {spec.doc} [{spec.check.expected}; {need}]",
                               WIDTH - 6, initial_indent=pad, subsequent_indent=pad + "  ",
                               break_on_hyphens=False)
        nested = spec.check.item if isinstance(spec.check, ListOf) else spec.check
        if isinstance(nested, Record):
            lines += _field_lines(nested, pad + "  ")
    return lines


def _comment(text: str, pad: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=pad + "# ", subsequent_indent=pad + "# ",
                         break_on_hyphens=False)


def _scalar(value: Any) -> str:
    """A value as YAML in one line (flow style), quoted where YAML needs it."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                          width=10 ** 6, sort_keys=False)
    return text.removesuffix("\n...\n").removesuffix("\n")


# -- writing the folder -----------------------------------------------------------------

def new_topic(topic_id: str, parent: Path, title: str | None = None,
              today: dt.date | None = None) -> Path:
    """Write parent/<topic_id>/ and return its path; ContentErrors if it exists already."""
    today = today or dt.date.today()
    title = (title or default_title(topic_id)).strip()
    folder = parent / topic_id
    shown = display_path(folder)
    if os.path.lexists(folder):
        raise ContentErrors([Problem(Location(shown), "a file or folder of that name exists "
                                     "already; handouts new never writes over it",
                                     "choose another id, or move the folder away first")])
    values = topic_values(topic_id, title, today)
    files = {
        "topic.yaml": topic_yaml(values, examples(topic_id, today)),
        f"{topic_id}.md": markdown(),
        "references.json": json.dumps(references(today), indent=2, ensure_ascii=False) + "\n",
    }
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{topic_id}.new-", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot create the topic folder in {display_path(parent)}: "
                          f"{exc.strerror or exc}") from None
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        staging.chmod(0o777 & ~_umask())
        os.rename(staging, folder)  # fails if the folder appeared meanwhile
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if os.path.lexists(folder):
            raise ContentErrors([Problem(Location(shown), "a file or folder of that name "
                                         "exists already; handouts new never writes over "
                                         "it", "choose another id, or move the folder away "
                                         "first")]) from None
        raise OutputError(f"cannot write the topic folder {shown}: {exc.strerror or exc}") \
            from None
    return folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
