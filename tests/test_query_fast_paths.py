"""The query side's fast paths give exactly what the slow ones gave: the same hits, in the
same order, with the same scores (issue #11: faster matchers for the common case).

Each property builds small corpora with hypothesis and compares a search through the fast
path with one through the general path it replaces, forced by a monkeypatch.
"""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import search.query.builder as builder
from search import NewsIndex
from search.model import Article
from search.query.matchers import WordForms

WORDS = (
    "Gas Gaspreise Erdgaspreis Preis Preise Preisen Strom Wasser Hochwasser Häuser Haus "
    "Hause Hauses schön schöner schon Lehrer Lehrerin Lehrerinnen Lehrern gehen ging geht "
    "gegangen Kanzler Kanzlers Köln der die für und ist."
).split()
QUERIES = (
    "Gas Preis Preise Haus Häuser schön Lehrer Lehrerinnen gehen ging Kanzler Köln Wasser Gaspreise"
).split()

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(" ".join)
corpora = st.lists(st.tuples(texts, texts), min_size=1, max_size=8)
fast_settings = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


def _index(tmp: str, corpus: list[tuple[str, str]]) -> NewsIndex:
    idx = NewsIndex.create(Path(tmp) / "ix")
    idx.add_articles(
        Article(id=f"d{n}", title=title, text=text) for n, (title, text) in enumerate(corpus)
    )
    return idx


def _ranked(idx: NewsIndex, query: str, match: str) -> tuple[int, list[tuple[str, float]]]:
    results = idx.search(query, limit=None, match=match, snippets=None)
    return results.total, [(h.id, h.score) for h in results]


class _SpanForms(WordForms):
    """The general path: the forms as a span union, whatever the builder asked for."""

    def __init__(self, *args, positions: bool = True, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, positions=True, **kwargs)


@fast_settings
@given(corpora, st.lists(st.sampled_from(QUERIES), min_size=1, max_size=3), st.booleans())
def test_whole_word_boost_without_positions_ranks_as_with_them(
    corpus: list, words: list, any_mode: bool
) -> None:
    query = " ".join(words)
    match = "any" if any_mode else "all"
    with tempfile.TemporaryDirectory() as tmp:
        idx = _index(tmp, corpus)
        fast = _ranked(idx, query, match)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(builder, "WordForms", _SpanForms)
            general = _ranked(idx, query, match)
        idx.close()
    assert fast == general


def test_word_forms_are_cached_per_reader(tmp_path: Path) -> None:
    idx = NewsIndex.create(tmp_path / "ix")
    idx.add_articles([Article(id="a", title="", text="Die Preise und der Preis.")])
    q = WordForms("text", "preis", "=", _stem_of_preis)
    reader = idx._current_searcher().reader()
    first = q.forms(reader)
    assert first == ["=preis", "=preise"]
    assert q.forms(reader) is first
    # the cache holds readers: a query sent to snippet processes goes without it
    copy = pickle.loads(pickle.dumps(q))
    assert copy == q and copy.forms(reader) == first
    idx.close()


def _stem_of_preis(word: str) -> str:
    return "preis" if word.startswith("preis") else word


# -- snippets: leaves looked up by prefix instead of testing every token text -------------

PATTERNS = ["gas*", "pre?s*", "=preis*", "haus", "=h*", "*preis", "[gh]*", "l?hrer*", "ko*n"]


@fast_settings
@given(texts, st.sampled_from(PATTERNS))
def test_token_texts_by_prefix_are_those_of_a_full_scan(text: str, pattern: str) -> None:
    import fnmatch
    import re

    from whoosh import query as wq

    from search.snippets import field_analyzer
    from search.snippets.marks import _WILDCARD_HEAD, TokenTable, find_marks

    table = TokenTable("text", text, field_analyzer("text"))
    rx = re.compile(fnmatch.translate(pattern))
    pred = lambda t: rx.match(t) is not None  # noqa: E731
    head = _WILDCARD_HEAD.match(pattern).group()
    assert table.texts_where(pred, (head,)) == table.texts_where(pred)
    # and through the marker, against the marks of every token text the pattern matches
    expected = [m for o in table.occurrences(table.texts_where(pred)) for m in o.marks]
    assert find_marks({"text": table}, wq.Wildcard("text", pattern), "text") == expected
    for t in table.by_text:
        assert table.has(t) == [t]
    assert table.has("=nowhere") == []


