"""Experiments on the analysis / query-term side of retrieval, on XQuAD-de (not the product).

Same documents, questions and query path as ``benchmarks/retrieval.py``, searched with
``search.query.WEIGHTING``. Every variant is compared with the product of the working tree on
the same questions, split to guard against overfitting: DEV = questions of XQuAD articles with
an even index, TEST = odd, and ALL; each with nDCG@10, its 95 % bootstrap interval and the
PAIRED difference to the product (bootstrap over questions), plus questions won/lost.
A variant is chosen on DEV and confirmed on TEST.

Indexes are built once into file indexes under ``/tmp/exp_analysis`` (override with
``EXP_ANALYSIS_CACHE``), keyed by variant and by a digest of ``analyzers/*.py``, so a change of
the analysis never reuses a stale index. Index-side variants monkeypatch the stem filter;
query-side variants rewrite the product's query. One variant per process for index-side ones.

Usage::

    python benchmarks/exp_analysis.py failures            # questions not at rank 1, with marks
    python benchmarks/exp_analysis.py run VARIANT ...      # e.g. run zipfmore:3:0.3 family:5:0.25

Variants (index side): ``tstrip[:nost|:ge]`` CISTEM-like ``-t`` removal for lowercase words
(query: both stems); ``family:N:F`` a truncation term ``~`` + first N folded letters beside
each word, queried at F x the word's weight; ``ck`` loanword c -> k (``Doctor``/``Doktor``);
``lemma[:single]`` Snowball over simplemma's lemma (needs ``pip install simplemma``).
Query side: ``welch:F`` the word after welch- scaled by F; ``wie:F`` the word after
``Wie`` (viele, lange, oft, ...) scaled by F; ``famz:max|sum`` the frequency weight taken from
the whole stem family; ``famq:N:F:L`` expansion to the index's stems sharing N letters.

Measured in the session that added the vowel-s stem rule and the frequency weight (nDCG@10,
paired difference; before those two: product 0.936, DEV 0.924, TEST 0.950):

=========================  ========================  ========================  ==================
variant                    DEV                       TEST                      ALL
=========================  ========================  ========================  ==================
vowel-s stem rule          +0.0011 [+0.0000,+0.0032]  +0.0034 [-0.0006,+0.0086]  +0.0022 (landed)
zipf weight 3.5/0.3        +0.0042 [-0.0001,+0.0092]  +0.0029 [-0.0006,+0.0069]  +0.0036 (landed)
both (product now 0.942)   +0.0052 [+0.0006,+0.0105]  +0.0061 [+0.0009,+0.0122]  +0.0056
tstrip                     +0.0001                   -0.0011                   -0.0005, +12/-22
tstrip:ge                  +0.0014                   +0.0004                   +0.0009, +14/-22
=========================  ========================  ========================  ==================

Then against the new product (0.942; DEV 0.929, TEST 0.956): tstrip:nost +0.0003 / +0.0020;
welch:0.5 +0.0009 / -0.0007; wie:0.5 +0.0006 / +0.0005 (2 questions); partw (parts weighted by
their own frequency) -0.0002 / -0.0005; famz:max -0.0007 / -0.0025; famq:5:0.15:6 -0.0046 /
-0.0014; family:5:0.15 +0.0014 / +0.0022, family:5:0.25 +0.0020 / +0.0039 (ALL +0.0029
[+0.0003, +0.0058]), family:5:0.5 -0.0011 / -0.0063; ck +0.0051 / 0.0000 (ten questions, all of
one article: Doctor Who); lemma +0.0005 / +0.0055, lemma:single +0.0005 / +0.0066.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import Stemmer  # noqa: E402
from whoosh import index as windex  # noqa: E402
from whoosh import query as wq  # noqa: E402
from whoosh.filedb.filestore import FileStorage  # noqa: E402

from analyzers import analyze, normalize_word  # noqa: E402
from benchmarks.retrieval import K, load_passages, load_xquad  # noqa: E402
from search import query as search_query  # noqa: E402
from search.errors import QuerySyntaxError  # noqa: E402
from search.query import builder as qb  # noqa: E402
from search.schema import build_schema  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("EXP_ANALYSIS_CACHE", "/tmp/exp_analysis"))
_SNOWBALL = Stemmer.Stemmer("german")

QueryMaker = Callable[[object, str], wq.Query]


# -- harness ----------------------------------------------------------------------------


def article_of(pid: str) -> int:
    """The XQuAD article index of a paragraph id ``xquad-A-P``."""
    return int(pid.split("-")[1])


def analysis_digest() -> str:
    """Digest of the analysis code, so an index is never reused across analysis changes."""
    h = hashlib.sha256()
    for path in sorted((REPO / "analyzers").glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


def get_index(name: str, docs: dict[str, str]):
    """The file index of ``docs`` for variant *name*, built on first use."""
    path = CACHE / f"{name}-{analysis_digest()}"
    if path.exists() and windex.exists_in(str(path)):
        return windex.open_dir(str(path))
    path.mkdir(parents=True, exist_ok=True)
    ix = FileStorage(str(path)).create_index(build_schema())
    with ix.writer(limitmb=256) as w:
        for doc_id, text in docs.items():
            w.add_document(id=doc_id, text=text)
    return ix


def product_query(schema, question: str) -> wq.Query:
    """What ``zeitung search --any`` runs for *question*."""
    try:
        return search_query.parse_query(question, match="any", schema=schema).query
    except QuerySyntaxError:
        return wq.NullQuery


def ranks(ix, queries: list[wq.Query], relevant: list[str], top1: list | None = None):
    """Rank (1-based) of the relevant paragraph in the top K, or None."""
    out = []
    with ix.searcher(weighting=search_query.WEIGHTING) as s:
        for q, rel in zip(queries, relevant, strict=True):
            hits = [h["id"] for h in s.search(q, limit=K)]
            out.append(hits.index(rel) + 1 if rel in hits else None)
            if top1 is not None:
                top1.append(hits[0] if hits else None)
    return out


def ndcg(rank: int | None) -> float:
    return 1.0 / math.log2(rank + 1) if rank else 0.0


def bootstrap(values: list[float], resamples: int = 1000, seed: int = 13) -> tuple[float, float]:
    """95 % percentile interval of the mean."""
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(resamples))
    return means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]


def report(name: str, base: list, new: list, relevant: list[str]) -> None:
    """DEV / TEST / ALL: nDCG@10 with interval, paired difference, questions won/lost."""
    print(name)
    for half, keep in (("DEV", 0), ("TEST", 1), ("ALL", None)):
        idx = [i for i, p in enumerate(relevant) if keep is None or article_of(p) % 2 == keep]
        a = [ndcg(new[i]) for i in idx]
        b = [ndcg(base[i]) for i in idx]
        d = [x - y for x, y in zip(a, b, strict=True)]
        lo, hi = bootstrap(a)
        dlo, dhi = bootstrap(d)
        print(
            f"  {half:4} n={len(idx):4}  {sum(a) / len(a):.4f} [{lo:.3f},{hi:.3f}]  "
            f"base {sum(b) / len(b):.4f}  diff {sum(d) / len(d):+.4f} [{dlo:+.4f},{dhi:+.4f}]"
            f"  +{sum(x > 0 for x in d)}/-{sum(x < 0 for x in d)}",
            flush=True,
        )


def setup() -> tuple[dict[str, str], list[tuple[str, str]], dict[str, str]]:
    paragraphs, questions = load_xquad()
    return paragraphs, questions, {**paragraphs, **load_passages()}


def product_ranks(questions, docs, top1: list | None = None) -> list:
    """The working tree's product ranks (cached beside its index)."""
    f = CACHE / f"product-{analysis_digest()}-{_builder_digest()}.json"
    if f.exists() and top1 is None:
        return json.loads(f.read_text())
    ix = get_index("product", docs)
    r = ranks(
        ix, [product_query(ix.schema, q) for q, _ in questions], [p for _, p in questions], top1
    )
    f.write_text(json.dumps(r))
    return r


