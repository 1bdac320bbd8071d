"""The analyser factories and :func:`analyze`, the explain-what-was-indexed entry point."""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.analysis import RegexTokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from analyzers.compounds import DecompoundFilter
from analyzers.normalize import ExactFormFilter, FoldFilter, GermanNormalizeFilter
from analyzers.stemming import GermanStemFilter
from analyzers.stopwords import GermanStopFilter
from analyzers.tokenizer import GermanTokenizer

#: Marks exact (unstemmed) forms in the index: ``=hauser``.
EXACT_PREFIX = "="


def german_analyzer() -> CompositeAnalyzer:
    """The analyser for titles and bodies. In order:

    1. :class:`~analyzers.tokenizer.GermanTokenizer`: words, hyphenated words, gender forms,
       numbers, with positions and character offsets;
    2. :class:`~analyzers.normalize.GermanNormalizeFilter`: NFKC, case and umlaut folding;
    3. :class:`~analyzers.stopwords.GermanStopFilter`: stop words out, positions kept;
    4. :class:`~analyzers.normalize.ExactFormFilter`: ``=form`` tokens (index mode only);
    5. :class:`~analyzers.compounds.DecompoundFilter`: compound parts at the word's position;
    6. :class:`~analyzers.stemming.GermanStemFilter`: Snowball German plus feminine forms.

    Steps 5 and 6 are morphological: ``no_morph=True`` skips them.
    """
    return (
        GermanTokenizer()
        | GermanNormalizeFilter()
        | GermanStopFilter()
        | ExactFormFilter(EXACT_PREFIX)
        | DecompoundFilter()
        | GermanStemFilter()
    )


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
