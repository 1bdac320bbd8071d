"""The ``zeitung`` command, driven as a user would (through typer's runner, one real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import PARSE_KEYS, app
from tests.conftest import write_articles

runner = CliRunner()

COMMANDS = ["index", "search", "show", "parse", "stats", "analyze"]


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def indexed(tmp_path: Path) -> Path:
    write_articles(tmp_path / "articles")
    ix = tmp_path / "ix"
    result = run("index", str(tmp_path / "articles"), "--index", str(ix), "--workers", "1")
    assert result.exit_code == 0, result.output
    return ix


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_index_prints_summary(tmp_path: Path) -> None:
    write_articles(tmp_path / "a")
    result = run("index", str(tmp_path / "a"), "--index", str(tmp_path / "ix"), "--json")
    assert result.exit_code == 0, result.output
    summary = json_lines(result.stdout)[0]
    assert summary["added"] == 4 and summary["articles_in_index"] == 5 and summary["skipped"] == []


def test_index_defaults_to_env_variable(tmp_path: Path) -> None:
    write_articles(tmp_path / "a")
    env = {"ZEITUNG_INDEX": str(tmp_path / "envix")}
    assert run("index", str(tmp_path / "a"), env=env).exit_code == 0
    assert (tmp_path / "envix").is_dir()
    result = run("search", "Gaspreise", "--json", env=env)
    assert [h["id"] for h in json_lines(result.stdout)] == ["wirtschaft/gaspreise.txt"]


def test_search_json_contract(indexed: Path) -> None:
    result = run("search", "Gaspreise", "--index", str(indexed), "--json")
    assert result.exit_code == 0, result.output
    hits = json_lines(result.stdout)
    assert len(hits) == 1
    hit = hits[0]
    assert set(hit) == {
        "id", "title", "title_derived", "date", "url", "source", "path", "score", "story", "copies",
        "snippets",
    }  # fmt: skip
    assert hit["date"] == "2022-01-06"
    for snippet in hit["snippets"]:
        for start, end in snippet["highlights"]:
            assert 0 <= start < end <= len(snippet["text"])


def test_search_terminal_output(indexed: Path) -> None:
    result = run("search", "Kasachstan", "--index", str(indexed))
    assert result.exit_code == 0, result.output
    assert "Proteste in Kasachstan" in result.stdout


def test_search_html_output(indexed: Path) -> None:
    result = run("search", "Bücher", "--index", str(indexed), "--format", "html")
    assert result.exit_code == 0, result.output
    assert "<mark>" in result.stdout


def test_search_explain_does_not_search(indexed: Path) -> None:
    result = run("search", "Gas ODER Strom", "--index", str(indexed), "--explain")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_bad_query_is_one_line_exit_2(indexed: Path) -> None:
    result = run("search", '(Gas OR "Strom', "--index", str(indexed))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_index_is_one_line_exit_1(tmp_path: Path) -> None:
    result = run("search", "Gas", "--index", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "no index at" in result.stderr
    assert "Traceback" not in result.output


def test_show_json_and_unknown_id(indexed: Path) -> None:
    result = run("show", "agentur-1", "--index", str(indexed), "--json")
    assert result.exit_code == 0, result.output
    article = json_lines(result.stdout)[0]
    assert article["title"] == "Proteste in Kasachstan"
    assert article["date"] == "2022-01-05"
    missing = run("show", "nope", "--index", str(indexed))
    assert missing.exit_code == 1 and "no article" in missing.stderr


def test_parse_json_lines(tmp_path: Path) -> None:
    files = write_articles(tmp_path / "a")
    (tmp_path / "a" / "broken.json").write_text("[1, 2", encoding="utf-8")
    result = run("parse", str(files["gas"]), str(tmp_path / "a" / "broken.json"), "--json")
    records = json_lines(result.stdout)
    assert records[0]["title"] == "Energie : Gaspreise steigen erneut"
    assert list(records[0]) == list(PARSE_KEYS)
    assert "Newsletter" not in records[0]["text"]
    assert set(records[1]) == {"path", "error"}


def test_stats_json(indexed: Path) -> None:
    result = run("stats", "--index", str(indexed), "--json")
    assert result.exit_code == 0, result.output
    stats = json_lines(result.stdout)[0]
    assert stats["articles"] == 5
    assert stats["first_date"] == "2021-10-02"


def test_analyze_json() -> None:
    result = run("analyze", "Die Häuser", "--json")
    assert result.exit_code == 0, result.output
    tokens = json_lines(result.stdout)
    assert any(t["surface"] == "Häuser" for t in tokens)


def test_console_script_runs() -> None:
    """One real subprocess: the installed entry point starts and shows help."""
    out = subprocess.run(
        [sys.executable, "-m", "search", "--help"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "index" in out.stdout and "search" in out.stdout


def test_long_error_stays_on_one_line(indexed: Path) -> None:
    result = run("search", "nosuchfield:wert", "--index", str(indexed))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(result.stderr.strip()) > 80


def test_index_of_a_missing_directory_creates_nothing(tmp_path: Path) -> None:
    result = run("index", str(tmp_path / "fehlt"), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert "no such file or directory" in result.stderr
    assert not (tmp_path / "ix").exists()
