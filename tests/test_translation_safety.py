"""A translator's PO file is untrusted: what each check refuses, and what it lets through.

Rules (src/handouts/i18n): template strings keep their {placeholders}
(checks.template_string_findings); every unit keeps its citations and adds no
image, link, address or markup (checks.unit_findings); every safety unit has
words, keeps its numbers and bold, is not another statement's translation and
is about as long as its English (checks.safety_findings, translate.py); the
file itself is read as strictly as `msgfmt --check` reads it (pofile.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest

from conftest import BUNDLED, run_build
from handouts.assets.locations import default_templates
from handouts.cli import cli
from handouts.errors import ContentErrors
from handouts.i18n import checks, pofile
from handouts.i18n.catalogs import load_translation
from handouts.i18n.translate import translate
from handouts.load.folder import load_document

PO = "locales/es.po"
SPANISH = ("--lang", "es", "--audience", "patient", "--paper", "letter")
STOP_NOW = ("msgstr \"\"\n\"Pare la cinta y agárrese de los pasamanos si se siente inestable o "
            "empieza a \"\n\"perder el equilibrio.\"")
CALL = "Llame a su terapeuta antes de volver a intentarlo si se cae o casi se cae."
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def override(topic, msgid: str, msgstr: str) -> None:
    """A template string translated in the topic's own catalog, over the shared one."""
    with topic.path(PO).open("a", encoding="utf-8") as catalog:
        catalog.write(f'\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n')


def build_spanish(runner):
    """The Spanish patient handout; exceptions propagate, so a traceback fails the test."""
    return run_build(runner, "backwards-walking", "--out", "out", *SPANISH)


