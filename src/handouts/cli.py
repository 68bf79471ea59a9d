"""The `handouts` command line: thin, it parses options and hands off to build.py.

Exit codes: 0 success, 1 content or output error, 2 usage error.
Heavy libraries (WeasyPrint, python-pptx, citeproc) are imported only by
the commands that need them, so `handouts --help` answers at once.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from .assets.locations import default_content, default_output, default_templates
from .model.names import AUDIENCES, PAPERS


def language_tags(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]):
    """--lang values, each a well-formed language tag: it becomes part of file names."""
    from .load.language import is_language_tag, language_problem

    for value in values:
        if not is_language_tag(value):
            raise click.BadParameter(language_problem(value), ctx=ctx, param=param)
    return values


def distinct_topics(topics: tuple[Path, ...]) -> tuple[Path, ...]:
    """The topic folders, each once; two folders with one id would write the same outputs.

    A topic's id is its folder's name (topic.yaml must say the same), so two folders of
    one name are a content error naming both topic.yaml files, before anything is read.
    """
    from .errors import ContentErrors, Location, Problem, display_path

    seen: dict[str, Path] = {}
    kept, problems = [], []
    for folder in topics:
        real = folder.resolve()
        first = seen.get(real.name)
        if first is None:
            seen[real.name] = folder
            kept.append(folder)
        elif first.resolve() != real:
            problems.append(Problem(
                Location(f"{display_path(folder)}/topic.yaml"),
                f"the topic id '{real.name}' is also the id of {display_path(first)}/topic.yaml "
                "in this command; their outputs would overwrite each other",
                "build them one at a time into different --out folders, or rename one topic "
                "folder and its id"))
    if problems:
        raise ContentErrors(problems)
    return tuple(kept)


def discover_topics(content: Path) -> list[Path]:
    """Every folder under content/ that holds a topic.yaml."""
    if not content.is_dir():
        raise click.UsageError(f"no {content}/ folder here; run from the project folder or "
                               "name topic folders, e.g. handouts build content/backwards-walking")
    topics = sorted(p.parent for p in content.glob("*/topic.yaml"))
    if not topics:
        raise click.UsageError(f"no topics under {content}/ (a topic is a folder with a "
                               "topic.yaml)")
    return topics


def listed_languages(topics: tuple[Path, ...], languages: tuple[str, ...],
                     audiences: tuple[str, ...]) -> None:
    """A --lang that no audience of any named topic lists is a usage error naming those
    that are listed. Naming --audience too builds an unlisted language on purpose (a
    coordinator trying a new catalog). A topic.yaml that cannot be read is left to the
    build, which reports its problems in full."""
    if not languages or audiences:
        return
    from .load.topic_yaml import load_topic

    listed: set[str] = set()
    for folder in topics:
        topic, _, problems = load_topic(folder, folder.name)
        if topic is None or problems:
            return
        listed |= {language for settings in topic.audiences.values()
                   for language in settings.languages}
    unknown = [language for language in languages if language not in listed]
    if unknown:
        raise click.UsageError(
            f"no audience is built in {', '.join(repr(u) for u in unknown)}; --lang takes "
            f"one of: {', '.join(sorted(listed))} (add a language to an audience's languages "
            "in topic.yaml, or name the audience with --audience to try a new catalog)")


def report_blocked(blocked: list, what: str) -> None:
    """The translations that could not be used, and exit 1: the rest was built (checked)."""
    from .errors import Problem

    problems = sorted({p for p in blocked if isinstance(p, Problem) and not p.warning})
    if not problems:
        return
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} problem(s) found in translations; {what}", err=True)
    raise SystemExit(1)


# The same option on every command that renders or checks: one definition.
templates_option = click.option(
    "--templates", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
    help="Templates folder (default: the templates that ship with handouts).")


def narrowing_options(verb: str, papers: bool = True):
    """--audience, --lang (and --paper): the same filters on every command that renders or
    checks, in one definition; `verb` starts their help ("Build", "Check", "Preview")."""
    options = [
        click.option("--audience", "audiences", multiple=True, type=click.Choice(AUDIENCES),
                     help=f"{verb} only this audience's outputs; repeatable."),
        click.option("--lang", "languages", multiple=True, metavar="LANG",
                     callback=language_tags,
                     help=f"{verb} only this language, e.g. en; repeatable."),
    ]
    if papers:
        options.append(click.option(
            "--paper", "papers", multiple=True, type=click.Choice(PAPERS),
            help=f"{verb} only this paper size; repeatable (default: the topic's list)."))

    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command
    return apply


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="handouts", prog_name="handouts")
def cli() -> None:
    """Turn one content source per health topic into printable education material.

    \b
    Example:
      handouts build                                # every topic under content/
      handouts build content/backwards-walking --paper a4
    """


@cli.command()
@click.argument("topics", nargs=-1,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output/).")
@narrowing_options("Build")
@templates_option
@click.option("--template", "slide_template",
              type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="An organisation's .pptx/.potx whose layouts the slide deck uses.")
@click.option("--allow-partial", is_flag=True,
              help="Build translations with untranslated (non-safety) text, in English and "
                   "marked DRAFT on every page.")
@click.option("--strict", is_flag=True,
              help="Treat warnings (such as a reference cited nowhere) as errors.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Outputs rendered at once (default: one per processor core).")
@click.option("--force", is_flag=True,
              help="Render every output, even those unchanged since the last build.")
@click.option("--quiet", "-q", is_flag=True,
              help="Print errors only (no progress, readability or list of outputs).")
def build(topics, out, audiences, languages, papers, templates, slide_template,
          allow_partial, strict, jobs, force, quiet) -> None:
    """Build the outputs of TOPICS (topic folders; default: all under content/).

    Nothing is written unless every output rendered and passed its checks.
    A language whose catalog is stale or flawed is left out and reported (exit
    1); the other languages are still built.

    \b
    Examples:
      handouts build
      handouts build content/backwards-walking --audience patient --paper letter
    """
    from .build import BuildRequest, build as run_build
    from .model.dates import source_date_epoch

    started = time.perf_counter()
    source_date_epoch()  # a malformed $SOURCE_DATE_EPOCH stops the build before it starts
    folders = distinct_topics(tuple(topics) or tuple(discover_topics(default_content())))
    listed_languages(folders, languages, audiences)
    request = BuildRequest(
        topics=folders,
        out=out or default_output(), templates=(templates or default_templates()).resolve(),
        audiences=audiences, languages=languages, papers=papers, strict=strict,
        slide_template=slide_template, allow_partial=allow_partial, jobs=jobs or 0,
        force=force, blocked=[])
    progress = build_progress(quiet)
    report = run_build(request, progress)
    if not quiet:
        print_build_report(report, request.out, started, listed=hasattr(progress, "shows_lines"))
    report_blocked(request.blocked, "the outputs of those languages were not built (the "
                   "others were written); fix the catalogs and build again")


def build_progress(quiet: bool):
    """A progress bar on a terminal; elsewhere (CI, a pipe) or with --quiet, none."""
    import sys

    from .progress import Silent, TerminalBar

    return TerminalBar() if not quiet and sys.stderr.isatty() else Silent()


def print_build_report(report, out: Path, started: float, listed: bool = False) -> None:
    """Warnings, readability, one line per output (unless the bar listed them), the total."""
    from .build import output_line

    for warning in sorted(report.warnings):
        click.echo(str(warning), err=True)
    for (topic, audience, language), result in sorted(report.readability.items()):
        summary = result.summary() if hasattr(result, "summary") else ", ".join(
            f"{name} {value:.1f}" for name, value in result.items())
        click.echo(f"{topic} {audience} [{language}] readability: {summary}")
    for output in [] if listed else report.outputs:
        click.echo(output_line(output, out))
    click.echo(f"Rendered {len(report.outputs)} output(s), {len(report.up_to_date)} up to "
               f"date, in {time.perf_counter() - started:.1f} s.")


@cli.command()
@click.argument("topics", nargs=-1,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder to check (default: output/).")
@templates_option
@narrowing_options("Check")
@click.option("--thorough", is_flag=True, default=False,
              help="Also run the slow checks: each PDF's text read a second time by "
                   "poppler's pdftotext, each deck laid out by LibreOffice (no text "
                   "leaving its box or the slide).")
def check(topics, out, templates, audiences, languages, papers, thorough: bool) -> None:
    """Read built outputs back and verify them; exit 1 if any check fails.

    Checks every required safety statement (in full, in the right language),
    citations and DOIs, the language of the text, fonts and glyphs, paper
    size, and that slide text fits.

    \b
    Example:
      handouts check
      handouts check content/backwards-walking --out /media/share/print-run
      handouts check --audience patient --lang es --paper a4

    An output whose catalog is stale or flawed fails as "not checked"; the
    others are still read back.
    """
    from .recheck import recheck

    folders = distinct_topics(tuple(topics) or tuple(discover_topics(default_content())))
    listed_languages(folders, languages, audiences)
    templates = (templates or default_templates()).resolve()
    results = recheck(folders, out or default_output(), templates, audiences, languages, papers,
                      thorough=thorough)
    width = max((len(r.relpath) for r in results), default=10)
    click.echo(f"{'output':{width}}  result  checks")
    for result in results:
        failed = [c for c in result.checks if not c.ok]
        status = "ok" if result.ok else "FAILED"
        click.echo(f"{result.relpath:{width}}  {status:6}  "
                   f"{len(result.checks) - len(failed)}/{len(result.checks)} passed")
        for check_result in failed:
            label = "" if check_result.fatal else " (warning)"
            click.echo(f"    {check_result.name}{label}: {check_result.detail}")
    bad = sum(1 for r in results if not r.ok)
    click.echo(f"{len(results)} output(s) checked, {bad} failed.")
    if bad:
        raise SystemExit(1)


@cli.group()
def i18n() -> None:
    """Translate topics with gettext PO catalogs (Poedit, Weblate, Lokalize...).

    \b
    Example:
      handouts i18n extract content/backwards-walking
      handouts i18n update content/backwards-walking --lang es
      handouts i18n status
    """


@i18n.command()
@click.argument("topic", type=click.Path(exists=True, file_okay=False, path_type=Path))
def extract(topic: Path) -> None:
    """Write TOPIC/locales/<topic>.pot: every text unit and template string.

    \b
    Example:
      handouts i18n extract content/backwards-walking
    """
    from .i18n.catalogs import extract as write_template
    from .load.folder import load_document

    document = load_document(topic).document
    path = write_template(document, default_templates())
    click.echo(f"Wrote {path}")


@i18n.command()
@click.argument("topic", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", "languages", multiple=True, required=True, metavar="LANG",
              callback=language_tags, help="The catalog to update, e.g. es; repeatable.")
def update(topic: Path, languages) -> None:
    """Merge TOPIC's current text into locales/LANG.po.

    Creates the catalog if there is none (no extract needed first). Changed
    English makes its translation fuzzy (the old English is kept for the
    translator), removed text becomes obsolete, new text is added empty; each
    change is listed with its line in the catalog.

    \b
    Example:
      handouts i18n update content/backwards-walking --lang es --lang ar
    """
    from .errors import display_path
    from .i18n.catalogs import extract as write_template, update as merge
    from .load.folder import load_document

    document = load_document(topic).document
    write_template(document, default_templates())
    for language in languages:
        report = merge(document, default_templates(), language)
        click.echo(f"{report.path}: {report.kept} kept, {report.fuzzy} now fuzzy, "
                   f"{report.new} new, {report.obsolete} obsolete")
        shown = display_path(report.path)
        for change in report.added:
            click.echo(f"  new      {shown}:{change.line}: {_label(change)}"
                       f"{_short(change.english)}")
        for change in report.fuzzied:
            click.echo(f"  fuzzy    {shown}:{change.line}: {_label(change)}English was "
                       f"{_short(change.old_english)}; now {_short(change.english)}")
        for change in report.removed:
            click.echo(f"  obsolete {_label(change)}{_short(change.english)}")


@i18n.command("update-templates")
@click.option("--lang", "languages", multiple=True, required=True, metavar="LANG",
              callback=language_tags, help="The catalog to update, e.g. es; repeatable.")
@templates_option
def update_templates(languages, templates) -> None:
    """Merge the templates' words into templates/locales/LANG.po, shared by every topic.

    "Safety", "Page {page} of {pages}" and the other words the templates add
    are translated once per language, in the templates' own catalog; a
    topic's catalog holds its text (and may override a template string for
    that topic alone). Changes are listed as by `update`.

    \b
    Example:
      handouts i18n update-templates --lang es --lang ar
    """
    from .errors import display_path
    from .i18n.template_catalog import extract_shared, update_shared

    folder = (templates or default_templates()).resolve()
    extract_shared(folder)
    for language in languages:
        report = update_shared(folder, language)
        click.echo(f"{display_path(report.path)}: {report.kept} kept, {report.fuzzy} now fuzzy, "
                   f"{report.new} new, {report.obsolete} obsolete")
        shown = display_path(report.path)
        for change in report.added:
            click.echo(f"  new      {shown}:{change.line}: {_short(change.english)}")
        for change in report.fuzzied:
            click.echo(f"  fuzzy    {shown}:{change.line}: English was "
                       f"{_short(change.old_english)}; now {_short(change.english)}")
        for change in report.removed:
            click.echo(f"  obsolete {_short(change.english)}")


def _label(change) -> str:
    """'SAFETY unit-id: ', 'unit-id: ', or 'template string: ' before an update's English."""
    name = "template string" if change.ident == change.english else change.ident
    return f"{'SAFETY ' if change.safety else ''}{name}: "


