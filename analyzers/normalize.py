"""German folding: the normalised form every index and query term is built from.

The rules are those of Lucene's ``GermanNormalizationFilter`` (after Snowball's *german2*
variant), applied after NFKC and case folding:

* ``ß`` -> ``ss`` (case folding does it);
* ``ä``/``ö``/``ü`` -> ``a``/``o``/``u``;
* ``ae``/``oe`` -> ``a``/``o``;
* ``ue`` -> ``u``, except after a vowel or ``q`` (``Mauer``, ``Quelle``, ``Feuer`` keep it).

Invisible characters (soft hyphen, zero-width space/joiners, word joiner) are dropped first,
so ``Zei\\u00adtung`` is ``zeitung``; hyphens and apostrophes inside a word are dropped after
folding, so ``Corona-Krise`` and ``Coronakrise`` fold alike and each side of a hyphen is folded
on its own (``Akku-Ersatz`` -> ``akkuersatz``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Filter, Token

from analyzers.cache import WORDS_MAX, evict_half

#: Characters removed before folding: soft hyphen, zero-width space/non-joiner/joiner,
#: word joiner, byte-order mark.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
#: Joiners inside a word removed after folding: hyphens and (typographic) apostrophes.
HYPHENS = "-\u2010\u2011"
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"
#: Gender joiners (``Lehrer*innen``, ``Lehrer:innen``, ``Lehrer_innen``, ``Lehrer/-innen``);
#: the tokenizer only lets them into a word before ``in``/``innen``.
GENDER_JOINERS = "*:_/"

_DROP_FIRST = str.maketrans("", "", INVISIBLE)
_DROP_AFTER = str.maketrans("", "", HYPHENS + APOSTROPHES)
_UMLAUTS = str.maketrans("äöü", "aou")
# An "e" goes after a or o, and after a "u" that does not itself follow a vowel or q.
# The string is prefixed with a sentinel so the two-character lookbehind also works at 0.
_E_AFTER = re.compile(r"(?<=[ao])e|(?<=[^aeiouyqäöü]u)e")
#: Replacements after the e-rule (str.replace is much faster than str.translate).
_REPLACEMENTS = (("ä", "a"), ("ö", "o"), ("ü", "u")) + tuple(
    (ch, "") for ch in HYPHENS + APOSTROPHES
)


def normalize_word(word: str) -> str:
    """Fold a word for matching (see the module docstring for the rules).

    ``normalize_word("Müller") == normalize_word("Mueller") == "muller"``,
    ``normalize_word("Straße") == "strasse"``. Wildcard characters (``*``, ``?``) are kept,
    so the query side can fold a pattern with the same function.

    :param word: one word as written.
    :return: the folded form.
    """
    for ch in INVISIBLE:
        if ch in word:
            word = word.replace(ch, "")
    w = unicodedata.normalize("NFKC", word).casefold()
    if "e" in w:
        w = _E_AFTER.sub("", "#" + w)[1:]
    if not w.isascii() or "-" in w or "'" in w or "`" in w:
        for src, dst in _REPLACEMENTS:
            if src in w:
                w = w.replace(src, dst)
    return w


def normalize_with_offsets(word: str) -> tuple[str, list[int]]:
    """Fold ``word`` like :func:`normalize_word` and map each output character to its source.

    Used once per distinct word by the decompounder to give every compound part its own
    character offsets. ``offsets[i]`` is the index in ``word`` of the character that produced
    output character ``i``; ``offsets[len(out)]`` is ``len(word)``.
    """
    # Clusters: a base character with its combining marks, so NFKC composes "a\u0308" -> "ä".
    chars: list[str] = []
    src: list[int] = []
    i, n = 0, len(word)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(word[j]):
            j += 1
        cluster = word[i:j].translate(_DROP_FIRST)
        if cluster:
            folded = unicodedata.normalize("NFKC", cluster).casefold()
            for ch in folded:
                chars.append(ch)
                src.append(i)
        i = j
    if "".join(chars) != unicodedata.normalize("NFKC", word.translate(_DROP_FIRST)).casefold():
        # NFKC composed across clusters in a way the per-cluster pass cannot reproduce:
        # fall back to whole-word offsets for every character.
        folded = unicodedata.normalize("NFKC", word.translate(_DROP_FIRST)).casefold()
        chars, src = list(folded), [0] * len(folded)
    # The e-rule, on the folded characters before umlauts are replaced.
    keep = []
    for k, ch in enumerate(chars):
        if ch == "e" and k:
            prev = chars[k - 1]
            if prev in "ao":
                continue
            if prev == "u" and (k == 1 or chars[k - 2] not in "aeiouyqäöü"):
                continue
        keep.append(k)
    out: list[str] = []
    offsets: list[int] = []
    for k in keep:
        ch = chars[k].translate(_UMLAUTS).translate(_DROP_AFTER)
        if ch:
            out.append(ch)
            offsets.append(src[k])
    offsets.append(len(word))
    return "".join(out), offsets


def fold_token(text: str) -> str:
    """The folded surface of a token: :func:`normalize_word` without gender joiners.

    ``Lehrer*innen`` -> ``lehrerinnen``; ``Corona-Krise`` -> ``coronakrise``.
    """
    w = normalize_word(text)
    for ch in GENDER_JOINERS:
        if ch in w:
            w = w.replace(ch, "")
    return w


_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_MAX = WORDS_MAX


def fold_cached(text: str) -> str:
    """:func:`fold_token` behind a process-wide cache (news text repeats its words)."""
    folded = _FOLD_CACHE.get(text)
    if folded is None:
        if len(_FOLD_CACHE) >= _FOLD_CACHE_MAX:
            evict_half(_FOLD_CACHE)
        folded = _FOLD_CACHE[text] = fold_token(text)
    return folded


class GermanNormalizeFilter(Filter):
    """Fold each token with :func:`fold_token`; keep the word as written in ``t.surface_raw``.

    ``Bücher`` -> ``bucher``, ``Straße`` -> ``strasse``, ``Lehrer*innen`` -> ``lehrerinnen``.
    Offsets are left alone: they still cover the word as written. The folded form is also
    stored as ``t.surface`` (what :func:`analyzers.analyze` shows).
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = _FOLD_CACHE
        for t in tokens:
            raw = t.text
            folded = cache.get(raw)
            if folded is None:
                folded = fold_cached(raw)
            t.surface_raw = raw
            t.text = t.surface = folded
            yield t


class ExactFormFilter(Filter):
    """In index mode, emit beside each word its exact form: ``EXACT_PREFIX`` + folded word.

    ``Häuser`` gives ``=hauser`` at the word's position, so ``=Häuser`` finds that form only
    and ``Häus*`` can expand over unstemmed forms. Query mode passes tokens through.
    """

    def __init__(self, prefix: str = "=") -> None:
        """:param prefix: the marker that keeps exact forms apart from stems."""
        if not prefix:
            raise ValueError("the exact-form prefix must not be empty")
        self.prefix = prefix

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        prefix = self.prefix
        for t in tokens:
            if t.mode != "index":
                yield t
                continue
            word = t.text
            yield t
            t.text = prefix + word
            t.kind = "exact"
            yield t
            t.text = word
            t.kind = "word"


class FoldFilter(Filter):
    """Fold each token with :func:`normalize_word` (names, sources, sections, URLs)."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = normalize_word(t.text)
            yield t
