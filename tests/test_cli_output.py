"""The read side as a user meets it: search output formats, paging, export, KWIC, zero-hit
help, ``show`` and ``stats`` text, option errors, pipes (issues #10 and #15)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import search.results
import search.snippets
from search import Article, NewsIndex
from search.cli import app
from search.cli_plumbing import split_query_words
from tests.conftest import CORPUS, REPO, write_articles

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    write_articles(root / "articles")
    ix = root / "ix"
    NewsIndex.create(ix).update_from(root / "articles", workers=1)
    return ix


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ix = tmp_path_factory.mktemp("demo") / "ix"
    NewsIndex.create(ix).update_from(CORPUS)
    return ix


# --- -Word after the query (#15 item 9) --------------------------------------------------------


def test_exclusion_after_the_query_is_a_query_word(demo: Path) -> None:
    both = json_lines(
        run("search", "Gaspreise", "--index", str(demo), "--json", "-n", "100").stdout
    )
    result = run("search", "Gaspreise", "-Kasachstan", "--index", str(demo), "--json", "-n", "100")
    assert result.exit_code == 0, result.output
    hits = json_lines(result.stdout)
    expected = json_lines(
        run(
            "search", "Gaspreise NOT Kasachstan", "--index", str(demo), "--json", "-n", "100"
        ).stdout
    )
    assert [h["id"] for h in hits] == [h["id"] for h in expected]
    assert len(hits) < len(both)


def test_split_query_words_keeps_options_and_order() -> None:
    arity = {"--limit": True, "-n": True, "--json": False, "--index": True, "-i": True}
    assert split_query_words(["Gas", "-Strom", "-n", "5", "--json"], arity) == [
        "-n", "5", "--json", "--", "Gas", "-Strom",
    ]  # fmt: skip
    assert split_query_words(["-n5", "Gas"], arity) == ["-n5", "--", "Gas"]
    assert split_query_words(["--bogus", "Gas"], arity) == ["--bogus", "--", "Gas"]
    assert split_query_words(["Gas", "--", "-x", "--json"], arity) == ["--", "Gas", "-x", "--json"]
    assert split_query_words(["--index=ix", "Gas"], arity) == ["--index=ix", "--", "Gas"]


# --- zero hits (#15 item 15, #10 zero hits get help) ----------------------------------------


def test_no_hits_is_one_message_on_stderr_with_a_suggestion(demo: Path) -> None:
    result = run("search", "Gasprise", "--index", str(demo))
    assert result.exit_code == 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Gasprise: no article contains this word" in lines[0]
    assert "did you mean Gaspreise (" in lines[0]


def test_no_hits_names_parts_that_never_meet(demo: Path) -> None:
    result = run("search", "Gaspreise Hochwasser Kasachstan", "--index", str(demo))
    assert "each part is found, but not together" in result.stderr
    assert "Kasachstan (" in result.stderr


def test_json_keeps_one_hit_a_line_and_summary_only_when_asked(demo: Path) -> None:
    plain = run("search", "Gasprise", "--index", str(demo), "--json")
    assert plain.stdout == ""
    assert "did you mean" in plain.stderr
    asked = run("search", "Gasprise", "--index", str(demo), "--json", "--summary")
    (line,) = json_lines(asked.stdout)
    summary = line["summary"]
    assert summary["total"] == 0 and summary["shown"] == 0
    (part,) = summary["suggestions"]
    assert part["text"] == "Gasprise" and part["articles"] == 0
    assert part["suggestions"][0]["word"] == "Gaspreise"
    assert part["suggestions"][0]["articles"] > 0
    # With hits, the summary is the last line, after the hits.
    hits = json_lines(
        run("search", "Gaspreise", "--index", str(demo), "--json", "--summary").stdout
    )
    assert "summary" in hits[-1] and all("id" in h for h in hits[:-1])
    assert hits[-1]["summary"]["shown"] == len(hits) - 1


def test_suggestion_counts_what_the_suggested_word_finds(demo: Path) -> None:
    idx = NewsIndex.open(demo)
    parts = idx.explain_no_hits(idx.parse("Kasachtan"))
    best = parts[0].suggestions[0]
    assert best.word == "Kasachstan"
    assert best.articles == idx.search("Kasachstan", limit=None).total
    # One form per word: Kasachstans finds the same articles and is not offered too.
    assert [s.word for s in parts[0].suggestions].count("Kasachstans") == 0


# --- wording (#15 item 15) --------------------------------------------------------------------


def test_one_hit_says_hit(small: Path) -> None:
    result = run("search", "Kasachstan", "--index", str(small))
    assert result.stdout.splitlines()[0] == "1 hit"


# --- paging and export (#10) ------------------------------------------------------------------


def test_offset_pages_through_the_ranking(demo: Path) -> None:
    idx = NewsIndex.open(demo)
    every = [h.id for h in idx.search("Gas", limit=None, snippets=None)]
    assert len(every) > 12
    assert [h.id for h in idx.search("Gas", limit=5, offset=5, snippets=None)] == every[5:10]
    for sort in ("date", "-date"):
        full = [h.id for h in idx.search("Gas", limit=None, sort=sort, snippets=None)]
        page = idx.search("Gas", limit=4, offset=3, sort=sort, snippets=None)
        assert [h.id for h in page] == full[3:7]
        assert all(h.score > 0 for h in page)
    cli = json_lines(run("search", "Gas", "--index", str(demo), "--json", "--offset", "5",
                         "-n", "5").stdout)  # fmt: skip
    assert [h["id"] for h in cli] == every[5:10]
    header = run("search", "Gas", "--index", str(demo), "--offset", "5", "-n", "5").stdout
    assert header.splitlines()[0] == f"6–10 of {len(every)} hits"


def test_limit_zero_and_all_give_every_hit(demo: Path) -> None:
    total = NewsIndex.open(demo).search("Gas").total
    for args in (["--limit", "0"], ["--all"]):
        hits = json_lines(run("search", "Gas", "--index", str(demo), "--json", *args).stdout)
        assert len(hits) == total


def test_csv_export(demo: Path) -> None:
    result = run("search", "Hochwasser", "--index", str(demo), "--format", "csv", "--all")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["id", "date", "source", "title", "url", "author", "section", "score"]
    idx = NewsIndex.open(demo)
    assert [r["id"] for r in rows] == [h.id for h in idx.search("Hochwasser", limit=None)]
    first = idx.get(rows[0]["id"])
    assert rows[0]["title"] == first.title and rows[0]["url"] == (first.url or "")
    with_text = run("search", "Hochwasser", "--index", str(demo), "--format", "csv",
                    "--fields", "text", "-n", "2")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(with_text.stdout)))
    assert list(rows[0])[-1] == "text"
    assert rows[0]["text"] == idx.get(rows[0]["id"]).text


def test_json_fields_text(small: Path) -> None:
    (hit,) = json_lines(run("search", "Kasachstan", "--index", str(small), "--json",
                            "--fields", "text").stdout)  # fmt: skip
    assert hit["text"].startswith("In Almaty kam es")
    bad = run("search", "Gas", "--index", str(small), "--fields", "bogus")
    assert bad.exit_code == 2 and "unknown field 'bogus'" in bad.stderr


def test_hits_are_built_lazily(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streaming: reading the first hit of an export of all cuts one hit's snippets."""
    calls = []
    real = search.results.add_snippets
    monkeypatch.setattr(
        search.results, "add_snippets", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    results = NewsIndex.open(demo).search("Gas", limit=None)
    assert calls == []
    first = next(iter(results))
    assert first.snippets and len(calls) == 1
    assert len(results) == results.total > 10


def test_results_stay_readable_after_a_commit(tmp_path: Path) -> None:
    idx = NewsIndex.create(tmp_path / "ix")
    idx.add_articles([Article(id=f"a{i}", title="Gas", text=f"Gas Nummer {i}.") for i in range(3)])
    results = idx.search("Gas")
    idx.add_articles([Article(id="b", title="Gas", text="Noch mehr Gas.")])
    assert sorted(h.id for h in results) == ["a0", "a1", "a2"]
    assert len(idx.search("Gas")) == 4
    idx.close()


def test_fieldless_query_analyses_no_text(monkeypatch: pytest.MonkeyPatch, demo: Path) -> None:
    """``date:>=…`` names no text field: its snippets are the lead, with no analysis."""
    idx = NewsIndex.open(demo)
    search.snippets.clear_cache()

    def fail(*args, **kwargs):
        raise AssertionError("analysed a text no clause names")

    monkeypatch.setattr(search.snippets, "TokenTable", fail)
    hits = list(idx.search("date:>=2000-01-01", limit=5))
    assert len(hits) == 5 and all(h.snippets and not h.snippets[0].highlights for h in hits)


def test_parallel_stream_gives_the_same_hits(demo: Path) -> None:
    idx = NewsIndex.open(demo)
    plain = [h.to_dict() for h in idx.search("Gas OR Preis OR Wasser", limit=None)]
    old = search.results.PARALLEL_MIN
    search.results.PARALLEL_MIN = 1
    try:
        parallel = [h.to_dict() for h in idx.search("Gas OR Preis OR Wasser", limit=None).stream(2)]
    finally:
        search.results.PARALLEL_MIN = old
    assert parallel == plain


# --- KWIC everywhere (#10, #15 item 13) -------------------------------------------------------


def test_kwic_json_lines(demo: Path) -> None:
    result = run("search", '"Preis für Gas"', "--index", str(demo), "--kwic", "--json")
    assert result.exit_code == 0, result.output
    lines = json_lines(result.stdout)
    assert lines and all(
        list(x) == ["id", "date", "source", "left", "match", "right"] for x in lines
    )
    # A phrase is one line per occurrence, its match the whole phrase (in any inflection).
    assert "Preis für Gas" in {x["match"] for x in lines}
    assert all(len(x["match"].split()) == 3 and x["match"].split()[1] == "für" for x in lines)


def test_kwic_html_table(demo: Path) -> None:
    result = run("search", "Hochwasser", "--index", str(demo), "--kwic", "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert '<table class="kwic">' in page and "<li" not in page
    assert page.count("<mark>Hochwasser</mark>") >= 5


def test_kwic_terminal_names_each_hit(demo: Path) -> None:
    result = run("search", "Kasachstan", "--index", str(demo), "--kwic", "-n", "2")
    lines = result.stdout.splitlines()
    idx = NewsIndex.open(demo)
    first = idx.search("Kasachstan", limit=1)[0]
    assert lines[0].startswith("2 of ")
    assert lines[1].startswith(" 1. ") and first.id in lines[1]


def test_kwic_centres_a_compound_as_its_parts_phrase(demo: Path) -> None:
    idx = NewsIndex.open(demo)
    matches = [line.match for _, lines in idx.kwic_lines("Gaspreise", limit=None) for line in lines]
    assert "Preis für Gas" in matches
    # The parts of "Preis für Gas" are not lines of their own.
    assert "Preis" not in matches and "Gas" not in matches
    assert all(m.split()[0][:1].isupper() for m in matches)


def test_kwic_lines_api_streams_hits_with_lines(demo: Path) -> None:
    idx = NewsIndex.open(demo)
    rows = idx.kwic_lines("Hochwasser", limit=3)
    hit, lines = next(rows)
    text = idx.get(hit.id).text
    assert lines and all(text[line.start : line.end] == line.match for line in lines)


# --- show and stats (#15 items 12, 14) --------------------------------------------------------


def test_show_piped_has_no_dangling_separator_and_paragraphs(small: Path) -> None:
    result = run("show", "seite.html", "--index", str(small))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Neue Bücher im Herbst"
    assert not lines[1].endswith("·") and " · " in lines[1]
    assert lines[2] == "https://kulturblatt.example/kultur/buecher-herbst"
    assert all(line == line.rstrip() for line in lines)
    # The page's heading and two paragraphs, each on one line, a blank line between them.
    body = "\n".join(lines[3:]).strip().split("\n\n")
    assert len(body) == 3 and all("\n" not in p for p in body)
    assert body[1].startswith("Die Verlage") and body[2].startswith("Auf der Buchmesse")


def test_stats_text(tmp_path: Path) -> None:
    idx = NewsIndex.create(tmp_path / "ix")
    idx.add_articles(
        [
            Article(id=f"a{i}", title="T", text="x", url=f"https://site{i}.example/a")
            for i in range(25)
        ]
    )
    idx.close()
    out = run("stats", "--index", str(tmp_path / "ix")).stdout
    assert out.startswith("25 articles in ")
    assert "… and 5 more sources with 5 articles (--all lists them)" in out
    assert out.count(".example") == 20
    every = run("stats", "--index", str(tmp_path / "ix"), "--all").stdout
    assert every.count(".example") == 25 and "more sources" not in every
    one = NewsIndex.create(tmp_path / "one")
    one.add_articles([Article(id="x", title="T", text="Wort")])
    one.close()
    out = run("stats", "--index", str(tmp_path / "one")).stdout
    assert out.startswith("1 article in ") and "sources: none recorded" in out
    assert "┏" not in out


# --- command line (#15 items 18, 19) -----------------------------------------------------------


def test_option_errors_read_like_the_rest(small: Path) -> None:
    for args, expected in (
        (["--sort", "bogus"], "error: --sort: 'bogus' is not one of"),
        (["--limit", "abc"], "error: --limit / -n: wants a whole number"),
        (["--limit", "-3"], "error: --limit / -n: must be at least 0"),
    ):
        result = run("search", "Gas", "--index", str(small), *args)
        assert result.exit_code == 2
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(expected), line
        assert "Value error" not in line and "Input should" not in line


def test_help_has_plain_metavars() -> None:
    for command in ("index", "search", "show", "stats"):
        text = run(command, "--help").stdout
        assert "<list[str]>" not in text and "{" not in text.split("\n")[0], text


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("zeitung ")


def test_missing_index_hint_works(tmp_path: Path) -> None:
    """For a directory of articles given as --index, the suggested command works as typed."""
    write_articles(tmp_path / "articles")
    result = run("search", "Gas", "--index", str(tmp_path / "articles"))
    assert result.exit_code == 1
    message = result.stderr
    suggested = message.split("index them with: ")[1].split(",")[0].split()
    assert suggested[:2] == ["zeitung", "index"]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert run(*suggested[1:], "--workers", "1").exit_code == 0
        target = suggested[suggested.index("--index") + 1]
        assert run("search", "Gaspreise", "--index", target).exit_code == 0
    finally:
        os.chdir(cwd)


def test_closed_pipe_exits_quietly(demo: Path) -> None:
    """``zeitung search … | head -1``: exit 0, nothing on stderr."""
    code = "from search.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "search", "Gas", "--index", str(demo), "--all", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr and "Exception" not in stderr


# --- paging against a reference (hypothesis) ---------------------------------------------------

FRUIT = ["Apfel", "Birne", "Kirsche", "Pflaume"]


@st.composite
def _corpus(draw):
    n = draw(st.integers(1, 25))
    return [
        " ".join(draw(st.lists(st.sampled_from(FRUIT), min_size=1, max_size=6))) for _ in range(n)
    ]


@settings(
    max_examples=int(os.environ.get("ZEITUNG_HYPOTHESIS_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    texts=_corpus(),
    word=st.sampled_from(FRUIT),
    limit=st.integers(0, 8),
    offset=st.integers(0, 12),
    sort=st.sampled_from(["relevance", "date", "-date"]),
)
def test_pages_are_slices_of_the_whole_ranking(tmp_path_factory, texts, word, limit, offset, sort):
    """Every (offset, limit) page is that slice of the ranking of all hits, and ``total`` is
    the number of articles that contain the word (counted in plain Python)."""
    idx = NewsIndex.create(tmp_path_factory.mktemp("paging") / "ix")
    idx.add_articles(
        Article(id=f"a{i}", title="", text=t, date=dt.date(2020, 1, 1 + i % 28))
        for i, t in enumerate(texts)
    )
    expected = sorted(f"a{i}" for i, t in enumerate(texts) if word in t.split())
    every = idx.search(word, limit=None, sort=sort, snippets=None)
    assert sorted(h.id for h in every) == expected and every.total == len(expected)
    page = idx.search(word, limit=limit or None, offset=offset, sort=sort, snippets=None)
    assert page.total == len(expected)
    stop = offset + limit if limit else None
    assert [h.id for h in page] == [h.id for h in every][offset:stop]
    assert [h.rank for h in page] == list(range(offset + 1, offset + 1 + len(page)))
    idx.close()


def test_kwic_csv(demo: Path) -> None:
    result = run("search", "Hochwasser", "--index", str(demo), "--kwic", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and list(rows[0]) == ["id", "date", "source", "left", "match", "right"]
    assert {r["match"] for r in rows} >= {"Hochwasser"}


def test_suggestion_keeps_the_users_umlauts_and_closest_first(demo: Path) -> None:
    idx = NewsIndex.open(demo)
    (part,) = idx.explain_no_hits(idx.parse("Bürgr"))
    assert part.suggestions[0].word == "Bürger"
    # Scholz is in no demo article: no far-fetched words of another first letter or 2 edits.
    (part,) = idx.explain_no_hits(idx.parse("Scholz"))
    assert all(s.word[0] == "S" and len(s.word) in (5, 6, 7) for s in part.suggestions)


def test_no_hits_from_other_conditions_says_so(demo: Path) -> None:
    result = run("search", "Gaspreise", "--from", "2030-01-01", "--index", str(demo))
    assert "Gaspreise alone finds" in result.stderr and "other conditions" in result.stderr