def refused(result, line: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert line in result.output.splitlines(), result.output
    assert not Path("out").exists()


def problems_of(path: Path, shown: str = "es.po") -> list[str]:
    """What read_catalog says about a file, one `path:line: message (hint)` a line."""
    try:
        pofile.read_catalog(path, shown, path.parent)
    except ContentErrors as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.fixture(params=["with msgfmt", "without msgfmt"])
def gettext_installed(request, monkeypatch):
    """Every parsing rule holds whether or not GNU gettext is installed."""
    if request.param == "without msgfmt":
        monkeypatch.setattr(pofile.shutil, "which", lambda name: None)
    elif shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext is not installed; scripts/install-system-packages installs it")
    return request.param


# -- 1. placeholders in template strings ------------------------------------------------

@pytest.mark.parametrize("translated, finding", [
    ("Página {page.__class__} de {pages}", "has the placeholder {page.__class__}, which is not "
                                           "a plain {name}"),
    ("Página {page.__init__.__globals__[os].environ[HOME]} de {pages}",
     "has the placeholder {page.__init__.__globals__[os].environ[HOME]}, which is not a plain "
     "{name}"),
    ("Página {0} de {pages}", "has the placeholder {0}, which is not a plain {name}"),
    ("Página {page[1]} de {pages}", "has the placeholder {page[1]}, which is not a plain {name}"),
    ("Página {page!r} de {pages}", "has the placeholder {page!r}, which is not a plain {name}"),
    ("Página {page:>10} de {pages}", "has the placeholder {page:>10}, which is not a plain "
                                     "{name}"),
    ("Página {page}", "drops the placeholder {pages}"),
    ("Página {page} de {pages} {user}", "adds the placeholder {user}, which the English does not "
                                        "have"),
    ("Página {page} de {pages", "has a { or } that is not part of a {name} placeholder"),
    ("Página {{page}} de {pages}", "has a { or } that is not part of a {name} placeholder"),
    ("<b>Página</b> {page} de {pages}", "contains HTML markup '<b>Página</b'"),
])
def test_a_template_string_keeps_exactly_its_plain_placeholders(translated, finding):
    found = [what for what, _ in checks.template_string_findings("Page {page} of {pages}",
                                                                 translated)]
    assert finding in found


@pytest.mark.parametrize("translated", ["Página {page} de {pages}", "{pages} 页中的第 {page} 页",
                                        "صفحة {page} من {pages}"])
def test_placeholders_may_move_but_not_change(translated):
    assert checks.template_string_findings("Page {page} of {pages}", translated) == []


def test_a_placeholder_mismatch_stops_the_build_at_the_po_line(runner, topic):
    override(topic, "{label}:", "{label.__init__.__globals__}:")
    line = topic.line_of(PO, "{label.__init__.__globals__}")
    refused(build_spanish(runner),
            f"backwards-walking/locales/es.po:{line}: the es translation of the template string "
            "'{label}:' has the placeholder {label.__init__.__globals__}, which is not a plain "
            "{name} (use exactly the English placeholders ({label}), written as in the English)")


def test_a_trainer_deck_string_with_a_format_field_is_refused_before_rendering(runner, topic):
    """The deck fills strings with str.format: the check must stop them in every audience."""
    override(topic, "Content: {owner} · version {version} · reviewed {date}",
             "Contenido: {owner.__class__.__mro__} · versión {version} · revisado el {date}")
    result = run_build(runner, "backwards-walking", "--out", "out", "--lang", "es",
                       "--audience", "trainer")
    assert result.exit_code == 1, result.output
    assert "has the placeholder {owner.__class__.__mro__}, which is not a plain {name}" in \
        result.output
    assert "object" not in result.output


# -- 1b. citations of every unit, and nothing added to load ----------------------------

def test_a_unit_may_neither_drop_nor_add_a_citation():
    english = "Walking backward helps balance [@cha2016]."
    assert checks.unit_findings(english, "Caminar hacia atrás ayuda [@cha2016].") == []
    assert checks.unit_findings(english, "Caminar hacia atrás ayuda.")[0][0] == \
        "drops the citation [@cha2016]"
    added = checks.unit_findings(english, "Caminar hacia atrás ayuda [@cha2016; @lin2025].")
    assert added[0][0] == "adds the citation [@lin2025], which the English does not have"


def test_an_added_citation_stops_the_build(runner, topic):
    topic.edit(PO, '"perder el equilibrio."', '"perder el equilibrio [@lin2025]."')
    line = topic.line_of(PO, '"Pare la cinta y agárrese') - 1
    refused(build_spanish(runner),
            f"backwards-walking/locales/es.po:{line}: the es translation of unit "
            "'safety.patient-stop-now.p1' adds the citation [@lin2025], which the English does "
            "not have (keep the citations of the English, no more and no fewer)")


@pytest.mark.parametrize("translated, kind", [
    ("![PARE](data:image/png;base64,iVBORw0KGgo=) Pare ya.", "an image"),
    ("![PARE](data:text/html,<b>x</b>) Pare ya.", "an image"),
    ("![PARE](imagenes/pare.png) Pare ya.", "an image"),
    ("[Pare ya](https://example.com).", "a link"),
    ("[Pare ya](javascript:alert(1)).", "a link"),
    ("Pare ya: <https://example.com>.", "a link"),
    ("Pare ya. Más en https://example.com/x.", "a web address"),
    ("Pare ya. Más en www.example.com.", "a web address"),
    ("Pare ya. <img src=x onerror=alert(1)>", "raw HTML"),
    ("<style>*{color:#fff}</style>Pare ya.", "raw HTML"),
])
def test_a_translation_adds_no_image_link_address_or_markup(translated, kind):
    found = [what for what, _ in checks.unit_findings("Stop now.", translated)]
    assert any(what.startswith(f"adds {kind}") for what in found), found


def test_a_link_the_english_has_may_stay():
    english = "See [the guide](https://example.org/guide) and www.example.org."
    assert checks.unit_findings(english, "Vea [la guía](https://example.org/guide) y "
                                         "www.example.org.") == []


def test_a_citation_key_that_looks_like_an_address_is_not_one():
    assert checks.unit_findings("Falls [@doi:10.1/x].", "Caídas [@doi:10.1/x].") == []


# -- 3. safety units: words, sameness, numbers, bold, length -----------------------------

@pytest.mark.parametrize("translated", [
    ".", " . ", "…", "¡!", "**.**", "&nbsp;", "\u00a0", "\u200b", "\u200b\u200b.",
    "\u00ad", "\u200e\u200f", "\u2060\ufeff", "[@thomas2000]", "![](x.png)", "<br>",
])
def test_a_safety_translation_without_letters_is_refused(translated):
    found = checks.safety_findings("Stop the treadmill now.", translated)
    assert found and found[0][0] == ("has no words: only punctuation, spaces or invisible "
                                     "characters")


def test_a_safety_statement_translated_as_a_dot_stops_the_build(runner, topic):
    topic.edit(PO, STOP_NOW, 'msgstr "."')
    line = topic.line_of(PO, 'msgstr "."')
    refused(build_spanish(runner),
            f"backwards-walking/locales/es.po:{line}: the es translation of safety unit "
            "'safety.patient-stop-now.p1' has no words: only punctuation, spaces or invisible "
            "characters (translate the whole statement; safety text is never left blank)")


def test_a_safety_translation_pasted_over_another_stops_the_build(runner, topic):
    topic.edit(PO, STOP_NOW, f'msgstr "{CALL}"')
    lines = [i for i, text in enumerate(topic.path(PO).read_text("utf-8").splitlines(), 1)
             if CALL in text]
    stop, call = lines[0], lines[1] - 1  # the second continues the `msgstr ""` above it
    result = build_spanish(runner)
    refused(result, f"backwards-walking/locales/es.po:{stop}: the es translation of safety unit "
            "'safety.patient-stop-now.p1' is the same text as the translation of safety unit "
            f"'safety.patient-call-therapist.p1' (line {call}) (translate each statement from "
            "its own English; check that the two entries were not pasted twice or swapped)")
    assert (f"es.po:{call}: the es translation of safety unit 'safety.patient-call-therapist.p1'"
            " is the same text as the translation of safety unit 'safety.patient-stop-now.p1'"
            in result.output)


def test_sameness_ignores_case_spaces_and_invisible_characters():
    assert checks.sameness("Pare  la cinta.") == checks.sameness("pare la\u200b CINTA.")
    assert checks.sameness("Pare la cinta.") != checks.sameness("Pare la cinta ahora.")


@pytest.mark.parametrize("english, translated", [
    ("Walk for 5 minutes, 2 times a day.", "Camine 5 minutos, 2 veces al día."),
    ("Walk for 5 minutes, 2 times a day.", "Camine 2 veces al día, 5 minutos."),
    ("Walk for 5 minutes, 2 times a day.", "امشِ ٥ دقائق، ٢ مرات في اليوم."),
    ("Walk for 5 minutes, 2 times a day.", "روزی ۲ بار، ۵ دقیقه راه بروید."),
    ("Walk for 5 minutes, 2 times a day.", "每天走２次，每次５分钟。"),
    ("Slow to 1.5 km/h.", "Baje a 1,5 km/h."),
    ("Slow to 1.5 km/h.", "خفّف إلى ١٫٥ كم/س."),
    ("No more than 1,500 steps.", "No más de 1.500 pasos."),
    ("No more than 1,500 steps.", "No más de 1500 pasos."),
    ("Falls were reported [@thomas2000].", "Se describieron caídas [@thomas2000]."),
])
def test_numbers_are_compared_as_numbers_in_any_of_the_accepted_digits(english, translated):
    assert checks.safety_findings(english, translated) == []


@pytest.mark.parametrize("english, translated, finding", [
    ("Walk for 5 minutes.", "Camine unos minutos.", "drops the number 5 of the English"),
    ("Walk for 5 minutes.", "Camine 50 minutos.", "has the number 50, which the English does not "
                                                  "have"),
    ("Walk for a few minutes.", "Camine 30 minutos.", "has the number 30, which the English "
                                                      "does not have"),
    ("Slow to 1.5 km/h.", "Baje a 15 km/h.", "drops the number 1.5 of the English"),
    ("Walk 2 times for 5 minutes.", "Camine 2 veces 2 minutos.", "drops the number 5 of the "
                                                                  "English"),
])
def test_a_safety_translation_keeps_every_number(english, translated, finding):
    assert finding in [what for what, _ in checks.safety_findings(english, translated)]


def test_a_dropped_number_stops_the_build(runner, topic):
    topic.edit("backwards-walking.md", "Begin with a few minutes at a slow speed.",
               "Begin with 5 minutes at a slow speed.")
    topic.edit(PO, "Begin with a few minutes at a slow speed.",
               "Begin with 5 minutes at a slow speed.")
    line = topic.line_of(PO, '"**Empiece despacio y poco rato.**') - 1
    refused(build_spanish(runner),
            f"backwards-walking/locales/es.po:{line}: the es translation of safety unit "
            "'safety.patient-start-slow.p1' drops the number 5 of the English (keep every number "
            "of the English, in digits 0-9 (or ٠-٩, ۰-۹))")


@pytest.mark.parametrize("translated, count", [("Use una cinta. Agárrese siempre.", 0),
                                               ("**Use** **una cinta.** Agárrese siempre.", 2)])
def test_a_safety_translation_keeps_the_bold_of_the_english(translated, count):
    found = [w for w, _ in checks.safety_findings("**Use a treadmill.** Hold on always.",
                                                  translated)]
    assert f"has {count} bold span(s) **...** where the English has 1" in found


RAILS_EN = ("**Use a treadmill and hold the rails.** A treadmill is the safest place to\n"
            "walk backward. Keep hold of the safety rails the whole time.")


@pytest.mark.parametrize("translated, verdict", [
    ("**Use una cinta de caminar y agárrese de los pasamanos.** La cinta es el lugar más seguro "
     "para caminar hacia atrás. No suelte los pasamanos en ningún momento.", "ok"),
    ("**Use una cinta de caminar y agárrese de los pasamanos.**", "short"),
    ("**Use una cinta de caminar y agárrese de los pasamanos.** La cinta es el lugar más seguro "
     "para caminar hacia atrás. No suelte los pasamanos en ningún momento. Si se cansa, suelte "
     "los pasamanos y siga caminando hacia atrás sin la cinta, a paso rápido, durante todo el "
     "tiempo que quiera.", "long"),
    ("**使用跑步机，并握住扶手。** 跑步机是倒走最安全的地方。全程都要握住安全扶手。", "ok"),
    ("**使用跑步机。**", "short"),
    ("**استخدم جهاز المشي وأمسك بالمقابض.** جهاز المشي هو أكثر مكان آمن للمشي إلى الخلف. أمسك "
     "بمقابض الأمان طوال الوقت.", "ok"),
    ("**استخدم جهاز المشي.**", "short"),
])
def test_length_is_bounded_per_script(translated, verdict):
    found = [w for w, _ in checks.safety_findings(RAILS_EN, translated) if "times as long" in w]
    assert (verdict == "ok") == (found == []), found


def test_a_short_statement_is_not_refused_for_its_ratio():
    assert checks.safety_findings("Stop now.", "Deténgase inmediatamente.") == []
    assert checks.safety_findings("Stop now.", "Pare.") == []
    too_long = checks.safety_findings("Stop now.", "Pare ahora mismo y no vuelva a caminar "
                                                   "hacia atrás hasta hablar con su terapeuta.")
    assert "times as long as the English" in too_long[0][0]


def test_length_bounds_hold_the_shipped_catalogs_with_margin():
    """The figures in checks.LENGTH_BOUNDS' comment, measured again."""
    measured = {}
    for language in ("es", "ar", "zh-Hans"):
        catalog = polib.pofile(str(BUNDLED / "locales" / f"{language}.po"))
        ratios = sorted(round(checks.length_ratio(e.msgid, e.msgstr), 3) for e in catalog
                        if not e.obsolete and "SAFETY TEXT" in e.comment)
        measured[language] = (ratios[0], ratios[-1], len(ratios))
        low, high = checks.LENGTH_BOUNDS[checks.script_family(catalog[-1].msgstr)]
        assert low <= ratios[0] * 0.65 and ratios[-1] * 1.25 <= high, (language, ratios)
        assert ratios[0] * 0.5 < low and ratios[-1] * 2 > high, "a cut or a doubling passes"
    assert measured == {"es": (1.016, 1.367, 13), "ar": (0.8, 1.0, 6),
                        "zh-Hans": (0.308, 0.436, 6)}


def test_scripts_are_told_apart():
    assert checks.script_family("Pare la cinta") == "Latin and other alphabets"
    assert checks.script_family("Остановите дорожку") == "Latin and other alphabets"
    assert checks.script_family("أوقِف جهاز المشي") == "Arabic or Hebrew script"
    assert checks.script_family("עצור את ההליכון") == "Arabic or Hebrew script"
    assert checks.script_family("请停下跑步机 BWS") == "Chinese characters"
    assert checks.script_family("トレッドミルを止めてください") == "Japanese kana or Korean Hangul"
    assert checks.script_family("러닝머신을 멈추세요") == "Japanese kana or Korean Hangul"


def test_the_shipped_catalogs_pass_every_check(tmp_path):
    """No false alarm: every audience in every shipped language translates cleanly."""
    shutil.copytree(BUNDLED, tmp_path / "backwards-walking")
    document = load_document(tmp_path / "backwards-walking").document
    for audience, settings in document.topic.audiences.items():
        for language in settings.languages:
            if language != document.topic.language:
                result = translate(document, audience, language, default_templates(), False)
                assert result is not None and result.problems == [], (audience, language)


# -- 2 and 4. strict parsing, messages instead of tracebacks ----------------------------

def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "es.po"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize("body, expected", [
    ('msgid "a"\nmsgstr "b\n', 'es.po:6: PO syntax error: a string without its closing quote'),
    ('msgid "a"\nmsgstr "b"c"\n', "es.po:6: PO syntax error: text after the closing quote: 'c\"'"),
    ('msgid "a"\nmsgstr "b" "c"\n', "es.po:6: PO syntax error: text after the closing quote: "
                                    "' \"c\"'"),
    ('msgid "a"\nmsgstr "b\\x41"\n', "es.po:6: PO syntax error: unknown escape \\x at column 10"),
    ('msgid "a"\nmsgstr "b\x00"\n', "es.po:6: PO syntax error: control character U+0000 at "
                                     "column 10"),
    ('msgid "a"\nmsgstr "b\u2028c"\n', "es.po:6: PO syntax error: control character U+2028 at "
                                        "column 10"),
    ('msgid "a"\nmsgstr "b\rc"\n', "es.po:6: PO syntax error: control character U+000D at "
                                    "column 10"),
    ('msgid "a"\n', 'es.po:5: PO syntax error: an entry without msgstr'),
    ('msgctxt "x"\nmsgstr "b"\n', 'es.po:6: PO syntax error: msgstr where msgid was expected'),
    ('msgid "a"\n#. note\nmsgstr "b"\n', 'es.po:6: PO syntax error: a comment inside an entry, '
                                        'before its msgstr'),
    ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 'es.po:7: PO syntax error: msgstr where a new entry '
                                            '(msgctxt or msgid) was expected'),
    ('# note\n"a"\nmsgid "a"\nmsgstr "b"\n', 'es.po:6: PO syntax error: a "..." line that '
                                             'continues no msgctxt, msgid or msgstr'),
    ('#,fuzzy\nmsgid "a"\nmsgstr "b"\n', "es.po:5: PO syntax error: unknown comment '#,fuzzy'"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n',
     "es.po:6: PO syntax error: unknown keyword 'msgid_plural'"),
    ('msgid "a"\nmsgstr b\n', 'es.po:6: PO syntax error: the text after msgstr is not in double '
                              'quotes'),
    ('msgid "a"\nmsgstr\n', 'es.po:6: PO syntax error: msgstr without a "..." string'),
    ('#~ msgid "a"\nmsgstr "b"\n', 'es.po:6: PO syntax error: an entry mixes obsolete (#~) and '
                                   'current lines'),
    ('msgid "a\\n"\nmsgstr "b"\n', 'es.po:6: the msgid and msgstr do not both end with a line '
                                   'break (\\n)'),
    ('#: C:\\\nmsgid "a"\nmsgstr "b"\n', 'es.po:5: PO syntax error: the line ends with a '
                                         'backslash, which joins the next line to it'),
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "es.po:8: a second entry for msgid 'a' "
                                                         "(the first is at line 5)"),
    ('msgctxt "u"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "u"\nmsgid "z"\nmsgstr "c"\n',
     "es.po:9: a second entry for msgctxt 'u' (the first is at line 5)"),
    ('msgctxt "u"\nmsgid "a"\nmsgstr "b"\n\n#~ msgctxt "u"\n#~ msgid "a"\n#~ msgstr "c"\n',
     "es.po:9: a second entry for msgctxt 'u' (the first is at line 5)"),
])
def test_what_msgfmt_refuses_is_refused_at_its_line(tmp_path, gettext_installed, body,
                                                    expected):
    found = problems_of(write(tmp_path, HEADER + body))
    assert any(p.startswith(expected) for p in found), found


