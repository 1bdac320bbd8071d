"""``NewsIndex``: the Python API over one Whoosh index of news articles.

Everything the ``zeitung`` command does goes through this class, so an embedding program can
do the same: build or update an index from a directory, search it, fetch an article, read
statistics.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
import re
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.query import And
from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet, FunctionFacet
from whoosh.util.times import long_to_datetime

from analyzers import ANALYSIS_VERSION
from search import analytics, split_cache
from search.analytics import PERIODS, Cooccurrence, Facets, Timeline
from search.codec import InliningCodec
from search.columns import column_values
from search.dates import parse_date_expression
from search.errors import (
    ArticleNotFound,
    IndexIncompatible,
    IndexNotFound,
    QuerySyntaxError,
    ZeitungError,
)
from search.filestates import (
    FILE_RECORDS_NAME,
    PARTIAL_FILES_NAME,
    FileRecords,
    KnownFile,
    PartialFiles,
    live_file_states,
)
from search.ingest import (
    MAX_BAD_RECORDS_KEPT,
    FileState,
    ParsedFile,
    Plan,
    parse_files,
    plan_update,
)
from search.known_terms import KnownTerms
from search.locking import LOCK_NAME, WriteLock
from search.merging import merge_small_batches
from search.model import Article, Hit
from search.query import RANKING_VERSION, WEIGHTING, ParsedQuery, date_filter, parse_query
from search.readers import BadRecord
from search.results import SearchResults
from search.schema import build_schema
from search.segment_workers import SegmentWorkers, commit_with
from search.snippets import KwicLine, SnippetOptions
from search.stories import (
    SegmentBuckets,
    StoryAssigner,
    count_stories,
    member_fields,
    story_hits,
)
from search.suggest import PartCount, explain_no_hits
from search.swap import REBUILD_DIR, fresh_aside, swap_in

#: Where the index lives when no directory is named (and ``$ZEITUNG_INDEX`` is not set).
DEFAULT_INDEX_DIR = "zeitung-index"
INDEX_ENV_VAR = "ZEITUNG_INDEX"

#: Commit at the first file boundary after this many articles or seconds: a crash or Ctrl-C
#: loses at most this much work, and never anything committed before.
COMMIT_EVERY_ARTICLES = 2000
COMMIT_EVERY_SECONDS = 30.0

#: Memory the Whoosh writer may use before it spills a segment to disk.
WRITER_LIMIT_MB = 128

#: The same for each writer process (:mod:`search.segment_workers`): there are as many as
#: cores, each holding its pool beside its own analysis caches.
WORKER_LIMIT_MB = 64

#: Below this many bytes to read, one writer in this process: starting writer processes
#: (each loads the lexicon) costs more than they save.
PARALLEL_MIN_BYTES = 1024 * 1024

SortOrder = Literal["relevance", "date", "-date"]

DEFAULT_SNIPPETS = SnippetOptions()


def default_index_path() -> Path:
    """``$ZEITUNG_INDEX`` if set, else ``./zeitung-index``."""
    return Path(os.environ.get(INDEX_ENV_VAR) or DEFAULT_INDEX_DIR)


@dataclass(slots=True)
class FileBadRecords:
    """The records of one multi-record file that were skipped (the first few, and how many)."""

    path: str
    count: int = 0
    records: list[BadRecord] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "count": self.count,
            "records": [{"where": b.where, "reason": b.reason} for b in self.records],
        }


@dataclass(slots=True)
class IndexReport:
    """What one ``index`` run did.

    ``added``, ``updated``, ``removed`` and ``unchanged`` count files; ``articles`` the
    articles written (from the added and updated files), ``duplicates`` those folded into
    an already indexed copy instead.
    """

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    articles: int = 0
    duplicates: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    bad_records: list[FileBadRecords] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        """Articles written per second of the whole run (0 when nothing was written)."""
        return self.articles / self.seconds if self.articles and self.seconds > 0 else 0.0

    def add_bad_records(self, path: str, records: list[BadRecord], count: int) -> None:
        """Note skipped records of one file (a streamed file reports them chunk by chunk)."""
        if not count:
            return
        if not self.bad_records or self.bad_records[-1].path != path:
            entry = next((b for b in self.bad_records if b.path == path), None)
            if entry is None:
                entry = FileBadRecords(path)
                self.bad_records.append(entry)
        else:
            entry = self.bad_records[-1]
        entry.count += count
        entry.records.extend(records[: max(0, MAX_BAD_RECORDS_KEPT - len(entry.records))])

    def to_dict(self) -> dict:
        """The JSON of ``zeitung index --json`` and ``--report`` (see the README)."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "unsupported": len(self.unsupported),
            "articles_written": self.articles,
            "duplicates": self.duplicates,
            "bad_records": [b.to_dict() for b in self.bad_records],
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 1),
        }


@dataclass(slots=True)
class IndexStats:
    """Size and coverage of an index."""

    path: str
    articles: int
    sources: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    size_bytes: int

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "articles": self.articles,
            "sources": self.sources,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "undated": self.undated,
            "size_bytes": self.size_bytes,
        }


@dataclass(slots=True)
class Progress:
    """Passed to an ``index`` progress callback after each file, and after each chunk of
    a big file that is streamed (``done`` then stays, the bytes grow).

    :ivar done: files finished, of ``total``.
    :ivar articles: articles written so far.
    :ivar bytes_done: bytes of the files to read that are read (a streamed file's part
        estimated from the text of its articles), of ``bytes_total``.
    :ivar seconds: since the run started.
    """

    done: int
    total: int
    path: str
    articles: int
    bytes_done: int = 0
    bytes_total: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Articles written per second so far."""
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds still to go at the rate so far (by bytes), None until it is known."""
        if self.bytes_done <= 0 or self.bytes_total <= 0 or self.seconds <= 0:
            return None
        left = max(0, self.bytes_total - self.bytes_done)
        return left * self.seconds / self.bytes_done


