"""A recursive-descent parser from tokens to the query tree of :mod:`search.query.nodes`.

Grammar, loosest binding first (``[match]`` is ``AND`` with match="all", ``OR`` with "any")::

    query    := or_expr
    or_expr  := seq (OR seq)*
    seq      := conj (conj)*             -- juxtaposition: joined by [match]
    conj     := near (AND near)*
    near     := unary (NEAR/N unary)*
    unary    := NOT unary | -unary | +unary | primary
    primary  := ( or_expr ) | FIELD unary | PHRASE | WORD

``+term`` marks a term as required inside a ``seq``: with match="any" the required terms must
match and the others only rank higher; with "all" every term is required anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from search.dates import DateSpan, parse_date_expression
from search.errors import QuerySyntaxError
from search.query.lexer import Token
from search.query.nodes import (
    DateCond,
    Maybe,
    Near,
    Node,
    Not,
    Phrase,
    Word,
    make_all,
    make_any,
)

#: How deep parentheses and prefix operators may nest.
MAX_DEPTH = 64
#: The most words and phrases one query may have (a long article pasted as a query still
#: fits; beyond it the cost of the query, not its meaning, grows).
MAX_TERMS = 1000

_DATE_FIELDS = ("date", "since", "until")


@dataclass(frozen=True)
class _Required:
    """A ``+term`` on its way to the enclosing ``seq``."""

    node: Node


def _plain(node: Node | _Required) -> Node:
    return node.node if isinstance(node, _Required) else node


class Parser:
    """Parses one query; create a new parser for each query."""

    def __init__(
        self,
        query: str,
        tokens: list[Token],
        *,
        match: Literal["all", "any"],
        today: dt.date,
    ) -> None:
        self.query = query
        self.tokens = tokens
        self.match = match
        self.today = today
        self.i = 0
        self.depth = 0

    # -- token helpers ---------------------------------------------------------------
    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def kind(self) -> str | None:
        tok = self.peek()
        return tok.kind if tok else None

    def end_position(self) -> int:
        return len(self.query)

    def nest(self, at: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"the query nests deeper than {MAX_DEPTH} levels", at)

    # -- grammar ---------------------------------------------------------------------
    def parse(self) -> Node:
        if not self.tokens:
            raise QuerySyntaxError("the query is empty", 0)
        terms = [t for t in self.tokens if t.kind in ("WORD", "PHRASE")]
        if len(terms) > MAX_TERMS:
            raise QuerySyntaxError(
                f"the query has {len(terms)} words and phrases; at most {MAX_TERMS} are allowed",
                terms[MAX_TERMS].start,
            )
        node = self.or_expr(None)
        tok = self.peek()
        if tok is not None:  # only a stray ")" can stop or_expr early
            raise QuerySyntaxError("')' without a matching '('", tok.start)
        return node

    def or_expr(self, fieldname: str | None) -> Node:
        items = [self.seq(fieldname)]
        while self.kind() == "OR":
            op = self.next()
            if self.kind() in (None, ")", "OR"):
                raise QuerySyntaxError(f"{op.text} needs a term after it", op.start)
            items.append(self.seq(fieldname))
        node = make_any(items)
        assert node is not None
        return node

    def seq(self, fieldname: str | None) -> Node:
        tok = self.peek()
        if tok is None or tok.kind in (")", "OR", "AND", "NEAR"):
            if tok is None:
                raise QuerySyntaxError("a term is missing at the end", self.end_position())
            if tok.kind == ")":
                raise QuerySyntaxError("empty parentheses or a term missing before ')'", tok.start)
            raise QuerySyntaxError(f"{tok.text} needs a term before it", tok.start)
        items: list[Node | _Required] = []
        while self.kind() not in (None, ")", "OR"):
            if self.kind() in ("AND", "NEAR"):
                bad = self.next()
                raise QuerySyntaxError(f"{bad.text} needs a term before it", bad.start)
            items.append(self.conj(fieldname))
        return self.combine(items)

    def combine(self, items: list[Node | _Required]) -> Node:
        """Join juxtaposed terms by the match mode (see the module docstring)."""
        if self.match == "all":
            node = make_all([_plain(i) for i in items])
        else:
            required = [i.node for i in items if isinstance(i, _Required)]
            plain = [i for i in items if not isinstance(i, _Required)]
            negative = [i for i in plain if isinstance(i, Not)]
            optional = make_any([i for i in plain if not isinstance(i, Not)])
            core = make_all(required)
            if core is not None and optional is not None:
                core = Maybe(core, optional)
            elif core is None:
                core = optional
            node = make_all(([core] if core is not None else []) + negative)
        assert node is not None
        return node

    def conj(self, fieldname: str | None) -> Node | _Required:
        first = self.near(fieldname)
        if self.kind() != "AND":
            return first
        items = [_plain(first)]
        while self.kind() == "AND":
            op = self.next()
            if self.kind() in (None, ")", "OR", "AND", "NEAR"):
                raise QuerySyntaxError(f"{op.text} needs a term after it", op.start)
            items.append(_plain(self.near(fieldname)))
        node = make_all(items)
        assert node is not None
        return node

    def near(self, fieldname: str | None) -> Node | _Required:
        first = self.unary(fieldname)
        if self.kind() != "NEAR":
            return first
        chain = [_plain(first)]
        distance: int | str | None = None
        while self.kind() == "NEAR":
            op = self.next()
            if self.kind() in (None, ")", "OR", "AND", "NEAR"):
                raise QuerySyntaxError(f"{op.text} needs a term after it", op.start)
            right = _plain(self.unary(fieldname))
            assert isinstance(op.value, int | str)
            if distance is not None and op.value != distance:
                chain = [Near(tuple(chain), distance)]
            distance = op.value
            chain.append(right)
        assert distance is not None
        return Near(tuple(chain), distance)

    def unary(self, fieldname: str | None) -> Node | _Required:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("a term is missing at the end", self.end_position())
        if tok.kind in ("NOT", "-", "+"):
            self.next()
            if self.kind() in (None, ")", "OR", "AND", "NEAR"):
                raise QuerySyntaxError(f"{tok.text} needs a term after it", tok.start)
            self.nest(tok.start)
            inner = _plain(self.unary(fieldname))
            self.depth -= 1
            return _Required(inner) if tok.kind == "+" else Not(inner)
        return self.primary(fieldname)

    def primary(self, fieldname: str | None) -> Node | _Required:
        tok = self.next()
        if tok.kind == "(":
            if self.kind() is None:
                raise QuerySyntaxError("'(' is not closed", tok.start)
            self.nest(tok.start)
            node = self.or_expr(fieldname)
            self.depth -= 1
            if self.kind() != ")":
                raise QuerySyntaxError("'(' is not closed", tok.start)
            self.next()
            return node
        if tok.kind == "FIELD":
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR", "AND", "NEAR"):
                raise QuerySyntaxError(f"{tok.text} needs a value after it", tok.start)
            assert isinstance(tok.value, str)
            return self.unary(tok.value)
        if fieldname in _DATE_FIELDS and tok.kind in ("WORD", "PHRASE"):
            return self.date(tok, fieldname)
        if tok.kind == "PHRASE":
            text, slop = tok.value  # type: ignore[misc]
            return Phrase(text, fieldname, slop, start=tok.start)
        if tok.kind == "WORD":
            text = tok.text
            if text.startswith("=") and len(text) > 1:
                return Word(text[1:], fieldname, exact=True, start=tok.start)
            if text.startswith("&") and len(text) > 1:
                return Word(text[1:], fieldname, start=tok.start, lemma=True)
            return Word(text, fieldname, start=tok.start)
        if tok.kind == ")":
            raise QuerySyntaxError("')' without a matching '('", tok.start)
        raise QuerySyntaxError(f"{tok.text} needs a term before it", tok.start)

    def date(self, first: Token, fieldname: str | None) -> DateCond:
        """A date condition: the run of words and quotes written without spaces between."""
        last = first
        while (tok := self.peek()) and tok.kind in ("WORD", "PHRASE") and tok.start == last.end:
            last = self.next()
        raw = self.query[first.start : last.end].replace('"', " ")
        span = parse_date_expression(raw, today=self.today, offset=first.start)
        if fieldname == "since":
            if span.start is None:
                raise QuerySyntaxError("seit: needs a start date", first.start)
            span = DateSpan(span.start, None)
        elif fieldname == "until":
            if span.end is None:
                raise QuerySyntaxError("bis: needs an end date", first.start)
            span = DateSpan(None, span.end)
        return DateCond(span, start=first.start)