@pytest.mark.parametrize("body", [
    'msgid "a"\nmsgstr "b"\n',
    '# translator comment\n#. extracted\n#: file.md:3\n#, fuzzy\n#| msgid "old"\nmsgid "a"\n'
    'msgstr "b"\n',
    'msgctxt "u"\nmsgid ""\n"one\\n"\n"two"\nmsgstr ""\n"uno\\n"\n"dos \\"tres\\" \\\\ \\t"\n',
    '#~ msgctxt "gone"\n#~ msgid "a"\n#~ msgstr "b"\n',
    'msgid "a"\r\nmsgstr "b"\r\n',
    '  msgid   "a"  \n\tmsgstr "b"\t\n',
])
def test_well_formed_catalogs_are_read(tmp_path, gettext_installed, body):
    assert problems_of(write(tmp_path, HEADER + body)) == []


def test_the_catalog_is_read_exactly_as_written(tmp_path):
    body = ('msgctxt "u"\nmsgid ""\n"one\\n"\n"two"\nmsgstr ""\n"uno\\n"\n'
            '"dos \\"tres\\" \\\\ \\t"\n')
    catalog = pofile.read_catalog(write(tmp_path, HEADER + body), "es.po")
    entry = catalog.po[0]
    assert (entry.msgctxt, entry.msgid, entry.msgstr) == ("u", "one\ntwo",
                                                          'uno\ndos "tres" \\ \t')
    assert catalog.lines[("u", None)] == pofile.EntryLines(start=5, key=5, msgstr=9)


@pytest.mark.parametrize("data, expected", [
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\n'
     b'msgstr "caf\xe9"\n', "es.po:6: the catalog is not UTF-8 (byte 0xe9 at column 12)"),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\nmsgid "a"\n'
     b'msgstr "caf\xe9"\n', "es.po:3: the catalog's header declares charset=ISO-8859-1; "
                            "handouts reads UTF-8 catalogs only"),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=windows-1252\\n"\n',
     "es.po:3: the catalog's header declares charset=windows-1252"),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=CHARSET\\n"\n',
     "es.po:3: the catalog's header declares charset=CHARSET"),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain\\n"\n',
     "es.po:3: the catalog's header declares no charset"),
    (b'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n',
     "es.po:2: the catalog's header declares no charset"),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
     b'"Plural-Forms: nplurals=x\\n"\n', "es.po:4: the header's Plural-Forms line is not valid: "
                                        "'nplurals=x'"),
    (b'msgid "a"\nmsgstr "b"\n', "es.po:1: the catalog has no header"),
    (b"", "es.po:1: the catalog has no header"),
    (b"\xef\xbb\xbf" + HEADER.encode(), "es.po:1: the catalog starts with a byte-order mark"),
    ("\ufeff".encode("utf-16") + HEADER.encode("utf-16-le"),
     "es.po:1: the catalog is saved as UTF-16 or UTF-32"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "es.po:1: the catalog is not UTF-8 (byte 0x89 at column 1)"),
])
def test_encodings_and_headers_are_refused_with_what_to_do(tmp_path, gettext_installed, data,
                                                           expected):
    found = problems_of(write(tmp_path, data))
    assert len(found) == 1 and found[0].startswith(expected), found
    if "charset" in expected or "UTF" in expected:
        assert "save it as UTF-8" in found[0]


