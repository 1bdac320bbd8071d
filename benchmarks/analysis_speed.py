"""Analysis throughput on derStandard news text: our chain vs Whoosh's own analysers.

Megabytes of text (UTF-8) per second through the whole chain in index mode (tokens, folding,
stop words, exact forms, spelling terms, decompounding, stemming, sentence and paragraph
boundaries), beside Whoosh's ``LanguageAnalyzer("de")`` and ``StandardAnalyzer``; median of
``--repeat`` interleaved rounds after one warm-up pass (which also loads the lexicon and
fills the per-word caches, as a long indexing run would). Every analyser is called as
Whoosh's indexer calls it for a phrase field (``positions=True, boosts=True``, no character
offsets), and again with offsets (``chars=True``, as snippets and ``zeitung analyze`` ask).

Also first-analysis time in a fresh process (import + lexicon + one analysis), without the
lexicon's disk cache (the baseline), with an empty cache (build and write) and with a warm one.

Usage: python benchmarks/analysis_speed.py [--repeat 5] [--startup-only | --no-startup]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer  # noqa: E402

from analyzers import german_analyzer  # noqa: E402
from benchmarks._shared import REPO, derstandard, print_table  # noqa: E402


def load_texts() -> list[str]:
    """The article texts of 10kGNAD's test split."""
    return [text for _label, text in derstandard()]


def _one_pass(analyzer, texts: list[str], chars: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one pass over *texts*."""
    t0, c0 = time.perf_counter(), time.process_time()
    for text in texts:
        # Consume the stream as an indexer does, with as little overhead as possible.
        stream = analyzer(text, positions=True, boosts=True, chars=chars, mode="index")
        deque(stream, maxlen=0)
    return time.perf_counter() - t0, time.process_time() - c0


def throughput(
    analyzers: dict, texts: list[str], repeat: int, chars: bool = False
) -> dict[str, tuple[float, float, int]]:
    """Name -> (MB/s wall, MB/s CPU, tokens): medians of ``repeat`` rounds after a warm-up.

    Rounds interleave the analysers, so load from other processes hits them alike; CPU time
    (this process only) is the steadier figure on a shared machine.
    """
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in analyzers}
    for i in range(repeat + 1):
        for name, analyzer in analyzers.items():
            elapsed = _one_pass(analyzer, texts, chars)
            if i:
                times[name].append(elapsed)
    return {
        name: (
            megabytes / statistics.median(w for w, _ in times[name]),
            megabytes / statistics.median(c for _, c in times[name]),
            sum(sum(1 for _ in a(x, mode="index")) for x in texts),
        )
        for name, a in analyzers.items()
    }


_FIRST = (
    "import time; t = time.perf_counter(); "
    "from analyzers import lexicon as lx, analyze; {setup}"
    "analyze('Die Erdgaspreise steigen'); print(time.perf_counter() - t)"
)


def _first_analysis(cache: str | None, repeat: int) -> float:
    """Median seconds to the first analysis in a fresh interpreter."""
    env = dict(os.environ)
    setup = ""
    if cache is None:
        setup = "lx._LEXICON = lx.load_cached(use_cache=False); "
    else:
        env["ZEITUNG_CACHE_DIR"] = cache
    code = _FIRST.format(setup=setup)
    times = [
        float(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                             capture_output=True, text=True, cwd=REPO).stdout)
        for _ in range(repeat)
    ]  # fmt: skip
    return statistics.median(times)


def startup(repeat: int = 3) -> None:
    """Print first-analysis time: no disk cache, cold (empty) cache, warm cache."""
    with tempfile.TemporaryDirectory() as tmp:
        none = _first_analysis(None, repeat)
        cold = statistics.median(
            _first_analysis(os.path.join(tmp, f"cold{i}"), 1) for i in range(repeat)
        )
        warm = _first_analysis(os.path.join(tmp, "cold0"), repeat)
    print_table(
        ["first analysis in a fresh process", "seconds", "x no cache"],
        [
            ["no disk cache (build from wordfreq)", none, 1.0],
            ["empty cache (build + write)", cold, cold / none],
            ["warm cache", warm, warm / none],
        ],
    )
    print("target: warm < 0.5 s\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--startup-only", action="store_true")
    ap.add_argument("--no-startup", action="store_true", help="throughput only")
    args = ap.parse_args()
    if not args.no_startup:
        startup()
    if args.startup_only:
        return
    texts = load_texts()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} articles, {mb:.2f} MB\n")
    analyzers = {
        "zeitung german_analyzer": german_analyzer(),
        'whoosh LanguageAnalyzer("de")': LanguageAnalyzer("de"),
        "whoosh StandardAnalyzer": StandardAnalyzer(),
    }
    for chars, label in ((False, "as the indexer calls it"), (True, "with character offsets")):
        results = throughput(analyzers, texts, args.repeat, chars)
        wall, cpu, _ = results['whoosh LanguageAnalyzer("de")']
        rows = [
            [name, mbs, mbc, tokens, mbs / wall, mbc / cpu]
            for name, (mbs, mbc, tokens) in results.items()
        ]
        print(f"{label}:")
        headers = ["analyser", "MB/s", "MB/s CPU", "tokens", "x Language", "x Language CPU"]
        print_table(headers, rows)
        print()
    print("target: zeitung >= 1.5 x LanguageAnalyzer (as the indexer calls it)")


if __name__ == "__main__":
    main()
