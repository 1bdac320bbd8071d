"""The merge policy (search.merging): small segments are merged a batch at a time, big ones
never, so that a small update of a big index does not merge the index."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from search import NewsIndex, merging
from search.index import _storage
from search.model import Article


@given(st.lists(st.integers(0, 3 * merging.SMALL_SEGMENT), max_size=40))
def test_the_smallest_batch_of_small_segments_is_chosen(counts: list[int]) -> None:
    chosen = merging.segments_to_merge(counts)
    small = [i for i, n in enumerate(counts) if n < merging.SMALL_SEGMENT]
    if len(small) < merging.MERGE_FACTOR:
        assert chosen == []
        return
    assert len(chosen) == merging.MERGE_FACTOR
    assert set(chosen) <= set(small)
    left = [counts[i] for i in small if i not in chosen]
    assert all(counts[i] <= n for i in chosen for n in left)


def _segments(path: Path) -> list[tuple[str, int]]:
    ix = _storage(path).open_index()
    try:
        return [(s.segment_id(), s.doc_count_all()) for s in ix._segments()]
    finally:
        ix.close()


def _articles(start: int, count: int) -> list[Article]:
    return [
        Article(id=f"a{n}", title=f"Meldung {n}", text=f"Bericht Nummer {n} aus dem Rathaus.")
        for n in range(start, start + count)
    ]


def test_an_update_leaves_big_segments_alone(tmp_path: Path, monkeypatch) -> None:
    """Six segments of four articles (big here) and one more article: Whoosh's own policy
    merged them all; now the commit writes a segment of one beside them."""
    monkeypatch.setattr(merging, "SMALL_SEGMENT", 3)
    monkeypatch.setattr(merging, "MERGE_FACTOR", 3)
    ix = tmp_path / "ix"
    with NewsIndex.create(ix) as index:
        for k in range(6):
            index.add_articles(_articles(4 * k, 4))
        big = _segments(ix)
        assert sorted(n for _id, n in big) == [4] * 6
        index.add_articles(_articles(100, 1))
        after = _segments(ix)
        assert set(big) <= set(after) and len(after) == 7
        assert len(index) == 25


def test_small_segments_are_merged_once_enough_have_piled_up(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(merging, "SMALL_SEGMENT", 3)
    monkeypatch.setattr(merging, "MERGE_FACTOR", 3)
    ix = tmp_path / "ix"
    with NewsIndex.create(ix) as index:
        index.add_articles(_articles(0, 5))
        (big,) = _segments(ix)
        sizes = []
        for k in range(7):
            index.add_articles(_articles(10 + k, 1))
            sizes.append(sorted(n for _id, n in _segments(ix)))
        assert big in _segments(ix)
        # three small ones committed: the next commit merges them with its own article
        assert sizes[:4] == [[1, 5], [1, 1, 5], [1, 1, 1, 5], [4, 5]]
        assert sizes[-1] == [1, 1, 1, 4, 5]
        hits = {h.id for h in index.search("Rathaus", limit=None)}
        assert hits == {f"a{n}" for n in [*range(5), *range(10, 17)]}
