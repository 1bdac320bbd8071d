"""Zeitung on OpenSearch: locations, token transport, query compilation, and the whole API and
CLI against a real node (see tests/opensearch_node.py for how the node is found)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search import ArticleNotFound, IndexNotFound, NewsIndex, ZeitungError
from search.cli import app
from search.engines import engine_url, is_engine_url
from search.engines.opensearch import GAP, TERM_SEP, parse_location, positioned_tokens
from search.engines.opensearch_query import MAX_PHRASE_CLAUSES, compile_query
from search.model import Article
from search.query import parse_query
from search.schema import build_schema
from tests.conftest import CORPUS, write_articles
from tests.opensearch_node import drop, fresh_location, node_request, opensearch_url  # noqa: F401

runner = CliRunner()


# -- without a node ------------------------------------------------------------------------


def test_locations_are_recognised_with_or_without_the_double_slash() -> None:
    assert is_engine_url("opensearch://127.0.0.1:9200/news")
    assert is_engine_url(Path("opensearch://127.0.0.1:9200/news"))  # pathlib folds '//'
    assert engine_url(Path("opensearch://h:1/n")) == "opensearch://h:1/n"
    assert is_engine_url("https://search.example:443/news")
    assert not is_engine_url("zeitung-index")
    assert not is_engine_url("./opensearch/index")


def test_location_tls_credentials_and_parameters(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ZEITUNG_OPENSEARCH_USER", raising=False)
    monkeypatch.delenv("ZEITUNG_OPENSEARCH_PASSWORD", raising=False)
    monkeypatch.delenv("ZEITUNG_OPENSEARCH_VERIFY", raising=False)
    plain = parse_location("opensearch://127.0.0.1/news")
    assert (plain.url, plain.index, plain.shards, plain.replicas) == (
        "http://127.0.0.1:9200",
        "news",
        1,
        None,
    )
    tls = parse_location("https://anna:geheim@search.example:9243/archiv?shards=3&replicas=1")
    assert tls.url == "https://search.example:9243" and tls.verify
    assert (tls.user, tls.password, tls.shards, tls.replicas) == ("anna", "geheim", 3, 1)
    assert "geheim" not in tls.display and "anna" not in tls.display
    monkeypatch.setenv("ZEITUNG_OPENSEARCH_USER", "bot")
    monkeypatch.setenv("ZEITUNG_OPENSEARCH_PASSWORD", "s3cret")
    env = parse_location("opensearchs://search.example/archiv")
    assert (env.url, env.user, env.password) == ("https://search.example:9200", "bot", "s3cret")
    monkeypatch.delenv("ZEITUNG_OPENSEARCH_USER")
    monkeypatch.delenv("ZEITUNG_OPENSEARCH_PASSWORD")
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text("machine search.example login carla password n3tz\n", "utf-8")
    netrc_file.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc_file))
    from_netrc = parse_location("https://search.example/archiv")
    assert (from_netrc.user, from_netrc.password) == ("carla", "n3tz")
    many = parse_location("opensearch://127.0.0.1:9201,127.0.0.1:9202,[::1]/news")
    assert many.url.split(",") == [
        "http://127.0.0.1:9201",
        "http://127.0.0.1:9202",
        "http://[::1]:9200",
    ]
    with pytest.raises(ZeitungError, match="not an OpenSearch location"):
        parse_location("opensearch://127.0.0.1:9200/")
    with pytest.raises(ZeitungError, match="not an OpenSearch location") as err:
        parse_location("opensearch://anna:geheim@127.0.0.1:x/news")
    assert "geheim" not in str(err.value)
    with pytest.raises(ZeitungError, match="valid OpenSearch index name"):
        parse_location("opensearch://127.0.0.1:9200/News")


def test_positioned_tokens_keep_positions_and_gaps() -> None:
    text = positioned_tokens(iter([(1, "gaspreis"), (1, "gas"), (1, "=gaspreise"), (4, "x y")]))
    assert text.split(" ") == [
        GAP,
        TERM_SEP.join(["gaspreis", "gas", "=gaspreise"]),
        GAP,
        GAP,
        "xy",
    ]
    assert positioned_tokens(iter([])) == ""


def test_phrase_with_slop_is_an_or_of_exact_phrases() -> None:
    schema = build_schema()
    parsed = parse_query('text:"Kanzler Macron"~2', schema=schema)
    dsl = compile_query(parsed.query, schema).dsl
    variants = dsl["span_or"]["clauses"]
    gaps = [
        [c["span_gap"]["text"] for c in v["span_near"]["clauses"] if "span_gap" in c]
        for v in variants
    ]
    # words 1, 2 or 3 apart; word n stands at position 2n (boundaries between)
    assert gaps == [[1], [3], [5]]
    assert all(v["span_near"]["slop"] == 0 for v in variants)


def test_long_sloppy_phrase_is_marked_approximate() -> None:
    schema = build_schema()
    parsed = parse_query('text:"a1 b2 c3 d4 e5"~9', schema=schema)
    compiled = compile_query(parsed.query, schema)
    assert 10**4 * 9 > MAX_PHRASE_CLAUSES and compiled.approximate


def test_near_counts_positions_like_whoosh() -> None:
    schema = build_schema()
    parsed = parse_query("text:Olaf NEAR/7 Macron", schema=schema)
    near = compile_query(parsed.query, schema).dsl["span_near"]
    assert near["slop"] == 13 and near["in_order"] is False  # 7 words = 14 positions


# -- against a node ------------------------------------------------------------------------


@pytest.fixture
def location(opensearch_url: str):  # noqa: F811 - the fixture imported above
    loc = fresh_location(opensearch_url)
    yield loc
    drop(opensearch_url, loc)


def test_index_analyser_restores_positions(opensearch_url: str, location: str) -> None:  # noqa: F811
    """The claim the engine rests on: pattern_capture's further captures get position
    increment 0, and the stop filter leaves the gap's position empty."""
    NewsIndex.create(location).close()
    name = location.rsplit("/", 1)[1]
    text = f"{GAP} gaspreis{TERM_SEP}gas{TERM_SEP}preis {GAP} {GAP} steig{TERM_SEP}=steigt"
    r = node_request(opensearch_url, "POST", f"/{name}/_analyze", {"field": "text", "text": text})
    assert [(t["token"], t["position"]) for t in r["tokens"]] == [
        ("gaspreis", 1),
        ("gas", 1),
        ("preis", 1),
        ("steig", 4),
        ("=steigt", 4),
    ]


def test_long_sloppy_phrases_stay_under_the_clause_limit(location: str) -> None:
    """Found by the generated differential test: 125 exact variants in two fields passed
    Lucene's 1024 clauses (HTTP 500, retried in vain)."""
    idx = NewsIndex.create(location)
    idx.add_articles(
        [Article(id="a", title="Gas", text="Gas teurer Strompreis und Strom, Macron, Preise")]
    )
    assert [h.id for h in idx.search('"Gas Strompreis Strom Macron"~4 Pre*')] == ["a"]


def test_open_missing_index_is_index_not_found(location: str) -> None:
    with pytest.raises(IndexNotFound, match="no index at"):
        NewsIndex.open(location)


def test_api_round_trip(tmp_path: Path, location: str) -> None:
    write_articles(tmp_path / "docs")
    idx = NewsIndex.open_or_create(location)
    assert isinstance(idx, NewsIndex)
    report = idx.update_from(tmp_path / "docs")
    assert (report.added, report.articles, report.skipped) == (4, 5, [])
    assert len(idx) == 5
    hits = idx.search("Gaspreise")
    assert [h.id for h in hits] == ["wirtschaft/gaspreise.txt"]
    snippet = hits[0].snippets[0]
    assert any("Gaspreise" in snippet.text[s:e] for s, e in snippet.highlights)
    assert idx.get("agentur-1").author == "Erika Muster"
    with pytest.raises(ArticleNotFound):
        idx.get("nope")
    stats = idx.stats()
    assert stats.articles == 5 and stats.sources["agentur.example"] == 2
    assert str(stats.first_date) == "2021-10-02" and stats.undated == 1
    assert {a.id for a in idx.articles()} == {h.id for h in idx.search("NOT xyzzy", limit=None)}
    assert [h.id for h in idx.search("Strompreise OR Proteste", sort="-date")] == [
        "agentur-2",
        "agentur-1",
    ]
    assert idx.search("Haushalte", limit=None).total == 2
    # reopening checks the index; an unchanged directory is not read again
    again = NewsIndex.open(location)
    assert again.update_from(tmp_path / "docs").unchanged == 4
    assert idx.delete("agentur-1") and not idx.delete("agentur-1")
    assert idx.add_articles([Article(id="x1", title="Nachtrag", text="Ein Nachtrag zu Gas.")]) == 1
    assert {h.id for h in idx.search("Nachtrag")} == {"x1"}


