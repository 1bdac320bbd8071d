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


class RsjBM25FScorer(scoring.BM25FScorer):
    """:class:`whoosh.scoring.BM25FScorer` with the Robertson–Spärck Jones idf and a weight.

    :param weight: the field's weight, a factor on the term's score.
    :param idf_fields: the fields whose largest document frequency gives the idf (default:
        the term's own field).
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
        idf_fields: tuple[str, ...] = (),
    ) -> None:
        parent = searcher.get_parent()
        n = parent.doc_count_all()
        df = max(parent.doc_frequency(f, text) for f in (fieldname, *idf_fields))
        self.idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        self.avgfl = parent.avg_field_length(fieldname) or 1
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.weight = weight
        self.setup(searcher, fieldname, text)

    def _score(self, weight: float, length: int) -> float:
        return self.weight * scoring.bm25(self.idf, weight, length, self.avgfl, self.B, self.K1)


class RsjBM25F(scoring.BM25F):
    """BM25F whose idf goes to zero for words in every document (see the module docstring).

    >>> from search.query import WEIGHTING
    >>> searcher = ix.searcher(weighting=WEIGHTING)  # doctest: +SKIP

    :param B: length normalisation, 0 (none) to 1 (full); ``title_B=0.3`` sets one field's.
    :param K1: term-frequency saturation.
    :param weights: a factor per field on its terms' scores (default 1), applied when
        searching, so it can change without re-indexing (unlike a schema ``field_boost``).
    :param shared_idf: fields whose terms take the idf of the rarest reading of the word in
        any of these fields (the largest document frequency): a word rare among titles but
        common in texts does not weigh as a rare word.
    """

    def __init__(
        self,
        B: float = 0.75,
        K1: float = 1.2,
        weights: dict[str, float] | None = None,
        shared_idf: tuple[str, ...] = (),
        **field_B: float,
    ) -> None:
        super().__init__(B=B, K1=K1, **field_B)
        self.weights = dict(weights or {})
        self.shared_idf = tuple(shared_idf)

    def scorer(self, searcher, fieldname: str, text: str, qf: int = 1) -> scoring.BaseScorer:  # noqa: ANN001
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        B = self._field_B.get(fieldname, self.B)
        idf_fields = self.shared_idf if fieldname in self.shared_idf else ()
        return RsjBM25FScorer(
            searcher, fieldname, text, B, self.K1, qf=qf,
            weight=self.weights.get(fieldname, 1.0), idf_fields=idf_fields,
        )  # fmt: skip

    def __repr__(self) -> str:
        return (
            f"RsjBM25F(B={self.B}, K1={self.K1}, weights={self.weights}, "
            f"shared_idf={self.shared_idf}, field_B={self._field_B})"
        )
