"""The benchmark corpus generator: deterministic, labelled, and readable by Zeitung's readers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from benchmarks import make_corpus
from search.readers import iter_articles


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    make_corpus.write_corpus(1500, out, seed=7, per_file=600, data=shared_data)
    return out


def _records(out: Path) -> list[dict]:
    return [json.loads(line) for f in sorted(out.glob("part-*.jsonl")) for line in f.open()]


def test_same_seed_same_bytes(corpus: Path, shared_data: Path, tmp_path: Path) -> None:
    make_corpus.write_corpus(1500, tmp_path, seed=7, per_file=600, data=shared_data)
    names = sorted(p.name for p in corpus.iterdir())
    assert names == [".labels.jsonl", "part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    for name in names:
        assert (tmp_path / name).read_bytes() == (corpus / name).read_bytes(), name


def test_another_seed_another_corpus(corpus: Path, shared_data: Path, tmp_path: Path) -> None:
    make_corpus.write_corpus(50, tmp_path, seed=8, data=shared_data)
    assert _records(tmp_path)[0]["text"] != _records(corpus)[0]["text"]


def test_records_look_like_an_archive(corpus: Path) -> None:
    records = _records(corpus)
    assert len(records) == 1500
    assert len({r["id"] for r in records}) == 1500
    hosts = Counter(r["url"].split("/")[2].removeprefix("www.") for r in records)
    assert len(hosts) == 30
    years = Counter(r["date"][:4] for r in records if r["date"])
    assert min(years) >= "2005" and max(years) <= "2024"
    assert years["2024"] > 2 * years["2006"]  # more articles in later years
    assert 0.2 < sum(1 for r in records if r["author"]) / len(records) < 0.9
    assert all(r["title"] and len(r["text"]) > 100 for r in records)


def test_agency_copies_are_labelled_across_sources(corpus: Path) -> None:
    by_id = {r["id"]: r for r in _records(corpus)}
    labels = [json.loads(line) for line in (corpus / ".labels.jsonl").open()]
    copies = sum(len(lab["articles"]) - 1 for lab in labels)
    assert 0.01 < copies / len(by_id) < 0.03
    for lab in labels:
        members = [by_id[i] for i in lab["articles"]]
        assert len({m["url"].split("/")[2] for m in members}) == len(members)
        assert set(lab["edits"]) == set(lab["articles"][1:])
        assert all(lab["edits"].values())  # a copy always differs a little
        original = set(members[0]["text"].split())
        for copy in members[1:]:
            words = set(copy["text"].split())
            assert len(words & original) / len(words | original) > 0.4


def test_vocabulary_keeps_growing(shared_data: Path, tmp_path: Path) -> None:
    heaps = make_corpus.write_corpus(3000, tmp_path, seed=3, data=shared_data)
    assert heaps.rows == [(3000, len(heaps.words))]
    # Counted again at 1,000 and 3,000 articles: the vocabulary grows by well over a third.
    words: set[str] = set()
    counts = []
    for n, line in enumerate((tmp_path / "part-00000.jsonl").open(), 1):
        record = json.loads(line)
        words.update(make_corpus.WORD.findall(f"{record['title']} {record['text']}".casefold()))
        if n in (1000, 3000):
            counts.append(len(words))
    assert counts[1] > 1.3 * counts[0]


def test_scraped_files_read_back_as_the_records(shared_data: Path, tmp_path: Path) -> None:
    jsonl, files = tmp_path / "jsonl", tmp_path / "files"
    make_corpus.write_corpus(120, jsonl, seed=5, data=shared_data)
    make_corpus.write_corpus(120, files, seed=5, files=True, data=shared_data)
    records = _records(jsonl)
    txts = sorted(files.glob("*/*.txt"), key=lambda p: p.name)
    assert len(txts) == 120
    for record, path in zip(records, txts, strict=True):
        (article,) = iter_articles(path, files)
        assert article.id == f"{path.parent.name}/{path.name}"
        assert article.url == record["url"]
        assert article.title == record["title"]
        assert article.text == record["text"]
        assert (article.date.isoformat() if article.date else None) == record["date"]
        assert article.author == record["author"]
        assert (article.section or "").lower() == record["section"].lower()