class NewsIndex:
    """A searchable index of news articles in one directory.

    >>> import tempfile, pathlib
    >>> idx = NewsIndex.create(pathlib.Path(tempfile.mkdtemp()) / "ix")
    >>> idx.add_articles([Article(id="a1", title="Gaspreise", text="Der Preis für Gas steigt.")])
    1
    >>> [hit.id for hit in idx.search("Gaspreis")]
    ['a1']
    >>> idx.search('"Preis für Gas"')[0].snippets[0].text
    'Der Preis für Gas steigt.'
    """

    def __init__(self, ix: whoosh_index.Index, path: Path) -> None:
        self._ix = ix
        self.path = path
        self._searcher: Searcher | None = None
        self._retired: list[Searcher] = []
        self._lent: weakref.WeakSet[SearchResults] = weakref.WeakSet()
        #: Searches with snippets so far (:data:`SEED_SPLITS_AT`).
        self._snippet_searches = 0

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> NewsIndex:
        """Open an existing index; :class:`IndexNotFound` if there is none at ``path``.

        ``path`` may also be a search server, ``opensearch://HOST:PORT/NAME`` (see
        :mod:`search.engines.opensearch`).
        """
        if (url := _engine_location(path)) is not None:
            return _engine_index(url, create=False)
        p = Path(path) if path is not None else default_index_path()
        if not _has_index(p):
            raise IndexNotFound(_no_index_message(p))
        try:
            ix = _storage(p).open_index()
        except (ImportError, AttributeError, pickle.UnpicklingError, EOFError) as exc:
            # The schema, with its analysers, is pickled into the index: classes that
            # moved or vanished since it was built cannot be loaded.
            raise IndexIncompatible(
                f"index at {p} was built by an incompatible version of Zeitung ({exc}); "
                f"rebuild it: zeitung index DIR --index {p} --rebuild"
            ) from None
        built = _analysis_version(ix.schema)
        if built != ANALYSIS_VERSION:
            ix.close()
            raise IndexIncompatible(
                f"index at {p} was built with German analysis version {built}, this Zeitung "
                f"uses {ANALYSIS_VERSION}; rebuild it: zeitung index DIR --index {p} --rebuild"
            )
        ranked = _ranking_version(ix.schema)
        if ranked != RANKING_VERSION:
            ix.close()
            raise IndexIncompatible(
                f"index at {p} was built for ranking version {ranked}, this Zeitung uses "
                f"{RANKING_VERSION} (titles are weighted differently); rebuild it: "
                f"zeitung index DIR --index {p} --rebuild"
            )
        if "story" not in ix.schema:
            ix.close()
            raise IndexIncompatible(
                f"index at {p} was built before story ids (zeitung search --collapse); "
                f"rebuild it: zeitung index DIR --index {p} --rebuild"
            )
        return cls(ix, p)

    @classmethod
    def create(cls, path: str | os.PathLike[str] | None = None) -> NewsIndex:
        """Create an empty index at ``path``, replacing any Zeitung index already there.

        A directory that holds other files and no index is refused, so a mistyped
        ``--index`` never writes into someone's articles.
        """
        if (url := _engine_location(path)) is not None:
            return _engine_index(url, create=True)
        p = Path(path) if path is not None else default_index_path()
        _check_index_dir(p)
        p.mkdir(parents=True, exist_ok=True)
        with WriteLock(p):
            (p / PARTIAL_FILES_NAME).unlink(missing_ok=True)
            (p / FILE_RECORDS_NAME).unlink(missing_ok=True)
            return cls(_storage(p).create_index(_new_schema()), p)

    @classmethod
    def rebuild(
        cls,
        path: str | os.PathLike[str] | None,
        directory: str | os.PathLike[str],
        *,
        workers: int | None = None,
        progress: Callable[[Progress], None] | None = None,
        commit_every: int = COMMIT_EVERY_ARTICLES,
    ) -> tuple[NewsIndex, IndexReport]:
        """Build the index at ``path`` afresh from ``directory``; returns it and the report.

        The new index is built aside and replaces the old one in one step at the end:
        until then readers see the old index, and a rebuild that crashes or is killed
        leaves it intact. Works where :meth:`open` refuses (an index of another version).
        """
        if (url := _engine_location(path)) is not None:  # built aside, then an alias swap
            from search.engines.frontend import EngineIndex

            options = {"workers": workers, "progress": progress, "commit_every": commit_every}
            return EngineIndex.rebuild(url, directory, **options)
        p = Path(path) if path is not None else default_index_path()
        root = Path(directory)
        if not root.exists():
            raise ZeitungError(f"no such file or directory: {root}")
        _check_index_dir(p)
        p.mkdir(parents=True, exist_ok=True)
        with WriteLock(p):
            report = _rebuild_locked(
                p, root, workers=workers, progress=progress, commit_every=commit_every
            )
        return cls.open(p), report

    @classmethod
    def open_or_create(cls, path: str | os.PathLike[str] | None = None) -> NewsIndex:
        """Open the index at ``path``, or create it there if there is none yet."""
        if (url := _engine_location(path)) is not None:
            return _engine_index(url, create=None)
        p = Path(path) if path is not None else default_index_path()
        if _has_index(p):
            return cls.open(p)
        return cls.create(p)

    def _reopen(self) -> None:
        """Open the index again (after a rebuild replaced its table of contents)."""
        self.close()
        self._ix = _storage(self.path).open_index()

    def close(self) -> None:
        self._close_retired(force=True)
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix.close()

    def _current_searcher(self) -> Searcher:
        """One searcher kept open between queries (opening segment files dominates a short
        query), replaced when a writer has committed since.

        Not ``Searcher.refresh()``: it reuses the old segment readers, and a segment whose
        deletions changed keeps showing the deleted documents (found by resuming an
        interrupted file: the replaced articles came back twice).
        """
        current = self._searcher
        if current is not None and current.reader().generation() == self._ix.latest_generation():
            return current
        if current is not None:
            self._retired.append(current)
        self._close_retired()
        self._searcher = self._ix.searcher(weighting=WEIGHTING)
        return self._searcher

    def _close_retired(self, force: bool = False) -> None:
        """Close replaced searchers once no live :class:`SearchResults` still reads from
        them (results build their hits lazily, from the searcher they were found with)."""
        in_use = {id(r.searcher) for r in self._lent}
        keep = []
        for searcher in self._retired:
            if force or id(searcher) not in in_use:
                searcher.close()
            else:
                keep.append(searcher)
        self._retired = keep

    def __enter__(self) -> NewsIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._ix.doc_count()

    def __repr__(self) -> str:
        return f"<NewsIndex {str(self.path)!r}: {len(self)} articles>"

    # -- writing -----------------------------------------------------------------------

    def update_from(
        self,
        directory: str | os.PathLike[str],
        *,
        rebuild: bool = False,
        workers: int | None = None,
        progress: Callable[[Progress], None] | None = None,
        commit_every: int = COMMIT_EVERY_ARTICLES,
    ) -> IndexReport:
        """Bring the index up to date with the files under ``directory``.

        New files are added, changed ones re-read, deleted ones removed; unchanged ones (same
        size and mtime, or same content hash) are not touched. Work is committed in batches
        at file boundaries, so an interruption keeps everything committed before it and the
        next run resumes.

        :param rebuild: read every file again, into a new index built aside that replaces
            this one in one step at the end (see :meth:`rebuild`).
        :param workers: parser processes (default: one per core).
        :param progress: called after each file with a :class:`Progress`.
        :param commit_every: commit after about this many articles (fewer: less lost on a crash).
        """
        root = Path(directory)
        if not root.exists():
            raise ZeitungError(f"no such file or directory: {root}")
        if rebuild:
            with WriteLock(self.path):
                report = _rebuild_locked(
                    self.path, root, workers=workers, progress=progress, commit_every=commit_every
                )
            self._reopen()
            return report
        with WriteLock(self.path):
            return _update(
                self._ix,
                self.path,
                root,
                workers=workers,
                progress=progress,
                commit_every=commit_every,
            )

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Add (or replace, by id) articles that do not come from files; returns how many."""
        count = 0
        with WriteLock(self.path):
            writer = _writer(self._ix)
            searcher = writer.searcher()
            stories = StoryAssigner(searcher)
            try:
                for article in articles:
                    doc = _document(article, article.path or "", None)
                    stories.assign(doc)
                    writer.update_document(**doc)
                    count += 1
            except BaseException:
                searcher.close()
                writer.cancel()
                raise
            searcher.close()
            writer.commit()
        return count

    def delete(self, article_id: str) -> bool:
        """Remove one article by id; False if it was not there.

        The index mirrors a directory: if the article's file is still there, the next
        :meth:`update_from` reads it again (its file then has no live document).
        """
        with WriteLock(self.path):
            writer = _writer(self._ix)
            n = writer.delete_by_term("id", article_id)
            writer.commit()
        return bool(n)

    # -- reading -----------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int | None = 10,
        offset: int = 0,
        match: Literal["all", "any"] = "all",
        sort: SortOrder = "relevance",
        date_from: str | None = None,
        date_to: str | None = None,
        today: dt.date | None = None,
        snippets: SnippetOptions | None = DEFAULT_SNIPPETS,
        collapse: bool = False,
    ) -> SearchResults:
        """Search the index.

        Hits are built when they are read (stored fields, snippets): iterating the results
        streams them, so ``limit=None`` exports every hit in constant memory.

        :param query: query in Zeitung's syntax (see the README); words are ANDed.
        :param limit: at most this many hits (None or 0: all).
        :param offset: skip this many better hits first (paging: ``offset=10`` is page 2).
        :param match: ``"any"`` ORs the words instead, for bag-of-words ranking.
        :param sort: ``relevance``, ``date`` (oldest first) or ``-date`` (newest first).
        :param date_from: only articles dated on or after this (any date form of the syntax).
        :param date_to: only articles dated on or before this.
        :param today: what relative dates (``gestern``) count from; default: today.
        :param snippets: fragment options, or None for no snippets (faster).
        :param collapse: one hit per story (the best-ranked of its copies); ``total`` then
            counts stories.
        :raises QuerySyntaxError: the query cannot be parsed.
        """
        if limit is not None and limit < 0:
            raise ZeitungError(f"limit must not be negative, got {limit}")
        if offset < 0:
            raise ZeitungError(f"offset must not be negative, got {offset}")
        parsed = self.parse(query, match=match, today=today)
        q = parsed.query
        dates = date_filter(date_from, date_to, today=today)
        if dates is not None:
            q = And([q, dates])
        if sort not in ("relevance", "date", "-date"):
            raise ZeitungError(f"unknown sort order {sort!r}: use relevance, date or -date")
        searcher = self._current_searcher()
        kwargs = {} if sort == "relevance" else {"sortedby": _date_order(searcher, sort)}
        collapsed = {"collapse": FieldFacet("story"), "collapse_limit": 1} if collapse else {}
        wanted = offset + limit if limit else None
        if wanted and not kwargs and not collapsed:
            results = _top_with_count(searcher, q, wanted)
        else:
            results = searcher.search(q, limit=wanted, **kwargs, **collapsed)
        page = [(docnum, score) for score, docnum in results.top_n[offset:]]
        if kwargs and page:
            # Sorted by date, Whoosh reports the sort key as the score: score the hits
            # again, restricted to themselves, so a hit's score means relevance always.
            docnums = {d for d, _ in page}
            rescored = searcher.search(q, limit=None, filter=docnums)
            relevance = {r.docnum: r.score for r in rescored}
            page = [(d, relevance.get(d) or 0.0) for d, _ in page]
        total = count_stories(searcher, q) if collapse else len(results)

        if snippets is not None and page:
            self._snippet_searches += 1
            if self._snippet_searches == SEED_SPLITS_AT:
                _seed_splits(self.path)
        schema = self._ix.schema
        out = SearchResults(
            page,
            total,
            parsed,
            story_hits(searcher, _bare_hit),
            offset=offset,
            searcher=searcher,
            query=q,
            snippets=snippets,
            analyzers=(schema["text"].analyzer, schema["title"].analyzer),
        )
        self._lent.add(out)
        return out

    def kwic_lines(
        self,
        query: str,
        *,
        width: int = 80,
        limit: int | None = 10,
        offset: int = 0,
        match: Literal["all", "any"] = "all",
        sort: SortOrder = "relevance",
        date_from: str | None = None,
        date_to: str | None = None,
        today: dt.date | None = None,
    ) -> Iterator[tuple[Hit, list[KwicLine]]]:
        """A concordance: each hit (without snippets) with one :class:`KwicLine` per
        occurrence of what matched, in text order; streamed, hit by hit.

        The options are those of :meth:`search`; ``width`` is the length a line aims at.
        """
        results = self.search(
            query,
            limit=limit,
            offset=offset,
            match=match,
            sort=sort,
            date_from=date_from,
            date_to=date_to,
            today=today,
            snippets=None,
        )
        return results.kwic_lines(width)

    def explain_no_hits(self, parsed: ParsedQuery) -> list[PartCount]:
        """Why a query found nothing: each word and phrase with its own article count, and
        close words of the index for those no article contains (:mod:`search.suggest`)."""
        return explain_no_hits(self._current_searcher(), parsed)

    def parse(
        self, query: str, *, match: Literal["all", "any"] = "all", today: dt.date | None = None
    ) -> ParsedQuery:
        """Parse a query without running it (what ``zeitung search --explain`` shows)."""
        return parse_query(query, match=match, today=today, schema=self._ix.schema)

    def get(self, article_id: str) -> Article:
        """The whole article with this id; :class:`ArticleNotFound` if there is none."""
        fields = self._current_searcher().document(id=article_id)
        if fields is None:
            raise ArticleNotFound(f"no article with id {article_id!r} in {self.path}")
        return _article(fields)

    def copies(self, article_id: str) -> tuple[str, list[Article]]:
        """The article's story id and the story's other articles (its near-copies in
        other outlets), by date then id; :class:`ArticleNotFound` if there is none."""
        searcher = self._current_searcher()
        fields = searcher.document(id=article_id)
        if fields is None:
            raise ArticleNotFound(f"no article with id {article_id!r} in {self.path}")
        story = fields.get("story") or article_id
        others = member_fields(searcher, story)
        return story, [_article(f) for f in others if f.get("id") != article_id]

    @property
    def supports_stories(self) -> bool:
        """Does this index keep story ids (``collapse``, ``copies``, ``stories``)?"""
        return True

    def articles(self) -> Iterator[Article]:
        """Every article in the index, in index order."""
        with self._ix.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield _article(fields)

    def stats(self) -> IndexStats:
        """Number of articles, per-source counts, date range, size on disk."""
        sources: Counter[str] = Counter()
        first = last = None
        undated = 0
        with self._ix.searcher() as searcher:
            reader = searcher.reader()
            live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
            sites = column_values(reader, "source", translate=True)  # as search shows it
            sources.update(s for d in live if (s := _text(sites[d])))
            if live:
                dates = column_values(reader, "date")
                for d in live:
                    value = _column_date(dates[d])
                    if value is None:
                        undated += 1
                        continue
                    first = value if first is None or value < first else first
                    last = value if last is None or value > last else last
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        return IndexStats(
            path=str(self.path),
            articles=len(self),
            sources=dict(sources.most_common()),
            first_date=first,
            last_date=last,
            undated=undated,
            size_bytes=size,
        )

    # -- analytics: when, where and with what a topic was covered ----------------------

    def timeline(
        self,
        queries: str | Sequence[str],
        *,
        by: str = "month",
        date_from: str | None = None,
        date_to: str | None = None,
        per_source: bool = False,
        normalize: bool = False,
        match: Literal["all", "any"] = "all",
        today: dt.date | None = None,
        stories: bool = False,
    ) -> Timeline:
        """Exact counts of the articles each query matches, per day, week, month or year.

        Every period from ``date_from`` (default: the first date in the index) to ``date_to``
        (default: the last) is there, empty ones as 0; undated matches are counted apart.
        Computed from the match sets and the date column; no stored document is read.

        :param queries: one query or several, side by side.
        :param normalize: show each count as a share of all articles in its period.
        :param stories: count distinct stories (near-copies once) instead of articles.
        :raises QuerySyntaxError: a query or date cannot be parsed.
        """
        if isinstance(queries, str):
            queries = [queries]
        if by not in PERIODS:
            raise ZeitungError(f"unknown period {by!r}: use {', '.join(PERIODS)}")
        compiled = [(q, self.parse(q, match=match, today=today).query) for q in queries]
        first, last = _date_bounds(date_from, date_to, today)
        result = analytics.timeline(
            self._current_searcher(),
            compiled,
            by=by,
            first=first,
            last=last,
            per_source=per_source,
            normalize=normalize,
            stories=stories,
        )
        result.corpus = str(self.path)
        return result

    def facets(
        self,
        query: str,
        *,
        top: int = 10,
        date_from: str | None = None,
        date_to: str | None = None,
        match: Literal["all", "any"] = "all",
        today: dt.date | None = None,
        stories: bool = False,
    ) -> Facets:
        """The matching articles counted by source, section, author and year (top ``top``).

        Each value carries the filter that selects it (``autor:"Anna Berger"``).
        With ``stories``, distinct stories are counted instead of articles.
        """
        q = self._analytics_query(query, match, date_from, date_to, today)
        searcher = self._current_searcher()
        return analytics.facets(searcher, query, q, top=top, stories=stories)

    def cooccur(
        self,
        query: str,
        *,
        window: int | None = 5,
        by_year: bool = False,
        top: int = 20,
        max_docs: int = analytics.cooccur.DEFAULT_MAX_DOCS,
        date_from: str | None = None,
        date_to: str | None = None,
        match: Literal["all", "any"] = "all",
        today: dt.date | None = None,
    ) -> Cooccurrence:
        """The words near the matches more often than chance (log-likelihood, logDice).

        :param window: words on either side of a match; None for the match's sentence.
        :param max_docs: read at most this many matching articles (a fixed sample).
        """
        if window is not None and window < 1:
            raise ZeitungError(f"window must be at least 1 word, not {window}")
        q = self._analytics_query(query, match, date_from, date_to, today)
        return self._collocations(
            query, q, window=window, by_year=by_year, top=top, max_docs=max_docs
        )

    def _collocations(self, label: str, q, **options) -> Cooccurrence:
        """:meth:`cooccur` once the query is built: the engine's part (here Whoosh's)."""
        return analytics.cooccurrence(self._current_searcher(), label, q, **options)

    def _analytics_query(self, query, match, date_from, date_to, today):
        q = self.parse(query, match=match, today=today).query
        dates = date_filter(date_from, date_to, today=today)
        return q if dates is None else And([q, dates])


def _date_bounds(
    date_from: str | None, date_to: str | None, today: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of ``--from``/``--to`` (same forms as ``date:``)."""
    today = today or dt.date.today()
    first = parse_date_expression(date_from, today=today).start if date_from else None
    last = parse_date_expression(date_to, today=today).end if date_to else None
    if first is not None and last is not None and first > last:
        raise QuerySyntaxError(f"--from {first} is after --to {last}", None)
    return first, last


