"""``NewsIndex``: the Python API over one Whoosh index of news articles.

Everything the ``zeitung`` command does goes through this class, so an embedding program can
do the same: build or update an index from a directory, search it, fetch an article, read
statistics.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, overload

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.query import And
from whoosh.searching import Searcher
from whoosh.sorting import FunctionFacet
from whoosh.util.times import long_to_datetime

from analyzers import ANALYSIS_VERSION
from search.columns import column_values
from search.errors import ArticleNotFound, IndexIncompatible, IndexNotFound, ZeitungError
from search.ingest import FileState, ParsedFile, parse_files, plan_update
from search.locking import WriteLock
from search.model import Article, Hit
from search.query import WEIGHTING, ParsedQuery, date_filter, parse_query
from search.schema import build_schema
from search.snippets import SnippetOptions, highlight_spans, make_snippets

#: Where the index lives when no directory is named (and ``$ZEITUNG_INDEX`` is not set).
DEFAULT_INDEX_DIR = "zeitung-index"
INDEX_ENV_VAR = "ZEITUNG_INDEX"

#: Commit at the first file boundary after this many articles or seconds: a crash or Ctrl-C
#: loses at most this much work, and never anything committed before.
COMMIT_EVERY_ARTICLES = 2000
COMMIT_EVERY_SECONDS = 30.0

#: Memory the Whoosh writer may use before it spills a segment to disk.
WRITER_LIMIT_MB = 128

SortOrder = Literal["relevance", "date", "-date"]

DEFAULT_SNIPPETS = SnippetOptions()


def default_index_path() -> Path:
    """``$ZEITUNG_INDEX`` if set, else ``./zeitung-index``."""
    return Path(os.environ.get(INDEX_ENV_VAR) or DEFAULT_INDEX_DIR)


@dataclass(slots=True)
class IndexReport:
    """What one ``index`` run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    articles: int = 0
    duplicates: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "articles": self.articles,
            "duplicates": self.duplicates,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "unsupported": len(self.unsupported),
            "seconds": round(self.seconds, 3),
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
    """Passed to an ``index`` progress callback after each file."""

    done: int
    total: int
    path: str
    articles: int


