"""The same hits on both engines: Whoosh (embedded) and OpenSearch, indexed and searched
through the public API, compared query by query.

Three opinions: the query-language table of tests/test_query.py (expected ids written by
hand), the Whoosh index, and the OpenSearch index, for every case of the table; then the
demo corpus and generated corpora with generated queries (hypothesis), where Whoosh is the
reference. Ranking is not asserted: the top-10 overlap is printed.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from search import NewsIndex, QuerySyntaxError
from search.model import Article
from tests import test_reference as reference_tests
from tests.conftest import CORPUS
from tests.opensearch_node import drop, fresh_location, opensearch_url  # noqa: F401
from tests.reference import Doc, Reference
from tests.test_query import ANY_CASES, ARTICLES, CASES, TODAY

#: Hypothesis examples per generated test; ``ZEITUNG_LONG_TESTS=1`` runs many more.
EXAMPLES = 200 if os.environ.get("ZEITUNG_LONG_TESTS") else 12


def _articles(records: list[dict]) -> list[Article]:
    return [
        Article(
            id=r["id"],
            title=r.get("title") or "",
            text=r.get("text") or "",
            date=r.get("date"),
            url=r.get("url"),
            source=r.get("source"),
            author=r.get("author"),
            section=r.get("section"),
        )
        for r in records
    ]


class Pair:
    """The same articles in a Whoosh index and an OpenSearch index."""

    def __init__(self, url: str, tmp: Path, articles: list[Article] | None = None) -> None:
        self.url = url
        self.location = fresh_location(url, "zeitung-diff")
        self.whoosh = NewsIndex.create(tmp / "whoosh")
        self.opensearch = NewsIndex.create(self.location)
        if articles:
            self.whoosh.add_articles(articles)
            self.opensearch.add_articles(articles)

    def hits(self, query: str, **kwargs) -> tuple[list[str], list[str]]:
        kwargs.setdefault("limit", None)
        kwargs.setdefault("snippets", None)
        kwargs.setdefault("today", TODAY)
        a = [h.id for h in self.whoosh.search(query, **kwargs)]
        b = [h.id for h in self.opensearch.search(query, **kwargs)]
        return a, b

    def close(self) -> None:
        self.whoosh.close()
        self.opensearch.close()
        drop(self.url, self.location)


@pytest.fixture(scope="module")
def table_pair(opensearch_url: str, tmp_path_factory):  # noqa: F811 - imported fixture
    pair = Pair(opensearch_url, tmp_path_factory.mktemp("table"), _articles(ARTICLES))
    yield pair
    pair.close()


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_table_case_same_hits_on_both_engines(table_pair: Pair, text: str, expected) -> None:
    whoosh, opensearch = table_pair.hits(text)
    assert set(whoosh) == expected
    assert set(opensearch) == expected


@pytest.mark.parametrize(("text", "expected"), ANY_CASES, ids=[c[0] for c in ANY_CASES])
def test_any_case_same_hits_on_both_engines(table_pair: Pair, text: str, expected) -> None:
    whoosh, opensearch = table_pair.hits(text, match="any")
    assert set(whoosh) == set(opensearch) == expected


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_date_order_is_the_same(table_pair: Pair, sort: str) -> None:
    whoosh, opensearch = table_pair.hits("NOT xyzzy", sort=sort)
    dated = [a["id"] for a in ARTICLES if a["date"] is not None]
    # Same day, either order: compare the dates of the hits in order.
    day = {a["id"]: a["date"] for a in ARTICLES}
    assert [day[i] for i in whoosh] == [day[i] for i in opensearch]
    assert set(opensearch[: len(dated)]) == set(dated)  # undated articles last


def test_date_filters_are_the_same(table_pair: Pair) -> None:
    for start, end in [("2022-01-01", None), (None, "Januar 2022"), ("2022-02", "2022-03-10")]:
        whoosh, opensearch = table_pair.hits("NOT xyzzy", date_from=start, date_to=end)
        assert set(whoosh) == set(opensearch)


# -- the demo corpus ------------------------------------------------------------------------

DEMO_QUERIES = [
    "Gaspreise",
    '"Preis für Gas"',
    '"Gas Preis"~3',
    "Hochwasser UND datum:2021",
    "Strasse",
    "Protest*",
    "=Häuser",
    "Scholz NEAR/5 Macron",
    "(Hochwasser OR Überschwemmung) NOT Rhein",
    "titel:Wahl",
    "quelle:rheinkurier Energie",
    "date:2023..",
    "Stadtwerke NEAR/10 Preise",
    '"Verkehr in der Stadt"~4',
    "Wohnungen Miete*",
    "Bürgermeisterin",
    "Lehrerinnen",
    "Klimaschutz",
    "Energie -Strom",
    "Fußball OR Theater",
]


@pytest.fixture(scope="module")
def demo_pair(opensearch_url: str, tmp_path_factory):  # noqa: F811 - imported fixture
    if not (CORPUS / "README.md").exists():
        pytest.skip("no demo corpus")
    pair = Pair(opensearch_url, tmp_path_factory.mktemp("demo"))
    pair.whoosh.update_from(CORPUS, workers=1)
    pair.opensearch.update_from(CORPUS, workers=1)
    yield pair
    pair.close()


def test_demo_corpus_same_hits_and_top10_overlap(demo_pair: Pair, capsys) -> None:
    overlaps = []
    differing = []
    for query in DEMO_QUERIES:
        for match in ("all", "any"):
            whoosh, opensearch = demo_pair.hits(query, match=match)
            if set(whoosh) != set(opensearch):
                differing.append((query, match, set(whoosh) ^ set(opensearch)))
            top_w, top_o = set(whoosh[:10]), set(opensearch[:10])
            if top_w:
                overlaps.append(len(top_w & top_o) / len(top_w))
    with capsys.disabled():
        print(
            f"\n[opensearch] demo corpus: {len(overlaps)} ranked queries, top-10 overlap "
            f"mean {sum(overlaps) / len(overlaps):.3f}, min {min(overlaps):.2f}"
        )
    assert not differing
    assert any(o < 1 for o in overlaps) or overlaps  # printed, not asserted


# -- generated corpora and queries ----------------------------------------------------------

#: Few words, often repeated: phrases, slop and NEAR meet repeated and nearby terms.
VOCABULARY = (
    "Gas Preis Gaspreise Strompreis Strom Haus Häuser Scholz Macron Kanzler Paris Vertrag "
    "Verträge Köln Straße Proteste der die und für über"
).split()
CONTENT_WORDS = [w for w in VOCABULARY if w[0].isupper()]

texts = st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=24).map(" ".join)
docs_strategy = st.lists(st.tuples(texts, texts), min_size=3, max_size=10)


def _leaf() -> st.SearchStrategy[str]:
    word = st.sampled_from(CONTENT_WORDS)
    phrase = st.tuples(
        st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=4),
        st.one_of(st.none(), st.integers(0, 4)),
    ).map(lambda p: f'"{" ".join(p[0])}"' + (f"~{p[1]}" if p[1] is not None else ""))
    return st.one_of(
        word,
        word.map(lambda w: "=" + w),
        word.map(lambda w: w[:3] + "*"),
        phrase,
        st.tuples(st.sampled_from(["title:", "text:"]), word).map("".join),
    )


def _near_operand() -> st.SearchStrategy[str]:
    word = st.sampled_from(CONTENT_WORDS)
    group = st.lists(word, min_size=2, max_size=3).map(lambda ws: "(" + " OR ".join(ws) + ")")
    return st.one_of(word, group, _leaf().filter(lambda q: q.startswith('"') and "~" not in q))


queries = st.one_of(
    _leaf(),
    st.tuples(_leaf(), _leaf()).map(" ".join),
    st.tuples(_leaf(), _leaf()).map(" OR ".join),
    # This test found Whoosh's AndNot bug (issue 419: "Str* NOT Gas" returned an article with
    # "Gas"); search.query.matchers.AndNotQuery works around it.
    st.tuples(_leaf(), _leaf()).map(" NOT ".join),
    st.tuples(_near_operand(), st.integers(0, 6), _near_operand()).map(
        lambda t: f"{t[0]} NEAR/{t[1]} {t[2]}"
    ),
    st.tuples(_near_operand(), _near_operand(), _near_operand(), st.integers(1, 5)).map(
        lambda t: f"{t[0]} NEAR/{t[3]} {t[1]} NEAR/{t[3]} {t[2]}"
    ),
)


def test_not_excludes_on_opensearch(opensearch_url: str, tmp_path: Path) -> None:  # noqa: F811
    """The case that told the engines apart before Whoosh's AndNot bug was worked around."""
    docs = [
        ("und und", "Verträge Gas Köln für Gas über der Verträge Gas und"),
        ("Proteste die für Gas Gas", "Gas und Verträge Köln Gas Straße Köln Gas Vertrag"),
        ("Gas Gas der Gas", "die der Gas der Verträge Gas"),
        ("Proteste die für Gas Macron", "Gas und Verträge Gas Gas Gas"),
        ("Gas Gas", "Gas Gas"),
        ("Straße", "Köln"),
    ]
    articles = [Article(id=f"d{n}", title=t, text=x) for n, (t, x) in enumerate(docs)]
    pair = Pair(opensearch_url, tmp_path, articles)
    try:
        assert {h.id for h in pair.opensearch.search("Str* NOT Gas", limit=None)} == {"d5"}
        assert {h.id for h in pair.opensearch.search("Köln -Gas", limit=None)} == {"d5"}
        assert {h.id for h in pair.opensearch.search("NOT Gas", limit=None)} == {"d5"}
    finally:
        pair.close()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(docs=docs_strategy, qs=st.lists(queries, min_size=8, max_size=8))
