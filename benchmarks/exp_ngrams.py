"""Retrieval quality on XQuAD-de: our German chain vs plain Whoosh LanguageAnalyzer("de").

Documents: the 240 XQuAD-de paragraphs plus the derStandard articles of 10kGNAD split into
passages of whole sentences (at most ~120 words), so length gives nothing away. Queries: the
1,190 questions, each relevant to its own paragraph. Ours runs the product's query path:
``search.query.parse_query(question, match="any", schema=build_schema())`` over an index with
``search.schema.build_schema()`` (title and text; the passages have text only), searched with
``search.query.WEIGHTING`` when the module defines one, else Whoosh's default BM25F;
a compound in an optional word is ``Or(word, part^0.5, ..., =form^0.2)``.
``--hand-built`` instead builds OR queries from the analyser's tokens as before (compounds as
``Or(word, part/2, ...)``). Plain Whoosh: ``LanguageAnalyzer("de")``, OR over its terms. Both
indexes live in RAM. Prints nDCG@10 and MRR@10
with 95 % bootstrap intervals, overall and on the questions that contain a compound, and the
paired difference; the last column is plain Whoosh searched with ``search.query.WEIGHTING``.

``--proximity W:K`` is an experiment, not the product: it adds to each question a
sequential-dependence clause per pair of neighbouring words (after stop words), an unordered
window of at most K positions per field with boost W, and prints the paired difference against
the product's query. Measured on all 1,190 questions (W in 0.1/0.25/0.5, K in 1/4/8): no
setting beats the product by more than noise (best W=0.25, K=8: nDCG@10 +0.0015
[-0.0011, +0.0043]; W=0.5, K=1 is worse, -0.0040), so the product does not use it.

``--ngram W`` is an experiment, not (yet) the product: a third index whose schema adds the
character 4-gram field of :mod:`search.query.weighting` (``gram``, the text's folded,
end-marked words cut into 4-grams), searched with the product's query ranked by
``with_ngrams`` (``AndMaybe(query, OR of the question words' 4-grams ^W)``: the result set is
the product's). Prints its nDCG@10 and the paired difference against the product on the DEV
half (XQuAD articles with even index), the TEST half (odd) and all questions, and what the
field costs: indexing time, index size, query time. ``--ngram-rerank K`` instead re-scores
only the product's top K (``rerank_with_ngrams``). Measured (``benchmarks/exp_ranking.py``
chose 4-grams and W=0.3 on DEV at 407927e): paired nDCG@10 +0.011 [+0.006, +0.016] at 407927e
(DEV +0.012, TEST +0.010); at e701117 (vowel-s stems, common-word weights: 0.942) only
+0.005 [+0.000, +0.010] (DEV +0.005, TEST +0.005, both intervals across 0), top 50 re-ranked
+0.004 [-0.001, +0.009]; costs 1.45x index, 2.3x indexing time, 9x query time (re-ranked 3x).
So the product does not use it.

``--coord P`` (alone, or with ``--ngram``) is an experiment too: the product's OR of words as
``benchmarks.ngram_weighting.CoordOr``, whose score is the sum times (matching words / words) ** P.
At e701117, P=0.15 (chosen on DEV): +0.0029 [+0.0001, +0.0059] (DEV +0.0025 [-0.0024,
+0.0070], TEST +0.0033 [+0.0011, +0.0059]), query 1.6x; with ``--ngram 0.2``: 0.942 -> 0.949,
+0.0071 [+0.0026, +0.0117] (DEV +0.0065 [-0.0003, +0.0133], TEST +0.0077 [+0.0018, +0.0135]),
query 6.7x, index 1.45x, indexing 2.2x.


Usage: python benchmarks/retrieval.py [--limit N] [--resamples 1000] [--proximity 0.25:8]
       [--ngram 0.3 [--ngram-rerank 50]] [--coord 0.15]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh import query as Q  # noqa: E402
from whoosh.analysis import LanguageAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.filedb.filestore import RamStorage  # noqa: E402
from whoosh.matching import WrappingMatcher  # noqa: E402
from whoosh.query import spans  # noqa: E402

from analyzers import german_analyzer, split_sentences  # noqa: E402
from benchmarks._shared import data_file, derstandard, print_table  # noqa: E402
from benchmarks.ngram_weighting import (  # noqa: E402
    NGRAM_FIELD,
    CoordOr,
    ngram_analyzer,
    ngram_clause,
    ngram_words,
    rerank_with_ngrams,
)
from search import query as search_query  # noqa: E402
from search.errors import QuerySyntaxError  # noqa: E402
from search.query.nodes import Any, Word  # noqa: E402
from search.schema import build_schema  # noqa: E402

MAX_PASSAGE_WORDS = 120
K = 10


def load_xquad() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Paragraph id -> text, and (question, paragraph id) pairs."""
    data = json.loads(data_file("xquad-de/xquad.de.json").read_text(encoding="utf-8"))
    paragraphs, questions = {}, []
    for a, article in enumerate(data["data"]):
        for p, para in enumerate(article["paragraphs"]):
            pid = f"xquad-{a}-{p}"
            paragraphs[pid] = para["context"]
            questions.extend((qa["question"], pid) for qa in para["qas"])
    return paragraphs, questions