def _short(text: str, width: int = 70) -> str:
    """One line of English, quoted, shortened to `width` characters."""
    line = " ".join(text.split())
    return repr(line if len(line) <= width else line[:width - 1] + "…")


COLUMNS = """\
Columns: translated = entries with a current translation; fuzzy = translated,
but the English changed since (or the entry is flagged fuzzy): review it;
missing = no translation yet. Safety ok/fuzzy/missing counts the SAFETY TEXT
entries apart: a build of the language needs every one of them. review = the
catalog's sign-off (X-Reviewed-By and X-Reviewed-Date), which no longer holds
once an entry is fuzzy or the catalog changed after that date. Each row counts one audience, so an entry
that two audiences share is counted in both."""


@i18n.command()
@click.argument("topics", nargs=-1,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", "languages", multiple=True, metavar="LANG", callback=language_tags,
              help="Only this language, and list every entry it still needs; repeatable.")
def status(topics, languages) -> None:
    """Show how complete each catalog is, per language and audience.

    Safety units are counted apart: a build needs every one of them. With
    --lang, the columns are explained and every entry the language still
    needs is listed with its file:line, SAFETY TEXT first. Without it the
    table is one row per line (for scripts), and a last line says what
    remains.

    \b
    Columns: translated = current translations; fuzzy = translated, but the
    English changed since: review; missing = not translated; safety
    ok/fuzzy/missing = the same for SAFETY TEXT entries (a build needs all
    of them); review = the X-Reviewed-By sign-off.

    \b
    Example:
      handouts i18n status content/backwards-walking
      handouts i18n status content/backwards-walking --lang es
    """
    from .errors import display_path
    from .i18n.catalogs import catalog_path, remaining, status as coverage
    from .load.folder import load_document

    header = (f"{'topic':20} {'lang':8} {'audience':10} {'translated':>10} {'fuzzy':>6} "
              f"{'missing':>8}   {'safety ok/fuzzy/missing':>23}  review")
    click.echo(header)
    documents = [load_document(topic).document for topic in
                 distinct_topics(tuple(topics) or tuple(discover_topics(default_content())))]
    left: dict[str, int] = {}
    notes: dict[tuple[str, str], str] = {}
    for document in documents:
        for row in coverage(document, default_templates()):
            if languages and row.language not in languages:
                continue
            safety = f"{row.safety_translated}/{row.safety_fuzzy}/{row.safety_missing}"
            review = f"reviewed by {row.reviewer}, {row.reviewed_on}" if row.reviewer \
                else "NOT REVIEWED"
            notes.setdefault((document.topic.id, row.language), row.review_note)
            click.echo(f"{document.topic.id:20} {row.language:8} {row.audience:10} "
                       f"{row.translated:>10} {row.fuzzy:>6} {row.missing:>8}   {safety:>23}  "
                       f"{review}")
            todo = row.fuzzy + row.missing + row.safety_fuzzy + row.safety_missing
            if todo:
                left[row.language] = left.get(row.language, 0) + todo
    if not languages:
        if left:
            click.echo("Still to do: " + ", ".join(
                f"{language} {count}" for language, count in sorted(left.items()))
                + "; list them with: handouts i18n status --lang LANG")
        return
    click.echo(COLUMNS)
    for document in documents:
        for language in languages:
            if not catalog_path(document.topic.folder, language).exists():
                click.echo(f"\n{document.topic.id} [{language}]: no catalog; create it with: "
                           f"handouts i18n update {display_path(document.topic.folder)} "
                           f"--lang {language}")
                continue
            todo = remaining(document, default_templates(), language)
            note = notes.get((document.topic.id, language))
            if note:
                click.echo(f"\n{document.topic.id} [{language}]: not reviewed: {note}")
            click.echo(f"\n{document.topic.id} [{language}]: "
                       + (f"{len(todo)} entr{'y' if len(todo) == 1 else 'ies'} to do "
                          f"({sum(r.safety for r in todo)} SAFETY TEXT)" if todo
                          else "nothing to do"))
            for item in todo:
                mark = "SAFETY " if item.safety else ""
                state = {"absent": "not in the catalog (run i18n update)"}.get(item.state,
                                                                               item.state)
                click.echo(f"  {item.where}: {mark}{state}: {item.ident} "
                           f"({', '.join(item.audiences)}): {_short(item.english)}")


