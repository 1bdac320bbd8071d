"""The *marker* role: which characters of one text a Whoosh query actually matched.

The stored text is analysed again with the field's analyser (``mode="index"``, with positions
and character offsets), and the query tree is evaluated over those tokens, clause by clause,
the way the searcher would have matched it:

* a leaf (``Term``, ``Prefix``, ``Wildcard``, ``FuzzyTerm`` …) matches the tokens whose text it
  names; a compound part token carries its own offsets, so query "Preis" marks only
  "Gas**preise**", and a stem token carries the word's offsets, so "Wasserstand" marks the
  surface form "Wasser**stände**";
* ``Phrase`` and the span queries match only where their words stand at the right positions
  (stop words leave gaps in the positions; ``slop`` is honoured exactly as Whoosh does);
* ``And`` contributes only when all its children matched, ``Or`` only through the branches
  that matched, and nothing under ``Not`` is ever marked.

Clauses on the article's other analysed fields (``title:…``) are decided on those fields'
texts when the caller supplies them; otherwise, like ``date:…``, they are *unknown*: they
neither fail an ``And`` nor contribute marks. Only marks in the field being highlighted are
returned. Query node types this module does not know fall back to their terms
(``iter_all_terms``) in that field.
"""

from __future__ import annotations

import bisect
import fnmatch
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.query import spans as wspans

from search.query.matchers import SameUnitQuery, WindowQuery, WordForms

# Three-valued match state of a clause against one text.
FALSE, UNKNOWN, TRUE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Mark:
    """A matched character range ``[start, end)`` of ``field``; ``key`` names the term."""

    start: int
    end: int
    key: str
    field: str


@dataclass(frozen=True, slots=True)
class _Occ:
    """One occurrence of a clause: the token positions it spans and what it marks."""

    first: int
    last: int
    marks: tuple[Mark, ...]

    def distance_to(self, other: _Occ) -> int:
        """Position distance, as ``whoosh.query.spans.Span.distance_to`` counts it."""
        if self.first <= other.last and other.first <= self.last:
            return 0
        if self.last < other.first:
            return other.first - self.last
        return self.first - other.last

    def join(self, other: _Occ) -> _Occ:
        return _Occ(
            min(self.first, other.first), max(self.last, other.last), self.marks + other.marks
        )


@dataclass(slots=True)
class _Result:
    state: int
    occs: list[_Occ]


_NO = _Result(FALSE, [])
_UNDECIDED = _Result(UNKNOWN, [])


class TokenTable:
    """The index-mode tokens of one text, grouped by token text.

    :param fieldname: the field the text belongs to.
    :param text: the text to analyse.
    :param analyzer: a Whoosh analyser following the token contract of :mod:`analyzers`.
    """

    __slots__ = ("_rank", "_sorted", "boundaries", "by_text", "fieldname")

    def __init__(self, fieldname: str, text: str, analyzer) -> None:
        self.fieldname = fieldname
        by_text: dict[str, list[tuple[int, int, int]]] = {}
        #: sentence/paragraph boundary term -> positions (``NEAR/s``, ``NEAR/p``)
        self.boundaries: dict[str, list[int]] = {}
        get = by_text.get
        for t in analyzer(text, mode="index", positions=True, chars=True):
            start, end = t.startchar, t.endchar
            if getattr(t, "kind", None) == "boundary":
                self.boundaries.setdefault(t.text, []).append(t.pos)
            elif end > start:
                found = get(t.text)
                if found is None:
                    by_text[t.text] = [(t.pos, start, end)]
                else:
                    found.append((t.pos, start, end))
        self.by_text = by_text
        self._sorted: list[str] | None = None
        self._rank: dict[str, int] | None = None

    def occurrences(self, texts: Iterable[str]) -> list[_Occ]:
        occs = []
        for text in texts:
            for pos, start, end in self.by_text.get(text, ()):
                occs.append(_Occ(pos, pos, (Mark(start, end, text, self.fieldname),)))
        return occs

    def texts_where(
        self, pred: Callable[[str], bool], prefixes: Iterable[str] = ("",)
    ) -> list[str]:
        """The token texts that satisfy ``pred``, in the order of their first occurrence;
        only texts starting with one of ``prefixes`` are tried (all, by default)."""
        prefixes = tuple(prefixes)
        if "" in prefixes:
            return [text for text in self.by_text if pred(text)]
        # getattr: search.analytics.cooccur makes tables with __new__ and by_text alone.
        keys = getattr(self, "_sorted", None)
        if keys is None:
            keys = self._sorted = sorted(self.by_text)
        found: set[str] = set()
        for prefix in prefixes:
            i = bisect.bisect_left(keys, prefix)
            while i < len(keys) and keys[i].startswith(prefix):
                if keys[i] not in found and pred(keys[i]):
                    found.add(keys[i])
                i += 1
        if len(found) < 2:
            return list(found)
        rank = getattr(self, "_rank", None)
        if rank is None:
            rank = self._rank = {text: n for n, text in enumerate(self.by_text)}
        return sorted(found, key=rank.__getitem__)

    def has(self, text: str) -> list[str]:
        """``[text]`` if a token has this text, else nothing (a term's texts_where)."""
        return [text] if text in self.by_text else []


