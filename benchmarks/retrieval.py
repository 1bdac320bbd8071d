"""Retrieval quality through the product path: ``.jsonl`` -> ``NewsIndex.update_from`` -> search.

Three collections, each written as one ``.jsonl`` of ``{"id", "title", "text", "date"}``
records, indexed with :meth:`search.NewsIndex.update_from` (what ``zeitung index`` runs) into a
temporary index, and searched with ``NewsIndex.search(query, match="any", snippets=None)``:

- ``xquad-untitled``: the 240 XQuAD-de paragraphs plus the derStandard articles of 10kGNAD cut
  into passages of whole sentences (at most ~120 words), all without titles; the 1,190
  questions, each relevant to its own paragraph.
- ``xquad-titled``: the same, each XQuAD paragraph titled with its article's title (*Super Bowl
  50*), each derStandard passage with the first sentence of its article (the way a passage
  inherits its article's headline).
- ``headlines``: known-item search by headline. Each page of ``pages.jsonl`` with a gold title:
  the title is the query, the body the product extracts from the page (``iter_articles``) is
  the one relevant document, its title field empty; the derStandard passages (titled as above)
  are the distractors.

Baselines, in the same run and on the same records: plain Whoosh with ``LanguageAnalyzer("de")``
on title and text (an OR of the analysed query terms over both fields, Whoosh's BM25F), and the
same analyser with title and text in one field (Whoosh's BM25F, and Lucene's BM25: B=0.75,
K1=1.2, Robertson-Spärck Jones idf). Reported: nDCG@10 and MRR@10 with 95 % bootstrap
intervals, on DEV (XQuAD articles / pages with even index), TEST (odd) and all, the paired
difference product - baseline, titled - untitled, and nDCG@10 of the default ``match="all"``
on the questions that have at least one hit under it.

``--cache DIR`` keeps the built indexes (keyed by the records and the source of the
analysis, reading and indexing code), so a second run only queries.

Usage: python benchmarks/retrieval.py [--sets xquad-untitled xquad-titled headlines]
       [--limit N] [--resamples 1000] [--cache DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh import query as Q  # noqa: E402
from whoosh import scoring  # noqa: E402
from whoosh.analysis import LanguageAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.filedb.filestore import RamStorage  # noqa: E402

from analyzers import split_sentences  # noqa: E402
from benchmarks._shared import REPO, data_file, derstandard, print_table  # noqa: E402
from search import NewsIndex  # noqa: E402
from search.errors import QuerySyntaxError  # noqa: E402
from search.query.weighting import RsjBM25F  # noqa: E402

MAX_PASSAGE_WORDS = 120
K = 10
SETS = ("xquad-untitled", "xquad-titled", "headlines")
#: Source whose change changes what an index holds (query code does not: it is re-run anyway).
INDEX_SOURCES = (
    "analyzers",
    "search/readers",
    "search/schema.py",
    "search/index.py",
    "search/ingest.py",
    "search/model.py",
)


# -- collections ------------------------------------------------------------------------------


def load_xquad() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Paragraph id -> text, and (question, paragraph id) pairs."""
    paragraphs, _titles, questions = load_xquad_titled()
    return paragraphs, questions


def load_xquad_titled() -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]]]:
    """Paragraph id -> text, paragraph id -> its article's title, (question, paragraph id)."""
    data = json.loads(data_file("xquad-de/xquad.de.json").read_text(encoding="utf-8"))
    paragraphs, titles, questions = {}, {}, []
    for a, article in enumerate(data["data"]):
        for p, para in enumerate(article["paragraphs"]):
            pid = f"xquad-{a}-{p}"
            paragraphs[pid] = para["context"]
            titles[pid] = article["title"].replace("_", " ")
            questions.extend((qa["question"], pid) for qa in para["qas"])
    return paragraphs, titles, questions


def load_passages() -> dict[str, str]:
    """derStandard articles cut into passages of whole sentences, <= ~120 words each."""
    return {pid: text for pid, (_title, text) in load_titled_passages().items()}


