"""Facets: the matching articles counted by source, section, author and year.

Each value comes with the filter that selects it (``quelle:rheinkurier.de``,
``autor:"Anna Berger"``, ``datum:2022``), written so that copying it into a query works.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from whoosh.searching import Searcher

from search.analytics.columns import (
    date_ordinals,
    matching_docs,
    stored_values,
    story_keys,
    text_column,
)

#: Facet name -> the query-language field that filters on it.
FACET_FIELDS: dict[str, str] = {
    "source": "quelle",
    "section": "ressort",
    "author": "autor",
    "year": "datum",
}

#: A value that can stand bare after ``field:`` (no space, quote, bracket or operator).
_BARE = re.compile(r"^[\w.\-/@]+$")


def facet_filter(facet: str, value: str) -> str:
    """The query filter that selects one facet value, quoted when it must be.

    >>> facet_filter("author", "Anna Berger")
    'autor:"Anna Berger"'
    >>> facet_filter("source", "rheinkurier.de")
    'quelle:rheinkurier.de'
    """
    name = FACET_FIELDS[facet]
    if _BARE.match(value) and value.upper() not in {"AND", "OR", "NOT", "UND", "ODER", "NICHT"}:
        return f"{name}:{value}"
    # A double quote inside cannot be escaped in the query syntax; the keyword analyser
    # splits on it anyway, so a space finds the same words.
    return f'{name}:"{value.replace(chr(34), " ")}"'


@dataclass(frozen=True, slots=True)
class FacetCount:
    """One facet value, its count, and the filter that selects it.

    ``exact`` is False when the filter also finds other values of this facet among the
    matches (``ressort:Politik`` finds ``Inland/Politik`` too: field filters match words).
    """

    value: str
    count: int
    filter: str
    exact: bool = True

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "count": self.count,
            "filter": self.filter,
            "exact": self.exact,
        }


@dataclass(slots=True)
class Facets:
    """Top values per facet of one query's matches; ``missing`` counts articles without one."""

    query: str
    total: int
    fields: dict[str, list[FacetCount]] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    distinct: dict[str, int] = field(default_factory=dict)
    #: The counts are of distinct stories, not of articles.
    stories: bool = False

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "counted": "stories" if self.stories else "articles",
            "facets": {
                name: {
                    "values": [v.to_dict() for v in values],
                    "distinct": self.distinct.get(name, 0),
                    "missing": self.missing.get(name, 0),
                }
                for name, values in self.fields.items()
            },
        }


def facets(
    searcher: Searcher, label: str, query, *, top: int = 10, stories: bool = False
) -> Facets:
    """Count the articles ``query`` matches by source, section, author and year.

    :param stories: count distinct stories (:mod:`search.stories`) instead: per value, the
        stories among its articles ("how many distinct stories", not "how many copies").
    """
    docs = sorted(matching_docs(searcher, query))
    key = story_keys(searcher) if stories else None
    result = Facets(label, len(docs) if key is None else len({key[d] for d in docs}))
    result.stories = stories
    for name in ("source", "section", "author"):
        column = text_column(searcher, name)
        if column is not None:
            values = [column[d] for d in docs]
        else:  # an index built before the facet columns: read the stored values
            stored = stored_values(searcher, name, docs)
            values = [stored[d] for d in docs]
        counts = _counts(values, docs, key)
        _add(result, name, counts, top, searcher.schema[name].analyzer)
    dates = date_ordinals(searcher)
    years = ["" if dates[d] is None else str(dt.date.fromordinal(dates[d]).year) for d in docs]
    _add(result, "year", _counts(years, docs, key), top)
    return result


def _counts(values: list[str], docs: list[int], key: list[str] | None) -> Counter[str]:
    """How many documents (with ``key``: distinct keys of documents) have each value."""
    if key is None:
        return Counter(values)
    return Counter(v for v, _ in {(v, key[d]) for v, d in zip(values, docs, strict=True)})


def _add(result: Facets, name: str, counts: Counter[str], top: int, analyzer=None) -> None:
    result.missing[name] = counts.pop("", 0)
    result.distinct[name] = len(counts)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    words = {v: _words(v, analyzer) for v in counts} if analyzer is not None else {}
    result.fields[name] = [
        FacetCount(v, c, facet_filter(name, v), not _contained(v, words)) for v, c in ranked
    ]


def _words(value: str, analyzer) -> tuple[str, ...]:
    return tuple(t.text for t in analyzer(value))


def _contained(value: str, words: dict[str, tuple[str, ...]]) -> bool:
    """Do the words of ``value`` stand, in order, inside another value's words?"""
    mine = words.get(value)
    if not mine:
        return False
    n = len(mine)
    for other, theirs in words.items():
        if other != value and any(theirs[i : i + n] == mine for i in range(len(theirs) - n + 1)):
            return True
    return False


def facets_from_counts(
    label: str, total: int, counts: dict[str, Counter[str]], schema, *, top: int = 10
) -> Facets:
    """Facets from value counts an engine made (see
    :meth:`search.engines.Engine.value_counts`), ranked and marked as :func:`facets` does."""
    result = Facets(label, total)
    for name in ("source", "section", "author"):
        _add(result, name, counts[name], top, schema[name].analyzer)
    _add(result, "year", counts["year"], top)
    return result
