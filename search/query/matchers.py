"""Whoosh query classes whose matchers the builder needs fixed or slightly different.

Each class here is a small override of a Whoosh class, kept apart from the builder so that
the upstream bug it works around is named in one place:

* :class:`AndNotQuery`: Whoosh's ``AndNotMatcher`` does not move the excluded side before
  its first answer, nor after ``skip_to`` (whoosh-community/whoosh issue 419, still in
  whoosh3 3.54.0, ``whoosh/matching/binary.py``): a document of *a* that *b* also holds is
  returned whenever *b*'s matcher starts (or is left) before it. ``Starkregen -Strom`` found
  articles with *Strom*.
* :class:`NearQuery`: ``SpanNear2`` with ``ordered=False`` starts its search for *b*'s spans
  at ``a.start - slop`` by span *start*, so it misses a long span of *b* (a phrase) that
  starts earlier but ends close enough.
* :class:`WindowQuery`: all of its terms within a window of positions, in any order (the
  parts of a query compound).
"""

from __future__ import annotations

import itertools

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import mcore
from whoosh.query import spans


class FixedAndNotMatcher(matching.AndNotMatcher):
    """``AndNotMatcher`` that skips the excluded side to *a*'s document at the start and after
    every ``skip_to`` (upstream: whoosh-community/whoosh issue 419)."""

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()

    def skip_to(self, id: int) -> bool:  # noqa: A002 - whoosh's signature
        if not self.a.is_active():
            raise mcore.ReadTooFar
        r = self.a.skip_to(id)
        if self.a.is_active() and self.b.is_active():
            self._find_next()
        return bool(r)

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.a.skip_to_quality(minquality)
        if self.a.is_active() and self.b.is_active():
            self._find_next()
        return skipped


class AndNotQuery(wq.AndNot):
    """``a ANDNOT b`` through :class:`FixedAndNotMatcher`."""

    def matcher(self, searcher, context=None):  # noqa: ANN001, ANN201 - whoosh's signature
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return FixedAndNotMatcher(scored, excluded)


def _distance(a: spans.Span, b: spans.Span) -> int:
    if a.start <= b.end and b.start <= a.end:
        return 0
    return b.start - a.end if a.end < b.start else a.start - b.end


class NearQuery(spans.SpanNear2):
    """Unordered ``SpanNear2``: each next operand's span at most ``slop`` positions from the
    span of the operands before it (0 when they overlap); every pair of spans is tried."""

    def __init__(self, qs: list[wq.Query], slop: int) -> None:
        super().__init__(qs, slop=slop, ordered=False, mindist=0)

    def apply(self, fn):  # noqa: ANN001, ANN201 - whoosh's signature
        return self.__class__([fn(q) for q in self.qs], self.slop)

    def matcher(self, searcher, context=None):  # noqa: ANN001, ANN201 - whoosh's signature
        context = self._span_context(context)
        return _NearMatcher([q.matcher(searcher, context) for q in self.qs], self.slop)


class _NearMatcher(spans.SpanNear2.SpanNear2Matcher):
    def __init__(self, ms: list, slop: int) -> None:  # noqa: ANN001
        super().__init__(ms, slop=slop, ordered=False, mindist=0)

    def copy(self):  # noqa: ANN201
        return self.__class__([m.copy() for m in self.ms], self.slop)

    def _get_spans(self) -> list[spans.Span]:
        current = self.ms[0].spans()
        for m in self.ms[1:]:
            if not current:
                return []
            nxt = m.spans()
            current = sorted(
                {a.to(b) for a in current for b in nxt if _distance(a, b) <= self.slop}
            )
        return current


