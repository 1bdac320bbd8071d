"""Time of timeline, facets and co-occurrence for common words on an index.

    python benchmarks/make_corpus.py 20000 /tmp/c20k
    zeitung index /tmp/c20k --index /tmp/ix20k
    python benchmarks/analytics.py /tmp/ix20k [WORD ...]

Baseline, in the same run: ``NewsIndex.search(q, limit=None, snippets=None)``, the plain
count of all matches (what a user would otherwise loop over). Each figure is the median of
``--repeat`` warm runs (the first, cold, is printed apart), in wall and in CPU seconds (on a
machine shared with other work the CPU figure is what the code costs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search import NewsIndex  # noqa: E402

DEFAULT_WORDS = ("Prozent", "Regierung", "Euro OR Dollar")


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    t0 = time.perf_counter()
    result = fn()
    cold = time.perf_counter() - t0
    runs, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return cold, statistics.median(runs), statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("words", nargs="*", default=list(DEFAULT_WORDS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    idx = NewsIndex.open(args.index)
    print(f"{len(idx):,} articles in {args.index}")
    print(
        f"{'query':<16} {'what':<22} {'matches':>8} {'cold s':>8} {'warm s':>8} {'cpu s':>8}"
        f" {'× count':>8}"
    )
    for word in args.words:
        _, base, base_cpu, res = timed(
            lambda w=word: idx.search(w, limit=None, snippets=None), args.repeat
        )
        cases = {
            "count (baseline)": lambda w=word: idx.search(w, limit=None, snippets=None),
            "timeline by month": lambda w=word: idx.timeline(w, by="month"),
            "timeline per source": lambda w=word: idx.timeline(w, by="year", per_source=True),
            "facets": lambda w=word: idx.facets(w),
            "cooccur (500 read)": lambda w=word: idx.cooccur(w),
        }
        for what, fn in cases.items():
            if what.startswith("count"):
                cold, warm, cpu = float("nan"), base, base_cpu
            else:
                cold, warm, cpu, _ = timed(fn, args.repeat)
            print(
                f"{word:<16} {what:<22} {res.total:>8,} {cold:>8.3f} {warm:>8.3f} {cpu:>8.3f} "
                f"{cpu / base_cpu if base_cpu else 0:>8.2f}"
            )


if __name__ == "__main__":
    main()