def find_occurrences(
    tables: dict[str, TokenTable], query: wq.Query, fieldname: str
) -> list[tuple[Mark, ...]]:
    """The marks in ``fieldname`` of each occurrence of a matched clause.

    A phrase occurrence is one entry. A query that, judged on the fields in ``tables``,
    cannot have matched yields nothing.

    :param tables: the analysed fields of one article, ``fieldname`` among them.
    :param query: the Whoosh query.
    :param fieldname: the field whose marks are wanted.
    """
    result = _Evaluator(tables, fieldname).eval(query)
    if result.state == FALSE:
        return []
    out = []
    for occ in result.occs:
        marks = tuple(m for m in occ.marks if m.field == fieldname)
        if marks:
            out.append(marks)
    return out


def find_marks(tables: dict[str, TokenTable], query: wq.Query, fieldname: str) -> list[Mark]:
    """All marks in ``fieldname`` of the clauses of ``query`` that matched (unmerged)."""
    return [m for marks in find_occurrences(tables, query, fieldname) for m in marks]


#: The literal head of a wildcard pattern (before ``*``, ``?`` or ``[``): every match
#: starts with it (``fnmatch`` syntax, as Whoosh's ``Wildcard``).
_WILDCARD_HEAD = re.compile(r"[^*?\[]*")


def _as_str(text) -> str:
    return text.decode("utf-8") if isinstance(text, bytes) else str(text)


