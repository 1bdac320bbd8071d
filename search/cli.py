"""The ``zeitung`` command: a thin layer over :class:`search.NewsIndex`.

Each command parses its options, makes one call into the API and renders the result; every
command has a ``--json`` form for other programs. Errors from the library become one red line
on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
)
from rich.table import Table
from rich.text import Text

from search import render, stories
from search.cli_plumbing import (
    QueryCommand,
    ZeitungGroup,
    err,
    plain_argument_names,
    quiet_stdout,
)
from search.engines import engine_url, is_engine_url
from search.errors import ZeitungError
from search.index import (
    COMMIT_EVERY_ARTICLES,
    INDEX_ENV_VAR,
    IndexReport,
    NewsIndex,
    default_index_path,
)
from search.index import (
    Progress as IndexProgress,
)
from search.ingest import walk_files
from search.query import SYNTAX
from search.readers import BadRecord, is_supported, iter_articles
from search.snippets import SnippetOptions
from search.suggest import describe as describe_no_hits

plain_argument_names()

app = typer.Typer(
    name="zeitung",
    help="Full-text search for German news articles: index a directory, then search it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=ZeitungGroup,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"zeitung {_package_version()}", highlight=False)
        raise typer.Exit()


def _package_version() -> str:
    try:
        return metadata.version("zeitung")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Full-text search for German news articles: index a directory, then search it."""


console = Console()

# -- shared options -------------------------------------------------------------------------

IndexOpt = Annotated[
    str | None,
    typer.Option(
        "--index",
        "-i",
        metavar="DIR|URL",
        help=f"Index directory or opensearch://HOST:PORT/NAME "
        f"(default: ${INDEX_ENV_VAR} or ./zeitung-index).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (JSON Lines for lists).")]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="Date that relative dates count from (YYYY-MM-DD).", hidden=True),
]

F = TypeVar("F", bound=Callable[..., object])


def friendly_errors(func: F) -> F:
    """Turn the library's errors into one line on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except ZeitungError as exc:
            err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted: everything committed before is kept; run again to resume")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            quiet_stdout()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def _index_path(index: str | None) -> Path | str:
    location = index if index is not None else os.environ.get(INDEX_ENV_VAR)
    if is_engine_url(location):  # a search server, not a directory
        return engine_url(location)
    return Path(index) if index is not None else default_index_path()


def _today(today: str | None) -> dt.date | None:
    if today is None:
        return None
    try:
        return dt.date.fromisoformat(today)
    except ValueError:
        raise ZeitungError(f"--today wants YYYY-MM-DD, not {today!r}") from None


def _print_json_line(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


# -- commands -------------------------------------------------------------------------------


@app.command("index")
@friendly_errors
def index_command(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Directory (or file) of articles.")
    ],
    index: IndexOpt = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Re-read every file into a new index that replaces the old at the end.",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", metavar="N", help="Parser processes (default: cores)."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Write the run's summary as JSON to FILE."),
    ] = None,
    commit_every: Annotated[
        int,
        typer.Option(
            "--commit-every",
            min=1,
            metavar="N",
            help="Commit after N articles (less lost on a crash).",
        ),
    ] = COMMIT_EVERY_ARTICLES,
    as_json: JsonOpt = False,
) -> None:
    """Index a directory of articles (.txt .html .json .jsonl .csv, also .gz).

    Only what changed since the last run is read again; deleted files leave the index.

    \b
    Example:
        zeitung index corpus/
        zeitung index ~/archiv --index ~/archiv-index --report skipped.json
    """
    path = _index_path(index)
    if not directory.exists():
        raise ZeitungError(f"no such file or directory: {directory}")
    # A rebuild replaces the old index only at its end (readers keep it meanwhile), and
    # works over an index that an older version wrote.
    idx = None if rebuild else NewsIndex.open_or_create(path)
    show_bar = not as_json and err.is_terminal
    with Progress(
        TextColumn("indexing"),
        BarColumn(),
        TextColumn("{task.fields[line]}"),
        console=err,
        disable=not show_bar,
        transient=True,
    ) as bar:
        task = bar.add_task("index", total=None, line="")

        def on_progress(p) -> None:
            # The bar advances by bytes: one big streamed file moves it too.
            bar.update(task, total=p.bytes_total or None, completed=p.bytes_done)
            bar.update(task, line=progress_line(p))

        if idx is None:
            idx, result = NewsIndex.rebuild(
                path, directory, workers=workers, progress=on_progress, commit_every=commit_every
            )
        else:
            result = idx.update_from(
                directory, workers=workers, progress=on_progress, commit_every=commit_every
            )
    summary = {"index": str(idx.path), "articles_in_index": len(idx), **result.to_dict()}
    if report is not None:
        report.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    if as_json:
        _print_json_line(summary)
    else:
        _print_index_summary(result, idx.path, len(idx))


def progress_line(p: IndexProgress) -> str:
    """What the progress bar shows beside the bar: files, articles, rate and time left."""
    line = f"{p.done:,}/{p.total:,} files · {_counted(p.articles, 'article')}"
    if p.seconds > 0:
        line += f" · {p.rate:,.0f} articles/s"
    eta = p.eta
    line += f" · ETA {_duration(eta)}" if eta is not None else " · ETA -"
    return line


def _duration(seconds: float) -> str:
    """``0:03:12``: hours, minutes, seconds."""
    whole = round(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _counted(n: int, singular: str, plural: str | None = None) -> str:
    """``1 article``, ``2 articles``."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def index_summary(result: IndexReport, path: Path | str, total: int) -> str:
    """The one-line summary of an ``index`` run: files first, then articles."""
    files = _counted(result.added, "file") + " added"
    written = _counted(result.articles, "article")
    parts = [f"{files} ({written})" if not result.updated else files]
    parts.append(f"{result.updated} updated ({written})" if result.updated else "0 updated")
    parts += [
        f"{result.removed} removed",
        f"{result.unchanged} unchanged",
        f"{len(result.skipped)} skipped",
    ]
    if result.unsupported:
        parts.append(f"{len(result.unsupported)} unsupported")
    bad = sum(b.count for b in result.bad_records)
    if bad:
        parts.append(_counted(bad, "bad record"))
    if result.duplicates:
        parts.append(_counted(result.duplicates, "duplicate") + " folded")
    took = f" in {result.seconds:.1f} s"
    if result.articles:
        took += f" ({result.articles_per_second:,.0f} articles/s)"
    return ", ".join(parts) + f"{took}; {_counted(total, 'article')} in {path}"


