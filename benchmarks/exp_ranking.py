"""Ranking experiments on XQuAD-de (issue #3): how matched terms are scored and combined.

Not the product and not a benchmark of record: a scratch harness for the ranking side. It
builds the same index as ``benchmarks/retrieval.py`` (cached on disk under ``--cache``, keyed
by the analyser's source so a changed analyser rebuilds it), runs the product's query path,
and then re-scores every question in Python from per-term BM25F scores taken from Whoosh's own
scorer (``search.query.WEIGHTING``). The re-scorer reproduces the product's ranking (checked at
start: the share of questions where it gives the same rank as ``searcher.search``), so a
variant is a small function of the per-word, per-alternative scores:

- ``sum``: the product (every term of every word summed, boosts as built),
- ``dismax:T``: a word scores max(alternatives) + T * (the rest), instead of their sum,
- ``coord:P``: the sum times (matched words / words) ** P (soft AND),
- ``coordw:P``: the same with each word counted at its best score (about idf times boost),
- ``dismaxf:T``: ``dismax`` within each field, the fields still summed,
- ``partx:F``: compound parts (at half their word's boost) scaled by F,
- ``wf:A``: each word's score times (idf over general German, wordfreq) ** A, normalised,
- ``prf:T:W``: RM3-style feedback, the top T terms of the top 3 hits added at weight W,
- with ``--ngram N`` (an index with one more field, ``gram``, the text's character n-grams):
  ``ngraw:W``, ``ngmaybe:W`` (the product's words decide the matches, the n-grams of the
  question words add W times their BM25F), ``ngtop:W:K`` (only the words' top K re-ranked),
  ``ng:W`` (both max-normalised), ``ngrrf:W`` (reciprocal-rank fusion), ``ngonly``;
  ``ngmaybe:W+coord:0.1`` fuses with another combiner instead of the sum.
  ``--gram-bk B:K1`` and ``--gram-maxdf F`` change the n-gram field's BM25 and drop n-grams
  found in more than a share F of the documents.

Reported: nDCG@10 on DEV (XQuAD articles with even index), TEST (odd) and ALL, each with a 95 %
bootstrap interval and the paired difference against the product on the same questions.
``--failures`` prints the questions whose paragraph is not ranked first.

Findings (all 1,190 questions, paired against the product of the same run): at 407927e
dismax, coord, wordfreq and PRF are noise or worse; 4-grams at W=0.2-0.5 give +0.011 on DEV
and TEST (3-grams +0.005, 5-grams +0.008). At e701117 (0.942) 4-grams give +0.005 and
coord:0.15 +0.003, together (``ngmaybe:0.2+coord:0.15``) +0.007 [+0.003, +0.012]; part boosts
other than 0.5 are worse (``partx:0.6`` -0.003, ``partx:1.4`` -0.002), ``coordw`` no better
than ``coord``, re-ranking only the top 30-100 by n-grams keeps their gain. See
``benchmarks/retrieval.py --ngram/--coord`` for the same through Whoosh's own search.

Usage: python benchmarks/exp_ranking.py [--failures] [--variants sum dismax:0.1 coord:0.5 ...]
       python benchmarks/exp_ranking.py --ngram 4 --variants ngmaybe:0.3
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh import query as Q  # noqa: E402
from whoosh.analysis import Filter, NgramFilter, RegexTokenizer  # noqa: E402
from whoosh.fields import TEXT  # noqa: E402
from whoosh.filedb.filestore import FileStorage  # noqa: E402

from analyzers import normalize_word  # noqa: E402
from benchmarks.retrieval import K, bootstrap, load_passages, load_xquad, ndcg  # noqa: E402
from search import query as search_query  # noqa: E402
from search.errors import QuerySyntaxError  # noqa: E402
from search.query.weighting import RsjBM25F  # noqa: E402
from search.schema import build_schema  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

#: One alternative of a word: (field, term, boost).
Alt = tuple[str, str, float]


def analyser_key() -> str:
    """A hash of the analysis and schema source: the cached index is only valid for it."""
    h = hashlib.sha1()
    for path in sorted([*(REPO / "analyzers").rglob("*.py"), REPO / "search" / "schema.py"]):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class PadFoldFilter(Filter):
    """Fold a word as the product does (``normalize_word``) and mark its ends: ``_haus_``."""

    def __call__(self, tokens):  # noqa: ANN001, ANN204
        for t in tokens:
            t.text = f"_{normalize_word(t.text)}_"
            yield t


def ngram_analyzer(n: int):
    """Character n-grams of each folded, end-marked word (``_hau``, ``haus``, ``aus_``)."""
    return RegexTokenizer() | PadFoldFilter() | NgramFilter(n)


def query_grams(word_forms: list[str], n: int) -> Counter[str]:
    """The n-grams of the query words' folded forms, with their counts."""
    grams: Counter[str] = Counter()
    for form in word_forms:
        padded = f"_{form}_"
        grams.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def open_index(docs: dict[str, str], cache: Path, ngram: int = 0):
    """The index of ``docs`` with the product schema, built once per analyser version.

    With *ngram* > 0 the schema has one more field, ``gram``: the text's character n-grams.
    """
    folder = cache / (analyser_key() + (f"-ng{ngram}" if ngram else ""))
    storage = FileStorage(str(folder))
    if folder.is_dir() and (folder / "done").exists():
        return storage.open_index()
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    schema = build_schema()
    if ngram:
        schema.add("gram", TEXT(analyzer=ngram_analyzer(ngram), phrase=False))
    ix = storage.create_index(schema)
    with ix.writer(limitmb=256) as writer:
        for doc_id, text in docs.items():
            if ngram:
                writer.add_document(id=doc_id, text=text, gram=text)
            else:
                writer.add_document(id=doc_id, text=text)
    elapsed = time.perf_counter() - t0
    (folder / "done").write_text(f"{elapsed:.2f}")
    print(
        f"indexed {len(docs)} docs in {elapsed:.1f} s, {folder_size(folder) / 1e6:.1f} MB "
        f"-> {folder}"
    )
    return ix


