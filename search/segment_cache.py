"""Arrays derived from a Whoosh reader's segments, built once per segment and kept.

A committed segment never changes, so what an update derives from one (the sorted story
buckets, the hashes of the ids and dedup keys) can be kept by segment id across the
commits of a run; each commit then reads only the segments it has not seen, and the
entries of segments merged away are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


def per_segment(reader, cache: dict[str, T], build: Callable[..., T]) -> Iterator[tuple[T, int]]:
    """``(build(leaf), offset)`` for each segment of *reader*, from *cache* where it has
    the segment; new ones are added, those of segments no longer in the reader removed.

    A reader without segments (an in-memory one) gets a fresh value, not cached.
    """
    live: set[str] = set()
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()
        if segment is None:
            yield build(leaf), offset
            continue
        key = segment.segment_id()
        live.add(key)
        value = cache.get(key)
        if value is None:
            value = cache[key] = build(leaf)
        yield value, offset
    for key in set(cache) - live:
        del cache[key]