def _print_index_summary(result: IndexReport, path: Path | str, total: int) -> None:
    console.print(index_summary(result, path, total), highlight=False, soft_wrap=True)
    for file, reason in result.skipped[:20]:
        err.print(f"  skipped {file}: {reason}", highlight=False, markup=False)
    if len(result.skipped) > 20:
        err.print(f"  … and {len(result.skipped) - 20} more (see --report FILE)")
    for bad in result.bad_records[:20]:
        more = f"; and {bad.count - 1} more" if bad.count > 1 else ""
        err.print(
            f"  {_counted(bad.count, 'bad record')} in {bad.path} ({bad.records[0]}{more})",
            highlight=False,
            markup=False,
        )
    if len(result.bad_records) > 20:
        err.print(f"  … and {len(result.bad_records) - 20} more files with bad records")


class SortChoice(StrEnum):
    relevance = "relevance"
    date = "date"
    newest = "-date"


class OutputFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"
    csv = "csv"


SEARCH_HELP = (
    "Search the index. Words are ANDed; the German forms of a word all match.\n\n"
    "A word written -Wort after the query excludes it (zeitung search Gaspreise -Kasachstan);"
    " put -- before a query that starts with one.\n\n"
    "\b\nSyntax:\n" + SYNTAX.rstrip() + "\n\n"
    "\b\nExamples:\n"
    "  zeitung search 'Gaspreise UND datum:2022' --sort -date\n"
    "  zeitung search '\"Preis für Gas\"' --json\n"
    "  zeitung search Hochwasser --kwic --from 2024-01-01\n"
    "  zeitung search 'datum:2022' --all --format csv --fields text > export.csv"
)

#: Extra columns ``--fields`` may add to the CSV and JSON output.
EXTRA_FIELDS = ("text",)


