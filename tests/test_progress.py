"""Progress of long runs: articles/s and time left while indexing, the rate in the summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import search.ingest
from search import NewsIndex
from search.cli import app, progress_line
from search.index import Progress


@given(
    articles=st.integers(0, 10**7),
    total=st.integers(0, 10**10),
    done_share=st.floats(0, 1),
    seconds=st.floats(0, 1e5),
)
def test_rate_and_eta_follow_the_work_so_far(articles, total, done_share, seconds) -> None:
    done = int(total * done_share)
    p = Progress(0, 1, "f", articles, done, total, seconds)
    assert p.rate == (articles / seconds if seconds > 0 else 0.0)
    if done == 0 or total == 0 or seconds == 0:
        assert p.eta is None
    else:  # the bytes left at the pace so far
        assert p.eta == pytest.approx((total - done) / (done / seconds))


def test_progress_line_names_files_articles_rate_and_eta() -> None:
    p = Progress(3, 10, "f", 2500, 250, 1000, 10.0)
    assert progress_line(p) == "3/10 files · 2500 articles · 250 articles/s · ETA 0:00:30"
    assert progress_line(Progress(0, 10, "f", 0, 0, 1000, 0.0)).endswith("· ETA -")
    assert "ETA 1:01:01" in progress_line(Progress(1, 2, "f", 1, 1, 3662, 1.0))


def write_feed(path: Path, n: int) -> None:
    rows = [
        {"id": f"{path.stem}{k}", "title": f"Meldung {k}", "text": f"Text {path.stem} {k}."}
        for k in range(n)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")


def test_a_streamed_file_reports_progress_chunk_by_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "src"
    root.mkdir()
    write_feed(root / "gross.jsonl", 23)
    write_feed(root / "klein.jsonl", 2)
    monkeypatch.setattr(search.ingest, "STREAM_THRESHOLD_BYTES", 1000)
    monkeypatch.setattr(search.ingest, "STREAM_CHUNK_ARTICLES", 5)
    seen: list[Progress] = []
    report = NewsIndex.create(tmp_path / "ix").update_from(root, workers=1, progress=seen.append)
    total = sum(f.stat().st_size for f in root.iterdir())
    # klein.jsonl, then gross.jsonl in five chunks (5, 5, 5, 5, 3 articles).
    assert [p.done for p in seen] == [1, 1, 1, 1, 1, 2]
    assert [p.articles for p in seen] == [2, 7, 12, 17, 22, 25] and report.articles == 25
    assert all(p.bytes_total == total for p in seen)
    done = [p.bytes_done for p in seen]
    assert done == sorted(done) and done[-1] == total and done[-2] < total
    assert all(p.eta is not None for p in seen)


def test_summary_and_json_give_the_rate(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    write_feed(root / "feed.jsonl", 12)
    runner = CliRunner()
    out = runner.invoke(app, ["index", str(root), "--index", str(tmp_path / "ix"), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout.splitlines()[0])
    # Both are rounded (seconds to 3 decimals, the rate to 1): the rate lies between 12
    # articles over the longest and over the shortest time that rounds to those seconds.
    secs, rate = summary["seconds"], summary["articles_per_second"]
    assert 12 / (secs + 0.0005) - 0.05 <= rate <= 12 / max(secs - 0.0005, 1e-9) + 0.05
    write_feed(root / "more.jsonl", 3)
    out = runner.invoke(app, ["index", str(root), "--index", str(tmp_path / "ix")])
    assert re.search(
        r"1 file added \(3 articles\), .* in \d+\.\d s \([\d,]+ articles/s\); ", out.stdout
    )
    # A run that writes nothing gives no rate.
    out = runner.invoke(app, ["index", str(root), "--index", str(tmp_path / "ix")])
    assert "articles/s" not in out.stdout
