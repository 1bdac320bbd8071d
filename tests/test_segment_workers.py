"""Writer processes (:mod:`search.segment_workers`) build the same index as one writer."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import search.index
from search import NewsIndex

WORDS = (
    "Gaspreise Regierung Hochwasser Kanzler Straßenbahn Bürgermeister Wahl Energie Preis "
    "Gas Strom Klimaschutz Fußball Verkehr Schule Lehrerinnen Krankenhaus Wirtschaft"
).split()


def write_corpus(root: Path, files: int, per_file: int, seed: int) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        rows = []
        for n in range(per_file):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
            rows.append({"id": f"f{f}-{n}", "title": rng.choice(WORDS), "text": text + "."})
        if f == 1:  # copies of another file's article: folded, in any writer
            rows.append({"title": rows[0]["title"], "text": rows[0]["text"]})
        (root / f"part{f}.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8"
        )


def snapshot(idx: NewsIndex) -> tuple[list, dict]:
    docs = sorted((a.id, a.title, a.text, a.path) for a in idx.articles())
    hits = {
        q: sorted(h.id for h in idx.search(q, limit=None, snippets=None))
        for q in ("Gaspreis", "Gas Preis", '"Preis Gas"', "Lehrerin OR Kanzler", "titel:Wahl")
    }
    return docs, hits


#: Segments the writer processes handed back, test by test.
WRITTEN: list = []


class CountingWorkers(search.index.SegmentWorkers):
    def finish(self) -> list:
        segments = super().finish()
        WRITTEN.extend(segments)
        return segments


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search.index, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(search.index, "SegmentWorkers", CountingWorkers)
    WRITTEN.clear()


@pytest.mark.usefixtures("parallel")
@pytest.mark.parametrize("commit_every", [7, 2000])
def test_writer_processes_build_the_same_index(tmp_path: Path, commit_every: int) -> None:
    root = tmp_path / "src"
    write_corpus(root, files=9, per_file=40, seed=commit_every)
    serial = NewsIndex.create(tmp_path / "serial")
    r1 = serial.update_from(root, workers=1, commit_every=commit_every)
    par = NewsIndex.create(tmp_path / "parallel")
    assert len(WRITTEN) == 0
    r2 = par.update_from(root, workers=2, commit_every=commit_every)
    # The documents were written by two processes.
    assert sum(s.doc_count_all() for s in WRITTEN) == 360
    assert (r1.articles, r1.duplicates) == (r2.articles, r2.duplicates) == (360, 1)
    assert snapshot(serial) == snapshot(par)

    # Updating: a changed file's articles replaced, a deleted file's removed.
    write_corpus(root, files=9, per_file=40, seed=99)
    (root / "part3.jsonl").unlink()
    u1 = serial.update_from(root, workers=1, commit_every=commit_every)
    u2 = par.update_from(root, workers=2, commit_every=commit_every)
    assert (u1.updated, u1.removed, u1.articles) == (u2.updated, u2.removed, u2.articles)
    assert len(serial) == len(par) == 320
    assert snapshot(serial) == snapshot(par)


@pytest.mark.usefixtures("parallel")
def test_a_failing_writer_process_fails_the_run_and_keeps_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "src"
    write_corpus(root, files=3, per_file=10, seed=1)
    idx = NewsIndex.create(tmp_path / "ix")
    idx.update_from(root, workers=2)
    before = snapshot(idx)
    write_corpus(root, files=3, per_file=10, seed=2)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    # Forked after the patch: the writer processes fail on their first document.
    monkeypatch.setattr("whoosh.writing.SegmentWriter.add_document", broken)
    with pytest.raises(search.ZeitungError, match="disk full"):
        idx.update_from(root, workers=2)
    monkeypatch.undo()
    assert snapshot(NewsIndex.open(tmp_path / "ix")) == before