def load_titled_passages() -> dict[str, tuple[str, str]]:
    """Passage id -> (first sentence of its article, passage text)."""
    passages: dict[str, tuple[str, str]] = {}
    for i, (_label, text) in enumerate(derstandard()):
        sentences = split_sentences(text)
        title = sentences[0].strip() if sentences else ""
        chunk: list[str] = []
        words = 0
        for sentence in sentences:
            n = len(sentence.split())
            if chunk and words + n > MAX_PASSAGE_WORDS:
                passages[f"gnad-{i}-{len(passages)}"] = (title, " ".join(chunk))
                chunk, words = [], 0
            chunk.append(sentence)
            words += n
        if chunk:
            passages[f"gnad-{i}-{len(passages)}"] = (title, " ".join(chunk))
    return passages


def load_pages(cache: Path | None) -> list[tuple[str, str, str]]:
    """(page id, gold title, extracted body) of each page with a gold title and a body.

    The body is what the product's reader extracts (``search.readers.iter_articles``); cached
    in *cache* by the reader source, as extraction takes most of a minute.
    """
    from search.errors import ReadError
    from search.readers import iter_articles

    gold = data_file("pages.jsonl")
    key = _source_key(("search/readers",), gold.read_bytes())
    cached = cache / f"pages-{key}.json" if cache else None
    if cached and cached.exists():
        return [tuple(row) for row in json.loads(cached.read_text(encoding="utf-8"))]
    rows = []
    for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines()):
        page = json.loads(line)
        if not page.get("title"):
            continue
        try:
            article = next(iter_articles(gold.parent / page["file"]), None)
        except ReadError:
            article = None
        if article is not None and article.text.strip():
            rows.append((f"page-{n}", page["title"], article.text))
    if cached:
        cached.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return rows


@dataclass
class Collection:
    """Records to index, and queries with their one relevant record and DEV/TEST half."""

    name: str
    records: list[dict]
    queries: list[str]
    relevant: list[str]
    dev: list[bool]
    extra: dict[str, list[int]] = field(default_factory=dict)


def build_collections(names: Sequence[str], limit: int, cache: Path | None) -> list[Collection]:
    out = []
    paragraphs, titles, questions = load_xquad_titled()
    if limit:
        questions = questions[:limit]
    passages = load_titled_passages()
    date = "2020-01-01"
    qs = [q for q, _ in questions]
    rel = [pid for _, pid in questions]
    dev = [int(pid.split("-")[1]) % 2 == 0 for pid in rel]
    distractors = [
        {"id": pid, "title": title, "text": text, "date": date}
        for pid, (title, text) in passages.items()
    ]
    for name in names:
        if name == "xquad-untitled":
            records = [
                {"id": pid, "title": "", "text": text, "date": date}
                for pid, text in paragraphs.items()
            ] + [{**r, "title": ""} for r in distractors]
            out.append(Collection(name, records, qs, rel, dev))
        elif name == "xquad-titled":
            records = [
                {"id": pid, "title": titles[pid], "text": text, "date": date}
                for pid, text in paragraphs.items()
            ] + distractors
            out.append(Collection(name, records, qs, rel, dev))
        elif name == "headlines":
            pages = load_pages(cache)
            if limit:
                pages = pages[:limit]
            records = [
                {"id": pid, "title": "", "text": body, "date": date} for pid, _, body in pages
            ] + distractors
            out.append(
                Collection(
                    name,
                    records,
                    [title for _, title, _ in pages],
                    [pid for pid, _, _ in pages],
                    [i % 2 == 0 for i in range(len(pages))],
                )
            )
        else:
            sys.exit(f"unknown set {name!r}: choose from {', '.join(SETS)}")
    return out


# -- the product ------------------------------------------------------------------------------


def _source_key(sources: Sequence[str], data: bytes) -> str:
    """A hash of *data* and every ``.py`` file under *sources* (paths relative to the repo)."""
    h = hashlib.sha1(data)
    for source in sources:
        path = REPO / source
        for f in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def product_index(coll: Collection, work: Path, cache: Path | None) -> tuple[NewsIndex, float]:
    """The collection written as ``.jsonl`` and indexed by ``update_from``; seconds taken.

    With *cache*, an index built from the same records by the same code is reused (0 s).
    """
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in coll.records).encode()
    key = _source_key(INDEX_SOURCES, body)
    where = (cache or work) / f"index-{coll.name}-{key}"
    if cache and where.exists():
        try:
            return NewsIndex.open(where), 0.0
        except Exception:  # noqa: BLE001 - a stale cache entry is rebuilt
            shutil.rmtree(where)
    src = work / f"src-{coll.name}"
    src.mkdir(parents=True, exist_ok=True)
    (src / f"{coll.name}.jsonl").write_bytes(body)
    t0 = time.perf_counter()
    idx = NewsIndex.create(where)
    report = idx.update_from(src)
    seconds = time.perf_counter() - t0
    if report.articles != len(coll.records):
        print(
            f"warning: {coll.name}: {report.articles} of {len(coll.records)} records indexed "
            f"({report.duplicates} duplicates)"
        )
    return idx, seconds


