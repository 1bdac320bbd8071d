"""Decompounding: split German compounds against a frequency lexicon (Koehn & Knight 2003).

The pure function :func:`split_spans` works on a folded word and returns the parts as spans;
:class:`DecompoundFilter` wraps it for the analysis chain and gives every part its own
character offsets in the text. ``Gaspreisdeckel`` -> ``gas``, ``preis``, ``deckel``.

How a split is chosen (Koehn & Knight, "Empirical Methods for Compound Splitting", EACL 2003):

* every segmentation of the word into lexicon words of at least :data:`MIN_PART_SIZE` letters,
  optionally joined by a linking element (:data:`LINKING_ELEMENTS`: Fugen-s, -es, -n, -en, -e,
  -er, -ens, -nen), is a candidate; umlauted plural first parts (``Bücherregal``) need no rule
  because folding makes ``bucher`` a lexicon word;
* a candidate scores the geometric mean of its parts' frequencies (the mean of their Zipf
  values) minus :data:`PART_PENALTY` per extra part; the word itself scores its own frequency;
* the best candidate wins only if it beats the whole word by :data:`WHOLE_MARGIN`. So
  lexicalised words stay whole because they are more frequent than their pieces
  (``Verbraucher`` is not ``verb`` + ``raucher``, ``Hamburg`` not ``ham`` + ``burg``), and
  ``Gaststätte`` is ``gast`` + ``stätte`` because ``tstätte`` is no word;
* derivational suffixes (``-schaft``, ``-heit``, ``-ung`` ...), feminine ``-in``/``-innen``
  and function words (``aus``, ``unter``) are never parts, so ``Mannschaft`` and
  ``Mitarbeiter`` stay whole;
* participles, inflected adjectives and names are not compounds, though their pieces are
  often lexicon entries: a lowercase word must beat its base form (:func:`whole_zipf`:
  ``abstammender`` vs ``abstammen``), verb-prefix fragments are never parts (``ange``,
  ``verb``, :data:`PREFIX_FRAGMENT`), no first part ends inside a separable prefix or its
  ``ge``/``zu`` (``zug|e|schrieben``), an ``-isch`` adjective keeps its suffix with its base
  (``prot|stan|tisch``), and adjective tails (``ester``) and ``-son`` are never heads.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from whoosh.analysis import Filter, Token

from analyzers.cache import WORDS_MAX, evict_half
from analyzers.lexicon import lexicon
from analyzers.normalize import (
    APOSTROPHES,
    GENDER_JOINERS,
    HYPHENS,
    INVISIBLE,
    normalize_with_offsets,
)
from analyzers.stemming import FEMININE, LEXICAL_PART_PREFIX
from analyzers.stopwords import STOP_WORDS

#: Words shorter than this (folded) are never split.
MIN_WORD_SIZE = 6
#: Words longer than this are never split: the longest German compounds in use have about
#: 60 letters, and the split's recursion depth must not grow with the input (a 5000-letter
#: "word" would exceed Python's recursion limit).
MAX_WORD_SIZE = 80
#: Parts shorter than this are never split off (``Gas``, ``Eis``, ``Aal`` are three letters).
MIN_PART_SIZE = 3
#: Longest lexicon part considered.
MAX_PART_SIZE = 24
#: A part must be at least this frequent (Zipf) to count as a word: the lexicon's long tail
#: is full of fragments.
MIN_PART_ZIPF = 1.5
#: Parts of this length must be listed in ``data/short_parts.txt`` (``gas``, ``eis``, ``tag``).
SHORT_PART_SIZE = 3
#: Score penalty per part beyond the first, in Zipf units.
PART_PENALTY = 0.25
#: How much a split must beat the whole word's own Zipf frequency.
WHOLE_MARGIN = 0.0
#: The same margin for splitting a part of a compound further (``erdgas`` in
#: ``Erdgaspreis``): negative, so a part splits even when it is somewhat more frequent than
#: its pieces. A word on its own keeps :data:`WHOLE_MARGIN` (``Erdgas`` stays whole).
NESTED_MARGIN = -0.3
#: Parts of parts must be common words (Zipf): the lexicon's rarer entries are often
#: fragments (``beat`` + ``mung``, ``aufs`` + ``trich``), and a whole part was already found.
NESTED_MIN_PART_ZIPF = 3.0
#: Linking elements (Fugenelemente) allowed between two parts, longest first.
LINKING_ELEMENTS = ("nen", "ens", "es", "en", "er", "s", "n", "e", "")
#: Derivational suffixes and bound morphemes that are never parts of their own.
NON_PARTS = frozenset(
    """heit heiten keit keiten schaft schaften ung ungen lich liche lichen licher isch ische
    ischen chen lein ling linge nis nisse tum tums ion ionen tion tionen ismus itat erei
    ierung ierungen bare sam haft hafte ig ige igen ern eln end ende enden ter tern
    ste sten ver ent zer emp miss wider""".split()
)
#: Parts that may begin a word but never follow another part: the feminine suffix, and the
#: patronymic endings of names (``Goldensons`` is not ``gold`` + ``sons``).
NON_TAIL_PARTS = frozenset({"in", "innen", "nen", "son", "sons"})
#: Separable verb prefixes: with ``ge`` after them they begin a past participle
#: (``an|ge|wendet``), and the lexicon's ``ange``, ``einge``, ``ausge`` are fragments of those,
#: never the first part of a compound.
VERB_PREFIXES = frozenset(
    """ab an auf aus bei ein mit nach vor weg zu her hin los fort dar vorbei zuruck wieder
    heraus hervor herein heran herbei voraus voran zusammen entgegen uberein""".split()
)
#: Longest first, for :func:`_prefix_guard`.
_PREFIXES_LONGEST = sorted(VERB_PREFIXES, key=len, reverse=True)
#: An inseparable prefix with nothing but consonants after it is a fragment of a verb or
#: participle (``verb|lieb``, ``entsch|liessen``, ``unent|wickelt``), never a part.
PREFIX_FRAGMENT = re.compile(r"(?:un)?(?:ver|ent|emp|zer)[^aeiouy]*")
#: An adjective in ``-isch`` and its inflections (``protestantische``).
ISCH = re.compile(r"isch(?:e|er|es|en|em)?$")
#: A stem ending like a verb form (``schreibt``, ``stammt``), not a noun that ``-isch``
#: derives from (``jurist``, ``protestant``, ``diplomat``).
VERB_FORM_END = re.compile(r"[^aeiousnt]t$")
#: Adjective and participle tails that look like words (``ester``: ``alt|ester``).
NON_HEAD_TAILS = frozenset("ester esten este ster ender endem endes igem eren erer".split())
#: Inflection endings stripped to find a word's base form (:func:`whole_zipf`), longest first.
INFLECTIONS = ("er", "es", "en", "em", "e", "s", "n")
#: How frequent the stem of an ``-isch`` word must be to count as its base.
DERIVATION_BASE_ZIPF = 2.5
#: Most segmentations examined per word (a guard against pathological inputs).
MAX_CANDIDATES = 2000


SHORT_PARTS_PATH = Path(__file__).with_name("data") / "short_parts.txt"


@functools.cache
def short_parts() -> frozenset[str]:
    """Three-letter words allowed as parts (``data/short_parts.txt``)."""
    text = SHORT_PARTS_PATH.read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(w for line in lines for w in line.split() if len(w) == SHORT_PART_SIZE)


def whole_zipf(word: str, lex: dict[str, float], inflected: bool = True) -> float:
    """Zipf of a word as the whole to beat: the most frequent of its inflected base forms.

    An inflected adjective or participle is rarer than its base, and its pieces often happen
    to be lexicon entries (``abstammender``: ``abst`` + ``amme`` + ``nder``), so the split
    must beat the base: ``abstammende`` / ``abstammend`` / the infinitive ``abstammen``
    (present participle ``-end`` + ending), ``angewendete`` / ``angewendet``.

    :param inflected: strip every ending; when false (a capitalised word, most likely a
        noun, whose inflected compound forms should split like their base:
        ``Innenministers``), only ``-er`` of place adjectives (``Salzburger``).
    """
    best = lex.get(word, 0.0)
    for ending in INFLECTIONS if inflected else ("er",):
        if not word.endswith(ending) or len(word) - len(ending) < MIN_WORD_SIZE - 1:
            continue
        base = word[: -len(ending)]
        best = max(best, lex.get(base, 0.0))
        if base.endswith("end"):  # present participle: abstammend -> abstammen
            best = max(best, lex.get(base[:-1], 0.0))
    if word.endswith("end"):
        best = max(best, lex.get(word[:-1], 0.0))
    return best


def _is_part(word: str, lex: dict[str, float]) -> float:
    """Zipf of ``word`` when it may be a compound part, else 0."""
    if word in NON_PARTS or word in STOP_WORDS:
        return 0.0
    if word.endswith("ge") and word[:-2] in VERB_PREFIXES:
        return 0.0
    if word in NON_HEAD_TAILS or PREFIX_FRAGMENT.fullmatch(word):
        return 0.0
    if len(word) == SHORT_PART_SIZE and word not in short_parts():
        return 0.0
    z = lex.get(word, 0.0)
    return z if z >= MIN_PART_ZIPF else 0.0


def _verb_form(part: str) -> bool:
    """A finite verb form is no compound's head: ``stinkt`` (of *stinken*) in *Urinstinkt*,
    which is ur + instinkt. A form that is a noun too keeps its own lemma (``Haft``)."""
    if part[-1] != "t":
        return False
    from analyzers.lemmas import lemma_of

    lemma = lemma_of(part)
    return lemma is not None and lemma.endswith("en") and not lemma.startswith(part)


#: Vowels, for :func:`_plain_back_vowel`.
_VOWELS = frozenset("aeiouy")
#: Back vowels that an umlaut plural (Bücher, Häuser, Dörfer) umlauts.
_UMLAUTING = frozenset({"a", "o", "u", "au"})


def _plain_back_vowel(word: str, i: int, j: int, plain: frozenset[int]) -> bool:
    """Whether the last vowel of ``word[i:j]`` is *a*, *o*, *u* or *au* written without an
    umlaut (its positions are in ``plain``): ``buch`` in *Frühbucherpreis*, not in
    *Bücherregal* nor *Buecherregal*."""
    k = j - 1
    while k >= i and word[k] not in _VOWELS:
        k -= 1
    end = k + 1
    while k >= i and word[k] in _VOWELS:
        k -= 1
    return (
        end > k + 1
        and word[k + 1 : end] in _UMLAUTING
        and all(p in plain for p in range(k + 1, end))
    )


#: How much more frequent (Zipf, in wordfreq's unfolded German list) the umlaut spelling of
#: a plain ``-er`` part must be for the part to count as a false friend of it.
UMLAUT_SPELLING_MARGIN = 0.75
_UMLAUT = {"a": "ä", "o": "ö", "u": "ü", "au": "äu"}


def _false_umlaut_plural(word: str, i: int, j: int, plain: frozenset[int]) -> bool:
    """A part that folds like an umlaut plural but is written without the umlaut, when the
    umlaut spelling is clearly the commoner word: *bucher* in *Frühbucher* is no *Bücher*,
    *Hauser* no *Häuser*; *Maler* (no *Mäler*) and *Alter* stay parts."""
    if not plain or word[j - 2 : j] != "er" or j - i < MIN_PART_SIZE + 2:
        return False
    if not _plain_back_vowel(word, i, j - 2, plain):
        return False
    part = word[i:j]
    k = len(part) - 3
    while part[k] not in _VOWELS:
        k -= 1
    start = k - 1 if part[k - 1 : k + 1] == "au" else k
    umlauted = part[:start] + _UMLAUT[part[start : k + 1]] + part[k + 1 :]
    return _unfolded_zipf(umlauted) >= _unfolded_zipf(part) + UMLAUT_SPELLING_MARGIN


@functools.lru_cache(maxsize=4096)
def _unfolded_zipf(word: str) -> float:
    """wordfreq's Zipf of a German word as spelt (umlauts kept apart, unlike the lexicon)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "de")


