"""BM25F with the Robertson–Spärck Jones idf, as in Lucene, for ranking ``match="any"`` queries.

Whoosh's :class:`~whoosh.scoring.BM25F` uses ``idf = log(N / (df + 1)) + 1``: a word found in
every document still weighs 1, an eighth of a rare word's weight. Questions typed as queries
carry such words (``Menschen``, ``viele``, ``lange``) and they outvote the one rare word that
matters. The Robertson–Spärck Jones form ``log(1 + (N - df + 0.5) / (df + 0.5))`` (Lucene's
``BM25Similarity``) lets a common word's weight go towards zero. Measured on XQuAD-de
(``benchmarks/retrieval.py``), together with ``B=0.5, K1=0.9``.
"""

from __future__ import annotations

import math

from whoosh import scoring


class RsjBM25FScorer(scoring.BM25FScorer):
    """:class:`whoosh.scoring.BM25FScorer` with the Robertson–Spärck Jones idf."""

    def __init__(
        self, searcher, fieldname: str, text: str, B: float, K1: float, qf: int = 1
    ) -> None:  # noqa: ANN001 - whoosh's signature
        super().__init__(searcher, fieldname, text, B, K1, qf)
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        n = parent.doc_count_all()
        self.idf = math.log(1 + (n - df + 0.5) / (df + 0.5))


class RsjBM25F(scoring.BM25F):
    """BM25F whose idf goes to zero for words in every document (see the module docstring).

    >>> from search.query import WEIGHTING
    >>> searcher = ix.searcher(weighting=WEIGHTING)  # doctest: +SKIP

    :param B: length normalisation, 0 (none) to 1 (full).
    :param K1: term-frequency saturation.
    """

    def scorer(self, searcher, fieldname: str, text: str, qf: int = 1) -> scoring.BaseScorer:  # noqa: ANN001
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        B = self._field_B.get(fieldname, self.B)
        return RsjBM25FScorer(searcher, fieldname, text, B, self.K1, qf=qf)
