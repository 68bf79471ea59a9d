"""The closed sets of names the content format uses (kept apart so the CLI loads fast)."""

AUDIENCES = ("patient", "clinician", "trainer")
PAPERS = ("letter", "a4")
RTL_LANGUAGES = ("ar", "he", "fa", "ur")