def load_passages() -> dict[str, str]:
    """derStandard articles cut into passages of whole sentences, <= ~120 words each."""
    passages: dict[str, str] = {}
    for i, (_label, text) in enumerate(derstandard()):
        chunk: list[str] = []
        words = 0
        for sentence in split_sentences(text):
            n = len(sentence.split())
            if chunk and words + n > MAX_PASSAGE_WORDS:
                passages[f"gnad-{i}-{len(passages)}"] = " ".join(chunk)
                chunk, words = [], 0
            chunk.append(sentence)
            words += n
        if chunk:
            passages[f"gnad-{i}-{len(passages)}"] = " ".join(chunk)
    return passages


def build_index(analyzer, docs: dict[str, str], schema=None):
    """A RAM index of ``docs`` with ``analyzer`` on the text field (or the given schema).

    A schema with the n-gram field gets the text there too.
    """
    if schema is None:
        schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=analyzer))
    ix = RamStorage().create_index(schema)
    grams = NGRAM_FIELD in schema
    with ix.writer() as writer:
        for doc_id, text in docs.items():
            if grams:
                writer.add_document(id=doc_id, text=text, **{NGRAM_FIELD: text})
            else:
                writer.add_document(id=doc_id, text=text)
    return ix


def index_bytes(ix) -> int:
    """Size of a RAM index's files."""
    storage = ix.storage
    return sum(storage.file_length(name) for name in storage.list())


def ngram_schema():
    """The product schema plus the character n-gram field (experiment)."""
    schema = build_schema()
    schema.add(NGRAM_FIELD, TEXT(analyzer=ngram_analyzer(), phrase=False))
    return schema


def ngram_query(schema, question: str, boost: float) -> tuple[Q.Query, Q.Query | None]:
    """The product's query and the n-gram clause of its words (experiment)."""
    try:
        parsed = search_query.parse_query(question, match="any", schema=schema)
    except QuerySyntaxError:
        return Q.NullQuery, None
    return parsed.query, ngram_clause(schema, ngram_words(parsed.tree), boost=boost)