def _builder_digest() -> str:
    return hashlib.sha256(Path(qb.__file__).read_bytes()).hexdigest()[:10]


def failures() -> None:
    """One line per question not at rank 1: rank, relevant and top-1 ids, question, words.

    Each query word is marked ``R`` if its term is in the relevant paragraph and ``T`` if in
    the top-1 paragraph.
    """
    paragraphs, questions, docs = setup()
    top1: list = []
    r = product_ranks(questions, docs, top1)
    for i, ((q, pid), rank, top) in enumerate(zip(questions, r, top1, strict=True)):
        if rank == 1:
            continue
        rel_terms = {a.term for a in analyze(paragraphs[pid])}
        top_terms = {a.term for a in analyze(docs[top])} if top else set()
        marks = []
        for a in analyze(q, mode="query"):
            if a.kind == "word":
                rel = "R" if a.term in rel_terms else "-"
                marks.append(f"{a.surface}:{rel}{'T' if a.term in top_terms else '-'}")
        print(f"{i}\t{rank}\t{pid}\t{top}\t{q}\t{' '.join(marks)}")


# -- index-side variants (monkeypatch the stem filter) -----------------------------------


def _patch_stem_filter(wrap: Callable) -> None:
    """Run *wrap* over the stem filter's output tokens; clear the per-chunk caches."""
    from analyzers import analyzer as an
    from analyzers import stemming as st

    orig = st.GermanStemFilter.__call__
    st.GermanStemFilter.__call__ = lambda self, tokens: wrap(orig(self, tokens))
    an._CHUNKS["index"].clear()
    an._CHUNKS["query"].clear()