def product_ranks(
    idx: NewsIndex, coll: Collection, match: str
) -> tuple[list[int | None], list[bool], int]:
    """Rank of the relevant record in the top K (or None), whether any hit, parse errors."""
    ranks: list[int | None] = []
    any_hit: list[bool] = []
    errors = 0
    for q, rel in zip(coll.queries, coll.relevant, strict=True):
        try:
            hits = [h.id for h in idx.search(q, match=match, limit=K, snippets=None)]
        except QuerySyntaxError:
            hits, errors = [], errors + 1
        ranks.append(hits.index(rel) + 1 if rel in hits else None)
        any_hit.append(bool(hits))
    return ranks, any_hit, errors


# -- plain Whoosh baselines -------------------------------------------------------------------


def plain_indexes(coll: Collection):
    """Plain Whoosh, ``LanguageAnalyzer("de")``: title and text as two fields, and as one."""
    two = RamStorage().create_index(
        Schema(
            id=ID(stored=True, unique=True),
            title=TEXT(analyzer=LanguageAnalyzer("de")),
            text=TEXT(analyzer=LanguageAnalyzer("de")),
        )
    )
    one = RamStorage().create_index(
        Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=LanguageAnalyzer("de")))
    )
    with two.writer() as w2, one.writer() as w1:
        for r in coll.records:
            w2.add_document(id=r["id"], title=r["title"], text=r["text"])
            w1.add_document(id=r["id"], text=f"{r['title']}\n{r['text']}".strip())
    return two, one


def plain_query(analyzer, question: str, fields: Sequence[str]) -> Q.Query:
    """OR over the LanguageAnalyzer's query terms in each of *fields*."""
    terms = dict.fromkeys(t.text for t in analyzer(question, mode="query"))
    return Q.Or([Q.Term(f, w) for w in terms for f in fields])


def plain_ranks(ix, coll: Collection, fields: Sequence[str], weighting) -> list[int | None]:
    analyzer = LanguageAnalyzer("de")
    out: list[int | None] = []
    with ix.searcher(weighting=weighting) as searcher:
        for q, rel in zip(coll.queries, coll.relevant, strict=True):
            hits = [h["id"] for h in searcher.search(plain_query(analyzer, q, fields), limit=K)]
            out.append(hits.index(rel) + 1 if rel in hits else None)
    return out


# -- figures ----------------------------------------------------------------------------------


def ndcg(rank: int | None) -> float:
    return 1.0 / math.log2(rank + 1) if rank else 0.0


def rr(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def bootstrap(values: list[float], resamples: int, rng: random.Random) -> tuple[float, float]:
    """95 % percentile interval of the mean."""
    n = len(values)
    if n == 0:
        return float("nan"), float("nan")
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(resamples))
    return means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]


def mean_ci(values: list[float], resamples: int) -> str:
    lo, hi = bootstrap(values, resamples, random.Random(13))
    m = sum(values) / len(values) if values else float("nan")
    return f"{m:.4f} [{lo:.3f}, {hi:.3f}]"


def diff_ci(a: list[float], b: list[float], resamples: int) -> str:
    d = [x - y for x, y in zip(a, b, strict=True)]
    lo, hi = bootstrap(d, resamples, random.Random(13))
    m = sum(d) / len(d) if d else float("nan")
    return f"{m:+.4f} [{lo:+.4f}, {hi:+.4f}]"


def halves(dev: list[bool]) -> dict[str, list[int]]:
    return {
        "DEV": [i for i, d in enumerate(dev) if d],
        "TEST": [i for i, d in enumerate(dev) if not d],
        "all": list(range(len(dev))),
    }


