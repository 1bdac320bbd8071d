"""Archive scale: index N generated articles through the product path, then query them.

Takes the first ``--articles`` records of the generated archive (``make_corpus.py``), writes
them as ``.jsonl`` files of 500, and in the same run

* indexes them with ``NewsIndex.update_from`` (what ``zeitung index`` does): seconds, the
  rate (articles/s) over the first, middle and last tenth of the run, index size (× the raw
  title + text), peak RSS (this process and its writer processes together, sampled);
* indexes them with plain single-process Whoosh + ``LanguageAnalyzer("de")`` (stored title
  and text, a sortable date), the baseline;
* runs a fixed mix of queries by kind (single word, compound, 3-word AND, OR, phrase, NEAR,
  wildcard, field, date range + word, sort by date; ``--per-kind`` each, drawn from the
  articles with a fixed seed), with snippets for the top 10 (the baseline: Whoosh's own
  highlighter), warm (after one pass) and cold (the first query in a new process,
  interpreter start included), and prints p50/p95/p99 per kind beside the baseline.

    nice -n 10 python benchmarks/scale.py --articles 10000 --workdir /tmp/scale

Queries alone, on an index built before (``zeitung index CORPUS --index PATH`` of the same
first ``--articles`` records), with the baseline index kept between runs (built on first use)
and CPU times beside the wall times (a loaded machine inflates wall times only)::

    nice -n 10 python benchmarks/scale.py --corpus /work/data/corpus-10k --index /tmp/ix10k \
        --baseline-index /tmp/whoosh10k --no-cold

``--profile FILE`` writes a cProfile of the warm Zeitung pass (``--kinds`` narrows the mix).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import DATETIME, ID, TEXT, Schema
from whoosh.qparser import QueryParser

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.indexing import (  # noqa: E402
    DEFAULT_CORPUS,
    dir_size,
    raw_bytes,
    read_records,
    write_corpus,  # noqa: E402
)
from search import NewsIndex  # noqa: E402

KINDS = (
    "word",
    "compound",
    "and3",
    "or",
    "phrase",
    "near",
    "wildcard",
    "field",
    "date+word",
    "sort-date",
)
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")


def make_queries(records: list[dict], per_kind: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """(kind, Zeitung query, plain-Whoosh query) triples, drawn from the articles' text."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    sample = rng.sample(records, min(len(records), 2000))
    for kind in KINDS:
        made = 0
        while made < per_kind:
            rec = rng.choice(sample)
            words = WORD.findall(rec["text"])
            if len(words) < 10:
                continue
            pick = rng.choice(words)
            if kind == "word":
                z = b = pick
            elif kind == "compound":
                long = [w for w in words if len(w) >= 12 and w[0].isupper()]
                if not long:
                    continue
                z = b = rng.choice(long)
            elif kind == "and3":
                z = b = " ".join(rng.sample(words, 3))
            elif kind == "or":
                other = WORD.findall(rng.choice(sample)["text"]) or [pick]
                z = b = f"{pick} OR {rng.choice(other)}"
            elif kind == "phrase":
                i = rng.randrange(len(words) - 1)
                z = b = f'"{words[i]} {words[i + 1]}"'
            elif kind == "near":
                i = rng.randrange(len(words) - 4)
                z = f"{words[i]} NEAR/5 {words[i + 3]}"
                b = f'"{words[i]} {words[i + 3]}"~5'
            elif kind == "wildcard":
                z = b = pick[:5] + "*"
            elif kind == "field":
                title = WORD.findall(rec.get("title") or "")
                if not title:
                    continue
                t = rng.choice(title)
                z, b = f"titel:{t}", f"title:{t}"
            elif kind == "date+word":
                y = rng.randrange(2005, 2022)
                z = f"{pick} date:{y}..{y + 3}"
                b = f"{pick} date:[{y}0101 to {y + 3}1231]"
            else:  # sort-date: the query is a word, sorted newest first
                z = b = pick
            out.append((kind, z, b))
            made += 1
    return out


