"""Sentence and paragraph boundaries as index terms, for ``NEAR/s`` and ``NEAR/p``.

In ``mode="index"`` the first word of every sentence after the first gets, at its own
position, a ``kind="boundary"`` token :data:`SENTENCE` (``§s``), and the first word of every
paragraph after the first also :data:`PARAGRAPH` (``§p``). They share the word's position,
so word counts (phrases, ``NEAR/N``) are unchanged, and no query word can spell them (the
tokenizer never yields ``§``). Two positions *a* ≤ *b* lie in one sentence when no ``§s``
stands at a position in (*a*, *b*]. Sentences are those of :func:`split_sentences`; a
paragraph starts after a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import Token

from analyzers.sentences import sentence_starts

SENTENCE = "§s"
PARAGRAPH = "§p"
#: A blank line: a paragraph starts where this ends.
BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


def boundary_starts(text: str) -> list[tuple[int, str]]:
    """(character offset, term) of every sentence and paragraph start after the first."""
    paragraphs = {m.end() for m in BLANK_LINE.finditer(text)}
    sentences = set(sentence_starts(text)) | paragraphs
    out = [(at, SENTENCE) for at in sentences]
    out.extend((at, PARAGRAPH) for at in paragraphs)
    return sorted(out)


def with_boundaries(tokens: Iterator[Token], text: str, start_char: int = 0) -> Iterator[Token]:
    """*tokens* of *text* with the boundary tokens put before the first token at or after
    each boundary (the token object is reused, as Whoosh tokenizers do)."""
    bounds = boundary_starts(text)
    if not bounds:
        yield from tokens
        return
    i, n = 0, len(bounds)
    for t in tokens:
        if i < n and t.startchar - start_char >= bounds[i][0]:
            terms = []
            while i < n and t.startchar - start_char >= bounds[i][0]:
                if bounds[i][1] not in terms:
                    terms.append(bounds[i][1])
                i += 1
            saved = (t.text, t.kind, t.endchar, getattr(t, "surface", ""))
            for term in terms:
                t.text, t.kind, t.endchar, t.surface = term, "boundary", t.startchar, ""
                yield t
            t.text, t.kind, t.endchar, t.surface = saved
        yield t