@app.command("search", help=SEARCH_HELP, cls=QueryCommand)
@friendly_errors
def search_command(
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY...", help="The query (syntax above).")
    ],
    index: IndexOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, metavar="N", help="Hits to show (0: all).")
    ] = 10,
    offset: Annotated[
        int, typer.Option("--offset", min=0, metavar="N", help="Skip the N best hits first.")
    ] = 0,
    every: Annotated[
        bool, typer.Option("--all", help="Every hit, streamed (same as --limit 0).")
    ] = False,
    sort: Annotated[
        SortChoice, typer.Option("--sort", metavar="ORDER", help="relevance, date or -date.")
    ] = SortChoice.relevance,
    any_word: Annotated[
        bool, typer.Option("--any", help="OR the words instead of AND (bag of words).")
    ] = False,
    date_from: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="Only articles on or after this date."),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", metavar="DATE", help="Only articles on or before this date."),
    ] = None,
    fragments: Annotated[
        int, typer.Option("--fragments", min=0, metavar="N", help="Snippets per hit.")
    ] = 3,
    fragment_size: Annotated[
        int,
        typer.Option("--fragment-size", min=40, metavar="CHARS", help="Characters per snippet."),
    ] = 200,
    kwic: Annotated[bool, typer.Option("--kwic", help="One concordance line per match.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the parsed query; do not search.")
    ] = False,
    output: Annotated[
        OutputFormat,
        typer.Option("--format", metavar="FORMAT", help="terminal, json, html or csv."),
    ] = OutputFormat.terminal,
    fields: Annotated[
        str | None,
        typer.Option("--fields", metavar="NAMES", help="Add these fields to csv/json: text."),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help='With --json: end with one {"summary": …} line (total, suggestions).',
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            metavar="N",
            help="Processes that cut the snippets of exports over 200 hits.",
        ),
    ] = 1,
    with_facets: Annotated[
        bool, typer.Option("--facets", help="Also count the matches by source, section, …")
    ] = False,
    collapse: Annotated[
        bool,
        typer.Option("--collapse", help="One hit per story: its copies in other outlets folded."),
    ] = False,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
) -> None:
    text = " ".join(query)
    idx = NewsIndex.open(_index_path(index))
    if collapse:
        _require_stories(idx, "--collapse")
    match = "any" if any_word else "all"
    day = _today(today)
    fmt = OutputFormat.json if as_json else output
    extra = _extra_fields(fields)
    if explain:
        parsed = idx.parse(text, match=match, today=day)
        if fmt is OutputFormat.json:
            _print_json_line(
                {"query": str(parsed), "tree": parsed.explain(), "notes": parsed.notes}
            )
        else:
            console.print(parsed.explain(), highlight=False, markup=False)
        return
    # Snippets only where they are shown: not in a concordance, not in CSV.
    shows_snippets = fragments and not kwic and fmt is not OutputFormat.csv
    options = (
        SnippetOptions(fragments=fragments, fragment_size=fragment_size) if shows_snippets else None
    )
    search_args = dict(
        limit=None if every or limit == 0 else limit,
        offset=offset,
        match=match,
        sort=sort.value,
        date_from=date_from,
        date_to=date_to,
        today=day,
    )
    if collapse:
        search_args["collapse"] = True
    results = idx.search(text, snippets=None if kwic else options, **search_args)
    for note in results.parsed.notes:
        err.print(f"note: {note}", highlight=False, markup=False)
    noun = "story" if collapse else "hit"
    header = render.hits_header(len(results), results.total, offset, noun)
    if kwic:
        _write_kwic(fmt, results.kwic_lines(), header=header if results else "", query=text)
    else:
        _write_hits(
            fmt,
            results,
            header=header,
            query=text,
            extra=extra,
            workers=workers,
            collapse=collapse,
        )
    parts = idx.explain_no_hits(results.parsed) if results.total == 0 else []
    if fmt is OutputFormat.json and summary:
        _print_json_line(
            {
                "summary": {
                    "total": results.total,
                    "shown": len(results),
                    "offset": offset,
                    "suggestions": [p.to_dict() for p in parts],
                }
            }
        )
    if results.total == 0:
        err.print(describe_no_hits(parts), highlight=False, markup=False)
    elif not results and fmt is OutputFormat.terminal:
        err.print(f"no hits after --offset {offset}: {header}", highlight=False, markup=False)
    if with_facets:
        _search_facets(idx, text, match, date_from, date_to, day, fmt.value)


def _write_kwic(fmt: OutputFormat, rows, *, header: str, query: str) -> None:  # noqa: ANN001
    """Concordance lines, streamed hit by hit, in the asked format."""
    if fmt is OutputFormat.json:
        for hit, lines in rows:
            for line in lines:
                sys.stdout.write(render.kwic_to_json(hit, line) + "\n")
    elif fmt is OutputFormat.html:
        sys.stdout.writelines(render.iter_kwic_html(rows, query=query, header=header))
    elif fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(render.KWIC_CSV_FIELDS)
        for hit, lines in rows:
            writer.writerows(render.kwic_csv_row(hit, line) for line in lines)
    else:
        if header:
            console.print(Text(header, style=render.META_STYLE), highlight=False)
        render.print_kwic(console, rows)


