"""Counting on sets (search.analytics.columns.doc_set) gives exactly Whoosh's match sets.

Timelines, facets and co-occurrence take the documents a query matches from
:func:`matching_docs`, which evaluates the Boolean part of the query tree on sets of
document numbers. Hypothesis writes corpora over several segments with a deleted article and
queries from the reference test's grammar (both ``match`` modes); the sets must equal the
documents Whoosh's own matchers yield and the reference evaluator's ids.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import NewsIndex
from search.analytics.columns import matching_docs
from search.model import Article
from tests.reference import Doc, Reference
from tests.test_reference import PROFILE, _text, articles, queries


def _whoosh_docs(searcher, query) -> set[int]:
    reader = searcher.reader()
    return {d for d in searcher.docs_for_query(query) if not reader.is_deleted(d)}


@settings(
    settings.get_profile(PROFILE),
    max_examples=12 if PROFILE == "reference-ci" else 500,
    suppress_health_check=list(HealthCheck),
)
@given(
    corpus=articles,
    more=articles,
    qs=st.lists(queries, min_size=1, max_size=6),
    match=st.sampled_from(["all", "any"]),
)
def test_doc_sets_equal_whoosh_and_the_reference(
    corpus: list, more: list, qs: list, match: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        idx = NewsIndex.create(Path(tmp) / "ix")
        try:
            batches = [
                [
                    Article(id=f"{tag}{n}", title=_text(t), text=_text(b), date=d)
                    for n, (t, b, d) in enumerate(batch)
                ]
                for tag, batch in (("a", corpus), ("b", more))
            ]
            for batch in batches:
                idx.add_articles(batch)  # one segment each
            idx.delete("a0")
            live = batches[0][1:] + batches[1]
            ref = Reference([Doc.of(a.id, a.title, a.text, a.date) for a in live])
            searcher = idx._current_searcher()
            assert len(searcher.reader().leaf_readers()) >= 1
            for text, tree in qs:
                q = idx.parse(text, match=match).query
                found = matching_docs(searcher, q)
                assert found == _whoosh_docs(searcher, q), text
                ids = {searcher.stored_fields(d)["id"] for d in found}
                if match == "all":  # ("any" ranks compounds' parts too: no reference)
                    assert ids == ref.ids(tree), text
        finally:
            idx.close()