def test_utf8_header_spellings_are_accepted(tmp_path):
    for spelling in ("UTF-8", "utf-8", "utf8", "UTF8"):
        text = HEADER.replace("UTF-8", spelling) + 'msgid "a"\nmsgstr "é"\n'
        assert problems_of(write(tmp_path, text)) == [], spelling


def test_a_catalog_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    path = write(tmp_path, HEADER + 'msgid "a"\nmsgstr "b"\n')
    monkeypatch.setattr(pofile, "MAX_CATALOG_BYTES", 10)
    monkeypatch.setattr(pofile.os, "read", lambda *a: pytest.fail("read a file over the limit"))
    assert problems_of(path) == ["es.po: the catalog is 0.0 MB, over the 0 MB limit of a "
                                 "catalog (a catalog of the largest topic handouts accepts is "
                                 "smaller; check that this is the translator's file)"]


def test_the_size_limit_holds_the_catalog_of_the_largest_topic():
    """A catalog is ~6 times its English (see pofile.MAX_CATALOG_BYTES); the loader's limit."""
    from handouts.load.files import MAX_BYTES
    for language in ("es", "ar", "zh-Hans"):
        path = BUNDLED / "locales" / f"{language}.po"
        english = sum(len(e.msgid.encode()) for e in polib.pofile(str(path)))
        assert path.stat().st_size / english < 6
    assert pofile.MAX_CATALOG_BYTES >= 6 * MAX_BYTES


