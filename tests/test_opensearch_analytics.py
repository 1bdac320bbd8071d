"""Timeline and facets on OpenSearch: the same numbers and the same JSON as the embedded
index, article for article.

The embedded index is the reference here (tests/test_analytics.py checks it against brute
force): the same articles go into a Whoosh index and an OpenSearch index (three shards, so
a count that is only right on one shard would show), and every timeline and facet result is
compared whole, as the ``--json`` lines. Fixed cases first (every period, ranges, per
source, normalised, old-segment authors), then the demo corpus through the CLI, then
generated corpora and queries (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from search import NewsIndex
from search.cli import app
from search.model import Article
from tests.conftest import CORPUS
from tests.opensearch_node import drop, fresh_location, opensearch_url  # noqa: F401
from tests.test_analytics import AUTHORS, SECTIONS, SOURCES, VOCAB, make_articles, render
from tests.test_analytics import queries as word_queries

EXAMPLES = 200 if os.environ.get("ZEITUNG_LONG_TESTS") else 10
TODAY = dt.date(2024, 6, 1)
runner = CliRunner()


class Pair:
    """The same articles in a Whoosh index and a three-shard OpenSearch index."""

    def __init__(self, url: str, tmp: Path, batches: list[list[Article]] = ()) -> None:
        self.url = url
        self.location = fresh_location(url, "zeitung-analytics")
        self.whoosh = NewsIndex.create(tmp / "whoosh")
        self.opensearch = NewsIndex.create(self.location + "?shards=3&replicas=0")
        for batch in batches:  # one commit (Whoosh: one segment) per batch
            self.whoosh.add_articles(batch)
            self.opensearch.add_articles(batch)

    def timelines(self, queries: list[str], **options) -> tuple[list[dict], list[dict]]:
        options.setdefault("today", TODAY)
        a = self.whoosh.timeline(queries, **options)
        b = self.opensearch.timeline(queries, **options)
        assert a.corpus_size == b.corpus_size
        assert a.queries == b.queries
        assert a.csv_rows() == b.csv_rows()
        return a.rows(), b.rows()

    def facets(self, query: str, **options) -> tuple[dict, dict]:
        options.setdefault("today", TODAY)
        a = self.whoosh.facets(query, **options).to_dict()
        b = self.opensearch.facets(query, **options).to_dict()
        return a, b

    def close(self) -> None:
        self.whoosh.close()
        self.opensearch.close()
        drop(self.url, self.location)


@pytest.fixture(scope="module")
def pair(opensearch_url: str, tmp_path_factory):  # noqa: F811 - imported fixture
    articles = make_articles(random.Random(12), 160)
    for a in articles[60:110]:  # a Whoosh segment without an author column
        a.author = None
    batches = [articles[:60], articles[60:110], articles[110:]]
    p = Pair(opensearch_url, tmp_path_factory.mktemp("analytics"), batches)
    yield p
    p.close()


QUERIES = ["Kino", "Radio OR Hafen", "Ozean NOT Vulkan", "Zirkus Moskau", "Nirgendwo"]


@pytest.mark.parametrize("by", ["day", "week", "month", "year"])
@pytest.mark.parametrize("per_source", [False, True])
def test_timeline_rows_are_the_same(pair: Pair, by: str, per_source: bool) -> None:
    whoosh, opensearch = pair.timelines(QUERIES, by=by, per_source=per_source)
    assert len(whoosh) > 2
    assert whoosh == opensearch


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2021-03-15", "2022-02-10"),  # ranges that begin and end inside a period
        ("2020", None),
        (None, "Juni 2020"),
        ("2030", "2031"),  # beyond the articles: all zeros
        ("2022-05-04", "2022-05-04"),
    ],
)
@pytest.mark.parametrize("by", ["week", "month"])
def test_timeline_ranges_are_the_same(pair: Pair, start, end, by: str) -> None:
    for per_source in (False, True):
        whoosh, opensearch = pair.timelines(
            QUERIES[:3], by=by, date_from=start, date_to=end, per_source=per_source, normalize=True
        )
        assert whoosh == opensearch


@pytest.mark.parametrize("query", QUERIES + ["Kino OR Radio OR Hafen OR Ozean OR Zirkus"])
def test_facets_are_the_same(pair: Pair, query: str) -> None:
    whoosh, opensearch = pair.facets(query)
    assert whoosh == opensearch
    whoosh, opensearch = pair.facets(query, top=2)
    assert whoosh == opensearch


def test_facets_with_dates_and_any_are_the_same(pair: Pair) -> None:
    for options in ({"date_from": "2021", "date_to": "2022-06"}, {"match": "any"}):
        whoosh, opensearch = pair.facets("Kino Radio", **options)
        assert whoosh == opensearch
        assert whoosh["total"] > 0


def test_an_index_without_dated_articles(opensearch_url: str, tmp_path: Path) -> None:  # noqa: F811
    articles = [
        Article(id=f"u{i}", title="Kino", text="Kino Radio", source="MND") for i in range(3)
    ]
    p = Pair(opensearch_url, tmp_path, [articles])
    try:
        for per_source in (False, True):
            whoosh, opensearch = p.timelines(["Kino"], per_source=per_source)
            assert whoosh == opensearch
            assert [r["period"] for r in opensearch] == ["ohne Datum"]
        whoosh, opensearch = p.timelines(["Kino"], date_from="2022")
        assert whoosh == opensearch
        whoosh, opensearch = p.facets("Kino")
        assert whoosh == opensearch
    finally:
        p.close()


# -- the demo corpus, through the CLI -------------------------------------------------------


@pytest.fixture(scope="module")
def demo(opensearch_url: str, tmp_path_factory):  # noqa: F811 - imported fixture
    if not (CORPUS / "README.md").exists():
        pytest.skip("no demo corpus")
    p = Pair(opensearch_url, tmp_path_factory.mktemp("demo"))
    p.whoosh.update_from(CORPUS, workers=1)
    p.opensearch.update_from(CORPUS, workers=1)
    yield p
    p.close()


def _cli(args: list[str], index: str) -> str:
    out = runner.invoke(app, [*args, "--index", index, "--today", TODAY.isoformat()])
    assert out.exit_code == 0, out.output
    return out.stdout


DEMO_TIMELINES = [
    ["timeline", "Gaspreise", "Hochwasser", "--by", "month", "--json"],
    ["timeline", "Energie", "--by", "week", "--normalize", "--json"],
    ["timeline", "Hochwasser", "--per-source", "--by", "year", "--json"],
    ["timeline", "Protest*", "--by", "day", "--from", "2022-03", "--to", "2022-04", "--json"],
    ["timeline", "Klimaschutz", "--format", "csv", "--per-source"],
    ["facets", "Energie", "--json"],
    ["facets", "Wahl", "--top", "3", "--json"],
    ["facets", "Stadtwerke NEAR/10 Preise", "--json"],
    ["search", "Gaspreise", "--facets", "--json"],
]


@pytest.mark.parametrize("args", DEMO_TIMELINES, ids=[" ".join(a[:2]) for a in DEMO_TIMELINES])
def test_demo_corpus_cli_output_is_the_same(demo: Pair, args: list[str]) -> None:
    whoosh = _cli(args, str(demo.whoosh.path))
    opensearch = _cli(args, demo.location)
    if args[0] == "search":  # the hits carry scores; the facets line must be the same
        whoosh, opensearch = whoosh.splitlines()[-1], opensearch.splitlines()[-1]
        assert json.loads(whoosh)["facets"]["total"] > 0
    else:
        assert whoosh.count("\n") > 1 or '"total"' in whoosh
    assert whoosh == opensearch


# -- generated corpora and queries ----------------------------------------------------------

days = st.one_of(st.none(), st.dates(dt.date(2019, 12, 20), dt.date(2021, 1, 10)))
generated_articles = st.lists(
    st.tuples(
        st.lists(st.sampled_from(VOCAB), min_size=1, max_size=4),
        days,
        st.sampled_from(SOURCES + [None]),
        st.sampled_from(SECTIONS + [None]),
        st.sampled_from(AUTHORS + [None]),
    ),
    min_size=1,
    max_size=25,
)
range_bounds = st.one_of(st.none(), st.dates(dt.date(2019, 12, 1), dt.date(2021, 2, 1)))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rows=generated_articles,
    qs=st.lists(word_queries, min_size=1, max_size=3),
    by=st.sampled_from(["day", "week", "month", "year"]),
    per_source=st.booleans(),
    bounds=st.tuples(range_bounds, range_bounds),
)
def test_generated_corpora_same_timeline_and_facets(
    opensearch_url: str,  # noqa: F811
    rows,
    qs,
    by: str,
    per_source: bool,
    bounds,
) -> None:
    articles = [
        Article(
            id=f"g{n}",
            title=f"Bericht {n}",
            text=" ".join(words),
            date=day,
            source=source,
            section=section,
            author=author,
        )
        for n, (words, day, source, section, author) in enumerate(rows)
    ]
    start, end = bounds
    if start and end and start > end:
        start, end = end, start
    texts = [render(q) for q in qs]
    with tempfile.TemporaryDirectory() as tmp:
        p = Pair(opensearch_url, Path(tmp), [articles])
        try:
            whoosh, opensearch = p.timelines(
                texts,
                by=by,
                per_source=per_source,
                date_from=start and start.isoformat(),
                date_to=end and end.isoformat(),
            )
            assert whoosh == opensearch
            for text in texts:
                whoosh, opensearch = p.facets(text, top=3)
                assert whoosh == opensearch
        finally:
            p.close()
