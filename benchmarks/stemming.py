"""Stem clustering on CISTEM gold 1: analyzers.stem beside plain Snowball German.

Pairwise measure: precision = share of word pairs given one stem that share a gold cluster;
recall = share of gold same-cluster pairs given one stem. Plain Snowball runs on the
lower-cased word (PyStemmer), ours on the folded word with the feminine rule.

Usage: python benchmarks/stemming.py
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import Stemmer  # noqa: E402

from analyzers import stem  # noqa: E402
from benchmarks._shared import data_file, print_table  # noqa: E402

_SNOWBALL = Stemmer.Stemmer("german")


def snowball(word: str) -> str:
    return _SNOWBALL.stemWord(word.lower())


def load_clusters(path: Path) -> list[list[str]]:
    """One cluster of word forms a line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split() for line in lines if line.strip()]


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def clustering(clusters: list[list[str]], stemmer: Callable[[str], str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a stemmer against gold clusters."""
    by_stem: Counter[str] = Counter()
    by_both: Counter[tuple[str, int]] = Counter()
    gold_pairs = 0
    for cid, words in enumerate(clusters):
        words = list(dict.fromkeys(words))
        gold_pairs += _pairs(len(words))
        for w in words:
            s = stemmer(w)
            by_stem[s] += 1
            by_both[(s, cid)] += 1
    same_stem = sum(_pairs(n) for n in by_stem.values())
    correct = sum(_pairs(n) for n in by_both.values())
    p = correct / same_stem if same_stem else 0.0
    r = correct / gold_pairs if gold_pairs else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def main() -> None:
    clusters = load_clusters(data_file("stemming/cistem-gold1.txt"))
    print(f"{len(clusters)} clusters, {sum(len(c) for c in clusters)} word forms\n")
    ours = clustering(clusters, stem)
    base = clustering(clusters, snowball)
    rows = [
        ["analyzers.stem", ours["precision"], ours["recall"], ours["f1"]],
        ["plain Snowball German", base["precision"], base["recall"], base["f1"]],
        ["ratio", *(ours[k] / base[k] for k in ("precision", "recall", "f1"))],
    ]
    print_table(["stemmer", "precision", "recall", "F1"], rows)


if __name__ == "__main__":
    main()
