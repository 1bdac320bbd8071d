"""Indexing throughput, index size, memory and query latency, against plain Whoosh.

Indexes the derStandard articles of ``../shared/data/10kgnad/test.csv`` (repeated ``--copies``
times under fresh ids) with Zeitung (``NewsIndex.update_from`` on a ``.jsonl``, the whole
pipeline: reading, German analysis with decompounding, duplicate check, commit) and, as the
baseline in the same run, with plain Whoosh (``StandardAnalyzer``, stored title and text,
one writer). Then runs the same queries against both and prints latency percentiles.

    python benchmarks/indexing.py [--copies 3] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._shared import DATA, derstandard  # noqa: E402
from search import NewsIndex, QuerySyntaxError  # noqa: E402


def load_articles(data: Path, copies: int) -> list[dict]:
    rows = derstandard(data)
    articles = []
    for copy in range(copies):
        for n, (label, text) in enumerate(rows):
            title = text.split(". ")[0][:120]
            articles.append(
                {
                    "id": f"c{copy}-{n}",
                    "title": title,
                    "text": text + f" (Kopie {copy})",
                    "section": label,
                    "date": f"20{18 + copy % 5}-0{1 + n % 9}-1{n % 9}",
                }
            )
    return articles


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return qs[49] * 1000, qs[94] * 1000, qs[98] * 1000


def _parses(idx: NewsIndex, query: str) -> bool:
    """Queries of stop words only are an error in Zeitung; leave them out of the timing."""
    try:
        idx.parse(query)
    except QuerySyntaxError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    articles = load_articles(args.data, args.copies)
    megabytes = sum(len(a["title"]) + len(a["text"]) for a in articles) / 1e6
    rng = random.Random(7)
    vocab = [w.strip(".,;:!?()\"'") for a in articles[:300] for w in a["text"].split()]
    vocab = [w for w in vocab if len(w) > 5 and w.isalpha()]
    queries = [" ".join(rng.sample(vocab, rng.choice((1, 1, 2)))) for _ in range(args.queries)]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "src"
        src.mkdir()
        (src / "artikel.jsonl").write_text(
            "\n".join(json.dumps(a, ensure_ascii=False) for a in articles), encoding="utf-8"
        )

        # Baseline: plain Whoosh.
        base_dir = tmp / "whoosh"
        base_dir.mkdir()
        schema = Schema(
            id=ID(stored=True, unique=True),
            title=TEXT(analyzer=StandardAnalyzer(), stored=True),
            text=TEXT(analyzer=StandardAnalyzer(), stored=True),
        )
        t0 = time.perf_counter()
        ix = whoosh_index.create_in(str(base_dir), schema)
        writer = ix.writer(limitmb=256)
        for a in articles:
            writer.add_document(id=a["id"], title=a["title"], text=a["text"])
        writer.commit()
        base_secs = time.perf_counter() - t0

        # Zeitung: the whole pipeline.
        z_dir = tmp / "zeitung"
        t0 = time.perf_counter()
        zidx = NewsIndex.create(z_dir)
        report = zidx.update_from(src, workers=args.workers)
        z_secs = time.perf_counter() - t0
        assert report.articles + report.duplicates == len(articles), report

        peak_mb = (
            max(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            )
            / 1024
        )

        print(
            f"corpus: {len(articles)} articles, {megabytes:.1f} MB of text "
            f"({args.copies} copies of derStandard)"
        )
        print()
        print(f"{'indexing':<28}{'seconds':>9}{'art/s':>9}{'MB/s':>8}{'index MB':>10}")
        for name, secs, path in (
            ("plain Whoosh (baseline)", base_secs, base_dir),
            ("Zeitung", z_secs, z_dir),
        ):
            print(
                f"{name:<28}{secs:9.2f}{len(articles) / secs:9.0f}{megabytes / secs:8.2f}"
                f"{dir_size(path) / 1e6:10.1f}"
            )
        print(
            f"{'ratio Zeitung/baseline':<28}{z_secs / base_secs:9.2f}x time, "
            f"{dir_size(z_dir) / dir_size(base_dir):.2f}x size"
        )
        print(f"peak RSS: {peak_mb:.0f} MB")
        print()

        # Query latency.
        qp = QueryParser("text", schema)
        queries = [q for q in queries if _parses(zidx, q)]
        base_lat, z_lat, z_snip_lat = [], [], []
        with ix.searcher() as searcher:
            for q in queries:
                t0 = time.perf_counter()
                list(searcher.search(qp.parse(q), limit=10))
                base_lat.append(time.perf_counter() - t0)
        for q in queries:
            t0 = time.perf_counter()
            zidx.search(q, limit=10, snippets=None)
            z_lat.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            zidx.search(q, limit=10)
            z_snip_lat.append(time.perf_counter() - t0)
        print(f"{'query latency (ms)':<34}{'p50':>8}{'p95':>8}{'p99':>8}")
        rows = (
            ("plain Whoosh (baseline)", base_lat),
            ("Zeitung, no snippets", z_lat),
            ("Zeitung, top-10 snippets", z_snip_lat),
        )
        for name, lat in rows:
            p50, p95, p99 = percentiles(lat)
            print(f"{name:<34}{p50:8.1f}{p95:8.1f}{p99:8.1f}")
        print(
            f"{'ratio p50 Zeitung+snippets/baseline':<34}"
            f"{percentiles(z_snip_lat)[0] / percentiles(base_lat)[0]:8.2f}x"
        )


if __name__ == "__main__":
    main()