class SearchResults(Sequence[Hit]):
    """The hits of one search, best first, with the total number of matching articles."""

    def __init__(self, hits: list[Hit], total: int, parsed: ParsedQuery) -> None:
        self.hits = hits
        self.total = total
        self.parsed = parsed

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...
    def __getitem__(self, i):
        return self.hits[i]

    def __len__(self) -> int:
        return len(self.hits)

    def __repr__(self) -> str:
        return f"<SearchResults {len(self.hits)} of {self.total} for {str(self.parsed)!r}>"


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
            raise IndexNotFound(f"no index at {p} (create one with: zeitung index DIR --index {p})")
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
        if p.exists() and not p.is_dir():
            raise ZeitungError(f"{p} exists and is not a directory")
        if p.is_dir() and any(p.iterdir()) and not _has_index(p):
            raise ZeitungError(
                f"{p} is not empty and holds no Zeitung index; choose another --index"
            )
        p.mkdir(parents=True, exist_ok=True)
        with WriteLock(p):
            (p / PARTIAL_FILES_NAME).unlink(missing_ok=True)
            return cls(_storage(p).create_index(build_schema()), p)

    @classmethod
    def open_or_create(cls, path: str | os.PathLike[str] | None = None) -> NewsIndex:
        """Open the index at ``path``, or create it there if there is none yet."""
        if (url := _engine_location(path)) is not None:
            return _engine_index(url, create=None)
        p = Path(path) if path is not None else default_index_path()
        if _has_index(p):
            return cls.open(p)
        return cls.create(p)

    def close(self) -> None:
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
            current.close()
        self._searcher = self._ix.searcher(weighting=WEIGHTING)
        return self._searcher

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

        :param rebuild: read every file again.
        :param workers: parser processes (default: one per core).
        :param progress: called after each file with a :class:`Progress`.
        :param commit_every: commit after about this many articles (fewer: less lost on a crash).
        """
        root = Path(directory)
        if not root.exists():
            raise ZeitungError(f"no such file or directory: {root}")
        started = time.perf_counter()
        report = IndexReport()
        with WriteLock(self.path):
            partial = PartialFiles(self.path)
            plan = plan_update(root, self._file_states(), rebuild=rebuild, partial=partial.paths)
            report.unchanged = plan.unchanged
            report.unsupported = plan.unsupported
            run = _Run()
            batch = _Batch(self._ix, commit_every, run)
            try:
                for key in plan.to_remove:
                    batch.writer.delete_by_term("path", key)
                    report.removed += 1
                done = 0
                for parsed in parse_files(plan.to_read, root.resolve(), workers=workers):
                    key = self._write_file(batch, parsed, plan.updated_paths, report, run)
                    due = batch.due()
                    if parsed.final:
                        batch.finished.add(key)
                        done += 1
                        if progress is not None:
                            progress(
                                Progress(done, len(plan.to_read), str(parsed.path), report.articles)
                            )
                    elif due:
                        # Inside a big streamed file: commit anyway, so memory stays bounded
                        # and a crash loses little, but record first that the file is only
                        # partly indexed, so the next run reads it again from the start.
                        run.streamed.add(key)
                        partial.add(key)
                    if due:
                        batch.commit(partial)
                        batch = _Batch(self._ix, commit_every, run)
                batch.finished.update(plan.to_remove)
                batch.commit(partial)
            except BaseException:
                batch.cancel()
                raise
        report.seconds = time.perf_counter() - started
        return report

    def _write_file(
        self, batch: _Batch, parsed: ParsedFile, updated: set[str], report: IndexReport, run: _Run
    ) -> str:
        """Write one parsed file (or one chunk of a streamed file); returns its path key."""
        key = str(parsed.path.resolve())
        if key in updated and key not in run.cleared:
            batch.writer.delete_by_term("path", key)
            run.cleared.add(key)
        if parsed.error is not None:
            report.skipped.append((key, parsed.error))
            return key
        if not parsed.articles and parsed.final and key not in run.counted:
            if key not in run.cleared:
                report.skipped.append((key, "no articles found"))
            return key
        if key not in run.counted:
            run.counted.add(key)
            if key in updated:
                report.updated += 1
            else:
                report.added += 1
        for article in parsed.articles:
            keys = dedup_keys(article)
            if batch.is_duplicate(article.id, keys, key):
                report.duplicates += 1
                continue
            batch.writer.update_document(**_document(article, key, parsed.state, keys))
            batch.articles += 1
            report.articles += 1
        return key

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Add (or replace, by id) articles that do not come from files; returns how many."""
        count = 0
        with WriteLock(self.path):
            writer = _writer(self._ix)
            try:
                for article in articles:
                    writer.update_document(**_document(article, article.path or "", None))
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        return count

    def delete(self, article_id: str) -> bool:
        """Remove one article by id; False if it was not there."""
        with WriteLock(self.path):
            writer = _writer(self._ix)
            n = writer.delete_by_term("id", article_id)
            writer.commit()
        return bool(n)

    def _file_states(self) -> dict[str, FileState]:
        states: dict[str, FileState] = {}
        with self._ix.reader() as reader:
            for term in reader.lexicon("file_state"):
                path, _, state = term.decode("utf-8").partition("\t")
                try:
                    states[path] = FileState.decode(state)
                except ValueError:
                    continue
        return states

    # -- reading -----------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int | None = 10,
        match: Literal["all", "any"] = "all",
        sort: SortOrder = "relevance",
        date_from: str | None = None,
        date_to: str | None = None,
        today: dt.date | None = None,
        snippets: SnippetOptions | None = DEFAULT_SNIPPETS,
    ) -> SearchResults:
        """Search the index.

        :param query: query in Zeitung's syntax (see the README); words are ANDed.
        :param limit: at most this many hits (None: all).
        :param match: ``"any"`` ORs the words instead, for bag-of-words ranking.
        :param sort: ``relevance``, ``date`` (oldest first) or ``-date`` (newest first).
        :param date_from: only articles dated on or after this (any date form of the syntax).
        :param date_to: only articles dated on or before this.
        :param today: what relative dates (``gestern``) count from; default: today.
        :param snippets: fragment options, or None for no snippets (faster).
        :raises QuerySyntaxError: the query cannot be parsed.
        """
        parsed = self.parse(query, match=match, today=today)
        q = parsed.query
        dates = date_filter(date_from, date_to, today=today)
        if dates is not None:
            q = And([q, dates])
        if sort not in ("relevance", "date", "-date"):
            raise ZeitungError(f"unknown sort order {sort!r}: use relevance, date or -date")
        searcher = self._current_searcher()
        kwargs = {} if sort == "relevance" else {"sortedby": _date_order(searcher, sort)}
        results = searcher.search(q, limit=limit, **kwargs)
        if kwargs:
            # Sorted by date, Whoosh reports the sort key as the score: score the hits
            # again, restricted to themselves, so a hit's score means relevance always.
            docnums = {r.docnum for r in results}
            rescored = searcher.search(q, limit=None, filter=docnums)
            relevance = {r.docnum: r.score for r in rescored}
        else:
            relevance = {r.docnum: r.score for r in results}
        hits = [
            self._hit(r.fields(), relevance.get(r.docnum) or 0.0, rank, q, snippets)
            for rank, r in enumerate(results, 1)
        ]
        total = len(results)
        return SearchResults(hits, total, parsed)

    def parse(
        self, query: str, *, match: Literal["all", "any"] = "all", today: dt.date | None = None
    ) -> ParsedQuery:
        """Parse a query without running it (what ``zeitung search --explain`` shows)."""
        return parse_query(query, match=match, today=today, schema=self._ix.schema)

    def _hit(self, fields: dict, score: float, rank: int, q, options: SnippetOptions | None) -> Hit:
        hit = Hit(score=float(score), rank=rank, **_metadata(fields))
        title = hit.title
        if options is not None:
            schema = self._ix.schema
            text = fields.get("text") or ""
            hit.snippets = make_snippets(
                text,
                q,
                fieldname="text",
                analyzer=schema["text"].analyzer,
                options=options,
                fields={"title": title},
            )
            hit.title_highlights = highlight_spans(
                title,
                q,
                fieldname="title",
                analyzer=schema["title"].analyzer,
                fields={"text": text},
            )
        return hit

    def get(self, article_id: str) -> Article:
        """The whole article with this id; :class:`ArticleNotFound` if there is none."""
        fields = self._current_searcher().document(id=article_id)
        if fields is None:
            raise ArticleNotFound(f"no article with id {article_id!r} in {self.path}")
        return _article(fields)

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
            sites = column_values(reader, "site", translate=True)
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


def _engine_location(path: str | os.PathLike[str] | None) -> str | None:
    """The search-server URL that ``path`` (or ``$ZEITUNG_INDEX``) names, or None for a
    directory."""
    from search.engines import engine_url, is_engine_url

    location = path if path is not None else os.environ.get(INDEX_ENV_VAR)
    return engine_url(location) if is_engine_url(location) else None


def _engine_index(url: str, *, create: bool | None) -> NewsIndex:
    from search.engines.frontend import EngineIndex

    return EngineIndex.connect(url, create=create)


def _storage(path: Path) -> FileStorage:
    """Whoosh's file storage, without memory maps.

    Whoosh reads a memory-mapped compound segment through ``BytesIO(memoryview)``, which
    copies the segment's postings and term files whole into memory each time a reader opens
    (measured: +87 MB of RSS per searcher for a 40 MB ``.jsonl``, and the index writer opens
    one per commit). Plain file reads go through the page cache instead.
    """
    return FileStorage(str(path), supports_mmap=False)


def _writer(ix: whoosh_index.Index):
    """A writer whose segments stay separate files (no compound file to assemble and copy)."""
    return ix.writer(limitmb=WRITER_LIMIT_MB, compound=False)


def _analysis_version(schema) -> int:
    """The analysis version an index's text analyser was built with (1: before versions)."""
    try:
        return getattr(schema["text"].analyzer, "version", 1)
    except KeyError:
        return 1


def _has_index(path: Path) -> bool:
    """Is there a Whoosh index in ``path``? (Its table of contents, without loading it.)"""
    return path.is_dir() and any(path.glob("_MAIN_*.toc"))


PARTIAL_FILES_NAME = "zeitung-partial.json"


class PartialFiles:
    """The files whose indexing was committed in part, kept in a small file in the index.

    A big streamed file is committed every few thousand articles, but its documents carry
    the file's final state from the first chunk on; without this record an interrupted file
    would look complete to the next run. A path is added *before* the commit that makes part
    of it visible and removed only *after* the commit that finishes it, so a crash at any
    point errs towards reading a file again, never towards missing its end.
    """

    def __init__(self, index_dir: Path) -> None:
        self.file = index_dir / PARTIAL_FILES_NAME
        try:
            self.paths: set[str] = set(json.loads(self.file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            self.paths = set()

    def add(self, path: str) -> None:
        if path not in self.paths:
            self.paths.add(path)
            self._save()

    def discard(self, paths: Iterable[str]) -> None:
        if self.paths & set(paths):
            self.paths -= set(paths)
            self._save()

    def _save(self) -> None:
        if not self.paths:
            self.file.unlink(missing_ok=True)
            return
        tmp = self.file.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(sorted(self.paths), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.file)


@dataclass(slots=True)
class _Run:
    """What one ``update_from`` run has done so far, across its commits."""

    #: Files whose old documents were deleted (they are being read again).
    cleared: set[str] = field(default_factory=set)
    #: Files counted in the report as added or updated.
    counted: set[str] = field(default_factory=set)
    #: Files committed in part during this run: their committed documents are new.
    streamed: set[str] = field(default_factory=set)


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
        self._searcher = self.writer.searcher()
        self._seen: dict[str, str] = {}

    def due(self) -> bool:
        return (
            self.articles >= self.commit_every
            or time.monotonic() - self.started >= COMMIT_EVERY_SECONDS
        )

    def is_duplicate(self, article_id: str, keys: list[str], path_key: str) -> bool:
        """Is the same article (its :func:`dedup_keys`) already indexed from elsewhere?

        Committed documents of the file being read count only if this run wrote them (an
        earlier chunk of a big file): older ones are being replaced.
        """
        for key in keys:
            owner = self._seen.get(key)
            if owner is None:
                stored = self._searcher.document(digest=key)
                if stored and (stored.get("path") != path_key or path_key in self.run.streamed):
                    owner = stored.get("id")
            if owner is not None and owner != article_id:
                return True
        for key in keys:
            self._seen[key] = article_id
        return False

    def commit(self, partial: PartialFiles) -> None:
        """Commit, then forget the partial marks of the files this batch finished."""
        self._searcher.close()
        self.writer.commit()
        partial.discard(self.finished)

    def cancel(self) -> None:
        try:
            self._searcher.close()
        finally:
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
