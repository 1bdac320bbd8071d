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
* :class:`ColumnDateRange`: a ``DateRange`` read from the segment's date column instead of
  as a union of a few hundred trie terms.
"""

from __future__ import annotations

import itertools
from array import array

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import UnionMatcher, mcore
from whoosh.query import spans
from whoosh.util import make_binary_tree


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
    """All of *qs* (terms) within ``window`` positions of each other, the last (a compound's
    head, *Preis* of *Gaspreis*) first or at the same position as the others.

    German spells a compound out head first: *der Preis für Gas*, *Preise für Erdgas*, *die
    Deckel der Gaspreise*; the other order is usually two things side by side (*teure
    Gaskraftwerke den Preis*). Its spans are every choice of one span per term that fits, so
    that ``NEAR`` measures from the parts actually found.
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
                if hi - lo <= window and chosen[-1].start == lo:
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


class WordForms(wq.Query):
    """A phrase slot: every word form in the field whose stem is ``stem`` (not a compound
    part that happens to be spelled so).

    Parts and whole words share index terms (``preis`` is the stem of *Preise* and a part of
    *Preisbremsen*), so a phrase built from stems would match *Preisbremsen für Gas* for
    ``"Preis für Gas"``. The exact forms (``=preise``) are one per word: at search time this
    query expands to the exact forms starting with the stem whose own stem is ``stem``
    (*stem_of*, the field's analysis), as an ordered list of span terms.

    A stem made through a lemma need not begin a form (*ging* -> ``geh``, *Öl* -> ``olen``):
    *seeds* (the query word's own form and the forms of its lemma) are expanded too.

    With ``positions=False`` (the whole-word boost beside a word, which only ranks and
    stands in no phrase or ``NEAR``) the forms are a plain union of terms: the same
    documents and the same scores (the same binary tree of sums), without decoding every
    document's positions for spans nobody asks for.
    """

    #: Longest inflectional ending looked at (*Lehrer* -> *Lehrerinnen* is 5): longer exact
    #: forms under the stem are compounds, not forms of the word, and are not stemmed at all.
    MAX_ENDING = 8

    def __init__(  # noqa: ANN001
        self,
        fieldname: str,
        stem: str,
        prefix: str,
        stem_of,
        seeds: tuple[str, ...] = (),
        boost: float = 1.0,
        positions: bool = True,
    ) -> None:
        self.fieldname = fieldname
        self.text = stem
        self.prefix = prefix
        self.stem_of = stem_of
        self.seeds = seeds
        self.boost = boost
        self.positions = positions
        #: id(reader) -> (reader, forms): a search asks per segment for the size estimate
        #: and again for the matcher; the reader is kept so that its id is not reused.
        self._forms: dict[int, tuple[object, list[str]]] = {}

    def __getstate__(self) -> dict:
        # Sent to snippet processes (results.stream): the readers stay here.
        return {**self.__dict__, "_forms": {}}

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.fieldname == other.fieldname
            and self.text == other.text
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fieldname, self.text))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r})"

    def __str__(self) -> str:
        return f"{self.fieldname}:<forms of {self.text}>"

    def is_leaf(self) -> bool:
        return True

    def matches(self, exact_term: str) -> bool:
        """Is *exact_term* (``=preise``) a form of this slot's word?"""
        return (
            exact_term.startswith(self.prefix)
            and any(
                exact_term.startswith(self.prefix + seed)
                and len(exact_term) - len(self.prefix) - len(seed) <= self.MAX_ENDING
                for seed in (self.text, *self.seeds)
            )
            and self.stem_of(exact_term[len(self.prefix) :]) == self.text
        )

    def terms(self, phrases: bool = False):  # noqa: ANN201 - whoosh's signature
        yield (self.fieldname, self.text)

    def forms(self, ixreader) -> list[str]:  # noqa: ANN001
        """The exact-form terms of the index that are forms of this word (cached per reader)."""
        kept = self._forms.get(id(ixreader))
        if kept is not None and kept[0] is ixreader:
            return kept[1]
        out: dict[str, None] = {}
        for seed in dict.fromkeys((self.text, *self.seeds)):
            # Every term here starts with prefix + seed: a longer one is no form of the word
            # through this seed (``matches`` says so too, after a stem lookup); through a
            # longer seed it is found when that seed is expanded.
            longest = len(self.prefix) + len(seed) + self.MAX_ENDING
            for btext in ixreader.expand_prefix(self.fieldname, self.prefix + seed):
                text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                if len(text) <= longest and text not in out and self.matches(text):
                    out[text] = None
        found = sorted(out)
        self._forms[id(ixreader)] = (ixreader, found)
        return found

    def estimate_size(self, ixreader) -> int:  # noqa: ANN001
        return sum(ixreader.doc_frequency(self.fieldname, t) for t in self.forms(ixreader))

    def matcher(self, searcher, context=None):  # noqa: ANN001, ANN201 - whoosh's signature
        forms = self.forms(searcher.reader())
        if not forms:
            return matching.NullMatcher()
        terms = [wq.Term(self.fieldname, f, boost=self.boost) for f in forms]
        if len(terms) == 1:
            return terms[0].matcher(searcher, context)
        if not self.positions:
            matchers = [t.matcher(searcher, context) for t in terms]
            return make_binary_tree(matching.UnionMatcher, matchers)
        context = spans.SpanQuery._span_context(context)
        return _FlatUnionSpans([t.matcher(searcher, context) for t in terms])


