"""Analysis throughput on derStandard news text: our chain vs Whoosh's own analysers.

Megabytes of text (UTF-8) per second through the whole chain in index mode (tokens, folding,
stop words, exact forms, decompounding, stemming), beside Whoosh's ``LanguageAnalyzer("de")``
and ``StandardAnalyzer``; best of ``--repeat`` runs after one warm-up pass (which also loads
the lexicon and fills the per-word caches, as a long indexing run would).

Usage: python benchmarks/analysis_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer  # noqa: E402

from analyzers import german_analyzer  # noqa: E402
from benchmarks._shared import data_file, print_table  # noqa: E402


def load_texts() -> list[str]:
    """The article texts of 10kGNAD's test split."""
    path = data_file("10kgnad/test.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) > 1]


def throughput(analyzer, texts: list[str], repeat: int) -> tuple[float, int]:
    """(MB/s, tokens per pass), best of ``repeat`` timed passes after one warm-up."""
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    best, count = float("inf"), 0
    for i in range(repeat + 1):
        t0 = time.perf_counter()
        count = 0
        for text in texts:
            for _ in analyzer(text, positions=True, chars=True, mode="index"):
                count += 1
        elapsed = time.perf_counter() - t0
        if i:
            best = min(best, elapsed)
    return megabytes / best, count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = load_texts()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} articles, {mb:.2f} MB\n")
    results = {
        "zeitung german_analyzer": throughput(german_analyzer(), texts, args.repeat),
        'whoosh LanguageAnalyzer("de")': throughput(LanguageAnalyzer("de"), texts, args.repeat),
        "whoosh StandardAnalyzer": throughput(StandardAnalyzer(), texts, args.repeat),
    }
    base = results['whoosh LanguageAnalyzer("de")'][0]
    rows = [[name, mbs, tokens, mbs / base] for name, (mbs, tokens) in results.items()]
    print_table(["analyser", "MB/s", "tokens", "x LanguageAnalyzer"], rows)
    print("\ntarget: zeitung >= 1.5 x LanguageAnalyzer")


if __name__ == "__main__":
    main()