def _prefix_guard(word: str) -> tuple[int, int, int]:
    """Where a particle verb form forbids a first part to end: ``(least end, lo, hi)``.

    A word that begins with a separable prefix (``wieder``, ``zuruck``, ``an``) is often a
    particle verb, participle or infinitive: the first part may not end inside the prefix
    (``wied|er|hergestellt``), nor in ``lo..hi`` just after it when ``ge`` or an infinitive's
    ``zu`` follows (``zug|e|schrieben``, ``auszug|eben``, ``hing|richtet``).
    """
    for prefix in _PREFIXES_LONGEST:
        if word.startswith(prefix):
            k = len(prefix)
            infix = word.startswith("ge", k) or (word.startswith("zu", k) and word[-1] == "n")
            return (k, k + 1, k + 3) if infix else (k, 0, -1)
    return (0, 0, -1)


def _isch_guard(word: str, lex: dict[str, float]) -> int:
    """The latest start of the last part of an ``-isch`` adjective, or the word's length.

    ``protestantisch`` derives from ``protestant``: a last part must keep the suffix with
    four letters of its stem (so not ``prot|stan|tisch``), while ``Verhandlungstisch``, with
    no word ``verhandlungst``, may still end in ``tisch``; nor may ``Schreibtisch``, whose
    ``schreibt`` is a verb form.
    """
    m = ISCH.search(word)
    if m is None:
        return len(word)
    stem = word[: m.start()]
    if len(stem) < 5 or VERB_FORM_END.search(stem):  # schreibt|isch: Schreib|tisch
        return len(word)
    if max(lex.get(stem + e, 0.0) for e in ("", "en", "er")) >= DERIVATION_BASE_ZIPF:
        return m.start() - 4
    return len(word)


