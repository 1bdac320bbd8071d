"""Query parser properties: only QuerySyntaxError ever escapes, and str() round-trips."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import QuerySyntaxError
from search.query import parse_query
from search.schema import build_schema

SCHEMA = build_schema()
TODAY = dt.date(2022, 3, 15)

#: Pieces of query syntax, so that generated strings reach deep into the grammar.
PIECES = [
    "Gaspreise",
    "Häuser",
    "Vertraege",
    "der",
    "und",
    "Macron",
    "Me?er",
    "Protest*",
    "*",
    "=Haus",
    "=",
    "AND",
    "OR",
    "NOT",
    "UND",
    "ODER",
    "NICHT",
    "NEAR/3",
    "NEAR",
    "(",
    ")",
    '"',
    '"Preis für Gas"',
    "~2",
    "-",
    "+",
    "title:",
    "titel:",
    "source:",
    "url:",
    "foo:",
    "date:",
    "datum:",
    "seit:",
    "bis:",
    "2022",
    "2022-01",
    "2022-13-45",
    "6.1.2022",
    "..",
    ">=",
    "<",
    "Januar",
    "heute",
    '"letzte Woche"',
    ":",
    "https://x.de/a",
    " ",
    " ",
    " ",
]

query_like = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
any_text = st.text(max_size=40)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(text: str, match: str):
    return parse_query(text, match=match, today=TODAY, schema=SCHEMA)


@FAST
@given(text=st.one_of(query_like, any_text), match=st.sampled_from(["all", "any"]))
def test_any_string_parses_or_raises_query_syntax_error(text, match):
    try:
        parsed = _parse(text, match)
    except QuerySyntaxError as exc:
        assert exc.message
        assert exc.position is None or 0 <= exc.position <= len(text)
        return
    assert parsed.query is not None
    assert parsed.explain()


@FAST
@given(text=st.one_of(query_like, any_text), match=st.sampled_from(["all", "any"]))
def test_printed_form_parses_to_an_equal_query(text, match):
    try:
        parsed = _parse(text, match)
    except QuerySyntaxError:
        return
    again = _parse(str(parsed), match)
    assert again.query == parsed.query
    assert str(again) == str(parsed)