def _write_hits(
    fmt: OutputFormat,
    results,  # noqa: ANN001 - SearchResults
    *,
    header: str,
    query: str,
    extra: tuple[str, ...],
    workers: int,
    collapse: bool = False,
) -> None:
    """Hits, streamed, in the asked format; the article text too when ``extra`` asks."""
    with_text = results.with_text() if extra else ((h, "") for h in results.stream(workers))
    if fmt is OutputFormat.json:
        for hit, body in with_text:
            data = hit.to_dict()
            if extra:
                data["text"] = body
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.csv:
        columns = (*render.CSV_FIELDS, *extra)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(render.csv_row(hit, columns, body) for hit, body in with_text)
    elif fmt is OutputFormat.html:
        hits = (hit for hit, _ in with_text)
        sys.stdout.writelines(render.iter_hits_html(hits, query=query, header=header))
    elif results:
        render.print_hits(
            console,
            (hit for hit, _ in with_text),
            total=results.total,
            shown=len(results),
            offset=results.offset,
            wrap=console.is_terminal,
            also_in=collapse,
            noun="story" if collapse else "hit",
        )


def _require_stories(idx: NewsIndex, option: str) -> None:
    """Story options need story ids, which only a Whoosh index keeps so far."""
    if not idx.supports_stories:
        raise ZeitungError(f"{option} is not supported on OpenSearch yet")


def _extra_fields(fields: str | None) -> tuple[str, ...]:
    if not fields:
        return ()
    names = tuple(n.strip() for n in fields.split(",") if n.strip())
    unknown = [n for n in names if n not in EXTRA_FIELDS]
    if unknown:
        raise typer.BadParameter(
            f"unknown field {unknown[0]!r}: choose from {', '.join(EXTRA_FIELDS)}",
            param_hint="--fields",
        )
    return names


