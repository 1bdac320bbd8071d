"""Timeline charts as PNG or SVG files (matplotlib, the optional extra ``zeitung[plot]``)."""

from __future__ import annotations

from pathlib import Path

from search.analytics.timeline import Timeline
from search.errors import ZeitungError

#: Size of the chart in inches at ``DPI``: 1,200 × 600 pixels.
FIGSIZE = (10.0, 5.0)
DPI = 120

_BY = {"day": "Tag", "week": "Woche", "month": "Monat", "year": "Jahr"}


def write_chart(tl: Timeline, path: str | Path, *, fmt: str | None = None) -> Path:
    """Draw the timeline (one line per query, or bars for a single series) into ``path``.

    :param fmt: ``png`` or ``svg``; default: from the file's suffix.
    :raises ZeitungError: matplotlib is not installed, or the format is unknown.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
        from matplotlib.ticker import PercentFormatter
    except ImportError:
        raise ZeitungError(
            "charts need matplotlib: pip install 'zeitung[plot]' (or pip install matplotlib)"
        ) from None
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    if fmt not in ("png", "svg"):
        raise ZeitungError(f"cannot write a chart as {fmt!r}: use .png or .svg")
    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    try:
        x = [p.start for p in tl.periods]
        single = len(tl.series) == 1 and len(x) <= 60
        for i, s in enumerate(tl.series):
            y = [v * 100 for v in tl.shares(s)] if tl.normalize else s.counts
            label = f"{s.name} ({s.total:,} Artikel)".replace(",", ".")
            if single:
                widths = [(p.end - p.start).days * 0.8 + 0.8 for p in tl.periods]
                ax.bar(x, y, width=widths, align="edge", label=label, color=f"C{i}")
            else:
                ax.plot(
                    x,
                    y,
                    label=label,
                    color=f"C{i}",
                    linewidth=1.6,
                    marker="." if len(x) <= 60 else None,
                )
        ax.set_xlabel(_BY[tl.by])
        if tl.normalize:
            ax.set_ylabel("Anteil an allen Artikeln")
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=1))
        else:
            ax.set_ylabel(f"Artikel pro {_BY[tl.by]}")
        ax.set_ylim(bottom=0)
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="best", frameon=True, framealpha=0.85)
        span = f"{tl.first:%d.%m.%Y} – {tl.last:%d.%m.%Y}" if tl.periods else "ohne Daten"
        corpus = f"{Path(tl.corpus).name or tl.corpus} ({tl.corpus_size:,} Artikel)".replace(
            ",", "."
        )
        ax.set_title(f"Berichterstattung pro {_BY[tl.by]}, {span} — Korpus {corpus}", fontsize=11)
        fig.tight_layout()
        fig.savefig(path, format=fmt)
    finally:
        plt.close(fig)
    return path
