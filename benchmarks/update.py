"""Updates at archive scale: add new articles to a big index through ``zeitung index``.

Issue #11: adding 1,000 new articles to a big index should take seconds, not a rebuild, and
searching during the update keeps working (readers see the last commit). On a copy of an
index built from ``--root`` (``zeitung index ROOT --index PATH``), this script

* writes ``--new`` generated articles (``make_corpus.py``, another seed, one scraped ``.txt``
  each, as a daily scrape would arrive) into a folder below ``--root``;
* runs ``zeitung index ROOT --index COPY --json`` (the command users run): wall and CPU
  seconds of the whole command, its summary;
* meanwhile searches the copy from this process again and again (a fresh ``NewsIndex`` for
  each, the last commit): latencies, how many commits it saw, that each answered;
* runs the same command again with nothing changed (the cost of an unchanged check);
* with ``--baseline-index`` (a plain Whoosh + ``LanguageAnalyzer("de")`` index of the same
  size, e.g. the one ``scale.py --baseline-index`` keeps), adds the same articles to a copy
  of it with one Whoosh writer and a commit: the baseline, and the ratio;
* removes the folder and the copies again.

    python benchmarks/update.py --root /work/data/corpus-100k --index /work/data/ix-100k \
        --baseline-index /work/data/wh100k
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from whoosh import index as whoosh_index

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.make_corpus import DATA, Generator, load_pools, write_corpus  # noqa: E402
from benchmarks.scale import add_baseline_records  # noqa: E402
from search import NewsIndex  # noqa: E402

ZEITUNG = [sys.executable, "-m", "search"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_index(root: Path, index: Path) -> tuple[float, float, dict]:
    """Wall and CPU seconds of ``zeitung index ROOT --index INDEX --json``, its summary."""
    cpu0, t0 = children_cpu(), time.perf_counter()
    done = subprocess.run(
        [*ZEITUNG, "index", str(root), "--index", str(index), "--json"],
        capture_output=True,
        text=True,
    )
    wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    if done.returncode != 0:
        sys.exit(f"zeitung index failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return wall, cpu, json.loads(lines[-1]) if lines else {}


class Searcher(threading.Thread):
    """Searches the index again and again while it is updated, each time in a freshly
    opened ``NewsIndex`` (what a second process would see)."""

    def __init__(self, index: Path, query: str) -> None:
        super().__init__(daemon=True)
        self.index, self.query = index, query
        self.running = True
        self.latencies: list[float] = []
        self.sizes: list[int] = []
        self.errors: list[str] = []

    def run(self) -> None:
        while self.running:
            t0 = time.perf_counter()
            try:
                with NewsIndex.open(self.index) as idx:
                    list(idx.search(self.query, limit=10))
                    self.sizes.append(len(idx))
            except Exception as exc:  # noqa: BLE001 - recorded and reported
                self.errors.append(f"{type(exc).__name__}: {exc}")
            self.latencies.append(time.perf_counter() - t0)


def add_baseline(baseline: Path, records: list[dict], workdir: Path) -> tuple[float, float]:
    """Wall and CPU seconds to add *records* to a copy of a plain Whoosh index and commit."""
    copy = workdir / "baseline"
    shutil.copytree(baseline, copy)
    cpu0, t0 = time.process_time(), time.perf_counter()
    ix = whoosh_index.open_dir(str(copy))
    add_baseline_records(ix, records)
    return time.perf_counter() - t0, time.process_time() - cpu0


def pct(samples: list[float]) -> str:
    if not samples:
        return "-"
    s = sorted(samples)
    p = [s[min(len(s) - 1, int(q * len(s)))] * 1000 for q in (0.5, 0.95)]
    return f"{p[0]:,.0f} / {p[1]:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="the directory indexed")
    parser.add_argument("--index", type=Path, required=True, help="its Zeitung index")
    parser.add_argument("--new", type=int, default=1000, help="new articles (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-index", type=Path, default=None)
    parser.add_argument("--query", default="Regierung")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="update-", dir=args.workdir))
    folder = args.root / f"update-{args.seed}"
    second = args.root / f"update-{args.seed + 1}"
    if folder.exists() or second.exists():
        sys.exit(f"{folder} or {second} exists: remove it first")
    try:
        copy = workdir / "index"
        t0 = time.perf_counter()
        shutil.copytree(args.index, copy)
        with NewsIndex.open(copy) as idx:
            before = len(idx)
        print(f"index of {before:,} articles copied in {time.perf_counter() - t0:.0f} s")
        write_corpus(args.new, folder, seed=args.seed, files=True, data=DATA)
        wall, cpu, summary = run_index(args.root, copy)
        with NewsIndex.open(copy) as idx:
            after = len(idx)
        print(f"\nadding {args.new:,} articles to {before:,} (zeitung index {args.root}):")
        print(f"  {wall:.1f} s wall, {cpu:.1f} s CPU; {after - before:,} articles more")
        print(
            f"  summary: {summary.get('added')} files added, {summary.get('articles_written')} "
            f"articles written, {summary.get('duplicates')} duplicates"
        )
        again_wall, again_cpu, _ = run_index(args.root, copy)
        print(f"  nothing changed, run again: {again_wall:.1f} s wall, {again_cpu:.1f} s CPU")

        # Another day's articles, searched meanwhile (the searches take a core of their own).
        write_corpus(args.new, second, seed=args.seed + 1, files=True, data=DATA)
        searcher = Searcher(copy, args.query)
        searcher.start()
        s_wall, s_cpu, _ = run_index(args.root, copy)
        searcher.running = False
        searcher.join()
        seen = sorted(set(searcher.sizes))
        print(
            f"  {args.new:,} more while searching: {s_wall:.1f} s wall, {s_cpu:.1f} s CPU; "
            f"{len(searcher.latencies)} searches, p50 / p95 {pct(searcher.latencies)} "
            f"(a fresh NewsIndex each), {len(searcher.errors)} errors, "
            f"index sizes seen {seen}"
        )
        for error in searcher.errors[:3]:
            print(f"    {error}")
        if args.baseline_index is not None:
            gen = Generator(load_pools(DATA), args.seed, files=True)
            records = [gen.article(i).to_json() for i in range(args.new)]
            b_wall, b_cpu = add_baseline(args.baseline_index, records, workdir)
            print(
                f"  plain Whoosh, the same articles added to {args.baseline_index}: "
                f"{b_wall:.1f} s wall, {b_cpu:.1f} s CPU; "
                f"Zeitung / Whoosh: {wall / b_wall:.2f}x wall, {cpu / b_cpu:.2f}x CPU"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(second, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
