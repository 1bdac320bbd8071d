"""``zeitung index`` and ``zeitung parse`` as a user reads them (issue 15: 5, 15, 16, 17)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """One good .txt, a feed with a bad line, an unsupported file, a dangling symlink."""
    root = tmp_path / "c"
    root.mkdir()
    (root / "eins.txt").write_text("Titel eins\n\nText über eins.\n", encoding="utf-8")
    (root / "feed.jsonl").write_text(
        '{"title": "A", "text": "Erster."}\n{kaputt\n{"title": "C", "text": "Dritter."}\n',
        encoding="utf-8",
    )
    (root / "notiz.pdf").write_bytes(b"%PDF-1.4")
    os.symlink(tmp_path / "nirgends.txt", root / "weg.txt")
    return root


def test_summary_counts_files_and_articles_in_words(messy: Path, tmp_path: Path) -> None:
    result = run("index", str(messy), "--index", str(tmp_path / "ix"), "--workers", "1")
    assert result.exit_code == 0, result.output
    line = result.stdout.strip()
    assert line.startswith("2 files added (3 articles), 0 updated, 0 removed, 0 unchanged, ")
    assert "1 skipped, 1 unsupported, 1 bad record in" in line
    assert line.endswith(f"; 3 articles in {tmp_path / 'ix'}")
    assert f"skipped {messy / 'weg.txt'}: broken symbolic link" in result.stderr
    assert (
        f"1 bad record in {messy / 'feed.jsonl'} (line 2: invalid JSON: Expecting property name"
        in result.stderr
    )

    (messy / "zwei.txt").write_text("Titel zwei\n\nText über zwei.\n", encoding="utf-8")
    (messy / "drei.txt").write_text("Titel eins\n\nText über eins.\n", encoding="utf-8")
    again = run("index", str(messy), "--index", str(tmp_path / "ix"), "--workers", "1")
    assert again.stdout.startswith("2 files added (1 article), 0 updated, 0 removed, 2 unchanged")
    assert "1 duplicate folded" in again.stdout


def test_json_summary_and_report_name_files_and_articles(messy: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    ix = str(tmp_path / "ix")
    result = run("index", str(messy), "--index", ix, "--json", "--report", str(report))
    summary = json_lines(result.stdout)[0]
    assert summary["added"] == 2 and summary["articles_written"] == 3
    assert summary["articles_in_index"] == 3 and "articles" not in summary
    assert summary["unsupported"] == 1
    assert summary["skipped"] == [
        {
            "path": str(messy / "weg.txt"),
            "reason": f"broken symbolic link (to {tmp_path}/nirgends.txt)",
        }
    ]
    bad = {
        "path": str(messy / "feed.jsonl"),
        "count": 1,
        "records": [
            {
                "where": "line 2",
                "reason": "invalid JSON: Expecting property name enclosed in double quotes "
                "(column 2)",
            }
        ],
    }
    assert summary["bad_records"] == [bad]
    assert json.loads(report.read_text())["bad_records"] == [bad]
    second = json_lines(run("index", str(messy), "--index", ix, "--json").stdout)[0]
    assert (second["added"], second["articles_written"], second["articles_in_index"]) == (0, 0, 3)


def test_parse_reports_bad_records_and_uses_one_kind_of_path(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(messy.parent)
    result = run("parse", "c", "--json")
    lines = json_lines(result.stdout)
    assert {line["path"] for line in lines} == {
        str(messy / "eins.txt"),
        str(messy / "feed.jsonl"),
        str(messy / "weg.txt"),
    }
    assert {
        "path": str(messy / "feed.jsonl"),
        "where": "line 2",
        "error": lines[1]["error"],
    } in lines
    assert any(line.get("error", "").startswith("broken symbolic link") for line in lines)
    text = run("parse", "c/feed.jsonl")
    assert text.exit_code == 1
    assert f"{messy / 'feed.jsonl'}: line 2: invalid JSON" in text.stderr
    assert "Dritter." in text.stdout
