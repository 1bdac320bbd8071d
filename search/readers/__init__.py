"""Readers: files of news articles in, :class:`~search.model.Article` records out.

Formats, chosen by suffix (also gzip-compressed, ``x.jsonl.gz``):

* ``.txt`` — the scraped format (URL line, headline, header, body, site tail; see
  :mod:`search.readers.scraped`) or a plain article (first line the title);
* ``.html``/``.htm`` — a saved page (see :mod:`search.readers.html`);
* ``.json`` — one article object, a list of them, or ``{"articles": [...]}``;
* ``.jsonl``/``.ndjson`` — one article object a line, streamed;
* ``.csv``/``.tsv`` — a header row, then one article a row, streamed; delimiter sniffed.

A file that cannot be read at all raises :class:`~search.errors.ReadError` with a
one-line reason. In multi-record files a bad record is skipped and reported as a
:class:`BadRecord` to the caller's ``on_bad_record`` (and logged), unless no record at all
could be read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from search.errors import ReadError
from search.model import Article
from search.readers.formats import (
    BadRecord,
    OnBadRecord,
    read_csv,
    read_html,
    read_json,
    read_jsonl,
    read_txt,
)

__all__ = ["SUPPORTED_SUFFIXES", "BadRecord", "is_supported", "iter_articles"]

_READERS = {
    ".txt": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".tsv": read_csv,
}

#: Readers of multi-record files, which report bad records.
_RECORD_READERS = frozenset({read_json, read_jsonl, read_csv})

#: File suffixes :func:`iter_articles` reads; each may also carry a trailing ``.gz``.
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)


def format_suffix(path: Path) -> str:
    """The suffix that names a file's format, looking through a trailing ``.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def is_supported(path: Path) -> bool:
    """Whether :func:`iter_articles` can read ``path``, judged by its suffix alone.

    :param path: a file path; ``x.jsonl.gz`` counts as ``.jsonl``.
    """
    return format_suffix(Path(path)) in _READERS


def iter_articles(
    path: Path, root: Path | None = None, on_bad_record: OnBadRecord | None = None
) -> Iterator[Article]:
    """Yield the articles in one file.

    :param path: the file to read.
    :param root: the directory being indexed; ids of articles without an own id are the
        path relative to it (``rheinbote/gaspreise.txt``), or ``name.jsonl#3`` for the
        third record of a multi-record file.
    :param on_bad_record: called with each skipped record of a multi-record file.
    :raises ReadError: the file cannot be read at all (one-line reason).
    """
    path = Path(path)
    reader = _READERS.get(format_suffix(path))
    if reader is None:
        raise ReadError(f"unsupported file type: {path.name}")
    if not path.is_file():
        if path.is_symlink() and not path.exists():
            raise ReadError(f"broken symbolic link (to {os.readlink(path)})")
        raise ReadError("not a file" if path.exists() else "file not found")
    if reader in _RECORD_READERS:
        yield from reader(path, _relative_id(path, root), on_bad_record)
    else:
        yield from reader(path, _relative_id(path, root))


def _relative_id(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            # Not resolved: a symlink's id is its own place in the tree, not its target's.
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
    return path.name
