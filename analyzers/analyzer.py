"""The analyser factories and :func:`analyze`, the explain-what-was-indexed entry point."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import RegexTokenizer, Token
from whoosh.analysis.analyzers import CompositeAnalyzer

from analyzers.boundaries import with_boundaries
from analyzers.compounds import DecompoundFilter
from analyzers.fastpath import ChunkCache
from analyzers.fastpath import tokens as fast_tokens
from analyzers.normalize import ExactFormFilter, FoldFilter, GermanNormalizeFilter
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


class GermanAnalyzer(CompositeAnalyzer):
    """The German chain, with a per-word fast path that gives exactly the chain's tokens.

    For the default chain in ``index``/``query`` mode each whitespace-separated chunk of text
    is analysed once per process by the chain itself and then replayed from a cache
    (:mod:`analyzers.fastpath`: per process, not on the object, which is pickled into the
    index). Any other call (``no_morph``, ``removestops=False``, a changed chain) runs the
    filters one by one.
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
            or not self._default_chain()
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
        return fast_tokens(_CHUNKS[mode], value, chars, start_pos, start_char, **kwargs)

    def word_stem(self, word: str) -> str | None:
        """The term the chain gives *word*'s first ``word`` token in query mode, or None
        (a stop word, no word at all): what a word's exact forms are grouped by.

        The decompounding step is left out, since compound parts never change the word
        token: on a form's first sight that is ~7x less work (a query word's candidate
        forms at 100,000 articles are hundreds of words never analysed before).
        """
        chain = self.__dict__.get("_unsplit")
        if chain is None or chain[0] != self.items:
            items = [f for f in self.items if not isinstance(f, DecompoundFilter)]
            chain = self.__dict__["_unsplit"] = (list(self.items), CompositeAnalyzer(*items))
        return next((t.text for t in chain[1](word, mode="query") if t.kind == "word"), None)

    def _default_chain(self) -> bool:
        """Whether the chain is the default one, which the chunk caches hold the tokens of.

        Comparing the filters costs about as much as analysing a title, so the answer is
        kept with the filters it was given for: while they are the same objects, the tuple
        comparison is an identity check in C.
        """
        items = tuple(self.items)
        if items != self.__dict__.get("_checked_items"):
            if list(items) != _default_items():
                return False
            self._checked_items = items
        return True

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_checked_items", None)  # not pickled into the index's schema
        state.pop("_unsplit", None)
        return state


@functools.cache
def _default_items() -> list:
    return _chain()


@functools.cache
def _plain_analyzer() -> CompositeAnalyzer:
    """The default chain, for the fast path to analyse a chunk it has not seen."""
    return CompositeAnalyzer(*_chain())


#: The per-process chunk caches of the fast path, per mode (:mod:`analyzers.fastpath`).
_CHUNKS = {mode: ChunkCache(_plain_analyzer, mode) for mode in ("index", "query")}


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


def load_tables() -> None:
    """Load now what the German chain otherwise loads on first use: the lexicon, the lemma
    tables and wordfreq's unfolded list (together some 200 MB).

    A process about to fork workers that analyse calls it first, so the workers share those
    pages with it (copy on write) instead of each building its own copy.
    """
    from analyzers.compounds import _unfolded_zipf
    from analyzers.lemmas import forms_of, lemma_table
    from analyzers.lexicon import lexicon

    lexicon()
    lemma_table()
    forms_of("gehen")
    _unfolded_zipf("haus")


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
