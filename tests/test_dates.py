"""German and ISO date expressions: each form gives a span of whole days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.dates import DateSpan, parse_date_expression, parse_date_span
from search.errors import QuerySyntaxError

D = dt.date
TODAY = D(2022, 3, 15)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2022", D(2022, 1, 1), D(2022, 12, 31)),
        ("2022-02", D(2022, 2, 1), D(2022, 2, 28)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2022-1-6", D(2022, 1, 6), D(2022, 1, 6)),
        ("2022-01-06", D(2022, 1, 6), D(2022, 1, 6)),
        ("6.1.2022", D(2022, 1, 6), D(2022, 1, 6)),
        ("06.01.2022", D(2022, 1, 6), D(2022, 1, 6)),
        ("01.2022", D(2022, 1, 1), D(2022, 1, 31)),
        ("Januar 2022", D(2022, 1, 1), D(2022, 1, 31)),
        ("Jänner 2022", D(2022, 1, 1), D(2022, 1, 31)),
        ("jan. 2022", D(2022, 1, 1), D(2022, 1, 31)),
        ("März 2022", D(2022, 3, 1), D(2022, 3, 31)),
        ("Maerz 2022", D(2022, 3, 1), D(2022, 3, 31)),
        ("5. Januar 2022", D(2022, 1, 5), D(2022, 1, 5)),
        ("5 Jan 2022", D(2022, 1, 5), D(2022, 1, 5)),
        ("  31.  Dezember   2021 ", D(2021, 12, 31), D(2021, 12, 31)),
        ("heute", TODAY, TODAY),
        ("Heute", TODAY, TODAY),
        ("gestern", D(2022, 3, 14), D(2022, 3, 14)),
        ("vorgestern", D(2022, 3, 13), D(2022, 3, 13)),
        ("letzte Woche", D(2022, 3, 7), D(2022, 3, 13)),
        ("vergangene Woche", D(2022, 3, 7), D(2022, 3, 13)),
        ("diese Woche", D(2022, 3, 14), D(2022, 3, 20)),
        ("letzter Monat", D(2022, 2, 1), D(2022, 2, 28)),
        ("letzten Monat", D(2022, 2, 1), D(2022, 2, 28)),
        ("dieser Monat", D(2022, 3, 1), D(2022, 3, 31)),
        ("letztes Jahr", D(2021, 1, 1), D(2021, 12, 31)),
        ("letzte 30 Tage", D(2022, 2, 14), TODAY),
        ("die letzten 7 Tage", D(2022, 3, 9), TODAY),
        ("letzte 2 Wochen", D(2022, 3, 2), TODAY),
        ("letzte 3 Monate", D(2021, 12, 16), TODAY),
        ("last week", D(2022, 3, 7), D(2022, 3, 13)),
        ("yesterday", D(2022, 3, 14), D(2022, 3, 14)),
    ],
)
def test_single_expressions(text, start, end):
    assert parse_date_span(text, today=TODAY) == DateSpan(start, end)


def test_last_month_in_january_is_december():
    assert parse_date_span("letzter Monat", today=D(2022, 1, 10)) == DateSpan(
        D(2021, 12, 1), D(2021, 12, 31)
    )


def test_last_month_window_clamps_to_month_end():
    assert parse_date_span(
        "letzter 1 Monat".replace("letzter", "letzte"), today=D(2022, 3, 31)
    ) == (DateSpan(D(2022, 3, 1), D(2022, 3, 31)))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2022-01..2022-03", D(2022, 1, 1), D(2022, 3, 31)),
        ("06.01.2022..31.01.2022", D(2022, 1, 6), D(2022, 1, 31)),
        ("2022..", D(2022, 1, 1), None),
        ("..2022-03-31", None, D(2022, 3, 31)),
        ("Januar 2022 bis März 2022", D(2022, 1, 1), D(2022, 3, 31)),
        ("letzte Woche..heute", D(2022, 3, 7), TODAY),
        (">=2022-03", D(2022, 3, 1), None),
        (">2022-03", D(2022, 4, 1), None),
        ("<=2022-03", None, D(2022, 3, 31)),
        ("<2022-03", None, D(2022, 2, 28)),
        ("> 5. Januar 2022", D(2022, 1, 6), None),
    ],
)
def test_ranges_and_comparisons(text, start, end):
    assert parse_date_expression(text, today=TODAY) == DateSpan(start, end)


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("2022-13-45", "impossible date", 0),
        ("2022-02-30", "impossible date", 0),
        ("31.4.2022", "impossible date", 0),
        ("2022-13", "no month 13", 0),
        ("13.2022", "no month 13", 0),
        ("0000", "impossible date", 0),
        ("Merkel", "not a date", 0),
        ("", "missing", 0),
        ("2022..2021", "ends before it starts", 0),
        ("..", "at least one end", 0),
        ("2022..2023..2024", "one '..'", 0),
        ("2022..Merkel", "not a date", 6),
        ("  >=Juno 2022", "not a date", 4),
    ],
)
def test_errors(text, message, position):
    with pytest.raises(QuerySyntaxError) as info:
        parse_date_expression(text, today=TODAY, offset=0)
    assert message in info.value.message
    assert info.value.position == position


def test_offset_shifts_error_positions():
    with pytest.raises(QuerySyntaxError) as info:
        parse_date_expression("2022-13-45", today=TODAY, offset=5)
    assert info.value.position == 5


def test_str_is_iso_and_parses_back():
    for span in (
        DateSpan(D(2022, 1, 6), D(2022, 1, 6)),
        DateSpan(D(2022, 1, 1), None),
        DateSpan(None, D(2022, 2, 28)),
        DateSpan(D(2021, 1, 1), D(2022, 2, 2)),
    ):
        assert parse_date_expression(str(span), today=TODAY) == span


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31)))
def test_every_real_day_parses_in_iso_and_german_form(day):
    span = DateSpan(day, day)
    assert parse_date_span(day.isoformat(), today=TODAY) == span
    assert parse_date_span(f"{day.day}.{day.month}.{day.year}", today=TODAY) == span


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30), today=st.dates())
def test_any_text_gives_a_span_or_a_query_syntax_error(text, today):
    try:
        span = parse_date_expression(text, today=today)
    except QuerySyntaxError:
        return
    assert span.start is not None or span.end is not None
    if span.start and span.end:
        assert span.start <= span.end
