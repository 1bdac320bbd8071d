"""German stop words, removed without renumbering positions."""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, Token
from whoosh.lang import stopwords_for_language

from analyzers.normalize import normalize_word

#: Question words the Snowball list lacks (it has ``was``, ``wie``, ``wo``): questions typed as
#: queries carry them, and they say nothing about the topic. The pronominal adverbs
#: ``wo(r)`` + preposition are a closed class and all listed (``worum``, ``wofür``, ``wogegen``).
QUESTION_WORDS = frozenset(
    normalize_word(w)
    for w in """wer wen wem wessen wann warum weshalb weswegen wieso wieviel wieviele woher
    wohin inwiefern inwieweit wobei wodurch wofür wogegen womit wonach woran worauf woraus
    worin worum worunter worüber wovon wovor wozu wozwischen""".split()
)
#: Snowball's German stop list (as shipped with Whoosh), folded, plus ``dass``/``wurde``
#: forms and :data:`QUESTION_WORDS`; ``weg`` is left out because it is also the noun *Weg*.
STOP_WORDS: frozenset[str] = frozenset(
    normalize_word(w)
    for w in (
        set(stopwords_for_language("de")) | {"dass", "wurde", "wurden", "worden"} | QUESTION_WORDS
    )
    - {"weg"}
)


class GermanStopFilter(Filter):
    """Drop stop words (``der``, ``und``, ``über``) but keep the gap in positions.

    Positions are not renumbered, so the phrase ``"Haus am See"`` still needs one word
    between ``Haus`` and ``See``. With ``removestops=False`` (the highlighter) stop words
    pass with ``t.stopped = True``. Tokens must already be folded.
    """

    def __init__(self, stoplist: frozenset[str] | None = None) -> None:
        """:param stoplist: folded stop words; defaults to :data:`STOP_WORDS`."""
        self.stops = frozenset(STOP_WORDS if stoplist is None else stoplist)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.stops == other.stops

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<{len(self.stops)} stop words>)"

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops = self.stops
        for t in tokens:
            if t.text in stops:
                if not t.removestops:
                    t.stopped = True
                    yield t
                    t.stopped = False
                continue
            yield t