def split_spans(
    word: str,
    margin: float = WHOLE_MARGIN,
    min_zipf: float = MIN_PART_ZIPF,
    inflected: bool = True,
    plain: frozenset[int] = frozenset(),
) -> list[tuple[int, int]]:
    """Split a folded word into parts, returned as ``(start, end)`` spans of ``word``.

    Linking elements lie between the spans; a word that is no compound comes back as the
    single span ``[(0, len(word))]``.

    :param word: a folded word (see :func:`~analyzers.normalize.normalize_word`).
    :param margin: how much (Zipf) the best split must beat the whole word by.
    :param min_zipf: the least Zipf frequency of a part.
    :param inflected: whether the word may be an inflected adjective or verb form (see
        :func:`whole_zipf`); false for capitalised words.
    :param plain: positions of ``a``/``o``/``u`` that the word as written has without an
        umlaut. A linking ``-er`` is the umlaut plural's (*Bücher|regal*, *Häuser|reihe*), so
        it may not follow such a vowel (*Frühbucherpreis* is no *Früh|buch|er|preis*), nor is
        a part written so that folds like an umlaut plural (:func:`_false_umlaut_plural`).
        Empty (the default): no such rule.
    """
    n = len(word)
    if n < MIN_WORD_SIZE or n > MAX_WORD_SIZE or not word.isalpha():
        return [(0, n)]
    fem = FEMININE.match(word)
    if fem:  # Bundeskanzlerin: split the masculine base, the last part keeps the suffix
        spans = split_spans(fem.group(1), margin, min_zipf, inflected, plain)
        return [*spans[:-1], (spans[-1][0], n)] if len(spans) > 1 else [(0, n)]
    lex = lexicon()
    least_end, lo, hi = _prefix_guard(word)
    last_start = _isch_guard(word, lex)
    # All segmentations of word[i:], as lists of (start, end, zipf); memoised per start.
    memo: dict[int, list[list[tuple[int, int, float]]]] = {}
    budget = [MAX_CANDIDATES]

    def tails(i: int) -> list[list[tuple[int, int, float]]]:
        if i in memo:
            return memo[i]
        found: list[list[tuple[int, int, float]]] = []
        for j in range(i + MIN_PART_SIZE, min(n, i + MAX_PART_SIZE) + 1):
            part = word[i:j]
            z = _is_part(part, lex)
            if z < min_zipf or not z or (i and part in NON_TAIL_PARTS):
                continue
            if not i and (j < least_end or lo <= j <= hi):
                continue
            if plain and _false_umlaut_plural(word, i, j, plain):
                continue
            if j == n:
                if i > last_start or _verb_form(part):
                    continue
                found.append([(i, j, z)])
                continue
            for link in LINKING_ELEMENTS:
                k = j + len(link)
                if n - k < MIN_PART_SIZE or not word.startswith(link, j):
                    continue
                if link == "er" and plain and _plain_back_vowel(word, i, j, plain):
                    continue
                for rest in tails(k):
                    if budget[0] <= 0:
                        break
                    budget[0] -= 1
                    found.append([(i, j, z), *rest])
        memo[i] = found
        return found

    best: list[tuple[int, int, float]] | None = None
    best_score = whole_zipf(word, lex, inflected) + margin
    for cand in tails(0):
        if len(cand) < 2:
            continue
        score = sum(z for _, _, z in cand) / len(cand) - PART_PENALTY * (len(cand) - 1)
        if score > best_score:
            best, best_score = cand, score
    if best is None:
        return [(0, n)]
    return [(s, e) for s, e, _ in best]


