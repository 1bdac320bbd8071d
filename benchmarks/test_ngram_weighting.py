"""The measured-but-unused n-gram clause and CoordOr of ``benchmarks/ngram_weighting.py``.

Not in the default test run (``testpaths``):
``python -m pytest benchmarks/test_ngram_weighting.py``.
"""

from __future__ import annotations

import pickle
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.ngram_weighting import (  # noqa: E402
    NGRAM_FIELD,
    NGRAM_SIZE,
    CoordOr,
    UnionOr,
    clause_scores,
    ngram_analyzer,
    ngram_clause,
    ngram_words,
    rerank_with_ngrams,
    with_ngrams,
)
from search.query import WEIGHTING, parse_query  # noqa: E402
from search.schema import build_schema  # noqa: E402


def gram_schema():
    schema = build_schema()
    schema.add(NGRAM_FIELD, TEXT(analyzer=ngram_analyzer(), phrase=False))
    return schema


def make_index(texts: list[str], grams: bool = True):
    ix = RamStorage().create_index(gram_schema() if grams else build_schema())
    with ix.writer() as w:
        for i, text in enumerate(texts):
            fields = {"id": str(i), "text": text}
            if grams:
                fields[NGRAM_FIELD] = text
            w.add_document(**fields)
    return ix


def grams(text: str) -> list[str]:
    return [t.text for t in ngram_analyzer()(text)]


# -- the n-gram analyser ---------------------------------------------------------------------
def test_ngrams_of_a_word_mark_its_ends() -> None:
    assert grams("Haus") == ["_hau", "haus", "aus_"]


def test_ngrams_fold_as_the_index_does() -> None:
    assert grams("Häuser") == grams("Haeuser") == grams("HÄUSER")
    assert grams("Straße") == grams("Strasse")


def test_a_short_word_still_has_an_ngram_and_a_letter_alone_none() -> None:
    assert grams("EU") == ["_eu_"]
    assert grams("a") == []


def test_ngram_analyzer_pickles_into_an_index() -> None:
    analyzer = pickle.loads(pickle.dumps(ngram_analyzer()))
    assert [t.text for t in analyzer("Gelübte")] == grams("Gelübte")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghäöüßAEIOU", min_size=1, max_size=12), min_size=1))
def test_every_ngram_of_a_query_word_is_in_a_text_with_that_word(words: list[str]) -> None:
    text = " ".join(words)
    in_text = set(grams(text))
    for word in words:
        for g in grams(word):
            assert len(g) == NGRAM_SIZE
            assert g in in_text


# -- the n-gram clause ------------------------------------------------------------------------
def test_no_clause_without_the_field_or_without_ngrams() -> None:
    assert ngram_clause(build_schema(), ["Haus"]) is None
    assert ngram_clause(gram_schema(), ["a"]) is None
    q = wq.Term("text", "haus")
    assert with_ngrams(q, build_schema(), ["Haus"]) is q


def test_clause_weights_an_ngram_by_how_often_the_words_hold_it() -> None:
    clause = ngram_clause(gram_schema(), ["Haus", "Maus"], boost=0.5)
    assert isinstance(clause, UnionOr)
    boosts = {t.text: t.boost for t in clause.subqueries}
    assert boosts["aus_"] == pytest.approx(1.0)
    assert boosts["_hau"] == boosts["_mau"] == pytest.approx(0.5)


TEXTS = [
    "Die Bevölkerung von Warschau wuchs nach dem Krieg.",
    "Die Bevölkerung wuchs, die Bevölkerung schrumpfte, die Bevölkerung blieb.",
    "Der Lama setzt sein Bodhisattva-Gelübte fort.",
    "Ein Gelübde ist ein Versprechen.",
    "Kohle und Stahl in Europa.",
    "Gelb ist die Farbe der Post.",
    *(f"Füllartikel Nummer {i} über Wetter und Verkehr in Warschau." for i in range(30)),
]


def search(ix, q: wq.Query, limit: int | None = None) -> list[tuple[str, float]]:
    with ix.searcher(weighting=WEIGHTING) as s:
        return [(h["id"], h.score) for h in s.search(q, limit=limit)]


def product_and_ngrams(ix, question: str) -> tuple[wq.Query, wq.Query]:
    parsed = parse_query(question, match="any", schema=ix.schema)
    return parsed.query, with_ngrams(parsed.query, ix.schema, ngram_words(parsed.tree))


def test_ngrams_rank_but_do_not_widen_the_result_set() -> None:
    """ "Gelb" shares ``_gel`` with "Gelübde" and no word: the clause alone would find it."""
    ix = make_index(TEXTS)
    query, ranked = product_and_ngrams(ix, "Wie nennt man ein Bodhisattva-Gelübde?")
    gelb = str(TEXTS.index("Gelb ist die Farbe der Post."))
    assert gelb in {d for d, _ in search(ix, ranked.b)}
    assert {d for d, _ in search(ix, ranked)} == {d for d, _ in search(ix, query)}


def test_ngrams_find_a_misspelt_word_of_the_text() -> None:
    ix = make_index(TEXTS)
    query, ranked = product_and_ngrams(ix, "Wie nennt man ein Bodhisattva-Gelübde?")
    assert search(ix, ranked)[0][0] == "2"