def topic_id_argument(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """TOPIC_ID of `handouts new`: it names a folder and every output file."""
    from .new_topic import id_problem

    problem = id_problem(value)
    if problem:
        raise click.BadParameter(problem, ctx=ctx, param=param)
    return value


def title_option(ctx: click.Context, param: click.Parameter, value: str | None):
    from .new_topic import title_problem

    problem = title_problem(value) if value is not None else None
    if problem:
        raise click.BadParameter(problem, ctx=ctx, param=param)
    return value


@cli.command()
@click.argument("topic_id", callback=topic_id_argument)
@click.option("--title", default=None, callback=title_option,
              help="The title the outputs print (default: made from TOPIC_ID).")
@click.option("--content", "content", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The folder to create the topic in (default: content/).")
def new(topic_id: str, title: str | None, content: Path | None) -> None:
    """Start a topic: write a folder TOPIC_ID that builds at once, to fill in.

    It holds topic.yaml with every field described, TOPIC_ID.md with a section
    and a required safety statement for each audience, and references.json with
    one reference of each kind, all in placeholder wording ("Replace this with
    ..."). An existing folder is never written over.

    \b
    Example:
      handouts new fall-risk --title "Preventing falls at home"
      handouts build content/fall-risk --audience patient --paper letter
    """
    from .errors import display_path
    from .new_topic import new_topic

    folder = new_topic(topic_id, content or default_content(), title)
    shown = display_path(folder)
    click.echo(f"Wrote {shown}/: topic.yaml, {topic_id}.md, references.json")
    click.echo(f'Replace every "Replace this" with the topic\'s content, then run:\n'
               f"  handouts build {shown}")


@cli.command()
def schema() -> None:
    """Print the topic.yaml and handouts.yaml field reference (Markdown).

    \b
    Example:
      handouts schema > docs/topic-yaml.md
    """
    from .load.profile import profile_schema
    from .load.schema import describe_fields
    from .load.topic_yaml import TOPIC

    click.echo("\n".join(describe_fields(TOPIC)))
    click.echo("\nhandouts.yaml (the organisation profile at the root of the content folder):\n")
    click.echo("\n".join(describe_fields(profile_schema())))


def plan_value(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]):
    """--set FIELD_ID=VALUE pairs."""
    pairs = []
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name:
            raise click.BadParameter(f"{value!r}: write FIELD_ID=VALUE, e.g. how-often=3 "
                                     "times a week")
        pairs.append((name.strip(), text))
    return tuple(pairs)


@cli.command()
@click.argument("topic", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", "language", default="en", metavar="LANG", show_default=True,
              callback=lambda ctx, param, value: language_tags(ctx, param, (value,))[0],
              help="The handout's language.")
@click.option("--paper", type=click.Choice(PAPERS), default=PAPERS[0], show_default=True,
              help="The paper size.")
@click.option("--large", is_flag=True, help="The large-print edition.")
@click.option("--set", "values", multiple=True, metavar="FIELD_ID=VALUE", callback=plan_value,
              help="Type VALUE on the plan line FIELD_ID (topic.yaml plan.fields id); "
                   "repeatable.")
@click.option("--tick", "ticks", multiple=True, metavar="SUPPORT",
              help="Tick a support box: its number (1, 2...) or its text; repeatable.")
@click.option("-o", "--output", "target", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF file to write (never inside the output folder).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The output folder builds write to, which -o must stay out of "
                   "(default: output/).")
@templates_option
def fill(topic, language, paper, large, values, ticks, target, out, templates) -> None:
    """Write one patient handout of TOPIC with its plan filled in, to -o only.

    The plan's lines and tick boxes are PDF form fields; this sets their values.
    A filled copy may hold personal data: it is never written into the output
    folder or its manifest.

    \b
    Example:
      handouts fill content/backwards-walking --lang en --paper letter \\
        --set start-date=2026-12-01 --set how-often="3 times a week" --tick 1 \\
        -o ~/plans/walking-plan.pdf
    """
    from .fill import FillRequest, fill as run_fill

    request = FillRequest(topic=topic, language=language, paper=paper, large=large,
                          values=values, ticks=ticks, target=target,
                          out=out or default_output(),
                          templates=(templates or default_templates()).resolve())
    pages = run_fill(request)
    click.echo(f"Wrote {target} ({pages} page(s)); it may hold personal data: share it only "
               "with the patient.")


@cli.command()
@click.argument("topics", nargs=-1,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default is this machine only: another address "
                   "shows unreviewed drafts to the network.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output/).")
@templates_option
@narrowing_options("Preview", papers=False)
def serve(topics, port, host, out, templates, audiences, languages) -> None:
    """Preview TOPICS in a browser, rebuilding and reloading on every save.

    Builds the topics (default: all under content/) as `handouts build` does,
    then serves an index of every output at http://127.0.0.1:PORT/ and watches
    the topic folders (with their catalogs) and the templates: a save rebuilds
    what it changed and reloads the open page; a content error shows over the
    page with its file and line. Ctrl-C stops it.

    \b
    Examples:
      handouts serve
      handouts serve content/backwards-walking --lang en --port 8001
    """
    import signal
    import threading

    from .build import BuildRequest
    from .serve.server import open_server
    from .serve.state import PreviewState
    from .serve.watch import Rebuilder, watch

    folders = list(distinct_topics(tuple(topics) or tuple(discover_topics(default_content()))))
    listed_languages(tuple(folders), languages, audiences)
    templates = (templates or default_templates()).resolve()
    request = BuildRequest(topics=tuple(folders), out=out or default_output(), templates=templates,
                           audiences=audiences, languages=languages, blocked=[])
    state = PreviewState()
    server = open_server(host, port, request.out, [f.resolve().name for f in folders], state)
    say = lambda line: click.echo(line, err=True)  # noqa: E731
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              daemon=True)
    thread.start()
    signal.signal(signal.SIGTERM, _stop_serving)
    click.echo(f"Previewing at {server.url} (Ctrl-C stops)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(f"Warning: listening on {host}: other machines can see these unreviewed drafts.")
    rebuilder = Rebuilder(request, state, say)
    try:
        rebuilder.rebuild(folders)
        watch(folders, templates, request.out, rebuilder)
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.stop_background()
        state.close()
        server.shutdown()
        server.server_close()
    click.echo("Preview stopped.")


def _stop_serving(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    cli(prog_name="handouts")