def _within(a: str, b: str, maxdist: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most ``maxdist`` (banded DP)."""
    if abs(len(a) - len(b)) > maxdist:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > maxdist:
            return False
        prev = cur
    return prev[-1] <= maxdist


class _Evaluator:
    """Evaluates a query tree over the analysed fields of one article."""

    def __init__(self, tables: dict[str, TokenTable], fieldname: str) -> None:
        self.tables = tables
        self.fieldname = fieldname

    def _table(self, q) -> TokenTable | None:
        """The analysed text of ``q``'s field (no field: the highlighted one), if known."""
        return self.tables.get(getattr(q, "fieldname", None) or self.fieldname)

    def _leaf(self, q, pred: Callable[[str], bool], prefixes: Iterable[str] = ("",)) -> _Result:
        """The occurrences of the token texts satisfying ``pred`` (each starting with one
        of ``prefixes``: only those are looked at)."""
        table = self._table(q)
        if table is None:
            return _UNDECIDED
        occs = table.occurrences(table.texts_where(pred, prefixes))
        return _Result(TRUE, occs) if occs else _NO

    def _term(self, q, word: str) -> _Result:
        table = self._table(q)
        if table is None:
            return _UNDECIDED
        occs = table.occurrences(table.has(word))
        return _Result(TRUE, occs) if occs else _NO

    # The dispatcher: most specific classes first (Phrase/Sequence before compounds, the
    # multi-term leaves before Term).
    def eval(self, q) -> _Result:
        if isinstance(q, wq.Phrase):
            return self._phrase(q)
        if isinstance(q, wspans.SpanQuery):
            return self._span(q)
        if isinstance(q, wq.Ordered):
            return self._ordered(q.subqueries)
        if isinstance(q, wq.Sequence):
            return self._near([self.eval(s) for s in q.subqueries], q.slop, q.ordered, 1)
        if isinstance(q, wq.Not):
            return self._not(self.eval(q.query))
        if isinstance(q, wq.AndNot):
            return self._and([self.eval(q.a), self._not(self.eval(q.b))])
        if isinstance(q, wq.AndMaybe):
            return self._and_maybe(self.eval(q.a), self.eval(q.b))
        if isinstance(q, wq.Require):
            return self._and([self.eval(q.a), self.eval(q.b)])
        if isinstance(q, wq.Otherwise):
            first = self.eval(q.a)
            return first if first.state != FALSE else self.eval(q.b)
        if isinstance(q, wq.And):
            return self._and([self.eval(s) for s in q.subqueries])
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            return self._or([self.eval(s) for s in q.subqueries])
        if isinstance(q, (wq.ConstantScoreQuery, wq.WeightingQuery)):
            return self.eval(q.child)
        if isinstance(q, (wq.NumericRange, wq.ColumnQuery)):
            return _UNDECIDED  # dates and numbers live in other fields
        if isinstance(q, wq.Every):
            return _Result(TRUE if self._table(q) is not None else UNKNOWN, [])
        if isinstance(q, type(wq.NullQuery)):
            return _NO
        return self._leaf_or_fallback(q)

    def _leaf_or_fallback(self, q) -> _Result:
        if isinstance(q, WordForms):
            seeds = (q.prefix + seed for seed in (q.text, *q.seeds))
            return self._leaf(q, q.matches, seeds)
        if isinstance(q, wq.Prefix):
            prefix = _as_str(q.text)
            return self._leaf(q, lambda t: t.startswith(prefix), (prefix,))
        if isinstance(q, wq.Wildcard):
            pattern = _as_str(q.text)
            rx = re.compile(fnmatch.translate(pattern))
            literal = _WILDCARD_HEAD.match(pattern).group()
            return self._leaf(q, lambda t: rx.match(t) is not None, (literal,))
        if isinstance(q, wq.Regex):
            rx = re.compile(_as_str(q.text))
            return self._leaf(q, lambda t: rx.match(t) is not None)
        if isinstance(q, wq.FuzzyTerm):
            word, k, n = _as_str(q.text), q.maxdist, q.prefixlength
            return self._leaf(q, lambda t: t[:n] == word[:n] and _within(t, word, k))
        if isinstance(q, wq.TermRange):
            return self._leaf(q, _range_pred(q))
        if isinstance(q, wq.Term):  # also Variations: the analyser already folded forms
            return self._term(q, _as_str(q.text))
        # Unknown node: its terms in this field, as an Or.
        try:
            terms = {_as_str(t) for f, t in q.iter_all_terms() if f == self.fieldname}
        except Exception:  # noqa: BLE001 - a foreign node may not support term listing
            terms = set()
        if not terms:
            return _UNDECIDED
        occs = self.tables[self.fieldname].occurrences(terms)
        return _Result(TRUE, occs) if occs else _UNDECIDED

    @staticmethod
    def _not(r: _Result) -> _Result:
        return _Result(TRUE if r.state == FALSE else FALSE if r.state == TRUE else UNKNOWN, [])

    @staticmethod
    def _and(results: list[_Result]) -> _Result:
        if any(r.state == FALSE for r in results):
            return _NO
        state = TRUE if all(r.state == TRUE for r in results) else UNKNOWN
        return _Result(state, [o for r in results for o in r.occs])

    @staticmethod
    def _or(results: list[_Result]) -> _Result:
        if not results:
            return _NO
        state = max(r.state for r in results)
        return _Result(state, [o for r in results if r.state != FALSE for o in r.occs])

    @staticmethod
    def _and_maybe(a: _Result, b: _Result) -> _Result:
        if a.state == FALSE:
            return _NO
        return _Result(a.state, a.occs + (b.occs if b.state != FALSE else []))

    def _ordered(self, subqueries) -> _Result:
        """``Ordered``: each clause has an occurrence before the next one's first (SpanBefore)."""
        results = [self.eval(s) for s in subqueries]
        if any(r.state != TRUE for r in results):
            return self._and(results)
        occs = results[0].occs
        for nxt in results[1:]:
            first_b = min(o.first for o in nxt.occs)
            before = [o for o in occs if o.last < first_b]
            if not before:
                return _NO
            occs = before + nxt.occs
        return _Result(TRUE, occs)

    def _phrase(self, q: wq.Phrase) -> _Result:
        table = self._table(q)
        if table is None:
            return _UNDECIDED
        parts = [_Result(TRUE, table.occurrences([_as_str(w)])) for w in q.words]
        return self._near(parts, q.slop, True, 1)

    @staticmethod
    def _near(results: list[_Result], slop: int, ordered: bool, mindist: int) -> _Result:
        """Chain of occurrences within ``slop`` positions: ``SpanNear2._get_spans`` with marks."""
        if not results or any(r.state == FALSE for r in results):
            return _NO
        if any(r.state == UNKNOWN for r in results):
            return _UNDECIDED
        spans = results[0].occs
        for nxt in results[1:]:
            joined: dict[tuple[int, int], _Occ] = {}
            for a in spans:
                for b in nxt.occs:
                    if ordered and a.first > b.first:
                        continue
                    if mindist <= a.distance_to(b) <= slop:
                        ab = a.join(b)
                        key = (ab.first, ab.last)
                        old = joined.get(key)
                        joined[key] = ab if old is None else _Occ(*key, old.marks + ab.marks)
            spans = sorted(joined.values(), key=lambda o: (o.first, o.last))
            if not spans:
                return _NO
        return _Result(TRUE, spans)

    def _span(self, q) -> _Result:
        if isinstance(q, SameUnitQuery):
            return self._same_unit(q)
        if isinstance(q, WindowQuery):
            return self._window([self.eval(s) for s in q.qs], q.slop)
        if isinstance(q, wspans.SpanNear2):
            return self._near([self.eval(s) for s in q.qs], q.slop, q.ordered, q.mindist)
        if isinstance(q, wspans.SpanNear):
            return self._near([self.eval(q.a), self.eval(q.b)], q.slop, q.ordered, q.mindist)
        if isinstance(q, wspans.SpanOr):
            return self._or([self.eval(s) for s in q.subqs])
        if isinstance(q, wspans.SpanFirst):
            r = self.eval(q.q)
            if r.state != TRUE:
                return r
            occs = [o for o in r.occs if o.last <= q.limit]
            return _Result(TRUE, occs) if occs else _NO
        if isinstance(q, wspans.SpanBiQuery):
            return self._span_bi(q, self.eval(q.a), self.eval(q.b))
        return self._leaf_or_fallback(q)

    def _same_unit(self, q: SameUnitQuery) -> _Result:
        """Occurrences joined pairwise, kept where no boundary falls inside (as the matcher)."""
        table = self.tables.get(q.boundary.fieldname)
        bounds = table.boundaries.get(_as_str(q.boundary.text), []) if table else []

        def inside(o: _Occ) -> bool:
            return not any(o.first < p <= o.last for p in bounds)

        results = []
        for s in q.qs:
            r = self.eval(s)
            results.append(_Result(r.state, [o for o in r.occs if inside(o)]))
            if r.state == TRUE and not results[-1].occs:
                return _NO
        joined = self._near(results, q.slop, False, 0)
        occs = [o for o in joined.occs if inside(o)]
        if joined.state != TRUE:
            return joined
        return _Result(TRUE, occs) if occs else _NO

    @staticmethod
    def _window(results: list[_Result], window: int) -> _Result:
        """Compound parts: one occurrence each, all within *window* positions, the head
        (last part) first (as :class:`~search.query.matchers.WindowQuery`)."""
        if not results or any(r.state == FALSE for r in results):
            return _NO
        if any(r.state == UNKNOWN for r in results):
            return _UNDECIDED
        found: dict[tuple[int, int], _Occ] = {}
        for first in results[0].occs:
            near = [
                [o for o in r.occs if abs(o.first - first.first) <= window] for r in results[1:]
            ]
            for combo in itertools.product(*near):
                occ = first
                for o in combo:
                    occ = occ.join(o)
                head = combo[-1] if combo else first
                if occ.last - occ.first <= window and head.first == occ.first:
                    found.setdefault((occ.first, occ.last), occ)
        occs = sorted(found.values(), key=lambda o: (o.first, o.last))
        return _Result(TRUE, occs) if occs else _NO

    @staticmethod
    def _span_bi(q, a: _Result, b: _Result) -> _Result:
        if a.state != TRUE:
            return a
        if isinstance(q, wspans.SpanNot):
            if b.state != TRUE:
                return a
            occs = [o for o in a.occs if all(o.distance_to(x) > 0 for x in b.occs)]
        elif b.state != TRUE:
            return _NO if b.state == FALSE else a
        elif isinstance(q, wspans.SpanContains):
            occs = [
                o for o in a.occs if any(o.first <= x.first and x.last <= o.last for x in b.occs)
            ]
        elif isinstance(q, wspans.SpanBefore):
            first_b = min(x.first for x in b.occs)
            occs = [o for o in a.occs if o.last < first_b]
        else:  # SpanCondition: a's spans in documents where b matches
            occs = a.occs
        return _Result(TRUE, occs) if occs else _NO


def _range_pred(q: wq.TermRange) -> Callable[[str], bool]:
    start = _as_str(q.start) if q.start is not None else None
    end = _as_str(q.end) if q.end is not None else None

    def pred(t: str) -> bool:
        if start is not None and (t < start or (q.startexcl and t == start)):
            return False
        return not (end is not None and (t > end or (q.endexcl and t == end)))

    return pred