def word_alternatives(q: Q.Query) -> list[list[Alt]]:
    """The product query as words, each a list of (field, term, boost) alternatives.

    The product's ``match="any"`` query is ``Or(word, word, ...)``, each word an ``Or`` over
    the fields of ``Or(Term(word), Term(part)^0.5, Term(=form)^0.2)`` (or a single term).
    """
    words = q.subqueries if isinstance(q, Q.Or) else [q]

    def terms(node: Q.Query, boost: float) -> list[Alt]:
        if isinstance(node, Q.Term):
            return [(node.fieldname, node.text, boost * node.boost)]
        if isinstance(node, Q.Or):
            return [a for c in node.subqueries for a in terms(c, boost * node.boost)]
        # A phrase (a word that analyses to several positions, e.g. "4,51"): opaque, scored
        # by its own matcher.
        return [(getattr(node, "fieldname", None) or "*", node, boost * node.boost)]

    return [terms(w, 1.0) for w in words]


class Scorer:
    """Per-term BM25F scores (unboosted) from Whoosh's own scorer, cached per term."""

    def __init__(self, searcher) -> None:  # noqa: ANN001
        self.searcher = searcher
        self.cache: dict[tuple[str, str], dict[int, float]] = {}

    def term(self, field: str, text: str | Q.Query) -> dict[int, float]:
        key = (field, str(text))
        if key not in self.cache:
            scores: dict[int, float] = {}
            q = Q.Term(field, text) if isinstance(text, str) else text.copy()
            q.boost = 1.0
            m = q.matcher(self.searcher)
            while m.is_active():
                scores[m.id()] = m.score()
                m.next()
            self.cache[key] = scores
        return self.cache[key]

    def word_table(self, alts: list[Alt]) -> dict[int, list[float]]:
        """docnum -> boosted score of each alternative (0 where it does not match)."""
        table: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(alts))
        for i, (field, text, boost) in enumerate(alts):
            for doc, s in self.term(field, text).items():
                table[doc][i] = boost * s
        return table


#: A combiner: (per word: docnum -> per-alternative scores, the words' alternatives) ->
#: docnum -> score.
Combiner = Callable[[list[dict[int, list[float]]], list[list[Alt]]], dict[int, float]]


def combine_sum(tables, _alts) -> dict[int, float]:
    total: dict[int, float] = defaultdict(float)
    for table in tables:
        for doc, row in table.items():
            total[doc] += sum(row)
    return total


def combine_dismax(tie: float) -> Combiner:
    """A word scores its best alternative plus *tie* times the others (Lucene's DisMax)."""

    def f(tables, _alts):
        total: dict[int, float] = defaultdict(float)
        for table in tables:
            for doc, row in table.items():
                best = max(row)
                total[doc] += best + tie * (sum(row) - best)
        return total

    return f


def combine_dismax_field(tie: float) -> Combiner:
    """DisMax over a word's alternatives within each field; fields still add up."""

    def f(tables, alts):
        total: dict[int, float] = defaultdict(float)
        for table, word in zip(tables, alts, strict=True):
            fields = sorted({a[0] for a in word})
            idx = {fn: [i for i, a in enumerate(word) if a[0] == fn] for fn in fields}
            for doc, row in table.items():
                for ids in idx.values():
                    vals = [row[i] for i in ids]
                    best = max(vals)
                    total[doc] += best + tie * (sum(vals) - best)
        return total

    return f


