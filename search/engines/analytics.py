"""Timelines from an engine's period counts: :class:`~search.analytics.Timeline` made of
:meth:`~search.engines.Engine.period_counts` (OpenSearch: ``date_histogram``), with the
periods, the range and the order of the series decided as :func:`search.analytics.timeline`
decides them for the embedded index, so both give the same numbers and the same JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from whoosh import query as wq

from search.analytics.timeline import PERIODS, Series, Timeline, periods
from search.engines import Engine, PeriodCounts

#: The series of articles without a source, with ``per_source``.
NO_SOURCE = "(ohne Quelle)"


def engine_timeline(
    engine: Engine,
    queries: Sequence[tuple[str, wq.Query]],
    *,
    by: str = "month",
    first: dt.date | None = None,
    last: dt.date | None = None,
    per_source: bool = False,
    normalize: bool = False,
    stories: bool = False,
) -> Timeline:
    """Count the articles each query matches per period (see :func:`search.analytics.timeline`).

    :param first: first day of the range (default: the index's first date).
    :param last: last day of the range (default: the index's last date).
    :param stories: count distinct stories instead of articles (the row of all articles
        too), as the embedded index does.
    """
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}: use {', '.join(PERIODS)}")
    stats = engine.stats()
    lo = first or stats.first_date
    hi = last or stats.last_date
    spans = periods(lo, hi, by) if lo is not None and hi is not None and lo <= hi else []
    dates = (lo, hi) if spans else None
    slot = {p.start: i for i, p in enumerate(spans)}

    def row(counts: PeriodCounts) -> list[int]:
        out = [0] * len(spans)
        for start, n in counts.counts.items():
            out[slot[start]] += n
        return out

    everything = engine.period_counts(None, by, dates, stories=stories)[None]
    series: list[Series] = []
    for label, q in queries:
        found = engine.period_counts(q, by, dates, per_source=per_source, stories=stories)
        if per_source:
            ranked = [
                Series(label, row(c), undated=c.undated, source=source or NO_SOURCE)
                for source, c in found.items()
            ]
            ranked.sort(key=lambda s: (-(s.total + s.undated), s.source))
            series.extend(ranked)
        else:
            c = found[None]
            series.append(Series(label, row(c), undated=c.undated))
    return Timeline(
        by=by,
        periods=spans,
        series=series,
        articles=row(everything),
        undated_articles=everything.undated,
        normalize=normalize,
        corpus_size=stats.articles,
        queries=[label for label, _ in queries],
        stories=stories,
    )