_T_END = re.compile(r"t(?:e|en|er|es|em)?$")


def patch_tstrip(no_st: bool, ge: bool) -> None:
    """CISTEM-like: a lowercase word in -t(e, en, ...) loses the t before Snowball
    (``erzielt``/``erzielen``); the query asks for both stems. *ge*: also a ge- participle
    prefix when the infinitive is a lexicon word (``gebaut`` -> ``bau``)."""
    from analyzers.lexicon import zipf

    def strip(folded: str, stemmed: str) -> str | None:
        if not stemmed.endswith("t") or not _T_END.search(folded) or len(stemmed) < 4:
            return None
        if no_st and stemmed.endswith("st"):
            return None
        out = _SNOWBALL.stemWord(stemmed[:-1])
        if ge and out.startswith("ge") and len(out) >= 5:
            core = out[2:]
            if max(zipf(core + "en"), zipf(core + "n")) >= 3.0:
                out = core
        return out if out != stemmed else None

    def wrap(tokens):
        for t in tokens:
            alt = None
            if t.kind == "word" and t.surface.isalpha():
                alt = strip(t.surface, t.text)
            if alt is None:
                yield t
                continue
            lower = t.surface_raw[:1].islower()
            stemmed = t.text
            if t.mode == "index":
                t.text = alt if lower else stemmed
                yield t
            else:
                for text in (alt, stemmed) if lower else (stemmed, alt):
                    t.text = text
                    yield t
            t.text = stemmed

    _patch_stem_filter(wrap)


def patch_family(n: int) -> None:
    """Beside each word, a truncation term ``~`` + its first *n* folded letters."""

    def wrap(tokens):
        for t in tokens:
            yield t
            if t.kind == "word" and t.surface.isalpha() and len(t.surface) > n:
                text = t.text
                t.text, t.kind = "~" + t.surface[:n], "family"
                yield t
                t.text, t.kind = text, "word"

    _patch_stem_filter(wrap)


_CK = re.compile(r"c(?![hkeiy])")


def patch_ck() -> None:
    """Loanword c -> k before a, o, u, a consonant or at the end (Doctor/Doktor, Club/Klub)."""

    def wrap(tokens):
        for t in tokens:
            if t.kind != "exact" and "c" in t.text:
                t.text = _CK.sub("k", t.text)
            yield t

    _patch_stem_filter(wrap)


def patch_lemma(single: bool) -> None:
    """Snowball over simplemma's lemma of the word as written (its case tells noun from verb);
    the query also asks for the plain stem unless *single*."""
    import simplemma

    from analyzers.normalize import fold_token
    from analyzers.stemming import stem_folded

    cache: dict[str, str] = {}

    def wrap(tokens):
        for t in tokens:
            if t.kind != "word" or not t.surface.isalpha():
                yield t
                continue
            raw = t.surface_raw
            lem = cache.get(raw)
            if lem is None:
                lem = cache[raw] = stem_folded(fold_token(simplemma.lemmatize(raw, lang="de")))
            plain = t.text
            t.text = lem
            yield t
            if t.mode != "index" and not single and lem != plain:
                t.text = plain
                yield t
            t.text = plain

    _patch_stem_filter(wrap)


# -- query-side variants (rewrite the product's query) -----------------------------------


def _scale_terms(q: wq.Query, factor: Callable[[str], float]) -> wq.Query:
    """*q* with every Term's boost multiplied by ``factor(term text)``."""

    def walk(node):
        if isinstance(node, wq.Term):
            f = factor(node.text)
            return node if f == 1.0 else wq.Term(node.fieldname, node.text, boost=node.boost * f)
        return node.apply(walk) if hasattr(node, "apply") else node

    return walk(q)


def _word_terms(word: str) -> set[str]:
    """The query and exact-form terms of one word."""
    terms = {t.term for t in analyze(word, mode="query")}
    return terms | {t.term for t in analyze(word) if t.kind == "exact"}


def _scale_word(q: wq.Query, word: str, f: float) -> wq.Query:
    """*q* with the terms of *word* scaled by *f*."""
    terms = _word_terms(word)
    return _scale_terms(q, lambda text: f if text in terms else 1.0)


def family_query(f: float) -> QueryMaker:
    """For ``family:N:F``: the product's query with the ``~`` terms at F x their word's boost."""

    def make(schema, question):
        q = product_query(schema, question)
        return _scale_terms(q, lambda text: f if text.startswith("~") else 1.0)

    return make