class RssSampler(threading.Thread):
    """Peak of the summed RSS of this process and its children, sampled every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, _tree_rss(os.getpid()))
            time.sleep(0.2)


def _tree_rss(pid: int) -> int:
    total = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(k) for k in fh.read().split()]
    except OSError:
        return total
    return total + sum(_tree_rss(k) for k in kids)


def index_zeitung(src: Path, path: Path, total: int) -> tuple[float, list[tuple[float, int]], int]:
    """Seconds, (seconds, articles) after each file, peak RSS in bytes."""
    marks: list[tuple[float, int]] = [(0.0, 0)]
    sampler = RssSampler()
    sampler.start()
    t0 = time.perf_counter()
    idx = NewsIndex.create(path)
    idx.update_from(src, progress=lambda p: marks.append((time.perf_counter() - t0, p.articles)))
    secs = time.perf_counter() - t0
    sampler.running = False
    sampler.join()
    idx.close()
    return secs, marks, sampler.peak


def rate_between(marks: list[tuple[float, int]], lo: float, hi: float, total: int) -> float:
    """Articles/s while the articles written went from ``lo`` to ``hi`` of ``total``."""
    start = max((m for m in marks if m[1] <= lo * total), key=lambda m: m[1])
    end = min((m for m in marks if m[1] >= hi * total), key=lambda m: m[1])
    return (end[1] - start[1]) / (end[0] - start[0]) if end[0] > start[0] else float("nan")


def baseline_schema() -> Schema:
    analyzer = LanguageAnalyzer("de")
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        text=TEXT(analyzer=analyzer, stored=True),
        date=DATETIME(stored=True, sortable=True),
    )


def add_baseline_records(ix, records: list[dict]) -> None:
    """Write generated records to a plain Whoosh index with one writer, and commit."""
    writer = ix.writer(limitmb=128)
    for r in records:
        doc = {"id": r["id"], "title": r.get("title") or "", "text": r["text"]}
        if r.get("date"):
            doc["date"] = dt.datetime.fromisoformat(r["date"][:10])
        writer.add_document(**doc)
    writer.commit()
    ix.close()


def index_baseline(records: list[dict], path: Path) -> tuple[float, int]:
    path.mkdir(parents=True)
    sampler = RssSampler()
    sampler.start()
    t0 = time.perf_counter()
    ix = whoosh_index.create_in(str(path), baseline_schema())
    add_baseline_records(ix, records)
    secs = time.perf_counter() - t0
    sampler.running = False
    sampler.join()
    return secs, sampler.peak


def run_zeitung(idx: NewsIndex, kind: str, query: str) -> int:
    sort = "-date" if kind == "sort-date" else "relevance"
    hits = list(idx.search(query, limit=10, sort=sort))  # snippets built for each hit
    return len(hits)


def run_baseline(searcher, parser, kind: str, query: str) -> int:
    kwargs = {"sortedby": "date", "reverse": True} if kind == "sort-date" else {}
    results = searcher.search(parser.parse(query), limit=10, **kwargs)
    for hit in results:
        hit.highlights("text", top=3)
    return len(results)


def warm_latencies(
    queries, run, cpu: dict | None = None, profile=None, warmup=None
) -> dict[str, list[float]]:
    """Wall seconds per query by kind, after one pass (of *warmup*, default the queries
    themselves) to warm caches and the page cache; with *cpu*, this process's CPU seconds
    per query go there too."""
    for kind, z, b in warmup if warmup is not None else queries:
        run(kind, z, b)
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    if profile is not None:
        profile.enable()
    for kind, z, b in queries:
        c0, t0 = time.process_time(), time.perf_counter()
        run(kind, z, b)
        times[kind].append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.setdefault(kind, []).append(time.process_time() - c0)
    if profile is not None:
        profile.disable()
    return times


def print_table(title: str, z_times: dict, b_times: dict) -> None:
    print(f"{title:<37}Zeitung p50/p95/p99        baseline p50/p95/p99")
    everything_z: list[float] = []
    everything_b: list[float] = []
    for kind in KINDS:
        if not z_times.get(kind):
            continue
        everything_z += z_times[kind]
        everything_b += b_times.get(kind, [])
        zp, bp = pct(z_times[kind]), pct(b_times.get(kind, []))
        print(
            f"  {kind:<12}{'':>20}"
            + "".join(f"{v:7.1f}" for v in zp)
            + "     "
            + "".join(f"{v:7.1f}" for v in bp)
        )
    print(
        f"  {'all':<12}{'':>20}"
        + "".join(f"{v:7.1f}" for v in pct(everything_z))
        + "     "
        + "".join(f"{v:7.1f}" for v in pct(everything_b))
    )


def query_run(args, queries, z_dir: Path, b_dir: Path | None) -> None:
    """The warm (and cold) query figures on built indexes."""
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
    print(f"load before queries {os.getloadavg()[0]:.1f}", flush=True)
    idx = NewsIndex.open(z_dir)
    z_cpu: dict[str, list[float]] = {}
    # Warmed up on other queries of the same mix: the timed ones are unseen, so a cache of
    # a query's own work cannot answer them.
    kinds = {q[0] for q in queries}
    warmup = [w for w in make_queries(args.records, args.per_kind, seed=12) if w[0] in kinds]
    z_times = warm_latencies(
        queries, lambda k, z, b: run_zeitung(idx, k, z), z_cpu, profile, warmup
    )
    if profile is not None:
        profile.dump_stats(args.profile)
    b_times: dict[str, list[float]] = {}
    b_cpu: dict[str, list[float]] = {}
    if b_dir is not None:
        bix = whoosh_index.open_dir(str(b_dir))
        with bix.searcher() as searcher:
            bparser = QueryParser("text", bix.schema)
            b_times = warm_latencies(
                queries, lambda k, z, b: run_baseline(searcher, bparser, k, b), b_cpu, None, warmup
            )
    print(f"load after queries {os.getloadavg()[0]:.1f}")
    print_table("warm, top 10 with snippets, wall ms", z_times, b_times)
    print_table("warm, same queries, CPU ms", z_cpu, b_cpu)
    if args.no_cold:
        return
    print()
    print("cold: first query in a new process (one per kind), s: in process / with start-up")
    firsts = [next(q for q in queries if q[0] == kind) for kind in KINDS if kind in z_times]
    zc = [cold(COLD_ZEITUNG, z_dir, k, z) for k, z, _ in firsts]
    bc = [cold(COLD_BASELINE, b_dir, k, b) for k, _, b in firsts] if b_dir else []
    for name, vals in (("Zeitung", zc), ("plain Whoosh", bc)):
        if not vals:
            continue
        inner = sorted(v[0] for v in vals)
        wall = sorted(v[1] for v in vals)
        print(
            f"  {name:<14} median {statistics.median(inner):.2f} / "
            f"{statistics.median(wall):.2f}, max {inner[-1]:.2f} / {wall[-1]:.2f}"
        )


COLD_ZEITUNG = """
import sys, time; t0 = time.perf_counter()
sys.path.insert(0, {repo!r})
from search import NewsIndex
idx = NewsIndex.open({path!r})
list(idx.search({query!r}, limit=10, sort={sort!r}))
print(time.perf_counter() - t0)
"""

COLD_BASELINE = """
import sys, time; t0 = time.perf_counter()
from whoosh import index
from whoosh.qparser import QueryParser
ix = index.open_dir({path!r})
with ix.searcher() as s:
    kw = {{"sortedby": "date", "reverse": True}} if {sort!r} == "-date" else {{}}
    r = s.search(QueryParser("text", ix.schema).parse({query!r}), limit=10, **kw)
    [h.highlights("text", top=3) for h in r]
