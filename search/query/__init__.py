"""The Zeitung query language: parse a query string into a Whoosh query.

Building a query is kept apart from running it: :func:`parse_query` returns a
:class:`ParsedQuery` whose ``str()`` is the canonical form of what was understood and whose
:meth:`~ParsedQuery.explain` prints it as a tree (``zeitung search --explain``).

Why a hand-written parser and not ``whoosh.qparser`` plugins: the language has German operator
words, ``NEAR/N`` between groups, date expressions with spaces and ranges, and compound
expansion that needs the analysed tokens' kinds; fitting those into qparser means replacing
most of its plugins and tuning their priorities against each other. A small tokenizer that
keeps character positions plus a recursive-descent parser (:mod:`.lexer`, :mod:`.parser`) gives
error messages that name the place ("'(' is not closed (at character 12)") and a tree
(:mod:`.nodes`) that is turned into standard Whoosh query classes in one place
(:mod:`.builder`).

Decisions: words that analyse to nothing (stop words alone) are dropped with a note; if nothing
is left, the stop words are searched as exact words (``Wer ist das``, ``=Uber``); a query
with no letters or digits at all is an error that says what is missing, as is an empty query.
All messages are English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from whoosh import query as wq
from whoosh.fields import Schema

from search.dates import parse_date_expression
from search.errors import InvalidOption, QuerySyntaxError
from search.query.builder import Builder, date_range
from search.query.explain import explain_tree
from search.query.lexer import tokenize
from search.query.nodes import Node, Phrase, Word, unparse
from search.query.parser import Parser
from search.query.weighting import RsjBM25F

__all__ = ["RANKING_VERSION", "SYNTAX", "WEIGHTING", "ParsedQuery", "date_filter", "parse_query"]

#: The weighting model to search with (``searcher(weighting=WEIGHTING)``): BM25F with Lucene's
#: idf, so words found almost everywhere weigh almost nothing (see :mod:`.weighting`).
#: K1=0.6 (term frequency saturates early) since common words weigh less in ``match="any"``:
#: XQuAD-de nDCG@10 +0.0022 [-0.0004, +0.0046] over K1=0.9, DEV +0.0024, TEST +0.0020.
#: How titles are weighted, recorded in every index (``NewsIndex.create``) and checked when
#: one is opened: an index written for another version is refused, never ranked differently
#: in silence. 1: the title's ``field_boost=2`` baked into the postings, and a title made from
#: the text for display indexed as a title. 2: no title terms for a derived title, the
#: title's weight in :data:`WEIGHTING`.
RANKING_VERSION = 2

WEIGHTING = RsjBM25F(B=0.5, K1=0.6, weights={"title": 2.0})

#: The query syntax in brief, for ``zeitung search --help`` and the README. Every example
#: here is parsed by the tests.
SYNTAX = """\
Gaspreise Kasachstan          all words (--any: any word, more matches rank higher)
Merkel OR Scholz              also ODER; AND/UND; NOT/NICHT; -word excludes, +word requires
(Scholz OR Kanzler) -Macron   parentheses nest freely
"Organisation des Vertrags"   phrase: words in order, stop words only as themselves
"Scholz Macron"~3             words in this order, at most 3 other words between each pair
Scholz NEAR/5 Macron          at most 5 words apart, any order; also (a OR b) NEAR/5 c
Scholz NEAR/s Macron          in one sentence (NEAR/p: one paragraph), any order
Protest*  Me?er  Verträg*     wildcards on folded word forms (finds "Vertraege")
=Häuser                       exactly this form: no stemming, no compound parts
=schön                        this spelling: schön, schoen (not schon)
Gaspreise                     compounds also match their parts close by: "Preis für Gas"
Lehrer*innen  Lehrer:innen    gender forms: Lehrer, Lehrerin, Lehrerinnen, every spelling
titel:Merkel  text:Kiew       fields: title/titel, text, source/quelle, author/autor,
quelle:Rheinkurier              section/ressort, url
datum:2022-01-06  date:2022-01  date:2022  datum:6.1.2022  date:"5. Januar 2022"
date:2022-01..2022-03  date:06.01.2022..31.01.2022  date:2023..  date:>=2022-03  date:<2022
datum:heute  datum:gestern  datum:"letzte Woche"  datum:"letzter Monat"  seit:"März 2022"
datum:"letzte 30 Tage"  bis:2021
"""


@dataclass
class ParsedQuery:
    """A parsed query: the Whoosh query to run, the tree it came from, and repairs made.

    :param query: ready for ``searcher.search(...)``.
    :param tree: what was understood, before analysis (see :mod:`search.query.nodes`).
    :param notes: repairs and simplifications, e.g. a closed quote or an ignored stop word.
    """

    query: wq.Query
    tree: Node
    notes: list[str] = field(default_factory=list)
    builder: Builder | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        """The canonical query-language form; parsing it gives an equal query."""
        return unparse(self.tree)

    def explain(self) -> str:
        """An indented tree of what was understood, with the index terms of each word."""
        builder = self.builder or Builder(_default_schema())
        lines = explain_tree(self.tree, builder)
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)


def parse_query(
    text: str,
    *,
    match: Literal["all", "any"] = "all",
    today: dt.date | None = None,
    schema: Schema | None = None,
) -> ParsedQuery:
    """Parse *text* in the Zeitung query language.

    :param text: the query, e.g. ``Gaspreise AND datum:"Januar 2022"``.
    :param match: how juxtaposed words combine: "all" (AND) or "any" (OR, for ranking).
    :param today: the day relative dates (``gestern``) count from; default the real today.
    :param schema: the index schema whose analysers are used; default ``build_schema()``.
    :raises QuerySyntaxError: with the character position, for anything that cannot be parsed.
    """
    if match not in ("all", "any"):
        raise InvalidOption(f"match must be 'all' or 'any', not {match!r}")
    if schema is None:
        schema = _default_schema()
    notes: list[str] = []
    tokens = tokenize(text, notes)
    tree = Parser(text, tokens, match=match, today=today or dt.date.today()).parse()
    builder = Builder(schema, match)
    resolved = builder.resolve(tree)
    if resolved is None:
        builder.notes.clear()
        resolved = builder.stop_words_as_exact(tree)
        if resolved is not None:
            notes.append("only stop words: searched as exact words")
    notes.extend(builder.notes)
    if resolved is None:
        raise _nothing_to_search(tree)
    return ParsedQuery(builder.build(resolved), resolved, notes, builder)


def date_filter(
    start: str | None, end: str | None, *, today: dt.date | None = None
) -> wq.Query | None:
    """The date condition of ``--from``/``--to`` (same forms as ``date:``), or None if neither.

    ``--from "Januar 2022"`` starts on 1 January, ``--to "Januar 2022"`` ends on 31 January.

    :raises QuerySyntaxError: for a date that cannot be parsed or a start after the end.
    """
    today = today or dt.date.today()
    first = parse_date_expression(start, today=today).start if start else None
    last = parse_date_expression(end, today=today).end if end else None
    if first is None and last is None:
        return None
    if first is not None and last is not None and first > last:
        raise QuerySyntaxError(f"--from {first} is after --to {last}", None)
    return date_range(first, last)


def _nothing_to_search(tree: Node) -> QuerySyntaxError:
    """The error for a query with no word in it: say what the first leaf lacks."""
    leaf = next(iter(_leaves(tree)), None)
    if isinstance(leaf, Phrase):
        return QuerySyntaxError("the quotes hold no word to search for", leaf.start)
    if isinstance(leaf, Word) and leaf.text in ("=", "-", "+"):
        example = {"=": "=Häuser", "-": "-Strom", "+": "+Gas"}[leaf.text]
        return QuerySyntaxError(
            f"'{leaf.text}' needs a word right after it, as in {example}", leaf.start
        )
    start = leaf.start if leaf is not None else 0
    return QuerySyntaxError("nothing to search for: no letters or digits in the query", start)


def _leaves(node: Node):  # noqa: ANN202 - a generator of leaves
    if isinstance(node, Word | Phrase):
        yield node
    for child in getattr(node, "children", ()) or getattr(node, "operands", ()):
        yield from _leaves(child)
    for name in ("child", "required", "optional"):
        if hasattr(node, name):
            yield from _leaves(getattr(node, name))


_SCHEMA: Schema | None = None


def _default_schema() -> Schema:
    global _SCHEMA
    if _SCHEMA is None:
        from search.schema import build_schema

        _SCHEMA = build_schema()
    return _SCHEMA