def nested_spans(word: str, plain: frozenset[int] = frozenset()) -> list[tuple[int, int, int]]:
    """The parts of a compound part, recursively: ``(start, end, depth)`` spans of ``word``.

    ``erdgas`` (a part of ``Erdgaspreis``) gives ``erd`` and ``gas`` at depth 1. Parts split
    with :data:`NESTED_MARGIN`; an empty list when ``word`` does not split.

    :param word: a folded compound part.
    :param plain: as for :func:`split_spans`.
    """
    sub = split_spans(word, NESTED_MARGIN, NESTED_MIN_PART_ZIPF, inflected=False, plain=plain)
    if len(sub) < 2:
        return []
    out: list[tuple[int, int, int]] = []
    for s, e in sub:
        out.append((s, e, 1))
        inner = _shift(plain, s, e)
        out.extend((s + a, s + b, d + 1) for a, b, d in nested_spans(word[s:e], inner))
    return out


def _shift(plain: frozenset[int], start: int, end: int) -> frozenset[int]:
    """The positions of ``plain`` inside ``[start, end)``, counted from ``start``."""
    return frozenset(p - start for p in plain if start <= p < end) if plain else plain


def split_compound(word: str) -> list[str]:
    """The surface parts of a compound, folded, linking elements dropped.

    ``split_compound("Gaspreisdeckel") == ["gas", "preis", "deckel"]``; a word that is no
    compound comes back whole: ``split_compound("Verbraucher") == ["verbraucher"]``.
    Hyphens split too: ``split_compound("Corona-Krise") == ["corona", "krise"]``.

    :param word: one word as written.
    """
    return [p[0] for p in word_parts(word) if not p[4]] or [fold_plain(word)]


