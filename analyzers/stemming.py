"""Stemming: Snowball German (PyStemmer, C) on folded words, plus feminine forms.

Snowball leaves the feminine suffix alone (``lehrerin`` -> ``lehrerin``,
``lehrerinnen`` -> ``lehrerinn``) while ``lehrer`` -> ``lehr``, so *Lehrer*, *Lehrerin*,
*Lehrerinnen* and *Lehrer\\*innen* never meet. :func:`stem` first strips ``-in``/``-innen``
after a masculine agent or person noun ending (:data:`FEMININE_BASES`: ``-er``, ``-ent``,
``-ist``, ``-log``, ...), then stems.

Snowball also removes ``-s`` only after a consonant (``Hunds``), so the ``-s`` after a vowel
stays: the genitive of names (``Teslas``, ``Warschaus``, ``Obamas``) and the plural of
loanwords (``Autos``, ``Fotos``, ``Handys``) never meet their base form. :func:`stem` strips
such an ``-s`` when the word without it is at least as frequent in the German lexicon
(:func:`analyzers.lexicon.zipf`), which keeps ``Haus``, ``Bus`` and ``Status`` whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import Stemmer
from whoosh.analysis import Filter, Token

from analyzers.cache import WORDS_MAX, evict_half
from analyzers.lexicon import zipf

#: Endings of masculine person nouns that take the feminine ``-in`` (Lehrer-in, Student-in,
#: Journalist-in, Biolog-in, Kolleg-in, Präsident-in, Kandidat-in, Ärzt-in, Französ-in).
FEMININE_BASES = (
    "er",
    "ent",
    "ant",
    "ist",
    "log",
    "leg",
    "at",
    "and",
    "eur",
    "or",
    "graf",
    "graph",
    "soph",
    "krat",
    "naut",
    "arzt",
    "anwalt",
    "irt",
    "bot",
    "is",
    "ier",
    "af",
    "ch",
    "nd",
)
FEMININE = re.compile(r"^(.{3,}(?:" + "|".join(FEMININE_BASES) + r"))in(?:nen)?$")
_STEMMER = Stemmer.Stemmer("german")
_CACHE: dict[str, str] = {}
_CACHE_MAX = WORDS_MAX


#: Shortest word whose ``-s`` after a vowel may go (``Kubas`` yes, ``Abas`` no).
VOWEL_S_MIN = 5


def strip_vowel_s(word: str) -> str:
    """``teslas`` -> ``tesla``: drop an ``-s`` after a vowel if the rest is as common a word.

    The test is the lexicon's frequency, not a list: ``autos``/``auto`` and ``warschaus``/
    ``warschau`` pass (the base is the more frequent form), ``haus``/``hau`` and
    ``status``/``statu`` do not.

    :param word: a folded word.
    """
    if len(word) < VOWEL_S_MIN or word[-1] != "s" or word[-2] not in "aeiouy":
        return word
    rest = word[:-1]
    base = zipf(rest)
    return rest if base > 0.0 and base >= zipf(word) else word


def _stem(word: str) -> str:
    m = FEMININE.match(word)
    if m:
        word = m.group(1)
    return _STEMMER.stemWord(strip_vowel_s(word))


def stem(word: str) -> str:
    """Stem a word: fold it, strip a feminine ending, apply Snowball German; cached.

    ``stem("Lehrerinnen") == stem("Lehrer") == "lehr"``.

    :param word: a word (folded or not; folding is idempotent).
    """
    from analyzers.normalize import fold_cached

    return stem_folded(fold_cached(word))


def stem_folded(word: str) -> str:
    """Stem an already folded word, through the process-wide cache."""
    s = _CACHE.get(word)
    if s is None:
        if len(_CACHE) >= _CACHE_MAX:
            evict_half(_CACHE)
        s = _CACHE[word] = _stem(word) if word.isalpha() else word
    return s


class GermanStemFilter(Filter):
    """Stem ``kind="word"`` and ``kind="part"`` tokens with :func:`stem_folded`.

    Exact-form tokens pass unchanged; numbers are not stemmed. Morphological (``is_morph``),
    so ``no_morph=True`` leaves words folded but unstemmed.
    """

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = _CACHE
        for t in tokens:
            if t.kind != "exact":
                text = t.text
                s = cache.get(text)
                if s is None:
                    s = stem_folded(text)
                t.text = s
            yield t