def combine_part_scale(factor: float) -> Combiner:
    """Compound parts (alternatives at half the word's boost) scaled by *factor*."""

    def f(tables, alts):
        total: dict[int, float] = defaultdict(float)
        for table, word in zip(tables, alts, strict=True):
            top = max(b for _, _, b in word)
            scale = [factor if abs(b / top - 0.5) < 1e-6 else 1.0 for _, _, b in word]
            for doc, row in table.items():
                total[doc] += sum(v * k for v, k in zip(row, scale, strict=True))
        return total

    return f


def combine_coord(power: float, base: Combiner = combine_sum) -> Combiner:
    """The base score times (matched words / words) ** *power*: a soft AND."""

    def f(tables, alts):
        total = base(tables, alts)
        n = len(tables)
        matched: Counter[int] = Counter()
        for table in tables:
            for doc, row in table.items():
                if any(row):
                    matched[doc] += 1
        return {d: s * (matched[d] / n) ** power for d, s in total.items()}

    return f


def combine_coord_mass(power: float) -> Combiner:
    """The sum times (weight of the matched words / weight of all) ** *power*; a word's weight
    is its best score in any document (about its idf times its boost)."""

    def f(tables, alts):
        total = combine_sum(tables, alts)
        weights = [max((sum(r) for r in t.values()), default=0.0) for t in tables]
        all_w = sum(weights) or 1.0
        mass: dict[int, float] = defaultdict(float)
        for table, w in zip(tables, weights, strict=True):
            for doc, row in table.items():
                if any(row):
                    mass[doc] += w
        return {d: s * (mass[d] / all_w) ** power for d, s in total.items()}

    return f


def combine_weighted(weights_for: Callable[[list[list[Alt]]], list[float]]) -> Combiner:
    """Each word's summed score times a per-word weight (e.g. general-German idf)."""

    def f(tables, alts):
        ws = weights_for(alts)
        total: dict[int, float] = defaultdict(float)
        for table, w in zip(tables, ws, strict=True):
            for doc, row in table.items():
                total[doc] += w * sum(row)
        return total

    return f


def wordfreq_weights(alpha: float) -> Callable[[list[list[Alt]]], list[float]]:
    """Per word: ((8 - zipf) / mean over the question's words) ** alpha, from wordfreq.

    The word's frequency is that of its typed form is not known here; we use the best-known of
    its exact (``=form``) terms, which are the normalised unstemmed forms.
    """
    from wordfreq import zipf_frequency

    def weights(alts: list[list[Alt]]) -> list[float]:
        raw = []
        for word in alts:
            forms = [t[1:] for _, t, _ in word if isinstance(t, str) and t.startswith("=")]
            forms = forms or [str(word[0][1])]
            z = max(zipf_frequency(f, "de") for f in forms)
            raw.append(max(8.0 - z, 0.5))
        mean = sum(raw) / len(raw)
        return [(r / mean) ** alpha for r in raw]

    return weights


