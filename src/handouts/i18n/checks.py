"""What a translation must keep of its English, checked without understanding either.

Each check compares one msgstr with its msgid and returns findings, each a
(what is wrong, what to do) pair; translate.py turns them into Problems at the
entry's line in the .po file. They are structural: they catch a statement
blanked, cut, padded, pasted twice, or carrying a number, citation, link or
markup the English does not have. They cannot tell an instruction inverted or
softened in words (see README, "Translations"): that is the medical
translator's review, recorded in the catalog's X-Reviewed-By header.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal

from ..model.inline import CITATION_GROUP, citation_keys, inline_tokens, plain_text

Finding = tuple[str, str]

# -- template strings ("Page {page} of {pages}") ------------------------------------

FIELD = re.compile(r"\{([^{}]*)\}")
PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def placeholders(text: str) -> tuple[list[str], list[str], bool]:
    """(plain {name} fields, every other {...} field, whether a brace stands alone)."""
    fields = FIELD.findall(text)
    plain = [f for f in fields if PLAIN_NAME.fullmatch(f)]
    other = [f for f in fields if not PLAIN_NAME.fullmatch(f)]
    stray = bool(re.search(r"[{}]", FIELD.sub("", text)))
    return plain, other, stray


def template_string_findings(msgid: str, msgstr: str) -> list[Finding]:
    """A template string's translation keeps exactly the English {name} placeholders.

    The renderers fill plain names only; anything else ({label.__class__},
    {0}, {x[1]}, {x!r}, {x:>10}) would reach into objects through str.format
    or print as written, so it is refused here, before any renderer sees it.
    """
    wanted = set(placeholders(msgid)[0])
    plain, other, stray = placeholders(msgstr)
    listed = ", ".join(f"{{{name}}}" for name in sorted(wanted)) or "none"
    keep = f"use exactly the English placeholders ({listed}), written as in the English"
    findings = [(f"has the placeholder {{{field}}}, which is not a plain {{name}}", keep)
                for field in other]
    if stray:
        findings.append(("has a { or } that is not part of a {name} placeholder", keep))
    for name in sorted(wanted - set(plain)):
        findings.append((f"drops the placeholder {{{name}}}", keep))
    for name in sorted(set(plain) - wanted):
        findings.append((f"adds the placeholder {{{name}}}, which the English does not have",
                         keep))
    markup = MARKUP.search(msgstr)
    if markup and not MARKUP.search(msgid):
        findings.append((f"contains HTML markup {msgstr[markup.start():markup.start() + 12]!r}",
                         "a translation is plain text: remove the markup"))
    return findings


# -- every content unit -----------------------------------------------------------

URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|(?:data|javascript|vbscript|mailto|file|tel):"
                 r"|www\.)\S*")


def embedded(text: str) -> dict[str, Counter]:
    """Images, links, web addresses and raw HTML in a unit, as written."""
    found: dict[str, Counter] = {"image": Counter(), "link": Counter(), "URL": Counter(),
                                 "HTML": Counter()}
    inline_links = 0
    for token in inline_tokens(text):
        if token.type == "image":
            found["image"][str(token.attrGet("src"))] += 1
        elif token.type == "link_open":
            found["link"][str(token.attrGet("href"))] += 1
            inline_links += token.markup != "autolink"
        elif token.type == "html_inline":
            found["HTML"][token.content] += 1
    raw = CITATION_GROUP.sub("", text)  # citation keys such as doi:10.1/x are not addresses
    # Markdown the parser did not take (a data: or javascript: target, a broken
    # bracket) is still an attempt at an image or a link.
    images = sum(found["image"].values())
    found["image"]["!["] += max(0, raw.count("![") - images)
    found["link"]["]("] += max(0, raw.count("](") - images - inline_links)
    targets = set(found["image"]) | set(found["link"])
    found["URL"].update(url for url in (u.rstrip(").,;:!?'\"»]") for u in URL.findall(raw))
                        if url not in targets)
    return {kind: +counts for kind, counts in found.items()}


def unit_findings(english: str, translated: str) -> list[Finding]:
    """What every translated unit must keep: its citations; and it adds nothing to load."""
    findings: list[Finding] = []
    theirs, ours = set(citation_keys(english)), set(citation_keys(translated))
    if theirs - ours:
        findings.append(("drops the citation " + ", ".join(f"[@{k}]" for k in sorted(
            theirs - ours)), "keep every [@key] of the English"))
    if ours - theirs:
        findings.append(("adds the citation " + ", ".join(f"[@{k}]" for k in sorted(
            ours - theirs)) + ", which the English does not have",
            "keep the citations of the English, no more and no fewer"))
    before, after = embedded(english), embedded(translated)
    what = {"image": "an image (![...](...))", "link": "a link ([text](...))",
            "URL": "a web address", "HTML": "raw HTML"}
    for kind, counts in after.items():
        added = counts - before.get(kind, Counter())
        if added:
            example = next(iter(added))
            findings.append((f"adds {what[kind]} that the English does not have: "
                             f"{_short(example)!r}",
                             "a translation carries no images, links, addresses or markup "
                             "of its own: remove it"))
    return findings


# -- safety units -----------------------------------------------------------------

# Digits as numbers: 0-9, Arabic-Indic, Eastern Arabic-Indic (Persian, Urdu) and the
# full-width digits of CJK typesetting; a number's groups are joined by . , or the
# Arabic decimal and thousands separators.
DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9\uff10-\uff19"
NUMBER = re.compile(rf"[{DIGIT}]+(?:[.,\u066b\u066c][{DIGIT}]+)*")

# Length of a translated safety unit against its English, counted in letters and
# digits of the text a reader sees (no markup, spaces, punctuation or citations).
# Measured on every safety unit of the shipped catalogs (the test
# test_length_bounds_hold_the_shipped_catalogs_with_margin recomputes them):
#   es      13 units  1.016 1.019 1.055 1.111 1.144 1.186 1.192 1.240 1.245 1.314 1.318
#                      1.330 1.367
#   ar       6 units  0.800 0.802 0.819 0.846 0.923 1.000
#   zh-Hans  6 units  0.308 0.361 0.382 0.385 0.413 0.436
# (all units, safety or not, short titles included: es 0.90-2.31, ar 0.59-1.13,
# zh-Hans 0.16-0.50: short strings vary most, which is why the bounds are for
# safety statements, which are sentences of 55 to 240 letters.)
# Spanish runs 15-40 % longer than English; Arabic is shorter because short vowels
# are not written; one Han character carries what about 2.5 English letters do.
# The bounds are per kind of script, not per language, so that a new catalog
# (French, Persian, Japanese...) is checked on its first build. Each lower bound is
# about 0.6 times the lowest measured ratio of its script; each upper bound about
# 1.3-1.4 times the highest, so that every shipped statement doubled (an added
# sentence as long as itself) falls outside, and one cut to under 40 % of itself
# does too. German or French run up to ~1.5 beside English, within 1.8. Japanese
# (kana) and Korean (Hangul) are not shipped: their bound is an estimate from
# sample sentences (0.4-0.6) and should be measured when a catalog arrives.
LENGTH_BOUNDS = {
    "Latin and other alphabets": (0.6, 1.8),
    "Arabic or Hebrew script": (0.5, 1.4),
    "Chinese characters": (0.2, 0.6),
    "Japanese kana or Korean Hangul": (0.25, 0.9),
}
SHORT_ENGLISH = 20  # letters; a shorter statement's ratio is noise: only the upper bound
                    # applies, taken on 20 letters


def script_family(text: str) -> str:
    """The kind of script most of `text`'s letters are in, for the length bound."""
    kinds: Counter = Counter()
    for char in text:
        if unicodedata.category(char).startswith("L"):
            name = unicodedata.name(char, "")
            if name.startswith(("HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "HANGUL")):
                kinds["kana"] += 1
            elif name.startswith(("CJK", "IDEOGRAPHIC")):
                kinds["han"] += 1
            elif name.startswith(("ARABIC", "HEBREW", "SYRIAC", "THAANA")):
                kinds["Arabic or Hebrew script"] += 1
            else:
                kinds["Latin and other alphabets"] += 1
    kana, han = kinds.pop("kana", 0), kinds.pop("han", 0)
    family, count = kinds.most_common(1)[0] if kinds else ("Latin and other alphabets", 0)
    if kana + han > count:
        return ("Japanese kana or Korean Hangul" if kana * 5 >= kana + han else
                "Chinese characters")
    return family


def letters(text: str) -> int:
    """Letters and digits a reader sees (no markup, spaces, punctuation or invisibles)."""
    return sum(1 for c in plain_text(text) if unicodedata.category(c)[0] in "LN")


def length_ratio(english: str, translated: str) -> float:
    return letters(translated) / max(1, letters(english))


def numbers(text: str) -> list[frozenset[str]]:
    """Each number of the text a reader sees, as the values it can stand for.

    "1,5" is 1.5 (a decimal comma); "1,500" and "1.500" are 1500 or 1.5 (thousands
    written either way); "٣" is 3. A number in a citation key is not counted.
    """
    return [_values(m.group(0)) for m in NUMBER.finditer(plain_text(text))]


def _values(written: str) -> frozenset[str]:
    digits = "".join(str(unicodedata.decimal(c)) if c.isdigit() else "." for c in written)
    groups = digits.split(".")
    values = set()
    if len(groups) == 1:
        values.add(groups[0])
    else:
        if all(len(g) == 3 for g in groups[1:]):  # every separator a thousands separator
            values.add("".join(groups))
        if all(len(g) == 3 for g in groups[1:-1]):  # the last one a decimal point
            values.add("".join(groups[:-1]) + "." + groups[-1])
    if not values:  # "1.2.3": no number, compared as written
        return frozenset({digits})
    return frozenset(format(Decimal(v).normalize(), "f") for v in values)


def _match_numbers(english: list[frozenset], translated: list[frozenset]) -> tuple[list, list]:
    """(English numbers the translation lacks, translated numbers the English lacks)."""
    partner: dict[int, int] = {}  # translated index -> English index

    def place(i: int, seen: set[int]) -> bool:
        for j, values in enumerate(translated):
            if j not in seen and values & english[i]:
                seen.add(j)
                if j not in partner or place(partner[j], seen):
                    partner[j] = i
                    return True
        return False

    lacking = [english[i] for i in range(len(english)) if not place(i, set())]
    extra = [translated[j] for j in range(len(translated)) if j not in partner]
    return lacking, extra


def _shown(values: frozenset[str]) -> str:
    return " or ".join(sorted(values, key=len))


def safety_findings(english: str, translated: str) -> list[Finding]:
    """What a translated safety statement must keep of its English, beyond every unit's."""
    shown = plain_text(translated)
    if not any(unicodedata.category(c).startswith("L") for c in shown):
        return [("has no words: only punctuation, spaces or invisible characters",
                 "translate the whole statement; safety text is never left blank")]
    findings: list[Finding] = []
    lacking, extra = _match_numbers(numbers(english), numbers(translated))
    digits = "in digits 0-9 (or ٠-٩, ۰-۹)"
    for values in lacking:
        findings.append((f"drops the number {_shown(values)} of the English",
                         f"keep every number of the English, {digits}"))
    for values in extra:
        findings.append((f"has the number {_shown(values)}, which the English does not have",
                         "keep the numbers of the English, no more and no fewer; write a "
                         "number the English spells out in words in words too"))
    bold_en, bold_tr = _bold_spans(english), _bold_spans(translated)
    if bold_en != bold_tr:
        findings.append((f"has {bold_tr} bold span(s) **...** where the English has {bold_en}",
                         "keep the bold of the English: it marks what a reader must see "
                         "first"))
    family = script_family(shown)
    low, high = LENGTH_BOUNDS[family]
    have, english_letters = letters(translated), letters(english)
    if english_letters < SHORT_ENGLISH:
        too_short, too_long = False, have > high * SHORT_ENGLISH
    else:
        ratio = have / english_letters
        too_short, too_long = ratio < low, ratio > high
    if too_short or too_long:
        ratio = have / max(1, english_letters)
        findings.append((f"is {ratio:.2f} times as long as the English ({have} letters for "
                         f"{english_letters}), outside {low}-{high}, the bounds for translations in "
                         f"{family}",
                         "translate every sentence of the statement, adding nothing; check "
                         "that none was cut or pasted in" if too_short else
                         "translate the statement exactly, adding nothing to it"))
    return findings


def _bold_spans(text: str) -> int:
    return sum(1 for t in inline_tokens(text) if t.type == "strong_open")


def sameness(text: str) -> str:
    """A translation as compared with the others: case, spaces and invisibles ignored."""
    return "".join(c for c in unicodedata.normalize("NFKC", plain_text(text)).casefold()
                   if not unicodedata.category(c).startswith(("Z", "C")) and not c.isspace())


def _short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
