"""Split a query string into tokens that remember where they stand in it.

Token kinds: ``(`` and ``)``; ``PHRASE`` (a quoted string, with the ``~N`` written right after
the closing quote); ``FIELD`` (``name:`` for a known field); the operators ``AND``, ``OR``,
``NOT`` (also ``UND``, ``ODER``, ``NICHT``) and ``NEAR`` (``NEAR/5``); the signs ``+`` and ``-``
directly before a term; and ``WORD`` for everything else up to white space, a parenthesis or a
quote. Operators are recognised in capitals only, so ``und`` stays a (stop) word.

A ``-`` after a lowercase ``und``/``oder``/``sowie``/``bzw.`` and before a lowercase letter is
German's elision hyphen (``Privatpersonen und -organisationen``), part of the word, not an
exclusion; ``Macron und -Scholz`` (capital) or ``Macron -scholz`` still excludes.

A ``?`` or ``!`` standing alone (``Was sagt die Regierung ?``) or right after a closing quote
(``"sensationellen Flirt"?``) is punctuation and dropped. A gender form (``Lehrer:innen``,
``Lehrer*innen``) is a word, not a field prefix or a wildcard. ``NEAR/N`` and ``~N`` take a
whole number from 0 to :data:`MAX_DISTANCE`; anything else after them is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.errors import QuerySyntaxError
from search.schema import FIELD_ALIASES

#: Field names that only exist in queries: they turn a date into an open range.
DATE_BOUND_FIELDS: dict[str, str] = {
    "seit": "since",
    "since": "since",
    "bis": "until",
    "until": "until",
}

#: The distance a bare ``NEAR`` (without ``/N``) stands for.
DEFAULT_NEAR_DISTANCE = 5
#: The largest ``NEAR/N`` and ``"…"~N`` (an article rarely has more words than this).
MAX_DISTANCE = 1000

_OPERATORS = {"AND": "AND", "UND": "AND", "OR": "OR", "ODER": "OR", "NOT": "NOT", "NICHT": "NOT"}
_NEAR = re.compile(r"NEAR(?:/(\S*))?", re.ASCII)
_FIELD = re.compile(r"([^\W\d_]+):", re.UNICODE)
_SLOP = re.compile(r"~([^\s()\"]*)")
#: A word that is only sentence punctuation: dropped.
_PUNCTUATION = re.compile(r"[?!]+")
#: ``in``/``innen`` after a gender joiner: ``Lehrer:innen`` is no field, ``Lehrer*innen`` no
#: wildcard (see :func:`search.query.nodes.is_gender_form`).
_GENDER_REST = re.compile(r"-?(?i:in|innen)")
_STOP = frozenset('()"')

#: Lowercase conjunctions after which ``-word`` continues an elided compound.
_ELISION_AFTER = frozenset({"und", "oder", "sowie", "bzw.", "bzw", "beziehungsweise"})


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text as written, where it starts and ends, and its value.

    ``value`` is the field name for ``FIELD``, ``(text, slop)`` for ``PHRASE`` and the
    distance for ``NEAR``.
    """

    kind: str
    text: str
    start: int
    end: int
    value: object = None