def _engine_location(path: str | os.PathLike[str] | None) -> str | None:
    """The search-server URL that ``path`` (or ``$ZEITUNG_INDEX``) names, or None for a
    directory."""
    from search.engines import engine_url, is_engine_url

    location = path if path is not None else os.environ.get(INDEX_ENV_VAR)
    return engine_url(location) if is_engine_url(location) else None


def _engine_index(url: str, *, create: bool | None) -> NewsIndex:
    from search.engines.frontend import EngineIndex

    return EngineIndex.connect(url, create=create)


def _no_index_message(p: Path) -> str:
    """What to type when there is no index at ``p``: ``zeitung index`` refuses to write into
    a directory of other files, so for one (the articles themselves, say) another index
    directory is suggested."""
    if p.is_dir() and any(p.iterdir()):
        target = default_index_path()
        if target.resolve() == p.resolve():
            target = p.with_name(p.name + "-index")
        return (
            f"no index at {p}: it holds other files (articles?); index them with: "
            f"zeitung index {p} --index {target}, then search with --index {target}"
        )
    return f"no index at {p} (create one with: zeitung index DIR --index {p})"


def _storage(path: Path) -> FileStorage:
    """Whoosh's file storage, without memory maps.

    Whoosh reads a memory-mapped compound segment through ``BytesIO(memoryview)``, which
    copies the segment's postings and term files whole into memory each time a reader opens
    (measured: +87 MB of RSS per searcher for a 40 MB ``.jsonl``, and the index writer opens
    one per commit). Plain file reads go through the page cache instead.
    """
    return FileStorage(str(path), supports_mmap=False)


