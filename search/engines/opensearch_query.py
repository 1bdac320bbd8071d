"""From Zeitung's built query to OpenSearch query DSL, with the same matching semantics.

The input is the query that :class:`search.query.builder.Builder` built from the parsed tree
(the same object the Whoosh engine runs), so every decision of the query language — which
analysed terms a word becomes, compounds as ``word OR all parts``, stop-word gaps in phrases,
ranking boosts under ``match="any"`` — is taken once, in one place, for both engines. This
module only restates each Whoosh query class in DSL:

* ``Term`` → ``term`` (the value is already an index term: no analysis on the cluster),
  ``And``/``Or``/``AndNot``/``Not``/``AndMaybe`` → ``bool``, ``DateRange`` → ``range``,
  ``Prefix``/``Wildcard`` → ``prefix``/``wildcard`` (``span_multi`` inside spans).
* Phrases. Whoosh matches a phrase (``Phrase`` or ``SpanGap`` chains) when each word stands
  between ``g`` and ``g + slop`` positions after the one before, ``g`` being the gap in the
  query text (1, or 2 across a stop word). Lucene's sloppy phrases count slop differently
  (an edit distance over the whole phrase, reordering allowed) and span slop is a sum over
  the phrase, so neither is the same. The exact equivalent is an OR over every allowed
  offset vector of *exact* phrases (``span_near`` with slop 0 and ``span_gap`` holes):
  ``(slop + 1) ** (words - 1)`` of them, while they fit in :data:`MAX_PHRASE_CLAUSES`
  (2 words up to ~99, 3 words up to ~6); beyond that the phrase becomes nested ordered
  ``span_near`` pairs (each pair within its window, the lower bound above 1 dropped;
  Lucene's lazy span matching may miss a match that needs a later occurrence of a repeated
  word) and :attr:`Compiled.approximate` says so.
* Positions: word *n* is at ``STEP * n`` in the OpenSearch index, boundaries of sentences
  and paragraphs at the odd positions between (see :func:`~.opensearch.index_positions`),
  so every distance below is doubled.
* ``NEAR/N`` (``NearQuery``: unordered, each operand within N words of the span before it)
  → nested unordered ``span_near`` pairs with slop ``2N - 1`` (Lucene counts the positions
  *between* two spans, Whoosh their distance in words); overlapping spans give a negative
  slop, which Lucene allows. ``WindowQuery`` (a compound's parts within N words after its
  head) → the head stretched over N words, ``span_containing`` each other part.
  ``NEAR/s``, ``NEAR/p`` (``SameUnitQuery``) → ``span_not`` of the operands' span and the
  boundary term: a span
  overlaps a boundary at an odd position exactly when it crosses it.
* A phrase slot (``WordForms``: the forms of one word, never a compound part) → the slot
  term the indexer writes at each word (:data:`SLOT_PREFIX` + the stem of its exact form;
  Whoosh also wants the form to begin with the stem or a seed: see :func:`_word_forms`).
* A title match weighs :attr:`~whoosh.fields.FieldType.field_boost` more, as in the schema.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.query import spans

from search.errors import ZeitungError

#: An exact phrase with slop is compiled into exact variants while they hold at most this many
#: span clauses (terms and gaps) together: Lucene refuses a query of more than 1024 clauses
#: (``indices.query.bool.max_clause_count``), and a phrase is searched in title and text.
MAX_PHRASE_CLAUSES = 300

#: A term no index holds: what an empty span (Whoosh's ``NullQuery`` inside NEAR) becomes.
NO_TERM = "\u0000"
#: Positions per word in the OpenSearch index, and the prefix of phrase-slot terms (see
#: :mod:`search.engines.opensearch`, which writes them).
STEP = 2
SLOT_PREFIX = "\u2261"
#: Slop meaning "any distance" (``NEAR/s``: the same sentence, however far).
UNBOUNDED = 1 << 24


class UnsupportedQuery(ZeitungError):
    """A query class this compiler does not know (a new query-language feature)."""


@dataclass
class Compiled:
    """The DSL of one query, and whether any part of it only approximates Whoosh."""

    dsl: dict
    approximate: list[str] = field(default_factory=list)


def compile_query(q: wq.Query, schema: Schema | None = None) -> Compiled:
    """The OpenSearch ``query`` object for a Zeitung (Whoosh) query.

    :param schema: whose field boosts apply (``title`` weighs 2); None: no field boosts.
    :raises UnsupportedQuery: for a query class with no translation here.
    """
    compiler = _Compiler(schema)
    return Compiled(compiler.query(q), compiler.approximate)


def date_value(value: dt.datetime) -> str:
    """A datetime as the date field's format expects (milliseconds, no zone)."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"


