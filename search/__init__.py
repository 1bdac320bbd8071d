"""Zeitung: full-text search for German news articles.

>>> from search import NewsIndex                    # doctest: +SKIP
>>> idx = NewsIndex.open("zeitung-index")            # doctest: +SKIP
>>> for hit in idx.search("Proteste AND Kasachstan", limit=10):  # doctest: +SKIP
...     print(hit.id, hit.date, hit.title, hit.snippets[0].text)
"""

from __future__ import annotations

import logging

from search.errors import (
    ArticleNotFound,
    IndexIncompatible,
    IndexLocked,
    IndexNotFound,
    QuerySyntaxError,
    ReadError,
    ZeitungError,
)
from search.index import IndexReport, IndexStats, NewsIndex, SearchResults
from search.model import Article, Hit, Snippet

__all__ = [
    "Article",
    "ArticleNotFound",
    "Hit",
    "IndexIncompatible",
    "IndexLocked",
    "IndexNotFound",
    "IndexReport",
    "IndexStats",
    "NewsIndex",
    "QuerySyntaxError",
    "ReadError",
    "SearchResults",
    "Snippet",
    "ZeitungError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