class WindowQuery(spans.SpanNear2):
    """All of *qs* (terms) within ``window`` positions of each other, in any order.

    Its spans are every choice of one span per term that fits, so that ``NEAR`` measures from
    the parts actually found.
    """

    def __init__(self, qs: list[wq.Query], window: int) -> None:
        super().__init__(qs, slop=window, ordered=False, mindist=0)

    def apply(self, fn):  # noqa: ANN001, ANN201 - whoosh's signature
        return self.__class__([fn(q) for q in self.qs], self.slop)

    def matcher(self, searcher, context=None):  # noqa: ANN001, ANN201 - whoosh's signature
        context = self._span_context(context)
        return _WindowMatcher([q.matcher(searcher, context) for q in self.qs], self.slop)


class _WindowMatcher(spans.SpanNear2.SpanNear2Matcher):
    def __init__(self, ms: list, window: int) -> None:  # noqa: ANN001
        super().__init__(ms, slop=window, ordered=False, mindist=0)

    def copy(self):  # noqa: ANN201
        return self.__class__([m.copy() for m in self.ms], self.slop)

    def _get_spans(self) -> list[spans.Span]:
        window = self.slop
        lists = [m.spans() for m in self.ms]
        found: set[spans.Span] = set()
        for first in lists[0]:
            near = [[s for s in ss if abs(s.start - first.start) <= window] for ss in lists[1:]]
            for combo in itertools.product(*near):
                chosen = (first, *combo)
                lo = min(s.start for s in chosen)
                hi = max(s.end for s in chosen)
                if hi - lo <= window:
                    span = chosen[0]
                    for s in chosen[1:]:
                        span = span.to(s)
                    found.add(span)
        return sorted(found)


class SameUnitQuery(spans.SpanNear2):
    """All of *qs* in one sentence (or paragraph), any order, at any distance.

    *boundary* is the term the index puts at the first word of every sentence (paragraph)
    after the first (:mod:`analyzers.boundaries`); a span lies in one unit when no boundary
    stands at a position in (start, end]. The boundary term is not required: an article of
    one sentence has none.
    """

    #: Larger than any article: the marker (:mod:`search.snippets.marks`) joins every pair
    #: of occurrences, then drops those that cross a boundary.
    UNBOUNDED = 1 << 30

    def __init__(self, qs: list[wq.Query], boundary: wq.Term) -> None:
        super().__init__(qs, slop=self.UNBOUNDED, ordered=False, mindist=0)
        self.boundary = boundary

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.boundary == other.boundary

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(self.boundary)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.qs!r}, {self.boundary!r})"

    def apply(self, fn):  # noqa: ANN001, ANN201 - whoosh's signature
        return self.__class__([fn(q) for q in self.qs], self.boundary)

    def matcher(self, searcher, context=None):  # noqa: ANN001, ANN201 - whoosh's signature
        context = self._span_context(context)
        ms = [q.matcher(searcher, context) for q in self.qs]
        return _SameUnitMatcher(ms, self.boundary.matcher(searcher, context))


class _SameUnitMatcher(spans.SpanNear2.SpanNear2Matcher):
    def __init__(self, ms: list, boundary) -> None:  # noqa: ANN001
        self.boundary = boundary  # before super(): it looks for the first match already
        super().__init__(ms, slop=SameUnitQuery.UNBOUNDED, ordered=False, mindist=0)

    def copy(self):  # noqa: ANN201
        return self.__class__([m.copy() for m in self.ms], self.boundary.copy())

    def _boundaries(self) -> list[int]:
        b, doc = self.boundary, self.id()
        if b.is_active() and b.id() < doc:
            b.skip_to(doc)
        if not b.is_active() or b.id() != doc:
            return []
        return [s.start for s in b.spans()]

    def _get_spans(self) -> list[spans.Span]:
        bounds = self._boundaries()

        def inside(span: spans.Span) -> bool:
            return not any(span.start < p <= span.end for p in bounds)

        current = [s for s in self.ms[0].spans() if inside(s)]
        for m in self.ms[1:]:
            if not current:
                return []
            nxt = [s for s in m.spans() if inside(s)]
            current = sorted({a.to(b) for a in current for b in nxt if inside(a.to(b))})
        return current