def _writer(ix: whoosh_index.Index):
    """A writer whose segments stay separate files (no compound file to assemble and copy),
    and whose commits merge as :mod:`search.merging` says."""
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, compound=False, codec=InliningCodec())
    writer.mergetype = merge_small_batches
    return writer


def _analysis_version(schema) -> int:
    """The analysis version an index's text analyser was built with (1: before versions)."""
    try:
        return getattr(schema["text"].analyzer, "version", 1)
    except KeyError:
        return 1


#: Files Zeitung itself keeps in an index directory beside Whoosh's.
_OWN_FILES = frozenset({LOCK_NAME, PARTIAL_FILES_NAME, FILE_RECORDS_NAME, REBUILD_DIR})


def _own_file(name: str) -> bool:
    return name in _OWN_FILES or split_cache.is_cache_name(name)


def _check_index_dir(p: Path) -> None:
    """Refuse a path that is a file, or a directory holding other files and no index, so a
    mistyped ``--index`` never writes into someone's articles."""
    if p.exists() and not p.is_dir():
        raise ZeitungError(f"{p} exists and is not a directory")
    if p.is_dir() and not _has_index(p) and any(not _own_file(f.name) for f in p.iterdir()):
        raise ZeitungError(f"{p} is not empty and holds no Zeitung index; choose another --index")


