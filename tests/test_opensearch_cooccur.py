"""``cooccur`` on OpenSearch: the same collocates, counts and scores as the embedded index.

The embedded index is the reference (tests/test_analytics.py checks what it finds): the same
articles go into a Whoosh index and a three-shard OpenSearch index (term statistics are per
shard, so a frequency read from one shard only would show), and whole results are compared,
as ``to_dict()`` and as the CLI's output: windows, sentences, years, samples, dates, ``any``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from search.analytics import cooccur
from search.cli import app
from tests.opensearch_node import opensearch_url  # noqa: F401
from tests.test_analytics import make_articles, render
from tests.test_analytics import queries as word_queries
from tests.test_opensearch_analytics import Pair
from tests.test_opensearch_analytics import demo as demo  # noqa: F401 - the fixture

EXAMPLES = 100 if os.environ.get("ZEITUNG_LONG_TESTS") else 10
TODAY = dt.date(2024, 6, 1)
runner = CliRunner()


CASES = [
    ("Energie", {}),
    ("Gaspreise", {"window": 2, "top": 50}),
    ("Hochwasser", {"window": None, "by_year": True}),
    ("Stadt", {"max_docs": 7}),  # a sample: the same articles on both engines
    ("der OR die", {"max_docs": 15, "by_year": True}),  # stop words: nothing to count
    ("Klimaschutz Energie", {"match": "any", "window": 10}),
    ("Energie", {"date_from": "2023", "today": TODAY}),
    ('"Verkehr in der Stadt"~4', {}),
    ("Stadtwerke NEAR/10 Preise", {"window": 3}),
    ("Nirgendwo", {}),
]


@pytest.mark.parametrize(("query", "options"), CASES, ids=[f"{q} {o}" for q, o in CASES])
def test_demo_corpus_collocates_are_the_same(demo: Pair, query: str, options: dict) -> None:
    a = demo.whoosh.cooccur(query, **options).to_dict()
    b = demo.opensearch.cooccur(query, **options).to_dict()
    assert a == b


def test_demo_corpus_counts_something(demo: Pair) -> None:
    result = demo.opensearch.cooccur("Energie", window=None)
    assert result.matched > 10 and result.collocates
    sampled = demo.opensearch.cooccur("Stadt", max_docs=7)
    assert sampled.sampled and sampled.read == 7


def test_corpus_statistics_are_the_whole_index(demo: Pair) -> None:
    """Every shard's term statistics are summed: the frequencies are Whoosh's exactly."""
    reader = demo.whoosh._current_searcher().reader()
    terms = [t.decode() for t in list(reader.lexicon("text"))[::37]]
    assert len(terms) > 50
    assert demo.opensearch.engine.term_frequencies(terms) == {
        t: reader.frequency("text", t) for t in terms
    }
    assert demo.opensearch.engine.text_length() == reader.field_length("text")
    assert demo.opensearch.engine.term_frequencies(["keinwortdas"]) == {"keinwortdas": 0}


DEMO_CLI = [
    ["cooccur", "Energie", "--json"],
    ["cooccur", "Hochwasser", "--window", "sentence", "--by", "year", "--json"],
    ["cooccur", "Gaspreise", "--window", "3", "--top", "5"],
    ["cooccur", "Stadt", "--max-docs", "9"],
]


@pytest.mark.parametrize("args", DEMO_CLI, ids=[" ".join(a[1:3]) for a in DEMO_CLI])
def test_demo_corpus_cli_output_is_the_same(demo: Pair, args: list[str]) -> None:
    outputs = []
    for index in (str(demo.whoosh.path), demo.location):
        out = runner.invoke(app, [*args, "--index", index])
        assert out.exit_code == 0, out.output
        outputs.append(out.stdout)
    assert outputs[0] == outputs[1]
    if "--json" in args:
        assert json.loads(outputs[1])["collocates"]


def test_the_sample_is_drawn_from_the_ids() -> None:
    ids = [f"a{i}" for i in range(50)]
    shuffled = random.Random(1).sample(ids, len(ids))
    assert cooccur.sample(ids, 10) == cooccur.sample(shuffled, 10)  # not the engine's order
    assert len(set(cooccur.sample(ids, 10))) == 10
    assert cooccur.sample(shuffled, 60) == sorted(ids)


# -- generated corpora and queries ----------------------------------------------------------


@pytest.fixture(scope="module")
def generated(opensearch_url: str, tmp_path_factory):  # noqa: F811 - imported fixture
    articles = make_articles(random.Random(7), 120)
    p = Pair(opensearch_url, tmp_path_factory.mktemp("cooc-gen"), [articles])
    yield p
    p.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    q=word_queries,
    window=st.one_of(st.none(), st.integers(1, 8)),
    by_year=st.booleans(),
    max_docs=st.sampled_from([3, 20, 500]),
)
def test_generated_collocates_are_the_same(
    generated: Pair, q, window, by_year: bool, max_docs: int
) -> None:
    query = render(q)
    options = {"window": window, "by_year": by_year, "max_docs": max_docs}
    a = generated.whoosh.cooccur(query, **options).to_dict()
    b = generated.opensearch.cooccur(query, **options).to_dict()
    assert a == b