print(time.perf_counter() - t0)
"""


def cold(template: str, path: Path, kind: str, query: str) -> tuple[float, float]:
    """(seconds inside the new process, wall seconds with interpreter start)."""
    sort = "-date" if kind == "sort-date" else "relevance"
    code = template.format(repo=str(REPO), path=str(path), query=query, sort=sort)
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1]), time.perf_counter() - t0


def pct(samples: list[float]) -> tuple[float, float, float]:
    if len(samples) < 2:
        v = samples[0] * 1000 if samples else float("nan")
        return v, v, v
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return qs[49] * 1000, qs[94] * 1000, qs[98] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-kind", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--index", type=Path, default=None, help="query this built index; no indexing"
    )
    parser.add_argument(
        "--baseline-index",
        type=Path,
        default=None,
        help="with --index: the plain Whoosh index (built there from the records if missing)",
    )
    parser.add_argument("--kinds", default=None, help="comma-separated kinds (default: all)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold queries")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile the warm pass")
    args = parser.parse_args()

    records = read_records(args.corpus, args.articles)
    n = len(records)
    raw = raw_bytes(records)
    queries = make_queries(records, args.per_kind)
    args.records = records
    if args.kinds:
        wanted = set(args.kinds.split(","))
        queries = [q for q in queries if q[0] in wanted]
    if args.index is not None:
        b_dir = args.baseline_index
        if b_dir is not None and not b_dir.exists():
            b_secs, _ = index_baseline(records, b_dir)
            print(f"baseline index built in {b_secs:.1f} s")
        # Queries drawn from other records than the index holds, or a baseline of another
        # size, would compare unlike things without a word (``--articles`` defaults to 10k).
        sizes = {args.index: len(NewsIndex.open(args.index))}
        if b_dir is not None:
            sizes[b_dir] = whoosh_index.open_dir(str(b_dir)).doc_count()
        for path, size in sizes.items():
            if size != n:
                sys.exit(f"{path} holds {size:,} articles, not {n:,}: pass --articles {size}")
        print(f"{n:,} articles of {args.corpus} in {args.index}; {len(queries)} queries")
        query_run(args, queries, args.index, b_dir)
        return
    work = Path(tempfile.mkdtemp(dir=args.workdir, prefix="scale-"))
    try:
        src, z_dir, b_dir = work / "src", work / "zeitung", work / "whoosh"
        write_corpus(records, src, 500)
        print(
            f"{n:,} articles of {args.corpus}, {raw / 1e6:.1f} MB title + text; "
            f"{len(queries)} queries; load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        z_secs, marks, z_rss = index_zeitung(src, z_dir, n)
        b_secs, b_rss = index_baseline(records, b_dir)
        z_size, b_size = dir_size(z_dir), dir_size(b_dir)
        print(f"load after indexing {os.getloadavg()[0]:.1f}")
        print()
        print(
            f"{'indexing':<34}{'seconds':>9}{'art/s':>8}{'start':>7}{'middle':>7}{'end':>7}"
            f"{'MB':>8}{'× raw':>7}{'RSS MB':>8}"
        )
        rates = [rate_between(marks, lo, lo + 0.1, n) for lo in (0.0, 0.45, 0.9)]
        print(
            f"{'Zeitung (update_from)':<34}{z_secs:9.1f}{n / z_secs:8.0f}"
            + "".join(f"{r:7.0f}" for r in rates)
            + f"{z_size / 1e6:8.1f}{z_size / raw:7.2f}{z_rss / 1e6:8.0f}"
        )
        print(
            f"{'plain Whoosh, LanguageAnalyzer(de)':<34}{b_secs:9.1f}{n / b_secs:8.0f}"
            f"{'':>21}{b_size / 1e6:8.1f}{b_size / raw:7.2f}{b_rss / 1e6:8.0f}"
        )
        print(
            f"ratio: {b_secs / z_secs:.2f}× the baseline's articles/s, "
            f"{z_size / b_size:.2f}× its size"
        )
        print()

        query_run(args, queries, z_dir, b_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
