"""Snippets: show exactly why an article matched a query.

The pipeline has four roles, after ``whoosh.highlight``:

* the **marker** (:mod:`search.snippets.marks`) re-analyses the stored text with the field's
  analyser and walks the query tree to find the characters each *matched* clause stands for:
  the part of a compound, the surface form of a stemmed or folded word, both words of a
  phrase, nothing from an unmatched ``Or`` branch or from under ``Not``;
* the **fragmenter** (:mod:`search.snippets.fragments`) cuts candidate pieces around runs of
  marks, at sentence or word boundaries;
* the **scorer** ranks them (distinct matched terms, then density) and the **order** puts the
  chosen ones back in text order;
* the **formatter** is :mod:`search.render` (terminal, HTML, KWIC), which alone knows about
  rich and markup.

No I/O happens here: the text comes from the index's stored field.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.query import Query
from whoosh.query import spans as wspans

from search.model import Snippet
from search.snippets.fragments import (
    ELLIPSIS,
    Fragment,
    best_fragments,
    fold_whitespace,
    merge_ranges,
)
from search.snippets.marks import TokenTable, find_marks, find_occurrences

__all__ = [
    "ELLIPSIS",
    "KwicLine",
    "clear_cache",
    "SnippetOptions",
    "field_analyzer",
    "highlight_spans",
    "kwic_lines",
    "make_snippets",
    "query_fields",
    "snippets_and_title_marks",
]

#: Defaults of :class:`SnippetOptions`.
DEFAULT_FRAGMENTS = 3
DEFAULT_FRAGMENT_SIZE = 200


@dataclass(frozen=True, slots=True)
class SnippetOptions:
    """How many fragments to cut per hit, and how long each may be.

    :param fragments: fragments per hit (``--fragments N``); 0 means none.
    :param fragment_size: the length a fragment aims at, in characters, not counting the
        ellipses (``--fragment-size CHARS``); a single word longer than this is kept whole.
    """

    fragments: int = DEFAULT_FRAGMENTS
    fragment_size: int = DEFAULT_FRAGMENT_SIZE

    def __post_init__(self) -> None:
        if self.fragments < 0:
            raise ValueError(f"fragments must not be negative, got {self.fragments}")
        if self.fragment_size < 1:
            raise ValueError(f"fragment_size must be at least 1, got {self.fragment_size}")


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One concordance line: ``match`` with its context; ``start``/``end`` index the text."""

    left: str
    match: str
    right: str
    start: int
    end: int


@functools.lru_cache(maxsize=16)
def field_analyzer(fieldname: str):
    """The analyser of ``fieldname`` in :func:`search.schema.build_schema`, built once."""
    from search.schema import build_schema

    return build_schema()[fieldname].analyzer


#: How many analysed texts to keep: a hit's title and text are analysed once for the snippets,
#: the title marks and the KWIC lines together.
TABLE_CACHE_SIZE = 64


