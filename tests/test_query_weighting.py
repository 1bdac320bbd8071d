"""Ranking: BM25F with the Robertson–Spärck Jones idf, field weights, shared idf."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import RamStorage

from search.query import WEIGHTING
from search.query.weighting import RsjBM25F
from search.schema import build_schema


# -- RSJ idf -------------------------------------------------------------------------------
def test_rsj_idf_of_a_word_in_every_document_is_near_zero() -> None:
    """Whoosh's idf keeps such a word at 1; Lucene's lets it go towards 0."""
    schema = build_schema()
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for i in range(20):
            w.add_document(id=str(i), text=f"Menschen Nummer{i}")
    with ix.searcher(weighting=RsjBM25F(B=0.5, K1=0.9)) as s:
        ours = WEIGHTING.scorer(s, "text", "mensch")
        theirs = scoring.BM25F(B=0.5, K1=0.9).scorer(s, "text", "mensch")
        rare = WEIGHTING.scorer(s, "text", "nummer3")
        assert ours.idf < 0.05 < 0.9 < theirs.idf
        assert rare.idf > 2.0


# -- field weights, shared idf, a title backed by the text ------------------------------------
VOCAB = ["gas", "preis", "kiew", "hafen", "wahl", "bahn"]


def plain_index(docs: list[tuple[str, str]]):
    """Title and text with a plain analyser, written in two segments (two commits)."""
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(
        id=ID(stored=True), title=TEXT(analyzer=StandardAnalyzer(stoplist=None)),
        text=TEXT(analyzer=StandardAnalyzer(stoplist=None)),
    )  # fmt: skip
    ix = RamStorage().create_index(schema)
    half = len(docs) // 2
    for start, stop in ((0, half), (half, len(docs))):
        with ix.writer() as w:
            for i in range(start, stop):
                w.add_document(id=str(i), title=docs[i][0], text=docs[i][1])
    return ix


def reference_score(docs, doc: int, term: str, weighting: RsjBM25F) -> float:
    """BM25 of *term* in the title of *doc*, from the word lists alone."""
    titles = [t.split() for t, _ in docs]
    texts = [x.split() for _, x in docs]
    n = len(docs)
    df = sum(term in t for t in titles)
    if "title" in weighting.shared_idf:
        df = max(df, sum(term in x for x in texts))
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    avgfl = sum(map(len, titles)) / n
    B = weighting._field_B.get("title", weighting.B)
    s = weighting.weights.get("title", 1.0) * scoring.bm25(
        idf, titles[doc].count(term), len(titles[doc]), avgfl, B, weighting.K1
    )
    backing = weighting.backed_by.get("title")
    if backing is not None and term not in texts[doc]:
        s *= backing[1]
    return s


words = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=5).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(st.tuples(words, words), min_size=2, max_size=8),
    term=st.sampled_from(VOCAB),
    weight=st.sampled_from([0.0, 0.5, 1.0, 2.0]),
    alone=st.sampled_from([None, 0.0, 0.3]),
    shared=st.booleans(),
)
def test_title_scores_follow_weight_backing_and_shared_idf(
    docs, term: str, weight: float, alone: float | None, shared: bool
) -> None:
    """Every title score equals the hand-computed BM25 with the field's weight, its idf
    (shared with the text or not) and, where the text lacks the term, the backing factor."""
    weighting = RsjBM25F(
        B=0.5, K1=0.6, weights={"title": weight},
        shared_idf=("title", "text") if shared else (),
        backed_by={"title": ("text", alone)} if alone is not None else None, title_B=0.3,
    )  # fmt: skip
    ix = plain_index(docs)
    with ix.searcher(weighting=weighting) as s:
        got = {int(h["id"]): h.score for h in s.search(wq.Term("title", term), limit=None)}
    want = {d: reference_score(docs, d, term, weighting) for d in range(len(docs))}
    assert set(got) == {d for d in want if term in docs[d][0].split()}
    for d, score in got.items():
        assert score == pytest.approx(want[d], abs=1e-9)


def test_a_title_backed_by_the_text_never_changes_what_matches() -> None:
    docs = [("gas preis", "kiew"), ("kiew", "gas"), ("wahl", "bahn")]
    ix = plain_index(docs)
    q = wq.Or([wq.Term(f, w) for w in ("gas", "preis") for f in ("title", "text")])
    backed = RsjBM25F(backed_by={"title": ("text", 0.0)})
    with ix.searcher(weighting=backed) as s, ix.searcher(weighting=RsjBM25F()) as plain:
        assert {h["id"] for h in s.search(q)} == {h["id"] for h in plain.search(q)} == {"0", "1"}
