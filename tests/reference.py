"""A reference evaluator of the query language: sets and position lists in plain Python.

Deliberately simple and independent of :mod:`search.query` (no parser, no builder, no
Whoosh): it takes a query as a small tree of tuples, the articles as text, analyses both
with :func:`analyzers.analyze` (the index's own analysis, so the terms are the same) and
says which article ids match. ``tests/test_reference.py`` checks ``NewsIndex.search``
against it. The semantics written down here are the ones the README promises:

* a **word** matches its stem, or — for a compound — all of its parts within a window of
  :data:`COMPOUND_WINDOW` positions, the head (last part) first (*der Preis für Gas*;
  positions of parts inside one other compound are equal, so *Erdgaspreis* counts); a word
  that analyses to nothing (a stop word) is left out of its AND/OR; if nothing is left of
  the whole query, its stop words are searched as exact words;
* ``=word``: the exact (unstemmed, folded) form, or where the word as typed has umlauts or
  ae/oe/ue its spelling (``=schön``: *schön*, *schoen*, not *schon*); a wildcard: exact forms
  matching it;
* a **phrase**: its words at consecutive positions (``~N``: up to N other words between
  neighbours), each content word by its stem (the stem of the word there, never a compound
  part), each stop word as that stop word;
* ``A NEAR/N B``: spans of the operands, each next operand at most N positions from the
  span of those before it (0 when they overlap); ``NEAR/s`` (``NEAR/p``): the span of all
  operands has no sentence (paragraph) start inside it, after its first position;
* AND, OR, NOT and dates as sets; a leaf without a field searches title and text.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from analyzers import analyze

#: How far apart (in positions) the parts of a query compound may stand.
COMPOUND_WINDOW = 4
TEXT_FIELDS = ("title", "text")

Span = tuple[int, int]


@dataclass
class Doc:
    """One article: per field, term -> positions."""

    id: str
    date: dt.date | None
    terms: dict[str, dict[str, set[int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, id: str, title: str, text: str, date: dt.date | None) -> Doc:
        doc = cls(id, date)
        for name, value in (("title", title), ("text", text)):
            by_term: dict[str, set[int]] = defaultdict(set)
            for tok in analyze(value, mode="index"):
                by_term[tok.term].add(tok.pos)
            doc.terms[name] = dict(by_term)
        return doc


def _by_position(text: str, mode: str) -> list[tuple[int, list[str], list[str], list[str]]]:
    """Per position of *text*: (pos, word terms, part terms, exact terms)."""
    out: dict[int, tuple[list[str], list[str], list[str]]] = {}
    for tok in analyze(text, mode=mode):
        words, parts, exact = out.setdefault(tok.pos, ([], [], []))
        if tok.kind == "spelling":  # =schön is the spelling, where the word has one
            exact[:] = [tok.term]
        elif tok.kind in ("word", "part", "exact"):
            {"word": words, "part": parts, "exact": exact}[tok.kind].append(tok.term)
    return [(p, *out[p]) for p in sorted(out)]


class Reference:
    """Evaluates query tuples over a list of :class:`Doc`."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs

    # -- public ----------------------------------------------------------------------
    def ids(self, query: tuple, match: str = "all") -> set[str]:
        result = self.eval(query, match)
        if result is None:  # only stop words: search them as exact words
            result = self.eval(_stops_as_exact(query), match)
        return set() if result is None else {d.id for d in self.docs if d.id in result}

    def eval(self, q: tuple, match: str = "all") -> set[str] | None:
        """The ids matching *q*; None if *q* has nothing searchable (stop words only)."""
        kind = q[0]
        if kind in ("and", "or", "seq"):
            children = [(c, self.eval(c[1] if c[0] == "not" else c, match)) for c in q[1]]
            children = [(c, s) for c, s in children if s is not None]
            if not children:
                return None
            if kind == "or":
                return set().union(*(s if c[0] != "not" else self.all() - s for c, s in children))
            positive = [s for c, s in children if c[0] != "not"]
            negative = [s for c, s in children if c[0] == "not"]
            if not positive:
                out = self.all()
            elif kind == "seq" and match == "any":
                out = set().union(*positive)
            else:
                out = set.intersection(*positive)
            return out.difference(*negative)
        if kind == "not":
            inner = self.eval(q[1], match)
            return None if inner is None else self.all() - inner
        if kind == "date":
            _, start, end = q
            return {
                d.id
                for d in self.docs
                if d.date is not None
                and (start is None or d.date >= start)
                and (end is None or d.date <= end)
            }
        if kind == "near":
            if self._nothing(q):
                return None
            fields = _fields(q)
            return {d.id for d in self.docs if any(self.spans(q, d, f) for f in fields)}
        # leaves
        if self._nothing(q):
            return None
        fields = (q[-1],) if q[-1] else TEXT_FIELDS
        return {d.id for d in self.docs if any(self.spans(q, d, f) for f in fields)}

    def all(self) -> set[str]:
        return {d.id for d in self.docs}

    # -- leaves ------------------------------------------------------------------------
    def _nothing(self, q: tuple) -> bool:
        kind = q[0]
        if kind == "word":
            return not _by_position(q[1], "query")
        if kind == "exact" or kind == "phrase":
            return not _by_position(q[1], "index")
        if kind == "near":
            return all(self._nothing(c) for c in q[1])
        if kind == "or":
            return all(self._nothing(c) for c in q[1])
        return False

    def spans(self, q: tuple, doc: Doc, fieldname: str) -> set[Span]:
        """Where *q* matches in one field of *doc*: a set of (first, last) positions."""
        terms = doc.terms[fieldname]
        kind = q[0]
        if kind == "word":
            analysed = _by_position(q[1], "query")
            if len(analysed) > 1:
                return self.phrase_spans(
                    [(p, w[0] if w else s[0]) for p, w, s, _ in analysed], 0, terms
                )
            _, words, parts, _ = analysed[0]
            out = {(p, p) for w in words for p in terms.get(w, ())}
            if parts:
                out |= compound_spans(list(dict.fromkeys(parts)), terms)
            return out
        if kind == "exact":
            analysed = _by_position(q[1], "index")
            if len(analysed) > 1:
                return self.phrase_spans([(p, e[0]) for p, _, _, e in analysed], 0, terms)
            return {(p, p) for e in analysed[0][3] for p in terms.get(e, ())}
        if kind == "wild":
            from analyzers import normalize_word

            pattern = "=" + normalize_word(q[1]).replace("[", "[[]")
            return {
                (p, p)
                for t, ps in terms.items()
                if t.startswith("=") and fnmatch.fnmatchcase(t, pattern)
                for p in ps
            }
        if kind == "phrase":  # content words by the stem of the word there, not by parts
            analysed = _by_position(q[1], "index")
            words = [(p, w[0] if w else e[0]) for p, w, _, e in analysed]
            stems = _word_stems(terms)
            return self.phrase_spans(words, q[2] or 0, stems)
        if kind == "or":
            return set().union(
                *(self.spans(c, doc, fieldname) for c in q[1] if not self._nothing(c))
            )
        if kind == "near":
            operands = [c for c in q[1] if not self._nothing(c)]
            distance = q[2]
            if distance in ("s", "p"):  # no boundary inside the span of all operands
                bounds = terms.get("§s" if distance == "s" else "§p", set())

                def fits(a: Span, b: Span) -> bool:
                    lo, hi = min(a[0], b[0]), max(a[1], b[1])
                    return not any(lo < p <= hi for p in bounds)
            else:

                def fits(a: Span, b: Span) -> bool:
                    return _distance(a, b) <= distance

            current = self.spans(operands[0], doc, fieldname)
            if distance in ("s", "p"):
                current = {a for a in current if fits(a, a)}
            for op in operands[1:]:
                nxt = self.spans(op, doc, fieldname)
                current = {
                    (min(a[0], b[0]), max(a[1], b[1])) for a in current for b in nxt if fits(a, b)
                }
            return current
        raise ValueError(f"not a span query: {q!r}")

    @staticmethod
    def phrase_spans(
        words: list[tuple[int, str]], slop: int, terms: dict[str, set[int]]
    ) -> set[Span]:
        gaps = [b[0] - a[0] for a, b in itertools.pairwise(words)]
        out = set()
        for start in terms.get(words[0][1], ()):
            ends = {start}
            for gap, (_, w) in zip(gaps, words[1:], strict=True):
                positions = terms.get(w, set())
                ends = {
                    e + d for e in ends for d in range(gap, gap + slop + 1) if e + d in positions
                }
            out |= {(start, e) for e in ends}
        return out