def _new_schema():
    """The schema of a new index, with the ranking version it is written for.

    How titles are weighted is partly in the postings (derived titles are not indexed):
    recorded, so that an index written otherwise is refused, not ranked differently in
    silence.
    """
    schema = build_schema()
    schema.ranking_version = RANKING_VERSION
    return schema


def _ranking_version(schema) -> int:
    """The ranking version an index was created for (1: before ranking versions)."""
    return getattr(schema, "ranking_version", 1)


def _has_index(path: Path) -> bool:
    """Is there a Whoosh index in ``path``? (Its table of contents, without loading it.)"""
    return path.is_dir() and any(path.glob("_MAIN_*.toc"))


def _rebuild_locked(
    index_dir: Path,
    root: Path,
    *,
    workers: int | None,
    progress: Callable[[Progress], None] | None,
    commit_every: int,
) -> IndexReport:
    """Build a fresh index from ``root`` aside, then swap it in (the write lock held)."""
    before = _known_files(index_dir)
    aside = fresh_aside(index_dir)
    ix = _storage(aside).create_index(_new_schema())
    try:
        report = _update(
            ix,
            aside,
            root,
            workers=workers,
            progress=progress,
            commit_every=commit_every,
            before=before,
            splits_dir=index_dir,
        )
    finally:
        ix.close()
    swap_in(aside, index_dir, carry=(PARTIAL_FILES_NAME, FILE_RECORDS_NAME))
    return report