def test_an_unreadable_catalog_is_a_message(tmp_path, monkeypatch):
    path = write(tmp_path, HEADER)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pofile.os, "open", denied)
    assert problems_of(path) == ["es.po: cannot read the catalog: Permission denied (check that "
                                 "the file exists and is readable)"]


def test_polib_complaints_become_messages_at_their_line(tmp_path, monkeypatch):
    def lenient(*args, **kwargs):
        raise OSError("Syntax error in po file (line 7): unescaped double quote found")

    monkeypatch.setattr(pofile.polib, "pofile", lenient)
    found = problems_of(write(tmp_path, HEADER + 'msgid "a"\nmsgstr "b"\n'))
    assert found == ["es.po:7: PO syntax error: Syntax error in po file (line 7): unescaped double "
                     "quote found (check the file with: msgfmt --check FILE)"]


def test_msgfmt_output_becomes_problems():
    output = ("<stdin>:2: warning: header field 'Language' missing in header\n"
              "<stdin>:14: a format specification for argument 'b' doesn't exist in 'msgstr'\n"
              "<stdin>:18: duplicate message definition...\n"
              "<stdin>:15: ...this is the location of the first definition\n"
              "msgfmt: found 2 fatal errors\n")
    assert [str(p) for p in pofile.msgfmt_output_problems(output, "es.po")] == [
        "es.po:14: msgfmt: a format specification for argument 'b' doesn't exist in 'msgstr' "
        "(fix the line, then check the file with: msgfmt --check FILE)",
        "es.po:18: msgfmt: duplicate message definition (fix the line, then check the file "
        "with: msgfmt --check FILE)"]
    assert [p.location.line for p in pofile.msgfmt_output_problems("msgfmt: boom\n", "es.po")] \
        == [0]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_msgfmt_is_a_second_opinion(tmp_path):
    """A python-format entry whose translation lacks a field: only msgfmt knows that rule."""
    path = write(tmp_path, HEADER + '#, python-format\nmsgid "a %(b)s"\nmsgstr "c %(d)s"\n')
    assert problems_of(path) == ["es.po:7: msgfmt: a format specification for argument 'b' "
                                 "doesn't exist in 'msgstr' (fix the line, then check the file "
                                 "with: msgfmt --check FILE)"]


