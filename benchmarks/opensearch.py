"""The same corpus into the embedded Whoosh index and into OpenSearch, in one run.

Both through ``NewsIndex.update_from`` (reading, German analysis, duplicate check, commits),
then the same fixed query mix through ``NewsIndex.search`` (with snippets, as the CLI asks):
articles/s, index size, query p50/p95, and per query whether the hit sets are equal plus the
overlap of the top 10. Whoosh is the baseline; the ratios are the result.

    python benchmarks/opensearch.py --url http://127.0.0.1:9200 --corpus /tmp/corpus-100k
    python benchmarks/opensearch.py --url start --articles 20000

``--corpus DIR`` indexes a directory (e.g. one written by ``benchmarks/make_corpus.py``);
without it, ``--articles N`` articles are made from the derStandard texts in
``../shared/data`` (repeated under fresh ids, as ``benchmarks/indexing.py`` does).
``--whoosh-index DIR --whoosh-report FILE`` takes the Whoosh side from an index already built
by ``zeitung index CORPUS --index DIR --json > FILE`` on the same corpus (its rate from that
report, an earlier run, said in the output): at 100,000 articles each engine takes most of an
hour here.
``--url start`` starts a node with scripts/opensearch/start.sh and stops it afterwards.
``--retrieval`` instead measures nDCG@10 of ``benchmarks/retrieval.py``'s sets (``match="any"``,
its product path) on both engines, with the paired difference.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._shared import DATA, derstandard  # noqa: E402
from search import NewsIndex  # noqa: E402

#: The fixed query mix: words, compounds, phrases (with slop), NEAR, wildcards, exact forms,
#: fields, dates, OR/NOT, and the ranked --any form.
QUERIES = [
    ("Regierung", "all"),
    ("Gaspreise", "all"),
    ("Klimaschutz", "all"),
    ("Bundesregierung Wien", "all"),
    ("Fußball OR Handball", "all"),
    ("Wahl -Wien", "all"),
    ('"der Regierung"', "all"),
    ('"Prozent der"~2', "all"),
    ("Regierung NEAR/5 Kritik", "all"),
    ("(Polizei OR Feuerwehr) NEAR/8 Einsatz", "all"),
    ("Minister*", "all"),
    ("=Häuser", "all"),
    ("titel:Wien", "all"),
    ("Regierung date:2020..2022", "all"),
    ("Wie viele Menschen leben in Wien", "any"),
    ("Welche Partei gewann die Wahl", "any"),
]


def make_corpus(target: Path, n: int, data: Path) -> None:
    rows = derstandard(data)
    target.mkdir(parents=True)
    with (target / "artikel.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n):
            label, text = rows[i % len(rows)]
            copy = i // len(rows)
            record = {
                "id": f"c{copy}-{i % len(rows)}",
                "title": text.split(". ")[0][:120],
                "text": text + (f" (Kopie {copy})" if copy else ""),
                "section": label,
                "date": f"20{15 + i % 9}-0{1 + i % 9}-1{i % 9}",
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def timed_queries(idx: NewsIndex, rounds: int) -> tuple[list[float], dict[str, list[str]]]:
    samples: list[float] = []
    hits: dict[str, list[str]] = {}
    for _ in range(rounds):
        for query, match in QUERIES:
            t0 = time.perf_counter()
            results = idx.search(query, match=match, limit=10)
            samples.append(time.perf_counter() - t0)
            hits[f"{match}:{query}"] = [h.id for h in results]
    return samples, hits


def all_hits(idx: NewsIndex) -> dict[str, set[str]]:
    return {
        f"{match}:{query}": {
            h.id for h in idx.search(query, match=match, limit=None, snippets=None)
        }
        for query, match in QUERIES
        if match == "all"
    }


def retrieval(location_prefix: str, sets: list[str], limit: int, resamples: int) -> None:
    """nDCG@10 of the same collections on Whoosh and on OpenSearch, paired."""
    from benchmarks import retrieval as r

    with tempfile.TemporaryDirectory(prefix="zeitung-os-retrieval-") as tmp:
        for coll in r.build_collections(sets, limit, None):
            t0 = time.perf_counter()
            whoosh, _ = r.product_index(coll, Path(tmp), None)
            w_secs = time.perf_counter() - t0
            src = Path(tmp) / f"src-{coll.name}"  # written by product_index
            t0 = time.perf_counter()
            remote = NewsIndex.create(f"{location_prefix}-{coll.name}")
            remote.update_from(src)
            o_secs = time.perf_counter() - t0
            ranks_w, _, _ = r.product_ranks(whoosh, coll, "any")
            ranks_o, _, _ = r.product_ranks(remote, coll, "any")
            a = [r.ndcg(x) for x in ranks_w]
            b = [r.ndcg(x) for x in ranks_o]
            same_top = sum(x == y for x, y in zip(ranks_w, ranks_o, strict=True))
            print(
                f"{coll.name}: {len(a)} queries; nDCG@10 Whoosh {r.mean_ci(a, resamples)}, "
                f"OpenSearch {r.mean_ci(b, resamples)}, OpenSearch - Whoosh "
                f"{r.diff_ci(b, a, resamples)}; same rank of the relevant record "
                f"{same_top / len(a):.3f}; indexing {w_secs:.1f} s vs {o_secs:.1f} s"
            )
            whoosh.close()
            remote.close()


def pct(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="http://HOST:PORT of a node, or 'start'")
    parser.add_argument("--corpus", type=Path, help="a directory to index")
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the query mix")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument("--whoosh-index", type=Path, help="a built Whoosh index of --corpus")
    parser.add_argument("--whoosh-report", type=Path, help="its `zeitung index --json` report")
    parser.add_argument("--retrieval", action="store_true", help="nDCG@10 on both engines")
    parser.add_argument("--sets", nargs="+", default=["xquad-untitled", "xquad-titled"])
    parser.add_argument("--limit", type=int, default=0, help="retrieval: first N queries")
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()

    state = None
    url = args.url.rstrip("/")
    if url == "start":
        state = tempfile.mkdtemp(prefix="zeitung-bench-opensearch-")
        out = subprocess.run(
            ["bash", str(REPO / "scripts/opensearch/start.sh"), state],
            capture_output=True,
            text=True,
            check=True,
        )
        url = out.stdout.strip().splitlines()[-1]
    name = f"zeitung-bench-{uuid.uuid4().hex[:8]}"
    location = url.replace("http://", "opensearch://", 1) + f"/{name}?shards={args.shards}"
    try:
        if args.retrieval:
            retrieval(location.split("?")[0], args.sets, args.limit, args.resamples)
            return
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            corpus = args.corpus
            if corpus is None:
                corpus = tmp_path / "corpus"
                make_corpus(corpus, args.articles, args.data)
            rows = []
            indexes = {}
            whoosh_where = args.whoosh_index or tmp_path / "ix"
            for label, where in (("Whoosh (baseline)", whoosh_where), ("OpenSearch", location)):
                if where == args.whoosh_index:
                    idx = NewsIndex.open(where)
                    earlier = json.loads(args.whoosh_report.read_text(encoding="utf-8"))
                    articles, secs = earlier["articles_written"], earlier["seconds"]
                    print(f"Whoosh: {where}, indexing figures from {args.whoosh_report}")
                else:
                    t0 = time.perf_counter()
                    idx = NewsIndex.create(where)
                    articles = idx.update_from(corpus, workers=args.workers).articles
                    secs = time.perf_counter() - t0
                size = dir_size(where) if isinstance(where, Path) else idx.stats().size_bytes
                samples, top = timed_queries(idx, args.rounds)
                indexes[label] = (idx, top)
                rows.append((label, articles, secs, size, pct(samples, 50), pct(samples, 95)))
            print(f"corpus: {corpus if args.corpus else f'{args.articles} derStandard articles'}")
            print(
                f"{'engine':<20}{'articles':>9}{'seconds':>9}{'art/s':>8}{'index MB':>10}"
                f"{'p50 ms':>8}{'p95 ms':>8}"
            )
            for label, n, secs, size, p50, p95 in rows:
                print(
                    f"{label:<20}{n:9d}{secs:9.1f}{n / secs:8.0f}{size / 1e6:10.1f}"
                    f"{p50:8.1f}{p95:8.1f}"
                )
            (_, n0, s0, z0, a0, b0), (_, n1, s1, z1, a1, b1) = rows
            print(
                f"{'OpenSearch / Whoosh':<20}{'':>9}{s1 / s0:9.2f}{(n1 / s1) / (n0 / s0):8.2f}"
                f"{z1 / z0:10.2f}{a1 / a0:8.2f}{b1 / b0:8.2f}"
            )
            whoosh, opensearch = indexes["Whoosh (baseline)"][0], indexes["OpenSearch"][0]
            same = all_hits(whoosh)
            other = all_hits(opensearch)
            equal = sum(same[k] == other[k] for k in same)
            print(f"hit sets equal: {equal} of {len(same)} match-all queries")
            overlaps = []
            for key, top_w in indexes["Whoosh (baseline)"][1].items():
                top_o = indexes["OpenSearch"][1][key]
                if top_w:
                    overlaps.append(len(set(top_w) & set(top_o)) / len(top_w))
            print(
                f"top-10 overlap: mean {statistics.mean(overlaps):.3f}, min {min(overlaps):.2f}"
                f" over {len(overlaps)} queries with hits"
            )
            for key in same:
                if same[key] != other[key]:
                    print(f"  differs: {key}: {len(same[key])} vs {len(other[key])}")
    finally:
        try:
            subprocess.run(
                ["curl", "-s", "-XDELETE", f"{url}/{name}*"],
                capture_output=True,
                check=False,
            )
        finally:
            if state is not None:
                subprocess.run(
                    ["bash", str(REPO / "scripts/opensearch/stop.sh"), state], check=False
                )


if __name__ == "__main__":
    main()