class _Compiler:
    def __init__(self, schema: Schema | None) -> None:
        self.schema = schema
        self.approximate: list[str] = []

    def field_boost(self, fieldname: str) -> float:
        if self.schema is None or fieldname not in self.schema:
            return 1.0
        return float(getattr(self.schema[fieldname], "field_boost", 1.0) or 1.0)

    # -- boolean context ---------------------------------------------------------------
    def query(self, q: wq.Query) -> dict:
        boost = float(getattr(q, "boost", 1.0) or 1.0)
        if isinstance(q, wq.Term):
            b = boost * self.field_boost(q.fieldname)
            return {"term": {q.fieldname: _with_boost({"value": _text(q.text)}, b)}}
        if type(q).__name__ == "WordForms":
            b = boost * self.field_boost(q.fieldname)
            value = SLOT_PREFIX + _text(q.text)
            return {"term": {q.fieldname: _with_boost({"value": value}, b)}}
        if type(q).__name__ == "WindowQuery":  # a compound's parts outside NEAR: documents
            window = self.window([self.span(s) for s in q.qs], q.slop)
            return self.boosted(window, boost * self.field_boost(_fieldname(q)))
        if isinstance(q, spans.SpanQuery) or isinstance(q, wq.Phrase):
            return self.boosted(self.span(q), boost * self.field_boost(_fieldname(q)))
        if isinstance(q, wq.AndMaybe):
            required, optional = q.children()
            return self.boosted(
                {"bool": {"must": [self.query(required)], "should": [self.query(optional)]}},
                boost,
            )
        if isinstance(q, wq.AndNot):
            positive, negative = q.children()
            return self.boosted(
                {"bool": {"must": [self.query(positive)], "must_not": [self.query(negative)]}},
                boost,
            )
        if isinstance(q, wq.Not):
            return {"bool": {"filter": [{"match_all": {}}], "must_not": [self.query(q.query)]}}
        if isinstance(q, wq.And):
            subs = list(q.children())
            if not subs:
                return {"match_all": {}}
            return self.boosted({"bool": {"must": [self.query(s) for s in subs]}}, boost)
        if isinstance(q, wq.Or):
            subs = list(q.children())
            if not subs:
                return {"match_none": {}}
            return self.boosted(
                {"bool": {"should": [self.query(s) for s in subs], "minimum_should_match": 1}},
                boost,
            )
        if isinstance(q, wq.Prefix):
            b = boost * self.field_boost(q.fieldname)
            return {"prefix": {q.fieldname: _with_boost({"value": _text(q.text)}, b)}}
        if isinstance(q, wq.Wildcard):
            b = boost * self.field_boost(q.fieldname)
            value = _wildcard(_text(q.text))
            return {"wildcard": {q.fieldname: _with_boost({"value": value}, b)}}
        if isinstance(q, wq.DateRange):
            return {"range": {q.fieldname: _date_bounds(q)}}
        if isinstance(q, wq.Every):
            return {"match_all": {}}
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {"match_none": {}}
        raise UnsupportedQuery(f"OpenSearch: no translation for {type(q).__name__} ({q!r})")

    def boosted(self, dsl: dict, boost: float) -> dict:
        if math.isclose(boost, 1.0):
            return dsl
        if "bool" in dsl:
            dsl["bool"]["boost"] = boost
            return dsl
        return {"bool": {"must": [dsl], "boost": boost}}

    # -- span context ------------------------------------------------------------------
    def span(self, q: wq.Query) -> dict:
        """A span query for *q* (an operand of NEAR, a phrase, a compound's parts)."""
        leaf = _slot(q)
        if leaf is not None:
            return leaf
        if isinstance(q, wq.Phrase):
            slots = [{"span_term": {q.fieldname: _text(w)}} for w in q.words]
            return self.phrase(slots, [(1, q.slop)] * (len(slots) - 1))
        if isinstance(q, spans.SpanNear2) and q.ordered and q.mindist >= 1:
            slots = [_slot(s) for s in q.qs]
            if all(slot is not None for slot in slots):
                return self.phrase(slots, [(q.mindist, q.slop)] * (len(slots) - 1))
        if isinstance(q, spans.SpanNear) and q.ordered and _slot_chain(q) is not None:
            slots, windows = _slot_chain(q)
            return self.phrase(slots, windows)
        if type(q).__name__ == "WindowQuery":
            return self.window_span([self.span(s) for s in q.qs], q.slop)
        if type(q).__name__ == "SameUnitQuery":
            operands = [self.span(s) for s in q.qs]
            boundary = {"span_term": {q.boundary.fieldname: _text(q.boundary.text)}}
            return {"span_not": {"include": self.near(operands, UNBOUNDED), "exclude": boundary}}
        if isinstance(q, spans.SpanNear2) and not q.ordered and q.mindist == 0:
            return self.near([self.span(s) for s in q.qs], q.slop)
        if isinstance(q, spans.SpanNear) and not q.ordered and q.mindist == 0:
            return self.near([self.span(q.a), self.span(q.b)], q.slop)
        if isinstance(q, spans.SpanOr):
            return {"span_or": {"clauses": [self.span(s) for s in q.subqs]}}
        if isinstance(q, wq.Or):
            return {"span_or": {"clauses": [self.span(s) for s in q.children()]}}
        if isinstance(q, wq.Prefix):
            return {"span_multi": {"match": {"prefix": {q.fieldname: {"value": _text(q.text)}}}}}
        if isinstance(q, wq.Wildcard):
            value = _wildcard(_text(q.text))
            return {"span_multi": {"match": {"wildcard": {q.fieldname: {"value": value}}}}}
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {"span_term": {"text": NO_TERM}}
        raise UnsupportedQuery(f"OpenSearch: no span translation for {type(q).__name__} ({q!r})")

    def near(self, operands: list[dict], distance: int) -> dict:
        """Whoosh's unordered ``SpanNear2``: each operand within *distance* words of the
        span of those before it (overlapping counts as 0)."""
        result = operands[0]
        for operand in operands[1:]:
            result = {
                "span_near": {
                    "clauses": [result, operand],
                    "slop": min(STEP * distance - 1, UNBOUNDED),
                    "in_order": False,
                }
            }
        return result

    def window(self, operands: list[dict], window: int) -> dict:
        """``WindowQuery``: the last operand (a compound's head) at some position *h*, every
        other one within ``[h, h + window]`` words. The head is stretched over its window
        (``span_gap``) and must contain each other part (``span_containing``); the span is
        the whole window, where Whoosh's ends at the last part found."""
        if len(operands) == 1:
            return operands[0]
        head = operands[-1]
        gap = {"span_gap": {_field_of(head): STEP * window}}
        big: dict = {"span_near": {"clauses": [head, gap], "slop": 0, "in_order": True}}
        for part in operands[:-1]:
            big = {"span_containing": {"big": big, "little": part}}
        return big

    def window_span(self, operands: list[dict], window: int) -> dict:
        """``WindowQuery`` inside ``NEAR``, where its span counts: for two parts, exactly
        Whoosh's spans (head, then the other part after it or at its position); for more,
        :meth:`window` (the span is the whole window, marked approximate)."""
        if len(operands) != 2:
            if len(operands) > 2:
                self.approximate.append(
                    f"a compound of {len(operands)} parts inside NEAR: its span is the whole "
                    f"{window}-word window after its head"
                )
            return self.window(operands, window)
        part, head = operands
        after = {
            "span_near": {"clauses": [head, part], "slop": STEP * window - 1, "in_order": True}
        }
        same = {"span_near": {"clauses": [head, part], "slop": -1, "in_order": False}}
        return {"span_or": {"clauses": [after, same]}}

    def phrase(self, terms: list[dict], windows: list[tuple[int, int]]) -> dict:
        """Terms in order, the i-th pair ``lo <= distance <= hi`` positions apart.

        Exact: an OR over every allowed offset vector of exact phrases, while they fit in
        :data:`MAX_PHRASE_CLAUSES`; else nested ordered pairs (upper bounds only).
        """
        if len(terms) == 1:
            return terms[0]
        ranges = [range(lo, hi + 1) for lo, hi in windows]
        count = math.prod(len(r) for r in ranges)
        if count == 0:
            return {"span_term": {_field_of(terms[0]): NO_TERM}}
        if count * (2 * len(terms) - 1) <= MAX_PHRASE_CLAUSES:
            variants = [_exact_phrase(terms, offsets) for offsets in itertools.product(*ranges)]
            return variants[0] if len(variants) == 1 else {"span_or": {"clauses": variants}}
        self.approximate.append(
            f"phrase of {len(terms)} words with windows {windows}: {count} exact variants "
            f"would pass {MAX_PHRASE_CLAUSES} clauses; nested span_near pairs instead"
        )
        result = terms[0]
        for slot, (_, hi) in zip(terms[1:], windows, strict=True):
            result = {
                "span_near": {"clauses": [result, slot], "slop": STEP * hi - 1, "in_order": True}
            }
        return result