def report(
    coll: Collection,
    systems: dict[str, list[int | None]],
    resamples: int,
    against: str = "whoosh 1-field Lucene BM25",
) -> None:
    """nDCG@10 (and MRR@10 overall) of each system per half, paired against *against*."""
    rows = []
    base = systems[against]
    for name, ranks in systems.items():
        for half, idx in halves(coll.dev).items():
            a = [ndcg(ranks[i]) for i in idx]
            b = [ndcg(base[i]) for i in idx]
            rows.append(
                [
                    name,
                    f"{half} (n={len(idx)})",
                    mean_ci(a, resamples),
                    "" if name == against else diff_ci(a, b, resamples),
                    f"{sum(rr(ranks[i]) for i in idx) / max(len(idx), 1):.4f}",
                ]
            )
    print(f"\n{coll.name}: {len(coll.records)} records, {len(coll.queries)} queries")
    print_table(["system", "queries", "nDCG@10", f"paired diff vs {against}", "MRR@10"], rows)


def paired_rows(
    title: str, a: list[int | None], b: list[int | None], dev: list[bool], resamples: int
) -> None:
    rows = []
    for half, idx in halves(dev).items():
        x = [ndcg(a[i]) for i in idx]
        y = [ndcg(b[i]) for i in idx]
        rows.append(
            [
                f"{half} (n={len(idx)})",
                mean_ci(y, resamples),
                mean_ci(x, resamples),
                diff_ci(x, y, resamples),
            ]
        )
    print(f"\n{title}")
    print_table(["queries", "second", "first", "paired diff first - second"], rows)


def main(argv: Sequence[str] | None = None, after: Callable | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N queries of each set")
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--cache", type=Path, help="keep built indexes (and extracted pages) here")
    ap.add_argument("--no-baselines", action="store_true", help="skip plain Whoosh")
    args = ap.parse_args(argv)
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    collections = build_collections(args.sets, args.limit, args.cache)
    product: dict[str, list[int | None]] = {}
    with tempfile.TemporaryDirectory(prefix="zeitung-retrieval-") as tmp:
        for coll in collections:
            idx, build_s = product_index(coll, Path(tmp), args.cache)
            t0 = time.perf_counter()
            ranks, _, errors = product_ranks(idx, coll, "any")
            query_s = time.perf_counter() - t0
            all_ranks, all_hit, _ = product_ranks(idx, coll, "all")
            idx.close()
            systems = {"zeitung any": ranks}
            if not args.no_baselines:
                t0 = time.perf_counter()
                two, one = plain_indexes(coll)
                plain_s = time.perf_counter() - t0
                systems["whoosh 2-field BM25F"] = plain_ranks(
                    two, coll, ("title", "text"), scoring.BM25F()
                )
                systems["whoosh 1-field BM25F"] = plain_ranks(one, coll, ("text",), scoring.BM25F())
                systems["whoosh 1-field Lucene BM25"] = plain_ranks(
                    one, coll, ("text",), RsjBM25F(B=0.75, K1=1.2)
                )
                report(coll, systems, args.resamples)
                print(
                    f"indexing: zeitung {build_s:.1f} s (0: cached), plain both {plain_s:.1f} s; "
                    f"zeitung queries {1000 * query_s / len(coll.queries):.1f} ms each"
                )
            else:
                report(coll, systems, args.resamples, against="zeitung any")
            if errors:
                print(f"{errors} queries could not be parsed (counted as misses)")
            with_hits = [i for i, h in enumerate(all_hit) if h]
            a = [ndcg(all_ranks[i]) for i in with_hits]
            b = [ndcg(ranks[i]) for i in with_hits]
            print(
                f'match="all": {len(with_hits)} of {len(coll.queries)} queries have hits; '
                f'there nDCG@10 {mean_ci(a, args.resamples)}, match="any" '
                f"{mean_ci(b, args.resamples)}"
            )
            product[coll.name] = ranks
            if after is not None:
                after(coll, systems)
    if "xquad-titled" in product and "xquad-untitled" in product:
        dev = next(c.dev for c in collections if c.name == "xquad-titled")
        paired_rows(
            "zeitung any: titled (first) vs untitled (second), nDCG@10",
            product["xquad-titled"],
            product["xquad-untitled"],
            dev,
            args.resamples,
        )
    print(
        f"\ntargets: nDCG@10 >= 0.95 on both XQuAD sets, titled >= untitled; headlines at "
        f"least the 1-field Lucene-like baseline. ({time.perf_counter() - t_start:.0f} s)"
    )


if __name__ == "__main__":
    main()
