"""Help for a search that found nothing: which part found nothing, and close words.

A query of several words finds nothing either because one word is in no article (a typo:
``Gasprise``) or because its parts never meet. Each word and phrase outside a ``NOT`` is
counted on its own; for a word no article contains, close words from the index's own
vocabulary are offered (its exact word forms, within two edits), each with the number of
articles the word would find, most found first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from whoosh.searching import Searcher

from search.query import ParsedQuery
from search.query.nodes import All, Any, Maybe, Near, Node, Not, Phrase, Word

#: Suggestions per word, and how far a suggestion may be from it (edits).
MAX_SUGGESTIONS = 3
#: Words this short get at most one edit (two would suggest half the vocabulary).
SHORT_WORD = 6
#: At most this many parts of a query are counted (each count is a search).
MAX_PARTS = 12


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A word of the index close to one the query asked for, and how many articles it finds."""

    word: str
    articles: int

    def to_dict(self) -> dict:
        return {"word": self.word, "articles": self.articles}


@dataclass(frozen=True, slots=True)
class PartCount:
    """One word or phrase of a query and how many articles it finds on its own."""

    text: str
    kind: str  # "word" or "phrase"
    articles: int
    suggestions: list[Suggestion] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "kind": self.kind,
            "articles": self.articles,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }


def explain_no_hits(searcher: Searcher, parsed: ParsedQuery) -> list[PartCount]:
    """Each positive word and phrase of ``parsed`` with its own article count; words that
    find nothing come with suggestions. Empty if the query has no such parts."""
    builder = parsed.builder
    if builder is None:
        return []
    out = []
    for node in list(_positive_leaves(parsed.tree))[:MAX_PARTS]:
        count = _count(searcher, builder.build(node, False))
        kind = "phrase" if isinstance(node, Phrase) else "word"
        suggestions = []
        if count == 0 and isinstance(node, Word) and not node.wildcard:
            suggestions = _suggest(searcher, parsed, node)
        out.append(PartCount(node.text, kind, count, suggestions))
    return out


def describe(parts: list[PartCount]) -> str:
    """One line for people: what found nothing and what to try instead."""
    missing = [p for p in parts if p.articles == 0]
    if not parts:
        return "no matches"
    if not missing and len(parts) == 1:
        (p,) = parts
        return (
            f"no matches: {p.text} alone finds {_articles(p.articles)}, "
            "but none meets the other conditions (NOT, dates)"
        )
    if not missing:
        found = ", ".join(f"{p.text} ({_articles(p.articles)})" for p in parts)
        return f"no matches: each part is found, but not together: {found}"
    pieces = []
    for p in missing:
        piece = f"{p.text}: no article contains this {p.kind}"
        if p.suggestions:
            options = " or ".join(f"{s.word} ({_articles(s.articles)})" for s in p.suggestions)
            piece += f"; did you mean {options}?"
        pieces.append(piece)
    return "no matches: " + "; ".join(pieces)


def _articles(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n} articles"


def _positive_leaves(node: Node) -> Iterator[Word | Phrase]:
    """Words and phrases not under ``NOT``, in query order, each once."""
    seen = set()
    stack = [node]
    while stack:
        n = stack.pop(0)
        if isinstance(n, Word | Phrase):
            key = (type(n), n.text, n.field, getattr(n, "exact", False))
            if key not in seen:
                seen.add(key)
                yield n
        elif isinstance(n, All | Any):
            stack[:0] = list(n.children)
        elif isinstance(n, Near):
            stack[:0] = list(n.operands)
        elif isinstance(n, Maybe):
            stack[:0] = [n.required, n.optional]
        elif isinstance(n, Not):
            continue


def _count(searcher: Searcher, query) -> int:
    return len(searcher.search(query, limit=1))


def _suggest(searcher: Searcher, parsed: ParsedQuery, node: Word) -> list[Suggestion]:
    """Exact word forms of the index within one or two edits of ``node``'s, by articles."""
    builder = parsed.builder
    reader = searcher.reader()
    fields = builder.fields(node.field)
    candidates: dict[str, int] = {}  # exact form -> articles with that very form
    folded_typed = ""
    for fieldname in fields:
        exact = builder.analyse(fieldname, node.text, "exact")
        forms = [w for _, words, _ in exact.positions for w in words]
        if len(forms) != 1 or fieldname not in reader.schema:
            continue
        form = forms[0]
        folded_typed = form[1:]
        maxdist = 1 if len(form.lstrip("=")) <= SHORT_WORD else 2
        # Typos keep the first letter: prefix=2 is "=" and that letter.
        for term in reader.terms_within(fieldname, form, maxdist, prefix=2):
            if term != form and term.startswith("="):
                freq = reader.doc_frequency(fieldname, term)
                candidates[term[1:]] = candidates.get(term[1:], 0) + freq
    # Forms of one word (Kasachstan, Kasachstans) find the same articles: offer the commonest.
    by_word: dict[object, str] = {}
    for word in sorted(candidates, key=lambda w: -candidates[w]):
        key = builder.analyse(fields[0], word, "query").positions
        by_word.setdefault(key, word)
    typed = node.text.lower()
    counted = []
    for word in by_word.values():
        shown = _like(word, node.text, folded_typed)
        count = _count(searcher, builder.build(Word(shown, node.field, node.exact), False))
        if count:
            counted.append((edit_distance(word, typed), Suggestion(shown, count)))
    # The closest first (a swapped pair of letters is one edit), then the commonest.
    counted.sort(key=lambda c: (c[0], -c[1].articles, c[1].word))
    return [s for _, s in counted[:MAX_SUGGESTIONS]]


def edit_distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions and swaps of two
    neighbouring letters (optimal string alignment).

    >>> edit_distance("gaspriese", "gaspreise")
    1
    """
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _like(word: str, typed: str, folded: str) -> str:
    """``word`` (an index form: lower case, umlauts folded) spelt as the user spelt ``typed``
    as far as the two agree: ``burger`` for ``Bürgr`` is shown as ``Bürger``.

    :param folded: ``typed`` as the index folds it; letter for letter unless ß became ss.
    """
    if len(folded) == len(typed):
        same = 0
        while same < min(len(word), len(folded)) and word[same] == folded[same]:
            same += 1
        return typed[:same] + word[same:]
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
