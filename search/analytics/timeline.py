"""Timelines: exact counts of matching articles per day, week, month or year.

Every period of the range is there, empty ones as 0; undated matches are counted apart
("ohne Datum"); beside each count stands the number of all articles in the period, so a
share of coverage can be given (archives grow: a raw count rises with them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from whoosh.searching import Searcher

from search.analytics.columns import (
    date_ordinals,
    live_docs,
    matching_docs,
    story_keys,
    text_column,
)

By = Literal["day", "week", "month", "year"]
PERIODS: tuple[str, ...] = ("day", "week", "month", "year")
UNDATED_LABEL = "ohne Datum"


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a timeline: ``label`` (2022-01, 2022-W01, …), first and last day."""

    label: str
    start: dt.date
    end: dt.date


def period_start(day: dt.date, by: str) -> dt.date:
    """The first day of the period that holds ``day``."""
    if by == "day":
        return day
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    if by == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown period {by!r}: use {', '.join(PERIODS)}")


def _next_start(start: dt.date, by: str) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return dt.date(start.year + 1, 1, 1)


def _label(start: dt.date, by: str) -> str:
    if by == "day":
        return start.isoformat()
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{start:%Y-%m}"
    return f"{start:%Y}"


def periods(first: dt.date, last: dt.date, by: str) -> list[Period]:
    """Every period from the one holding ``first`` to the one holding ``last``.

    >>> [p.label for p in periods(dt.date(2021, 11, 5), dt.date(2022, 2, 1), "month")]
    ['2021-11', '2021-12', '2022-01', '2022-02']
    >>> periods(dt.date(2022, 1, 5), dt.date(2022, 1, 5), "week")[0]
    Period(label='2022-W01', start=datetime.date(2022, 1, 3), end=datetime.date(2022, 1, 9))
    """
    out = []
    start = period_start(first, by)
    while start <= last:
        nxt = _next_start(start, by)
        out.append(Period(_label(start, by), start, nxt - dt.timedelta(days=1)))
        start = nxt
    return out


@dataclass(slots=True)
class Series:
    """The counts of one query (and, with ``per_source``, one source) over the periods."""

    query: str
    counts: list[int]
    undated: int = 0
    source: str | None = None

    @property
    def total(self) -> int:
        """Matching articles in the range, undated ones not included."""
        return sum(self.counts)

    @property
    def name(self) -> str:
        return self.query if self.source is None else f"{self.query} · {self.source}"


@dataclass(slots=True)
class Timeline:
    """Counts of matching articles per period, one :class:`Series` per query (and source).

    ``articles[i]`` is the number of all articles in period ``i``; ``shares`` divides by it.
    """

    by: str
    periods: list[Period]
    series: list[Series]
    articles: list[int]
    undated_articles: int
    corpus: str = ""
    corpus_size: int = 0
    normalize: bool = False
    queries: list[str] = field(default_factory=list)
    #: Counts are of distinct stories (near-copies counted once), not of articles.
    stories: bool = False

    def shares(self, series: Series) -> list[float]:
        """The series as a share (0…1) of all articles in each period; 0 for an empty one."""
        return [c / a if a else 0.0 for c, a in zip(series.counts, self.articles, strict=True)]

    def values(self, series: Series) -> list[float] | list[int]:
        """What is shown: shares with ``normalize``, else counts."""
        return self.shares(series) if self.normalize else series.counts

    @property
    def first(self) -> dt.date | None:
        return self.periods[0].start if self.periods else None

    @property
    def last(self) -> dt.date | None:
        return self.periods[-1].end if self.periods else None

    def rows(self) -> list[dict]:
        """One dict per period (then one for the undated): the ``--json`` lines.

        ``counts`` maps each query to its count (with ``per_source``: to ``{source: count}``);
        ``shares`` the same as a share of ``articles``, the period's articles.
        """
        per_source = any(s.source is not None for s in self.series)

        def table(values: Callable[[Series], object]) -> dict:
            out: dict = {}
            for s in self.series:
                if per_source:
                    out.setdefault(s.query, {})[s.source] = values(s)
                else:
                    out[s.query] = values(s)
            return out

        rows = []
        for i, p in enumerate(self.periods):
            articles = self.articles[i]
            rows.append(
                {
                    "period": p.label,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "articles": articles,
                    "counts": table(lambda s, i=i: s.counts[i]),
                    "shares": table(
                        lambda s, i=i, a=articles: round(s.counts[i] / a, 6) if a else 0.0
                    ),
                }
            )
        rows.append(
            {
                "period": UNDATED_LABEL,
                "start": None,
                "end": None,
                "articles": self.undated_articles,
                "counts": table(lambda s: s.undated),
                "shares": table(
                    lambda s: (
                        round(s.undated / self.undated_articles, 6)
                        if self.undated_articles
                        else 0.0
                    )
                ),
            }
        )
        return rows

    def csv_rows(self) -> list[list[object]]:
        """A header and one row per period (and the undated): one column per series."""
        header = ["period", "start", "end", "articles"] + [s.name for s in self.series]
        out: list[list[object]] = [header]
        for i, p in enumerate(self.periods):
            values = [
                round(self.shares(s)[i], 6) if self.normalize else s.counts[i] for s in self.series
            ]
            out.append([p.label, p.start.isoformat(), p.end.isoformat(), self.articles[i], *values])
        undated = [
            (round(s.undated / self.undated_articles, 6) if self.undated_articles else 0.0)
            if self.normalize
            else s.undated
            for s in self.series
        ]
        out.append([UNDATED_LABEL, "", "", self.undated_articles, *undated])
        return out


def timeline(
    searcher: Searcher,
    queries: Sequence[tuple[str, object]],
    *,
    by: str = "month",
    first: dt.date | None = None,
    last: dt.date | None = None,
    per_source: bool = False,
    normalize: bool = False,
    stories: bool = False,
) -> Timeline:
    """Count the articles each query matches per period.

    :param queries: ``(label, whoosh query)`` pairs, shown side by side.
    :param first: first day of the range (default: the index's first date).
    :param last: last day of the range (default: the index's last date).
    :param per_source: one series per query and source.
    :param stories: count distinct stories (:mod:`search.stories`) instead of articles, in
        each period (a story run on two days counts in both) and among all articles.
    """
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}: use {', '.join(PERIODS)}")
    dates = date_ordinals(searcher)
    live = live_docs(searcher)
    dated = [dates[d] for d in live if dates[d] is not None]
    lo = first.toordinal() if first else (min(dated) if dated else None)
    hi = last.toordinal() if last else (max(dated) if dated else None)
    spans = (
        periods(dt.date.fromordinal(lo), dt.date.fromordinal(hi), by)
        if lo is not None and hi is not None and lo <= hi
        else []
    )
    index_of: dict[int, int] = {}  # date ordinal -> period index, filled lazily

    def slot(ordinal: int) -> int | None:
        """The period index of a date, or None outside the range."""
        i = index_of.get(ordinal)
        if i is None:
            if not (lo <= ordinal <= hi):
                return None
            start = period_start(dt.date.fromordinal(ordinal), by)
            i = index_of[ordinal] = _bisect(spans, start)
        return i

    key = story_keys(searcher) if stories else None
    articles, undated_articles = _tally(live, dates, slot, len(spans), key)
    sources = text_column(searcher, "source") if per_source else None
    if per_source and sources is None:
        sources = _site_column(searcher)
    series: list[Series] = []
    for label, q in queries:
        docs = matching_docs(searcher, q)
        if per_source:
            groups: dict[str, list[int]] = {}
            for d in sorted(docs):
                groups.setdefault(sources[d] or "(ohne Quelle)", []).append(d)
            by_source = [
                Series(label, *_tally(members, dates, slot, len(spans), key), source=src)
                for src, members in groups.items()
            ]
            ranked = sorted(by_source, key=lambda s: (-(s.total + s.undated), s.source))
            series.extend(ranked)
        else:
            series.append(Series(label, *_tally(docs, dates, slot, len(spans), key)))
    return Timeline(
        by=by,
        periods=spans,
        series=series,
        articles=articles,
        undated_articles=undated_articles,
        normalize=normalize,
        corpus_size=len(live),
        queries=[label for label, _ in queries],
        stories=stories,
    )


def _tally(
    docs: Iterable[int],
    dates: list[int | None],
    slot: Callable[[int], int | None],
    n: int,
    key: list[str] | None,
) -> tuple[list[int], int]:
    """Documents per period and undated ones; with ``key`` (a story per document), the
    distinct keys per period instead."""
    if key is None:
        counts, undated = [0] * n, 0
        for d in docs:
            o = dates[d]
            if o is None:
                undated += 1
            elif (i := slot(o)) is not None:
                counts[i] += 1
        return counts, undated
    seen: list[set[str]] = [set() for _ in range(n)]
    none: set[str] = set()
    for d in docs:
        o = dates[d]
        if o is None:
            none.add(key[d])
        elif (i := slot(o)) is not None:
            seen[i].add(key[d])
    return [len(s) for s in seen], len(none)


def _bisect(spans: list[Period], start: dt.date) -> int:
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid].start < start:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _site_column(searcher: Searcher) -> list[str]:
    """The lowercased site per document, for indexes built before the ``source`` column."""
    values = text_column(searcher, "site")
    return values if values is not None else [""] * searcher.reader().doc_count_all()
