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
from analyzers.stopwords import STOP_WORDS

#: Index terms of parts of lexicalised compounds carry this prefix (``^wass`` in
#: *Wasserstoff*), so a query can weigh them below the word itself. (Not ``~``: that marks
#: spelling terms, :mod:`analyzers.spelling`.)
LEXICAL_PART_PREFIX = "^"

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


#: Feminine forms whose masculine no suffix rule finds (umlaut, -e, adjective nouns).
IRREGULAR_FEMININE = {
    "arztin": "arzt",
    "arztinnen": "arzt",
    "judin": "jude",
    "judinnen": "jude",
    "bauerin": "bauer",
    "bauerinnen": "bauer",
    "beamtin": "beamter",
    "beamtinnen": "beamter",
    "padagogin": "padagoge",
    "padagoginnen": "padagoge",
    "kollegin": "kollege",
    "kolleginnen": "kollege",
    "franzosin": "franzose",
    "franzosinnen": "franzose",
}
#: Shortest tail of an unknown word looked up as a lemma's form (``weiter|führtet``), and
#: shortest head before it (``Status`` is no ``st`` + form of ``atus``).
LEMMA_TAIL_MIN = 5
LEMMA_HEAD_MIN = 3
#: Derivational adjective suffixes stripped after Snowball (``freundlich`` -> ``freund``,
#: ``machbar``, ``ernsthaft``, ``gemeinsam``, ``wichtig``), when a stem of at least
#: :data:`DERIVATION_STEM_MIN` letters is left that is no function word (``Nachbar`` keeps
#: ``nachbar``).
DERIVATION_SUFFIXES = ("lich", "haft", "bar", "sam", "ig")
DERIVATION_STEM_MIN = 4
#: A stem this frequent as a word of its own (Zipf) keeps an agent noun's ``-er``: Snowball
#: makes *Bürger* ``burg``, *Müller* ``mull``, *Verbraucher* ``verbrauch``, *Bauer* ``bau``.
ER_BASE_ZIPF = 3.0


def lemma_folded(word: str, table: dict[str, str] | None = None) -> str:
    """The lemma of a folded word (:mod:`analyzers.lemmas`), else the word.

    A word the lemma list does not know may end in a form it knows: ``weiterfuhrtet`` ->
    ``weiter`` + lemma of ``fuhrtet``. Function words and forms of them keep their form
    (``war`` is not ``sein``, which is also a possessive).
    """
    from analyzers.lemmas import lemma_table

    if word in STOP_WORDS:  # seine is no form of sein (ist), eint no form of ein
        return word
    t = lemma_table() if table is None else table
    lemma = t.get(word)
    if lemma is not None:
        return word if lemma in STOP_WORDS else lemma
    for i in range(LEMMA_HEAD_MIN, len(word) - LEMMA_TAIL_MIN + 1):
        lemma = t.get(word[i:])
        if lemma is not None:
            return word if lemma in STOP_WORDS else word[:i] + lemma
    return word


#: Conflations the rules make that a reader keeps apart (judged on the top new conflations
#: of derStandard, ``benchmarks/stemming.py``), as exceptions:
#: a form's lemma where the lemma list's is another word's (*Gebet*, prayer, is no form of
#: *geben*; *gebeten* is *bitten*'s participle, not Snowball's ``gebet``) ...
LEMMA_EXCEPTIONS = {"gebet": "gebet", "gebeten": "bitten"}
#: ... derived words that keep their suffix (*sagenhaft* is of *Sage*, legend, not *sagen*) ...
KEEP_DERIVED = frozenset({"sagenhaft"})
#: ... and stems a function word owns: every other word reaching one gets the other stem
#: (Snowball stems *Seite*, *Seiten*, *seitlich* to the preposition *seit*).
FUNCTION_WORD_STEMS = {"seit": "seite"}


def _stem(word: str) -> str:
    fem = IRREGULAR_FEMININE.get(word)
    if fem is not None:
        word = fem
    else:
        m = FEMININE.match(word)
        if m:
            word = m.group(1)
    original = word
    lemma = LEMMA_EXCEPTIONS.get(word)
    word = lemma_folded(word) if lemma is None else lemma
    s = _STEMMER.stemWord(strip_vowel_s(word))
    if word.endswith("er") and s == word[:-2] and zipf(s) >= ER_BASE_ZIPF:
        return word
    s = _derive(s)
    own = FUNCTION_WORD_STEMS.get(s)
    return own if own is not None and original != s else s


def _derive(s: str) -> str:
    """Strip derivational suffixes from a Snowball stem (:data:`DERIVATION_SUFFIXES`)."""
    if s in KEEP_DERIVED:
        return s
    for _ in range(2):
        for suffix in DERIVATION_SUFFIXES:
            rest = s[: -len(suffix)]
            if (
                s.endswith(suffix)
                and len(rest) >= DERIVATION_STEM_MIN
                and rest not in STOP_WORDS
                and not s.endswith("schaft")
            ):
                s = _STEMMER.stemWord(rest)
                break
        else:
            break
    return s


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
                    if text[:1] == LEXICAL_PART_PREFIX:  # ^wasser -> ^wass
                        s = LEXICAL_PART_PREFIX + stem_folded(text[1:])
                    else:
                        s = stem_folded(text)
                t.text = s
            yield t
