"""The German chain's hot path: each chunk of text analysed once per process, then replayed.

Word-level work is the same for every occurrence of a word, and news text repeats its words
(Zipf), so :class:`~analyzers.analyzer.GermanAnalyzer` analyses each whitespace-separated
chunk of text (``Gaspreise,``) once with the plain filter chain, caches its tokens per
process and mode (:class:`ChunkCache`, bounded), and answers a text by replaying its chunks'
cached tokens (:func:`tokens`): a repeated chunk costs a dict lookup plus the emitting.

What depends on the neighbours is not cached as such. Positions are counted per text;
sentence starts come from two cached flags per chunk (whether it may end a sentence, whether
it may open one: :func:`~analyzers.sentences.chunk_ends_sentence`), paragraph starts from
blank lines (all whitespace, so no chunk spans one). The boundary terms go before the first
token of the chunk that starts a sentence or paragraph, as
:func:`~analyzers.boundaries.with_boundaries` puts them in the plain path. The tokens are
exactly the plain path's (``tests/test_analysis_fast_path.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from whoosh.analysis import Token
from whoosh.analysis.analyzers import CompositeAnalyzer

from analyzers.boundaries import BLANK_LINE, PARAGRAPH, SENTENCE
from analyzers.cache import CHUNKS_MAX, evict_half
from analyzers.sentences import chunk_ends_sentence, chunk_opens_sentence

#: One cached chunk, as :meth:`ChunkCache.__missing__` makes it: (its tokens, positions it
#: spans, whether all its tokens share the chunk's first position, whether it may end a
#: sentence, whether it may open one, its length). A token is (text, kind, surface, position
#: offset, start, end), offsets relative to the chunk. No word contains whitespace, so a
#: text's tokens are its chunks' tokens, shifted. Query-mode chunks never end or open a
#: sentence (there are no boundary terms in queries).
Tokens = tuple[tuple[str, str, str, int, int, int], ...]
Chunk = tuple[Tokens, int, bool, bool, bool, int]

#: Bounds every chunk cache and :data:`_SHARED` (see :mod:`analyzers.cache`).
_CHUNKS_MAX = CHUNKS_MAX
#: Equal tokens of different chunks share one tuple (``Die``, ``die`` and ``die,`` have the
#: same): less memory, and fewer distinct objects for the hot loop to touch.
_SHARED: dict[tuple, tuple] = {}
#: In the hot loop's "the chunk before may end a sentence" flag: a paragraph starts.
_PARAGRAPH = "paragraph"
#: The boundary terms put before a paragraph's first token (a paragraph starts a sentence
#: too) and before a sentence's, in the order with_boundaries() gives them.
_PARAGRAPH_TERMS = tuple(sorted((PARAGRAPH, SENTENCE)))
_SENTENCE_TERMS = (SENTENCE,)


def _shared(value: tuple) -> tuple:
    if len(_SHARED) >= _CHUNKS_MAX:
        evict_half(_SHARED)  # only sharing is lost: cached chunks keep their tuples
    return _SHARED.setdefault(value, value)


class ChunkCache(dict):
    """Chunk -> :data:`Chunk` for one mode, filled on a miss (``__missing__``), so the hot
    loop looks chunks up in C with no test per chunk. At :data:`_CHUNKS_MAX` entries the
    older half goes.

    :param chain: returns the plain filter chain a missing chunk is analysed with.
    :param mode: ``"index"`` or ``"query"``.
    """

    def __init__(self, chain: Callable[[], CompositeAnalyzer], mode: str) -> None:
        super().__init__()
        self.chain = chain
        self.mode = mode

    def __missing__(self, chunk: str) -> Chunk:
        if len(self) >= _CHUNKS_MAX:
            evict_half(self)
        chain, mode = self.chain(), self.mode
        npos = sum(1 for _ in chain.items[0](chunk))
        found = CompositeAnalyzer.__call__(chain, chunk, positions=True, chars=True, mode=mode)
        tokens = tuple(
            _shared((t.text, t.kind, t.surface, t.pos, t.startchar, t.endchar)) for t in found
        )
        tokens = _shared(tokens)
        one_pos = all(not token[3] for token in tokens)
        index = mode == "index"
        ends = index and chunk_ends_sentence(chunk)
        opens = index and chunk_opens_sentence(chunk)
        entry = self[chunk] = (tokens, npos, one_pos, ends, opens, len(chunk))
        return entry


class FastToken(Token):
    """The one token the hot path yields over and over, as Whoosh's tokenizers do.

    Its per-token attributes live in slots: setting them is a pointer store, not a dict
    insert, which made emitting about a third cheaper (and the indexer reads ``text``,
    ``pos``, ``boost`` and ``stopped`` of every token). Other attributes still go to the
    instance dict, so consumers may set their own; :meth:`copy` gives a plain Token.
    """

    __slots__ = ("text", "pos", "boost", "stopped", "startchar", "endchar", "kind", "surface")

    def _slots(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__ if hasattr(self, name)}

    def copy(self) -> Token:
        token = Token(**self.__dict__)
        for name, value in self._slots().items():
            setattr(token, name, value)
        return token

    def __repr__(self) -> str:
        parms = ", ".join(f"{k}={v!r}" for k, v in {**self.__dict__, **self._slots()}.items())
        return f"{type(self).__name__}({parms})"


def tokens(
    cache: ChunkCache,
    value: str,
    chars: bool = False,
    start_pos: int = 0,
    start_char: int = 0,
    **kwargs,
) -> Iterator[Token]:
    """The tokens of *value*, from its chunks' cached tokens (see the module docstring).

    :param cache: the chunk cache of the mode asked for.
    :param chars: whether to set character offsets (the indexer asks for none).
    :param kwargs: further attributes of the token (``boosts=True``), as Whoosh passes them.
    """
    t = FastToken(True, chars, removestops=True, mode=cache.mode, **kwargs)
    paragraphs = (value,)
    if cache.mode == "index" and "\n" in value:
        paragraphs = BLANK_LINE.split(value)  # a text's chunks are its paragraphs' chunks
    if chars:
        return _with_offsets(t, cache, value, paragraphs, start_pos, start_char)
    return _without_offsets(t, cache, paragraphs, start_pos)


# The two hot loops, without character offsets (the indexer's call) and with them. Chunks
# are found by str.split and looked up by map (both in C). Most chunks are one word that
# starts no sentence: their tokens share one position, set once.


def _without_offsets(
    t: FastToken, cache: ChunkCache, paragraphs: Iterable[str], pos: int
) -> Iterator[Token]:
    get = cache.__getitem__
    ended: bool | str = False  # the chunk before may end a sentence; or _PARAGRAPH
    for paragraph in paragraphs:
        for toks, npos, one_pos, ends, opens, _ in map(get, paragraph.split()):
            if one_pos and not ended:  # the common case
                ended = ends
                t.pos = pos
                for t.text, t.kind, t.surface, _, _, _ in toks:  # into the token's slots
                    yield t
                pos += npos
                continue
            if not toks:  # punctuation: nothing to yield, no boundary either
                if ended is not _PARAGRAPH:
                    ended = ends
                pos += npos
                continue
            if ended is _PARAGRAPH:
                bounds = _PARAGRAPH_TERMS
            else:
                bounds = _SENTENCE_TERMS if ended and opens else ()
            ended = ends
            for text, kind, surface, dpos, _, _ in toks:
                t.pos = pos + dpos
                for term in bounds:
                    t.text = term
                    t.kind = "boundary"
                    t.surface = ""
                    yield t
                bounds = ()
                t.text = text
                t.kind = kind
                t.surface = surface
                yield t
            pos += npos
        ended = _PARAGRAPH


def _with_offsets(
    t: FastToken, cache: ChunkCache, value: str, paragraphs: Iterable[str], pos: int, start: int
) -> Iterator[Token]:
    # As _without_offsets, each chunk located with str.find from the end of the one before
    # (only whitespace lies between them).
    get = cache.__getitem__
    find = value.find
    at = 0
    ended: bool | str = False
    for paragraph in paragraphs:
        chunks = paragraph.split()
        for chunk, (toks, npos, one_pos, ends, opens, size) in zip(
            chunks, map(get, chunks), strict=True
        ):
            base = find(chunk, at)
            at = base + size
            base += start
            if one_pos and not ended:
                ended = ends
                t.pos = pos
                for t.text, t.kind, t.surface, _, first, last in toks:
                    t.startchar = base + first
                    t.endchar = base + last
                    yield t
                pos += npos
                continue
            if not toks:
                if ended is not _PARAGRAPH:
                    ended = ends
                pos += npos
                continue
            if ended is _PARAGRAPH:
                bounds = _PARAGRAPH_TERMS
            else:
                bounds = _SENTENCE_TERMS if ended and opens else ()
            ended = ends
            for text, kind, surface, dpos, first, last in toks:
                t.pos = pos + dpos
                for term in bounds:
                    t.startchar = t.endchar = base + first
                    t.text = term
                    t.kind = "boundary"
                    t.surface = ""
                    yield t
                bounds = ()
                t.startchar = base + first
                t.endchar = base + last
                t.text = text
                t.kind = kind
                t.surface = surface
                yield t
            pos += npos
        ended = _PARAGRAPH