def timed_ranks(
    ix, queries, relevant, weighting, rerank: int = 0
) -> tuple[list[int | None], float]:
    """:func:`ranks` and the median time of one query in ms.

    *queries* are Whoosh queries, or with *rerank* > 0 (query, n-gram clause) pairs: the
    query's top *rerank* re-scored with the clause (``rerank_with_ngrams``); else with a
    clause, ``with_ngrams``.
    """
    times: list[float] = []
    out: list[int | None] = []
    with ix.searcher(weighting=weighting) as searcher:
        for q, rel in zip(queries, relevant, strict=True):
            t0 = time.perf_counter()
            if isinstance(q, tuple):
                query, clause = q
                if rerank:
                    best = rerank_with_ngrams(searcher, query, clause, K, rerank)
                    hits = [searcher.stored_fields(d)["id"] for d, _ in best]
                else:
                    ranked = query if clause is None else Q.AndMaybe(query, clause)
                    hits = [h["id"] for h in searcher.search(ranked, limit=K)]
            else:
                hits = [h["id"] for h in searcher.search(q, limit=K)]
            times.append(time.perf_counter() - t0)
            out.append(hits.index(rel) + 1 if rel in hits else None)
    return out, 1000 * sorted(times)[len(times) // 2]


def paired_table(title: str, base: list, variant: list, relevant: list[str], resamples: int):
    """nDCG@10 of a variant against the product, on DEV, TEST and all questions, paired."""
    halves = {
        "DEV": [i for i, pid in enumerate(relevant) if int(pid.split("-")[1]) % 2 == 0],
        "TEST": [i for i, pid in enumerate(relevant) if int(pid.split("-")[1]) % 2 == 1],
        "all": range(len(relevant)),
    }
    rows = []
    for name, idx in halves.items():
        a = [ndcg(variant[i]) for i in idx]
        b = [ndcg(base[i]) for i in idx]
        diff = [x - y for x, y in zip(a, b, strict=True)]
        lo_a, hi_a = bootstrap(a, resamples, random.Random(13))
        lo_d, hi_d = bootstrap(diff, resamples, random.Random(13))
        rows.append([
            f"{name} (n={len(a)})", f"{sum(b) / len(b):.4f}",
            f"{sum(a) / len(a):.4f} [{lo_a:.3f}, {hi_a:.3f}]",
            f"{sum(diff) / len(diff):+.4f} [{lo_d:+.4f}, {hi_d:+.4f}]",
        ])  # fmt: skip
    print(f"{title}: nDCG@10")
    print_table(["questions", "product", "variant", "paired diff"], rows)


def with_coord(q: Q.Query, power: float | None) -> Q.Query:
    """The product's OR of words as a :class:`CoordOr` (experiment); other queries as they are."""
    if power is None or not isinstance(q, Q.Or) or isinstance(q, CoordOr):
        return q
    return CoordOr(q.subqueries, boost=q.boost, power=power)


def coord_experiment(args, questions, ours_ix) -> None:
    """``--coord P`` alone: the product's query as a :class:`CoordOr`, paired against it."""
    relevant = [pid for _, pid in questions]
    base_qs = [product_query(ours_ix.schema, q)[0] for q, _ in questions]
    weighting = search_query.WEIGHTING
    base, base_ms = timed_ranks(ours_ix, base_qs, relevant, weighting)
    coord_qs = [with_coord(q, args.coord) for q in base_qs]
    coord, coord_ms = timed_ranks(ours_ix, coord_qs, relevant, weighting)
    paired_table(f"coord experiment, P={args.coord}", base, coord, relevant, args.resamples)
    print(f"median query {base_ms:.1f} ms -> {coord_ms:.1f} ms ({coord_ms / base_ms:.2f}x)\n")


def ngram_experiment(args, docs, questions, ours_ix, build_s: float) -> None:
    """``--ngram W``: the n-gram field's gain (DEV, TEST, all; paired) and its costs."""
    t0 = time.perf_counter()
    gram_ix = build_index(None, docs, ngram_schema())
    gram_s = time.perf_counter() - t0
    relevant = [pid for _, pid in questions]
    weighting = search_query.WEIGHTING
    base_qs = [product_query(ours_ix.schema, q)[0] for q, _ in questions]
    gram_qs = [ngram_query(gram_ix.schema, q, args.ngram) for q, _ in questions]
    gram_qs = [(with_coord(q, args.coord), clause) for q, clause in gram_qs]
    base, base_ms = timed_ranks(ours_ix, base_qs, relevant, weighting)
    gram, gram_ms = timed_ranks(gram_ix, gram_qs, relevant, weighting, args.ngram_rerank)
    how = f"top {args.ngram_rerank} re-ranked" if args.ngram_rerank else "AndMaybe"
    coord = f", coord P={args.coord}" if args.coord is not None else ""
    paired_table(
        f"n-gram experiment, W={args.ngram}, {how}{coord}", base, gram, relevant, args.resamples
    )
    ours_mb, gram_mb = index_bytes(ours_ix) / 1e6, index_bytes(gram_ix) / 1e6
    print(
        f"cost: indexing {build_s:.1f} s -> {gram_s:.1f} s ({gram_s / build_s:.2f}x), "
        f"index {ours_mb:.1f} MB -> {gram_mb:.1f} MB ({gram_mb / ours_mb:.2f}x), "
        f"median query {base_ms:.1f} ms -> {gram_ms:.1f} ms ({gram_ms / base_ms:.2f}x)\n"
    )


def ours_query(analyzer, question: str, style: str = "or") -> tuple[Q.Query, bool]:
    """OR over the question's words, and whether a compound was among them.

    A compound is ``Or(word, part/2, part/2, ...)`` (``style="or"``, partial credit for a
    part) or ``Or(word, And(parts))`` (``style="and"``).
    """
    by_pos: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"word": [], "part": []})
    for t in analyzer(question, positions=True, mode="query"):
        by_pos[t.pos][t.kind].append(t.text)
    clauses, compound = [], False
    for slot in by_pos.values():
        words = [Q.Term("text", w) for w in slot["word"]]
        if slot["part"]:
            compound = True
            parts = [Q.Term("text", p) for p in dict.fromkeys(slot["part"])]
            if style == "or":
                clauses.append(Q.Or([*words, *(Q.Term("text", p.text, boost=0.5) for p in parts)]))
            else:
                clauses.append(Q.Or([*words, Q.And(parts)]))
        else:
            clauses.extend(words)
    return Q.Or(clauses), compound


