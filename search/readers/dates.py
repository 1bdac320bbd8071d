"""Publication dates from the many ways German news sources write them.

Handled without a library, because these few shapes cover news metadata and
``dateparser`` costs milliseconds a call: ISO 8601 (``2022-01-06T14:32:00+01:00``; the
calendar date as written, not shifted to UTC), German numeric (``6.1.2022``,
``06.01.22``), German and English month names (``5. Januar 2022``, ``Jan. 2022`` -> the
1st), RFC 2822 (``Thu, 06 Jan 2022 14:32:00 +0100``) and Unix timestamps.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate

#: Dates outside this range are taken as parse noise, not publication dates.
MIN_YEAR, MAX_YEAR = 1900, 2100

MONTHS = {
    "januar": 1, "jan": 1, "jänner": 1, "jaenner": 1, "january": 1,
    "februar": 2, "feb": 2, "feber": 2, "february": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12, "december": 12, "dec": 12,
}  # fmt: skip

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
ISO_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d|$)")
GERMAN_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d])")
SLASHED = re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)")
DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})\.?\s*({_MONTH_RE})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
TIMESTAMP = re.compile(r"^\d{9,13}$")


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A ``date`` if the parts form a valid one in the plausible range, else None."""
    if year < 100:
        year += 2000 if year < 70 else 1900
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """The calendar date in ``value`` (a string, number, ``date`` or ``datetime``), or None.

    >>> parse_date("Veröffentlicht am 5. Januar 2022, 14:32 Uhr")
    datetime.date(2022, 1, 5)
    >>> parse_date("2022-01-06T23:30:00-05:00")
    datetime.date(2022, 1, 6)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    text = str(value).strip()
    if not text:
        return None
    if TIMESTAMP.match(text):
        return _from_timestamp(float(text))
    for pattern, order in (
        (ISO_DATE, "ymd"),
        (ISO_COMPACT, "ymd"),
        (SLASHED, "ymd"),
        (GERMAN_NUMERIC, "dmy"),
    ):
        match = pattern.search(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            found = make_date(parts["y"], parts["m"], parts["d"])
            if found:
                return found
    match = DAY_MONTH_YEAR.search(text)
    if match:
        day, month, year = match.groups()
        return make_date(int(year), MONTHS[month.lower()], int(day))
    match = MONTH_DAY_YEAR.search(text)
    if match:
        month, day, year = match.groups()
        return make_date(int(year), MONTHS[month.lower()], int(day))
    rfc = parsedate(text)
    if rfc and rfc[0]:
        return make_date(rfc[0], rfc[1], rfc[2])
    match = MONTH_YEAR.search(text)
    if match:
        month, year = match.groups()
        return make_date(int(year), MONTHS[month.lower()], 1)
    return None


def date_from_url(url: str | None) -> dt.date | None:
    """A ``/2022/01/06/`` (or ``/2022-01-06/``, ``/20220106/``) date in a URL's path."""
    if not url:
        return None
    match = re.search(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|\.|$)", url)
    if not match:
        match = re.search(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?:/|-|_|\.)", url)
    if not match:
        return None
    return make_date(*(int(g) for g in match.groups()))


def _from_timestamp(value: float) -> dt.date | None:
    if value > 1e11:  # milliseconds
        value /= 1000
    try:
        found = dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None
    return found if MIN_YEAR <= found.year <= MAX_YEAR else None
