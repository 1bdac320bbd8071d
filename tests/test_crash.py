"""Crash safety: a killed indexing run leaves the last committed index intact, and resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from search import NewsIndex
from search.locking import WriteLock

WORDS = (
    "Gaspreis Stromnetz Hochwasser Bürgermeisterin Straßenbahn Wohnungsbau Klimaschutz "
    "Fachkräfte Schule Verkehr Theater Wasserstoff Landtag Gemeinderat Brücke Energie"
).split()


def write_files(root: Path, start: int, count: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        words = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(60))
        (root / f"meldung{n:05d}.txt").write_text(
            f"Meldung Nummer {n}\n\nEin Bericht mit der Kennung kennung{n}. {words}.\n",
            encoding="utf-8",
        )


def test_kill_during_indexing_keeps_committed_index_and_resumes(tmp_path: Path) -> None:
    articles, ix = tmp_path / "articles", tmp_path / "ix"
    write_files(articles, 0, 20)
    base = NewsIndex.create(ix)
    base.update_from(articles, workers=1)
    assert len(base) == 20
    base.close()

    write_files(articles, 20, 1500)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "search",
            "index",
            str(articles),
            "--index",
            str(ix),
            "--commit-every",
            "100",
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    # The committed index opens and answers; nothing committed before is lost.
    idx = NewsIndex.open(ix)
    survived = len(idx)
    assert 20 <= survived <= 1520
    assert {h.id for h in idx.search("kennung7")} == {"meldung00007.txt"}

    # The kernel dropped the dead writer's lock: a new writer gets it at once.
    with WriteLock(ix):
        pass

    report = idx.update_from(articles, workers=2)
    assert len(idx) == 1520
    assert report.added == 1520 - survived
    assert {h.id for h in idx.search("kennung1499")} == {"meldung01499.txt"}


def test_searches_during_indexing_see_each_commit_whole(tmp_path: Path) -> None:
    """While ``zeitung index`` writes, a searcher in another process opens the last commit:
    every snapshot it sees is consistent (each article findable by its own word, all of them
    by a common one) and snapshots only grow."""
    articles, ix = tmp_path / "articles", tmp_path / "ix"
    write_files(articles, 0, 20)
    with NewsIndex.create(ix) as base:
        base.update_from(articles, workers=1)
    write_files(articles, 20, 240)
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "index", str(articles), "--index", str(ix)]
        + ["--commit-every", "30", "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: list[int] = []
    try:
        while proc.poll() is None or not seen:
            with NewsIndex.open(ix) as idx:
                n = len(idx)
                ids = {h.id for h in idx.search("Meldung", limit=None)}
                assert len(ids) == n
                newest = max(int(i[len("meldung") : -len(".txt")]) for i in ids)
                assert {h.id for h in idx.search(f"kennung{newest}")} == {
                    f"meldung{newest:05d}.txt"
                }
            assert not seen or n >= seen[-1]
            seen.append(n)
    finally:
        proc.wait(timeout=120)
    assert proc.returncode == 0
    with NewsIndex.open(ix) as idx:
        assert len(idx) == 260
    assert seen[0] >= 20
    assert len(set(seen)) > 1, seen  # it did search between commits