def product_query(schema, question: str) -> tuple[Q.Query, bool]:
    """What ``zeitung search --any`` runs for the question, and whether it has a compound."""
    try:
        parsed = search_query.parse_query(question, match="any", schema=schema)
    except QuerySyntaxError:
        return Q.NullQuery, False
    compound = any(isinstance(q, Q.And) for q in parsed.query.leaves()) or any(
        slot[2] for analysed in parsed.builder.cache.values() for slot in analysed.positions
    )
    return parsed.query, compound


class BoostedNear(spans.SpanNear2):
    """Unordered ``SpanNear2`` whose score (its words' summed scores) is scaled by *boost*."""

    def __init__(self, qs: list[Q.Query], slop: int, boost: float) -> None:
        super().__init__(qs, slop=slop, ordered=False, mindist=1)
        self.boost = boost

    def matcher(self, searcher, context=None):
        return WrappingMatcher(super().matcher(searcher, context), boost=self.boost)


def with_proximity(schema, question: str, boost: float, slop: int) -> Q.Query:
    """The product's query plus one near clause per pair of neighbouring words (experiment).

    Only for a plain OR of words (every XQuAD question): the clauses can only match documents
    the words already match, so they change the ranking and not the result set.
    """
    try:
        parsed = search_query.parse_query(question, match="any", schema=schema)
    except QuerySyntaxError:
        return Q.NullQuery
    if not isinstance(parsed.tree, Any):
        return parsed.query
    builder = parsed.builder
    words = [n for n in parsed.tree.children if isinstance(n, Word) and not n.wildcard]
    clauses = []
    for a, b in zip(words, words[1:], strict=False):
        if a.field != b.field or a == b:
            continue
        for fieldname in builder.fields(a.field):
            qa = builder.leaf(a, fieldname, spans_only=True)
            qb = builder.leaf(b, fieldname, spans_only=True)
            if qa is not None and qb is not None:
                clauses.append(BoostedNear([qa, qb], slop, boost))
    return Q.Or([parsed.query, *clauses]) if clauses else parsed.query


def plain_query(analyzer, question: str) -> Q.Query:
    """OR over the LanguageAnalyzer's query terms (punctuation never reaches a wildcard)."""
    terms = dict.fromkeys(t.text for t in analyzer(question, mode="query"))
    return Q.Or([Q.Term("text", w) for w in terms])


def ranks(ix, queries: list[Q.Query], relevant: list[str], weighting=None) -> list[int | None]:
    """Rank (1-based) of the relevant document in the top K, or None."""
    out: list[int | None] = []
    kwargs = {"weighting": weighting} if weighting is not None else {}
    with ix.searcher(**kwargs) as searcher:
        for q, rel in zip(queries, relevant, strict=True):
            hits = [h["id"] for h in searcher.search(q, limit=K)]
            out.append(hits.index(rel) + 1 if rel in hits else None)
    return out


def ndcg(rank: int | None) -> float:
    return 1.0 / math.log2(rank + 1) if rank else 0.0


