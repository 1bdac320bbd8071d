"""Reading the index's columns and match sets: the raw material of every count here."""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from collections.abc import Iterable

from whoosh import columns
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from search.columns import column_values

#: What a DATETIME column holds for a document without a date.
NO_DATE = 2**64 - 1


def matching_docs(searcher: Searcher, query) -> set[int]:
    """The document numbers a Whoosh query matches (deleted documents excluded), unscored."""
    reader = searcher.reader()
    docs = set(searcher.docs_for_query(query))
    if reader.has_deletions():
        docs = {d for d in docs if not reader.is_deleted(d)}
    return docs


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
