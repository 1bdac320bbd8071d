"""German text analysis for Zeitung: Whoosh tokenizers and filters, composed with ``|``.

Token contract (what ``search/`` relies on). In ``mode="index"`` every word yields, at one
position and with the word's character offsets:

* a ``kind="word"`` token: the normalised, stemmed form (``Häuser`` -> ``haus``);
* a ``kind="exact"`` token: ``EXACT_PREFIX`` + the normalised, unstemmed form (``=hauser``),
  which serves exact-form queries (``=Häuser``) and wildcards (``Häus*``);
* for a compound, one ``kind="part"`` token per part (stemmed), each with its own offsets
  inside the word.

In ``mode="query"`` the exact tokens are left out.
"""

from __future__ import annotations

from analyzers.chain import (
    EXACT_PREFIX,
    german_analyzer,
    keyword_analyzer,
    normalize_word,
    split_compound,
)

__all__ = [
    "EXACT_PREFIX",
    "german_analyzer",
    "keyword_analyzer",
    "normalize_word",
    "split_compound",
]
