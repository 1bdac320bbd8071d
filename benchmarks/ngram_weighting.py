"""Ranking experiments measured but not used by the product (moved out of ``search/``, #11).

A clause over character n-grams (:func:`ngram_analyzer` for an index field, :func:`with_ngrams`
or :func:`rerank_with_ngrams` for the query), for words written differently in the question
and the text; and :class:`CoordOr`, a soft AND that scales an OR of words by the share of them
a document holds. Used by ``benchmarks/exp_ngrams.py`` (``--ngram``/``--coord``), tested by
``benchmarks/test_ngram_weighting.py`` (``python -m pytest benchmarks/test_ngram_weighting.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from whoosh import query as wq
from whoosh.analysis import Analyzer, Filter, NgramFilter, RegexTokenizer, Token
from whoosh.fields import Schema
from whoosh.matching import Matcher, NullMatcher
from whoosh.searching import Searcher

from analyzers import normalize_word
from search.query.nodes import All, Any, Maybe, Near, Node, Not, Word

# -- character n-grams -------------------------------------------------------------------
# A word that a question and its paragraph write differently (``Warschaus``/``Warschau``,
# ``restaurieren``/``Restauration``, ``eingebürgert``/``Einbürgerung``, a typo such as
# ``Gelübde``/``Gelübte``) shares no index term but most of its 4-grams. A field of
# character n-grams, scored with the same BM25F and added to the word score as an optional
# clause, recovers part of that credit. Measured on XQuAD-de (``benchmarks/retrieval.py
# --ngram 0.3``), paired nDCG@10 over all 1,190 questions: +0.011 [+0.006, +0.016] against the
# product of 407927e (0.936), but only +0.005 [+0.000, +0.010] against the product with the
# vowel-s stem rule and common-word weights (0.942), which already recover part of the same
# words; for 1.45x the index, 2.3x the indexing time and, as an ``AndMaybe``, 9x the query
# time (3x with :func:`rerank_with_ngrams`). Not wired into the schema: an experiment.

#: Field name of the character n-grams (not a user field: no alias, not searched by default).
NGRAM_FIELD = "gram"
#: Length of the n-grams (of the word with its ends marked, ``_haus_``); 3 and 5 were worse.
NGRAM_SIZE = 4
#: Weight of the n-gram clause against the words' own score (nDCG@10 flat from 0.2 to 0.5).
NGRAM_BOOST = 0.3


class MarkEndsFilter(Filter):
    """Fold each word as the index does (:func:`analyzers.normalize_word`) and mark its ends.

    ``Häuser`` becomes ``_hauser_``, so a short word still has an n-gram (``_eu_``) and a
    word's first and last letters weigh apart from the same letters inside another word.
    """

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = f"_{normalize_word(t.text)}_"
            yield t


class UnionOr(wq.Or):
    """:class:`whoosh.query.Or` that always uses the binary tree of ``UnionMatcher``.

    Under ``AndMaybe`` Whoosh's preloading ``ArrayUnionMatcher`` (chosen for an ``Or`` of many
    terms in an index of at most 5,000 documents) loses the optional side's scores: the
    n-gram clause of "Wer sang die Nationalhymne beim Super Bowl 50?" added nothing to the
    document that matched it best (``tests/test_query_weighting.py`` keeps the case).
    """

    matcher_type = wq.Or.DEFAULT_MATCHER


def ngram_analyzer(size: int = NGRAM_SIZE) -> Analyzer:
    """The analyser of the :data:`NGRAM_FIELD` field, and of the words of its query clause.

    >>> [t.text for t in ngram_analyzer()("Haus")]
    ['_hau', 'haus', 'aus_']

    :param size: the n-gram length.
    """
    return RegexTokenizer() | MarkEndsFilter() | NgramFilter(size)


def ngram_clause(
    schema: Schema,
    words: Iterable[str],
    fieldname: str = NGRAM_FIELD,
    boost: float = NGRAM_BOOST,
) -> wq.Query | None:
    """An OR over the n-grams of *words*, each weighted by how often the words contain it.

    None when the schema has no such field or the words give no n-gram.

    :param schema: the index schema; its *fieldname* analyser makes the n-grams.
    :param words: the query's words as typed (stop words already left out).
    :param boost: the weight of the whole clause.
    """
    if fieldname not in schema:
        return None
    analyzer = schema[fieldname].analyzer
    counts = Counter(t.text for w in words for t in analyzer(w, mode="query"))
    if not counts:
        return None
    return UnionOr([wq.Term(fieldname, g, boost=boost * n) for g, n in counts.items()])


def with_ngrams(
    query: wq.Query,
    schema: Schema,
    words: Iterable[str],
    fieldname: str = NGRAM_FIELD,
    boost: float = NGRAM_BOOST,
) -> wq.Query:
    """*query* ranked with the n-gram clause of *words* too; the result set stays *query*'s.

    ``AndMaybe``: a document must match *query*; the n-grams only add to its score (alone
    they would match almost every document: every text has ``_die``).
    """
    clause = ngram_clause(schema, words, fieldname, boost)
    return query if clause is None else wq.AndMaybe(query, clause)


def ngram_words(tree: Node) -> list[str]:
    """The words of a query tree whose n-grams rank: typed words of title/text, not excluded.

    Wildcards and exact forms (``=Häuser``) ask for a form, not for a likeness; words under
    ``NOT`` and words of other fields (``quelle:``) do not describe the text sought.
    """
    if isinstance(tree, Word):
        plain = not tree.wildcard and not tree.exact and tree.field in (None, "text")
        return [tree.text] if plain else []
    if isinstance(tree, Not):
        return []
    return [w for child in _children(tree) for w in ngram_words(child)]


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Any | All):
        return node.children
    if isinstance(node, Maybe):
        return (node.required, node.optional)
    if isinstance(node, Near):
        return node.operands
    return ()


#: How many of the words' best hits :func:`rerank_with_ngrams` re-scores with the n-grams
#: (30 to 100 measured the same as scoring every match).
RERANK_DEPTH = 50


def clause_scores(searcher: Searcher, clause: wq.Query, docnums: Iterable[int]) -> dict[int, float]:
    """The score of *clause* in each of *docnums* that it matches, with the searcher's weighting.

    One matcher walks the documents in order (``skip_to``), so a few dozen documents cost a
    few dozen skips per term, not a pass over the terms' postings.
    """
    scores: dict[int, float] = {}
    matcher = clause.matcher(searcher)
    for docnum in sorted(set(docnums)):
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            scores[docnum] = matcher.score()
    return scores


def rerank_with_ngrams(
    searcher: Searcher,
    query: wq.Query,
    clause: wq.Query | None,
    limit: int = 10,
    depth: int = RERANK_DEPTH,
) -> list[tuple[int, float]]:
    """The best *limit* (docnum, score) of *query*, its top *depth* re-scored with *clause*.

    The same ranking as ``with_ngrams`` within the top *depth* (measured on XQuAD-de: equal
    nDCG@10), at a fraction of its cost: the n-grams' long postings are skipped through for
    *depth* documents instead of merged for every match.

    :param clause: from :func:`ngram_clause`; None keeps *query*'s ranking.
    """
    hits = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=max(depth, limit))]
    if clause is not None:
        extra = clause_scores(searcher, clause, (d for d, _ in hits))
        hits = [(d, s + extra.get(d, 0.0)) for d, s in hits]
    return sorted(hits, key=lambda ds: (-ds[1], ds[0]))[:limit]


# -- coordination ----------------------------------------------------------------------------
#: :class:`CoordOr`'s exponent: a document matching half the words keeps 0.5 ** 0.15 = 90 % of
#: its score. Chosen on DEV of XQuAD-de at e701117 (``benchmarks/exp_ranking.py coord:P``):
#: paired nDCG@10 +0.003 [+0.000, +0.006] (DEV +0.0025 across 0, TEST +0.0033), query time
#: 1.6x; with the n-gram clause at W=0.2, +0.007 [+0.003, +0.012] (0.942 -> 0.949).
COORD_POWER = 0.15


class CoordOr(wq.Or):
    """An OR of words scored as the sum times (matching words / words) ** *power*.

    A soft AND for questions typed as queries: the right paragraph usually holds most of the
    question's words, a distractor a few of them many times.

    :param power: 0 is a plain ``Or``; larger values punish missing words harder.
    """

    def __init__(
        self, subqueries: list[wq.Query], boost: float = 1.0, power: float = COORD_POWER
    ) -> None:
        super().__init__(subqueries, boost=boost)
        self.power = power

    def normalize(self) -> wq.Query:
        norm = super().normalize()
        if isinstance(norm, CoordOr):
            norm.power = self.power
        return norm

    def _matcher(self, subs, searcher, context):  # noqa: ANN001, ANN202 - whoosh's signature
        matchers = [q.matcher(searcher, context) for q in subs]
        return CoordMatcher(matchers, len(self.subqueries), self.power, self.boost)


class CoordMatcher(Matcher):
    """The union of the words' matchers, scored as :class:`CoordOr` says.

    No block-quality skipping: it would need a bound per block, and the factor is at most 1,
    so the children's sum is a bound but rarely a tight one.
    """

    def __init__(self, matchers: list[Matcher], total: int, power: float, boost: float = 1.0):
        self._ms = matchers
        self._total = total
        self._power = power
        self._boost = boost

    def _active(self) -> list[Matcher]:
        return [m for m in self._ms if m.is_active()]

    def is_active(self) -> bool:
        return any(m.is_active() for m in self._ms)

    def id(self) -> int:
        return min(m.id() for m in self._active())

    def next(self) -> None:
        current = self.id()
        for m in self._active():
            if m.id() == current:
                m.next()

    def skip_to(self, docnum: int) -> None:
        for m in self._active():
            if m.id() < docnum:
                m.skip_to(docnum)

    def score(self) -> float:
        current = self.id()
        here = [m for m in self._active() if m.id() == current]
        factor = (len(here) / self._total) ** self._power if self._total else 1.0
        return self._boost * factor * sum(m.score() for m in here)

    def supports(self, astype: str) -> bool:
        return False

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self._boost * sum(m.max_quality() for m in self._active())

    def copy(self) -> CoordMatcher:
        return CoordMatcher([m.copy() for m in self._ms], self._total, self._power, self._boost)

    def replace(self, minquality: float = 0) -> Matcher:
        return self if self.is_active() else NullMatcher()

    def children(self) -> list[Matcher]:
        return list(self._ms)

    def term_matchers(self) -> Iterator[Matcher]:
        for m in self._ms:
            yield from m.term_matchers()

    def matching_terms(self, id: int | None = None) -> Iterator[tuple[str, str]]:
        if id is None:
            id = self.id()
        for m in self._active():
            if m.id() == id:
                yield from m.matching_terms(id)
