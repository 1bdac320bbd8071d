"""Ranking: BM25F with the Robertson–Spärck Jones idf, field weights, shared idf."""

from __future__ import annotations

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
