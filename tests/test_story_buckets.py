"""The story LSH buckets as a Whoosh column (search.schema.StoryBuckets), looked up by
search.stories.WhooshStories: the same candidates as a plain reference over the documents,
across segments and deletions, and as the term lookup of indexes built before the column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.fields import KEYWORD

from search import NewsIndex
from search import stories as stories_mod
from search.index import _new_schema, _storage
from search.stories import WhooshStories, band_terms, bucket_keys, signature
from tests.test_stories import report, story_of, write

#: Bucket terms shaped as band_terms() makes them (band number, then hex).
TERMS = [f"{b:02d}{h:032x}" for b in range(3) for h in range(4)]

docs_strategy = st.lists(
    st.tuples(
        st.sets(st.sampled_from(TERMS), max_size=4),  # the document's buckets
        st.booleans(),  # deleted later
        st.integers(0, 2),  # the commit (segment) it is written in
    ),
    min_size=1,
    max_size=25,
)


def _build(path: Path, docs, *, as_terms: bool) -> None:
    schema = _new_schema()
    if as_terms:  # how indexes before the column kept the buckets
        schema.remove("story_bands")
        schema.add("story_bands", KEYWORD)
    ix = _storage(path).create_index(schema)
    for segment in range(3):
        writer = ix.writer()
        for i, (terms, _deleted, seg) in enumerate(docs):
            if seg == segment:
                doc = {"id": f"d{i}", "story": f"s{i}", "story_sig": np.full(4, i, "<u4").tobytes()}
                if terms:
                    doc["story_bands"] = " ".join(sorted(terms))
                writer.add_document(**doc)
        writer.commit(merge=False)
    writer = ix.writer()
    for i, (_terms, deleted, _seg) in enumerate(docs):
        if deleted:
            writer.delete_by_term("id", f"d{i}")
    writer.commit(merge=False)
    ix.close()


def _reference(docs, term: str) -> set[str]:
    """The live documents sharing a bucket; none if more than MAX_BUCKET ever did."""
    having = [i for i, (terms, _d, _s) in enumerate(docs) if term in terms]
    if len(having) > stories_mod.MAX_BUCKET:
        return set()
    return {f"s{i}" for i in having if not docs[i][1]}


@pytest.mark.parametrize("as_terms", [False, True], ids=["column", "terms"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=docs_strategy, prepared=st.booleans())
def test_buckets_equal_a_reference(tmp_path_factory, monkeypatch, docs, prepared, as_terms) -> None:
    monkeypatch.setattr(stories_mod, "MAX_BUCKET", 3)
    path = tmp_path_factory.mktemp("ix")
    _build(path, docs, as_terms=as_terms)
    ix = _storage(path).open_index()
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) >= 1
        tables: dict = {}
        committed = WhooshStories(searcher, lambda _path: False, tables)
        if prepared:
            committed.prepare(set(TERMS[:7]), set())
        for term in TERMS:
            got = {story for _key, story, _sig in committed.bucket(term)}
            assert got == _reference(docs, term), term
        for _key, story, sig in committed.bucket(TERMS[0]):
            assert sig.tolist() == [int(story[1:])] * 4
        if not as_terms:  # each segment sorted once and kept for the next batch
            segments = {leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()}
            assert set(tables) <= segments
    ix.close()


def test_bucket_keys_are_never_the_columns_empty_value() -> None:
    keys = bucket_keys(band_terms(signature({"a b c d e", "b c d e f"})))
    assert keys.dtype == np.dtype("<u4") and len(keys) == stories_mod.BANDS
    assert (keys != 0).all()


def test_an_index_keeps_no_bucket_terms(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    root.mkdir()
    for n in range(3):
        write(root, f"a{n}.txt", f"Meldung {n}", report(1))
    with NewsIndex.create(tmp_path / "ix") as index:
        index.update_from(root, workers=1)
        reader = index._ix.reader()
        assert not any(field == "story_bands" for field, _term in reader.all_terms())
        assert reader.has_column("story_bands")
        assert len(set(story_of(index).values())) == 1
        reader.close()


def test_an_index_with_bucket_terms_still_groups_later_copies(tmp_path: Path) -> None:
    """Built before the column: a later run finds the copies through the terms."""
    ix = tmp_path / "ix"
    with NewsIndex.create(ix):
        pass
    schema = _new_schema()
    schema.remove("story_bands")
    schema.add("story_bands", KEYWORD)
    _storage(ix).create_index(schema).close()
    root = tmp_path / "articles"
    root.mkdir()
    write(root, "a.txt", "Erste Meldung", report(3))
    with NewsIndex.open(ix) as index:
        index.update_from(root, workers=1)
    write(root, "b.txt", "Zweite Meldung", report(3))
    with NewsIndex.open(ix) as index:
        index.update_from(root, workers=1)
        assert len(set(story_of(index).values())) == 1
        assert len(story_of(index)) == 2
        reader = index._ix.reader()
        assert len(list(reader.lexicon("story_bands"))) > 0
        reader.close()