def test_a_broken_catalog_is_reported_alone(runner, topic):
    """Only the file's flaw is printed, not every unit it left untranslated."""
    topic.edit(PO, 'msgstr "Fecha de inicio"', 'msgstr "Fecha de inicio')
    line = topic.line_of(PO, 'msgstr "Fecha de inicio')
    result = build_spanish(runner)
    refused(result, f"backwards-walking/locales/es.po:{line}: PO syntax error: a string without "
                    "its closing quote (end the line with \" (write \\\" for a quote mark inside "
                    "the text))")
    assert "1 problem(s) found" in result.output


@pytest.mark.parametrize("mutation, expected", [
    ("byte", "backwards-walking/locales/es.po:{line}: the catalog is not UTF-8 (byte 0xe9 at "
             "column 23)"),
    ("charset", "backwards-walking/locales/es.po:25: the catalog's header declares "
                "charset=ISO-8859-1; handouts reads UTF-8 catalogs only"),
    ("syntax", "backwards-walking/locales/es.po:{line}: PO syntax error: unknown keyword "
               "'msgtsr'"),
    ("unreadable", "backwards-walking/locales/es.po: cannot read the catalog: Permission denied"),
])
def test_flawed_catalogs_are_messages_not_tracebacks(runner, topic, monkeypatch, mutation,
                                                     expected):
    path = topic.path(PO)
    line = topic.line_of(PO, 'msgstr "Fecha de inicio"')
    if mutation == "byte":
        path.write_bytes(path.read_bytes().replace(b'msgstr "Fecha de inicio"',
                                                   b'msgstr "Fecha de inici\xe9"'))
    elif mutation == "charset":
        topic.edit(PO, "charset=UTF-8", "charset=ISO-8859-1")
    elif mutation == "syntax":
        topic.edit(PO, 'msgstr "Fecha de inicio"', 'msgtsr "Fecha de inicio"')
    else:
        real_open = os.open

        def guarded(file, *args, **kwargs):
            if str(file).endswith("es.po"):
                raise PermissionError(13, "Permission denied")
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(pofile.os, "open", guarded)
    result = build_spanish(runner)  # catch_exceptions=False: a traceback fails here
    assert result.exit_code == 1
    assert expected.format(line=line) in result.output, result.output