def _exact_phrase(terms: list[dict], offsets: Iterable[int]) -> dict:
    """``terms`` at exactly these word distances from one another (``span_gap`` for the
    positions between)."""
    clauses: list[dict] = []
    fieldname = _field_of(terms[0])
    for slot, offset in zip(terms, itertools.chain((0,), offsets), strict=True):
        if offset and STEP * offset > 1:
            clauses.append({"span_gap": {fieldname: STEP * offset - 1}})
        clauses.append(slot)
    return {"span_near": {"clauses": clauses, "slop": 0, "in_order": True}}


def _slot(q: wq.Query) -> dict | None:
    """The span term of one phrase slot: a term, or a word's forms (``WordForms``)."""
    if isinstance(q, wq.Term):
        return {"span_term": {q.fieldname: _text(q.text)}}
    if type(q).__name__ == "WordForms":
        return _word_forms(q)
    return None


def _word_forms(q: wq.Query) -> dict:
    """A phrase slot: a position whose exact form has the slot's stem (the slot term).

    Whoosh also asks that the form begin with the stem or a seed (the word as typed, its
    lemma's forms); checking that here with prefix queries passed Lucene's 1024 clauses on
    generated phrases, so a form of the same stem that begins with neither also matches.
    """
    return {"span_term": {q.fieldname: SLOT_PREFIX + _text(q.text)}}


