""":class:`EngineIndex`: :class:`~search.index.NewsIndex` over an :class:`~search.engines.Engine`.

The same API, results and incremental indexing as the embedded index, with the postings in
another engine (today: OpenSearch). Everything that decides a result stays here and in the
shared modules: reading and planning (:mod:`search.ingest`), duplicate folding
(:func:`search.index.dedup_keys`), the query language (:func:`search.query.parse_query`),
snippets (:mod:`search.snippets`). Once the Whoosh engine is an :class:`Engine` too, this
class becomes :class:`NewsIndex` itself.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from whoosh.query import And

from search.analytics import PERIODS, Cooccurrence, Facets, Timeline
from search.analytics.cooccur import collocations, sample
from search.analytics.facets import facets_from_counts
from search.engines import Engine, EngineWriter, engine_url
from search.engines.analytics import engine_timeline
from search.errors import ArticleNotFound, ZeitungError
from search.filestates import FileRecords, KnownFile
from search.index import (
    COMMIT_EVERY_ARTICLES,
    COMMIT_EVERY_SECONDS,
    DEFAULT_SNIPPETS,
    IndexReport,
    IndexStats,
    NewsIndex,
    PartialFiles,
    Progress,
    SearchResults,
    SortOrder,
    _add_refolds,
    _article,
    _bare_hit,
    _date_bounds,
    _document,
    _remembered,
    _Run,
    dedup_keys,
)
from search.ingest import ParsedFile, parse_files, plan_update
from search.model import Article, Hit
from search.query import ParsedQuery, date_filter, parse_query
from search.schema import build_schema
from search.snippets import SnippetOptions
from search.stories import StoryAssigner, copy_sources, story_order


class EngineQuery(ParsedQuery):
    """A parsed query that also shows what the engine will run (``search --explain``)."""

    native: str = ""

    def explain(self) -> str:
        text = super().explain()
        return f"{text}\n{self.native}" if self.native else text


class EngineIndex(NewsIndex):
    """A :class:`NewsIndex` whose documents live in an :class:`Engine`."""

    def __init__(self, engine: Engine) -> None:  # noqa: D107 - no Whoosh index to open
        self.engine = engine
        self.path = engine.location  # type: ignore[assignment]
        self.schema = build_schema()
        self._ix = None  # type: ignore[assignment]
        self._searcher = None

    @classmethod
    def connect(
        cls, location: str | os.PathLike[str], *, create: bool | None = False
    ) -> EngineIndex:
        """Open (``create=False``), create (``True``, replacing a Zeitung index of that name)
        or open-or-create (``None``) the index at *location*."""
        from search.engines.opensearch import OpenSearchEngine

        engine = OpenSearchEngine.connect(engine_url(location), build_schema())
        try:
            if create or (create is None and not engine.exists()):
                engine.create()
            engine.check()
        except BaseException:
            engine.close()
            raise
        return cls(engine)

    def close(self) -> None:
        self.engine.close()

    def __len__(self) -> int:
        return self.engine.count()

    def __repr__(self) -> str:
        return f"<NewsIndex {self.path!r}: {len(self)} articles>"

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
        """Bring the index up to date with the files under ``directory`` (as
        :meth:`NewsIndex.update_from`: incremental, committed in batches, resumable).

        :param rebuild: read every file again into a new index beside this one, which
            replaces it in one step at the end (see :meth:`rebuild`).
        """
        root = Path(directory)
        if not root.exists():
            raise ZeitungError(f"no such file or directory: {root}")
        options = {"workers": workers, "progress": progress, "commit_every": commit_every}
        if rebuild:
            return self._rebuild(root, **options)
        with self.engine.lock() as lock:
            return _update(self.engine, root, lock, **options)

    @classmethod
    def rebuild(  # type: ignore[override]
        cls,
        path: str | os.PathLike[str],
        directory: str | os.PathLike[str],
        *,
        workers: int | None = None,
        progress: Callable[[Progress], None] | None = None,
        commit_every: int = COMMIT_EVERY_ARTICLES,
    ) -> tuple[EngineIndex, IndexReport]:
        """Build the index at ``path`` afresh from ``directory``: into a new concrete index,
        to which the name (an alias) switches atomically at the end. Until then searches
        answer from the old index, and a rebuild that fails or is killed leaves it intact.
        Works where :meth:`connect` refuses (an index of another mapping or analysis)."""
        from search.engines.opensearch import OpenSearchEngine

        root = Path(directory)
        if not root.exists():
            raise ZeitungError(f"no such file or directory: {root}")
        engine = OpenSearchEngine.connect(engine_url(path), build_schema())
        try:
            idx = cls(engine)
            report = idx._rebuild(
                root, workers=workers, progress=progress, commit_every=commit_every
            )
            engine.check()
        except BaseException:
            engine.close()
            raise
        return idx, report

    def _rebuild(self, root: Path, **options) -> IndexReport:
        """Build aside, switch at the end (the writer lock held throughout)."""
        engine = self.engine
        with engine.lock() as lock:
            engine._refuse_foreign()  # type: ignore[attr-defined]
            engine.drop_asides()  # type: ignore[attr-defined]  # left by a killed rebuild
            try:
                previous = (
                    EngineFileRecords(engine).known(dict(engine.file_states()))
                    if engine.exists()  # type: ignore[attr-defined]
                    else {}
                )
            except ZeitungError:  # an index another version wrote: replaced, counts or not
                previous = {}
            aside = engine.create_aside()  # type: ignore[attr-defined]
            try:
                report = _update(aside, root, lock, previous=previous, **options)
                engine.switch_to(aside)  # type: ignore[attr-defined]
            except BaseException:
                aside.drop()
                raise
        return report

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Add (or replace, by id) articles that do not come from files; returns how many."""
        count = 0
        with self.engine.lock():
            writer = self.engine.writer(uuid.uuid4().hex)
            stories = StoryAssigner(EngineStories(writer, lambda _path, _run: False))
            try:
                for chunk in _chunks(articles, ASSIGN_CHUNK):
                    docs = [_document(article, article.path or "", None) for article in chunk]
                    stories.prepare(docs)
                    for doc in docs:
                        stories.assign(doc)
                        writer.add(doc)
                    count += len(docs)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        return count

    def delete(self, article_id: str) -> bool:
        """Remove one article by id; False if it was not there."""
        with self.engine.lock():
            if self.engine.document(article_id) is None:
                return False
            writer = self.engine.writer(uuid.uuid4().hex)
            writer.delete_id(article_id)
            writer.commit()
        return True

    # -- reading -----------------------------------------------------------------------
    def parse(
        self, query: str, *, match: Literal["all", "any"] = "all", today: dt.date | None = None
    ) -> EngineQuery:
        parsed = parse_query(query, match=match, today=today, schema=self.schema)
        result = EngineQuery(parsed.query, parsed.tree, parsed.notes, parsed.builder)
        native = self.engine.explain(parsed.query)
        lines = [native.text] if native.text else []
        lines.extend(f"note: approximate {a}" for a in native.approximate)
        result.native = "\n".join(lines)
        return result

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
        """Search the index (see :meth:`NewsIndex.search`)."""
        if limit is not None and limit < 0:
            raise ZeitungError(f"limit must not be negative, got {limit}")
        if offset < 0:
            raise ZeitungError(f"offset must not be negative, got {offset}")
        parsed = parse_query(query, match=match, today=today, schema=self.schema)
        q = parsed.query
        dates = date_filter(date_from, date_to, today=today)
        if dates is not None:
            q = And([q, dates])
        if sort not in ("relevance", "date", "-date"):
            raise ZeitungError(f"unknown sort order {sort!r}: use relevance, date or -date")
        found, total = self.engine.search(
            q, limit=offset + limit if limit else None, sort=sort, collapse=collapse
        )
        page = found[offset:]
        members = self.engine.story_members({s for h in page if (s := h.fields.get("story"))})
        return SearchResults(
            [(i, h.score) for i, h in enumerate(page)],
            total,
            parsed,
            _story_hit(members),
            offset=offset,
            searcher=_Page([h.fields for h in page]),
            query=q,
            snippets=snippets,
            analyzers=(self.schema["text"].analyzer, self.schema["title"].analyzer),
        )

    def explain_no_hits(self, parsed: ParsedQuery) -> list:
        """Per-part counts and suggestions need the embedded index's term list: none here."""
        return []

    def check_analysis(self, text: str, fieldname: str = "text") -> int:
        """Check that the engine indexes *text* as Zeitung analyses it (same terms, same
        positions); returns the number of terms, raises :class:`ZeitungError` if not."""
        ours = sorted(self.engine.expected_terms(fieldname, text))  # type: ignore[attr-defined]
        theirs = sorted(self.engine.analyse(fieldname, text))  # type: ignore[attr-defined]
        if ours != theirs:
            raise ZeitungError(
                f"{self.path} indexes {fieldname} differently from Zeitung's analysis: "
                f"{len(ours)} terms here, {len(theirs)} there (first differences: "
                f"{sorted(set(ours) ^ set(theirs))[:5]})"
            )
        return len(ours)

    def get(self, article_id: str) -> Article:
        fields = self.engine.document(article_id)
        if fields is None:
            raise ArticleNotFound(f"no article with id {article_id!r} in {self.path}")
        return _article(fields)

    def copies(self, article_id: str) -> tuple[str, list[Article]]:
        """The article's story id and the story's other articles (see
        :meth:`NewsIndex.copies`): one ``terms`` query on the story id."""
        fields = self.engine.document(article_id)
        if fields is None:
            raise ArticleNotFound(f"no article with id {article_id!r} in {self.path}")
        story = fields.get("story") or article_id
        members = story_order(self.engine.story_members([story], whole=True).get(story, []))
        return story, [_article(f) for f in members if f.get("id") != article_id]

    def articles(self) -> Iterator[Article]:
        for fields in self.engine.documents():
            yield _article(fields)

    def stats(self) -> IndexStats:
        s = self.engine.stats()
        return IndexStats(
            path=str(self.path),
            articles=s.articles,
            sources=dict(sorted(s.sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            first_date=s.first_date,
            last_date=s.last_date,
            undated=s.undated,
            size_bytes=s.size_bytes,
        )

    # -- analytics: the engine counts, Zeitung decides the periods and the order --------
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
        """Exact counts per period (see :meth:`NewsIndex.timeline`), from the engine's
        period counts (OpenSearch: ``date_histogram``; of (period, story) pairs with
        *stories*)."""
        if isinstance(queries, str):
            queries = [queries]
        if by not in PERIODS:
            raise ZeitungError(f"unknown period {by!r}: use {', '.join(PERIODS)}")
        compiled = [(q, self.parse(q, match=match, today=today).query) for q in queries]
        first, last = _date_bounds(date_from, date_to, today)
        result = engine_timeline(
            self.engine,
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
        """The matches counted by source, section, author and year (see
        :meth:`NewsIndex.facets`), from the engine's value counts (OpenSearch: ``terms``;
        of (value, story) pairs with *stories*)."""
        q = self._analytics_query(query, match, date_from, date_to, today)
        names = ("source", "section", "author", "year")
        total, counts = self.engine.value_counts(q, names, stories=stories)
        result = facets_from_counts(query, total, counts, self.schema, top=top)
        result.stories = stories
        return result

    def _collocations(
        self,
        label: str,
        q,
        *,
        window: int | None,
        by_year: bool,
        top: int,
        max_docs: int,
    ) -> Cooccurrence:
        """:meth:`NewsIndex.cooccur` on the engine, with the same numbers as the embedded
        index: the engine lists the matches' ids (no ``_source``), Zeitung draws the same
        sample of them (:func:`~search.analytics.cooccur.sample`), the engine sends only
        those articles' stored text and title (``terms`` on the id, paged with
        ``search_after``), and the corpus statistics are the engine's (term vectors' ``ttf``
        per shard, the summed token counts)."""
        ids = self.engine.matching_ids(q)
        return collocations(
            label,
            q,
            self.engine.stored_documents(sample(ids, max_docs)),
            matched=len(ids),
            corpus=_EngineCounts(self.engine),
            analyzers=(self.schema["text"].analyzer, self.schema["title"].analyzer),
            window=window,
            by_year=by_year,
            top=top,
        )


class _EngineCounts:
    """:class:`~search.analytics.cooccur.CorpusCounts` of an engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def text_length(self) -> int:
        return self.engine.text_length()

    def frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        return self.engine.term_frequencies(terms)


#: Articles of :meth:`EngineIndex.add_articles` whose story lookups go in one batch.
ASSIGN_CHUNK = 500


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _story_hit(members: dict[str, list[dict]]) -> Callable[[dict, float, int], Hit]:
    """A hit of stored fields with its story and copies, from the page's stories'
    members (fetched in one go, see :meth:`EngineIndex.search`)."""

    def build(fields: dict, score: float, rank: int) -> Hit:
        hit = _bare_hit(fields, score, rank)
        story = fields.get("story")
        if story:
            hit.story = story
            hit.copies = copy_sources(story_order(members.get(story, [])), hit.id)
        return hit

    return build


class EngineStories:
    """:class:`~search.stories.CommittedStories` of an engine writer: the buckets and labels
    of a batch of articles fetched in one go (:meth:`prepare`), kept for the batch (the
    committed index does not change under it), documents of files being replaced left out
    (*going*: path, run)."""

    def __init__(self, writer: EngineWriter, going: Callable[[str, str], bool]) -> None:
        self.writer = writer
        self.going = going
        self._buckets: dict[str, list] = {}
        self._labels: dict[str, list[tuple[str, str, str]]] = {}

    def prepare(self, terms: set[str], labels: set[str]) -> None:
        wanted = [t for t in terms if t not in self._buckets]
        if wanted:
            found = self.writer.story_buckets(wanted)
            for term in wanted:
                self._buckets[term] = [
                    (doc_id, story, np.frombuffer(sig, dtype=np.uint32))
                    for doc_id, path, run, story, sig in found.get(term, ())
                    if not self.going(path, run)
                ]
        wanted = [label for label in labels if label not in self._labels]
        if wanted:
            self._labels.update(self.writer.story_labels(wanted))

    def bucket(self, term: str) -> list:
        if term not in self._buckets:
            self.prepare({term}, set())
        return self._buckets[term]

    def label_used(self, label: str, own_id: str | None) -> bool:
        if label not in self._labels:
            self.prepare(set(), {label})
        return any(
            doc_id != own_id and not self.going(path, run)
            for doc_id, path, run in self._labels.get(label, ())
        )


def _update(
    engine: Engine,
    root: Path,
    lock: object,
    *,
    workers: int | None,
    progress: Callable[[Progress], None] | None,
    commit_every: int,
    previous: dict[str, KnownFile] | None = None,
) -> IndexReport:
    """:meth:`EngineIndex.update_from`'s work, the writer lock held: the loop of
    :func:`search.index._update`, over an engine's writer (see the module docstring).

    :param previous: for a rebuild into an empty index, the files of the index it
        replaces: what the report counts as updated and removed.
    """
    started = time.perf_counter()
    report = IndexReport()
    partial = EnginePartialFiles(engine)
    records = EngineFileRecords(engine)
    known = records.known(dict(engine.file_states()))
    plan = plan_update(root, {k: v.state for k, v in known.items()}, partial=partial.paths)
    _add_refolds(plan, records, root)
    report.unchanged = plan.unchanged
    report.unsupported = plan.unsupported
    if previous is not None:
        reading = {str(path) for path, _ in plan.to_read}
        report.removed = sum(1 for k, v in previous.items() if v.had_articles and k not in reading)
        known = previous
    run = _Run(known=known, updated=plan.updated_paths, refold=plan.refold)
    run_id = uuid.uuid4().hex
    batch = _EngineBatch(engine.writer(run_id), commit_every, run, run_id)
    try:
        for key in plan.to_remove:
            batch.writer.delete_paths([key])
            run.cleared.add(key)
            if known[key].had_articles:
                report.removed += 1
            records.forget(key)
        done = 0
        for parsed in parse_files(plan.to_read, root.resolve(), workers=workers):
            key = _write_file(batch, parsed, report, run, records)
            if parsed.final:
                batch.finished.add(key)
                done += 1
                if progress is not None:
                    progress(Progress(done, len(plan.to_read), str(parsed.path), report.articles))
            else:
                # A chunk of a big file: its documents may reach the engine before the
                # file's end, so mark the file as partly indexed first.
                partial.add(key)
            if batch.writer.needs_sending() and key not in partial.paths:
                # Sent in several requests: a crash between them must not leave part of
                # the file looking complete (unmarked at the commit).
                partial.add(key)
            # Sent at file (or chunk) boundaries only: a crash never leaves half a file
            # looking complete.
            batch.writer.send_if_full()
            if batch.due():
                batch.commit(partial, records)
                if (beat := getattr(lock, "beat", None)) is not None:
                    beat()  # a lock that expires is told the writer still lives
                batch = _EngineBatch(engine.writer(run_id), commit_every, run, run_id)
        batch.finished.update(plan.to_remove)
        batch.commit(partial, records)
    except BaseException:
        batch.cancel()
        raise
    report.seconds = time.perf_counter() - started
    return report


def _write_file(
    batch: _EngineBatch, parsed: ParsedFile, report: IndexReport, run: _Run, records: FileRecords
) -> str:
    """Write one parsed file (or one chunk of a streamed file); returns its path key (as
    :func:`search.index._write_file`)."""
    key = str(parsed.path)
    if key in run.updated and key not in run.cleared:
        batch.writer.delete_paths([key])
        run.cleared.add(key)
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
    all_keys = [dedup_keys(article) for article in parsed.articles]
    batch.look_up(
        [article.id for article in parsed.articles], [k for keys in all_keys for k in keys]
    )
    docs = []
    for article, keys in zip(parsed.articles, all_keys, strict=True):
        owner = batch.owner(article, keys, key)
        if owner is not None:
            report.duplicates += 1
            run.owners.setdefault(key, set()).add(owner)
            continue
        docs.append(_document(article, key, parsed.state, keys))
    batch.stories.prepare(docs)
    for doc in docs:
        batch.stories.assign(doc)
        batch.writer.add(doc)
        batch.articles += 1
        report.articles += 1
        run.stored.add(key)
    if parsed.final:
        records.record(key, parsed.state, articles=True, stored=key in run.stored)
        records.set_folded(key, run.owners.get(key, ()))
    return key


class _Page:
    """The stored fields of one page of engine hits, by number, as
    :class:`~search.results.SearchResults` reads a Whoosh searcher's."""

    def __init__(self, fields: list[dict]) -> None:
        self.fields = fields

    def stored_fields(self, number: int) -> dict:
        return self.fields[number]


class EnginePartialFiles(PartialFiles):
    """:class:`~search.index.PartialFiles` kept by the engine (OpenSearch: the mapping's
    ``_meta``) instead of a file in the index directory."""

    def __init__(self, engine: Engine) -> None:  # noqa: D107 - no file
        self.engine = engine
        self.paths = set(engine.partial_paths())

    def _save(self) -> None:
        self.engine.save_partial_paths(set(self.paths))


class EngineFileRecords(FileRecords):
    """:class:`~search.filestates.FileRecords` (files without documents, folded copies'
    owners) kept by the engine instead of a file in the index directory."""

    def __init__(self, engine: Engine) -> None:  # noqa: D107 - no file
        self.engine = engine
        data = engine.file_records()
        self.files = dict(data.get("files") or {})
        self.folded = dict(data.get("folded") or {})
        self._dirty = False

    def save(self) -> None:
        if self._dirty:
            self.engine.save_file_records({"files": self.files, "folded": self.folded})
            self._dirty = False


class _EngineBatch:
    """The writes between two commits, with what they have seen so far (as
    :class:`search.index._Batch`, whose rules for folding copies it follows)."""

    def __init__(self, writer: EngineWriter, commit_every: int, run: _Run, run_id: str) -> None:
        self.writer = writer
        self.run_id = run_id
        self.commit_every = commit_every
        self.started = time.monotonic()
        self.articles = 0
        self.run = run
        self.finished: set[str] = set()
        #: Dedup key -> (id, file) and id -> file of the articles written in this batch.
        self._seen: dict[str, tuple[str, str]] = {}
        self._ids: dict[str, str] = {}
        self._by_id: dict[str, list[tuple[str, str]]] = {}
        self._by_key: dict[str, list[tuple[str, str, str]]] = {}
        self.stories = StoryAssigner(EngineStories(writer, self._going))

    def look_up(self, ids: list[str], keys: list[str]) -> None:
        """Fetch the committed documents with these ids or dedup keys (one request per
        file)."""
        self._by_id, self._by_key = {}, {}
        wanted = set(keys)
        for doc_id, path, run_id, digests in self.writer.committed(ids, keys):
            self._by_id.setdefault(doc_id, []).append((path, run_id))
            for key in digests:
                if key in wanted:
                    self._by_key.setdefault(key, []).append((doc_id, path, run_id))

    def due(self) -> bool:
        return (
            self.articles >= self.commit_every
            or time.monotonic() - self.started >= COMMIT_EVERY_SECONDS
        )

    def owner(self, article: Article, keys: list[str], path_key: str) -> str | None:
        """The file of an already indexed copy of *article*, if it is to be folded into
        that copy; None to index it (the rules of :meth:`search.index._Batch.owner`)."""
        if article.id in self._ids:
            return self._ids[article.id]
        for path, run_id in self._by_id.get(article.id, ()):
            if not self._going(path, run_id):
                return path
        for key in keys:
            if article.explicit_id and key.startswith("d:"):
                continue
            seen = self._seen.get(key)
            if seen is not None:
                if seen[0] != article.id:
                    return seen[1]
                continue
            for doc_id, path, run_id in self._by_key.get(key, ()):
                if doc_id != article.id and not self._going(path, run_id):
                    return path
        for key in keys:
            self._seen.setdefault(key, (article.id, path_key))
        self._ids[article.id] = path_key
        return None

    def _going(self, path_key: str, run_id: str) -> bool:
        """Is a committed document of this file being replaced? (Written by another run,
        of a file that is gone or read again: deleted at this run's commits.)"""
        run = self.run
        return run_id != self.run_id and (path_key in run.cleared or path_key in run.updated)

    def commit(self, partial: PartialFiles, records: FileRecords) -> None:
        """Commit, then record what the commit made true (a crash between errs towards
        reading files again)."""
        self.writer.commit()
        records.save()
        partial.discard(self.finished)

    def cancel(self) -> None:
        self.writer.cancel()
