"""The analysis as the query builder uses it: questions typed as queries."""

from __future__ import annotations

from whoosh import query as wq

from analyzers import analyze
from search.query import parse_query


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
