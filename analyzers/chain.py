"""First version of the German chain (to be split into per-step modules)."""

from __future__ import annotations

import functools
import unicodedata

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

EXACT_PREFIX = "="


def normalize_word(word: str) -> str:
    """Fold a word for matching: NFKC, lowercase, ä/ae -> a, ö/oe -> o, ü/ue -> u, ß -> ss."""
    w = unicodedata.normalize("NFKC", word).casefold()
    w = w.replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")
    w = w.replace("ae", "a").replace("oe", "o")
    out = []
    for i, ch in enumerate(w):
        if ch == "e" and i and w[i - 1] == "u" and not (i > 1 and w[i - 2] in "aeiouq"):
            continue
        out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


_STEMMER = Stemmer.Stemmer("german")


def split_compound(word: str) -> list[str]:
    """Split a compound into its parts (first version: no splitting)."""
    return [normalize_word(word)]


class GermanFoldStemFilter(Filter):
    """Normalise and stem each word; in index mode also emit the exact form."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            folded = normalize_word(t.text)
            index_mode = t.mode == "index"
            t.text = _stem(folded)
            t.kind = "word"
            yield t
            if index_mode:
                t.text = EXACT_PREFIX + folded
                t.kind = "exact"
                yield t


class FoldFilter(Filter):
    """Normalise each word (no stemming): for names, sources and sections."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = normalize_word(t.text)
            yield t


def keyword_analyzer():
    """The analyser for names, sources, sections and URLs: tokenize and fold, nothing else."""
    return RegexTokenizer(r"\w+") | FoldFilter()


def german_analyzer():
    """The analyser for title and body: tokenize, lowercase, fold, stem."""
    return RegexTokenizer(r"\w+(?:[-']\w+)*") | LowercaseFilter() | GermanFoldStemFilter()
