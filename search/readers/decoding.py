"""Bytes to text: gzip, byte-order marks, UTF-8 first, then Windows-1252.

German archives are mostly UTF-8, but older ones are Windows-1252 or Latin-1, and
some exports are UTF-16 with a byte-order mark. The rule here, measured against
charset-normalizer on German text, is: a BOM wins; else an HTML ``<meta charset>``
(for HTML only); else strict UTF-8; else Windows-1252 (a superset of Latin-1's printable
range, and what "Latin-1" pages really are). Decoding never raises: undecodable bytes become U+FFFD.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from search.errors import ReadError

#: How much of a file is sniffed for NUL bytes and byte-order marks.
SNIFF_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)


def is_gzip(path: Path) -> bool:
    """A ``.gz`` file, read transparently by :func:`open_binary`."""
    return path.suffix.lower() == ".gz"


def open_binary(path: Path):
    """Open ``path`` for binary reading, decompressing ``.gz`` files on the fly."""
    try:
        if is_gzip(path):
            return gzip.open(path, "rb")
        return open(path, "rb")
    except OSError as exc:
        raise ReadError(f"cannot open file: {exc.strerror or exc}") from exc


def read_bytes(path: Path) -> bytes:
    """The whole (decompressed) content of ``path``.

    :raises ReadError: the file cannot be opened or its gzip stream is broken.
    """
    with open_binary(path) as fh:
        try:
            return fh.read()
        except (OSError, EOFError, zlib.error) as exc:
            raise ReadError(f"broken gzip stream: {exc}") from exc


def sniff_bom(data: bytes) -> tuple[str | None, int]:
    """The encoding named by a byte-order mark at the start of ``data``, and the BOM's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: text whose every other byte is NUL (ASCII-range characters)."""
    sample = data[:SNIFF_BYTES]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def check_not_binary(data: bytes) -> None:
    """Raise ``ReadError("binary file")`` for data with NUL bytes that is not UTF-16/32."""
    if b"\x00" in data[:SNIFF_BYTES]:
        raise ReadError("binary file")


def detect_encoding(data: bytes, html: bool = False) -> tuple[str, int]:
    """The encoding to decode ``data`` with, and how many leading BOM bytes to skip.

    :param data: the file's bytes (or at least its first few kilobytes).
    :param html: also honour a ``<meta charset>`` declaration.
    :raises ReadError: the data is binary.
    """
    name, skip = sniff_bom(data)
    if name:
        return name, skip
    utf16 = sniff_utf16(data)
    if utf16:
        return utf16, 0
    check_not_binary(data)
    if html:
        declared = _declared_charset(data)
        if declared:
            # Pages that say Latin-1 but are UTF-8 are common: valid UTF-8 wins.
            if declared != "utf-8" and _is_utf8(data):
                return "utf-8", 0
            return declared, 0
    if _is_utf8(data):
        return "utf-8", 0
    return "cp1252", 0


def decode(data: bytes, html: bool = False) -> str:
    """Decode a whole file's bytes to text (see the module docstring for the rule).

    :raises ReadError: the data is binary.
    """
    encoding, skip = detect_encoding(data, html=html)
    return data[skip:].decode(encoding, errors="replace")


def iter_lines(path: Path) -> Iterator[str]:
    """Stream the decoded lines of a (possibly gzipped) text file, line endings kept.

    Memory stays bounded by the longest line. The encoding is fixed from the first
    block (BOM, UTF-16, binary check); for byte encodings each line is decoded on its
    own, UTF-8 first and Windows-1252 as fallback, so a file mixing both still reads.

    :raises ReadError: the file is binary or its gzip stream is broken.
    """
    fh = open_binary(path)
    try:
        try:
            head = fh.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(fh, "peek") else b""
        except (OSError, EOFError, zlib.error) as exc:
            raise ReadError(f"broken gzip stream: {exc}") from exc
        name, skip = sniff_bom(head)
        name = name or sniff_utf16(head)
        if name is None:
            check_not_binary(head)
        try:
            if name and name != "utf-8":
                reader = codecs.getreader(name)(fh, errors="replace")
                first = True
                for line in reader:
                    if first:
                        line = line.lstrip("\ufeff")
                        first = False
                    yield line
                return
            fh.read(skip)
            for raw in fh:
                yield decode_line(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ReadError(f"broken gzip stream: {exc}") from exc
    finally:
        fh.close()


def decode_line(raw: bytes) -> str:
    """One line of a byte-encoded file: UTF-8 if it is valid UTF-8, else Windows-1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut off at the end of a sample is still UTF-8.
        return exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
    return True


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[: SNIFF_BYTES * 2])
    if not match:
        return None
    label = match.group(1).decode("ascii", errors="ignore").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # WHATWG: documents labelled Latin-1/ASCII are decoded as windows-1252.
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return "utf-8" if name == "utf-8" else name