def tokenize(query: str, notes: list[str]) -> list[Token]:
    """The tokens of *query*; repairs (an unclosed quote at the end) are appended to *notes*.

    :raises QuerySyntaxError: for a ``name:`` prefix that names no field.
    """
    tokens: list[Token] = []
    i, n = 0, len(query)
    after_field = False
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        if ch in "()":
            tokens.append(Token(ch, ch, i, i + 1))
            i += 1
        elif ch == '"':
            close = query.find('"', i + 1)
            if close < 0:
                notes.append(f"closed the quote opened at character {i + 1} at the end")
                text, i = query[i + 1 :], n
            else:
                text, i = query[i + 1 : close], close + 1
            slop = None
            if m := _SLOP.match(query, i):
                slop = _distance(m.group(1), "~", m.start())
                i = m.end()
            tokens.append(Token("PHRASE", query[start:i], start, i, (text, slop)))
            if m := _PUNCTUATION.match(query, i):  # "Flirt"? : a question's mark
                i = m.end()
        elif ch == "-" and _is_elision(tokens, query, i):
            i = _word_end(query, i + 1)  # "und -organisationen": the word without its hyphen
            tokens.append(Token("WORD", query[start + 1 : i], start + 1, i))
        elif ch in "+-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != ")":
            tokens.append(Token(ch, ch, i, i + 1))
            i += 1
            continue  # a sign keeps the field context for the term it belongs to
        else:
            i = _word_end(query, i)
            run = query[start:i]
            field = None if after_field else _field_prefix(run, start)
            if field is not None:
                end = start + len(field[0]) + 1
                tokens.append(Token("FIELD", run[: end - start], start, end, field[1]))
                i = end
                after_field = True
                continue
            if not after_field and run in _OPERATORS:
                tokens.append(Token(_OPERATORS[run], run, start, i))
            elif not after_field and (m := _NEAR.fullmatch(run)):
                if m.group(1) is None:
                    notes.append(f"read NEAR as NEAR/{DEFAULT_NEAR_DISTANCE}")
                    distance: int | str = DEFAULT_NEAR_DISTANCE
                elif m.group(1) in NEAR_UNITS:
                    distance = m.group(1)
                else:
                    distance = _distance(m.group(1), "NEAR/", start)
                tokens.append(Token("NEAR", run, start, i, distance))
            elif _PUNCTUATION.fullmatch(run):
                notes.append(f"ignored '{run}' at character {start + 1}: punctuation")
            else:
                tokens.append(Token("WORD", run, start, i))
        after_field = False
    return tokens


#: ``NEAR/s`` (same sentence) and ``NEAR/p`` (same paragraph).
NEAR_UNITS = {"s": "sentence", "p": "paragraph"}


def _distance(digits: str, what: str, at: int) -> int:
    """The number after ``NEAR/`` or ``~``, checked."""
    if digits.isascii() and digits.isdigit() and int(digits) <= MAX_DISTANCE:
        return int(digits)
    units = ", s (same sentence) or p (same paragraph)" if what == "NEAR/" else ""
    raise QuerySyntaxError(
        f"{what}{digits} needs a whole number of words from 0 to {MAX_DISTANCE}{units}", at
    )


def _word_end(query: str, i: int) -> int:
    """Where the run of word characters starting at *i* ends (white space, bracket, quote)."""
    n = len(query)
    while i < n and not query[i].isspace() and query[i] not in _STOP:
        i += 1
    return i


def _is_elision(tokens: list[Token], query: str, i: int) -> bool:
    """Is the ``-`` at *i* an elision hyphen (``und -organisationen``), not an exclusion?"""
    return (
        i + 1 < len(query)
        and query[i + 1].islower()
        and bool(tokens)
        and tokens[-1].kind == "WORD"
        and tokens[-1].text in _ELISION_AFTER
        and tokens[-1].end < i  # white space between them
    )


def _field_prefix(run: str, start: int) -> tuple[str, str] | None:
    """``(name as written, canonical name)`` if *run* starts with a field prefix."""
    m = _FIELD.match(run)
    if m is None:
        return None
    name = m.group(1).casefold()
    if name in FIELD_ALIASES:
        return m.group(1), FIELD_ALIASES[name]
    if name in DATE_BOUND_FIELDS:
        return m.group(1), DATE_BOUND_FIELDS[name]
    rest = run[m.end() :]
    if not rest or rest.startswith("//") or _GENDER_REST.fullmatch(rest):
        return None  # "Fazit:", "https://…", "Lehrer:innen": an ordinary word
    known = ", ".join(sorted({*FIELD_ALIASES, *DATE_BOUND_FIELDS}))
    raise QuerySyntaxError(
        f"unknown field '{m.group(1)}' (known: {known}; quote the word to search for it)", start
    )
