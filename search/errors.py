"""The exceptions the library raises; the CLI turns each into one line and an exit code."""

from __future__ import annotations


class ZeitungError(Exception):
    """Base class: every error meant for the user, with a one-line message."""

    exit_code = 1


class IndexNotFound(ZeitungError):
    """No index exists at the given directory."""


class IndexIncompatible(ZeitungError):
    """The index was written by a version of Zeitung whose schema cannot be loaded."""


class IndexLocked(ZeitungError):
    """Another process is writing to the index."""


class ArticleNotFound(ZeitungError):
    """No article with the given id is in the index."""


class ReadError(ZeitungError):
    """A file could not be read as articles (the reason names what is wrong)."""


class QuerySyntaxError(ZeitungError):
    """A query string could not be parsed.

    ``position`` is 0-based, an index into the query string (``query[e.position]`` is where
    it went wrong); the message counts characters from 1, as people do, and that number is
    ``column`` (``position + 1``): ``'(' is not closed (at character 1)`` has position 0.

    :param message: what is wrong, in one line.
    :param position: 0-based character offset in the query where it went wrong, if known.
    """

    exit_code = 2

    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        where = f" (at character {self.column})" if position is not None else ""
        super().__init__(f"{message}{where}")

    @property
    def column(self) -> int | None:
        """The 1-based character number the message shows (``position + 1``)."""
        return None if self.position is None else self.position + 1


class InvalidOption(ZeitungError, ValueError):
    """A search option has a value it cannot take (``match="bogus"``)."""

    exit_code = 2
