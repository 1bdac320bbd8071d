"""Search engines behind :class:`search.NewsIndex`: the seam between Zeitung and where the
postings live.

Zeitung decides everything that makes a result — reading files, German analysis, the query
language, snippets, ranking parameters — and an engine stores analysed documents and runs
built queries. The interface is :class:`Engine` (reading) and :class:`EngineWriter` (one
batch of writes between two commits). Documents cross it as the plain dict of
:func:`search.index._document` (``id``, ``title``, ``text``, ``date`` as a datetime, ``url``,
``source``, ``author``, ``section``, ``site``, ``path``, ``file_state``, ``digest``), queries
as the Whoosh query objects the builder makes, results as stored-field dicts of the same
shape. Implementations: :mod:`.opensearch` (a cluster, ``opensearch://HOST:PORT/NAME``);
the embedded Whoosh index is still inside :mod:`search.index` (see the module's plan).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Literal, Protocol

from whoosh import query as wq

from search.ingest import FileState

SortOrder = Literal["relevance", "date", "-date"]

#: Index locations that name a search server rather than a directory. ``pathlib`` folds the
#: double slash (``opensearch:/host:9200/name``), so one slash is accepted too.
_URL = re.compile(r"^(opensearchs?|https?):/{1,2}(?=[^/])", re.IGNORECASE)


def is_engine_url(location: object) -> bool:
    """Does *location* (a str or a path) name a search server, not a directory?"""
    return location is not None and bool(_URL.match(str(location)))


def engine_url(location: object) -> str:
    """*location* with the double slash restored (``opensearch:/h:1/n`` -> ``opensearch://h:1/n``)."""
    return _URL.sub(lambda m: m.group(1).lower() + "://", str(location), count=1)


@dataclass(slots=True)
class StoredHit:
    """One result of :meth:`Engine.search`: the stored fields and the relevance score."""

    fields: dict
    score: float


@dataclass(slots=True)
class NativeQuery:
    """What an engine will run for a query, for ``search --explain`` (empty for Whoosh,
    whose query is the built query itself)."""

    text: str = ""
    approximate: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EngineStats:
    """What :meth:`Engine.stats` counts (the index adds its location)."""

    articles: int
    sources: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    size_bytes: int


@dataclass(slots=True)
class PeriodCounts:
    """Articles counted by the first day of their period (``by``: day, week from Monday,
    month, year), and those without a date."""

    counts: dict[dt.date, int] = field(default_factory=dict)
    undated: int = 0


class EngineWriter(Protocol):
    """Writes between two commits. Nothing is visible to searches before :meth:`commit`;
    after a crash, everything committed before stays."""

    def add(self, doc: dict) -> None:
        """Add or replace (by ``id``) one document (buffered)."""

    def needs_sending(self) -> bool:
        """Does the buffer hold more than one request's worth (then it goes out in parts)?"""

    def send_if_full(self) -> None:
        """Called at file boundaries: the buffer may go to the engine now (not yet visible
        as committed; a crash may keep it, so a file is never sent in part unmarked)."""

    def delete_paths(self, paths: list[str]) -> None:
        """Delete, at commit, the documents of these files written before this run."""

    def delete_id(self, article_id: str) -> None:
        """Delete, at commit, the document with this id."""

    def committed(
        self, ids: list[str], digest_keys: list[str]
    ) -> list[tuple[str, str, str, list[str]]]:
        """``(id, path, run, dedup keys)`` of committed documents with one of these ids or
        dedup keys."""

    def story_buckets(
        self, terms: Iterable[str]
    ) -> dict[str, list[tuple[str, str, str, str, bytes]]]:
        """``(id, path, run, story, signature bytes)`` of the committed documents in each
        LSH bucket shared by at most :data:`search.stories.MAX_BUCKET` documents ([] for
        larger ones), those this writer sent left out."""

    def story_labels(self, labels: Iterable[str]) -> dict[str, list[tuple[str, str, str]]]:
        """``(id, path, run)`` of the committed documents whose story is one of *labels*."""

    def commit(self) -> None: ...

    def cancel(self) -> None: ...


class Engine(Protocol):
    """One index of analysed articles in some engine."""

    #: Where the index is, for messages (no credentials in it).
    location: str

    def count(self) -> int: ...

    def file_states(self) -> dict[str, FileState]:
        """Path -> state of every indexed file (a path with two states is left out: read
        it again)."""

    def partial_paths(self) -> set[str]:
        """Files committed only in part by an interrupted run."""

    def save_partial_paths(self, paths: set[str]) -> None: ...

    def file_records(self) -> dict:
        """The :class:`~search.filestates.FileRecords` data (``files``, ``folded``)."""

    def save_file_records(self, records: dict) -> None: ...

    def writer(self, run_id: str) -> EngineWriter:
        """A writer for one batch of the run *run_id* (documents carry it)."""

    def lock(self) -> AbstractContextManager:
        """Held while writing: one writer at a time (raises :class:`IndexLocked`)."""

    def explain(self, q: wq.Query) -> NativeQuery:
        """The engine's own form of *q*."""

    def search(
        self, q: wq.Query, *, limit: int | None, sort: SortOrder, collapse: bool = False
    ) -> tuple[list[StoredHit], int]:
        """The best *limit* hits (None: all) in *sort* order, and how many match in all.
        With *collapse*, only the best hit of each story, and the number of stories."""

    def document(self, article_id: str) -> dict | None: ...

    def documents(self) -> Iterator[dict]: ...

    def story_members(
        self, stories: Iterable[str], *, whole: bool = False
    ) -> dict[str, list[dict]]:
        """Story -> the stored fields of its articles (id, source and date only, unless
        *whole*)."""

    def stats(self) -> EngineStats: ...

    def period_counts(
        self,
        q: wq.Query | None,
        by: str,
        dates: tuple[dt.date, dt.date] | None,
        *,
        per_source: bool = False,
        stories: bool = False,
    ) -> dict[str | None, PeriodCounts]:
        """The articles *q* matches (None: all) dated from ``dates[0]`` to ``dates[1]``
        (None: none dated), counted by period, and the undated ones. Exact counts. With
        *per_source*, one entry for each source (verbatim, "" for none) of *any* match,
        dated in the range or not; else one entry, under None. With *stories*, distinct
        story ids are counted instead of articles."""

    def value_counts(
        self, q: wq.Query, names: Sequence[str], *, stories: bool = False
    ) -> tuple[int, dict[str, Counter]]:
        """How many articles *q* matches, and for each facet name (``source``, ``author``,
        ``section``: the verbatim value; ``year``) how many matches hold each value ("" for
        none). Exact counts; of distinct stories with *stories*."""

    def matching_ids(self, q: wq.Query) -> list[str]:
        """The ids of every article *q* matches."""

    def stored_documents(self, ids: Sequence[str]) -> Iterator[dict]:
        """The stored text, title and date of these articles (any order)."""

    def text_length(self) -> int:
        """Tokens of the ``text`` field in all, as the Whoosh index counts its length."""

    def term_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How often each term occurs in ``text`` in the whole index."""

    def close(self) -> None: ...
