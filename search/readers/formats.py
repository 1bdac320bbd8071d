"""One reader function per file format: ``(path, base_id) -> Iterator[Article]``."""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from search.errors import ReadError
from search.model import Article
from search.readers.decoding import decode, iter_lines, read_bytes
from search.readers.html import parse_html
from search.readers.records import record_fields
from search.readers.scraped import parse_scraped

logger = logging.getLogger(__name__)

#: Keys under which a JSON document may hold its list of articles.
LIST_KEYS = ("articles", "items", "data", "results", "records", "entries", "docs")

#: CSV fields can hold whole articles; the stdlib default of 128 KiB is too small.
csv.field_size_limit(64 * 1024 * 1024)


def read_text_file(path: Path, html: bool = False) -> str:
    """The decoded content of a whole-file format; ReadError when empty or binary."""
    data = read_bytes(path)
    if not data.strip():
        raise ReadError("empty file")
    text = decode(data, html=html)
    if not text.strip(" \t\r\n\ufeff\ufffd"):
        raise ReadError("no text")
    return text


def read_txt(path: Path, base_id: str) -> Iterator[Article]:
    """A scraped or plain ``.txt`` article."""
    parsed = parse_scraped(read_text_file(path))
    if parsed is None:
        raise ReadError("no text")
    yield Article(
        id=base_id,
        title=parsed.title,
        text=parsed.text,
        date=parsed.date,
        url=parsed.url,
        author=parsed.author,
        section=parsed.section,
        path=str(path.resolve()),
        extra=parsed.extra,
    )


def read_html(path: Path, base_id: str) -> Iterator[Article]:
    """A saved HTML page."""
    parsed = parse_html(read_text_file(path, html=True))
    if parsed is None:
        raise ReadError("no article text in HTML")
    yield Article(
        id=base_id,
        title=parsed.title,
        text=parsed.text,
        date=parsed.date,
        url=parsed.url,
        source=parsed.source,
        author=parsed.author,
        section=parsed.section,
        path=str(path.resolve()),
        extra={"publisher": parsed.publisher} if parsed.publisher else {},
        title_derived=parsed.title_derived,
    )


def read_json(path: Path, base_id: str) -> Iterator[Article]:
    """One JSON document: an article object, a list of them, or ``{"articles": [...]}``."""
    text = read_text_file(path)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ReadError(f"invalid JSON: {exc}") from exc
    if isinstance(data, Mapping):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if isinstance(data, Mapping):
        article = _record_article(data, base_id, path, single=True)
        if article is None:
            raise ReadError("JSON object has no title or text")
        yield article
        return
    if not isinstance(data, list):
        raise ReadError("JSON is neither an article object nor a list of them")
    yield from _records(enumerate(data, start=1), base_id, path)


def read_jsonl(path: Path, base_id: str) -> Iterator[Article]:
    """JSON Lines, streamed: one article object a line; blank lines are ignored."""

    def records() -> Iterator[tuple[int, object]]:
        for number, line in enumerate(iter_lines(path), start=1):
            line = line.strip().lstrip("\ufeff")
            if not line:
                continue
            try:
                yield number, json.loads(line)
            except ValueError as exc:
                yield number, ReadError(f"invalid JSON: {exc}")

    yield from _records(records(), base_id, path, invalid_what="JSON Lines")


def read_csv(path: Path, base_id: str) -> Iterator[Article]:
    """CSV or TSV with a header row, streamed; the delimiter is sniffed from the first lines."""
    lines = iter_lines(path)
    head: list[str] = []
    for line in lines:
        head.append(line)
        if len(head) >= 20:
            break
    if not "".join(head).strip():
        raise ReadError("empty file")
    dialect = _sniff_dialect("".join(head), tab=path.name.lower().rstrip(".gz").endswith(".tsv"))
    reader = csv.DictReader(_chain(head, lines), dialect=dialect)
    if not reader.fieldnames or len(reader.fieldnames) < 2:
        raise ReadError("CSV has no header row with field names")

    def records() -> Iterator[tuple[int, object]]:
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                row.pop(None, None)  # cells beyond the header
                yield number, row
        except csv.Error as exc:
            yield number + 1, ReadError(f"broken CSV: {exc}")

    yield from _records(records(), base_id, path, invalid_what="CSV")


def _records(
    numbered: Iterable[tuple[int, object]],
    base_id: str,
    path: Path,
    invalid_what: str = "JSON",
) -> Iterator[Article]:
    """Articles of numbered records; bad ones logged and skipped; none at all is an error."""
    good = bad = 0
    first_problem = ""
    for number, record in numbered:
        article = None
        problem = ""
        if isinstance(record, ReadError):
            problem = str(record)
        elif not isinstance(record, Mapping):
            problem = "record is not an object"
        else:
            article = _record_article(record, f"{base_id}#{number}", path)
            if article is None:
                problem = "record has no title or text"
        if article is None:
            bad += 1
            first_problem = first_problem or f"record {number}: {problem}"
            logger.warning("%s: skipped record %d: %s", path, number, problem)
            continue
        good += 1
        yield article
    if not good:
        if bad:
            raise ReadError(f"no readable {invalid_what} records ({first_problem})")
        raise ReadError("empty file")


def _record_article(
    record: Mapping[str, object], default_id: str, path: Path, single: bool = False
) -> Article | None:
    fields = record_fields(record)
    if fields is None:
        return None
    fields["id"] = fields["id"] or default_id
    return Article(path=str(path.resolve()), **fields)


def _sniff_dialect(sample: str, tab: bool) -> type[csv.Dialect] | csv.Dialect:
    if tab:
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest
