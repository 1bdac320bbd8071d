"""``NewsIndex.search`` returns exactly the ids of the reference evaluator (tests/reference.py).

Hypothesis writes small corpora (German words with umlauts, ß, compounds, gender forms, stop
words, dates) and random queries from the grammar together with their meaning as a tuple
tree; the engine's hit set must equal the reference's for every limit and sort order.

``HYPOTHESIS_PROFILE=long`` runs many more examples (a recorded run, not CI).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import NewsIndex
from search.model import Article
from tests.reference import Doc, Reference

settings.register_profile(
    "reference-ci", max_examples=25, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "reference-long", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)
)
PROFILE = "reference-long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "reference-ci"

CONTENT = (
    "Gas Gaspreise Erdgaspreis Strompreise Preis Preise Strom Wasser Hochwasser Wasserstoff "
    "Häuser Haus Hause schön schon Müller Mueller Muller Lehrer Lehrerin Lehrerinnen "
    "Lehrer*innen Lehrer:innen Straße Strasse Bürger Burg Kanzler Scholz Macron Starkregen "
    "Köln Treibhausgasemissionen Gastronomen Energiepreise Preisdeckel Gaspreisdeckel"
).split()
STOPS = "der die das für ohne und über ist wer sein oder nicht in am".split()
VOCABULARY = CONTENT + STOPS + [".", ".", "¶"]
QUERY_WORDS = (
    "Gas Gaspreise Gaspreis Preis Strom Strompreise Wasser Hochwasser Häuser Haus schön "
    "Müller Mueller Lehrer Lehrerinnen Straße Strasse Bürger Kanzler Macron Köln Deckel "
    "Preisdeckel Energie Lehrer*innen Lehrer:innen Lehrer_innen LehrerInnen Lehrer/-innen"
).split()
WILDCARDS = ["Gas*", "Haus*", "Lehrer*", "M?ller", "Str*e", "*preis*", "Pr?is"]

words = st.lists(st.sampled_from(VOCABULARY), min_size=0, max_size=22)


def _text(ws: list[str]) -> str:
    return " ".join(ws).replace(" .", ".").replace(" ¶ ", "\n\n").replace("¶", "\n\n")


dates = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2023, 12, 31)))
articles = st.lists(st.tuples(words, words, dates), min_size=1, max_size=6)


@st.composite
def leaves(draw: st.DrawFn) -> tuple[str, tuple]:
    kind = draw(st.sampled_from(["word"] * 5 + ["exact", "wild", "phrase", "phrase", "date"]))
    field = draw(st.sampled_from([None] * 6 + ["title", "text"]))
    prefix = {None: "", "title": "titel:", "text": "text:"}[field]
    if kind == "word":
        w = draw(st.sampled_from(QUERY_WORDS))
        return prefix + w, ("word", w, field)
    if kind == "exact":
        w = draw(st.sampled_from(QUERY_WORDS + STOPS))
        return f"{prefix}={w}", ("exact", w, field)
    if kind == "wild":
        w = draw(st.sampled_from(WILDCARDS))
        return prefix + w, ("wild", w, field)
    if kind == "phrase":
        ws = draw(st.lists(st.sampled_from(CONTENT + STOPS * 2), min_size=1, max_size=3))
        slop = draw(st.sampled_from([None, None, 1, 3]))
        text = " ".join(ws)
        return f'{prefix}"{text}"' + (f"~{slop}" if slop is not None else ""), (
            "phrase",
            text,
            slop,
            field,
        )
    year = draw(st.integers(2020, 2023))
    form = draw(st.sampled_from(["year", "month", "range", "open"]))
    if form == "year":
        return f"date:{year}", ("date", dt.date(year, 1, 1), dt.date(year, 12, 31))
    if form == "month":
        m = draw(st.integers(1, 12))
        end = (dt.date(year + m // 12, m % 12 + 1, 1)) - dt.timedelta(days=1)
        return f"date:{year}-{m:02d}", ("date", dt.date(year, m, 1), end)
    if form == "range":
        return f"date:{year}-03..{year + 1}-06", (
            "date",
            dt.date(year, 3, 1),
            dt.date(year + 1, 6, 30),
        )
    return f"date:>={year}-07-01", ("date", dt.date(year, 7, 1), None)


@st.composite
def near_operands(draw: st.DrawFn) -> tuple[str, tuple]:
    kind = draw(st.sampled_from(["word", "word", "phrase", "or"]))
    if kind == "word":
        w = draw(st.sampled_from(QUERY_WORDS))
        return w, ("word", w, None)
    if kind == "phrase":
        ws = draw(st.lists(st.sampled_from(CONTENT + STOPS), min_size=2, max_size=3))
        return f'"{" ".join(ws)}"', ("phrase", " ".join(ws), None, None)
    a, b = draw(st.lists(st.sampled_from(QUERY_WORDS), min_size=2, max_size=2))
    return f"({a} OR {b})", ("or", [("word", a, None), ("word", b, None)])


@st.composite
def nears(draw: st.DrawFn) -> tuple[str, tuple]:
    ops = draw(st.lists(near_operands(), min_size=2, max_size=3))
    n = draw(st.sampled_from([0, 1, 2, 4, 8, "s", "p"]))
    return f" NEAR/{n} ".join(s for s, _ in ops), ("near", [q for _, q in ops], n)


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    @st.composite
    def combine(draw: st.DrawFn) -> tuple[str, tuple]:
        op = draw(st.sampled_from(["and", "seq", "or", "not"]))
        if op == "not":
            s, q = draw(children)
            return draw(st.sampled_from(["-", "NOT ", "NICHT "])) + f"({s})", ("not", q)
        items = draw(st.lists(children, min_size=2, max_size=3))
        parts = []
        for s, q in items:
            if op != "or" and draw(st.booleans()) and draw(st.booleans()):
                parts.append((f"-({s})", ("not", q)))
            else:
                parts.append((f"({s})", q))
        joiner = {"and": " AND ", "seq": " ", "or": " OR "}[op]
        if op == "and" and draw(st.booleans()):
            joiner = " UND "
        return "(" + joiner.join(s for s, _ in parts) + ")", (op, [q for _, q in parts])

    return combine()


queries = st.recursive(st.one_of(leaves(), nears()), _extend, max_leaves=6)


def _index(tmp: str, corpus: list) -> tuple[NewsIndex, Reference]:
    idx = NewsIndex.create(Path(tmp) / "ix")
    arts = [
        Article(id=f"d{n}", title=_text(t), text=_text(b), date=d)
        for n, (t, b, d) in enumerate(corpus)
    ]
    idx.add_articles(arts)
    ref = Reference([Doc.of(a.id, a.title, a.text, a.date) for a in arts])
    return idx, ref


def check(idx: NewsIndex, ref: Reference, text: str, tree: tuple) -> None:
    expected = ref.ids(tree)
    found = [h.id for h in idx.search(text, limit=None, snippets=None)]
    assert sorted(found) == sorted(expected), (
        f"{text!r}: engine {sorted(found)} != {sorted(expected)}"
    )
    assert len(found) == len(set(found))
    for limit in (1, 3):
        res = idx.search(text, limit=limit, snippets=None)
        assert res.total == len(expected), f"{text!r} limit {limit}: total {res.total}"
        assert len(res) == min(limit, len(expected))
        assert {h.id for h in res} <= expected
    for sort in ("date", "-date"):
        res = idx.search(text, limit=None, sort=sort, snippets=None)
        assert sorted(h.id for h in res) == sorted(expected), f"{text!r} sort {sort}"
        dated = [h.date for h in res if h.date is not None]
        assert dated == sorted(dated, reverse=sort == "-date")


@settings.get_profile(PROFILE)
@given(corpus=articles, qs=st.lists(queries, min_size=1, max_size=8))
def test_search_matches_the_reference(corpus: list, qs: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        idx, ref = _index(tmp, corpus)
        try:
            for text, tree in qs:
                check(idx, ref, text, tree)
        finally:
            idx.close()


@settings.get_profile(PROFILE)
@given(
    corpus=articles,
    stops=st.lists(st.sampled_from(STOPS), min_size=1, max_size=3),
    match=st.sampled_from(["all", "any"]),
)
def test_stop_words_only_are_searched_as_exact_words(corpus: list, stops: list, match: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        idx, ref = _index(tmp, corpus)
        try:
            tree = ("seq", [("word", w, None) for w in stops])
            expected = ref.ids(tree, match)
            found = {
                h.id for h in idx.search(" ".join(stops), limit=None, match=match, snippets=None)
            }
            assert found == expected
        finally:
            idx.close()
