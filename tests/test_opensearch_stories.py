"""Story ids on OpenSearch: the same stories, copies, collapsed searches and story counts as
the embedded index (issue 13 on top of issue 12).

The embedded index is the reference (tests/test_stories.py checks it against the made
groups and brute force): the same articles, in the same runs, go into a Whoosh index and a
three-shard OpenSearch index, and the story of every article, every hit's story and copies,
``--collapse``, ``show --copies`` and ``timeline``/``facets --stories`` are compared whole,
through the API and the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search import NewsIndex
from search.cli import app
from tests.opensearch_node import drop, fresh_location, node_request, opensearch_url  # noqa: F401
from tests.test_stories import OUTLETS, QUERIES, report, write
from tests.test_stories import copies as copies  # noqa: F401 - the fixture
from tests.test_stories import outlets as outlets  # noqa: F401 - the fixture
from tests.test_stories import story_corpus as story_corpus  # noqa: F401 - the fixture

runner = CliRunner()


def stories_of(index: NewsIndex) -> dict[str, str]:
    """Article id -> story id, read from either engine."""
    if getattr(index, "engine", None) is None:
        searcher = index._current_searcher()
        return {f["id"]: f["story"] for f in searcher.all_stored_fields()}
    engine = index.engine
    return {s["id"]: s["story"] for s in engine.scan("test", {"match_all": {}}, ["id", "story"])}


@pytest.fixture
def location(opensearch_url: str):  # noqa: F811 - imported fixture
    loc = fresh_location(opensearch_url, "zeitung-stories")
    yield loc + "?shards=3&replicas=0"
    drop(opensearch_url, loc)


def both(location: str, ix: Path) -> tuple[NewsIndex, NewsIndex]:
    return NewsIndex.create(ix), NewsIndex.create(location)


def test_runs_give_the_same_stories(copies, location: str) -> None:  # noqa: F811
    root, ix = copies
    whoosh, opensearch = both(location, ix)
    with whoosh, opensearch:
        for index in (whoosh, opensearch):
            index.update_from(root, workers=1)
        first = stories_of(whoosh)
        assert stories_of(opensearch) == first
        assert len(set(first.values())) == 3  # the report's copies, e.txt, f.txt
        # A later run joins the older story; removing the article that named the story
        # keeps its copies together and a new article of that id gets a new label.
        write(root, "g.txt", "Später", report(1)[1:])
        named = next(k for k, v in first.items() if k == v and k.endswith(("a.txt", "b.txt")))
        (root / named).unlink()
        for index in (whoosh, opensearch):
            index.update_from(root, workers=1)
        second = stories_of(whoosh)
        assert stories_of(opensearch) == second
        assert second["g.txt"] == first["a.txt"]
        write(root, named, "Zurück", report(9))
        for index in (whoosh, opensearch):
            index.update_from(root, workers=1)
        third = stories_of(whoosh)
        assert third[named] == named + "~2"
        assert stories_of(opensearch) == third


def test_a_rebuild_gives_the_same_stories(copies, location: str) -> None:  # noqa: F811
    root, ix = copies
    whoosh, opensearch = both(location, ix)
    with whoosh, opensearch:
        whoosh.update_from(root, workers=1)
        opensearch.update_from(root, workers=1)
        before = stories_of(whoosh)
        opensearch.update_from(root, workers=1, rebuild=True)
        assert stories_of(opensearch) == before


def test_add_articles_in_two_commits(story_corpus, location: str) -> None:  # noqa: F811
    index, articles, _group = story_corpus
    with NewsIndex.create(location) as opensearch:
        opensearch.add_articles(articles[:40])
        opensearch.add_articles(articles[40:])
        assert stories_of(opensearch) == stories_of(index)


@pytest.fixture
def outlet_pair(outlets: Path, opensearch_url: str):  # noqa: F811
    """The outlets' feed in both engines (the Whoosh one is the fixture's index)."""
    loc = fresh_location(opensearch_url, "zeitung-stories")
    opensearch = NewsIndex.create(loc + "?shards=3&replicas=0")
    opensearch.update_from(outlets.parent / "articles", workers=1)
    whoosh = NewsIndex.open(outlets)
    yield whoosh, opensearch, loc
    whoosh.close()
    opensearch.close()
    drop(opensearch_url, loc)


def hit_rows(results) -> list[tuple]:
    return sorted((h.id, h.story, tuple(h.copies)) for h in results)


@pytest.mark.parametrize("query", QUERIES)
def test_hits_carry_the_same_stories_and_copies(outlet_pair, query: str) -> None:
    whoosh, opensearch, _ = outlet_pair
    a = whoosh.search(query, limit=None, snippets=None)
    b = opensearch.search(query, limit=None, snippets=None)
    assert hit_rows(a) == hit_rows(b)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "-date", "date"])
def test_collapse_is_the_same(outlet_pair, query: str, sort: str) -> None:
    whoosh, opensearch, _ = outlet_pair
    for limit, offset in ((None, 0), (10, 0), (2, 1)):
        a = whoosh.search(query, limit=limit, offset=offset, sort=sort, collapse=True)
        b = opensearch.search(query, limit=limit, offset=offset, sort=sort, collapse=True)
        assert a.total == b.total
        # One hit per story, the same stories; which copy stands for a story may differ
        # where two copies tie (Whoosh breaks ties by document number, OpenSearch by id).
        stories_a, stories_b = [h.story for h in a], [h.story for h in b]
        assert len(set(stories_b)) == len(stories_b)
        if limit is None:
            assert sorted(stories_a) == sorted(stories_b)
        every = list(opensearch.search(query, limit=None, sort=sort, snippets=None))
        first: dict[str, str] = {}
        for hit in every:
            first.setdefault(hit.story, hit.id)
        expected = list(first.values())[offset : offset + limit if limit else None]
        assert [h.id for h in b] == expected  # the best of each story, in order


def test_collapse_beyond_the_result_window_folds_here(outlet_pair, monkeypatch) -> None:
    from search.engines import opensearch as os_engine

    whoosh, opensearch, _ = outlet_pair
    native = [h.id for h in opensearch.search("berichtet", limit=5, collapse=True)]
    monkeypatch.setattr(os_engine, "MAX_RESULT_WINDOW", 1)
    folded = opensearch.search("berichtet", limit=5, collapse=True)
    assert [h.id for h in folded] == native
    assert folded.total == whoosh.search("berichtet", collapse=True).total == 2


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_is_the_same(outlet_pair) -> None:
    whoosh, opensearch, loc = outlet_pair
    w, o = str(whoosh.path), loc
    for args in (
        ["search", "berichtet", "--collapse", "--json"],
        ["search", "berichtet", "--collapse"],
        ["search", "Gasbau", "--json", "--limit", "50"],
        ["show", "s1-elbe-echo.de", "--copies", "--json"],
        ["show", "s2-harzbote.de", "--copies"],
        ["show", "own-3", "--copies", "--json"],
        ["timeline", "berichtet", "--stories", "--by", "day", "--json"],
        ["facets", "berichtet OR Markttag", "--stories", "--json"],
    ):
        a, b = cli(*args, "--index", w), cli(*args, "--index", o)
        if "--collapse" in args and "--json" in args:  # scores round alike, ties aside
            a = sorted(json.loads(line)["story"] for line in a.splitlines())
            b = sorted(json.loads(line)["story"] for line in b.splitlines())
        elif "--collapse" in args:
            a, b = a.splitlines()[0], b.splitlines()[0]  # "2 stories …"
        elif args[0] == "search":
            a, b = _story_rows(a), _story_rows(b)
        assert a == b, args
    copies = json.loads(cli("show", "s2-harzbote.de", "--copies", "--json", "--index", o))
    assert len(copies["copies"]) == len(OUTLETS) - 1


def _story_rows(lines: str) -> list[tuple]:
    hits = [json.loads(line) for line in lines.splitlines()]
    return sorted((h["id"], h["story"], tuple(h["copies"])) for h in hits)


def test_timeline_and_facets_stories_are_the_same(story_corpus, location: str) -> None:  # noqa: F811
    from tests.test_analytics import VOCAB

    index, articles, _group = story_corpus
    with NewsIndex.create(location) as opensearch:
        opensearch.add_articles(articles[:40])
        opensearch.add_articles(articles[40:])
        queries = [VOCAB[0], f"{VOCAB[1]} OR {VOCAB[2]}", f"Meldung NOT {VOCAB[3]}", "Lokal"]
        for by in ("day", "week", "month", "year"):
            for per_source in (False, True):
                options = {"by": by, "per_source": per_source, "stories": True}
                a = index.timeline(queries, **options)
                b = opensearch.timeline(queries, **options)
                assert a.rows() == b.rows()
                assert a.csv_rows() == b.csv_rows()
                assert a.stories and b.stories
        for query in queries + ["Meldung"]:
            for top in (2, 100):
                a = index.facets(query, top=top, stories=True).to_dict()
                b = opensearch.facets(query, top=top, stories=True).to_dict()
                assert a == b
                assert a["counted"] == "stories"
        plain = opensearch.facets("Meldung").to_dict()
        assert plain["total"] == len(articles) > opensearch.facets("Meldung", stories=True).total


def test_mapping_holds_story_keywords(outlet_pair, opensearch_url: str) -> None:  # noqa: F811
    _, _, loc = outlet_pair
    name = loc.rsplit("/", 1)[1]
    mapping = next(iter(node_request(opensearch_url, path=f"/{name}/_mapping").values()))
    props = mapping["mappings"]["properties"]
    assert props["story"]["type"] == props["story_bands"]["type"] == "keyword"
    assert mapping["mappings"]["_meta"]["zeitung"]["mapping_version"] >= 5