class Feedback:
    """RM3-style pseudo-relevance feedback from the stored text of the top hits."""

    def __init__(self, searcher, scorer: Scorer) -> None:  # noqa: ANN001
        self.searcher = searcher
        self.scorer = scorer
        self.analyzer = searcher.schema["text"].analyzer
        self.docs: dict[int, Counter[str]] = {}
        self.n = searcher.doc_count_all()

    def terms(self, doc: int) -> Counter[str]:
        if doc not in self.docs:
            text = self.searcher.stored_fields(doc).get("text", "")
            self.docs[doc] = Counter(
                t.text for t in self.analyzer(text, mode="index") if t.kind == "word"
            )
        return self.docs[doc]

    def expand(self, spec: str, base: dict[int, float], alts: list[list[Alt]]):
        """``prf:T:W``: the top T feedback terms of the top 3 hits, added at weight W."""
        _, t_count, weight = spec.split(":")
        top = sorted(base.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        if not top:
            return base
        seen = {t for w in alts for _, t, _ in w}
        z = sum(s for _, s in top)
        model: Counter[str] = Counter()
        for doc, s in top:
            tf = self.terms(doc)
            total = sum(tf.values()) or 1
            for term, c in tf.items():
                if term not in seen:
                    df = self.searcher.doc_frequency("text", term)
                    model[term] += (s / z) * (c / total) * math.log(self.n / (df + 1))
        picked = model.most_common(int(t_count))
        if not picked:
            return base
        mx = picked[0][1]
        out = dict(base)
        for term, p in picked:
            for doc, sc in self.scorer.term("text", term).items():
                out[doc] = out.get(doc, 0.0) + float(weight) * (p / mx) * sc
        return out


def word_weight(folded: str) -> float:
    """The builder's weight of a common word (1 where the builder has none)."""
    try:
        from search.query.builder import common_word_weight
    except ImportError:
        return 1.0
    return common_word_weight(folded)


def _exact(t: object) -> bool:
    return isinstance(t, str) and t.startswith("=")


def fuse(spec: str, words: dict[int, float], grams: dict[int, float]) -> dict[int, float]:
    """Word and n-gram scores fused: ``ng:W`` (each max-normalised), ``ngraw:W`` (summed over
    the union), ``ngmaybe:W`` (summed, only where the words match), ``ngrrf:W``.

    ``ngonly`` ranks by the n-gram field alone.
    """
    name, *args = spec.split(":")
    w = float(args[0]) if args else 0.0
    if name == "ngonly":
        return dict(grams)
    if name == "ngraw":
        return {d: words.get(d, 0.0) + w * grams.get(d, 0.0) for d in {*words, *grams}}
    if name == "ngmaybe":  # AndMaybe(words, grams): the words decide what matches
        return {d: s + w * grams.get(d, 0.0) for d, s in words.items()}
    if name == "ngtop":  # re-rank only the words' top N
        top = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[: int(args[1])]
        return {d: s + w * grams.get(d, 0.0) + 1e6 for d, s in top}
    if name == "ng":
        mw = max(words.values(), default=1.0) or 1.0
        mg = max(grams.values(), default=1.0) or 1.0
        return {d: words.get(d, 0.0) / mw + w * grams.get(d, 0.0) / mg for d in {*words, *grams}}
    if name == "ngrrf":

        def rr(scores: dict[int, float]) -> dict[int, float]:
            order = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
            return {d: 1.0 / (60 + r) for r, (d, _) in enumerate(order, 1)}

        a, b = rr(words), rr(grams)
        return {d: a.get(d, 0.0) + w * b.get(d, 0.0) for d in {*a, *b}}
    raise SystemExit(f"unknown fusion {spec!r}")


def rank_of(scores: dict[int, float], rel: int) -> int | None:
    """1-based rank of *rel* under Whoosh's order (score desc, then docnum asc), within K."""
    top = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:K]
    for r, (doc, _) in enumerate(top, 1):
        if doc == rel:
            return r
    return None


def parse_variant(spec: str) -> Combiner:
    name, *args = spec.split(":")
    nums = [float(a) for a in args]
    if name == "sum":
        return combine_sum
    if name == "dismax":
        return combine_dismax(nums[0])
    if name == "dismaxf":
        return combine_dismax_field(nums[0])
    if name == "coord":
        return combine_coord(nums[0])
    if name == "dmcoord":
        return combine_coord(nums[1], combine_dismax(nums[0]))
    if name == "coordw":
        return combine_coord_mass(nums[0])
    if name == "partx":
        return combine_part_scale(nums[0])
    if name == "wf":
        return combine_weighted(wordfreq_weights(nums[0]))
    raise SystemExit(f"unknown variant {spec!r}")


