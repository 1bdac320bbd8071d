"""One reader function per file format: ``(path, base_id) -> Iterator[Article]``."""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from search.errors import ReadError
from search.model import Article
from search.readers.decoding import decode, iter_lines, read_bytes
from search.readers.html import parse_html
from search.readers.records import record_fields
from search.readers.scraped import parse_scraped

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BadRecord:
    """One record of a multi-record file that was skipped, and why."""

    #: Where it is: ``line 2`` (JSON Lines, CSV) or ``record 4`` (a JSON list).
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


#: Called with each bad record of a multi-record file, as it is skipped.
OnBadRecord = Callable[[BadRecord], None]

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
        path=_article_path(path),
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
        path=_article_path(path),
        extra={"publisher": parsed.publisher} if parsed.publisher else {},
        title_derived=parsed.title_derived,
    )


def read_json(path: Path, base_id: str, on_bad: OnBadRecord | None = None) -> Iterator[Article]:
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
    numbered = ((n, f"record {n}", item) for n, item in enumerate(data, start=1))
    yield from _records(numbered, base_id, path, on_bad)


def read_jsonl(path: Path, base_id: str, on_bad: OnBadRecord | None = None) -> Iterator[Article]:
    """JSON Lines, streamed: one article object a line; blank lines are ignored."""

    def records() -> Iterator[tuple[int, str, object]]:
        for number, line in enumerate(iter_lines(path), start=1):
            line = line.strip().lstrip("\ufeff")
            if not line:
                continue
            try:
                yield number, f"line {number}", json.loads(line)
            except json.JSONDecodeError as exc:
                # Only the column: the record's line is the file's line, said beside it.
                yield (
                    number,
                    f"line {number}",
                    ReadError(f"invalid JSON: {exc.msg} (column {exc.colno})"),
                )
            except ValueError as exc:
                yield number, f"line {number}", ReadError(f"invalid JSON: {exc}")

    yield from _records(records(), base_id, path, on_bad, invalid_what="JSON Lines")


def read_csv(path: Path, base_id: str, on_bad: OnBadRecord | None = None) -> Iterator[Article]:
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

    def records() -> Iterator[tuple[int, str, object]]:
        number = 0
        while True:
            line = reader.line_num + 1  # where the next row starts (a cell may hold newlines)
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield number + 1, f"line {line}", ReadError(f"broken CSV: {exc}")
                return
            number += 1
            row.pop(None, None)  # cells beyond the header
            yield number, f"line {line}", row

    yield from _records(records(), base_id, path, on_bad, invalid_what="CSV")


def _records(
    numbered: Iterable[tuple[int, str, object]],
    base_id: str,
    path: Path,
    on_bad: OnBadRecord | None,
    invalid_what: str = "JSON",
) -> Iterator[Article]:
    """Articles of numbered records; bad ones skipped and handed to ``on_bad`` (and logged);
    none at all is an error."""
    good = bad = 0
    first_problem = ""
    for number, where, record in numbered:
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
            first_problem = first_problem or f"{where}: {problem}"
            logger.warning("%s: skipped %s: %s", path, where, problem)
            if on_bad is not None:
                on_bad(BadRecord(where, problem))
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
    explicit = bool(fields["id"])
    fields["id"] = fields["id"] or default_id
    return Article(path=_article_path(path), explicit_id=explicit, **fields)


def _article_path(path: Path) -> str:
    """An article's path: absolute, but a symlink named as itself, not as its target."""
    return os.path.abspath(path)


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
