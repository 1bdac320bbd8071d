"""Incremental indexing on OpenSearch does what the embedded index does, run for run: the
same report (added, updated, removed, unchanged, skipped, duplicates, bad records) and the
same articles, through the cases that need more than documents to decide (files without
articles, bad records, folded copies and their owners, explicit ids, derived titles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search import NewsIndex
from tests.opensearch_node import drop, fresh_location, opensearch_url  # noqa: F401


@pytest.fixture
def pair(opensearch_url: str, tmp_path: Path):  # noqa: F811 - imported fixture
    location = fresh_location(opensearch_url, "zeitung-update")
    whoosh = NewsIndex.create(tmp_path / "whoosh")
    opensearch = NewsIndex.create(location)
    yield whoosh, opensearch
    whoosh.close()
    opensearch.close()
    drop(opensearch_url, location)


def _jsonl(path: Path, records: list[dict | str]) -> None:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(pair, docs: Path) -> dict:
    """One update on both engines; the reports must be equal, and so must the articles."""
    whoosh, opensearch = pair
    a = whoosh.update_from(docs, workers=1).to_dict()
    b = opensearch.update_from(docs, workers=1).to_dict()
    for timing in ("seconds", "articles_per_second"):
        a.pop(timing), b.pop(timing)
    assert a == b
    articles_w = sorted((x.id, x.title, x.title_derived, x.path, x.text) for x in whoosh.articles())
    articles_o = sorted(
        (x.id, x.title, x.title_derived, x.path, x.text) for x in opensearch.articles()
    )
    assert articles_w == articles_o
    return a


AGENCY = "Die Agentur meldet: Der Hafen wird ausgebaut, sagt der Senat."


def test_runs_report_and_keep_the_same(pair, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    # two papers print the same agency report under their own ids: two articles
    _jsonl(docs / "a.jsonl", [{"id": "a1", "title": "Hafen", "text": AGENCY}])
    _jsonl(docs / "b.jsonl", [{"id": "b1", "title": "Hafen", "text": AGENCY}])
    # the same id in two files is one article (the first is kept)
    _jsonl(docs / "c.jsonl", [{"id": "same", "title": "Erste", "text": "Ein Vulkan bricht aus."}])
    _jsonl(docs / "d.jsonl", [{"id": "same", "title": "Zweite", "text": "Ein Vulkan bricht."}])
    # a copy without id folds into the file that has it; it comes back when that one goes
    (docs / "orig.txt").write_text("Zirkus\n\nDer Zirkus kommt in die Stadt.\n", "utf-8")
    (docs / "kopie.txt").write_text("Zirkus\n\nDer Zirkus kommt in die Stadt.\n", "utf-8")
    # no articles; bad records beside good ones; a title made from the text
    (docs / "leer.jsonl").write_text("\n", encoding="utf-8")
    _jsonl(
        docs / "bad.jsonl",
        [{"id": "g1", "title": "Gut", "text": "Radio Bremen sendet."}, "{kaputt", "[1, 2]"],
    )
    _jsonl(docs / "notitle.jsonl", [{"id": "n1", "text": "Ein Text ohne Titel über Kino."}])
    first = _run(pair, docs)
    assert first["duplicates"] >= 2 and first["bad_records"]
    second = _run(pair, docs)  # nothing changed: everything unchanged, nothing skipped again
    assert second["added"] == second["updated"] == 0
    (docs / "orig.txt").unlink()
    third = _run(pair, docs)
    assert third["removed"] == 1
    whoosh, opensearch = pair
    assert [h.id for h in opensearch.search("Zirkus")] == [h.id for h in whoosh.search("Zirkus")]
    assert opensearch.search("Zirkus")  # the copy is back
    (docs / "leer.jsonl").write_text('{"id": "l1", "title": "Jetzt", "text": "Mit Ozean."}\n')
    _run(pair, docs)
    (docs / "a.jsonl").unlink()
    _run(pair, docs)


def test_rebuild_reports_the_same(pair, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "leer.jsonl").write_text("\n", encoding="utf-8")
    _jsonl(docs / "a.jsonl", [{"id": "a1", "title": "Hafen", "text": AGENCY}])
    (docs / "b.txt").write_text("Hafen\n\n" + AGENCY + "\n", "utf-8")
    _run(pair, docs)
    (docs / "c.txt").write_text("Kino\n\nIm Kino.\n", "utf-8")
    (docs / "b.txt").unlink()
    whoosh, opensearch = pair
    a = whoosh.update_from(docs, rebuild=True, workers=1).to_dict()
    b = opensearch.update_from(docs, rebuild=True, workers=1).to_dict()
    for timing in ("seconds", "articles_per_second"):
        a.pop(timing), b.pop(timing)
    assert a == b