def test_i18n_update_and_status_refuse_a_flawed_catalog_without_touching_it(runner, topic):
    topic.edit(PO, 'msgstr "Fecha de inicio"', 'msgstr "Fecha de inicio')
    before = topic.path(PO).read_bytes()
    for command in (["update", "backwards-walking", "--lang", "es"],
                    ["status", "backwards-walking"]):
        result = runner.invoke(cli, ["i18n", *command], catch_exceptions=False)
        assert result.exit_code == 1, result.output
        assert "backwards-walking/locales/es.po:" in result.output
        assert "PO syntax error: a string without its closing quote" in result.output
    assert topic.path(PO).read_bytes() == before


@pytest.mark.parametrize("tag", ["../../x", "../locales/es", "es/..", "", ".", "es.po"])
def test_a_language_that_is_not_a_tag_never_names_a_file(topic, tag):
    with pytest.raises(ContentErrors) as caught:
        load_translation(topic.folder, tag, "backwards-walking")
    assert "is not a language tag" in str(caught.value)


def test_a_catalog_linked_from_outside_the_topic_is_refused(topic, tmp_path):
    outside = tmp_path / "elsewhere.po"
    shutil.copy(topic.path(PO), outside)
    topic.path(PO).unlink()
    topic.path(PO).symlink_to(outside)
    with pytest.raises(ContentErrors) as caught:
        load_translation(topic.folder, "es", "backwards-walking")
    assert str(caught.value.problems[0]) == (
        "backwards-walking/locales/es.po: the catalog is a link to a file outside the topic's "
        "locales folder (copy the translator's file into the locales folder instead of linking "
        "to it)")


def test_status_passes_over_a_file_that_no_build_reads(runner, topic):
    shutil.copy(topic.path(PO), topic.path("locales/es.backup.po"))
    topic.path("locales/es.backup.po").write_text("not a catalog", "utf-8")
    result = runner.invoke(cli, ["i18n", "status", "backwards-walking"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "es.backup" not in result.output


def test_what_the_checks_cannot_see():
    """Meaning is not structure: these pass every check, which is why review is required
    (README, "Translations"). If a check learns to catch one, move it to the tests above."""
    stop_en = ("Stop the treadmill and hold the rails if you feel unsteady or start to lose\n"
               "your balance.")
    call_en = "Call your therapist before you try again if you fall or almost fall."
    stop_es = ("Pare la cinta y agárrese de los pasamanos si se siente inestable o empieza a "
               "perder el equilibrio.")
    inverted = ("Siga con la cinta y suelte los pasamanos si se siente inestable o empieza a "
                "perder el equilibrio.")
    assert checks.safety_findings(stop_en, inverted) == []  # an inverted instruction
    assert checks.safety_findings(call_en, stop_es) == []  # a swap of two plain statements
    assert checks.safety_findings(stop_en, stop_es.replace("cinta", "andadera")) == []  # a wrong
    # but plausible term: a walking frame for a treadmill
