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


# -- field weights, title and text combined ---------------------------------------------------
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


words = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=5).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(st.tuples(words, words), min_size=2, max_size=8),
    term=st.sampled_from(VOCAB),
    weight=st.sampled_from([0.0, 0.5, 1.0, 2.0]),
)
def test_title_scores_follow_the_field_weight_and_b(docs, term: str, weight: float) -> None:
    """Without ``combined``, every title score is the hand-computed BM25 of the title alone
    (its own idf, length and B) times the field's weight."""
    weighting = RsjBM25F(B=0.5, K1=0.6, weights={"title": weight}, title_B=0.3)
    ix = plain_index(docs)
    with ix.searcher(weighting=weighting) as s:
        got = {int(h["id"]): h.score for h in s.search(wq.Term("title", term), limit=None)}
    titles = [t.split() for t, _ in docs]
    n = len(docs)
    df = sum(term in t for t in titles)
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    avgfl = sum(map(len, titles)) / n
    want = {
        d: weight * scoring.bm25(idf, titles[d].count(term), len(titles[d]), avgfl, 0.3, 0.6)
        for d in range(n)
        if term in titles[d]
    }
    assert set(got) == set(want)
    for d, score in got.items():
        assert score == pytest.approx(want[d], abs=1e-9)


def test_combined_title_weighting_never_changes_what_matches() -> None:
    docs = [("gas preis", "kiew"), ("kiew", "gas"), ("wahl", "bahn")]
    ix = plain_index(docs)
    q = wq.Or([wq.Term(f, w) for w in ("gas", "preis") for f in ("title", "text")])
    combined = RsjBM25F(combined={"title": "text"})
    with ix.searcher(weighting=combined) as s, ix.searcher(weighting=RsjBM25F()) as plain:
        assert {h["id"] for h in s.search(q)} == {h["id"] for h in plain.search(q)} == {"0", "1"}


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(st.tuples(words, words), min_size=2, max_size=8),
    term=st.sampled_from(VOCAB),
    weight=st.sampled_from([0.5, 1.0, 2.0]),
    title_b=st.sampled_from([0.0, 0.3, 0.75]),
)
def test_combined_title_and_text_score_as_one_bm25f_frequency(
    docs, term: str, weight: float, title_b: float
) -> None:
    """With ``combined``, a word searched in title and text scores
    ``idf * f(text tf / norm + w * title tf / title norm)``: BM25F, the two frequencies summed
    before saturation, one idf (the text's), each field normalised by its own length."""
    weighting = RsjBM25F(
        B=0.5, K1=0.6, weights={"title": weight}, combined={"title": "text"}, title_B=title_b
    )
    ix = plain_index(docs)
    q = wq.Or([wq.Term("text", term), wq.Term("title", term)])
    with ix.searcher(weighting=weighting) as s:
        got = {int(h["id"]): h.score for h in s.search(q, limit=None)}
    titles = [t.split() for t, _ in docs]
    texts = [x.split() for _, x in docs]
    n = len(docs)
    df = sum(term in x for x in texts) or sum(term in t for t in titles)
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    avg_title, avg_text = sum(map(len, titles)) / n, sum(map(len, texts)) / n
    want = {}
    for d in range(n):
        a = texts[d].count(term) / (0.5 + 0.5 * len(texts[d]) / avg_text)
        b = titles[d].count(term) / ((1 - title_b) + title_b * len(titles[d]) / avg_title)
        x = a + weight * b
        if x:
            want[d] = idf * x * 1.6 / (x + 0.6)
    assert set(got) == set(want)
    for d, score in got.items():
        assert score == pytest.approx(want[d], rel=1e-9)


# -- the index's counts, kept per searcher -------------------------------------------------
def test_scores_follow_each_commit_as_a_fresh_process_sees_them(tmp_path) -> None:  # noqa: ANN001
    """The scorers' document frequencies are kept per searcher (IndexStats): a search after
    a commit must score with the new counts, exactly as a newly opened index does."""
    import datetime as dt

    from search import Article, NewsIndex

    def article(n: int, text: str) -> Article:
        return Article(id=f"a{n}", title=f"Meldung {n}", text=text, date=dt.date(2023, 1, 1))

    idx = NewsIndex.create(tmp_path / "ix")
    idx.add_articles([article(n, f"Der Hafen von Kiew, Nummer{n}.") for n in range(3)])
    idx.add_articles([article(n, f"Die Bahn fährt, Nummer{n}.") for n in range(3, 9)])
    before = {h.id: h.score for h in idx.search("Hafen", snippets=None)}
    idx.add_articles([article(n, f"Ein Hafen in Odessa, Nummer{n}.") for n in range(9, 12)])
    after = {h.id: h.score for h in idx.search("Hafen", snippets=None)}
    fresh = {h.id: h.score for h in NewsIndex.open(tmp_path / "ix").search("Hafen", snippets=None)}
    assert set(before) == {"a0", "a1", "a2"} and len(after) == 6
    assert after == pytest.approx(fresh, rel=1e-12)
    assert after["a0"] < before["a0"]  # the word became commoner: a lower idf


def test_index_stats_equal_whooshs_sums_over_segments() -> None:
    from search.query.weighting import index_stats

    ix = plain_index([("gas preis", "kiew gas"), ("kiew", "gas"), ("wahl", "bahn gas gas")])
    with ix.searcher(weighting=WEIGHTING) as s:
        assert len(s.leaf_searchers()) == 2
        for sub, _ in s.leaf_searchers():
            stats = index_stats(sub)
            assert stats is index_stats(s)
            for field, word in (("text", "gas"), ("title", "kiew"), ("text", "nix")):
                assert stats.doc_frequency(field, word) == s.doc_frequency(field, word)
            assert stats.avg_field_length("text") == s.avg_field_length("text")