def _known_files(index_dir: Path) -> dict[str, KnownFile]:
    """The files an index holds, for a rebuild's counts ({} if it cannot be read)."""
    if not _has_index(index_dir):
        return {}
    try:
        ix = _storage(index_dir).open_index()
    except Exception:  # another version's index: the rebuild replaces it, counts or not
        return {}
    try:
        with ix.reader() as reader:
            return FileRecords(index_dir).known(live_file_states(reader))
    finally:
        ix.close()


def _update(
    ix: whoosh_index.Index,
    index_dir: Path,
    root: Path,
    *,
    workers: int | None,
    progress: Callable[[Progress], None] | None,
    commit_every: int,
    before: dict[str, KnownFile] | None = None,
    splits_dir: Path | None = None,
) -> IndexReport:
    """:meth:`NewsIndex.update_from`'s work, with the write lock held.

    :param before: for a rebuild into an empty index, the files of the index it replaces:
        what the report counts as updated and removed.
    :param splits_dir: where the kept compound splits are (default ``index_dir``; a
        rebuild's is the index it replaces).
    """
    started = time.perf_counter()
    report = IndexReport()
    partial = PartialFiles(index_dir)
    records = FileRecords(index_dir)
    with ix.reader() as reader:
        known = records.known(live_file_states(reader))
    plan = plan_update(root, {k: v.state for k, v in known.items()}, partial=partial.paths)
    _add_refolds(plan, records, root)
    report.unchanged = plan.unchanged
    report.unsupported = plan.unsupported
    if before is not None:
        reading = {str(path) for path, _ in plan.to_read}
        report.removed = sum(1 for k, v in before.items() if v.had_articles and k not in reading)
        known = before
    splits_dir = splits_dir or index_dir
    run = _Run(known=known, updated=plan.updated_paths, refold=plan.refold, splits_dir=splits_dir)
    procs = workers or os.cpu_count() or 1
    size = sum(state.size for _, state in plan.to_read)
    if procs > 1 and size >= PARALLEL_MIN_BYTES:
        run.writers = SegmentWorkers(index_dir, procs, WORKER_LIMIT_MB, splits_dir)
    elif plan.to_read:
        split_cache.load(splits_dir)
    batch = _Batch(ix, commit_every, run)
    try:
        for key in plan.to_remove:
            batch.clear(key)
            if known[key].had_articles:
                report.removed += 1
            records.forget(key)
        done = bytes_done = 0
        streamed = 0  # estimated bytes of the chunks so far of the file being streamed
        for parsed in parse_files(plan.to_read, root.resolve(), workers=workers):
            key = _write_file(batch, parsed, report, run, records)
            due = batch.due()
            if parsed.final:
                batch.finished.add(key)
                done += 1
                bytes_done += parsed.state.size
                streamed = 0
            else:
                streamed += sum(len(a.text) + len(a.title or "") for a in parsed.articles)
            if progress is not None:
                seconds = time.perf_counter() - started
                read = bytes_done + min(streamed, parsed.state.size)
                progress(
                    Progress(done, len(plan.to_read), key, report.articles, read, size, seconds)
                )
            if due and not parsed.final:
                # Inside a big streamed file: commit anyway, so memory stays bounded
                # and a crash loses little, but record first that the file is only
                # partly indexed, so the next run reads it again from the start.
                partial.add(key)
            if due:
                batch.commit(partial, records)
                batch = _Batch(ix, commit_every, run)
        batch.finished.update(plan.to_remove)
        batch.commit(partial, records)
    except BaseException:
        batch.cancel()
        raise
    finally:
        if run.writers is not None:
            run.writers.close()
    report.seconds = time.perf_counter() - started
    return report


def _add_refolds(plan: Plan, records: FileRecords, root: Path) -> None:
    """Read again the unchanged files whose folded copies' kept articles are going away."""
    prefix = str(root.resolve()) + os.sep
    reading = {str(path) for path, _ in plan.to_read}
    changed = set(plan.to_remove) | plan.updated_paths
    todo = records.dependents(changed)
    while todo:
        for key in sorted(todo):
            if key.startswith(prefix) and key not in reading:
                plan.read_again(key)
                reading.add(key)
        changed |= todo
        todo = records.dependents(changed)


def _remembered(state: FileState) -> FileState | None:
    """The state to remember for a file without documents; None if it could not be read
    (it may become readable without changing, so it is tried again)."""
    return None if state.sha1.startswith("unreadable:") else state