def test_word_forms_seed_prefixes_find_what_a_full_scan_finds() -> None:
    from search.snippets import field_analyzer
    from search.snippets.marks import TokenTable

    text = "Er ging. Wir gehen, sie geht; gegangen ist er. Der Gang."
    table = TokenTable("text", text, field_analyzer("text"))
    stems = {"ging": "geh", "gehen": "geh", "geht": "geh", "gegangen": "geh"}
    q = WordForms("text", "geh", "=", lambda w: stems.get(w, w), seeds=("ging", "gegangen"))
    prefixes = ["=" + s for s in (q.text, *q.seeds)]
    found = table.texts_where(q.matches, prefixes)
    assert found == table.texts_where(q.matches)
    assert set(found) == {"=ging", "=gehen", "=geht", "=gegangen"}


# -- the index's kept compound splits, taken by a process that searches again -------------


def test_splits_are_seeded_at_the_second_search_with_snippets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.index as index_module

    loads: list[Path] = []
    monkeypatch.setattr(index_module.split_cache, "load", loads.append)
    monkeypatch.setattr(index_module, "_SEEDED_DIRS", set())
    idx = NewsIndex.create(tmp_path / "ix")
    idx.add_articles([Article(id="a", title="", text="Die Gaspreise steigen.")])
    idx.search("Gas", snippets=None)
    idx.search("Gas")
    assert loads == []  # a one-shot search does not pay for loading them
    idx.search("Preis")
    idx.search("Preis")
    assert loads == [(tmp_path / "ix").resolve()]
    idx.close()


# -- date ranges read from the date column ---------------------------------------------------

days = st.dates(dt.date(2019, 12, 1), dt.date(2024, 2, 1))


@fast_settings
@given(
    st.lists(st.one_of(st.none(), days), min_size=1, max_size=12),
    st.one_of(st.none(), days),
    st.one_of(st.none(), days),
    st.lists(st.integers(0, 11), max_size=3),
)
def test_column_date_range_finds_what_the_trie_terms_find(
    dates: list, start: dt.date | None, end: dt.date | None, deleted: list[int]
) -> None:
    from whoosh import query as wq

    from search.query.builder import date_range
    from search.query.matchers import ColumnDateRange

    if start is None and end is None:
        start = dt.date(2021, 1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        idx = NewsIndex.create(Path(tmp) / "ix")
        idx.add_articles(
            Article(id=f"d{n}", title="", text="Wien und Graz", date=d) for n, d in enumerate(dates)
        )
        for n in deleted:
            idx.delete(f"d{n}")
        searcher = idx._current_searcher()
        fast = date_range(start, end)
        assert isinstance(fast, ColumnDateRange)
        plain = wq.DateRange(fast.fieldname, fast.startdate, fast.enddate)
        word = wq.Term("text", "wien")
        for a, b in ((fast, plain), (wq.And([word, fast]), wq.And([word, plain]))):
            got = sorted((h.docnum, h.score) for h in searcher.search(a, limit=None))
            want = sorted((h.docnum, h.score) for h in searcher.search(b, limit=None))
            assert got == want
        idx.close()


# -- phrase slots: a flat union of the word's forms ------------------------------------------


def _tree_of_span_unions(leaves: list):  # noqa: ANN202 - a whoosh matcher
    from whoosh.util import make_binary_tree

    from search.query.matchers import _UnmergedOrMatcher

    return make_binary_tree(_UnmergedOrMatcher, leaves)


FEW = "Preis Preise Preisen Gas Gases für der Haus Häuser Hause".split()
repetitive = st.lists(
    st.tuples(
        st.lists(st.sampled_from(FEW), max_size=4).map(" ".join),
        st.lists(st.sampled_from(FEW), min_size=1, max_size=30).map(" ".join),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    repetitive,
    st.lists(st.sampled_from(FEW), min_size=2, max_size=3),
    st.sampled_from(["{}", "{} NEAR/3 Gas", "Haus OR {}"]),
)
def test_phrase_slots_match_as_the_tree_of_span_unions(
    corpus: list, words: list, shape: str
) -> None:
    import search.query.matchers as matchers

    query = shape.format('"' + " ".join(words) + '"')
    with tempfile.TemporaryDirectory() as tmp:
        idx = _index(tmp, corpus)
        fast = idx.search(query, limit=None).hits
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(matchers, "_FlatUnionSpans", _tree_of_span_unions)
            general = idx.search(query, limit=None).hits
        idx.close()
    assert [(h.id, h.score, h.snippets, h.title_highlights) for h in fast] == [
        (h.id, h.score, h.snippets, h.title_highlights) for h in general
    ]


def test_a_phrase_slot_keeps_every_position_of_a_form(tmp_path: Path) -> None:
    idx = _index(str(tmp_path), [("", "Gas Preis Haus Preis Gas"), ("", "Die Preise.")])
    hits = idx.search('"Preis Gas"').hits
    assert [h.id for h in hits] == ["d0"]
    assert hits[0].snippets[0].highlights == [(15, 20), (21, 24)]  # the second "Preis Gas"
    idx.close()