def rr(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def bootstrap(values: list[float], resamples: int, rng: random.Random) -> tuple[float, float]:
    """95 % percentile interval of the mean."""
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(resamples))
    return means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions")
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--hand-built", action="store_true", help="the old hand-built OR queries")
    ap.add_argument("--compound-query", choices=("and", "or"), default="or")
    ap.add_argument(
        "--proximity", metavar="W:K", help="experiment: near clauses, boost W, window K"
    )
    ap.add_argument("--ngram", type=float, metavar="W", help="experiment: 4-gram field, weight W")
    ap.add_argument("--coord", type=float, metavar="P", help="experiment: CoordOr, power P")
    ap.add_argument(
        "--ngram-rerank", type=int, default=0, metavar="K", help="with --ngram: re-rank the top K"
    )
    args = ap.parse_args()
    rng = random.Random(13)
    paragraphs, questions = load_xquad()
    if args.limit:
        questions = questions[: args.limit]
    docs = {**paragraphs, **load_passages()}
    print(f"{len(docs)} documents ({len(paragraphs)} XQuAD paragraphs), {len(questions)} questions")

    ours_an, plain_an = german_analyzer(), LanguageAnalyzer("de")
    schema = None if args.hand_built else build_schema()
    t0 = time.perf_counter()
    ours_ix = build_index(ours_an, docs, schema)
    t1 = time.perf_counter()
    plain_ix = build_index(plain_an, docs)
    t2 = time.perf_counter()
    print(f"indexing: ours {t1 - t0:.1f} s, plain {t2 - t1:.1f} s\n")

    if args.ngram and not args.hand_built:
        ngram_experiment(args, docs, questions, ours_ix, t1 - t0)
    elif args.coord is not None and not args.hand_built:
        coord_experiment(args, questions, ours_ix)

    relevant = [pid for _, pid in questions]
    if args.hand_built:
        built = [ours_query(ours_an, q, args.compound_query) for q, _ in questions]
    else:
        built = [product_query(ours_ix.schema, q) for q, _ in questions]
    weighting = getattr(search_query, "WEIGHTING", None)
    ours_ranks = ranks(ours_ix, [q for q, _ in built], relevant, weighting)
    plain_qs = [plain_query(plain_an, q) for q, _ in questions]
    plain_ranks = ranks(plain_ix, plain_qs, relevant)
    # Plain Whoosh under our weighting too, so the analysis and the weighting can be told apart.
    plain_w_ranks = ranks(plain_ix, plain_qs, relevant, weighting) if weighting else plain_ranks
    compound = [i for i, (_, has) in enumerate(built) if has]
    if args.proximity and not args.hand_built:
        w, k = args.proximity.split(":")
        prox_qs = [with_proximity(ours_ix.schema, q, float(w), int(k)) for q, _ in questions]
        prox_ranks = ranks(ours_ix, prox_qs, relevant, weighting)
        a = [ndcg(r) for r in prox_ranks]
        diff = [x - ndcg(r) for x, r in zip(a, ours_ranks, strict=True)]
        lo_d, hi_d = bootstrap(diff, args.resamples, random.Random(13))  # table rng untouched
        print(
            f"proximity W={w} K={k}: nDCG@10 {sum(a) / len(a):.3f}, paired diff against the "
            f"product {sum(diff) / len(diff):+.4f} [{lo_d:+.4f}, {hi_d:+.4f}]\n"
        )

    rows = []
    for subset, idx in (("all", range(len(questions))), ("with compound", compound)):
        for metric, fn in (("nDCG@10", ndcg), ("MRR@10", rr)):
            a = [fn(ours_ranks[i]) for i in idx]
            b = [fn(plain_ranks[i]) for i in idx]
            diff = [x - y for x, y in zip(a, b, strict=True)]
            c = [fn(plain_w_ranks[i]) for i in idx]
            ma, mb, mc = sum(a) / len(a), sum(b) / len(b), sum(c) / len(c)
            lo_a, hi_a = bootstrap(a, args.resamples, rng)
            lo_b, hi_b = bootstrap(b, args.resamples, rng)
            lo_d, hi_d = bootstrap(diff, args.resamples, rng)
            rows.append([
                f"{subset} (n={len(a)})", metric,
                f"{ma:.3f} [{lo_a:.3f}, {hi_a:.3f}]",
                f"{mb:.3f} [{lo_b:.3f}, {hi_b:.3f}]",
                f"{ma - mb:+.3f} [{lo_d:+.3f}, {hi_d:+.3f}]",
                ma / mb if mb else float("nan"),
                f"{mc:.3f}",
            ])  # fmt: skip
    print_table(
        ["questions", "metric", "zeitung", "whoosh LanguageAnalyzer", "diff", "ratio",
         "whoosh LA, our weighting"],
        rows,
    )  # fmt: skip
    print("\ntarget: nDCG@10 >= 0.95 overall, ahead of plain Whoosh on compound questions")


if __name__ == "__main__":
    main()
