"""The hits of one search, built when they are read.

A search itself only ranks: it yields article numbers and scores. Reading an article's stored
fields and cutting its snippets is what costs (analysing the text again is most of a
search's time), so :class:`SearchResults` does that per hit, when the hit is read: iterating
streams the hits one at a time in constant memory (an export of every hit never holds them
all), and a caller that reads the first three of a page pays for three.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import overload

from whoosh.query import Query

from search.model import Hit
from search.query import ParsedQuery
from search.snippets import KwicLine, SnippetOptions, kwic_lines, snippets_and_title_marks

#: Builds a hit, without snippets, from (stored fields, relevance score, rank).
HitBuilder = Callable[[dict, float, int], Hit]

#: With ``workers``, hits are built in batches of this many per task.
PARALLEL_BATCH = 32
#: Fewer hits than this are not worth starting processes for.
PARALLEL_MIN = 200


def add_snippets(
    hit: Hit, text: str, query: Query, options: SnippetOptions, analyzers: tuple = (None, None)
) -> Hit:
    """``hit`` with its snippets of ``text`` and the marks in its title, for ``query``.

    :param analyzers: the text's and the title's analysers; default: the project schema's.
    """
    hit.snippets, hit.title_highlights = snippets_and_title_marks(
        text, hit.title, query, options=options, analyzers=analyzers
    )
    return hit


class SearchResults(Sequence[Hit]):
    """The hits of one search, best first, with the total number of matching articles.

    ``len()`` is the number of hits on this page (at most ``limit``), ``total`` the number of
    all matching articles, ``offset`` how many better ones were skipped. Iterating builds
    each hit as it is reached and keeps none of them (a second pass builds them again);
    ``hits``, indexing and slicing build the page once and keep it.
    """

    def __init__(
        self,
        matches: Sequence[tuple[int, float]],
        total: int,
        parsed: ParsedQuery,
        build: HitBuilder,
        *,
        offset: int = 0,
        searcher: object = None,
        query: Query | None = None,
        snippets: SnippetOptions | None = None,
        analyzers: tuple = (None, None),
    ) -> None:
        """:param matches: (article number, score) of this page, best first.
        :param build: makes a hit (without snippets) of an article's stored fields.
        :param searcher: the Whoosh searcher the numbers belong to (its ``stored_fields``).
        :param query: the query that ran (with its date filter), for the snippets.
        :param snippets: fragment options, or None for hits without snippets.
        :param analyzers: the index's text and title analysers.
        """
        # Two flat arrays instead of a list of tuples: 16 bytes a hit for an export of all.
        self._docnums = array("q", (d for d, _ in matches))
        self._scores = array("d", (s for _, s in matches))
        self.total = total
        self.parsed = parsed
        self.offset = offset
        self._build = build
        self._query = query if query is not None else parsed.query
        self._options = snippets
        self._analyzers = analyzers
        self._kept: list[Hit] | None = None
        #: The searcher the article numbers belong to, kept open while these results live.
        self.searcher = searcher

    @property
    def hits(self) -> list[Hit]:
        """The whole page, built once and kept."""
        if self._kept is None:
            self._kept = list(self._stream())
        return self._kept

    def __iter__(self) -> Iterator[Hit]:
        return iter(self._kept) if self._kept is not None else self._stream()

    def _stream(self) -> Iterator[Hit]:
        for hit, _ in self.with_text():
            yield hit

    def _bare(self) -> Iterator[tuple[Hit, str]]:
        for i, (docnum, score) in enumerate(zip(self._docnums, self._scores, strict=True)):
            fields = self.searcher.stored_fields(docnum)
            yield self._build(fields, score, self.offset + i + 1), fields.get("text") or ""

    def with_text(self) -> Iterator[tuple[Hit, str]]:
        """Each hit with its article's whole text (for concordances and exports), streamed."""
        for hit, text in self._bare():
            if self._options is not None:
                add_snippets(hit, text, self._query, self._options, self._analyzers)
            yield hit, text

    def kwic_lines(self, width: int = 80) -> Iterator[tuple[Hit, list[KwicLine]]]:
        """Each hit with one :class:`~search.snippets.KwicLine` per occurrence of what
        matched in its text, in text order; streamed (see :func:`search.snippets.kwic_lines`).

        :param width: the length a line aims at (left context, match, right context).
        """
        for hit, text in self._bare():
            lines = kwic_lines(
                text,
                self._query,
                fieldname="text",
                analyzer=self._analyzers[0],
                width=width,
                fields={"title": hit.title},
            )
            yield hit, lines

    def stream(self, workers: int | None = 1) -> Iterator[Hit]:
        """The hits in order, snippets cut on ``workers`` processes (None: one per core).

        For long exports: the stored fields are read here, the snippets (re-analysing each
        text, most of the cost) are cut in parallel, and hits come out in rank order as
        their batch is done. Short pages, and results without snippets, go the plain way.
        """
        workers = workers if workers is not None else (os.cpu_count() or 1)
        if self._kept is not None or self._options is None or workers <= 1:
            yield from self
            return
        if len(self) < PARALLEL_MIN:
            yield from self
            return
        query, options = self._query, self._options
        items = ((hit, text, query, options) for hit, text in self._bare())
        yield from parallel_map(_add_snippets_task, items, workers=workers)

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...
    def __getitem__(self, i):
        return self.hits[i]

    def __len__(self) -> int:
        return len(self._docnums)

    def __bool__(self) -> bool:
        return len(self._docnums) > 0

    def __repr__(self) -> str:
        return f"<SearchResults {len(self)} of {self.total} for {str(self.parsed)!r}>"


def _add_snippets_task(item: tuple) -> Hit:
    hit, text, query, options = item
    return add_snippets(hit, text, query, options)


def parallel_map(
    func: Callable, items: Iterator, *, workers: int | None, batch: int = PARALLEL_BATCH
) -> Iterator:
    """``map(func, items)`` in text order, on ``workers`` processes for long runs.

    Items are sent in batches; at most ``2 * workers`` batches are in flight, so memory stays
    bounded and the first results come out while later ones are computed. With one worker
    (or one core) it is plain ``map``.
    """
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1:
        yield from map(func, items)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = []
        chunk: list = []
        for item in items:
            chunk.append(item)
            if len(chunk) == batch:
                pending.append(pool.submit(_map_batch, func, chunk))
                chunk = []
                if len(pending) >= 2 * workers:
                    yield from pending.pop(0).result()
        if chunk:
            pending.append(pool.submit(_map_batch, func, chunk))
        for future in pending:
            yield from future.result()


def _map_batch(func: Callable, chunk: list) -> list:
    return [func(item) for item in chunk]