def fold_plain(word: str) -> str:
    """The folded word as the decompounder sees it (gender joiners removed)."""
    return normalize_with_offsets(word)[0].translate(_DROP_GENDER)


_DROP_GENDER = str.maketrans("", "", GENDER_JOINERS)
_BOUNDARY = frozenset(HYPHENS)
_TRIM = HYPHENS + APOSTROPHES + INVISIBLE + GENDER_JOINERS

#: One compound part: folded part (what is stemmed), its start and end in the word as written
#: (the last part of a word reaches the word's end), the folded text of that span, its
#: depth (0 for the word's own parts, 1 for a part of a part ...), and whether it is weak
#: evidence for its word: a part of a lexicalised compound (:func:`lexicalised`), or an
#: inner part of a compound of three or more (*gas* in *Treibhausgasemissionen*).
Part = tuple[str, int, int, str, int, bool]

#: A compound at least this frequent as a word of its own (Zipf, about 3 per million words)
#: is lexicalised: *Wasserstoff*, *Hochwasser*, *Sauerstoff* name a thing of their own, so
#: their parts are weaker evidence for the part's word than the word itself.
LEXICALISED_ZIPF = 3.5


def lexicalised(word: str) -> bool:
    """Whether a folded compound (or compound part) is common as a word of its own."""
    lex = lexicon()
    best = lex.get(word, 0.0)
    for ending in INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_WORD_SIZE:
            best = max(best, lex.get(word[: -len(ending)], 0.0))
    return best >= LEXICALISED_ZIPF


