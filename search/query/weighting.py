"""BM25F with the Robertson–Spärck Jones idf, as in Lucene, for ranking ``match="any"`` queries.

Whoosh's :class:`~whoosh.scoring.BM25F` uses ``idf = log(N / (df + 1)) + 1``: a word found in
every document still weighs 1, an eighth of a rare word's weight. Questions typed as queries
carry such words (``Menschen``, ``viele``, ``lange``) and they outvote the one rare word that
matters. The Robertson–Spärck Jones form ``log(1 + (N - df + 0.5) / (df + 0.5))`` (Lucene's
``BM25Similarity``) lets a common word's weight go towards zero. Measured on XQuAD-de
(``benchmarks/retrieval.py``), together with ``B=0.5, K1=0.6`` (see :data:`search.query.WEIGHTING`).

Titles: a field weight of the weighting model, applied when searching (see
:data:`search.query.WEIGHTING`), not a schema ``field_boost`` baked into the postings.
Measured-but-unused ranking experiments (character n-grams, coordination) live in
``benchmarks/ngram_weighting.py``.
"""

from __future__ import annotations

import math

from whoosh import scoring
from whoosh.matching import Matcher, NullMatcher
from whoosh.reading import TermNotFound


class RsjBM25FScorer(scoring.BM25FScorer):
    """:class:`whoosh.scoring.BM25FScorer` with the Robertson–Spärck Jones idf and a weight.

    :param weight: the field's weight, a factor on the term's score.
    """

    def __init__(
        self,
        searcher,  # noqa: ANN001 - whoosh's signature
        fieldname: str,
        text: str,
        B: float,
        K1: float,
        qf: int = 1,
        weight: float = 1.0,
    ) -> None:
        stats = index_stats(searcher)
        self.idf = _rsj_idf(stats.doc_count, stats.doc_frequency(fieldname, text))
        self.avgfl = stats.avg_field_length(fieldname) or 1
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.weight = weight
        self.setup(searcher, fieldname, text)

    def _score(self, weight: float, length: int) -> float:
        return self.weight * scoring.bm25(self.idf, weight, length, self.avgfl, self.B, self.K1)


class IndexStats:
    """The whole index's counts that scorers need, kept per top-level searcher.

    Whoosh makes a scorer per term and segment, and the index's document frequency of a
    term is a sum over every segment: with 20 segments (100,000 articles) that was 400
    term lookups per query term, a sixth of a search's time. The searcher sees one
    commit, so its counts never change while it lives.
    """

    #: Terms kept before the memo starts again (a long-lived searcher, many queries).
    MAX_TERMS = 200_000

    def __init__(self, searcher) -> None:  # noqa: ANN001 - whoosh's Searcher
        self._searcher = searcher
        self.doc_count: int = searcher.doc_count_all()
        self._df: dict[tuple[str, str], int] = {}
        self._avgfl: dict[str, float] = {}

    def doc_frequency(self, fieldname: str, text: str) -> int:
        key = (fieldname, text)
        df = self._df.get(key)
        if df is None:
            if len(self._df) >= self.MAX_TERMS:
                self._df.clear()
            df = self._df[key] = self._searcher.doc_frequency(fieldname, text)
        return df

    def avg_field_length(self, fieldname: str) -> float:
        avgfl = self._avgfl.get(fieldname)
        if avgfl is None:
            avgfl = self._avgfl[fieldname] = self._searcher.avg_field_length(fieldname)
        return avgfl


def index_stats(searcher) -> IndexStats:  # noqa: ANN001 - whoosh's Searcher
    """The :class:`IndexStats` of *searcher*'s top-level searcher (made on first use)."""
    parent = searcher.get_parent()
    stats = parent.__dict__.get("_zeitung_stats")
    if stats is None:
        stats = parent._zeitung_stats = IndexStats(parent)
    return stats


def _rsj_idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _saturate(x: float, K1: float) -> float:
    """BM25's term-frequency curve of a length-normalised frequency *x*."""
    return x * (K1 + 1) / (x + K1)