def welch_query(f: float) -> QueryMaker:
    """Scale the answer-type word after welch- (``Welcher Fluss``) by *f*."""

    def make(schema, question):
        q = product_query(schema, question)
        words = re.findall(r"\w[\w-]*", question)
        for i, w in enumerate(words):
            if w.lower().startswith("welch"):
                for nxt in words[i + 1 :]:
                    if any(t.kind == "word" for t in analyze(nxt, mode="query")):
                        return _scale_word(q, nxt, f)
                break
        return q

    return make


WIE_FRAME = frozenset(
    "viele viel vielen lange oft alt gross hoch weit spat fruh schnell teuer schwer".split()
)


def wie_query(f: float) -> QueryMaker:
    """Scale the quantity word of ``Wie viele/lange/oft/alt ...`` by *f*."""

    def make(schema, question):
        q = product_query(schema, question)
        words = re.findall(r"\w+", question)
        for a, b in zip(words, words[1:], strict=False):
            if a.lower() == "wie" and normalize_word(b) in WIE_FRAME:
                return _scale_word(q, b, f)
        return q

    return make


def patch_family_zipf(kind: str) -> None:
    """The frequency weight from the stem family: its most common word ('max') or the sum of
    its words' frequencies ('sum'), instead of the word as typed."""
    from analyzers import lexicon
    from analyzers.stemming import stem_folded

    table = lexicon.lexicon()
    fam: dict[str, float] = {}
    for w, z in table.items():
        s = _SNOWBALL.stemWord(w)
        if kind == "max":
            fam[s] = max(fam.get(s, 0.0), z)
        else:
            fam[s] = math.log10(10 ** fam.get(s, -9.0) + 10**z)
    orig = qb.common_word_weight

    def weight(folded: str) -> float:
        z = fam.get(stem_folded(folded))
        return orig(folded) if z is None else qb.zipf_weight(z)

    qb.common_word_weight = weight


def family_expand(ix, n: int, f: float, minlen: int) -> QueryMaker:
    """Expand each word (at least *minlen* letters) to the stems of the index's exact forms
    sharing its first *n* letters, each at F x the word's weight (no index change)."""
    from analyzers.stemming import stem_folded

    reader = ix.reader()
    cache: dict[tuple[str, str], list[str]] = {}

    def family(field: str, folded: str) -> list[str]:
        key = (field, folded[:n])
        if key not in cache:
            forms = reader.expand_prefix(field, "=" + folded[:n])
            cache[key] = sorted({stem_folded(str(x)[1:]) for x in forms})
        return cache[key]

    def make(schema, question):
        q = product_query(schema, question)
        extra = []
        for t in analyze(question, mode="query"):
            if t.kind != "word" or not t.surface.isalpha() or len(t.surface) < minlen:
                continue
            w = qb.common_word_weight(t.surface)
            for field in ("title", "text"):
                extra.extend(
                    wq.Term(field, s, boost=f * w) for s in family(field, t.surface) if s != t.term
                )
        return wq.Or([q, *extra]) if extra else q

    return make


def variant(spec: str, docs: dict[str, str]) -> tuple[object, QueryMaker]:
    """The index and query maker of one variant spec (see the module docstring)."""
    name, *args = spec.split(":")
    make: QueryMaker = product_query
    if name == "tstrip":
        patch_tstrip(no_st="nost" in args, ge="ge" in args)
        return get_index(spec.replace(":", "_"), docs), make
    if name == "family":
        patch_family(int(args[0]))
        return get_index(f"family_{args[0]}", docs), family_query(float(args[1]))
    if name == "ck":
        patch_ck()
        return get_index("ck", docs), make
    if name == "lemma":
        patch_lemma(single="single" in args)
        return get_index("lemma", docs), make
    ix = get_index("product", docs)
    if name == "welch":
        return ix, welch_query(float(args[0]))
    if name == "wie":
        return ix, wie_query(float(args[0]))
    if name == "famz":
        patch_family_zipf(args[0])
        return ix, make
    if name == "famq":
        return ix, family_expand(ix, int(args[0]), float(args[1]), int(args[2]))
    raise SystemExit(f"unknown variant {spec!r}")


def run(specs: list[str]) -> None:
    _, questions, docs = setup()
    relevant = [p for _, p in questions]
    base = product_ranks(questions, docs)
    for spec in specs:
        ix, make = variant(spec, docs)
        r = ranks(ix, [make(ix.schema, q) for q, _ in questions], relevant)
        report(spec, base, r, relevant)


def main() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    if len(sys.argv) < 2 or sys.argv[1] not in ("failures", "run"):
        raise SystemExit(__doc__)
    if sys.argv[1] == "failures":
        failures()
    else:
        run(sys.argv[2:])


if __name__ == "__main__":
    main()
