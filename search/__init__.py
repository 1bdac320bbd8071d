"""Zeitung: full-text search for German news articles.

The API is :class:`NewsIndex` (build, update, search, fetch, statistics) with the records it
returns (:class:`Hit`, :class:`Snippet`, :class:`Article`) and the errors it raises, all
derived from :class:`ZeitungError`. The ``zeitung`` command is a thin layer over it.
"""

from __future__ import annotations

import logging

from search.errors import (
    ArticleNotFound,
    IndexIncompatible,
    IndexLocked,
    IndexNotFound,
    InvalidOption,
    QuerySyntaxError,
    ReadError,
    ZeitungError,
)
from search.index import IndexReport, IndexStats, NewsIndex, SearchResults
from search.model import Article, Hit, Snippet
from search.snippets import KwicLine
from search.suggest import PartCount, Suggestion

__all__ = [
    "Article",
    "ArticleNotFound",
    "Hit",
    "IndexIncompatible",
    "IndexLocked",
    "IndexNotFound",
    "IndexReport",
    "IndexStats",
    "InvalidOption",
    "KwicLine",
    "NewsIndex",
    "PartCount",
    "QuerySyntaxError",
    "ReadError",
    "SearchResults",
    "Snippet",
    "Suggestion",
    "ZeitungError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