def _write_file(
    batch: _Batch, parsed: ParsedFile, report: IndexReport, run: _Run, records: FileRecords
) -> str:
    """Write one parsed file (or one chunk of a streamed file); returns its path key."""
    key = str(parsed.path)
    if key in run.updated and key not in run.cleared:
        batch.clear(key)
    report.add_bad_records(key, parsed.bad_records, parsed.bad_count)
    if parsed.error is not None or (not parsed.articles and key not in run.counted):
        # (an error always ends a file; a chunk without articles can only be its last)
        report.skipped.append((key, parsed.error or "no articles found"))
        records.record(key, _remembered(parsed.state), articles=False, stored=False)
        records.set_folded(key, ())
        return key
    if key not in run.counted:
        run.counted.add(key)
        if key in run.refold:
            pass  # unchanged, read again only to bring back folded copies
        elif key in run.known and run.known[key].had_articles:
            report.updated += 1
        else:
            report.added += 1
    kept: list[tuple[Article, list[str]]] = []
    for article in parsed.articles:
        keys = dedup_keys(article)
        owner = batch.owner(article, keys, key)
        if owner is None:
            kept.append((article, keys))
        else:
            report.duplicates += 1
            run.owners.setdefault(key, set()).add(owner)
    # Only the kept articles are signed; their committed story buckets are looked up together.
    docs = [_document(article, key, parsed.state, keys) for article, keys in kept]
    batch.stories.prepare(docs)
    for doc in docs:
        batch.stories.assign(doc)
        batch.write(doc)
        batch.articles += 1
        report.articles += 1
        run.stored.add(key)
    if parsed.final:
        records.record(key, parsed.state, articles=True, stored=key in run.stored)
        records.set_folded(key, run.owners.get(key, ()))
    return key


@dataclass(slots=True)
class _Run:
    """What one ``update_from`` run knows and has done so far, across its commits."""

    #: The files the index knew before the run.
    known: dict[str, KnownFile] = field(default_factory=dict)
    #: Files the index held something for that are read again.
    updated: set[str] = field(default_factory=set)
    #: Unchanged files read again to bring back folded copies.
    refold: set[str] = field(default_factory=set)
    #: Files whose old documents were deleted (they are being read again).
    cleared: set[str] = field(default_factory=set)
    #: Files counted in the report as added or updated.
    counted: set[str] = field(default_factory=set)
    #: Files that stored at least one document in this run.
    stored: set[str] = field(default_factory=set)
    #: File -> the files its folded copies' kept articles came from.
    owners: dict[str, set[str]] = field(default_factory=dict)
    #: Processes that write the run's new documents, if it has them (else this process).
    writers: SegmentWorkers | None = None
    #: Where the compound splits of earlier runs are kept (:mod:`search.split_cache`).
    splits_dir: Path | None = None
    #: Segment id -> its sorted story buckets (:class:`search.stories.SegmentBuckets`).
    bucket_tables: dict[str, SegmentBuckets] = field(default_factory=dict)
    #: Segment id -> the hashes of its ids and dedup keys (:mod:`search.known_terms`).
    known_terms: dict[str, dict] = field(default_factory=dict)


class _Batch:
    """One Whoosh writer between two commits, with what it has seen so far."""

    def __init__(self, ix: whoosh_index.Index, commit_every: int, run: _Run) -> None:
        self.writer = _writer(ix)
        self.commit_every = commit_every
        self.started = time.monotonic()
        self.articles = 0
        self.run = run
        #: Files whose last chunk is in this batch.
        self.finished: set[str] = set()
        #: Files whose committed documents this batch deletes: no longer owners.
        self.cleared: set[str] = set()
        self._searcher = self.writer.searcher()
        self.stories = StoryAssigner(self._searcher, self._going, run.bucket_tables)
        self._known = KnownTerms(self._searcher.reader(), ("id", "digest"), run.known_terms)
        #: Dedup key -> (id, file) and id -> file of the articles written in this batch.
        self._seen: dict[str, tuple[str, str]] = {}
        self._ids: dict[str, str] = {}
        #: Ids of committed documents that documents of this batch replace.
        self._replaces: set[str] = set()

    def write(self, doc: dict) -> None:
        """Add (or replace, by id) one document."""
        writers = self.run.writers
        if writers is None:
            self.writer.update_document(**doc)
        else:
            # What update_document does, but only where :meth:`owner` saw a committed
            # document with this id (a lookup in every segment saved for the others).
            if doc["id"] in self._replaces:
                self.writer.delete_by_term("id", doc["id"])
            writers.add(doc)

    def due(self) -> bool:
        return (
            self.articles >= self.commit_every
            or time.monotonic() - self.started >= COMMIT_EVERY_SECONDS
        )

    def clear(self, path_key: str) -> None:
        """Delete the committed documents of one file."""
        self.writer.delete_by_term("path", path_key)
        self.cleared.add(path_key)
        self.run.cleared.add(path_key)

    def owner(self, article: Article, keys: list[str], path_key: str) -> str | None:
        """The file of an already indexed copy of ``article`` (its :func:`dedup_keys`), if
        it is to be folded into that copy; None to index it.

        An article with an explicit id is not folded for its text alone: the id is the
        publisher's identity for it, and two ids are two articles even with the same text
        (an agency report in two papers); the same canonical URL is one article whatever
        the ids, and so is the same id in two files (or twice in one). Committed documents
        of files that are gone or being read again are no copies (see :meth:`_going`).
        """
        if article.id in self._ids:
            return self._ids[article.id]
        committed = self._known.may_contain("id", article.id)
        for stored in self._searcher.documents(id=article.id) if committed else ():
            stored_path = stored.get("path") or ""
            if not self._going(stored_path):
                return stored_path
            self._replaces.add(article.id)
        for key in keys:
            if article.explicit_id and key.startswith("d:"):
                continue
            seen = self._seen.get(key)
            if seen is not None:
                if seen[0] != article.id:
                    return seen[1]
                continue
            if not self._known.may_contain("digest", key):
                continue
            for stored in self._searcher.documents(digest=key):
                stored_path = stored.get("path") or ""
                if not self._going(stored_path) and stored.get("id") != article.id:
                    return stored_path
        for key in keys:
            self._seen.setdefault(key, (article.id, path_key))
        self._ids[article.id] = path_key
        return None

    def _going(self, path_key: str) -> bool:
        """Are the committed documents of this file that this batch sees being replaced?
        (Deleted in this batch, or from a file to be read again and not yet cleared.)"""
        run = self.run
        return path_key in self.cleared or (path_key in run.updated and path_key not in run.cleared)

    def commit(self, partial: PartialFiles, records: FileRecords) -> None:
        """Commit, then record what the commit made true (a crash between errs towards
        reading files again)."""
        self._searcher.close()
        writers = self.run.writers
        if writers is None:
            self.writer.commit()
            splits = split_cache.new_splits()
        else:
            commit_with(self.writer, writers.finish())
            splits, writers.splits = writers.splits, {}
        records.save()
        if self.run.splits_dir is not None:
            split_cache.append(self.run.splits_dir, splits)
        partial.discard(self.finished)

    def cancel(self) -> None:
        try:
            self._searcher.close()
            if self.run.writers is not None:
                self.run.writers.cancel()
        finally:
            if not self.writer.is_closed:
                self.writer.cancel()


