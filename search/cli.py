"""The ``zeitung`` command: a thin layer over :class:`search.NewsIndex`.

Each command parses its options, makes one call into the API and renders the result; every
command has a ``--json`` form for other programs. Errors from the library become one red line
on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from search import render
from search.engines import engine_url, is_engine_url
from search.errors import ZeitungError
from search.index import (
    COMMIT_EVERY_ARTICLES,
    INDEX_ENV_VAR,
    IndexReport,
    NewsIndex,
    default_index_path,
)
from search.ingest import walk_files
from search.query import SYNTAX
from search.readers import is_supported, iter_articles
from search.snippets import SnippetOptions, kwic_lines

app = typer.Typer(
    name="zeitung",
    help="Full-text search for German news articles: index a directory, then search it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

console = Console()
err = Console(stderr=True, soft_wrap=True)

# -- shared options -------------------------------------------------------------------------

IndexOpt = Annotated[
    str | None,
    typer.Option(
        "--index",
        "-i",
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
            sys.stderr.close()
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
    directory: Annotated[Path, typer.Argument(help="Directory (or file) of articles.")],
    index: IndexOpt = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-read every file.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Parser processes (default: cores).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the run's summary as JSON to FILE.")
    ] = None,
    commit_every: Annotated[
        int,
        typer.Option(
            "--commit-every", min=1, help="Commit after N articles (less lost on a crash)."
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
    idx = NewsIndex.create(path) if rebuild else NewsIndex.open_or_create(path)
    show_bar = not as_json and err.is_terminal
    with Progress(
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} files/s"),
        TimeRemainingColumn(),
        console=err,
        disable=not show_bar,
        transient=True,
    ) as bar:
        task = bar.add_task("index", total=None, rate="-")

        def on_progress(p) -> None:
            elapsed = bar.tasks[task].elapsed or 0.0
            rate = f"{p.done / elapsed:.0f}" if elapsed > 0 else "-"
            bar.update(task, total=p.total, completed=p.done, rate=rate)

        result = idx.update_from(
            directory,
            rebuild=rebuild,
            workers=workers,
            progress=on_progress,
            commit_every=commit_every,
        )
    if report is not None:
        report.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    if as_json:
        _print_json_line({"index": str(idx.path), "total": len(idx), **result.to_dict()})
    else:
        _print_index_summary(result, idx.path, len(idx))


def _print_index_summary(result: IndexReport, path: Path | str, total: int) -> None:
    console.print(
        f"{result.added} added, {result.updated} updated, {result.removed} removed, "
        f"{result.unchanged} unchanged, {len(result.skipped)} skipped"
        + (f", {result.duplicates} duplicates folded" if result.duplicates else "")
        + f" in {result.seconds:.1f} s; {total} articles in {path}",
        highlight=False,
        soft_wrap=True,
    )
    for file, reason in result.skipped[:20]:
        err.print(f"  skipped {file}: {reason}", highlight=False, markup=False)
    if len(result.skipped) > 20:
        err.print(f"  … and {len(result.skipped) - 20} more (see --report FILE)")


class SortChoice(StrEnum):
    relevance = "relevance"
    date = "date"
    newest = "-date"


class OutputFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"


SEARCH_HELP = (
    "Search the index. Words are ANDed; the German forms of a word all match.\n\n"
    "\b\nSyntax:\n" + SYNTAX.rstrip() + "\n\n"
    "\b\nExamples:\n"
    "  zeitung search 'Gaspreise UND datum:2022' --sort -date\n"
    "  zeitung search '\"Preis für Gas\"' --json\n"
    "  zeitung search Hochwasser --kwic --from 2024-01-01"
)


@app.command("search", help=SEARCH_HELP)
@friendly_errors
def search_command(
    query: Annotated[list[str], typer.Argument(help="The query (syntax above).")],
    index: IndexOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Hits to show.")] = 10,
    sort: Annotated[SortChoice, typer.Option("--sort", help="relevance, date or -date.")] = (
        SortChoice.relevance
    ),
    any_word: Annotated[
        bool, typer.Option("--any", help="OR the words instead of AND (bag of words).")
    ] = False,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Only articles on or after this date.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Only articles on or before this date.")
    ] = None,
    fragments: Annotated[int, typer.Option("--fragments", min=0, help="Snippets per hit.")] = 3,
    fragment_size: Annotated[
        int, typer.Option("--fragment-size", min=40, help="Characters per snippet.")
    ] = 200,
    kwic: Annotated[bool, typer.Option("--kwic", help="One concordance line per match.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the parsed query; do not search.")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="terminal, json or html.")
    ] = OutputFormat.terminal,
    as_json: JsonOpt = False,
    today: TodayOpt = None,
) -> None:
    text = " ".join(query)
    idx = NewsIndex.open(_index_path(index))
    match = "any" if any_word else "all"
    day = _today(today)
    if explain:
        parsed = idx.parse(text, match=match, today=day)
        if as_json or output is OutputFormat.json:
            _print_json_line(
                {"query": str(parsed), "tree": parsed.explain(), "notes": parsed.notes}
            )
        else:
            console.print(parsed.explain(), highlight=False, markup=False)
        return
    options = (
        SnippetOptions(fragments=fragments, fragment_size=fragment_size) if fragments else None
    )
    results = idx.search(
        text,
        limit=limit,
        match=match,
        sort=sort.value,
        date_from=date_from,
        date_to=date_to,
        today=day,
        snippets=options,
    )
    for note in results.parsed.notes:
        err.print(f"note: {note}", highlight=False, markup=False)
    if as_json or output is OutputFormat.json:
        for hit in results:
            sys.stdout.write(render.hit_to_json(hit) + "\n")
    elif output is OutputFormat.html:
        sys.stdout.write(render.hits_to_html(list(results), query=text))
    elif kwic:
        lines = {}
        for hit in results:
            article = idx.get(hit.id)
            lines[hit.id] = kwic_lines(
                article.text,
                results.parsed.query,
                fieldname="text",
                fields={"title": article.title},
            )
        render.print_kwic(console, list(results), lines)
    else:
        render.print_hits(console, list(results), total=results.total)
    if not results.hits and not as_json and output is OutputFormat.terminal:
        err.print("no matches", highlight=False)


@app.command("show")
@friendly_errors
def show_command(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (from search).")],
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one whole article.

    \b
    Example:
        zeitung show rheinbote/gaspreise.txt
    """
    article = NewsIndex.open(_index_path(index)).get(article_id)
    if as_json:
        _print_json_line(article.to_dict())
        return
    console.print(f"[bold]{escape(article.title)}[/]")
    meta = " · ".join(
        x
        for x in (
            article.date.isoformat() if article.date else None,
            article.source,
            article.section,
            article.author,
            article.url,
        )
        if x
    )
    console.print(meta, style="dim", highlight=False, markup=False)
    console.print()
    console.print(article.text, highlight=False, markup=False)


