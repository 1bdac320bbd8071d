"""The analysis as the query builder uses it: questions typed as queries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from whoosh import query as wq

from analyzers import analyze
from search.query import parse_query
from search.query.builder import COMMON_ZIPF, common_word_weight, zipf_weight


def _terms(q: wq.Query) -> set[str]:
    return {t.text for t in q.leaves() if isinstance(t, wq.Term)}


def test_trailing_question_mark_is_punctuation():
    """'Oberbürgermeister?' is the word, stemmed, not a one-letter wildcard."""
    q = parse_query("Wer war der erste Oberbürgermeister?", match="any").query
    assert "oberburgermeist" in _terms(q)
    assert not any(isinstance(x, wq.Wildcard) for x in q.leaves())


def test_inner_question_mark_stays_a_wildcard():
    q = parse_query("text:Me?er").query
    assert q == wq.Wildcard("text", "=me?er")


def test_question_words_are_stop_words():
    assert [t.term for t in analyze("Wann und wer?", mode="query")] == []


def _boosts(q: wq.Query) -> dict[str, float]:
    return {t.text: t.boost for t in q.leaves() if isinstance(t, wq.Term)}


def test_common_words_weigh_less_than_rare_ones():
    """Frame words of questions (viele, Art, Jahr) weigh less; rare words keep weight 1."""
    viele, parlament, hugenotten = map(common_word_weight, ("viele", "parlament", "hugenotten"))
    assert 0.0 < viele < parlament < hugenotten == 1.0
    assert common_word_weight("xqzwv") == 1.0  # unknown to the lexicon: rare


@given(st.floats(min_value=0.0, max_value=9.0), st.floats(min_value=0.0, max_value=9.0))
def test_zipf_weight_falls_with_frequency(a, b):
    """In (0, 1], exactly 1 up to COMMON_ZIPF, never higher for a more common word."""
    assert 0.0 < zipf_weight(a) <= 1.0
    assert (zipf_weight(a) == 1.0) == (a <= COMMON_ZIPF)
    if a <= b:
        assert zipf_weight(a) >= zipf_weight(b)


def test_optional_words_carry_their_weight():
    """match="any": every term of a word (stem, parts, =form) is scaled by its weight."""
    boosts = _boosts(parse_query("Wie viele Hugenotten?", match="any").query)
    assert boosts["hugenott"] == 1.0
    assert boosts["viel"] == common_word_weight("viele") < 1.0
    assert boosts["=viele"] == 0.2 * common_word_weight("viele")


def test_required_words_are_not_weighted():
    """match="all" and +word: the word must match, so it keeps the plain term."""
    boosts = _boosts(parse_query("viele Hugenotten").query)
    assert {b for t, b in boosts.items() if not t.startswith(("~", "^"))} == {1.0}
    assert _boosts(parse_query("+viele Hugenotten", match="any").query)["viel"] == 1.0