def _word_stems(terms: dict[str, set[int]]) -> dict[str, set[int]]:
    """Per stem (or stop word's exact form): the positions of the words with that stem."""
    out: dict[str, set[int]] = defaultdict(set)
    for term, positions in terms.items():
        if term.startswith("="):
            word = [t.term for t in analyze(term[1:], mode="query") if t.kind == "word"]
            out[word[0] if word else term] |= positions
    return out


def compound_spans(parts: list[str], terms: dict[str, set[int]]) -> set[Span]:
    """Every choice of one position per part within :data:`COMPOUND_WINDOW`, the head (the
    last part) at the first of them, as a span."""
    lists = [sorted(terms.get(p, ())) for p in parts]
    if not all(lists):
        return set()
    return {
        (min(c), max(c))
        for c in itertools.product(*lists)
        if max(c) - min(c) <= COMPOUND_WINDOW and c[-1] == min(c)
    }


def _distance(a: Span, b: Span) -> int:
    if a[0] <= b[1] and b[0] <= a[1]:
        return 0
    return b[0] - a[1] if a[1] < b[0] else a[0] - b[1]


def _fields(q: tuple) -> tuple[str, ...]:
    named = {leaf[-1] for leaf in _leaves(q) if leaf[-1]}
    return tuple(named) if named else TEXT_FIELDS


def _leaves(q: tuple):
    if q[0] in ("word", "exact", "wild", "phrase"):
        yield q
    elif q[0] in ("near", "or", "and", "seq"):
        for c in q[1]:
            yield from _leaves(c)
    elif q[0] == "not":
        yield from _leaves(q[1])


def _stops_as_exact(q: tuple) -> tuple:
    """*q* with its (stop) words turned into exact words."""
    kind = q[0]
    if kind == "word":
        return ("exact", q[1], q[2])
    if kind in ("and", "or", "seq"):
        return (kind, [_stops_as_exact(c) for c in q[1]])
    if kind == "near":
        return (kind, [_stops_as_exact(c) for c in q[1]], q[2])
    if kind == "not":
        return (kind, _stops_as_exact(q[1]))
    return q
