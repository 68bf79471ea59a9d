"""Safety text with hyphenated words reads back on every paper, print size and language.

A line may break at a word's own hyphen ("non-" / "slip"); the read-back must
still find the statement (issue 13, item 4). A copy of the bundled topic gets
one more required safety statement full of hyphenated words, in English and in
its Spanish translation; each language is built once, on both papers in both
print sizes, and every output is read back: by the build's own checks (the
build fails if the statement is not found) and here, independently, with pypdf.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from conftest import TopicCopy, run_build
from readback import pdf_text, squeezed

STATEMENT_ID = "patient-hyphenated"
ENGLISH = ("**Use the non-slip mat and the low-speed setting.** Follow the step-by-step "
           "guide, and ask for a hands-on check of your set-up from a well-trained helper. "
           "A check-in after each one-to-one session keeps the follow-up plan up-to-date. "
           "Keep the floor well-lit and clutter-free, and wear non-slip, close-fitting, "
           "low-heeled shoes for every short-term or long-term programme.")
SPANISH = ("**Use la alfombra antideslizante y la velocidad más baja.** Siga la guía "
           "teórico-práctica paso a paso y pida a una persona bien preparada una revisión "
           "físico-deportiva de su equipo. Una charla médico-paciente después de cada sesión "
           "mantiene al día el plan teórico-práctico. Elija un horario mañana-tarde fijo, un "
           "enfoque cuerpo-mente tranquilo y un calzado con buena relación calidad-precio para "
           "el programa físico-deportivo.")
HYPHENATED = {"en": ["non-slip", "low-speed", "step-by-step", "hands-on", "set-up",
                     "well-trained", "check-in", "one-to-one", "follow-up", "up-to-date",
                     "well-lit", "clutter-free", "close-fitting", "low-heeled", "short-term",
                     "long-term"],
              "es": ["teórico-práctica", "físico-deportiva", "médico-paciente",
                     "teórico-práctico", "mañana-tarde", "cuerpo-mente", "calidad-precio",
                     "físico-deportivo"]}
# PDFium hands a hyphen that ends a line to the read-back as U+0002 ("one-to\x02one");
# the matrix below is what found it (verify/results.py HYPHENS now drops it).
PAPERS = {"letter": "", "a4": "-a4"}
SIZES = {"standard": "", "large": "-large"}


def plain(markdown: str) -> str:
    return markdown.replace("**", "")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The copy, built once per language: patient handouts on both papers, both sizes.

    A build that fails writes nothing; its message names each output and check that
    failed, so each output of the matrix is judged on its own.
    """
    root = tmp_path_factory.mktemp("hyphenated")
    topic = TopicCopy(root)
    topic.edit("backwards-walking.md", '::: {.safety #patient-support audience="patient"}',
               f'::: {{.safety #{STATEMENT_ID} audience="patient"}}\n{ENGLISH}\n:::\n\n'
               '::: {.safety #patient-support audience="patient"}')
    topic.edit("topic.yaml", "      - patient-start-slow\n",
               f"      - patient-start-slow\n      - {STATEMENT_ID}\n")
    _add_translation(topic.path("locales/es.po"))
    out = root / "out"
    runner = CliRunner()
    return out / "backwards-walking", {
        language: run_build(runner, str(topic.folder), "--out", str(out / language),
                            "--audience", "patient", "--lang", language)
        for language in ("en", "es")}


def _add_translation(catalog) -> None:
    """The Spanish entry of the new statement, before the first safety entry."""
    lines = catalog.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines)
              if line.startswith('msgctxt "safety.patient-start-slow.p1"'))
    while lines[at - 1].startswith("#"):
        at -= 1
    entry = ("#. audience: patient\n"
             "#. SAFETY TEXT: translate every instruction exactly.\n"
             f'msgctxt "safety.{STATEMENT_ID}.p1"\n'
             f'msgid "{ENGLISH}"\n'
             f'msgstr "{SPANISH}"\n\n')
    catalog.write_text("".join(lines[:at]) + entry + "".join(lines[at:]), encoding="utf-8")


def output(builds, language: str, paper: str, size: str):
    folder, _ = builds
    name = f"backwards-walking-patient{SIZES[size]}{PAPERS[paper]}.pdf"
    return (folder.parent / language / "backwards-walking" / language / name,
            f"backwards-walking/{language}/{name}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_hyphenated_safety_statement_reads_back(builds, language, paper, size):
    path, relpath = output(builds, language, paper, size)
    result = builds[1][language]
    failed = [line for line in result.output.splitlines() if line.startswith(relpath + ":")]
    assert not failed, "\n".join(failed)  # the build's own read-back found it
    assert result.exit_code == 0, result.output
    text = pdf_text(path)
    statement = plain(ENGLISH if language == "en" else SPANISH)
    assert squeezed(statement) in squeezed(text)  # and so does pypdf
    for word in HYPHENATED[language]:  # each word keeps its own hyphen
        assert word in statement and squeezed(word) in squeezed(text)


def test_some_line_breaks_at_a_words_own_hyphen(builds):
    """The matrix is only a test if, in each language, some output breaks a line inside a
    hyphenated word (each statement starts a line of its own, so where its lines break
    depends on its words, the font and the paper only: today English breaks at a word's
    hyphen on Letter, A4 and large-print A4, Spanish on large-print Letter)."""
    breaks = []
    for language, words in HYPHENATED.items():
        assert builds[1][language].exit_code == 0, builds[1][language].output
        for paper in PAPERS:
            for size in SIZES:
                text = pdf_text(output(builds, language, paper, size)[0])
                for word in words:
                    for hyphen in [m.start() for m in re.finditer("-", word)]:
                        head, tail = word[:hyphen + 1], word[hyphen + 1:]
                        if re.search(re.escape(head) + r"\s*\n\s*" + re.escape(tail), text):
                            breaks.append((language, paper, size, word))
    broken = {language for language, *_ in breaks}
    assert broken == set(HYPHENATED), "no output broke a line at a hyphen: lengthen it"
