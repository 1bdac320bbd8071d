"""The German word tokenizer: words, numbers, hyphenated compounds and gender forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from analyzers.normalize import APOSTROPHES, HYPHENS, INVISIBLE

_ALNUM = r"(?:[^\W_]|[\u0300-\u036f])+"
#: One word: letters and digits, joined inside the word by hyphens, apostrophes and invisible
#: characters, by a decimal or thousands separator between digits (``3,5``, ``1.000``), or by a
#: gender joiner in front of ``in``/``innen`` (``Lehrer*innen``, ``Lehrer:in``, ``Lehrer/-innen``).
WORD_PATTERN = (
    rf"{_ALNUM}(?:(?:[{HYPHENS}{APOSTROPHES}{INVISIBLE}]+"
    r"|(?<=\d)[.,](?=\d)"
    r"|[*:_/]-?(?=(?i:in)(?:nen)?\b))"
    rf"{_ALNUM})*"
)


class GermanTokenizer(Tokenizer):
    """Split text into words, one position each, with character offsets into the text.

    A hyphenated word stays one token (``Corona-Krise``; the decompounder adds its parts),
    a gender form stays one token (``Lehrer*innen``, ``Lehrer:innen``, ``Lehrer_innen``),
    and numbers stay tokens (``2022``, ``3,5``). Every token has ``kind="word"``.
    """

    def __init__(self, pattern: str = WORD_PATTERN) -> None:
        """:param pattern: the regular expression one word matches."""
        self.pattern = pattern
        self._expr = re.compile(pattern)

    def __getstate__(self) -> dict:
        return {"pattern": self.pattern}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["pattern"])

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.pattern == other.pattern

    def __repr__(self) -> str:
        default = self.pattern == WORD_PATTERN
        return f"{type(self).__name__}({'' if default else repr(self.pattern)})"

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.kind = "word"
        t.boost = 1.0
        t.stopped = False
        if not tokenize:
            matches = [(value, 0, len(value))] if value else []
        else:
            matches = ((m.group(), m.start(), m.end()) for m in self._expr.finditer(value))
        pos = start_pos
        for text, start, end in matches:
            t.text = text
            if keeporiginal:
                t.original = text
            t.pos = pos
            t.startchar = start_char + start
            t.endchar = start_char + end
            t.kind = "word"
            t.stopped = False
            yield t
            pos += 1
