"""The spelling a word was written with, umlauts kept apart: for ``=schön`` and ranking.

Folding makes ``ä`` = ``ae`` = ``a`` (users type *Mueller* and *Muller*), so the folded exact
form ``=schon`` cannot tell *schön* from *schon*. In ``mode="index"`` :class:`SpellingFilter`
adds, after a word's exact form, a ``kind="spelling"`` token :data:`SPELLING_PREFIX` + the
word lower-cased with ``ä``/``ö``/``ü`` written ``ae``/``oe``/``ue`` (``~schoen``), when that
differs from the folded form. *Schön* and *schoen* share it, *schon* has none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Filter, Token

from analyzers.normalize import APOSTROPHES, GENDER_JOINERS, HYPHENS, INVISIBLE, normalize_word
from analyzers.stopwords import STOP_WORDS

#: Marks spelling terms in the index: ``~schoen``.
SPELLING_PREFIX = "~"
_DROP = str.maketrans("", "", INVISIBLE + HYPHENS + APOSTROPHES + GENDER_JOINERS)
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue"}


def spelling(word: str) -> str:
    """*word* lower-cased, ``ß`` as ``ss`` and umlauts as ``ae``/``oe``/``ue``: ``Schön`` ->
    ``schoen``, ``Mueller`` -> ``mueller``, ``Straße`` -> ``strasse``."""
    w = unicodedata.normalize("NFKC", word.translate(_DROP)).casefold()
    for src, dst in _UMLAUTS.items():
        w = w.replace(src, dst)
    return w


def spelling_term(word: str) -> str | None:
    """The spelling term of *word* (``~schoen``), or None when it equals the folded form."""
    spelt = spelling(word)
    folded = normalize_word(word.translate(_DROP))
    return None if spelt == folded else SPELLING_PREFIX + spelt


class SpellingFilter(Filter):
    """In index mode, after each exact form, the word's spelling term if it has one."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            yield t
            if t.mode != "index" or t.kind != "exact":
                continue
            raw = getattr(t, "surface_raw", None)
            if not raw or t.text[1:] in STOP_WORDS:
                continue
            term = spelling_term(raw)
            if term is not None:
                text, kind = t.text, t.kind
                t.text, t.kind = term, "spelling"
                yield t
                t.text, t.kind = text, kind
