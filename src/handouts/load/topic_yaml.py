"""`topic.yaml`: its schema (every field documented where it is declared) and its loader."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import Location, Problem
from ..model import (AudienceSettings, Evidence, FillInField, FillInPlan, Link, Study, Topic,
                     Training, Unit)
from ..model.document import STUDY_COLUMNS
from ..model.names import AUDIENCES, PAPERS
from ..model.keys import KeyMaker, words_key
from .language import TOPIC_LANGUAGE_TAG
from .schema import (Choice, Date, Field, ListOf, MapOf, Number, OneOf, Record, Text,
                     WholeNumber)
from .files import TOPIC_YAML_BYTES, Refused, YamlDocument, confine, load_yaml, read_text
from .organisation import ORGANISATION
from .sections import TIERS

SLUG = Text(r"[a-z0-9]+(-[a-z0-9]+)*", "a lowercase id such as 'fall-risk' (letters, digits, hyphens)")
LANGUAGE = Text(TOPIC_LANGUAGE_TAG, "a language tag such as en, es, ar or zh-Hans")
FILE = Text(r"[^/\\][^\\]*", "a file name relative to the topic folder")

REQUIRED_STATEMENT = Record(name="a statement with its tier", fields={
    "id": Field(SLUG, "the safety statement's id", required=True),
    "tier": Field(Choice(TIERS), "the tier it must have: stop (under 'Stop now') or call "
                                 "(under the care setting's call line)", required=True),
})

# Per-sentence ceilings the patient handout has when topic.yaml sets none.
SENTENCE_DEFAULTS = {"patient": {"max_sentence_grade": 10.0, "max_sentence_words": 25}}

AUDIENCE = Record(name="an audience's settings", fields={
    "title": Field(Text(), "the title printed at the top of this audience's output", required=True),
    "subtitle": Field(Text(), "a line under the title"),
    "purpose": Field(Text(), "one or two sentences at the top saying what the output is for"),
    "required_safety": Field(ListOf(OneOf((SLUG, REQUIRED_STATEMENT)), unique=True,
                                    key=lambda item: item.get("id") if isinstance(item, dict)
                                    else item),
                             "ids of the safety statements every output for this audience must "
                             "show; a build that would drop one fails. Write an id, or {id: "
                             "..., tier: stop} for a statement that must also have that tier",
                             default=[]),
    "max_grade": Field(Number(1, 18), "highest Flesch-Kincaid grade allowed for this audience's "
                                      "prose; the build fails above it"),
    "max_sentence_grade": Field(Number(1, 18), "highest Flesch-Kincaid grade allowed for any "
                                               "one sentence of this audience's English prose; "
                                               "the build fails above it, naming the sentence "
                                               "(default: 10 for the patient, none for the "
                                               "others)"),
    "max_sentence_words": Field(WholeNumber(5, 100), "most words allowed in any one sentence "
                                                     "of this audience's prose, in every "
                                                     "language written with spaces between "
                                                     "words; the build fails above it, naming "
                                                     "the sentence (default: 25 for the "
                                                     "patient, none for the others)"),
    "min_inflesz": Field(Number(0, 100), "lowest INFLESZ (Szigriszt-Pazos) score allowed for "
                                         "this audience's Spanish prose; 65 is 'bastante "
                                         "fácil'; the build fails below it"),
    "languages": Field(ListOf(LANGUAGE, min_items=1, unique=True),
                       "languages to build for this audience", default=["en"]),
})

PLAN_FIELD = Record(name="a plan line", fields={
    "id": Field(SLUG, "a stable id for the line", required=True),
    "label": Field(Text(), "the label printed before the writing line", required=True),
})

PLAN = Record(name="the patient's fill-in plan", fields={
    "fields": Field(ListOf(PLAN_FIELD, min_items=1), "lines the care team fills in by hand",
                    required=True),
    "supports": Field(ListOf(Text(), unique=True), "tick boxes for the support the patient "
                                                   "needs", default=[]),
})

# Where the patient handout names who the patient turns to. Each is a whole sentence or
# line, never a role spliced into one: "your therapist" cannot be fitted into another
# sentence in most languages (case, gender, Arabic's attached pronouns). Unset lines
# print the templates' neutral wording, translated with the other template strings.
CARE_SETTING = Record(name="the care setting", fields={
    "call": Field(Text(), "the line over the statements with tier=\"call\" on the patient "
                          "handout (default: Call your care team)"),
    "plan_note": Field(Text(), "the sentence under the plan's heading saying who fills it in "
                               "(default: Your care team fills this in with you.)"),
    "follow_plan": Field(Text(), "the sentence ending the patient handout's disclaimer "
                                 "(default: Follow the plan your care team made for you.)"),
})

LINK = Record(name="a link", fields={
    "url": Field(Text(r"https://\S+", "an https:// address"), "the address the QR code opens",
                 required=True),
    "label": Field(Text(), "the words printed beside the QR code", required=True),
})

STUDY = Record(name="a study row", fields={
    "reference": Field(Text(), "the study's key in the bibliography", required=True),
    "design": Field(Text(), "the design, as the study's title and the source name it",
                    required=True),
    "population": Field(Text(), "who was studied", required=True),
    "intervention": Field(Text(), "the intervention and comparison", required=True),
    "finding": Field(Text(), "the main finding, as the source describes it", required=True),
    "limitation": Field(Text(), "the main limitation", required=True),
    "level": Field(Text(), "the level of evidence on the evidence table's scale", required=True),
    "note": Field(Text(), "a footnote under the table, e.g. where the source and its "
                          "references disagree"),
})

EVIDENCE = Record(name="the evidence table", fields={
    "scale": Field(Text(), "the scale the levels use, e.g. Oxford CEBM 2011", required=True),
    "note": Field(Text(), "how the levels were assigned, printed under the table"),
    "studies": Field(ListOf(STUDY, min_items=1), "one row per study", required=True),
})

QUESTION = Record(name="a question", fields={
    "question": Field(Text(), "the question shown on the slide", required=True),
    "answer": Field(Text(), "the answer, shown only in the speaker notes", required=True),
})

LAYOUTS = Record(name="layout names", fields={
    "title": Field(Text(), "the title slide layout", default="Title Slide"),
    "content": Field(Text(), "the title-and-content layout", default="Title and Content"),
    "two_content": Field(Text(), "the two-content layout", default="Two Content"),
})

TRAINING = Record(name="the training deck settings", fields={
    "presenter": Field(Text(), "who presents (default: the owner)"),
    "date": Field(Date(), "the session date on the title slide (default: the review date)"),
    "objectives": Field(ListOf(Text(), min_items=1), "learning objectives (3 or 4)",
                        required=True),
    "questions": Field(ListOf(QUESTION, min_items=1), "check-your-understanding questions "
                                                      "(2 or 3)", required=True),
    "template": Field(FILE, "an organisation's .pptx/.potx in the topic folder whose layouts "
                            "the deck uses (default: templates/slides/default.pptx)"),
    "layouts": Field(LAYOUTS, "names of the template's layouts, when they differ from "
                              "PowerPoint's", default=None),
})

TOPIC = Record(name="the topic settings", fields={
    "id": Field(SLUG, "the topic's id; output files are named after it", required=True),
    "language": Field(LANGUAGE, "the language the content is written in", default="en"),
    "version": Field(Text(), "the content version printed on every output", required=True),
    "review_date": Field(Date(), "when the content was last reviewed; printed on every output "
                                 "and used as the file date", required=True),
    "next_review": Field(Date(), "when the content is due for review"),
    "owner": Field(Text(), "who is responsible for the content (a team or a person)",
                   required=True),
    "content": Field(FILE, "the Markdown source (default: <id>.md)"),
    "bibliography": Field(FILE, "the references as CSL-JSON", default="references.json"),
    "paper": Field(ListOf(Choice(PAPERS), min_items=1, unique=True),
                   "paper sizes to build the PDFs on", default=list(PAPERS)),
    "audiences": Field(MapOf(AUDIENCES, AUDIENCE, key_name="audience"),
                       "settings per audience (patient, clinician, trainer)", required=True),
    "plan": Field(PLAN, "the fill-in plan printed on the patient handout"),
    "care_setting": Field(CARE_SETTING, "who the patient turns to (a therapist, an instructor, "
                                        "a pharmacist...): the words the patient handout "
                                        "prints where it names them; unset lines print "
                                        "neutral wording naming 'your care team'"),
    "organisation": Field(ORGANISATION, "the organisation's name, logo, phones, address, "
                                        "web site and colours for this topic, over those of "
                                        "the content folder's handouts.yaml, key by key "
                                        "(a logo here is a file in the topic folder)"),
    "link": Field(LINK, "a web page for patients, printed as a QR code"),
    "evidence": Field(EVIDENCE, "the evidence table of the clinician brief and the deck"),
    "training": Field(TRAINING, "the in-service training deck"),
})

TOPIC_FILE = "topic.yaml"


def load_topic(folder: Path, shown: str) -> tuple[Topic | None, YamlDocument | None, list[Problem]]:
    """Read and check `topic.yaml`; the Topic is None when anything is wrong."""
    shown_file = f"{shown}/{TOPIC_FILE}"
    try:
        path = confine(folder, TOPIC_FILE)
    except Refused as refused:
        if refused.missing:
            return None, None, [Problem(Location(shown), f"no {TOPIC_FILE} in this topic "
                                        "folder", f"create {shown_file}; see the README's "
                                        "content format")]
        return None, None, [Problem(Location(shown_file), f"the file {refused.message}",
                                    refused.hint)]
    text, problems = read_text(path, shown_file, TOPIC_YAML_BYTES, "a topic.yaml",
                               "keep long text in the Markdown; topic.yaml holds settings")
    if text is None:
        return None, None, problems
    doc, problems = load_yaml(text, shown_file)
    if doc is None:
        return None, None, problems
    if not isinstance(doc.data, dict):
        problems.append(Problem(Location(shown_file, 1), "topic.yaml should be a mapping of "
                                "settings", "start with 'id: <topic-id>'"))
        return None, doc, problems
    data = TOPIC.check(doc.data, (), doc, problems)
    if data.get("id") and data["id"] != folder.name:
        problems.append(Problem(doc.location(("id",)), f"id '{data['id']}' differs from the "
                                f"folder name '{folder.name}'", "make them the same"))
    from .profile import with_profile
    organisation, care = with_profile(folder, doc, data, problems)
    if problems:
        return None, doc, problems
    topic = _topic(folder, data, doc)
    return replace(topic, organisation=organisation,
                   care_setting={**care, **topic.care_setting}), doc, problems


def _topic(folder: Path, data: dict, doc: YamlDocument) -> Topic:
    def unit(path: tuple, value: str | None, key: tuple | None = None) -> Unit | None:
        """A string of topic.yaml as a unit; its id follows `key` where its place in a list
        (`path`) would move when a line is inserted above it (model/keys.py)."""
        if value is None:
            return None
        # The plan and the QR link are printed on the patient handout only; the evidence
        # table on the clinician brief and the deck.
        audiences = frozenset([path[1]] if path[0] == "audiences" else
                              ["clinician", "trainer"] if path[0] == "evidence" else
                              ["trainer"] if path[0] == "training" else ["patient"])
        return Unit("topic." + ".".join(str(p) for p in key or path), value,
                    doc.location(path), audiences)

    audiences = {name: _audience(name, spec, unit, doc)
                 for name, spec in data["audiences"].items()}
    plan = None
    if data["plan"]:
        field_keys, support_keys = KeyMaker(), KeyMaker()
        plan = FillInPlan(
            fields=tuple(FillInField(f["id"], unit(("plan", "fields", i, "label"), f["label"],
                                                   ("plan", "fields", field_keys.key(f["id"]),
                                                    "label")))
                         for i, f in enumerate(data["plan"]["fields"])),
            supports=tuple(unit(("plan", "supports", i), s,
                                ("plan", "supports", support_keys.key(words_key(s))))
                           for i, s in enumerate(data["plan"]["supports"])))
    link = None
    if data["link"]:
        link = Link(data["link"]["url"], unit(("link", "label"), data["link"]["label"]))
    evidence = None
    if data["evidence"]:
        evidence = _evidence(data["evidence"], unit, doc)
    training = None
    if data["training"]:
        training = _training(data["training"], unit, doc)
    care = data["care_setting"] or {}
    care_setting = {key: unit(("care_setting", key), care[key])
                    for key in CARE_SETTING.fields if care.get(key)}
    return Topic(
        id=data["id"], folder=folder, language=data["language"], version=data["version"],
        review_date=data["review_date"], next_review=data["next_review"], owner=data["owner"],
        audiences=audiences, papers=tuple(data["paper"]), plan=plan, link=link,
        evidence=evidence, training=training,
        content_file=data["content"] or f"{data['id']}.md",
        bibliography_file=data["bibliography"], care_setting=care_setting)


def _audience(name: str, spec: dict, unit, doc: YamlDocument) -> AudienceSettings:
    required, tiers = {}, {}
    for i, item in enumerate(spec["required_safety"]):
        safety_id = item["id"] if isinstance(item, dict) else item
        required[safety_id] = doc.location(("audiences", name, "required_safety", i))
        if isinstance(item, dict):
            tiers[safety_id] = item["tier"]
    defaults = SENTENCE_DEFAULTS.get(name, {})
    sentence_grade, sentence_words = (
        spec[key] if spec[key] is not None else defaults.get(key)
        for key in ("max_sentence_grade", "max_sentence_words"))
    return AudienceSettings(
        title=unit(("audiences", name, "title"), spec["title"]),
        subtitle=unit(("audiences", name, "subtitle"), spec["subtitle"]),
        purpose=unit(("audiences", name, "purpose"), spec["purpose"]),
        required_safety=required,
        max_grade=spec["max_grade"],
        min_inflesz=spec["min_inflesz"],
        languages=tuple(spec["languages"]),
        max_sentence_grade=sentence_grade,
        max_sentence_words=sentence_words,
        required_tiers=tiers,
    )


def _evidence(data: dict, unit, doc: YamlDocument) -> Evidence:
    rows, keys = [], KeyMaker()
    for i, row in enumerate(data["studies"]):
        path = ("evidence", "studies", i)
        key = ("evidence", "studies", keys.key(row["reference"]))  # a row is its study's
        cells = {name: unit(path + (name,), row[name], key + (name,)) for name in STUDY_COLUMNS}
        rows.append(Study(reference=row["reference"], location=doc.location(path + ("reference",)),
                          note=unit(path + ("note",), row["note"], key + ("note",)), **cells))
    return Evidence(scale=data["scale"], note=unit(("evidence", "note"), data["note"]),
                    studies=tuple(rows))


def _training(data: dict, unit, doc: YamlDocument) -> Training:
    layouts = data["layouts"] or {key: spec.default for key, spec in LAYOUTS.fields.items()}
    objective_keys, question_keys = KeyMaker(), KeyMaker()

    def question(i: int, q: dict) -> tuple[Unit, Unit]:
        key = ("training", "questions", question_keys.key(words_key(q["question"])))
        return (unit(("training", "questions", i, "question"), q["question"],
                     key + ("question",)),
                unit(("training", "questions", i, "answer"), q["answer"], key + ("answer",)))

    return Training(
        presenter=data["presenter"], date=data["date"],
        objectives=tuple(unit(("training", "objectives", i), text,
                              ("training", "objectives", objective_keys.key(words_key(text))))
                         for i, text in enumerate(data["objectives"])),
        questions=tuple(question(i, q) for i, q in enumerate(data["questions"])),
        template=data["template"], template_location=doc.location(("training", "template")),
        layouts=layouts)
