"""Timelines, facets and collocates in the terminal (rich): the CLI's view of the analytics."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from search.analytics.cooccur import Cooccurrence
from search.analytics.facets import Facets
from search.analytics.timeline import UNDATED_LABEL, Timeline

COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red")
BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, top: float, width: int) -> str:
    """A horizontal bar of ``value`` on a scale where ``top`` fills ``width`` cells.

    >>> bar(5, 10, 4)
    '██'
    >>> bar(0, 10, 4)
    ''
    """
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / top * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


def _value(v: float, share: bool) -> str:
    return f"{v:.1%}" if share else f"{int(v):,}".replace(",", ".")


#: Series shown side by side in the terminal; more (per source) go to --json or csv.
MAX_COLUMNS = 6


def print_timeline(console: Console, tl: Timeline, *, width: int | None = None) -> None:
    """A bar chart: one row per period, one column (bar and number) per query."""
    total_width = width or console.width
    fits = max(1, min(MAX_COLUMNS, (total_width - 20) // 16))
    hidden = tl.series[fits:]
    if hidden:
        tl = replace(tl, series=tl.series[:fits])
    n = max(1, len(tl.series))
    bar_width = max(4, (total_width - 20) // n - 9)
    one_query = len(set(tl.queries)) == 1
    values = [tl.values(s) for s in tl.series]
    top = max((max(v, default=0) for v in values), default=0)
    span = f"{tl.first} … {tl.last}" if tl.periods else "keine datierten Artikel"
    unit = "Meldungen" if tl.stories else "Artikel"  # a story: one report, all its copies
    what = f"Anteil an allen {unit}" if tl.normalize else unit
    about = f" für {tl.queries[0]}" if one_query and tl.queries else ""
    table = Table(
        title=f"{what}{about} pro {_by_de(tl.by)}, {span}",
        caption=f"{tl.corpus} · {tl.corpus_size:,} Artikel".replace(",", "."),
        show_footer=True,
        box=None,
        pad_edge=False,
    )
    table.add_column("Zeitraum", footer="gesamt", no_wrap=True, min_width=10)
    table.add_column("alle", justify="right", style="dim", footer=_value(sum(tl.articles), False))
    for i, s in enumerate(tl.series):
        colour = COLOURS[i % len(COLOURS)]
        total = s.total / sum(tl.articles) if tl.normalize and sum(tl.articles) else s.total
        name = s.source if one_query and s.source else s.name
        table.add_column(
            Text(name, style=f"bold {colour}"),
            footer=_value(total, tl.normalize),
            no_wrap=True,
            min_width=bar_width + 7,
        )
    for row, period in enumerate(tl.periods):
        cells: list[Text | str] = [period.label, _value(tl.articles[row], False)]
        for i, _s in enumerate(tl.series):
            v = values[i][row]
            cell = Text(bar(v, top, bar_width), style=COLOURS[i % len(COLOURS)])
            cell.append(f" {_value(v, tl.normalize)}", style="default")
            cells.append(cell)
        table.add_row(*cells)
    undated = [
        _value(s.undated / tl.undated_articles if tl.undated_articles else 0.0, True)
        if tl.normalize
        else _value(s.undated, False)
        for s in tl.series
    ]
    table.add_row(
        Text(UNDATED_LABEL, style="italic"), str(tl.undated_articles), *undated, end_section=True
    )
    console.print(table)
    if hidden:
        console.print(
            f"… {len(hidden)} more series ({', '.join(s.name for s in hidden[:3])}"
            f"{', …' if len(hidden) > 3 else ''}): see a wider terminal, --json or --format csv",
            style="dim",
            highlight=False,
        )


def _by_de(by: str) -> str:
    return {"day": "Tag", "week": "Woche", "month": "Monat", "year": "Jahr"}[by]


FACET_TITLES = {"source": "Quelle", "section": "Ressort", "author": "Autor", "year": "Jahr"}


def print_facets(console: Console, facets: Facets) -> None:
    """One small table per facet: value, count, a bar, and the filter to copy."""
    console.print(
        f"[bold]{facets.total:,}[/] {'Meldungen' if facets.stories else 'Artikel'} für "
        f"{escape(facets.query)}".replace(",", "."),
        highlight=False,
    )
    for name, values in facets.fields.items():
        top = max((v.count for v in values), default=0)
        table = Table(
            title=f"{FACET_TITLES[name]} ({facets.distinct.get(name, 0)} Werte"
            + (f", {facets.missing[name]} ohne)" if facets.missing.get(name) else ")"),
            title_justify="left",
            box=None,
            pad_edge=False,
        )
        table.add_column("Meldungen" if facets.stories else "Artikel", justify="right")
        table.add_column("", no_wrap=True)
        table.add_column("Filter", no_wrap=True)
        for v in values:
            shown = v.filter if v.exact else f"{v.filter} *"
            table.add_row(str(v.count), Text(bar(v.count, top, 20), style="cyan"), shown)
        console.print(table)
    if any(not v.exact for values in facets.fields.values() for v in values):
        console.print("* der Filter findet auch Werte, die ihn enthalten", style="dim")


def print_cooccur(console: Console, result: Cooccurrence) -> None:
    """Collocates ranked by log-likelihood, overall and (with ``by_year``) per year."""
    window = "im selben Satz" if result.window == "sentence" else f"±{result.window} Wörter"
    note = (
        f"{result.read:,} von {result.matched:,} Artikeln gelesen (Stichprobe)"
        if result.sampled
        else f"{result.matched:,} Artikel"
    ).replace(",", ".")
    console.print(f"Wörter bei [bold]{escape(result.query)}[/] ({window}; {note})")
    groups = {"": result.collocates, **result.by_year}
    for group, collocates in groups.items():
        table = Table(title=group or None, title_justify="left", box=None, pad_edge=False)
        table.add_column("Wort")
        table.add_column("hier", justify="right")
        table.add_column("erwartet", justify="right", style="dim")
        table.add_column("im Korpus", justify="right", style="dim")
        table.add_column("LL", justify="right")
        table.add_column("logDice", justify="right")
        for c in collocates:
            table.add_row(
                escape(c.word),
                str(c.frequency),
                f"{c.expected:.1f}",
                str(c.corpus_frequency),
                f"{c.log_likelihood:.1f}",
                f"{c.log_dice:.2f}",
            )
        if not collocates:
            table.add_row("—", "", "", "", "", "")
        console.print(table)