def report(name: str, ranks: list, base: list, halves: dict[str, list[int]], resamples: int):
    cells = [name]
    for idx in halves.values():
        a = [ndcg(ranks[i]) for i in idx]
        d = [ndcg(ranks[i]) - ndcg(base[i]) for i in idx]
        lo, hi = bootstrap(a, resamples, random.Random(13))
        dlo, dhi = bootstrap(d, resamples, random.Random(13))
        cells.append(
            f"{sum(a) / len(a):.4f} [{lo:.3f},{hi:.3f}] "
            f"{sum(d) / len(d):+.4f} [{dlo:+.4f},{dhi:+.4f}]"
        )
    print(" | ".join(cells), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/zeitung_exp_ranking"))
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--failures", action="store_true")
    ap.add_argument("--variants", nargs="*", default=["sum"])
    ap.add_argument("--ngram", type=int, default=0, help="add a character n-gram field (N)")
    ap.add_argument(
        "--gram-weighted", action="store_true", help="a word's n-grams at its common-word weight"
    )
    ap.add_argument("--gram-maxdf", type=float, default=1.0, help="drop grams in more docs")
    ap.add_argument("--gram-bk", default="0.5:0.9", help="BM25 B:K1 of the n-gram field")
    args = ap.parse_args()

    paragraphs, questions = load_xquad()
    docs = {**paragraphs, **load_passages()}
    ix = open_index(docs, args.cache, args.ngram)
    schema = ix.schema
    with ix.searcher(weighting=search_query.WEIGHTING) as searcher:
        docnum = {searcher.stored_fields(d)["id"]: d for d in range(searcher.doc_count_all())}
        parsed = []
        for q, _ in questions:
            try:
                parsed.append(search_query.parse_query(q, match="any", schema=schema).query)
            except QuerySyntaxError:
                parsed.append(Q.NullQuery)
        rel = [docnum[pid] for _, pid in questions]
        product = []
        for q, r in zip(parsed, rel, strict=True):
            hits = [h.docnum for h in searcher.search(q, limit=K)]
            product.append(hits.index(r) + 1 if r in hits else None)
        scorer = Scorer(searcher)
        alts = [word_alternatives(q) for q in parsed]
        tables = [[scorer.word_table(w) for w in qa] for qa in alts]

        halves = {
            "DEV": [i for i, (_, p) in enumerate(questions) if int(p.split("-")[1]) % 2 == 0],
            "TEST": [i for i, (_, p) in enumerate(questions) if int(p.split("-")[1]) % 2 == 1],
            "ALL": list(range(len(questions))),
        }
        resum = [rank_of(combine_sum(t, a), r) for t, a, r in zip(tables, alts, rel, strict=True)]
        same = sum(x == y for x, y in zip(resum, product, strict=True))
        print(f"re-scorer agrees with searcher.search on {same}/{len(product)} ranks")
        print("variant | " + " | ".join(f"{h} nDCG@10 [CI]  paired diff [CI]" for h in halves))
        report("product (searcher)", product, product, halves, args.resamples)
        grams = []
        gram_b, gram_k1 = (float(x) for x in args.gram_bk.split(":"))
        gram_scorer = Scorer(ix.searcher(weighting=RsjBM25F(B=gram_b, K1=gram_k1)))
        n_docs = searcher.doc_count_all()
        if args.ngram:
            for qa in alts:
                forms = [t[1:] for w in qa for f, t, _ in w if f == "text" and _exact(t)]
                scores: dict[int, float] = defaultdict(float)
                counts: Counter[str] = Counter()
                for form in forms:
                    weight = word_weight(form) if args.gram_weighted else 1.0
                    for g, c in query_grams([form], args.ngram).items():
                        counts[g] += weight * c
                for g, qf in counts.items():
                    if searcher.doc_frequency("gram", g) > args.gram_maxdf * n_docs:
                        continue
                    for doc, sc in gram_scorer.term("gram", g).items():
                        scores[doc] += qf * sc
                grams.append(scores)
        for spec in args.variants:
            if spec.startswith("prf"):
                prf = Feedback(searcher, scorer)
                ranks = [
                    rank_of(prf.expand(spec, combine_sum(t, a), a), r)
                    for t, a, r in zip(tables, alts, rel, strict=True)
                ]
            elif spec.startswith("ng"):
                fusion, _, base_spec = spec.partition("+")
                base = parse_variant(base_spec) if base_spec else combine_sum
                ranks = [
                    rank_of(fuse(fusion, base(t, a), g), r)
                    for t, a, g, r in zip(tables, alts, grams, rel, strict=True)
                ]
            else:
                comb = parse_variant(spec)
                ranks = [rank_of(comb(t, a), r) for t, a, r in zip(tables, alts, rel, strict=True)]
            report(spec, ranks, product, halves, args.resamples)

        if args.failures:
            ids = {d: i for i, d in docnum.items()}
            for i, ((question, pid), r) in enumerate(zip(questions, product, strict=True)):
                if r == 1:
                    continue
                scores = combine_sum(tables[i], alts[i])
                top = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:1]
                terms = [
                    "/".join(sorted({f"{t}^{b:g}" for f, t, b in w if f == "text"}))
                    for w in alts[i]
                ]
                rel_row = {
                    t
                    for w, table in zip(alts[i], tables[i], strict=True)
                    for (f, t, _), s in zip(w, table.get(rel[i], [0.0] * len(w)), strict=True)
                    if s and f == "text"
                }
                print(
                    f"\n#{i} rank={r} rel={pid} top1={ids[top[0][0]] if top else None}\n"
                    f"  Q: {question}\n  terms: {' '.join(terms)}\n"
                    f"  matched in rel: {' '.join(sorted(rel_row))}\n"
                    f"  rel: {paragraphs[pid][:600]}"
                )


if __name__ == "__main__":
    main()