class _UnmergedOrMatcher(spans.SpanOr.SpanOrMatcher):
    """``SpanOr``'s matcher without ``Span.merge``: Whoosh joins overlapping *and adjacent*
    spans, so ``=lehrer`` at 1 and ``=lehrerinnen`` at 2 became one span 1-2 and a phrase
    slot or a ``NEAR`` operand lost its own positions."""

    def _get_spans(self) -> list[spans.Span]:
        a_active, b_active = self.a.is_active(), self.b.is_active()
        if a_active and b_active and self.a.id() == self.b.id():
            return sorted(set(self.a.spans()) | set(self.b.spans()))
        if a_active and (not b_active or self.a.id() < self.b.id()):
            return self.a.spans()
        return self.b.spans()


class _FlatUnionSpans(spans.SpanWrappingMatcher):
    """The matcher of :class:`UnionSpans` over term matchers, flat: the same union tree for
    documents and scores, and a document's spans gathered once from the terms standing on
    it, instead of a set union and sort at every level of a binary tree of span matchers
    (a word with 30 forms in a phrase: 29 merges per candidate document)."""

    def __init__(self, leaves: list, child=None) -> None:  # noqa: ANN001
        self.leaves = leaves
        super().__init__(child if child is not None else make_binary_tree(UnionMatcher, leaves))

    def copy(self):  # noqa: ANN201
        return self.__class__([m.copy() for m in self.leaves])

    def replace(self, minquality: float = 0):  # noqa: ANN201
        return self

    def _get_spans(self) -> list[spans.Span]:
        doc = self.child.id()
        here = [m for m in self.leaves if m.is_active() and m.id() == doc]
        if len(here) == 1:
            return here[0].spans()
        return sorted({s for m in here for s in m.spans()})


class UnionSpans(spans.SpanOr):
    """``SpanOr`` whose spans are the children's spans, not merged (see above)."""

    def children(self):  # noqa: ANN201 - whoosh's signature
        return iter(self.subqs)

    def estimate_size(self, ixreader) -> int:  # noqa: ANN001 - whoosh's signature
        return self.q.estimate_size(ixreader)

    def estimate_min_size(self, ixreader) -> int:  # noqa: ANN001 - whoosh's signature
        return self.q.estimate_min_size(ixreader)

    def matcher(self, searcher, context=None):  # noqa: ANN001, ANN201 - whoosh's signature
        context = self._span_context(context)
        matchers = [q.matcher(searcher, context) for q in self.subqs]
        return make_binary_tree(_UnmergedOrMatcher, matchers)


class ColumnDateRange(wq.DateRange):
    """``DateRange`` whose documents come from the segment's sortable date column.

    Whoosh compiles a date range into an ``Or`` of the trie terms covering it (a few
    hundred for some years) and, scored as a constant, reads all their postings for the
    list of documents: two thirds of the time of ``Wasser date:2018..2021``. The column
    holds each document's date as the same number, so one pass over it gives the same
    documents (undated and deleted ones left out, as postings do), scored as Whoosh's constant-score
    matcher scores them (the boost). Where that shortcut does not apply (a span context,
    a non-constant score, a reader of several segments, no column) it is Whoosh's.
    """

    def matcher(self, searcher, context=None):  # noqa: ANN001, ANN201 - whoosh's signature
        reader = searcher.reader()
        if (
            not self.constantscore
            or (context is not None and context.needs_current)
            or not reader.is_atomic()
            or not reader.has_column(self.fieldname)
            or self._compile_query(reader) is wq.NullQuery
        ):
            return super().matcher(searcher, context)
        lo = self.start if self.start is not None else -(1 << 70)
        hi = self.end if self.end is not None else 1 << 70
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        column = reader.column_reader(self.fieldname, translate=False)
        undated = reader.schema[self.fieldname].column_type.default_value()
        ids = array(
            "I",
            (
                d
                for d, v in enumerate(column)
                if v != undated
                and (lo < v if self.startexcl else lo <= v)
                and (v < hi if self.endexcl else v <= hi)
                and d not in deleted
            ),
        )
        return matching.ListMatcher(ids, all_weights=self.boost)
