"""German (and ISO) date expressions for queries and ``--from``/``--to``.

Every expression stands for a span of whole days, both ends inclusive, either end possibly open:

* ISO: ``2022`` (the year), ``2022-01`` (the month), ``2022-01-06`` (the day);
* German numeric: ``6.1.2022``, ``06.01.2022``, ``01.2022`` (a month);
* German words: ``Januar 2022``, ``Jan. 2022``, ``5. Januar 2022``, ``5 Jan 2022`` (``Jänner``,
  ``Maerz``/``Marz`` and English month names are accepted as well);
* relative to *today*: ``heute``, ``gestern``, ``vorgestern``, ``diese Woche``, ``letzte Woche``
  (the previous calendar week, Monday to Sunday), ``dieser Monat``, ``letzter Monat`` (the
  previous calendar month), ``dieses Jahr``, ``letztes Jahr``, ``letzte 30 Tage`` (today and the
  29 days before it; also ``Wochen``, ``Monate``, ``Jahre``); English ``today``, ``yesterday``,
  ``last week`` … mean the same;
* ranges ``A..B`` (or ``A bis B``), either side open (``2022..``, ``..2022-03-31``), and
  comparisons ``>=A``, ``>A``, ``<=A``, ``<A``, where ``>A`` starts the day after *A* ends.

The grammar is small and fixed, so it is written out here rather than delegated to
``dateparser``: that library resolves "Januar 2022" to one instant, not to the month, and
gives no position for an error. Errors raise :class:`search.errors.QuerySyntaxError` with the
0-based offset into the given text; an impossible date (``2022-13-45``) is an error, never an
empty span.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from search.errors import QuerySyntaxError

__all__ = ["DateSpan", "parse_date_expression", "parse_date_span"]

#: Month names (folded: lowercase, umlauts as plain vowels) -> month number.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "januar jänner jaenner janner jan january",
        "februar feber feb february",
        "märz maerz marz mär maer mar mrz march",
        "april apr",
        "mai may",
        "juni jun june",
        "juli jul july",
        "august aug",
        "september sep sept",
        "oktober okt oct october",
        "november nov",
        "dezember dez dec december",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
_GERMAN_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_GERMAN_MONTH = re.compile(r"(\d{1,2})\.(\d{4})", re.ASCII)
_WORDS_DAY = re.compile(rf"(\d{{1,2}})\.? ?({_MONTH_RE})\.? ?(\d{{4}})", re.ASCII)
_WORDS_MONTH = re.compile(rf"({_MONTH_RE})\.? ?(\d{{4}})", re.ASCII)
_LAST_N = re.compile(
    r"(?:die )?(?:letzten|letzte|vergangenen|vergangene|last|past) (\d{1,5}) "
    r"(tag|tage|tagen|day|days|woche|wochen|week|weeks|monat|monate|monaten|month|months"
    r"|jahr|jahre|jahren|year|years)",
    re.ASCII,
)

_LAST = r"(?:letzte|letzten|letzter|letztes|vergangene|vergangenen|vergangener|vergangenes|last)"
_THIS = r"(?:diese|diesen|dieser|dieses|this)"
_RELATIVE_UNIT = re.compile(rf"({_LAST}|{_THIS}) (woche|week|monat|month|jahr|year)", re.ASCII)

_DAY_WORDS = {
    "heute": 0,
    "today": 0,
    "gestern": 1,
    "yesterday": 1,
    "vorgestern": 2,
}


@dataclass(frozen=True)
class DateSpan:
    """Whole days from *start* to *end*, both inclusive; ``None`` leaves that side open."""

    start: dt.date | None
    end: dt.date | None

    def __str__(self) -> str:
        """The canonical ISO form: ``2022-01-06``, ``2022-01-01..2022-01-31``, ``2022-01-01..``."""
        if self.start is not None and self.start == self.end:
            return self.start.isoformat()
        start = self.start.isoformat() if self.start else ""
        end = self.end.isoformat() if self.end else ""
        return f"{start}..{end}"


def _fold(text: str) -> str:
    """Lowercase, umlauts to plain vowels, whitespace collapsed (length-preserving but for
    the collapse, which only callers that do not need offsets rely on)."""
    text = text.casefold().replace("ä", "a").replace("ö", "o").replace("ü", "u")
    return " ".join(text.split())


def _day(year: int, month: int, day: int, text: str, offset: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise QuerySyntaxError(f"impossible date '{text.strip()}': {exc}", offset) from None


def _month_span(year: int, month: int, text: str, offset: int) -> DateSpan:
    if not 1 <= month <= 12:
        raise QuerySyntaxError(f"impossible date '{text.strip()}': no month {month}", offset)
    first = _day(year, month, 1, text, offset)
    last = first.replace(day=calendar.monthrange(first.year, month)[1])
    return DateSpan(first, last)


def _year_span(year: int, text: str, offset: int) -> DateSpan:
    return DateSpan(_day(year, 1, 1, text, offset), _day(year, 12, 31, text, offset))


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day *months* earlier, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _days_before(day: dt.date, days: int) -> dt.date:
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min


def _relative(folded: str, today: dt.date) -> DateSpan | None:
    if folded in _DAY_WORDS:
        day = _days_before(today, _DAY_WORDS[folded])
        return DateSpan(day, day)
    if m := _LAST_N.fullmatch(folded):
        count, unit = int(m.group(1)), m.group(2)
        if count < 1:
            return None
        if unit.startswith(("tag", "day")):
            start = _days_before(today, count - 1)
        elif unit.startswith(("woche", "week")):
            start = _days_before(today, 7 * count - 1)
        elif unit.startswith(("monat", "month")):
            start = _days_before(_months_before(today, count), -1)
        else:
            start = _days_before(_months_before(today, 12 * count), -1)
        return DateSpan(start, today)
    if m := _RELATIVE_UNIT.fullmatch(folded):
        last = not re.fullmatch(_THIS, m.group(1))
        unit = m.group(2)
        if unit in ("woche", "week"):
            monday = _days_before(today, today.weekday() + (7 if last else 0))
            return DateSpan(monday, monday + dt.timedelta(days=6))
        if unit in ("monat", "month"):
            first = today.replace(day=1)
            if last:
                first = _months_before(first, 1)
            last_day = calendar.monthrange(first.year, first.month)[1]
            return DateSpan(first, first.replace(day=last_day))
        year = today.year - 1 if last else today.year
        return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return None


def parse_date_span(text: str, *, today: dt.date | None = None, offset: int = 0) -> DateSpan:
    """The span of one date expression without comparison or range (``2022-01``, ``gestern``).

    :param text: the expression.
    :param today: the day relative expressions count from (default: the real today).
    :param offset: added to error positions, for expressions cut out of a longer string.
    :raises QuerySyntaxError: for anything that is not a date, or an impossible date.
    """
    today = today or dt.date.today()
    stripped = text.strip()
    where = offset + (len(text) - len(text.lstrip()))
    if not stripped:
        raise QuerySyntaxError("a date is missing", offset)
    folded = _fold(stripped)
    if m := _ISO.fullmatch(folded):
        year, month, day = m.groups()
        if day is not None:
            d = _day(int(year), int(month), int(day), stripped, where)
            return DateSpan(d, d)
        if month is not None:
            return _month_span(int(year), int(month), stripped, where)
        return _year_span(int(year), stripped, where)
    if m := _GERMAN_DAY.fullmatch(folded):
        d = _day(int(m.group(3)), int(m.group(2)), int(m.group(1)), stripped, where)
        return DateSpan(d, d)
    if m := _GERMAN_MONTH.fullmatch(folded):
        return _month_span(int(m.group(2)), int(m.group(1)), stripped, where)
    if m := _WORDS_DAY.fullmatch(folded):
        month = MONTHS[m.group(2)]
        d = _day(int(m.group(3)), month, int(m.group(1)), stripped, where)
        return DateSpan(d, d)
    if m := _WORDS_MONTH.fullmatch(folded):
        return _month_span(int(m.group(2)), MONTHS[m.group(1)], stripped, where)
    if (span := _relative(folded, today)) is not None:
        return span
    raise QuerySyntaxError(
        f"not a date: '{stripped}' (try 2022-01-06, 6.1.2022, 'Januar 2022' or 'letzte Woche')",
        where,
    )


_COMPARISONS = (">=", "<=", ">", "<")
_RANGE = re.compile(r"\.\.|\s+bis\s+", re.IGNORECASE)


def parse_date_expression(text: str, *, today: dt.date | None = None, offset: int = 0) -> DateSpan:
    """The span of a date condition: a date, a range ``A..B`` or a comparison ``>=A``.

    >>> parse_date_expression("2022-01..2022-03", today=dt.date(2024, 1, 1))
    DateSpan(start=datetime.date(2022, 1, 1), end=datetime.date(2022, 3, 31))

    :param text: the condition, as written after ``date:``.
    :param today: the day relative expressions count from (default: the real today).
    :param offset: added to error positions, for conditions cut out of a longer string.
    :raises QuerySyntaxError: if it is not a date condition or names an impossible date.
    """
    today = today or dt.date.today()
    body = text.lstrip()
    at = offset + len(text) - len(body)
    for op in _COMPARISONS:
        if body.startswith(op):
            span = parse_date_span(body[len(op) :], today=today, offset=at + len(op))
            assert span.start is not None and span.end is not None
            if op == ">=":
                return DateSpan(span.start, None)
            if op == "<=":
                return DateSpan(None, span.end)
            if op == ">":
                return DateSpan(_after(span.end, body, at), None)
            return DateSpan(None, _before(span.start, body, at))
    parts = _RANGE.split(body)
    if len(parts) == 1:
        return parse_date_span(body, today=today, offset=at)
    if len(parts) > 2:
        raise QuerySyntaxError("a date range has one '..', like 2022-01..2022-03", at)
    sep = _RANGE.search(body)
    assert sep is not None
    left, right = parts
    if not left.strip() and not right.strip():
        raise QuerySyntaxError("a date range needs at least one end, like 2022-01..", at)
    start = parse_date_span(left, today=today, offset=at).start if left.strip() else None
    end = parse_date_span(right, today=today, offset=at + sep.end()).end if right.strip() else None
    if start is not None and end is not None and start > end:
        raise QuerySyntaxError(f"the date range '{body.strip()}' ends before it starts", at)
    return DateSpan(start, end)


def _after(day: dt.date, text: str, at: int) -> dt.date:
    try:
        return day + dt.timedelta(days=1)
    except OverflowError:
        raise QuerySyntaxError(f"no date comes after '{text.strip()}'", at) from None


def _before(day: dt.date, text: str, at: int) -> dt.date:
    try:
        return day - dt.timedelta(days=1)
    except OverflowError:
        raise QuerySyntaxError(f"no date comes before '{text.strip()}'", at) from None