def word_parts(raw: str) -> list[Part]:
    """The parts of one word as written; an empty list when it is no compound.

    Hyphens split first (``Corona-Krise``), then each piece against the lexicon; each part is
    followed by its own parts (:func:`nested_spans`), which may overlap it.
    """
    norm, offs = normalize_with_offsets(raw)
    keep = [k for k, ch in enumerate(norm) if ch not in GENDER_JOINERS]
    if len(keep) != len(norm):
        norm = "".join(norm[k] for k in keep)
        offs = [offs[k] for k in keep] + [len(raw)]
    n = len(norm)
    if n == 0:
        return []
    # Pieces between hyphens, in folded coordinates.
    pieces: list[tuple[int, int]] = []
    start = 0
    for k in range(1, n):
        if any(ch in _BOUNDARY for ch in raw[offs[k - 1] : offs[k]]):
            pieces.append((start, k))
            start = k
    pieces.append((start, n))
    plain = _plain_vowels(raw, norm, offs)
    # (part start, part end, span end, depth, lexical) in folded coords
    spans: list[tuple[int, int, int, int, bool]] = []
    for ps, pe in pieces:
        sub = split_spans(
            norm[ps:pe],
            inflected=not raw[offs[ps] : offs[ps] + 1].isupper(),
            plain=_shift(plain, ps, pe),
        )
        lex_piece = len(sub) > 1 and lexicalised(norm[ps:pe])
        for idx, (s, e) in enumerate(sub):
            end = pe if idx == len(sub) - 1 else ps + e
            # A part deep inside a long compound (gas in Treib|haus|gas|emissionen): neither
            # what the compound is (its head) nor what it starts with; weaker evidence.
            inner = 0 < idx < len(sub) - 1
            spans.append((ps + s, ps + e, end, 0, lex_piece or inner))
            nested = nested_spans(norm[ps + s : ps + e], _shift(plain, ps + s, ps + e))
            lex_part = lex_piece or inner or (bool(nested) and lexicalised(norm[ps + s : ps + e]))
            for a, b, depth in nested:
                # The last piece of a part keeps the part's span end (``preise``).
                span_end = end if ps + s + b == ps + e else ps + s + b
                spans.append((ps + s + a, ps + s + b, span_end, depth, lex_part))
    if sum(1 for sp in spans if not sp[3]) < 2:
        return []
    parts: list[Part] = []
    for s, e, span_end, depth, lexical in spans:
        start_raw = offs[s]
        end_raw = offs[span_end] if span_end < n else len(raw)
        while end_raw > start_raw + 1 and raw[end_raw - 1] in _TRIM:
            end_raw -= 1
        parts.append((norm[s:e], start_raw, end_raw, norm[s:span_end], depth, lexical))
    return parts


def _plain_vowels(raw: str, norm: str, offs: list[int]) -> frozenset[int]:
    """Folded positions of ``a``/``o``/``u`` written as such: not ``ä``/``ö``/``ü`` and not
    ``ae``/``oe``/``ue`` (whose ``e`` folding dropped)."""
    out = []
    for k, ch in enumerate(norm):
        if ch in "aou":
            src = raw[offs[k] : offs[k] + 1]
            # An "e" dropped by folding right after it: the ae/oe/ue spelling of an umlaut.
            nxt = offs[k + 1] if k + 1 < len(offs) else len(raw)
            dropped_e = raw[offs[k] + 1 : nxt + 1][:1] in ("e", "E") and nxt > offs[k] + 1
            if src in ("a", "o", "u", "A", "O", "U") and not dropped_e:
                out.append(k)
    return frozenset(out)


_PARTS_CACHE: dict[str, list[Part]] = {}
_PARTS_CACHE_MAX = WORDS_MAX


