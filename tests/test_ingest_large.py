"""Big streamed files: committed in chunks, resumed after an interruption, memory kept flat.

The thresholds are lowered here so that a few hundred articles behave like a multi-gigabyte
``.jsonl``: the file is streamed, and the index commits inside it.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

import search.index
import search.ingest
from search import NewsIndex
from search.index import PARTIAL_FILES_NAME

WORDS = "Regierung Gaspreis Wasserstoff Schule Bahn Klima Wahl Hafen Brücke Theater".split()


def write_feed(path: Path, n: int, *, repeat_text_of: dict[int, int] | None = None) -> None:
    """``n`` distinct articles; ``repeat_text_of`` gives some the text of an earlier one, and
    no id of their own (copies with ids of their own are kept as articles of their own)."""
    repeat_text_of = repeat_text_of or {}
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            j = repeat_text_of.get(i, i)
            word = WORDS[j % len(WORDS)]
            record = {
                "id": f"a{i}",
                "title": f"Meldung {j} über {word}",
                "text": f"Artikel Nummer {j}. Heute geht es um {word} und Fall{j}.",
            }
            if j != i:
                del record["id"]
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stream every file, in chunks of 50 articles."""
    monkeypatch.setattr(search.ingest, "STREAM_THRESHOLD_BYTES", 0)
    monkeypatch.setattr(search.ingest, "STREAM_CHUNK_ARTICLES", 50)


def segment_count(idx: NewsIndex) -> int:
    return len(idx._ix._segments())


def test_big_file_is_committed_in_chunks_and_complete(tmp_path: Path, streamed: None) -> None:
    src = tmp_path / "src"
    src.mkdir()
    write_feed(src / "gross.jsonl", 330)
    idx = NewsIndex.create(tmp_path / "ix")
    report = idx.update_from(src, workers=1, commit_every=100)
    assert report.articles == 330 and report.added == 1 and report.skipped == []
    assert len(idx) == 330
    assert segment_count(idx) > 1  # committed inside the file
    assert not (idx.path / PARTIAL_FILES_NAME).exists()
    assert len(idx.search("Fall329")) == 1
    # nothing changed: the next run touches nothing
    again = idx.update_from(src, workers=1, commit_every=100)
    assert (again.unchanged, again.articles, len(idx)) == (1, 0, 330)


def test_duplicates_are_found_across_chunk_commits(tmp_path: Path, streamed: None) -> None:
    src = tmp_path / "src"
    src.mkdir()
    # article 250 repeats article 10's title and text, three commits later
    write_feed(src / "gross.jsonl", 300, repeat_text_of={250: 10})
    idx = NewsIndex.create(tmp_path / "ix")
    report = idx.update_from(src, workers=1, commit_every=50)
    assert segment_count(idx) > 1
    assert report.duplicates == 1
    assert len(idx) == 299


def test_interrupted_big_file_is_read_again_whole(
    tmp_path: Path, streamed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    write_feed(src / "gross.jsonl", 300)
    idx = NewsIndex.create(tmp_path / "ix")

    commits = 0
    real_commit = search.index._Batch.commit

    def commit_then_die(self, *args) -> None:
        nonlocal commits
        commits += 1
        if commits == 3:
            raise KeyboardInterrupt
        real_commit(self, *args)

    monkeypatch.setattr(search.index._Batch, "commit", commit_then_die)
    with pytest.raises(KeyboardInterrupt):
        idx.update_from(src, workers=1, commit_every=100)
    monkeypatch.setattr(search.index._Batch, "commit", real_commit)

    reopened = NewsIndex.open(idx.path)
    assert 0 < len(reopened) < 300  # two chunks committed, searchable
    assert reopened.search("Fall0")
    marked = json.loads((idx.path / PARTIAL_FILES_NAME).read_text(encoding="utf-8"))
    assert marked == [str((src / "gross.jsonl").resolve())]

    report = reopened.update_from(src, workers=1, commit_every=100)
    assert (report.updated, report.unchanged, report.duplicates) == (1, 0, 0)
    assert len(reopened) == 300
    assert len(reopened.search("Fall0")) == 1  # the committed chunk was replaced, not doubled
    assert not (idx.path / PARTIAL_FILES_NAME).exists()


def test_rebuild_forgets_partial_marks(tmp_path: Path) -> None:
    idx = NewsIndex.create(tmp_path / "ix")
    (idx.path / PARTIAL_FILES_NAME).write_text('["/nowhere/x.jsonl"]', encoding="utf-8")
    idx.close()
    NewsIndex.create(tmp_path / "ix")
    assert not (tmp_path / "ix" / PARTIAL_FILES_NAME).exists()


def test_opening_a_searcher_does_not_copy_the_postings(tmp_path: Path) -> None:
    """Whoosh copies a memory-mapped compound segment into memory per reader; ours must not."""
    src = tmp_path / "src"
    src.mkdir()
    write_feed(src / "feed.jsonl", 400)
    idx = NewsIndex.create(tmp_path / "ix")
    idx.update_from(src, workers=1)
    on_disk = sum(f.stat().st_size for f in idx.path.iterdir() if f.is_file())
    reopened = NewsIndex.open(idx.path)
    tracemalloc.start()
    try:
        reopened.search("Regierung", snippets=None)
        grown, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert on_disk > 100_000
    assert grown < on_disk / 4, (grown, on_disk)
