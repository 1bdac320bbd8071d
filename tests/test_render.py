"""Rendering hits: terminal text at 80 columns, KWIC columns, HTML escaping, JSON Lines."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from rich.console import Console

from search.model import Hit, Snippet
from search.render import (
    hit_to_json,
    hits_header,
    hits_to_html,
    print_hits,
    print_kwic,
)
from search.snippets import KwicLine

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

URL = (
    "https://www.faz.net/aktuell/politik/ausland/abermals-schuesse-in-almaty-von-russland-"
    "angefuehrtes-militaerbuendnis-in-kasachstan-eingetroffen-17716839.html"
)


def _hit(**changes) -> Hit:
    title = "Gaspreise steigen [red]weiter[/red] <script>alert(1)</script>"
    text = "…sagte der Minister: Die Gaspreise & Strompreise <b>steigen</b> im Winter weiter…"
    start = text.index("Gaspreise")
    strom = text.index("Strompreise")
    fields = dict(
        id="politik/gas.txt",
        title=title,
        score=12.345678,
        rank=1,
        date=dt.date(2022, 1, 6),
        url=URL,
        source="faz.net",
        section="Wirtschaft",
        path="politik/gas.txt",
        snippets=[Snippet(text, [(start, start + 9), (strom + 5, strom + 11)])],
        title_highlights=[(0, 9)],
    )
    fields.update(changes)
    return Hit(**fields)


def _plain_console(width: int = 80) -> Console:
    return Console(width=width, no_color=True, file=io.StringIO())


# --- terminal ---------------------------------------------------------------------------------


def test_terminal_output_at_80_columns_without_colour():
    console = _plain_console()
    print_hits(console, [_hit(), _hit(rank=2, url=None, date=None)], total=57)
    out = console.file.getvalue()
    assert not _ANSI.search(out)
    lines = out.splitlines()
    assert lines[0] == "2 of 57 hits"
    assert lines[1] == " 1. Gaspreise steigen [red]weiter[/red] <script>alert(1)</script>"
    assert lines[2] == "    2022-01-06 · faz.net · Wirtschaft · score 12.35"
    assert lines[3].startswith("    https://www.faz.net/aktuell/politik/")
    assert "Die Gaspreise & Strompreise <b>steigen</b>" in out
    assert "\n    › …sagte der Minister: Die Gaspreise" in out  # each snippet starts a bullet
    assert " 2. Gaspreise steigen" in out
    assert "undated · faz.net" in out
    # Every line fits, except the URL: it is never broken (the terminal folds it).
    assert lines[3] == "    " + URL
    assert all(len(line) <= 80 for line in lines if URL not in line)
    assert all(line == line.rstrip() for line in lines)


def _styles_of(out: str, word: str) -> list[str]:
    """The SGR codes in force where ``word`` is printed (ANSI output of a forced terminal)."""
    codes, found = [], []
    for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b]+)", out):
        if m.group(1) is not None:
            codes = [] if m.group(1) in ("", "0") else m.group(1).split(";")
        elif word in m.group(2):
            found.append(";".join(codes))
    return found


def test_titles_and_snippet_text_are_not_faint():
    """Only the furniture (rank, meta line, bullets) is dim (SGR 2), never what one reads."""
    console = Console(width=100, file=io.StringIO(), force_terminal=True, color_system="standard")
    print_hits(console, [_hit()], total=1)
    out = console.file.getvalue()
    for word in ("steigen [red]weiter", "sagte der Minister", "Gaspreise", "im Winter"):
        styles = _styles_of(out, word)
        assert styles, word
        assert all("2" not in s.split(";") for s in styles), (word, styles)
    assert all("2" in s.split(";") for s in _styles_of(out, "score 12.35"))


def test_piped_output_is_not_wrapped():
    """Written to a file or pipe (``wrap=False``), a snippet or title is one line, whatever
    its length, and no line ends in blanks."""
    long_text = "Wort " * 60 + "Ende"
    hit = _hit(title="Titel " * 30, snippets=[Snippet(long_text, [(0, 4)])])
    console = _plain_console()
    print_hits(console, [hit], total=1, wrap=False)
    lines = console.file.getvalue().splitlines()
    assert lines[1] == " 1. " + ("Titel " * 30).rstrip()
    assert "    › " + long_text in lines
    assert "    " + URL in lines
    assert all(line == line.rstrip() for line in lines)


def test_header_wording():
    assert hits_header(1, 1) == "1 hit"
    assert hits_header(3, 3) == "3 hits"
    assert hits_header(10, 27) == "10 of 27 hits"
    assert hits_header(10, 27, offset=10) == "11–20 of 27 hits"
    assert hits_header(1, 1, offset=0) == "1 hit"


def test_terminal_marks_are_styled_when_the_console_has_colour():
    console = Console(width=80, file=io.StringIO(), force_terminal=True, color_system="standard")
    print_hits(console, [_hit()])
    out = console.file.getvalue()
    # The mark opens a style right before the marked word and closes it right after.
    assert re.search(r"\x1b\[[0-9;]*33[0-9;]*mGaspreise\x1b\[0m", out)
    assert re.search(r"\x1b\[[0-9;]*33[0-9;]*mpreise\x1b\[0m", out)


def test_no_color_keeps_marks_bold_but_drops_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    console = Console(width=80, file=io.StringIO(), force_terminal=True)
    print_hits(console, [_hit()])
    out = console.file.getvalue()
    assert "\x1b[1m" in out or "\x1b[1;" in out
    assert not re.search(r"\x1b\[[0-9;]*3[0-7][;m]", out)


def test_narrow_terminal_wraps_without_losing_text():
    console = _plain_console(width=40)
    print_hits(console, [_hit()])
    out = console.file.getvalue()
    assert all(len(line) <= 40 for line in out.splitlines() if URL not in line)
    assert "    " + URL in out.splitlines()


# --- KWIC -------------------------------------------------------------------------------------


def _kwic_rows():
    a = _hit(id="a", source="faz.net", title="Gaspreise steigen", rank=1)
    b = _hit(id="b", source="a-very-long-source-name.example", date=None, title="Haus", rank=2)
    return [
        (
            a,
            [
                KwicLine(
                    "Die ", "Gaspreise", " steigen im Winter weiter, sagt der Minister.", 4, 13
                ),
                KwicLine("und auch die ", "Strompreise", " sinken nicht", 40, 51),
            ],
        ),
        (b, [KwicLine("x " * 60, "Haus am See", " zu verkaufen" * 10, 120, 131)]),
    ]


def test_kwic_aligns_the_match_in_one_column():
    console = _plain_console()
    print_kwic(console, _kwic_rows())
    out = console.file.getvalue().splitlines()
    assert len(out) == 5
    # Each hit's lines come under a head line with its rank, title and id.
    assert out[0] == " 1. Gaspreise steigen  a"
    assert out[3] == " 2. Haus  b"
    columns = {
        out[1].index("Gaspreise"),
        out[2].index("Strompreise"),
        out[4].index("Haus am See"),
    }
    assert len(columns) == 1
    assert out[1].startswith("2022-01-06 faz.net")
    assert out[4].startswith(" " * 11 + "a-very-long-s…")
    assert all(len(line) <= 80 for line in out)
    assert all(line == line.rstrip() for line in out)
    # Contexts are cut between words.
    assert out[4].split()[-1] in {"zu", "verkaufen"}
    assert " x x " in out[4]


def test_kwic_long_match_is_cut_after_a_word():
    """A NEAR match longer than its column is cut between words, never inside one."""
    match = "Gaspreisbremse und eine Strompreisbremse und noch eine Wärmepreisbremse"
    console = _plain_console()
    print_kwic(console, [(_hit(), [KwicLine("vor ", match, " danach", 0, len(match))])])
    line = console.file.getvalue().splitlines()[1]
    shown = line.split("vor ", 1)[1]
    assert shown.endswith("…") or shown.endswith("… danach")
    kept = shown.split("…")[0].split()
    assert all(word in match.split() for word in kept)


def test_kwic_prints_nothing_without_lines():
    console = _plain_console()
    print_kwic(console, [(_hit(), [])])
    assert console.file.getvalue() == ""


# --- HTML -------------------------------------------------------------------------------------


def test_html_escapes_text_and_marks_matches():
    page = hits_to_html([_hit()], query='Gaspreise "<b>"')
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>Gaspreise</mark> steigen [red]weiter[/red]" in page
    assert "Die <mark>Gaspreise</mark> &amp; Strom<mark>preise</mark> &lt;b&gt;steigen" in page
    assert "<title>Zeitung: Gaspreise &quot;&lt;b&gt;&quot;</title>" in page
    assert f'<a href="{URL}">' in page
    assert page.count('<li class="hit"') == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "not a url"])
def test_html_links_only_http_urls(url):
    page = hits_to_html([_hit(url=url)])
    assert "<a href" not in page


def test_html_marks_at_the_text_edges():
    hit = _hit(snippets=[Snippet("Gas<>", [(0, 3), (3, 5)])], title="T", title_highlights=[])
    assert '<p class="snippet"><mark>Gas</mark><mark>&lt;&gt;</mark></p>' in hits_to_html([hit])


# --- JSON -------------------------------------------------------------------------------------


def test_json_line_is_the_contract():
    hit = _hit()
    line = hit_to_json(hit)
    assert "\n" not in line
    data = json.loads(line)
    assert data == hit.to_dict()
    assert list(data) == [
        "id",
        "title",
        "title_derived",
        "date",
        "url",
        "source",
        "path",
        "score",
        "story",
        "copies",
        "snippets",
    ]
    assert data["date"] == "2022-01-06"
    assert data["score"] == 12.3457
    snippet = data["snippets"][0]
    assert [snippet["text"][s:e] for s, e in snippet["highlights"]] == ["Gaspreise", "preise"]
    assert "Gaspreise" in line  # UTF-8 kept, not \\u-escaped
    assert "…" in line


# --- stats and show ---------------------------------------------------------------------------


def test_stats_dates_are_one_plain_string_on_a_terminal():
    """rich's highlighter coloured the parts of a date one by one (2021, -, 10, -, 02)."""
    from search.index import IndexStats
    from search.render import print_stats

    stats = IndexStats(
        path="/ix",
        articles=3,
        sources={"mnd": 2, "faz.net": 1},
        first_date=dt.date(2021, 10, 2),
        last_date=dt.date(2022, 1, 6),
        undated=1,
        size_bytes=2_000_000,
    )
    console = Console(width=80, file=io.StringIO(), force_terminal=True, color_system="standard")
    print_stats(console, stats)
    out = console.file.getvalue()
    assert "dates: 2021-10-02 … 2022-01-06 (1 undated)" in out
    assert "3 articles" in _ANSI.sub("", out)


def test_show_meta_line_and_paragraphs():
    from search.model import Article
    from search.render import print_article

    article = Article(
        id="x",
        title="Titel",
        text="Erster Absatz.\nZweiter Absatz mit  Leerzeichen.\n",
        date=dt.date(2022, 1, 6),
        source="faz.net",
        url=URL,
    )
    console = _plain_console()
    print_article(console, article, wrap=False)
    assert console.file.getvalue().splitlines() == [
        "Titel",
        "2022-01-06 · faz.net",
        URL,
        "",
        "Erster Absatz.",
        "",
        "Zweiter Absatz mit Leerzeichen.",
    ]
