"""Which segments a commit merges: the small ones, a batch of them at a time, never the big.

Whoosh's default policy (``MERGE_SMALL``) merges the smallest segments up to the point
where their total is below a Fibonacci number of their count. With many equal segments
that point comes late and covers nearly all of them: on an index of 100,000 articles in 20
segments of 5,000 (one per writer process and commit), the commit of a 1,000-article
update merged everything, 20+ minutes at Whoosh's 10-12 ms an article merged
(benchmarks/update.py), and at a million articles it would merge hundreds of thousands on
some commit of every update.

Here only segments below :data:`SMALL_SEGMENT` documents are merged, and only when
:data:`MERGE_FACTOR` of them have accumulated: the smallest ten become one. An article is
thus merged about once (until its segment is no longer small), a commit merges at most
``MERGE_FACTOR * SMALL_SEGMENT`` documents, and small updates do not pile up segments
without bound. Big segments stay as written; merging them would pay for queries (one
segment instead of two answered 10,000 articles ~10 % faster) but costs more than the
indexing did with Whoosh's per-posting merge.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Segments with fewer documents than this are merged, a batch at a time.
SMALL_SEGMENT = 2_000
#: How many small segments are merged into one, once there are that many.
MERGE_FACTOR = 10


def segments_to_merge(counts: Sequence[int]) -> list[int]:
    """Positions in *counts* (documents per segment) of the segments to merge now."""
    small = sorted((n, i) for i, n in enumerate(counts) if n < SMALL_SEGMENT)
    if len(small) < MERGE_FACTOR:
        return []
    return sorted(i for _n, i in small[:MERGE_FACTOR])


def merge_small_batches(writer, segments: list) -> list:  # noqa: ANN001 - Whoosh's types
    """A Whoosh merge policy (``writer.commit(mergetype=...)``): merges the segments
    :func:`segments_to_merge` picks into the writer's new segment, returns the others."""
    from whoosh.reading import SegmentReader

    chosen = set(segments_to_merge([s.doc_count_all() for s in segments]))
    for i in sorted(chosen):
        reader = SegmentReader(writer.storage, writer.schema, segments[i])
        writer.add_reader(reader)
        reader.close()
    return [s for i, s in enumerate(segments) if i not in chosen]
