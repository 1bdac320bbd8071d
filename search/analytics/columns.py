"""Reading the index's columns and match sets: the raw material of every count here."""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from collections.abc import Iterable

from whoosh import columns
from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from search.columns import column_values

#: What a DATETIME column holds for a document without a date.
NO_DATE = 2**64 - 1


def matching_docs(searcher: Searcher, query) -> set[int]:
    """The document numbers a Whoosh query matches (deleted documents excluded), unscored.

    Counting needs no scores, so the Boolean part of the tree is evaluated on sets of
    document numbers (:func:`doc_set`) instead of by Whoosh's matchers, which step through
    every match of every branch in Python: 70,000 matches of a common word at 100,000
    articles cost seconds that way.
    """
    reader = searcher.reader()
    docs: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        found = doc_set(sub, query)
        docs.update(found if offset == 0 else (d + offset for d in found))
    if reader.has_deletions():
        docs = {d for d in docs if not reader.is_deleted(d)}
    return docs


def doc_set(searcher: Searcher, query) -> set[int]:
    """The documents of one segment that ``query`` matches (deleted ones included, as
    Whoosh's ``Query.docs``).

    Or, And, AndMaybe, AndNot and Require are set operations; a term is its posting list; a
    query that offers ``forms(reader)`` (a word's exact forms, search.query.matchers) is the
    union of those terms. Anything else (spans, phrases, ranges, wildcards) is asked for its
    documents as Whoosh would, so the result is always the same as ``query.docs``.
    """
    kind = type(query)
    if kind in _UNIONS and getattr(query, "minmatch", 0) <= 1:
        out: set[int] = set()
        for child in query.subqueries:
            out |= doc_set(searcher, child)
        return out
    if kind is wq.And:
        sets = sorted((doc_set(searcher, c) for c in query.subqueries), key=len)
        if not sets:
            return set()
        out = sets[0]
        for other in sets[1:]:
            out &= other
        return out
    if kind is wq.AndMaybe:
        return doc_set(searcher, query.a)
    if kind is wq.Require:
        return doc_set(searcher, query.a) & doc_set(searcher, query.b)
    if isinstance(query, wq.AndNot):
        return doc_set(searcher, query.a) - doc_set(searcher, query.b)
    if kind is wq.Term:
        return _postings(searcher, query.fieldname, query.text)
    if query is wq.NullQuery:
        return set()
    forms = getattr(query, "forms", None)
    if callable(forms) and getattr(query, "fieldname", None) is not None:
        out = set()
        for form in forms(searcher.reader()):
            out |= _postings(searcher, query.fieldname, form)
        return out
    return set(query.docs(searcher))


_UNIONS = (wq.Or, wq.DisjunctionMax)


def _postings(searcher: Searcher, fieldname: str, text) -> set[int]:
    reader = searcher.reader()
    if (fieldname, text) not in reader:
        return set()
    return set(reader.postings(fieldname, text).all_ids())


def live_docs(searcher: Searcher) -> list[int]:
    """Every document number that is not deleted."""
    return list(searcher.reader().all_doc_ids())


def date_ordinals(searcher: Searcher) -> list[int | None]:
    """Each document's date as a proleptic ordinal (``date.toordinal()``), None if undated.

    Read from the sortable ``date`` column in one pass: no stored document is touched.
    """
    reader = searcher.reader()
    n = reader.doc_count_all()
    if not _sortable(reader, "date"):
        return [None] * n
    cache: dict[int, int] = {}
    out: list[int | None] = []
    for raw in _raw_column(reader, "date"):
        if raw == NO_DATE:
            out.append(None)
            continue
        ordinal = cache.get(raw)
        if ordinal is None:
            ordinal = cache[raw] = long_to_datetime(raw).date().toordinal()
        out.append(ordinal)
    return out


def text_column(searcher: Searcher, field: str) -> list[str] | None:
    """A sortable text field's exact value per document ('' where none); None if the index
    has no such column (built before facets existed)."""
    reader = searcher.reader()
    if not _sortable(reader, field):
        return None
    decoded: dict[bytes, str] = {}
    out = []
    for raw in _raw_column(reader, field):
        value = decoded.get(raw)
        if value is None:
            value = decoded[raw] = (
                raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
            )
        out.append(value)
    return out


def story_keys(searcher: Searcher) -> list[str]:
    """Each document's story id ('' in an index without them: then each is its own)."""
    stories = text_column(searcher, "story")
    if stories is None:
        return [str(d) for d in range(searcher.reader().doc_count_all())]
    return [s or f"#{d}" for d, s in enumerate(stories)]


def _raw_column(reader, field: str) -> Iterable:
    """Every document's raw column value, each segment read in one piece where it can be.

    Whoosh's column readers fetch one value per file read (~2 µs each, most of a timeline's
    time at 100,000 articles); a numeric column is one array and a bytes column one block
    plus a length array, so a segment is read whole and cut in memory. Other column kinds,
    and segments without the column, go through :func:`search.columns.column_values`.
    """
    out: list = []
    for leaf, _offset in reader.leaf_readers():
        n = leaf.doc_count_all()
        if n == 0:
            continue
        column = leaf.column_reader(field, translate=False) if leaf.has_column(field) else None
        if isinstance(column, columns.NumericColumn.Reader) and column._typecode == "Q":
            values = array("Q")
            values.frombytes(column._dbfile.get(column._basepos, column._count * 8))
            if sys.byteorder == "little":
                values.byteswap()
            out.extend(values)
            out.extend([column._default] * (n - len(values)))
        elif isinstance(column, columns.VarBytesColumn.Reader):
            lengths = column._lengths
            block = column._dbfile.get(column._basepos, sum(lengths))
            pos = 0
            for length in lengths:
                out.append(block[pos : pos + length])
                pos += length
            out.extend([b""] * (n - len(lengths)))
        else:
            out.extend(column_values(leaf, field))
    return out


def _sortable(reader, field: str) -> bool:
    """Does the index's schema keep a column for ``field``? (Segments may still lack it.)"""
    return field in reader.schema and reader.schema[field].column_type is not None


def stored_values(searcher: Searcher, field: str, docs: Iterable[int]) -> dict[int, str]:
    """The stored value of ``field`` for some documents: the slow path for old indexes."""
    out = {}
    for d in docs:
        value = searcher.stored_fields(d).get(field)
        out[d] = str(value) if value else ""
    return out


def to_date(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)