def test_generated_corpus_and_queries_same_hits(opensearch_url: str, docs, qs) -> None:  # noqa: F811
    articles = [
        Article(id=f"d{n}", title=title, text=text, date=dt.date(2022, 1, 1 + n))
        for n, (title, text) in enumerate(docs)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        pair = Pair(opensearch_url, Path(tmp), articles)
        try:
            checked = 0
            for query in qs:
                try:
                    whoosh, opensearch = pair.hits(query)
                except QuerySyntaxError:
                    continue
                checked += 1
                assert set(whoosh) == set(opensearch), query
            assume(checked)
        finally:
            pair.close()


# -- the reference evaluator as the third opinion -------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    corpus=reference_tests.articles, qs=st.lists(reference_tests.queries, min_size=4, max_size=8)
)
def test_opensearch_matches_the_reference(opensearch_url: str, corpus: list, qs: list) -> None:  # noqa: F811
    """tests/test_reference.py's generated corpora and queries (NOT, NEAR/s, NEAR/p, dates,
    compounds, strict phrases), checked on OpenSearch against the plain-Python evaluator."""
    arts = [
        Article(id=f"d{n}", title=reference_tests._text(t), text=reference_tests._text(b), date=d)
        for n, (t, b, d) in enumerate(corpus)
    ]
    ref = Reference([Doc.of(a.id, a.title, a.text, a.date) for a in arts])
    location = fresh_location(opensearch_url, "zeitung-ref")
    idx = NewsIndex.create(location)
    try:
        idx.add_articles(arts)
        for text, tree in qs:
            reference_tests.check(idx, ref, text, tree)
    finally:
        idx.close()
        drop(opensearch_url, location)
