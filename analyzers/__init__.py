"""German text analysis for Zeitung: Whoosh tokenizers and filters, composed with ``|``.

Token contract (what ``search/`` relies on). In ``mode="index"`` every word yields, at one
position and with the word's character offsets:

* a ``kind="word"`` token: the normalised, stemmed form (``Häuser`` -> ``haus``);
* a ``kind="exact"`` token: ``EXACT_PREFIX`` + the normalised, unstemmed form (``=hauser``),
  which serves exact-form queries (``=Häuser``) and wildcards (``Häus*``);
* for a compound, one ``kind="part"`` token per part (stemmed), each with its own offsets
  inside the word; the last part reaches the word's end (``Gaspreise``: ``preis`` marks
  ``preise``). A hyphenated word is a compound of its pieces (``Corona-Krise``).

In ``mode="query"`` the exact tokens are left out (word and part tokens stay, so a query can
ask for "the whole compound OR all of its parts"). Stop words are removed without
renumbering positions. Every token carries ``kind``; tokens also carry ``surface``, the
folded text they were made from.

Public API: :func:`german_analyzer`, :func:`keyword_analyzer`, :func:`normalize_word`,
:func:`split_compound`, :func:`stem`, :func:`analyze` / :class:`AnalyzedToken`,
:func:`split_sentences`. The frequency lexicon used by the decompounder loads lazily, once
per process (:mod:`analyzers.lexicon`); :func:`load_tables` loads it and the other tables
at once, before forking workers that can share them.
"""

from __future__ import annotations

from analyzers.analyzer import (
    ANALYSIS_VERSION,
    EXACT_PREFIX,
    AnalyzedToken,
    analyze,
    german_analyzer,
    keyword_analyzer,
    load_tables,
)
from analyzers.compounds import split_compound
from analyzers.normalize import normalize_word
from analyzers.sentences import split_sentences
from analyzers.stemming import stem

__all__ = [
    "ANALYSIS_VERSION",
    "EXACT_PREFIX",
    "AnalyzedToken",
    "analyze",
    "german_analyzer",
    "keyword_analyzer",
    "load_tables",
    "normalize_word",
    "split_compound",
    "split_sentences",
    "stem",
]