def _slot_chain(q: wq.Query) -> tuple[list[dict], list[tuple[int, int]]] | None:
    """An ordered ``SpanNear`` chain over slots (the builder's ``SpanGap``) as slots and
    windows ``(mindist, slop)``; None if it holds anything else."""
    leaf = _slot(q)
    if leaf is not None:
        return [leaf], []
    if not (isinstance(q, spans.SpanNear) and q.ordered and _slot(q.b) is not None):
        return None
    left = _slot_chain(q.a)
    if left is None:
        return None
    slots, windows = left
    return [*slots, _slot(q.b)], [*windows, (max(q.mindist, 1), q.slop)]


def _field_of(span: dict) -> str:
    """The field a span query searches (its first ``span_term``'s)."""
    kind, body = next(iter(span.items()))
    if kind == "span_term":
        return next(iter(body))
    if kind == "span_containing":
        return _field_of(body["big"])
    if kind in ("span_near", "span_or"):
        return _field_of(body["clauses"][0])
    if kind == "span_multi":
        return next(iter(next(iter(body["match"].values()))))
    return "text"


def _fieldname(q: wq.Query) -> str:
    name = getattr(q, "fieldname", None)
    if name:
        return name
    for child in q.children():
        return _fieldname(child)
    return ""


def _with_boost(body: dict, boost: float) -> dict:
    if not math.isclose(boost, 1.0):
        body["boost"] = boost
    return body


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _wildcard(pattern: str) -> str:
    """Whoosh's ``*``/``?`` pattern for Lucene, whose wildcard syntax also has ``\\``."""
    return pattern.replace("\\", "\\\\")


def _date_bounds(q: wq.DateRange) -> dict:
    bounds: dict = {"format": "strict_date_hour_minute_second_millis"}
    if q.startdate is not None:
        bounds["gt" if q.startexcl else "gte"] = date_value(q.startdate)
    if q.enddate is not None:
        bounds["lt" if q.endexcl else "lte"] = date_value(q.enddate)
    return bounds