@app.command("show")
@friendly_errors
def show_command(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (from search).")],
    index: IndexOpt = None,
    copies: Annotated[
        bool,
        typer.Option("--copies", help="Also the story's copies in other outlets, with diffs."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show one whole article.

    \b
    Examples:
        zeitung show rheinbote/gaspreise.txt
        zeitung show rheinbote/gaspreise.txt --copies
    """
    idx = NewsIndex.open(_index_path(index))
    article = idx.get(article_id)
    if not copies:
        if as_json:
            _print_json_line(article.to_dict())
        else:
            render.print_article(console, article, wrap=console.is_terminal)
        return
    _require_stories(idx, "--copies")
    story, others = idx.copies(article_id)
    diffs = [(copy, stories.article_diff(article, copy)) for copy in others]
    if as_json:
        data = article.to_dict()
        data["story"] = story
        data["copies"] = [{**copy.to_dict(), "diff": diff} for copy, diff in diffs]
        _print_json_line(data)
        return
    render.print_article(console, article, wrap=console.is_terminal)
    render.print_copies(console, story, diffs, wrap=console.is_terminal)


#: The keys of ``zeitung parse --json`` lines, in order (a stable contract).
PARSE_KEYS = ("path", "id", "title", "date", "url", "source", "author", "section", "text")


@app.command("parse")
@friendly_errors
def parse_command(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", help="Files or directories to read.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Show what the readers extract from files, without indexing them.

    \b
    Example:
        zeitung parse artikel.html --json
    """
    failed = 0
    for root in files:
        if not root.exists() and not root.is_symlink():
            raise ZeitungError(f"no such file or directory: {root}")
        base = root if root.is_dir() else root.parent
        for path in walk_files(root):
            if root.is_dir() and not is_supported(path):
                continue
            shown = os.path.abspath(path)  # as on article lines: absolute, symlinks as named
            bad: list[BadRecord] = []
            try:
                articles = list(iter_articles(path, base, bad.append))
            except ZeitungError as exc:
                failed += 1
                if as_json:
                    _print_json_line({"path": shown, "error": str(exc)})
                else:
                    err.print(f"[red]{escape(shown)}:[/] {escape(str(exc))}")
                continue
            failed += bool(bad)
            for record in bad:
                if as_json:
                    _print_json_line({"path": shown, "where": record.where, "error": record.reason})
                else:
                    err.print(f"[red]{escape(shown)}:[/] {escape(str(record))}")
            for article in articles:
                if as_json:
                    data = article.to_dict()
                    _print_json_line({k: data[k] for k in PARSE_KEYS})
                else:
                    _print_parsed(article)
    if failed and not as_json:
        raise typer.Exit(1)


def _print_parsed(article) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    for name in ("id", "title", "date", "url", "source", "author", "section", "path"):
        value = getattr(article, name)
        if value:
            table.add_row(f"[dim]{name}[/]", escape(str(value)))
    console.print(table)
    console.print(article.text, highlight=False, markup=False)
    console.print()


@app.command("stats")
@friendly_errors
def stats_command(
    index: IndexOpt = None,
    every: Annotated[
        bool, typer.Option("--all", help="List every source, not the top 20.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Articles, sources, date range and size on disk of an index."""
    stats = NewsIndex.open(_index_path(index)).stats()
    if as_json:
        _print_json_line(stats.to_dict())
        return
    render.print_stats(console, stats, top=None if every else STATS_TOP_SOURCES)


#: Sources ``zeitung stats`` lists without ``--all``.
STATS_TOP_SOURCES = 20


@app.command("analyze")
@friendly_errors
def analyze_command(
    text: Annotated[list[str], typer.Argument(metavar="TEXT", help="German text to analyse.")],
    as_json: JsonOpt = False,
    index: IndexOpt = None,
) -> None:
    """Show the index terms of a text: stems, lemmas, positions, offsets, compound parts.

    With --index opensearch://…, also checks that the cluster stores the same terms at the
    same positions.

    \b
    Example:
        zeitung analyze 'Die Gaspreisdeckel der Bürger:innen'
    """
    from analyzers import analyze
    from analyzers.lemmas import lemma

    source = " ".join(text)
    rows = [
        {
            "term": t.term,
            "kind": t.kind,
            "pos": t.pos,
            "start": t.start,
            "end": t.end,
            "surface": source[t.start : t.end],
            # the term of a word or part is its stem; the lemma where the lemma list knows it
            "lemma": lemma(t.surface) if t.kind != "exact" else None,
        }
        for t in analyze(source)
    ]
    if as_json:
        for row in rows:
            _print_json_line(row)
        return
    table = Table("pos", "surface", "term (stem)", "lemma", "kind", "chars")
    for row in rows:
        table.add_row(
            str(row["pos"]),
            escape(row["surface"]),
            escape(row["term"]),
            escape(row["lemma"] or ""),
            row["kind"],
            f"{row['start']}–{row['end']}",
        )
    console.print(table)
    if index is not None and is_engine_url(index):
        n = NewsIndex.open(_index_path(index)).check_analysis(source)  # type: ignore[attr-defined]
        console.print(f"{_index_path(index)} stores the same {n} terms at the same positions")


def main() -> None:  # pragma: no cover - console entry point
    app()


# -- analytics: timeline, facets, co-occurrence (search/analytics/) -------------------------


class PeriodChoice(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class TableFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    csv = "csv"


FromOpt = Annotated[
    str | None, typer.Option("--from", help="First day (any date form of the syntax).")
]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day (any date form of the syntax).")]
AnyOpt = Annotated[bool, typer.Option("--any", help="OR the words instead of AND.")]


@app.command("timeline")
@friendly_errors
def timeline_command(
    queries: Annotated[
        list[str], typer.Argument(help="One or more queries, compared side by side.")
    ],
    index: IndexOpt = None,
    by: Annotated[PeriodChoice, typer.Option("--by", help="day, week, month or year.")] = (
        PeriodChoice.month
    ),
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    per_source: Annotated[
        bool, typer.Option("--per-source", help="One series per query and source.")
    ] = False,
    normalize: Annotated[
        bool, typer.Option("--normalize", help="As a share of all articles in the period.")
    ] = False,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw the chart into FILE (PNG).")
    ] = None,
    svg: Annotated[
        Path | None, typer.Option("--svg", help="Also draw the chart into FILE (SVG).")
    ] = None,
    output: Annotated[
        TableFormat, typer.Option("--format", help="terminal, json or csv.")
    ] = TableFormat.terminal,
    stories_only: Annotated[
        bool,
        typer.Option("--stories", help="Count distinct stories (copies once), not articles."),
    ] = False,
    any_word: AnyOpt = False,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
) -> None:
    """Exact counts of matching articles per period, every period shown (empty: 0).

    Each argument is one query; several give one column (and one line in a chart) each.
    Undated articles are counted apart ("ohne Datum").

    \b
    Examples:
        zeitung timeline Gaspreis* Strompreis* --by month --from 2021 --to 2023
        zeitung timeline Hochwasser --by year --normalize --png hochwasser.png
        zeitung timeline Hochwasser --per-source --format csv > hochwasser.csv
        zeitung timeline Hochwasser --stories
    """
    from search.analytics.plot import write_chart
    from search.analytics.terminal import print_timeline

    idx = NewsIndex.open(_index_path(index))
    if stories_only:
        _require_stories(idx, "--stories")
    tl = idx.timeline(
        queries,
        by=by.value,
        date_from=date_from,
        date_to=date_to,
        per_source=per_source,
        normalize=normalize,
        stories=stories_only,
        match="any" if any_word else "all",
        today=_today(today),
    )
    for path in (png, svg):
        if path is not None:
            write_chart(tl, path, fmt="png" if path is png else "svg")
            err.print(f"chart written to {path}", highlight=False, markup=False)
    if as_json or output is TableFormat.json:
        for row in tl.rows():
            _print_json_line(row)
    elif output is TableFormat.csv:
        import csv

        csv.writer(sys.stdout, lineterminator="\n").writerows(tl.csv_rows())
    else:
        print_timeline(console, tl)


@app.command("facets")
@friendly_errors
def facets_command(
    query: Annotated[list[str], typer.Argument(help="The query (syntax as for search).")],
    index: IndexOpt = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Values per facet.")] = 10,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    stories_only: Annotated[
        bool,
        typer.Option("--stories", help="Count distinct stories (copies once), not articles."),
    ] = False,
    any_word: AnyOpt = False,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
) -> None:
    """Count the matching articles by source, section, author and year.

    Each value is shown with the filter that selects it; paste it into a query.

    \b
    Example:
        zeitung facets Gaspreise
        zeitung search 'Gaspreise autor:"Anna Berger"'
    """
    from search.analytics.terminal import print_facets

    idx = NewsIndex.open(_index_path(index))
    if stories_only:
        _require_stories(idx, "--stories")
    result = idx.facets(
        " ".join(query),
        top=top,
        stories=stories_only,
        date_from=date_from,
        date_to=date_to,
        match="any" if any_word else "all",
        today=_today(today),
    )
    if as_json:
        _print_json_line(result.to_dict())
    else:
        print_facets(console, result)


def _search_facets(idx: NewsIndex, text: str, match, date_from, date_to, day, out: str) -> None:
    """``search --facets``: the facets after the hits (``--json``: one last line; csv and
    html have no place for them)."""
    from search.analytics.terminal import print_facets

    result = idx.facets(text, match=match, date_from=date_from, date_to=date_to, today=day)
    if out == "json":
        _print_json_line({"facets": result.to_dict()})
    elif out == "terminal":
        console.print()
        print_facets(console, result)


def _window(value: str) -> int | None:
    if value in ("sentence", "satz"):
        return None
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise ZeitungError(f"--window wants a number of words or 'sentence', not {value!r}")


@app.command("cooccur")
@friendly_errors
def cooccur_command(
    query: Annotated[list[str], typer.Argument(help="The query (syntax as for search).")],
    index: IndexOpt = None,
    window: Annotated[
        str, typer.Option("--window", help="Words either side of a match, or 'sentence'.")
    ] = "5",
    by: Annotated[
        str | None, typer.Option("--by", help="'year': rank the words of each year apart.")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Words to show.")] = 20,
    max_docs: Annotated[
        int, typer.Option("--max-docs", min=1, help="Read at most N matching articles.")
    ] = 500,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    any_word: AnyOpt = False,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
) -> None:
    """The words that stand near the matches more often than chance (log-likelihood).

    Words are grouped by their index term (inflections together), stop words left out.

    \b
    Examples:
        zeitung cooccur Gaspreise
        zeitung cooccur Hochwasser --window sentence --by year
    """
    from search.analytics.terminal import print_cooccur

    if by not in (None, "year", "jahr"):
        raise ZeitungError(f"--by wants 'year', not {by!r}")
    idx = NewsIndex.open(_index_path(index))
    result = idx.cooccur(
        " ".join(query),
        window=_window(window),
        by_year=by is not None,
        top=top,
        max_docs=max_docs,
        date_from=date_from,
        date_to=date_to,
        match="any" if any_word else "all",
        today=_today(today),
    )
    if as_json:
        _print_json_line(result.to_dict())
    else:
        print_cooccur(console, result)