def test_incremental_update_changes_removes_and_folds_duplicates(
    tmp_path: Path, location: str
) -> None:
    files = write_articles(tmp_path / "docs")
    idx = NewsIndex.open_or_create(location)
    idx.update_from(tmp_path / "docs")
    files["plain"].write_text("Sturmflut an der Küste\n\nDie Deiche halten.\n", encoding="utf-8")
    files["page"].unlink()
    shutil.copy(files["gas"], tmp_path / "docs" / "kopie.txt")  # same article, another path
    report = idx.update_from(tmp_path / "docs")
    assert (report.updated, report.removed, report.added, report.duplicates) == (1, 1, 1, 1)
    assert [h.id for h in idx.search("Sturmflut")] == ["plain.txt"]
    assert not idx.search("Hochwasser", limit=None)
    assert not idx.search("Buchmesse", limit=None)
    assert len(idx) == 4
    rebuilt = NewsIndex.create(location)
    assert rebuilt.update_from(tmp_path / "docs").articles == 4


def test_interrupted_run_resumes_with_every_article_once(
    tmp_path: Path, location: str, monkeypatch
) -> None:
    """A run that dies after some batches were sent; the next run completes it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(30):
        (docs / f"a{n:02d}.txt").write_text(f"Titel {n}\n\nText Nummer {n} über Gas.\n", "utf-8")
    idx = NewsIndex.open_or_create(location)
    from search.engines import opensearch

    calls = {"n": 0}
    real_bulk = opensearch.OpenSearchEngine.bulk

    def dying_bulk(self, actions):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_bulk(self, actions)

    monkeypatch.setattr(opensearch, "BULK_ACTIONS", 4)
    monkeypatch.setattr(opensearch.OpenSearchEngine, "bulk", dying_bulk)
    with pytest.raises(KeyboardInterrupt):
        idx.update_from(docs, commit_every=5, workers=1)
    monkeypatch.setattr(opensearch.OpenSearchEngine, "bulk", real_bulk)
    report = idx.update_from(docs, workers=1)
    assert report.unchanged + report.added + report.updated == 30  # partial ones: updated
    ids = sorted(h.id for h in idx.search("Gas", limit=None))
    assert ids == [f"a{n:02d}.txt" for n in range(30)] and len(idx) == 30


def test_a_file_is_never_sent_in_part_without_a_mark(
    tmp_path: Path, location: str, monkeypatch
) -> None:
    """Bulk requests go out at file boundaries: a crash after part of a file was sent would
    otherwise leave that part carrying the file's final state, and the next run would skip
    the rest of the file."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a", "b"):
        lines = [
            json.dumps({"id": f"{name}{n}", "title": f"T {name}{n}", "text": f"Gas {name} {n}"})
            for n in range(10)
        ]
        (docs / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    idx = NewsIndex.open_or_create(location)
    from search.engines import opensearch

    calls = {"n": 0}
    real_bulk = opensearch.OpenSearchEngine.bulk

    def dying_bulk(self, actions):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_bulk(self, actions)

    monkeypatch.setattr(opensearch, "BULK_ACTIONS", 4)
    monkeypatch.setattr(opensearch.OpenSearchEngine, "bulk", dying_bulk)
    with pytest.raises(KeyboardInterrupt):
        idx.update_from(docs, workers=1)
    monkeypatch.setattr(opensearch.OpenSearchEngine, "bulk", real_bulk)
    idx.update_from(docs, workers=1)
    assert len(idx) == 20 and len(idx.search("Gas", limit=None)) == 20


def test_a_lock_left_by_a_dead_process_is_taken_over(location: str) -> None:
    from search import IndexLocked
    from search.engines.opensearch import WriterLock

    idx = NewsIndex.create(location)
    lock = WriterLock(idx.engine)
    lock._ensure_index()
    for owner, taken in (("{host}:1:held", False), ("{host}:{dead}:gone", True)):
        body = {"owner": owner.format(host=os.uname().nodename, dead=_exited_pid()), "time": 1e12}
        idx.engine.client.index(index=lock.index, id="writer", body=body, refresh="true")
        if taken:
            assert idx.add_articles([Article(id="x", title="x", text="x")]) == 1
        else:
            with pytest.raises(IndexLocked, match="is locked by"):
                idx.add_articles([Article(id="x", title="x", text="x")])


def _exited_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_bulk_retries_refused_items_and_lost_connections(location: str, monkeypatch) -> None:
    from opensearchpy import exceptions as ex

    from search.engines import opensearch

    idx = NewsIndex.create(location)
    client = idx.engine.client
    real = client.bulk
    seen = {"n": 0}

    def flaky(body, **kwargs):
        seen["n"] += 1
        if seen["n"] == 1:
            raise ex.ConnectionError("N/A", "connection reset", None)
        if seen["n"] == 2:  # every item refused with 429 once
            lines = body.strip().split("\n")[::2]
            items = [{"index": {"status": 429, "error": {"type": "es_rejected"}}} for _ in lines]
            return {"errors": True, "items": items}
        return real(body=body, **kwargs)

    monkeypatch.setattr(opensearch, "BACKOFF_SECONDS", 0.01)
    monkeypatch.setattr(client, "bulk", flaky)
    articles = [Article(id=f"r{n}", title=f"Titel {n}", text="Gas und Strom") for n in range(5)]
    assert idx.add_articles(articles) == 5
    assert seen["n"] == 3 and len(idx) == 5


def test_a_second_writer_is_refused(location: str) -> None:
    from search import IndexLocked

    idx = NewsIndex.create(location)
    with idx.engine.lock(), pytest.raises(IndexLocked, match="is locked by"):
        idx.add_articles([Article(id="x", title="x", text="x")])


def test_cli_on_opensearch(tmp_path: Path, location: str, monkeypatch) -> None:
    write_articles(tmp_path / "docs")
    monkeypatch.setenv("ZEITUNG_OPENSEARCH_PASSWORD", "nicht-zeigen")
    out = runner.invoke(app, ["index", str(tmp_path / "docs"), "--index", location, "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert summary["articles_in_index"] == 5 and summary["index"] == location.replace(
        "opensearch", "http"
    )
    out = runner.invoke(app, ["search", "Proteste", "--index", location, "--json"])
    assert out.exit_code == 0, out.output
    assert [json.loads(line)["id"] for line in out.stdout.splitlines()] == ["agentur-1"]
    out = runner.invoke(app, ["show", "agentur-1", "--index", location, "--json"])
    assert json.loads(out.stdout)["title"] == "Proteste in Kasachstan"
    out = runner.invoke(app, ["stats", "--index", location, "--json"])
    assert json.loads(out.stdout)["articles"] == 5
    out = runner.invoke(app, ["search", '"Preis für Gas"', "--index", location, "--explain"])
    assert out.exit_code == 0 and "OpenSearch query DSL" in out.stdout and "span_gap" in out.stdout
    out = runner.invoke(app, ["analyze", "Gaspreise", "--index", location])
    assert out.exit_code == 0 and "gas" in out.stdout
    monkeypatch.setenv("ZEITUNG_INDEX", location)
    out = runner.invoke(app, ["search", "Strompreise", "--json"])
    assert [json.loads(line)["id"] for line in out.stdout.splitlines()] == ["agentur-2"]
    everything = "".join(str(o) for o in (out.output, summary))
    assert "nicht-zeigen" not in everything


def test_cli_errors_are_one_line(location: str) -> None:
    out = runner.invoke(app, ["search", "Gas", "--index", location])
    assert out.exit_code == 1 and "no index at" in out.output
    bad = location.rsplit("/", 1)[0] + "/Gross"
    out = runner.invoke(app, ["stats", "--index", bad])
    assert out.exit_code == 1 and "index name" in out.output


@pytest.mark.skipif(not (CORPUS / "README.md").exists(), reason="no demo corpus")
def test_demo_corpus_indexes_like_whoosh(tmp_path: Path, location: str) -> None:
    os.environ.pop("ZEITUNG_INDEX", None)
    remote = NewsIndex.create(location)
    local = NewsIndex.create(tmp_path / "ix")
    a, b = remote.update_from(CORPUS), local.update_from(CORPUS)
    assert (a.added, a.articles, a.duplicates) == (b.added, b.articles, b.duplicates)
    assert remote.stats().to_dict() | {"path": "", "size_bytes": 0} == local.stats().to_dict() | {
        "path": "",
        "size_bytes": 0,
    }