#: The keys of ``zeitung parse --json`` lines, in order (a stable contract).
PARSE_KEYS = ("path", "id", "title", "date", "url", "source", "author", "section", "text")


@app.command("parse")
@friendly_errors
def parse_command(
    files: Annotated[list[Path], typer.Argument(help="Files or directories to read.")],
    as_json: JsonOpt = False,
) -> None:
    """Show what the readers extract from files, without indexing them.

    \b
    Example:
        zeitung parse artikel.html --json
    """
    failed = 0
    for root in files:
        if not root.exists():
            raise ZeitungError(f"no such file or directory: {root}")
        base = root if root.is_dir() else root.parent
        for path in walk_files(root):
            if root.is_dir() and not is_supported(path):
                continue
            try:
                articles = list(iter_articles(path, base))
            except ZeitungError as exc:
                failed += 1
                if as_json:
                    _print_json_line({"path": str(path), "error": str(exc)})
                else:
                    err.print(f"[red]{escape(str(path))}:[/] {escape(str(exc))}")
                continue
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
def stats_command(index: IndexOpt = None, as_json: JsonOpt = False) -> None:
    """Articles, sources, date range and size on disk of an index."""
    stats = NewsIndex.open(_index_path(index)).stats()
    if as_json:
        _print_json_line(stats.to_dict())
        return
    span = f"{stats.first_date} … {stats.last_date}" if stats.first_date else "no dated articles"
    console.print(
        f"[bold]{stats.articles}[/] articles in {escape(stats.path)}, "
        f"{stats.size_bytes / 1e6:.1f} MB on disk"
    )
    console.print(f"dates: {span}" + (f" ({stats.undated} undated)" if stats.undated else ""))
    table = Table("source", "articles")
    for source, count in stats.sources.items():
        table.add_row(escape(source), str(count))
    console.print(table)


@app.command("analyze")
@friendly_errors
def analyze_command(
    text: Annotated[list[str], typer.Argument(help="German text to analyse.")],
    as_json: JsonOpt = False,
    index: IndexOpt = None,
) -> None:
    """Show the index terms of a text: positions, offsets, compound parts.

    With --index opensearch://…, also checks that the cluster stores the same terms at the
    same positions.

    \b
    Example:
        zeitung analyze 'Die Gaspreisdeckel der Bürger:innen'
    """
    from analyzers import analyze

    source = " ".join(text)
    rows = [
        {
            "term": t.term,
            "kind": t.kind,
            "pos": t.pos,
            "start": t.start,
            "end": t.end,
            "surface": source[t.start : t.end],
        }
        for t in analyze(source)
    ]
    if as_json:
        for row in rows:
            _print_json_line(row)
        return
    table = Table("pos", "surface", "term", "kind", "chars")
    for row in rows:
        table.add_row(
            str(row["pos"]),
            escape(row["surface"]),
            escape(row["term"]),
            row["kind"],
            f"{row['start']}–{row['end']}",
        )
    console.print(table)
    if index is not None and is_engine_url(index):
        n = NewsIndex.open(_index_path(index)).check_analysis(source)  # type: ignore[attr-defined]
        console.print(f"{_index_path(index)} stores the same {n} terms at the same positions")


def main() -> None:  # pragma: no cover - console entry point
    app()