@pytest.mark.parametrize("boost", [0.3, 1.0])
def test_with_ngrams_top_hits_are_the_best_sums(boost: float) -> None:
    """The top 3 are those of (words + clause), also where Whoosh would preload a plain ``Or``.

    Whoosh's ``ArrayUnionMatcher`` bounds its quality by its best term, not by the sum of its
    terms, so under ``AndMaybe`` the search skipped the documents the clause helped most.
    """
    rng = random.Random(1)
    words = ["haus", "maus", "garten", "baum", "strasse", "wetter", "verkehr", "stadt", "land"]
    schema = Schema(id=ID(stored=True), text=TEXT(), gram=TEXT(analyzer=ngram_analyzer()))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for i in range(50):
            text = " ".join(rng.choice(words) for _ in range(5))
            w.add_document(id=str(i), text=text, gram=text)
    query = wq.Or([wq.Term("text", "haus"), wq.Term("text", "baum")])
    ranked = with_ngrams(query, schema, ["Haus", "Garten", "Stadt"], boost=boost)
    alone = dict(search(ix, query))
    extra = dict(search(ix, ranked.b))
    best = sorted((alone[d] + extra.get(d, 0.0) for d in alone), reverse=True)[:3]
    assert [score for _, score in search(ix, ranked, limit=3)] == pytest.approx(best)


def test_clause_scores_are_the_clause_search_scores() -> None:
    ix = make_index(TEXTS)
    clause = ngram_clause(ix.schema, ["Warschau", "Gelübde"])
    with ix.searcher(weighting=WEIGHTING) as s:
        full = {h.docnum: h.score for h in s.search(clause, limit=None)}
        some = [d for d in range(s.doc_count_all()) if d % 3 == 0]
        got = clause_scores(s, clause, reversed(some))
    assert got == pytest.approx({d: full[d] for d in some if d in full})


def test_rerank_reorders_only_the_top_depth_by_words_plus_clause() -> None:
    ix = make_index(TEXTS)
    parsed = parse_query("Wie nennt man ein Bodhisattva-Gelübde?", match="any", schema=ix.schema)
    clause = ngram_clause(ix.schema, ngram_words(parsed.tree))
    with ix.searcher(weighting=WEIGHTING) as s:
        words = {h.docnum: h.score for h in s.search(parsed.query, limit=None)}
        extra = {h.docnum: h.score for h in s.search(clause, limit=None)}
        top = rerank_with_ngrams(s, parsed.query, clause, limit=2, depth=10)
        unchanged = rerank_with_ngrams(s, parsed.query, None, limit=2)
        best_words = sorted(words.items(), key=lambda ds: (-ds[1], ds[0]))[:2]
        assert unchanged == [(d, pytest.approx(v)) for d, v in best_words]
        assert s.stored_fields(top[0][0])["id"] == "2"
    for docnum, score in top:
        assert score == pytest.approx(words[docnum] + extra.get(docnum, 0.0))


# -- which words give n-grams ----------------------------------------------------------------
def test_ngram_words_leave_out_excluded_exact_wildcard_and_other_fields() -> None:
    tree = parse_query("Gaspreise -Strom =Häuser Verträg* quelle:FAZ text:Kiew", match="any").tree
    assert ngram_words(tree) == ["Gaspreise", "Kiew"]


# -- coordination ----------------------------------------------------------------------------
def coord_index():
    return make_index(
        [
            "Kohle Kohle Kohle Kohle Stahl",
            "Kohle Stahl Europa Vertrag",
            "Europa",
            "Wetter und Verkehr",
        ],
        grams=False,
    )


def word_query(ix, text: str) -> wq.Query:
    return parse_query(text, match="any", schema=ix.schema).query


@pytest.mark.parametrize("power", [0.0, 0.15, 1.0])
def test_coord_score_is_the_sum_times_the_share_of_matching_words(power: float) -> None:
    ix = coord_index()
    words = ["Kohle", "Stahl", "Europa", "Vertrag"]
    plain = word_query(ix, " ".join(words))
    per_word = [dict(search(ix, word_query(ix, w))) for w in words]
    coord = CoordOr(plain.subqueries, power=power)
    got = dict(search(ix, coord))
    assert set(got) == {d for d, _ in search(ix, plain)}
    for doc, score in got.items():
        matched = [s[doc] for s in per_word if doc in s]
        assert score == pytest.approx(sum(matched) * (len(matched) / len(words)) ** power)


def test_coord_prefers_the_document_with_more_of_the_words() -> None:
    """Doc 0 repeats two words, doc 1 holds all four once: the plain sum prefers doc 0."""
    texts = ["Kohle Kohle Kohle Stahl Stahl Stahl", "Kohle Stahl Europa Vertrag im Jahr"]
    ix = make_index([*texts, *["Europa Vertrag Wetter"] * 6], grams=False)
    plain = word_query(ix, "Kohle Stahl Europa Vertrag")
    assert search(ix, plain)[0][0] == "0"
    assert search(ix, CoordOr(plain.subqueries, power=1.0))[0][0] == "1"


def test_coord_top_hits_with_a_limit_equal_the_full_ranking() -> None:
    ix = make_index(TEXTS, grams=False)
    plain = word_query(ix, "Bevölkerung Warschau Verkehr Wetter Gelübde")
    coord = CoordOr(plain.subqueries)
    top, full = search(ix, coord, limit=3), search(ix, coord)[:3]
    assert [d for d, _ in top] == [d for d, _ in full]
    assert [v for _, v in top] == pytest.approx([v for _, v in full])
    assert coord.normalize().power == coord.power