class CombinedFieldScorer(RsjBM25FScorer):
    """Scores a term of one field (the title) as what it adds to the same term in a base field
    (the text) when both frequencies are summed before saturation: BM25F proper.

    ``idf * (f(text + w * title) - f(text))`` with ``f`` BM25's saturation and each frequency
    normalised by its own field's length: added to the text term's own score
    ``idf * f(text)``, a word scores ``idf * f(text + w * title)``. A title word that the text
    repeats adds little; a title word the text lacks adds what a text occurrence would. The
    idf is the base field's (the title's where the base field lacks the word), so the two
    parts add up.
    """

    def __init__(
        self,
        searcher,  # noqa: ANN001 - whoosh's signature
        fieldname: str,
        text: str,
        B: float,
        K1: float,
        qf: int = 1,
        weight: float = 1.0,
        base: tuple[str, float] = ("text", 0.5),
    ) -> None:
        stats = index_stats(searcher)
        self.base_field, self.base_B = base
        df = stats.doc_frequency(self.base_field, text) or stats.doc_frequency(fieldname, text)
        self.idf = _rsj_idf(stats.doc_count, df)
        self.avgfl = stats.avg_field_length(fieldname) or 1
        self.base_avgfl = stats.avg_field_length(self.base_field) or 1
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.weight = weight
        self._searcher = searcher
        self._reader = searcher.reader()
        self._text = text
        self._base = None
        self._last = -1
        self.setup(searcher, fieldname, text)

    def _score(self, weight: float, length: int) -> float:
        """The title alone (no text occurrence): an upper bound of :meth:`score`."""
        norm = (1 - self.B) + self.B * length / self.avgfl
        return self.idf * _saturate(self.weight * weight / norm, self.K1)

    def score(self, matcher) -> float:  # noqa: ANN001 - whoosh's signature
        docnum = matcher.id()
        norm = (1 - self.B) + self.B * self.dfl(docnum) / self.avgfl
        added = self.weight * matcher.weight() / norm
        base = 0.0
        m = self._base_at(docnum)
        if m is not None:
            length = self._searcher.doc_field_length(docnum, self.base_field, 1)
            base_norm = (1 - self.base_B) + self.base_B * length / self.base_avgfl
            base = m.weight() / base_norm
        return self.idf * (_saturate(base + added, self.K1) - _saturate(base, self.K1))

    def _base_at(self, docnum: int) -> Matcher | None:
        """The base field's postings of the term at *docnum*, or None (one skip per call)."""
        m = self._base
        if m is None or docnum < self._last:  # first call, or scored out of order: restart
            try:
                m = self._base = self._reader.postings(self.base_field, self._text)
            except TermNotFound:
                m = self._base = NullMatcher()
        self._last = docnum
        if m.is_active() and m.id() < docnum:
            m.skip_to(docnum)
        return m if m.is_active() and m.id() == docnum else None


class RsjBM25F(scoring.BM25F):
    """BM25F whose idf goes to zero for words in every document (see the module docstring).

    >>> from search.query import WEIGHTING
    >>> searcher = ix.searcher(weighting=WEIGHTING)  # doctest: +SKIP

    :param B: length normalisation, 0 (none) to 1 (full); ``title_B=0.3`` sets one field's.
    :param K1: term-frequency saturation.
    :param weights: a factor per field on its terms' scores (default 1), applied when
        searching, so it can change without re-indexing (unlike a schema ``field_boost``).
    :param combined: ``{"title": "text"}``: a title term scores what it adds to the same
        term in the text, the two frequencies summed before saturation (BM25F proper; see
        :class:`CombinedFieldScorer`), instead of a BM25 of its own.
    """

    def __init__(
        self,
        B: float = 0.75,
        K1: float = 1.2,
        weights: dict[str, float] | None = None,
        combined: dict[str, str] | None = None,
        **field_B: float,
    ) -> None:
        super().__init__(B=B, K1=K1, **field_B)
        self.weights = dict(weights or {})
        self.combined = dict(combined or {})

    def scorer(self, searcher, fieldname: str, text: str, qf: int = 1) -> scoring.BaseScorer:  # noqa: ANN001
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        B = self._field_B.get(fieldname, self.B)
        if fieldname in self.combined:
            base = self.combined[fieldname]
            return CombinedFieldScorer(
                searcher, fieldname, text, B, self.K1, qf=qf,
                weight=self.weights.get(fieldname, 1.0),
                base=(base, self._field_B.get(base, self.B)),
            )  # fmt: skip
        return RsjBM25FScorer(
            searcher, fieldname, text, B, self.K1, qf=qf, weight=self.weights.get(fieldname, 1.0)
        )

    def __repr__(self) -> str:
        return (
            f"RsjBM25F(B={self.B}, K1={self.K1}, weights={self.weights}, "
            f"combined={self.combined}, field_B={self._field_B})"
        )
