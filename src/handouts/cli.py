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
@click.option("--audience", "audiences", multiple=True, type=click.Choice(AUDIENCES),
              help="Build only this audience's outputs; repeatable.")
@click.option("--lang", "languages", multiple=True, metavar="LANG", callback=language_tags,
              help="Build only this language, e.g. en; repeatable.")
@click.option("--paper", "papers", multiple=True, type=click.Choice(PAPERS),
              help="Build only this paper size; repeatable (default: the topic's list).")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="Templates folder (default: the templates that ship with "
                                 "handouts).")
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
def build(topics, out, audiences, languages, papers, templates, slide_template,
          allow_partial, strict, jobs, force) -> None:
    """Build the outputs of TOPICS (topic folders; default: all under content/).

    Nothing is written unless every output rendered and passed its checks.

    \b
    Examples:
      handouts build
      handouts build content/backwards-walking --audience patient --paper letter
    """
    from .build import BuildRequest, build as run_build
    from .model.dates import source_date_epoch

    started = time.perf_counter()
    source_date_epoch()  # a malformed $SOURCE_DATE_EPOCH stops the build before it starts
    request = BuildRequest(
        topics=distinct_topics(tuple(topics) or tuple(discover_topics(default_content()))),
        out=out or default_output(), templates=templates or default_templates(),
        audiences=audiences, languages=languages, papers=papers, strict=strict,
        slide_template=slide_template, allow_partial=allow_partial, jobs=jobs or 0,
        force=force)
    report = run_build(request)
    for warning in sorted(report.warnings):
        click.echo(str(warning), err=True)
    for (topic, audience, language), result in sorted(report.readability.items()):
        summary = result.summary() if hasattr(result, "summary") else ", ".join(
            f"{name} {value:.1f}" for name, value in result.items())
        click.echo(f"{topic} {audience} [{language}] readability: {summary}")
    for output in report.outputs:
        click.echo(f"  {request.out / output.relpath}  {output.count} {output.unit}(s), "
                   f"{output.size / 1024:.0f} KB, {output.seconds:.2f} s")
    click.echo(f"Rendered {len(report.outputs)} output(s), {len(report.up_to_date)} up to "
               f"date, in {time.perf_counter() - started:.1f} s.")


@cli.command()
@click.argument("topics", nargs=-1,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder to check (default: output/).")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="Templates folder (default: the templates that ship with "
                                 "handouts).")
def check(topics, out, templates) -> None:
    """Read built outputs back and verify them; exit 1 if any check fails.

    Checks every required safety statement (in full, in the right language),
    citations and DOIs, the language of the text, fonts and glyphs, paper
    size, and that slide text fits.

    \b
    Example:
      handouts check
      handouts check content/backwards-walking --out /media/share/print-run
    """
    from .recheck import recheck

    results = recheck(distinct_topics(tuple(topics) or tuple(discover_topics(default_content()))),
                    out or default_output(), templates or default_templates())
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

    Changed English makes its translation fuzzy (the old English is kept for
    the translator), removed text becomes obsolete, new text is added empty.

    \b
    Example:
      handouts i18n update content/backwards-walking --lang es --lang ar
    """
    from .i18n.catalogs import extract as write_template, update as merge
    from .load.folder import load_document

    document = load_document(topic).document
    write_template(document, default_templates())
    for language in languages:
        report = merge(document, default_templates(), language)
        click.echo(f"{report.path}: {report.kept} kept, {report.fuzzy} now fuzzy, "
                   f"{report.new} new, {report.obsolete} obsolete")


@i18n.command()
@click.argument("topics", nargs=-1,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
def status(topics) -> None:
    """Show how complete each catalog is, per language and audience.

    Safety units are counted apart: a build needs every one of them.

    \b
    Example:
      handouts i18n status content/backwards-walking
    """
    from .i18n.catalogs import status as coverage
    from .load.folder import load_document

    header = (f"{'topic':20} {'lang':8} {'audience':10} {'translated':>10} {'fuzzy':>6} "
              f"{'missing':>8}   {'safety ok/fuzzy/missing':>23}  review")
    click.echo(header)
    for topic in distinct_topics(tuple(topics) or tuple(discover_topics(default_content()))):
        document = load_document(topic).document
        for row in coverage(document, default_templates()):
            safety = f"{row.safety_translated}/{row.safety_fuzzy}/{row.safety_missing}"
            review = f"reviewed by {row.reviewer}" if row.reviewer else "NOT REVIEWED"
            click.echo(f"{document.topic.id:20} {row.language:8} {row.audience:10} "
                       f"{row.translated:>10} {row.fuzzy:>6} {row.missing:>8}   {safety:>23}  "
                       f"{review}")


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
    """Print the topic.yaml field reference (Markdown).

    \b
    Example:
      handouts schema > docs/topic-yaml.md
    """
    from .load.schema import describe_fields
    from .load.topic_yaml import TOPIC

    click.echo("\n".join(describe_fields(TOPIC)))


def main() -> None:
    cli(prog_name="handouts")
