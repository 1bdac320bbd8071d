"""search.known_terms: the in-memory pre-test of ids and dedup keys has no false negative,
and says yes to an absent term only for a hash collision (checked against a reference)."""

from __future__ import annotations

import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.index import _new_schema, _storage
from search.known_terms import KnownTerms

keys = st.text(alphabet="abcdefgh:0123456789", min_size=1, max_size=6)
docs_strategy = st.lists(
    st.tuples(keys, st.lists(keys, max_size=3), st.integers(0, 2), st.booleans()),
    max_size=20,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=docs_strategy, probes=st.lists(keys, max_size=20))
def test_committed_terms_are_known_and_others_only_by_collision(tmp_path_factory, docs, probes):
    path = tmp_path_factory.mktemp("ix")
    ix = _storage(path).create_index(_new_schema())
    for segment in range(3):
        writer = ix.writer()
        for doc_id, digests, seg, _deleted in docs:
            if seg == segment:
                writer.add_document(id=doc_id, digest=" ".join(digests))
        writer.commit(merge=False)
    writer = ix.writer()
    for doc_id, _digests, _seg, deleted in docs:
        if deleted:
            writer.delete_by_term("id", doc_id)
    writer.commit(merge=False)
    cache: dict = {}
    with ix.searcher() as searcher:
        known = KnownTerms(searcher.reader(), ("id", "digest"), cache)
        ids = {d[0] for d in docs}
        digests = {k for d in docs for k in d[1]}
        for field, terms in (("id", ids), ("digest", digests)):
            hashes = {zlib.crc32(t.encode()) for t in terms}
            for term in terms:  # deleted documents' terms stay in the lexicon: known too
                assert known.may_contain(field, term)
            for probe in probes:
                expected = probe in terms or zlib.crc32(probe.encode()) in hashes
                assert known.may_contain(field, probe) == expected
        # the cache holds the live segments only, and a second reader reuses it
        assert len(cache) == len(searcher.reader().leaf_readers()) or not docs
        again = KnownTerms(searcher.reader(), ("id", "digest"), cache)
        assert all(again.may_contain("id", t) for t in ids)
    ix.close()
