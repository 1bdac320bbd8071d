"""Structured records (JSON, JSON Lines, CSV rows) to articles, by common field names.

Crawler exports name the same things differently: news-please writes ``maintext`` and
``date_publish``, schema.org ``articleBody`` and ``datePublished``, RSS-ish dumps
``link`` and ``pubDate``. The first non-empty field in each list below wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from search.readers.dates import parse_date

TITLE_FIELDS = ("title", "headline", "titel", "ueberschrift", "überschrift")
TEXT_FIELDS = (
    "text", "body", "content", "articleBody", "article_body", "maintext", "fulltext",
    "full_text", "inhalt", "article", "story",
)  # fmt: skip
TEASER_FIELDS = ("description", "teaser", "summary", "abstract", "lead", "intro")
DATE_FIELDS = (
    "date", "published", "datePublished", "date_publish", "pubDate", "pub_date",
    "published_at", "publishedAt", "publication_date", "publish_date", "datum", "created",
    "created_at", "dateCreated", "date_modify", "dateModified", "modified", "updated",
    "timestamp",
)  # fmt: skip
URL_FIELDS = ("url", "link", "canonical_url", "canonical", "href", "uri", "permalink")
ID_FIELDS = ("id", "_id", "guid", "article_id", "uid")
#: An explicit source: taken as it is.
SOURCE_FIELDS = ("source", "source_domain", "domain", "quelle")
#: A publisher's or site's name: the source only when the record has no URL (else the URL's
#: host is, as for every other format), and kept in ``extra["publisher"]``.
PUBLISHER_FIELDS = ("publisher", "site_name", "site", "verlag")
AUTHOR_FIELDS = ("author", "authors", "byline", "creator", "autor", "autoren")
SECTION_FIELDS = ("section", "category", "categories", "articleSection", "ressort", "rubrik")

KNOWN_FIELDS = frozenset(
    name.lower()
    for names in (
        TITLE_FIELDS, TEXT_FIELDS, TEASER_FIELDS, DATE_FIELDS, URL_FIELDS, ID_FIELDS,
        SOURCE_FIELDS, PUBLISHER_FIELDS, AUTHOR_FIELDS, SECTION_FIELDS,
    )
    for name in names
)  # fmt: skip


def record_fields(record: Mapping[str, object]) -> dict[str, object] | None:
    """The article fields of one record, or None if it has neither title nor text.

    Field names are matched case-insensitively. Lists (``authors``) are joined with
    ", "; nested ``{"name": …}`` objects (schema.org persons, publishers) give their name.
    Scalar fields not in the lists above are kept, as strings, in ``extra``. Without an
    explicit source field the source is the URL's host (set by :class:`Article`), so that
    records, pages and ``.txt`` files of one site share one source.
    """
    lowered = {str(key).lower(): value for key, value in record.items()}
    title = _first(lowered, TITLE_FIELDS)
    text = _first(lowered, TEXT_FIELDS)
    teaser = _first(lowered, TEASER_FIELDS)
    if not text and teaser:
        text = teaser
    if not title and not text:
        return None
    title_derived = not title
    if title_derived:
        title = _title_from_text(text)
    date = None
    for name in DATE_FIELDS:
        value = lowered.get(name.lower())
        if value not in (None, ""):
            date = parse_date(value)
            if date:
                break
    record_id = _first(lowered, ID_FIELDS)
    url = _first(lowered, URL_FIELDS) or None
    publisher = _first(lowered, PUBLISHER_FIELDS)
    source = _first(lowered, SOURCE_FIELDS) or (None if url else publisher) or None
    extra = {
        str(key): str(value)
        for key, value in record.items()
        if str(key).lower() not in KNOWN_FIELDS
        and isinstance(value, str | int | float)
        and not isinstance(value, bool)
        and value != ""
    }
    if publisher:
        extra["publisher"] = publisher
    return {
        "id": record_id or None,
        "title": title,
        "text": text or "",
        "date": date,
        "url": url,
        "source": source,
        "author": _first(lowered, AUTHOR_FIELDS) or None,
        "section": _first(lowered, SECTION_FIELDS) or None,
        "extra": extra,
        "title_derived": title_derived,
    }


def _first(record: Mapping[str, object], names: tuple[str, ...]) -> str:
    for name in names:
        value = _as_text(record.get(name.lower()))
        if value:
            return value
    return ""


def _as_text(value: object) -> str:
    """A field's value as one stripped string ("" for missing or empty)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return _as_text(value.get("name") or value.get("@value") or value.get("value"))
    if isinstance(value, list | tuple):
        parts = [_as_text(item) for item in value]
        return ", ".join(dict.fromkeys(part for part in parts if part))
    return ""


def _title_from_text(text: str) -> str:
    """A display title for a record without one: its first line, cut near 200 characters."""
    first = text.strip().split("\n", 1)[0]
    return first if len(first) <= 200 else first[:200].rsplit(" ", 1)[0] + " …"