class _TableCache:
    """A small LRU of :class:`TokenTable` by (field, analyser, text)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple, tuple[object, TokenTable]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, fieldname: str, text: str, analyzer) -> TokenTable:
        key = (fieldname, id(analyzer), text)
        with self.lock:
            hit = self.items.get(key)
            if hit is not None and hit[0] is analyzer:
                self.items.move_to_end(key)
                return hit[1]
        table = TokenTable(fieldname, text, analyzer)
        with self.lock:
            # The analyser is kept with the table, so its id cannot be reused meanwhile.
            self.items[key] = (analyzer, table)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return table

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_TABLES = _TableCache(TABLE_CACHE_SIZE)


def clear_cache() -> None:
    """Forget the analysed texts (benchmarks measure the cold cost with it)."""
    _TABLES.clear()


#: Query nodes that never name a text field (dates, numbers, "everything").
_FIELDLESS = (wq.NumericRange, wq.ColumnQuery, wq.Every, type(wq.NullQuery))


@functools.lru_cache(maxsize=64)
def query_fields(query: Query) -> frozenset[str] | None:
    """The fields whose words ``query`` names, or None when that cannot be told.

    A field no clause names can hold no marks, so its text need not be analysed: the lead of
    an article found by ``date:2022`` costs no analysis at all (the analysis is what makes
    snippets expensive). Cached by query, as every hit of a search asks again.
    """
    names: set[str] = set()
    stack = [query]
    while stack:
        q = stack.pop()
        if isinstance(q, _FIELDLESS):
            continue
        if isinstance(q, wspans.SpanQuery) or not q.is_leaf():
            children = list(q.children())
            if not children:  # span queries and foreign nodes may hide their children
                return None
            stack.extend(children)
            continue
        name = getattr(q, "fieldname", None)
        if not name:
            return None
        names.add(name)
    return frozenset(names)


def _tables(
    fieldname: str, text: str, analyzer, fields: Mapping[str, str] | None, query: Query
) -> dict[str, TokenTable]:
    """The analysed highlighted field plus the other fields given as context, each only if
    a clause of ``query`` names it."""
    tables = {}
    try:
        named = query_fields(query)
    except (TypeError, NotImplementedError):  # a foreign node that cannot hash or list
        named = None
    # Context fields are folded like snippet text, so a hit's fields are analysed once.
    texts = {name: fold_whitespace(value) for name, value in (fields or {}).items() if value}
    texts[fieldname] = text
    for name, value in texts.items():
        if named is not None and name not in named:
            continue
        if analyzer is not None:
            field_an = analyzer
        else:
            try:
                field_an = field_analyzer(name)
            except KeyError:
                continue  # not a field of the schema: its clauses stay undecided
        tables[name] = _TABLES.get(name, value, field_an)
    return tables


def make_snippets(
    text: str,
    query: Query,
    *,
    fieldname: str = "text",
    analyzer=None,
    options: SnippetOptions = SnippetOptions(),  # noqa: B008 - frozen, so a safe default
    fields: Mapping[str, str] | None = None,
) -> list[Snippet]:
    """The best fragments of ``text`` for ``query``, in text order, with their marks.

    Whitespace is folded, so each snippet is a contiguous piece of the folded text, with
    :data:`ELLIPSIS` added where it was cut inside a sentence. A text the query did not match
    (the article matched through its title) gives its lead, unmarked.

    :param text: the article text, as stored in the index.
    :param query: the Whoosh query that found the article.
    :param fieldname: the field ``text`` was indexed in; selects the clauses that count.
    :param analyzer: the analyser for ``text`` and ``fields``; default: each field's one in
        the project's schema.
    :param options: number and size of fragments.
    :param fields: the article's other analysed fields (``{"title": title}``), so that
        clauses on them are decided, not assumed to have matched.
    """
    folded = fold_whitespace(text)
    _, fragments = _scan(folded, query, fieldname, analyzer, fields, options)
    return [_snippet(folded, f) for f in fragments]


def snippets_and_title_marks(
    text: str,
    title: str,
    query: Query,
    *,
    options: SnippetOptions = SnippetOptions(),  # noqa: B008 - frozen, so a safe default
    analyzers: tuple = (None, None),
) -> tuple[list[Snippet], list[tuple[int, int]]]:
    """A hit's snippets (:func:`make_snippets`) and its title's marks
    (:func:`highlight_spans`), deciding clauses on both fields with the same analysed piece
    of the text, so that the text is analysed once.

    :param analyzers: the text's and the title's analysers; default: the project schema's.
    """
    text_analyzer, title_analyzer = analyzers
    folded = fold_whitespace(text)
    part, fragments = _scan(folded, query, "text", text_analyzer, {"title": title}, options)
    title_marks = highlight_spans(
        title, query, fieldname="title", analyzer=title_analyzer, fields={"text": part}
    )
    return [_snippet(folded, f) for f in fragments], title_marks


#: Snippets analyse twice the characters they show (at least this many) of a text first,
#: and four times as many each time that holds too few marks: analysing the stored text
#: again is most of a search's time, and the first matches usually make good snippets.
SCAN_CHARS = 400
_SCAN_CUT = re.compile(r"[.!?…][\"'»«“”‘’)\]]* ")


def _scan(
    folded: str, query: Query, fieldname: str, analyzer, fields, options: SnippetOptions
) -> tuple[str, list[Fragment]]:
    """The fragments cut around the marks of the shortest prefix of ``folded`` whose marks
    fill all the fragments wanted (else of the whole text), and that prefix.

    A prefix ends at a sentence end (else between words), so its tokens and positions are
    those of the whole text; clauses are decided on it, so an ``And`` whose other word comes
    later only counts once the prefix reaches that word.
    """
    wanted = max(1, options.fragments)
    end = _cut(folded, max(SCAN_CHARS, 2 * wanted * options.fragment_size))
    while True:
        part = folded[:end]
        tables = _tables(fieldname, part, analyzer, fields, query)
        marks = find_marks(tables, query, fieldname) if fieldname in tables else []
        if fieldname not in tables or end >= len(folded) or len(merge_ranges(marks)) >= wanted:
            fragments = best_fragments(folded, marks, options.fragments, options.fragment_size)
            if not marks or end >= len(folded) or len(fragments) >= wanted:
                return part, fragments
        end = _cut(folded, end * 4)


def _cut(folded: str, chars: int) -> int:
    """The first sentence end at or after ``chars`` (else the next space), or the end."""
    if chars >= len(folded):
        return len(folded)
    m = _SCAN_CUT.search(folded, chars, chars + 1000)
    if m is not None:
        return m.end() - 1
    space = folded.find(" ", chars)
    return len(folded) if space < 0 else space


def _snippet(text: str, fragment: Fragment) -> Snippet:
    head = ELLIPSIS if fragment.cut_start else ""
    tail = ELLIPSIS if fragment.cut_end else ""
    shift = len(head) - fragment.start
    return Snippet(
        head + text[fragment.start : fragment.end] + tail,
        [(s + shift, e + shift) for s, e in fragment.marks],
    )


def highlight_spans(
    text: str,
    query: Query,
    *,
    fieldname: str,
    analyzer=None,
    fields: Mapping[str, str] | None = None,
) -> list[tuple[int, int]]:
    """All matched ``[start, end)`` ranges of ``text`` (a title, say), sorted and disjoint.

    :param text: the whole field value; offsets index it unchanged.
    :param query: the Whoosh query that found the article.
    :param fieldname: the field ``text`` was indexed in.
    :param analyzer: the analyser for ``text`` and ``fields``; default: each field's one in
        the project's schema.
    :param fields: the article's other analysed fields (``{"text": text}``), so that
        clauses on them are decided, not assumed to have matched.
    """
    tables = _tables(fieldname, text, analyzer, fields, query)
    return merge_ranges(find_marks(tables, query, fieldname))


_WORD_CHAR = re.compile(r"[\w-]")


def kwic_lines(
    text: str,
    query: Query,
    *,
    fieldname: str = "text",
    analyzer=None,
    width: int = 80,
    fields: Mapping[str, str] | None = None,
) -> list[KwicLine]:
    """One keyword-in-context line per occurrence of a matched clause, in text order.

    The match is the whole word (or phrase) that was marked; the contexts on either side
    are whitespace-folded and cut between words to about ``(width - len(match)) / 2`` chars.

    :param text: the article text, as stored; ``KwicLine.start``/``end`` index it.
    :param query: the Whoosh query that found the article.
    :param fieldname: the field ``text`` was indexed in.
    :param analyzer: that field's analyser; default: the one of the project's schema.
    :param width: the width of the whole line (left + match + right).
    :param fields: the article's other analysed fields (``{"title": title}``), so that
        clauses on them are decided, not assumed to have matched.
    """
    tables = _tables(fieldname, text, analyzer, fields, query)
    if fieldname not in tables:
        return []
    occurrences = find_occurrences(tables, _centre_compounds(query), fieldname)
    ranges = []
    for marks in occurrences:
        start = min(m.start for m in marks)
        end = max(m.end for m in marks)
        while start > 0 and _WORD_CHAR.match(text, start - 1):
            start -= 1
        while end < len(text) and _WORD_CHAR.match(text, end):
            end += 1
        ranges.append((start, end))
    lines = []
    for start, end in _merge_plain(ranges):
        match = fold_whitespace(text[start:end])
        side = max(0, (width - len(match)) // 2)
        lines.append(
            KwicLine(
                _left_context(text, start, side),
                match,
                _right_context(text, end, side),
                start,
                end,
            )
        )
    return lines


#: In a concordance, a compound's parts are one occurrence ("Preis für Gas" for Gaspreise)
#: when at most this many positions apart.
KWIC_PART_WINDOW = 2


def _centre_compounds(q: Query) -> Query:
    """``q`` with each compound's parts as one span, so a concordance centres "Preis für Gas"
    as one match instead of a line for "Preis" and one for "Gas".

    A compound is built as ``Or(Term(word), And(Term(part), ...))`` on one field; its ``And``
    becomes an unordered ``SpanNear2`` of the parts within :data:`KWIC_PART_WINDOW`. Parts
    far apart give no line: they are not the compound.
    """
    if isinstance(q, wq.Or):
        whole = {c.fieldname for c in q.subqueries if type(c) is wq.Term}
        return wq.Or(
            [_parts_span(c) if _is_parts(c, whole) else _centre_compounds(c) for c in q.subqueries],
            boost=q.boost,
        )
    if q.is_leaf() or isinstance(q, wspans.SpanQuery):
        return q
    return q.apply(_centre_compounds)


def _is_parts(q: Query, whole_fields: set[str]) -> bool:
    if not isinstance(q, wq.And) or len(q.subqueries) < 2:
        return False
    if not all(type(t) is wq.Term for t in q.subqueries):
        return False
    names = {t.fieldname for t in q.subqueries}
    return len(names) == 1 and names <= whole_fields


def _parts_span(q: wq.And) -> Query:
    return wspans.SpanNear2(list(q.subqueries), slop=KWIC_PART_WINDOW, ordered=False)


def _merge_plain(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _left_context(text: str, start: int, chars: int) -> str:
    """Up to ``chars`` folded chars before ``start``, starting with a whole word."""
    lo = max(0, start - 4 * chars - 8)
    raw = re.sub(r"\s+", " ", text[lo:start])
    partial = lo > 0 and not text[lo - 1].isspace()
    if len(raw) > chars:
        partial = raw[len(raw) - chars - 1] != " "
        raw = raw[len(raw) - chars :]
    if partial:
        space = raw.find(" ")
        raw = raw[space:] if space >= 0 else ""
    return raw.lstrip()


def _right_context(text: str, end: int, chars: int) -> str:
    """Up to ``chars`` folded chars after ``end``, ending with a whole word."""
    hi = min(len(text), end + 4 * chars + 8)
    raw = re.sub(r"\s+", " ", text[end:hi])
    partial = hi < len(text) and not text[hi].isspace()
    if len(raw) > chars:
        partial = raw[chars] != " "
        raw = raw[:chars]
    if partial:
        space = raw.rfind(" ")
        raw = raw[:space] if space >= 0 else ""
    return raw.rstrip()