def dedup_keys(article: Article) -> list[str]:
    """Terms that identify an article across paths: its content digest and canonical URL."""
    keys = ["d:" + content_digest(article)]
    if article.url:
        keys.append("u:" + canonical_url(article.url).replace(" ", "%20"))
    return keys


def content_digest(article: Article) -> str:
    """A hash of title and text with whitespace and case folded: equal articles, equal digest."""
    folded = re.sub(r"\s+", " ", f"{article.title}\n{article.text}").strip().casefold()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def canonical_url(url: str) -> str:
    """The URL without scheme, ``www.``, query, fragment and trailing slash, lowercased host."""
    m = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//(?:www\.)?([^/?#]+)([^?#]*)", url.strip(), re.I)
    if not m:
        return url.strip()
    return m.group(1).lower() + m.group(2).rstrip("/")


def _document(
    article: Article, path_key: str, state: FileState | None, keys: list[str] | None = None
) -> dict:
    doc: dict = {
        "id": article.id,
        "title": article.title or "",
        "text": article.text or "",
        "path": path_key,
    }
    if article.title_derived:
        # Made from the text for display: stored and shown, but no title terms indexed.
        doc["title"] = ""
        doc["_stored_title"] = article.title or ""
        doc["title_derived"] = True
    if article.url:
        doc["url"] = article.url
    doc["digest"] = " ".join(keys if keys is not None else dedup_keys(article))
    if article.date is not None:
        doc["date"] = dt.datetime.combine(article.date, dt.time())
    for name in ("source", "author", "section"):
        value = getattr(article, name)
        if value:
            doc[name] = value
    if article.source:
        doc["site"] = article.source.lower()
    if state is not None:
        doc["file_state"] = f"{path_key}\t{state.encode()}"
    return doc


#: The search (with snippets) of one ``NewsIndex`` at which this process takes the index's
#: kept compound splits (:mod:`search.split_cache`). Snippets analyse the stored text again,
#: and splitting the words seen for the first time in this process was most of that (62 %
#: of the analysis, 10,000 generated articles); every word of a stored text was split when
#: it was indexed. Loading them costs about 0.5 s per 100,000 words (5 µs a word), more
#: than one search saves, so a one-shot ``zeitung search`` never loads them and a process
#: that searches again (a server, a notebook) does, once.
SEED_SPLITS_AT = 2
_SEEDED_DIRS: set[Path] = set()


def _seed_splits(index_dir: Path) -> None:
    """Take the kept splits of *index_dir* (once per process), out of the garbage
    collector's way: a full collection walks every live container, and the splits of
    100,000 words made one cost 0.21 s instead of 0.05 s, inside some unlucky search."""
    key = Path(index_dir).resolve()
    if key not in _SEEDED_DIRS:
        _SEEDED_DIRS.add(key)
        split_cache.load(key)
        gc.freeze()


def _top_with_count(searcher: Searcher, q, limit: int):  # noqa: ANN001, ANN202 - whoosh types
    """The *limit* best hits and the exact number of matches, in one pass over the matches.

    Whoosh's default top-N collector skips blocks and replaces matchers by ones that drop
    documents unable to reach the current minimum score, so it cannot count, and the
    total (``len(results)``) ran the whole query a second time: twice the work for every
    search (measured on 10,000 generated articles: 108-165 -> 52-80 ms a query, the same
    top hits and totals). Collecting every match without those shortcuts costs less than
    that second run for Zeitung's queries, whose span and word-form matchers skip little.
    """
    collector = collectors.TopCollector(limit, usequality=False, replace=0)
    searcher.search_with_collector(q, collector)
    return collector.results()


#: What a DATETIME column holds for a document without a date.
_NO_DATE = 2**64 - 1


def _column_date(raw: int) -> dt.date | None:
    return None if raw == _NO_DATE else long_to_datetime(raw).date()


def _date_order(searcher, sort: str) -> FunctionFacet:
    """Sort key by date, oldest (``date``) or newest (``-date``) first; undated articles last."""
    column = column_values(searcher.reader(), "date")
    newest_first = sort == "-date"

    def key(_searcher, docnum: int) -> int:
        raw = column[docnum]
        if raw == _NO_DATE:
            return 1 if newest_first else raw
        return -raw if newest_first else raw

    return FunctionFacet(key)


def _bare_hit(fields: dict, score: float, rank: int) -> Hit:
    """A hit without snippets (:class:`SearchResults` adds them when asked)."""
    return Hit(score=float(score or 0.0), rank=rank, **_metadata(fields))


def _metadata(fields: dict) -> dict:
    """What a hit and an article both carry, from an index document's stored fields."""
    return {
        "id": fields["id"],
        "title": fields.get("title") or "",
        "date": _to_date(fields.get("date")),
        "url": fields.get("url"),
        "source": fields.get("source"),
        "author": fields.get("author"),
        "section": fields.get("section"),
        "path": fields.get("path") or None,
        "title_derived": bool(fields.get("title_derived")),
    }


def _article(fields: dict) -> Article:
    return Article(text=fields.get("text") or "", **_metadata(fields))


def _to_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value) if value else ""
