"""``zeitung search --explain``: the query tree, one node a line, with each word's index terms."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.query import spans

from search.query.builder import Builder, SpanGap
from search.query.matchers import WindowQuery, WordForms
from search.query.nodes import All, Any, DateCond, Maybe, Near, Node, Not, Phrase, Word

INDENT = "  "


def explain_tree(node: Node, builder: Builder, depth: int = 0) -> list[str]:
    """Lines describing *node*, children indented below their parent."""
    pad = INDENT * depth
    if isinstance(node, Word | Phrase):
        return [pad + _leaf(node, builder)]
    if isinstance(node, DateCond):
        span = node.span
        if span.start == span.end:
            return [f"{pad}date on {span.start}"]
        if span.end is None:
            return [f"{pad}date from {span.start} on"]
        if span.start is None:
            return [f"{pad}date up to {span.end}"]
        return [f"{pad}date from {span.start} to {span.end}"]
    if isinstance(node, Not):
        return [pad + "NOT", *explain_tree(node.child, builder, depth + 1)]
    if isinstance(node, Maybe):
        return [
            pad + "REQUIRED",
            *explain_tree(node.required, builder, depth + 1),
            pad + "OPTIONAL (ranks higher)",
            *explain_tree(node.optional, builder, depth + 1),
        ]
    if isinstance(node, Near):
        if node.distance in ("s", "p"):
            unit = "sentence" if node.distance == "s" else "paragraph"
            head = f"NEAR/{node.distance} (all in one {unit}, any order)"
        else:
            head = f"NEAR/{node.distance} (at most {node.distance} words apart, any order)"
        children = node.operands
    else:
        head = "ALL OF" if isinstance(node, All) else "ANY OF"
        assert isinstance(node, All | Any)
        children = node.children
    lines = [pad + head]
    for child in children:
        lines.extend(explain_tree(child, builder, depth + 1))
    return lines


def _leaf(node: Word | Phrase, builder: Builder) -> str:
    if isinstance(node, Phrase):
        kind = f"phrase ~{node.slop}" if node.slop is not None else "phrase"
        shown = f'"{node.text}"'
    else:
        kind = "wildcard" if node.wildcard else "exact form" if node.exact else "word"
        kind = "lemma (all its forms)" if node.lemma else kind
        shown = f"'{node.text}'"
    fields = builder.fields(node.field)
    q = builder.leaf(node, fields[0])
    terms = _describe(q) if q is not None else "(nothing)"
    return f"{kind} {shown} in {', '.join(fields)}: {terms}"


def _describe(q: wq.Query) -> str:
    """A compact, human form of a one-field query (terms without the field name)."""
    if isinstance(q, wq.Term):
        return str(q.text)
    if isinstance(q, wq.Prefix):
        return f"{q.text}*"
    if isinstance(q, wq.Wildcard):
        return str(q.text)
    if isinstance(q, wq.Phrase):
        window = f"~{q.slop - 1}" if q.slop > 1 else ""
        return '"' + " ".join(q.words) + '"' + window
    if isinstance(q, SpanGap):
        gap = "" if q.slop == q.mindist else f"~{q.slop - q.mindist}"
        return f"{_describe(q.a)} {'_ ' * (q.mindist - 1)}{_describe(q.b)}{gap}"
    if isinstance(q, WindowQuery):
        return "(" + " & ".join(_describe(c) for c in q.qs) + f" within {q.slop} words)"
    if isinstance(q, WordForms):
        return str(q.text)
    if isinstance(q, spans.SpanNear2) and q.ordered:
        window = f"~{q.slop - 1}" if q.slop > 1 else ""
        return '"' + " ".join(_describe(c) for c in q.qs) + '"' + window
    if isinstance(q, spans.SpanNear2):
        return "(" + " & ".join(_describe(c) for c in q.qs) + ")"
    if isinstance(q, wq.And):
        return "(" + " AND ".join(_describe(c) for c in q.subqueries) + ")"
    if isinstance(q, wq.Or):
        return " OR ".join(_describe(c) for c in q.subqueries)
    children = list(q.children())
    if children:
        return " OR ".join(_describe(c) for c in children)
    return repr(q)
