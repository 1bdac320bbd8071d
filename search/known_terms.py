"""Which ids and dedup keys the committed index may hold, tested in memory.

Before an article is written, the update asks the committed index for a document with its
id and for each of its dedup keys (search.index ``_Batch.owner``). Almost always there is
none, and Whoosh answers "none" by a term lookup in every segment: ~1 ms an id or key at 20
segments, 4 ms an article, more than a quarter of the main process's time in a
1,000-article update of a 100,000-article index. A sorted array of the terms' 32-bit hashes
per segment (read once per run, segments never change) answers "certainly not" with one
search; a hit, true or a rare collision, goes on to the real lookup.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np

from search.segment_cache import per_segment


def _hashes(terms: Iterable[bytes]) -> np.ndarray:
    return np.fromiter((zlib.crc32(t) for t in terms), dtype=np.uint32)


class KnownTerms:
    """The terms of some fields in a Whoosh reader's segments, as sorted hashes.

    :param cache: segment id -> field -> its sorted hashes, kept by the caller across the
        commits of a run; entries of segments no longer in the index are dropped.
    """

    def __init__(
        self, reader, fields: Iterable[str], cache: dict[str, dict[str, np.ndarray]]
    ) -> None:
        self._fields = tuple(fields)
        parts: dict[str, list[np.ndarray]] = {f: [] for f in self._fields}
        for tables, _offset in per_segment(reader, cache, self._segment_hashes):
            for f in self._fields:
                parts[f].append(tables[f])
        # Sorted runs: a stable sort (timsort) merges them.
        self._sorted = {
            f: np.sort(np.concatenate(p), kind="stable") if p else np.empty(0, np.uint32)
            for f, p in parts.items()
        }

    def _segment_hashes(self, leaf) -> dict[str, np.ndarray]:
        return {f: np.sort(_hashes(self._lexicon(leaf, f))) for f in self._fields}

    @staticmethod
    def _lexicon(leaf, field: str) -> Iterable[bytes]:
        if field not in leaf.schema or leaf.doc_count_all() == 0:
            return ()
        return leaf.lexicon(field)

    def may_contain(self, field: str, text: str) -> bool:
        """False if no segment has the term; True if one may (then look it up)."""
        table = self._sorted[field]
        h = zlib.crc32(text.encode("utf-8"))
        i = int(np.searchsorted(table, h))
        return i < len(table) and int(table[i]) == h
