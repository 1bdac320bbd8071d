"""The query tree between parsing and building: what the user asked for, before analysis.

Nodes are frozen dataclasses. Composite nodes are made through :func:`make_all` and
:func:`make_any`, which flatten nesting and unwrap single children, so that every query has
one canonical tree; :func:`unparse` prints that tree in the query language, and parsing the
printed form gives the same tree back.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from search.dates import DateSpan


@dataclass(frozen=True)
class Word:
    """An unquoted word. ``field`` None means title and text; ``exact`` is the ``=`` form,
    ``lemma`` the ``&`` form (every inflected form of the word's lemma)."""

    text: str
    field: str | None = None
    exact: bool = False
    start: int = dataclasses.field(default=0, compare=False)
    lemma: bool = False

    @property
    def wildcard(self) -> bool:
        """``*`` or ``?`` in the word, unless it is a gender form (``Lehrer*innen``)."""
        return ("*" in self.text or "?" in self.text) and not is_gender_form(self.text)


#: A gender form as a query word: a stem, a joiner and ``in``/``innen`` (``Lehrer*innen``,
#: ``Lehrer:innen``, ``Lehrer_innen``, ``Lehrer/-innen``; ``LehrerInnen`` has no joiner).
_GENDER_FORM = re.compile(r"[^\W\d_]{2,}[*:_/]-?(?i:in|innen)")


def is_gender_form(text: str) -> bool:
    """Is *text* a gender form (``Lehrer*innen``)? It means what it means in the index:
    the masculine and feminine forms and every gender spelling, not a wildcard."""
    return _GENDER_FORM.fullmatch(text) is not None


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase; ``slop`` is the ``~N`` window (None: the words in a row)."""

    text: str
    field: str | None = None
    slop: int | None = None
    start: int = dataclasses.field(default=0, compare=False)


@dataclass(frozen=True)
class DateCond:
    """A condition on the article date."""

    span: DateSpan
    start: int = dataclasses.field(default=0, compare=False)


@dataclass(frozen=True)
class Near:
    """Operands at most ``distance`` words apart, in any order.

    ``distance`` is a number of positions, or ``"s"`` (all in one sentence) or ``"p"`` (all
    in one paragraph): ``NEAR/s``, ``NEAR/p``.
    """

    operands: tuple[Node, ...]
    distance: int | str


@dataclass(frozen=True)
class All:
    """Every child must match (``Not`` children must not)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    """At least one child must match."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The child must not match."""

    child: Node


@dataclass(frozen=True)
class Maybe:
    """``required`` must match; ``optional`` only ranks higher (``+a b`` with match="any")."""

    required: Node
    optional: Node


Node = Word | Phrase | DateCond | Near | All | Any | Not | Maybe
LEAVES = (Word, Phrase, DateCond)


def make_all(children: list[Node]) -> Node | None:
    """An :class:`All` of *children*, flattened, each child once; the child itself if only
    one; None if none."""
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, All) else (child,))
    flat = list(dict.fromkeys(flat))  # "Gas Gas" is "Gas" (and 1000 of them no deep tree)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else All(tuple(flat))


def make_any(children: list[Node]) -> Node | None:
    """An :class:`Any` of *children*, flattened, each child once; the child itself if only
    one; None if none."""
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, Any) else (child,))
    flat = list(dict.fromkeys(flat))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else Any(tuple(flat))


def _prefix(fieldname: str | None) -> str:
    return f"{fieldname}:" if fieldname else ""


def unparse(node: Node) -> str:
    """The canonical query-language form of *node*; it parses back to the same tree."""
    if isinstance(node, Word):
        return _prefix(node.field) + ("=" if node.exact else "&" if node.lemma else "") + node.text
    if isinstance(node, Phrase):
        slop = f"~{node.slop}" if node.slop is not None else ""
        return f'{_prefix(node.field)}"{node.text}"{slop}'
    if isinstance(node, DateCond):
        return f"date:{node.span}"
    if isinstance(node, Not):
        return "NOT " + _atom(node.child)
    if isinstance(node, All):
        return " AND ".join(
            _atom(c) if not isinstance(c, Not) else unparse(c) for c in node.children
        )
    if isinstance(node, Any):
        return " OR ".join(_atom(c) for c in node.children)
    if isinstance(node, Near):
        return f" NEAR/{node.distance} ".join(_atom(c) for c in node.operands)
    if isinstance(node, Maybe):
        return f"+{_atom(node.required)} {_atom(node.optional)}"
    raise TypeError(f"not a query node: {node!r}")


def _atom(node: Node) -> str:
    """*node* printed so that it binds as one operand: leaves bare, the rest in parentheses."""
    text = unparse(node)
    return text if isinstance(node, LEAVES) else f"({text})"
