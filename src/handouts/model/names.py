"""The closed sets of names the content format uses (kept apart so the CLI loads fast)."""

AUDIENCES = ("patient", "clinician", "trainer")
PAPERS = ("letter", "a4")
RTL_LANGUAGES = ("ar", "he", "fa", "ur")


def is_right_to_left(language: str) -> bool:
    return language.split("-")[0] in RTL_LANGUAGES
