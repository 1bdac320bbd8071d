"""``--rebuild`` builds aside and replaces the old index in one step (issue 15.3)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner
from whoosh.filedb.filestore import FileStorage

from search import NewsIndex, ZeitungError
from search.cli import app
from search.schema import build_schema
from search.swap import REBUILD_DIR
from tests.test_crash import write_files


def test_readers_see_the_old_index_until_the_rebuild_ends(tmp_path: Path) -> None:
    articles, ix = tmp_path / "articles", tmp_path / "ix"
    write_files(articles, 0, 30)
    NewsIndex.create(ix).update_from(articles, workers=1)
    for path in articles.glob("meldung0000*.txt"):
        path.unlink()  # 10 fewer: the old index is told apart by its size
    write_files(articles, 100, 50)

    seen: list[tuple[int, int]] = []

    def look(progress) -> None:
        reader = NewsIndex.open(ix)  # another program, opening the index meanwhile
        seen.append((len(reader), len(reader.search("kennung5", snippets=None))))
        reader.close()

    idx = NewsIndex.open(ix)
    report = idx.update_from(articles, rebuild=True, workers=1, commit_every=10, progress=look)
    assert len(seen) == 70
    assert set(seen) == {(30, 1)}  # the whole old index, all along, through 7+ commits
    assert (report.added, report.updated, report.removed) == (50, 20, 10)
    assert len(idx) == 70 and len(NewsIndex.open(ix)) == 70
    assert not (ix / REBUILD_DIR).exists()
    again = idx.update_from(articles, workers=1)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 70)


def test_killed_rebuild_leaves_the_old_index_intact(tmp_path: Path) -> None:
    articles, ix = tmp_path / "articles", tmp_path / "ix"
    write_files(articles, 0, 20)
    NewsIndex.create(ix).update_from(articles, workers=1)
    write_files(articles, 20, 600)
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "index", str(articles), "--index", str(ix)]
        + ["--rebuild", "--commit-every", "50", "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        # Wait until the rebuild has committed twice aside, then kill it.
        while not list((ix / REBUILD_DIR).glob("_MAIN_[2-9]*.toc")):
            assert proc.poll() is None, "the rebuild ended before it could be killed"
            assert time.monotonic() < deadline
            old = NewsIndex.open(ix)
            assert len(old) == 20  # meanwhile, readers see the old index
            old.close()
            time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    idx = NewsIndex.open(ix)
    assert len(idx) == 20
    assert {h.id for h in idx.search("kennung7")} == {"meldung00007.txt"}
    idx.close()
    rebuilt, again = NewsIndex.rebuild(ix, articles, workers=1)  # starts over, leftovers gone
    assert (again.added, again.updated, len(rebuilt)) == (600, 20, 620)
    assert not (ix / REBUILD_DIR).exists()
    assert not [f for f in os.listdir(ix) if f.startswith("_MAIN_") and f != "_MAIN_2.toc"]


def test_cli_rebuild_replaces_an_index_of_another_analysis_version(tmp_path: Path) -> None:
    articles, ix = tmp_path / "articles", tmp_path / "ix"
    write_files(articles, 0, 5)
    schema = build_schema()
    del schema["text"].analyzer.version  # as written before analysis versions existed
    ix.mkdir()
    FileStorage(str(ix)).create_index(schema).close()
    result = CliRunner().invoke(app, ["index", str(articles), "--index", str(ix), "--rebuild"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("5 files added (5 articles)")
    assert len(NewsIndex.open(ix)) == 5


def test_a_first_rebuild_killed_early_does_not_block_the_index_dir(tmp_path: Path) -> None:
    """Only Zeitung's own leftovers in the directory (lock, .rebuild): still ours to use."""
    articles, ix = tmp_path / "articles", tmp_path / "ix"
    write_files(articles, 0, 3)
    (ix / REBUILD_DIR).mkdir(parents=True)
    (ix / "zeitung.lock").write_text("")
    assert NewsIndex.open_or_create(ix).update_from(articles, workers=1).added == 3
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(ZeitungError, match="holds no Zeitung index"):
        NewsIndex.rebuild(tmp_path / "other", articles)