def cached_word_parts(raw: str) -> list[Part]:
    """:func:`word_parts` behind a process-wide cache keyed by the word as written."""
    parts = _PARTS_CACHE.get(raw)
    if parts is None:
        if len(_PARTS_CACHE) >= _PARTS_CACHE_MAX:
            evict_half(_PARTS_CACHE)
        parts = _PARTS_CACHE[raw] = _known_or_split(raw)
    return parts


# -- splits kept between processes -------------------------------------------------------
# A word's parts never change for a given lexicon and code, so a caller may keep them (in
# any store it likes) and hand them to later processes: :func:`seed_parts` takes a mapping
# raw word -> parts made earlier, :func:`take_new_parts` returns those made since.

#: Splits handed in by :func:`seed_parts` (unbounded: the caller bounds what it hands in).
_SEEDED: dict[str, list[Part]] = {}
#: Splits made since the last :func:`take_new_parts`; None until :func:`seed_parts`.
_MADE: dict[str, list[Part]] | None = None


def _known_or_split(raw: str) -> list[Part]:
    parts = _SEEDED.get(raw)
    if parts is None:
        parts = word_parts(raw)
        if _MADE is not None:
            _MADE[raw] = parts
    return parts


def seed_parts(known: dict[str, list[Part]]) -> None:
    """Take splits made earlier (same :func:`parts_signature`) as known, and start noting
    the splits made from now on for :func:`take_new_parts`."""
    global _MADE
    _SEEDED.update(known)
    if _MADE is None:
        _MADE = {}


def take_new_parts() -> dict[str, list[Part]]:
    """The splits made since the last call (after :func:`seed_parts`), then forgotten."""
    global _MADE
    made = _MADE or {}
    if _MADE is not None:
        _MADE = {}
    return made


def parts_signature() -> str:
    """Identifies what splits depend on (this package's code and data, the wordfreq
    version): splits kept under another signature may differ and must not be reused."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(version("wordfreq").encode())
    here = Path(__file__).parent
    for path in sorted(here.glob("*.py")) + sorted((here / "data").glob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class DecompoundFilter(Filter):
    """After each compound word, emit its parts at the same position with their own offsets.

    The word token passes unchanged (so phrases still match); each part follows as
    ``kind="part"`` with ``startchar``/``endchar`` of the part inside the word: in
    ``Gaspreise`` the part ``preis`` marks ``preise``. In index mode the parts of parts
    follow too (``Erdgaspreis``: ``erdgas``, ``erd``, ``gas``, ``preis``), so the query
    ``Gaspreis`` (``gas`` AND ``preis``) finds it; in query mode only the word's own parts
    are emitted, because a query's parts are ANDed and ``Erdgaspreis`` must also find
    "Preis für Erdgas", where ``Erdgas`` stands alone and whole. Exact-form tokens pass
    through. In index mode the parts of a lexicalised compound (:func:`lexicalised`) and the
    inner parts of a compound of three or more carry :data:`LEXICAL_PART_PREFIX`
    (``Wasserstoff``: ``^wasser``, ``^stoff``; ``Treibhausgasemissionen``: ``^haus``,
    ``^gas``), so that a query can weigh them below the word itself; query mode emits plain
    parts. Morphological
    (``is_morph``), so ``no_morph=True`` skips it.
    """

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = _PARTS_CACHE
        for t in tokens:
            if t.kind != "word" or len(t.text) < MIN_WORD_SIZE:
                yield t
                continue
            raw = t.surface_raw
            parts = cache.get(raw)
            if parts is None:
                parts = cached_word_parts(raw)
            text, surface, start, end = t.text, t.surface, t.startchar, t.endchar
            yield t
            if not parts:
                continue
            t.kind = "part"
            nested = t.mode == "index"
            for part, ps, pe, part_surface, depth, lexical in parts:
                if depth and not nested:
                    continue
                t.text = LEXICAL_PART_PREFIX + part if lexical and nested else part
                t.surface = part_surface
                t.startchar = start + ps
                t.endchar = start + pe
                yield t
            t.text, t.surface, t.startchar, t.endchar, t.kind = text, surface, start, end, "word"
