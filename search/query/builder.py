"""From the query tree to Whoosh queries, through the same analysis as the index.

Each word goes through its field's analyser in ``mode="query"``: a compound (a word with
``kind="part"`` tokens) becomes ``Or(Term(word), And(Term(part), …))`` so that "Gaspreise" finds
"Erdgaspreis" and "der Preis für Gas" but not "Strompreise". With ``match="any"`` a word whose
match is optional (it only ranks) instead becomes ``Or(Term(word), Term(part)^0.5, …,
Term(=form)^0.2)``: a part alone earns partial credit and the form as typed a little extra
(measured on XQuAD-de in ``benchmarks/retrieval.py``); required and excluded words (``+word``,
``AND``, ``NOT``) keep the strict form. An optional word in title or text is also weighted by
how common it is in German at large (:func:`common_word_weight`): questions typed as queries
carry frame words (``Wie viele``, ``Welche Art von``, ``Wie heißt``, ``In welchem Jahr``) that
are not stop words but are rarely what the question is about. Unfielded words search title and
text, one ``Or`` over the two fields per word. Exact forms (``=Häuser``) and wildcards use the
index's exact-form terms (``EXACT_PREFIX`` + normalised word). Phrases are built from the
analysed tokens' positions, so a stop word inside a phrase leaves the same gap as in the index:
``Phrase`` when the words stand in a row, nested ``SpanNear`` pairs with the exact gaps when not.
``NEAR/N`` is an unordered ``SpanNear2`` (positions at most N apart) per field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.query import spans

from analyzers import EXACT_PREFIX, normalize_word
from analyzers.boundaries import PARAGRAPH, SENTENCE
from analyzers.lemmas import forms_of
from analyzers.lexicon import zipf
from analyzers.spelling import SPELLING_PREFIX, spelling, spelling_term
from analyzers.stemming import LEXICAL_PART_PREFIX
from search.errors import QuerySyntaxError
from search.query.matchers import (
    AndNotQuery,
    ColumnDateRange,
    NearQuery,
    SameUnitQuery,
    UnionSpans,
    WindowQuery,
    WordForms,
)
from search.query.nodes import (
    All,
    Any,
    DateCond,
    Maybe,
    Near,
    Node,
    Not,
    Phrase,
    Word,
    is_gender_form,
    make_all,
    make_any,
)
from search.schema import TEXT_FIELDS

DATE_FIELD = "date"
#: Boost of a compound's part in an optional (ranking) word under ``match="any"``: a document
#: with only ``Preis`` gets partial credit for ``Gaspreise``.
PART_BOOST = 0.5
#: Boost of the exact form as typed (``=gaspreise``) in an optional word under ``match="any"``:
#: same-form matches rank a little higher than other inflections.
EXACT_BOOST = 0.2
#: Weight of a word's match as a part of a lexicalised compound (``Wasser`` in
#: *Wasserstoff*, ``^wass``): a lexicalised compound is about something else.
LEXICAL_PART_BOOST = 0.5
#: :func:`common_word_weight`: words up to this Zipf frequency (about 3 per million words:
#: ``Hugenotten``, ``Touchdown``) keep their full weight ...
COMMON_ZIPF = 3.5
#: ... and each Zipf point above it costs this much: ``Art`` (5.5) and ``viele`` (5.8) weigh
#: about 0.6, ``Parlament`` (4.6) 0.75. Chosen on half of XQuAD-de's questions and confirmed
#: on the other half (``benchmarks/exp_analysis.py``); a steeper slope (1.0) loses.
COMMON_SLOPE = 0.3
#: Boost of the spelling as typed (``~schoen`` for ``schön``, :mod:`analyzers.spelling`) beside
#: a word's stem: an article that writes *schön* (or *schoen*) ranks above one that only
#: matches after folding (*schon*); matching stays folded.
SPELLING_BOOST = 1.0
#: Boost of the word standing as a word of its own (any inflection: :class:`WordForms`) beside
#: its index term, which also matches it as a compound part: for ``Gas``, an article that says
#: *Gas* ranks above one with only *Treibhausgasemissionen* or *Gastronomen*. Strict words only
#: (``match="all"``, ``+word``); ``match="any"`` ranks parts with :data:`PART_BOOST` instead.
WORD_BOOST = 1.0
#: The parts of a query compound must stand within this many positions of each other, the
#: head (last part) first, or inside one other compound (same position): the split form of a
#: compound is a short phrase (*der Preis für Gas*, *Preise für Erdgas*), while parts
#: scattered over an article (*Hochspannungsleitungen* … *Wasserkraft* for ``Hochwasser``)
#: or side by side (*teure Gaskraftwerke den Preis*) are another topic.
COMPOUND_WINDOW = 4
_GENDER_JOINER = re.compile(r"[*:_/]-?")


class SpanOrQuery(UnionSpans):
    """:class:`whoosh.query.spans.SpanOr` that lists its children, so tree walkers see them,
    and keeps their spans apart (:class:`~search.query.matchers.UnionSpans`)."""


class SpanGap(spans.SpanNear):
    """*b* starts between ``mindist`` and ``slop`` positions after *a* ends (ordered).

    Used for phrases whose words do not stand in a row (a stop word between them).
    """

    def __init__(self, a: wq.Query, b: wq.Query, slop: int, mindist: int) -> None:
        super().__init__(a, b, slop=slop, ordered=True, mindist=mindist)

    def children(self) -> Iterator[wq.Query]:
        return iter((self.a, self.b))

    def estimate_size(self, ixreader) -> int:  # noqa: ANN001 - whoosh's signature
        return self.q.estimate_size(ixreader)

    def estimate_min_size(self, ixreader) -> int:  # noqa: ANN001 - whoosh's signature
        return self.q.estimate_min_size(ixreader)

    def apply(self, fn):  # noqa: ANN001 - whoosh's signature
        return self.__class__(fn(self.a), fn(self.b), self.slop, self.mindist)


@dataclass(frozen=True)
class Analysed:
    """The analysed tokens of a leaf: per position, its word forms and compound parts."""

    positions: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...]
    #: Phrase mode: each position's exact form (``=ging``), the seed of its word forms.
    exact: tuple[tuple[int, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.positions)


class Builder:
    """Analyses leaves (with a cache) and builds Whoosh queries from a query tree."""

    def __init__(self, schema: Schema, match: Literal["all", "any"] = "all") -> None:
        """:param schema: the index schema whose analysers are used.
        :param match: the query's match mode; with "any", optional words rank with compound
            parts at :data:`PART_BOOST` and the typed form at :data:`EXACT_BOOST`.
        """
        self.schema = schema
        self.match = match
        self.cache: dict[tuple[str, str, str], Analysed] = {}
        self.stems: dict[str, str | None] = {}
        self.notes: list[str] = []

    # -- analysis --------------------------------------------------------------------
    def analyse(self, fieldname: str, text: str, mode: str) -> Analysed:
        key = (fieldname, text, mode)
        if key not in self.cache:
            analyzer = self.schema[fieldname].analyzer
            by_pos: dict[int, tuple[list[str], list[str]]] = {}
            stops: dict[int, str] = {}
            spelt: dict[int, str] = {}
            index_mode = mode in ("exact", "spelt", "phrase", "spelling")
            for tok in analyzer(text, mode="index" if index_mode else "query", positions=True):
                kind = getattr(tok, "kind", "word")
                words, parts = by_pos.setdefault(tok.pos, ([], []))
                if mode in ("exact", "spelt"):
                    if kind == "exact" or not _has_exact_forms(fieldname):
                        words.append(tok.text)
                    elif kind == "spelling":  # =schön: the spelling, not =schon
                        spelt[tok.pos] = tok.text
                elif kind == "part":
                    parts.append(tok.text)
                elif kind == "spelling":
                    spelt.setdefault(tok.pos, tok.text)
                elif kind == "exact":
                    stops.setdefault(tok.pos, tok.text)
                elif kind != "boundary":
                    words.append(tok.text)
            if mode == "phrase":  # a stop word's slot is that stop word (its exact form)
                for pos, form in stops.items():
                    if not any(by_pos[pos]):
                        by_pos[pos][0].append(form)
            if mode == "spelt":  # the exact form as typed: =schön is ~schoen, not =schon
                for pos, form in spelt.items():
                    by_pos[pos] = ([form], [])
            if mode == "spelling":
                by_pos = {pos: ([form], []) for pos, form in spelt.items()}
            self.cache[key] = Analysed(
                tuple((p, tuple(w), tuple(s)) for p, (w, s) in sorted(by_pos.items()) if w or s),
                tuple(sorted(stops.items())) if mode == "phrase" else (),
            )
        return self.cache[key]

    def spellings(self, fieldname: str, text: str) -> list[str]:
        """The spelling terms of *text* as typed (``~schoen``); none for *schon*."""
        if not _has_exact_forms(fieldname):
            return []
        return [w for _, ws, _ in self.analyse(fieldname, text, "spelling").positions for w in ws]

    def fields(self, fieldname: str | None) -> tuple[str, ...]:
        return (fieldname,) if fieldname else TEXT_FIELDS

    def leaf_analysis(self, node: Word | Phrase, fieldname: str) -> Analysed:
        if isinstance(node, Word) and node.exact:
            return self.analyse(fieldname, node.text, "spelt")
        if isinstance(node, Phrase):
            return self.analyse(fieldname, node.text, "phrase")
        if is_gender_form(node.text):  # Lehrer/-innen: the word, not a hyphenated compound
            return self.analyse(fieldname, _GENDER_JOINER.sub("", node.text), "query")
        return self.analyse(fieldname, node.text, "query")

    # -- resolution: drop what analyses to nothing -------------------------------------
    def resolve(self, node: Node) -> Node | None:
        """*node* without the words that analyse to no tokens (stop words), simplified."""
        if isinstance(node, Word | Phrase):
            if isinstance(node, Word) and _question_mark(node.text):
                node = dataclasses.replace(node, text=node.text.rstrip("?"))
            if isinstance(node, Word) and node.wildcard:
                self.wildcard_pattern(node)  # raises for a pattern without letters
                return node
            if any(self.leaf_analysis(node, f) for f in self.fields(node.field)):
                return node
            self.notes.append(f"ignored {_show(node)}: nothing searchable in it (a stop word?)")
            return None
        if isinstance(node, DateCond):
            return node
        if isinstance(node, Not):
            child = self.resolve(node.child)
            return Not(child) if child is not None else None
        if isinstance(node, All):
            return make_all([c for c in map(self.resolve, node.children) if c is not None])
        if isinstance(node, Any):
            return make_any([c for c in map(self.resolve, node.children) if c is not None])
        if isinstance(node, Maybe):
            required, optional = self.resolve(node.required), self.resolve(node.optional)
            if required is None or optional is None:
                return required or optional
            return Maybe(required, optional)
        if isinstance(node, Near):
            operands = [c for c in map(self.resolve, node.operands) if c is not None]
            if len(operands) < 2:
                return operands[0] if operands else None
            return Near(tuple(operands), node.distance)
        raise TypeError(f"not a query node: {node!r}")

    def stop_words_as_exact(self, node: Node) -> Node | None:
        """*node* resolved with every plain word searched as its exact form.

        For a query of stop words only (``Wer ist das``, ``=Uber``): nothing would be left of
        it otherwise, and a headline sent as a query should find the articles that say it.
        """
        return self.resolve(_exact_words(node))

    # -- building --------------------------------------------------------------------
    def build(self, node: Node, optional: bool | None = None) -> wq.Query:
        """The Whoosh query for a resolved *node*.

        *optional* says whether a match of *node* only ranks (default: the whole query under
        ``match="any"``); it decides how compounds are built (see the module docstring).
        """
        if optional is None:
            optional = self.match == "any"
        if isinstance(node, Word | Phrase):
            qs = [self.leaf(node, f, ranking=optional) for f in self.fields(node.field)]
            return _or([q for q in qs if q is not None])
        if isinstance(node, DateCond):
            return date_range(node.span.start, node.span.end)
        if isinstance(node, Not):
            return wq.Not(self.build(node.child, False))
        if isinstance(node, Any):
            return wq.Or([self.build(c, optional) for c in node.children])
        if isinstance(node, Maybe):
            return wq.AndMaybe(self.build(node.required, False), self.build(node.optional))
        if isinstance(node, All):
            positive = [self.build(c, False) for c in node.children if not isinstance(c, Not)]
            negative = [self.build(c.child, False) for c in node.children if isinstance(c, Not)]
            if not negative:
                return _and(positive)
            if not positive:
                return wq.Not(_or(negative))
            return AndNotQuery(_and(positive), _or(negative))
        if isinstance(node, Near):
            return self.near(node)
        raise TypeError(f"not a query node: {node!r}")

    def leaf(
        self,
        node: Word | Phrase,
        fieldname: str,
        *,
        spans_only: bool = False,
        ranking: bool = False,
    ) -> wq.Query | None:
        """The query for one word or phrase in one field (None if nothing is left of it).

        :param ranking: the word's match is optional (``match="any"``): compound parts count
            alone at :data:`PART_BOOST`, the typed form adds :data:`EXACT_BOOST`.
        """
        if isinstance(node, Word) and node.wildcard:
            pattern = self.wildcard_pattern(node)
            if _has_exact_forms(fieldname):
                pattern = EXACT_PREFIX + pattern
            if pattern.endswith("*") and pattern.count("*") == 1 and "?" not in pattern:
                return wq.Prefix(fieldname, pattern[:-1])
            return wq.Wildcard(fieldname, pattern)
        if isinstance(node, Word) and node.lemma:
            return self.lemma_forms(node, fieldname, spans_only)
        analysed = self.leaf_analysis(node, fieldname)
        if not analysed:
            return None
        if isinstance(node, Word) and len(analysed.positions) == 1:
            _, words, parts = analysed.positions[0]
            if ranking and not spans_only and not node.exact:
                return self.ranked_word(node, fieldname, words, parts)
            alternatives: list[wq.Query] = [
                _or(_with_lexical(fieldname, w), spans_only) for w in words
            ]
            if parts:
                alternatives.append(_parts(fieldname, parts, spans_only))
            q = _or(alternatives, spans_only)
            if not spans_only and not node.exact:
                q = self.spelling_first(q, fieldname, node.text, words)
                if words and _has_exact_forms(fieldname) and WORD_BOOST:
                    form = normalize_word(node.text)
                    whole = WordForms(
                        fieldname,
                        words[0],
                        EXACT_PREFIX,
                        self.stem_of,
                        seeds=(form, *forms_of(form)),
                        boost=WORD_BOOST,
                        positions=False,
                    )
                    q = wq.AndMaybe(q, whole)
            return q
        if isinstance(node, Phrase):
            q = self.strict_phrase(fieldname, analysed, node.slop or 0)
            spelt = [] if spans_only else self.spellings(fieldname, node.text)
            if spelt:  # the phrase as typed ranks first; the match stays the folded phrase
                q = wq.AndMaybe(
                    q, _or([wq.Term(fieldname, sp, boost=SPELLING_BOOST) for sp in spelt])
                )
            return q
        return phrase(fieldname, analysed, 0)

    def strict_phrase(self, fieldname: str, analysed: Analysed, slop: int) -> wq.Query:
        """A phrase whose content words match word forms with their stem (not compound
        parts, see :class:`WordForms`) and whose stop words match themselves (``=fur``)."""
        slots: list[tuple[int, wq.Query]] = []
        exact = dict(analysed.exact)
        for pos, words, parts in analysed.positions:
            term = words[0] if words else parts[0]
            if term.startswith(EXACT_PREFIX) or not _has_exact_forms(fieldname):
                slots.append((pos, wq.Term(fieldname, term)))
            else:
                form = exact.get(pos, "").removeprefix(EXACT_PREFIX)
                seeds = (form, *forms_of(form)) if form else ()
                slots.append(
                    (pos, WordForms(fieldname, term, EXACT_PREFIX, self.stem_of, seeds=seeds))
                )
        if len(slots) == 1:
            return slots[0][1]
        gaps = [b[0] - a[0] for a, b in itertools.pairwise(slots)]
        if all(g == 1 for g in gaps):
            return spans.SpanNear2([q for _, q in slots], slop=1 + slop, ordered=True, mindist=1)
        q = slots[0][1]
        for gap, (_, nxt) in zip(gaps, slots[1:], strict=True):
            q = SpanGap(q, nxt, slop=gap + slop, mindist=gap)
        return q

    def stem_of(self, folded: str) -> str | None:
        """The stem the index gives the (folded, unstemmed) word *folded* (cached)."""
        if folded not in self.stems:
            analyzer = self.schema["text"].analyzer
            if hasattr(analyzer, "word_stem"):  # the German chain, without decompounding
                self.stems[folded] = analyzer.word_stem(folded)
            else:
                tokens = analyzer(folded, mode="query")
                self.stems[folded] = next((t.text for t in tokens if t.kind == "word"), None)
        return self.stems[folded]

    def ranked_word(
        self, node: Word, fieldname: str, words: tuple[str, ...], parts: tuple[str, ...]
    ) -> wq.Query:
        """An optional word: ``Or(word, part^0.5, ..., =form^0.2)``, all scaled by how rare
        the word is in German (:func:`common_word_weight`; title and text only)."""
        forms: list[str] = []
        weight = 1.0
        if _has_exact_forms(fieldname):
            exact = self.analyse(fieldname, node.text, "exact").positions
            forms = [e for _, fs, _ in exact for e in fs]
            if forms:
                weight = common_word_weight(forms[0][len(EXACT_PREFIX) :])
        alternatives = [t for w in words for t in _with_lexical(fieldname, w, weight)]
        alternatives.extend(
            t
            for p in dict.fromkeys(parts)
            for t in _with_lexical(fieldname, p, PART_BOOST * weight)
        )
        if EXACT_BOOST:
            alternatives.extend(wq.Term(fieldname, e, boost=EXACT_BOOST * weight) for e in forms)
        return self.spelling_first(_or(alternatives), fieldname, node.text, words, weight)

    def spelling_first(
        self,
        q: wq.Query,
        fieldname: str,
        typed: str,
        stems: tuple[str, ...],
        weight: float = 1.0,
    ) -> wq.Query:
        """*q*, ranked higher where the word is spelt as typed (umlaut or ae/oe/ue).

        ``AndMaybe(q, Prefix(~schoen))`` for ``schön``: the typed word cut to its stem, in its
        spelling (:mod:`analyzers.spelling`), as a prefix of spelling terms, so *schöner* and
        *schoene* count and *schon* does not; the match set stays *q*'s.
        """
        if not _has_exact_forms(fieldname) or not stems or spelling_term(typed) is None:
            return q
        stem = stems[0]
        cut = next(
            (typed[:k] for k in range(1, len(typed) + 1) if normalize_word(typed[:k]) == stem),
            typed,
        )
        prefix = SPELLING_PREFIX + spelling(cut)
        return wq.AndMaybe(q, wq.Prefix(fieldname, prefix, boost=SPELLING_BOOST * weight))

    def lemma_forms(self, node: Word, fieldname: str, spans_only: bool) -> wq.Query:
        """``&Wort``: any exact form of the word's lemma (``&gehen``: ging, gegangen, geht ...).

        Forms come from :func:`analyzers.lemmas.forms_of`; a word it does not know stands
        for its own exact form.
        """
        forms = forms_of(node.text) or [normalize_word(node.text)]
        prefix = EXACT_PREFIX if _has_exact_forms(fieldname) else ""  # keyword fields: folded
        return _or([wq.Term(fieldname, prefix + f) for f in forms], spans_only)

    def wildcard_pattern(self, node: Word) -> str:
        pattern = normalize_word(node.text)
        if not any(ch.isalnum() for ch in pattern):
            raise QuerySyntaxError(
                f"the wildcard '{node.text}' needs at least one letter or digit", node.start
            )
        return pattern

    def near(self, node: Near) -> wq.Query:
        fieldnames = {
            leaf.field for leaf in _leaves(node) if not isinstance(leaf, DateCond) and leaf.field
        }
        if len(fieldnames) > 1:
            names = " and ".join(sorted(fieldnames))
            raise QuerySyntaxError(f"NEAR needs both sides in one field, not {names}", _start(node))
        fields = tuple(fieldnames) if fieldnames else TEXT_FIELDS
        return _or([self.span(node, f) for f in fields])

    def span(self, node: Node, fieldname: str) -> wq.Query:
        """A position-aware query for *node* in one field (an operand of ``NEAR``)."""
        if isinstance(node, Word | Phrase):
            q = self.leaf(node, fieldname, spans_only=True)
            return q if q is not None else wq.NullQuery
        if isinstance(node, Any):
            return SpanOrQuery([self.span(c, fieldname) for c in node.children])
        if isinstance(node, Near):
            operands = [self.span(c, fieldname) for c in node.operands]
            if isinstance(node.distance, str):  # NEAR/s, NEAR/p
                unit = SENTENCE if node.distance == "s" else PARAGRAPH
                return SameUnitQuery(operands, wq.Term(fieldname, unit))
            return NearQuery(operands, node.distance)
        raise QuerySyntaxError(
            "NEAR works between words, phrases and OR groups, not dates, AND or NOT",
            _start(node),
        )


def common_word_weight(folded: str) -> float:
    """The weight of an optional query word: 1 for rare words, less the more common it is.

    ``1 / (1 + COMMON_SLOPE * max(0, zipf - COMMON_ZIPF))`` with the word's Zipf frequency in
    German at large (:func:`analyzers.lexicon.zipf`; unknown words count as rare). The index's
    idf says how common a word is in the collection; this adds what a small or one-topic
    collection cannot know, that ``Art``, ``viele`` or ``Jahr`` are common everywhere.

    :param folded: the word as folded by :func:`analyzers.normalize_word`.
    """
    return zipf_weight(zipf(folded))


def zipf_weight(z: float) -> float:
    """:func:`common_word_weight` for a Zipf frequency *z*: 1 up to :data:`COMMON_ZIPF`."""
    return 1.0 / (1.0 + COMMON_SLOPE * max(0.0, z - COMMON_ZIPF))


def _question_mark(text: str) -> bool:
    """``Oberbürgermeister?``: a ``?`` only at the end of a word ends a question.

    A wildcard ``?`` stands inside a word (``Me?er``) or beside another wildcard (``Me??``);
    a question typed as a query ("Wer regiert Kasachstan?") would otherwise turn its last,
    often most telling, word into an unstemmed pattern.
    """
    stem = text.rstrip("?")
    return (
        stem != text
        and text.count("?") == 1
        and "*" not in stem
        and any(ch.isalnum() for ch in stem)
    )


def _has_exact_forms(fieldname: str) -> bool:
    """Title and text carry ``=form`` terms; the keyword fields are unstemmed anyway."""
    return fieldname in TEXT_FIELDS


def _or(qs: list[wq.Query], spans_only: bool = False) -> wq.Query:
    if len(qs) == 1:
        return qs[0]
    return SpanOrQuery(qs) if spans_only else wq.Or(qs)


#: Children per ``And``: more are nested in groups, so the matcher tree Whoosh builds for an
#: ``And`` (``make_weighted_tree``, sorted by size, so nearly a chain) stays shallow; 1,000
#: words in one ``And`` raised RecursionError in its ``is_active``.
AND_FANOUT = 16


def _and(qs: list[wq.Query]) -> wq.Query:
    if len(qs) == 1:
        return qs[0]
    while len(qs) > AND_FANOUT:
        qs = [
            qs[i] if len(qs[i : i + AND_FANOUT]) == 1 else wq.And(qs[i : i + AND_FANOUT])
            for i in range(0, len(qs), AND_FANOUT)
        ]
    return qs[0] if len(qs) == 1 else wq.And(qs)


def _with_lexical(fieldname: str, text: str, boost: float = 1.0) -> list[wq.Query]:
    """The term, and in title/text the same term as a part of a lexicalised compound
    (``^wass`` in *Wasserstoff*) at :data:`LEXICAL_PART_BOOST` of its weight."""
    terms = [wq.Term(fieldname, text, boost=boost)]
    if _has_exact_forms(fieldname) and not text.startswith((EXACT_PREFIX, SPELLING_PREFIX)):
        prefixed = LEXICAL_PART_PREFIX + text
        terms.append(wq.Term(fieldname, prefixed, boost=boost * LEXICAL_PART_BOOST))
    return terms


def _parts(fieldname: str, parts: tuple[str, ...], spans_only: bool) -> wq.Query:
    """All parts of a compound within :data:`COMPOUND_WINDOW` positions, in any order."""
    terms = [_or(_with_lexical(fieldname, p), True) for p in dict.fromkeys(parts)]
    if len(terms) == 1:
        return terms[0]
    return WindowQuery(terms, COMPOUND_WINDOW)


def phrase(fieldname: str, analysed: Analysed, slop: int) -> wq.Query:
    """Words in order, each ``gap`` positions after the one before (+ up to *slop* more).

    The gaps are those of the query text: a stop word between two words leaves a gap of 2.
    """
    positions = [(pos, words[0] if words else parts[0]) for pos, words, parts in analysed.positions]
    if len(positions) == 1:
        return wq.Term(fieldname, positions[0][1])
    gaps = [b[0] - a[0] for a, b in zip(positions, positions[1:], strict=False)]
    words = [w for _, w in positions]
    if all(g == 1 for g in gaps):
        return wq.Phrase(fieldname, words, slop=1 + slop)
    q: wq.Query = wq.Term(fieldname, words[0])
    for gap, word in zip(gaps, words[1:], strict=True):
        q = SpanGap(q, wq.Term(fieldname, word), slop=gap + slop, mindist=gap)
    return q


def date_range(start: dt.date | None, end: dt.date | None) -> wq.Query:
    """``DateRange`` over whole days; articles without a date never match it."""
    first = dt.datetime.combine(start, dt.time.min) if start else None
    last = dt.datetime.combine(end, dt.time.max) if end else None
    return ColumnDateRange(DATE_FIELD, first, last)


def _leaves(node: Node) -> Iterator[Word | Phrase | DateCond]:
    if isinstance(node, Word | Phrase | DateCond):
        yield node
    elif isinstance(node, Not):
        yield from _leaves(node.child)
    elif isinstance(node, Maybe):
        yield from _leaves(node.required)
        yield from _leaves(node.optional)
    else:
        for child in node.operands if isinstance(node, Near) else node.children:
            yield from _leaves(child)


def _exact_words(node: Node) -> Node:
    if isinstance(node, Word):
        if _question_mark(node.text):
            node = dataclasses.replace(node, text=node.text.rstrip("?"))
        return node if node.wildcard else dataclasses.replace(node, exact=True)
    if isinstance(node, Not):
        return Not(_exact_words(node.child))
    if isinstance(node, All | Any):
        return type(node)(tuple(_exact_words(c) for c in node.children))
    if isinstance(node, Maybe):
        return Maybe(_exact_words(node.required), _exact_words(node.optional))
    if isinstance(node, Near):
        return Near(tuple(_exact_words(c) for c in node.operands), node.distance)
    return node


def _start(node: Node) -> int:
    return min((leaf.start for leaf in _leaves(node)), default=0)


def _show(node: Word | Phrase) -> str:
    return f'"{node.text}"' if isinstance(node, Phrase) else f"'{node.text}'"
