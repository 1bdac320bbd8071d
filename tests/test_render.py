"""Rendering hits: terminal text at 80 columns, KWIC columns, HTML escaping, JSON Lines."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from rich.console import Console

from search.model import Hit, Snippet
from search.render import hit_to_json, hits_to_html, print_hits, print_kwic
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
    assert all(len(line) <= 80 for line in lines)
    assert all(line == line.rstrip() for line in lines)


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
    assert all(len(line) <= 40 for line in out.splitlines())
    assert "17716839.html" in out.replace("\n", "").replace(" ", "")


# --- KWIC -------------------------------------------------------------------------------------


def _kwic_hits():
    a = _hit(id="a", source="faz.net")
    b = _hit(id="b", source="a-very-long-source-name.example", date=None)
    lines = {
        "a": [
            KwicLine("Die ", "Gaspreise", " steigen im Winter weiter, sagt der Minister.", 4, 13),
            KwicLine("und auch die ", "Strompreise", " sinken nicht", 40, 51),
        ],
        "b": [KwicLine("x " * 60, "Haus am See", " zu verkaufen" * 10, 120, 131)],
    }
    return [a, b], lines


def test_kwic_aligns_the_match_in_one_column():
    hits, lines = _kwic_hits()
    console = _plain_console()
    print_kwic(console, hits, lines)
    out = console.file.getvalue().splitlines()
    assert len(out) == 3
    columns = {
        out[0].index("Gaspreise"),
        out[1].index("Strompreise"),
        out[2].index("Haus am See"),
    }
    assert len(columns) == 1
    assert out[0].startswith("2022-01-06 faz.net")
    assert out[2].startswith(" " * 11 + "a-very-long-s…")
    assert all(len(line) <= 80 for line in out)
    # Contexts are cut between words.
    assert out[2].rstrip().split()[-1] in {"zu", "verkaufen"}
    assert " x x " in out[2]


def test_kwic_prints_nothing_without_lines():
    console = _plain_console()
    print_kwic(console, [_hit()], {})
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
        "snippets",
    ]
    assert data["date"] == "2022-01-06"
    assert data["score"] == 12.3457
    snippet = data["snippets"][0]
    assert [snippet["text"][s:e] for s, e in snippet["highlights"]] == ["Gaspreise", "preise"]
    assert "Gaspreise" in line  # UTF-8 kept, not \\u-escaped
    assert "…" in line
