"""The analyser factories and :func:`analyze`, the explain-what-was-indexed entry point."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import RegexTokenizer, Token
from whoosh.analysis.analyzers import CompositeAnalyzer

from analyzers.boundaries import BLANK_LINE, PARAGRAPH, SENTENCE, with_boundaries
from analyzers.cache import CHUNKS_MAX, evict_half
from analyzers.compounds import DecompoundFilter
from analyzers.normalize import ExactFormFilter, FoldFilter, GermanNormalizeFilter
from analyzers.sentences import chunk_ends_sentence, chunk_opens_sentence
from analyzers.spelling import SpellingFilter
from analyzers.stemming import GermanStemFilter
from analyzers.stopwords import GermanStopFilter
from analyzers.tokenizer import GermanTokenizer

#: Marks exact (unstemmed) forms in the index: ``=hauser``.
EXACT_PREFIX = "="

#: Which terms the German chain writes for a text. Raise it whenever a change alters the
#: terms of any text: an index stores the version its analyser had, and one written with
#: other terms would silently miss matches, so it must be rebuilt instead.
#: 1: first release; 2: vowel + s stems (Teslas -> tesla); 3: stop words keep their exact
#: form (``=fur``), so a phrase's stop word must be that stop word; sentence and paragraph
#: starts are marked (:mod:`analyzers.boundaries`); 4: stems through lemmas (ging -> geh),
#: derivational suffixes, agent nouns keep -er (Bürger != Burg), irregular feminines.
#: 5: spelling terms (``~schoen``, :mod:`analyzers.spelling`). 6: a form that is a lemma
#: itself keeps its stem (Gast, Arbeit, Öl), parts of lexicalised compounds as ``^part``
#: (Wasserstoff). 7: a linking -er only after an umlaut (Bücher|regal, not Früh|buch|er|preis),
#: and a plain -er part that folds like a commoner umlaut plural is none (Frühbucher); inner
#: parts of a compound of three or more parts are ^-parts (Treibhaus^gasemissionen).
ANALYSIS_VERSION = 7


#: One cached chunk (a whitespace-separated piece of text): (positions it spans, its length,
#: tokens as (pos offset, start, end, text, kind, surface), whether all tokens share the
#: chunk's first position, whether it may end a sentence, whether it may open one). No word
#: contains whitespace, so a text's tokens are its chunks' tokens, shifted.
_Chunk = tuple[int, int, tuple[tuple[int, int, int, str, str, str], ...], bool, bool, bool]
_CHUNKS: dict[str, dict[str, _Chunk]] = {"index": {}, "query": {}}
_CHUNKS_MAX = CHUNKS_MAX
#: Beyond any character offset: no boundary left.
_NEVER = float("inf")
#: The boundary terms put before a paragraph's first token (a paragraph starts a sentence
#: too) and before a sentence's, in the order with_boundaries() gives them.
_PARAGRAPH_TERMS = tuple(sorted((PARAGRAPH, SENTENCE)))
_SENTENCE_TERMS = (SENTENCE,)


class GermanAnalyzer(CompositeAnalyzer):
    """The German chain, with a per-word fast path that gives exactly the chain's tokens.

    Word-level work is the same for every occurrence of a word, and news text repeats its
    words (Zipf), so for the default chain in ``index``/``query`` mode each whitespace-separated
    chunk of text (``Gaspreise,``) is analysed once by the chain itself and its tokens are
    cached per process (not on the object, which is pickled into the index). Any other call
    (``no_morph``, ``removestops=False``, a changed chain) runs the filters one by one.
    """

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
        no_morph: bool = False,
        **kwargs,
    ) -> Iterator[Token]:
        if (
            mode not in _CHUNKS
            or keeporiginal
            or not removestops
            or no_morph
            or not tokenize
            or self.items != _default_items()
        ):
            tokens = super().__call__(
                value,
                no_morph=no_morph,
                positions=positions,
                chars=chars,
                keeporiginal=keeporiginal,
                removestops=removestops,
                start_pos=start_pos,
                start_char=start_char,
                tokenize=tokenize,
                mode=mode,
                **kwargs,
            )
            if mode == "index" and tokenize:  # sentence and paragraph starts: NEAR/s, NEAR/p
                tokens = with_boundaries(tokens, value, start_char)
            return tokens
        return self._fast(value, start_pos, start_char, mode, chars, kwargs)

    def _fast(
        self, value: str, pos: int, start_char: int, mode: str, chars: bool, kwargs: dict
    ) -> Iterator[Token]:
        # The hot loop of indexing: one Token, its attributes set through its __dict__
        # (measurably faster than setattr), chunks found by str.split (C) and located with
        # str.find from the end of the previous one (only whitespace lies between them).
        # A cache hit is a subscript (no method call); the entry carries the chunk's length.
        # Most chunks are one word with no boundary before them: their tokens share one
        # position (set once), and without ``chars`` (the indexer's call) offsets are neither
        # found nor set.
        # In index mode the boundary terms are put in here, as with_boundaries() does for the
        # slow path, without a second generator around every token: a sentence starts at a
        # chunk when the chunk before may end one and this one may open one (both cached per
        # chunk, see analyzers.sentences.chunk_ends_sentence), a paragraph after a blank line.
        cache = _CHUNKS[mode]
        t = Token(True, chars, removestops=True, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        d = t.__dict__
        find = value.find
        at = 0
        index = mode == "index"
        chunks = value.split()
        # Paragraphs start after blank lines (all whitespace, so no chunk spans one): the
        # index of each paragraph's first chunk, from the chunk counts between them.
        paras: list[int] = []
        if index and "\n" in value:
            pieces = BLANK_LINE.split(value)
            count = 0
            for piece in pieces[:-1]:
                count += len(piece.split())
                paras.append(count)
        npara = len(paras)
        pi = 0
        next_para = paras[0] if paras else _NEVER
        ended = False  # whether the chunk before may end a sentence
        base = 0
        ci = -1
        for chunk, entry in zip(chunks, map(cache.get, chunks), strict=True):  # C lookups
            ci += 1
            if entry is None:
                entry = self._analyse_chunk(chunk, mode)
            npos, size, tokens, one_pos, ends, opens = entry
            if chars:  # offsets only when asked for (the indexer does not)
                base = find(chunk, at)
                at = base + size
                base += start_char
            sentence = ended and opens and index
            ended = ends
            if not tokens:  # stop words, punctuation: nothing to yield
                pos += npos
                continue
            if one_pos and not sentence and ci < next_para:  # the common case
                d["pos"] = pos
                if chars:
                    for _, start, end, text, kind, surface in tokens:
                        d["startchar"] = base + start
                        d["endchar"] = base + end
                        d["text"] = text
                        d["kind"] = kind
                        d["surface"] = surface
                        yield t
                else:
                    for _, _, _, text, kind, surface in tokens:
                        d["text"] = text
                        d["kind"] = kind
                        d["surface"] = surface
                        yield t
                pos += npos
                continue
            paragraph = ci >= next_para  # the first chunk with tokens at or after a start
            if paragraph:
                while pi < npara and ci >= paras[pi]:
                    pi += 1
                next_para = paras[pi] if pi < npara else _NEVER
            for dpos, start, end, text, kind, surface in tokens:
                if paragraph or sentence:  # boundary terms, in with_boundaries' order
                    for term in _PARAGRAPH_TERMS if paragraph else _SENTENCE_TERMS:
                        d["pos"] = pos + dpos
                        if chars:
                            d["startchar"] = d["endchar"] = base + start
                        d["text"] = term
                        d["kind"] = "boundary"
                        d["surface"] = ""
                        yield t
                    paragraph = sentence = False
                d["pos"] = pos + dpos
                if chars:
                    d["startchar"] = base + start
                    d["endchar"] = base + end
                d["text"] = text
                d["kind"] = kind
                d["surface"] = surface
                yield t
            pos += npos

    def _analyse_chunk(self, chunk: str, mode: str) -> _Chunk:
        """Analyse one chunk with the filters one by one, and cache the result."""
        cache = _CHUNKS[mode]
        if len(cache) >= _CHUNKS_MAX:
            evict_half(cache)
        npos = sum(1 for _ in self.items[0](chunk))
        tokens = tuple(
            (t.pos, t.startchar, t.endchar, t.text, t.kind, t.surface)
            for t in super().__call__(chunk, positions=True, chars=True, mode=mode)
        )
        one_pos = all(not tok[0] for tok in tokens)
        ends, opens = chunk_ends_sentence(chunk), chunk_opens_sentence(chunk)
        entry = cache[chunk] = (npos, len(chunk), tokens, one_pos, ends, opens)
        return entry


@functools.cache
def _default_items() -> list:
    return _chain()


def _chain() -> list:
    return [
        GermanTokenizer(),
        GermanNormalizeFilter(),
        ExactFormFilter(EXACT_PREFIX),
        GermanStopFilter(),  # after the exact forms: a stop word keeps its ``=form`` (phrases)
        DecompoundFilter(),
        GermanStemFilter(),
        SpellingFilter(),  # ~schoen beside =schon (index mode): =schön, spelling ranks first
    ]


def german_analyzer() -> GermanAnalyzer:
    """The analyser for titles and bodies. In order:

    1. :class:`~analyzers.tokenizer.GermanTokenizer`: words, hyphenated words, gender forms,
       numbers, with positions and character offsets;
    2. :class:`~analyzers.normalize.GermanNormalizeFilter`: NFKC, case and umlaut folding;
    3. :class:`~analyzers.normalize.ExactFormFilter`: ``=form`` tokens (index mode only);
    4. :class:`~analyzers.stopwords.GermanStopFilter`: stop words out, positions kept (their
       ``=form`` stays: a phrase's stop word must match that stop word);
    5. :class:`~analyzers.compounds.DecompoundFilter`: compound parts at the word's position;
    6. :class:`~analyzers.stemming.GermanStemFilter`: Snowball German plus feminine forms.

    Steps 5 and 6 are morphological: ``no_morph=True`` skips them. See
    :class:`GermanAnalyzer` for the per-word cache.
    """
    analyzer = GermanAnalyzer(*_chain())
    analyzer.version = ANALYSIS_VERSION
    return analyzer


def keyword_analyzer() -> CompositeAnalyzer:
    """The analyser for names, sources, sections and URLs: tokenize and fold, nothing else."""
    return RegexTokenizer(r"\w+") | FoldFilter()


@dataclass(frozen=True, slots=True)
class AnalyzedToken:
    """One index (or query) term and where it came from.

    :ivar term: the term as indexed (stemmed; ``=``-prefixed for exact forms).
    :ivar kind: ``"word"``, ``"exact"`` or ``"part"`` (a compound part).
    :ivar pos: the word's position (parts share it).
    :ivar start: first character in the text.
    :ivar end: one past the last character in the text.
    :ivar surface: the folded text the term was made from (``text[start:end]`` folded).
    """

    term: str
    kind: str
    pos: int
    start: int
    end: int
    surface: str


def analyze(text: str, mode: str = "index") -> list[AnalyzedToken]:
    """Analyse ``text`` with :func:`german_analyzer` and return every token it yields.

    This is what ``zeitung analyze`` shows, so a user can see why a document matched:
    ``analyze("Gaspreise")`` gives the word ``gaspreis``, the exact form ``=gaspreise`` and
    the parts ``gas`` (characters 0-3) and ``preis`` (3-9), all at position 0.

    :param text: any text.
    :param mode: ``"index"`` (with exact forms) or ``"query"``.
    """
    return [
        AnalyzedToken(t.text, t.kind, t.pos, t.startchar, t.endchar, t.surface)
        for t in _ANALYZER(text, positions=True, chars=True, mode=mode)
    ]


_ANALYZER = german_analyzer()
