"""Near-duplicate (agency copy) detection: MinHash over word shingles with LSH banding.

    python benchmarks/near_duplicates.py [CORPUS_DIR] [--n 10000]

CORPUS_DIR is a ``make_corpus.py`` output (``part-*.jsonl`` and ``.labels.jsonl``); without
it a corpus of ``--n`` articles is generated in a temporary folder. The labelled set:

- every pair of articles of one agency story in the labels (copies with a changed
  headline, a local paragraph, a cut, a word changed, the next day);
- hand-edited pairs made here from ordinary articles: positives (cut by a third with a new
  headline; a local paragraph in front; two paragraphs swapped; five words changed) and
  hard negatives (another article that shares only the first paragraph; another article
  of the same section).

Printed: precision/recall of "same story" at estimated-Jaccard thresholds, the Jaccard of
the true pairs, and the time of the product's numpy MinHash (``search.stories``) against
``datasketch``'s ``MinHash``/``MinHashLSH`` (the baseline) on the same shingles.

With ``--index-n N``: the first N articles are indexed through ``NewsIndex.update_from``
twice, each in a fresh process (cold caches alike), without story detection (the baseline)
and with it: articles/s of both, their ratio, and the precision/recall of the stored story
ids on the labelled pairs among those N.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import make_corpus  # noqa: E402
from search import stories  # noqa: E402
from search.stories import BANDS, NUM_PERM, ROWS, band_terms, shingles  # noqa: E402


class NumpyMinHash:
    """The product's signatures (:func:`search.stories.signature`), as the experiment
    first wrote them: 128 universal hashes (a·x + b mod 2^61-1), vectorised."""

    def signature(self, items: set[str]) -> np.ndarray:
        if not items:
            return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
        return stories.signature(items)


def lsh_candidates(sigs: dict[str, np.ndarray]) -> set[tuple[str, str]]:
    buckets: dict[str, list[str]] = defaultdict(list)
    for doc, sig in sigs.items():
        for term in band_terms(sig):
            buckets[term].append(doc)
    pairs = set()
    for members in buckets.values():
        if 1 < len(members) < 200:
            pairs.update(tuple(sorted(p)) for p in itertools.combinations(members, 2))
    return pairs


def hand_edited(records: list[dict], rng: random.Random, agency: set[str], n: int = 40):
    """Edited copies of ordinary articles: (new records, positive pairs, negative pairs)."""
    new, pos, neg = [], set(), set()
    pool = [r for r in records if r["text"].count("\n\n") >= 4 and r["id"] not in agency]
    for i, r in enumerate(rng.sample(pool, n)):
        paras = r["text"].split("\n\n")
        kind = i % 6
        other = rng.choice(pool)
        if kind == 0:
            text = "\n\n".join(paras[: max(2, len(paras) * 2 // 3)])
        elif kind == 1:
            text = "\n\n".join(
                ["Auch in unserer Region sorgt das Thema für Gesprächsstoff."] + paras
            )
        elif kind == 2:
            paras[1], paras[2] = paras[2], paras[1]
            text = "\n\n".join(paras)
        elif kind == 3:
            words = r["text"].split(" ")
            for j in rng.sample(range(len(words)), min(5, len(words))):
                words[j] = words[j][::-1]
            text = " ".join(words)
        elif kind == 4:  # shares only the first paragraph with r: a near-copy of other
            text = "\n\n".join([paras[0]] + other["text"].split("\n\n")[1:])
            pos.add(tuple(sorted((other["id"], f"hand-{i}-{kind}"))))
        else:  # another article of the same section
            same = rng.choice([x for x in pool if x["section"] == r["section"] and x is not r])
            text = same["text"]
            pos.add(tuple(sorted((same["id"], f"hand-{i}-{kind}"))))  # a copy of that one
        copy = {"id": f"hand-{i}-{kind}", "text": text}
        new.append(copy)
        (pos if kind < 4 else neg).add(tuple(sorted((r["id"], copy["id"]))))
    return new, pos, neg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--index-n", type=int, default=0, metavar="N")
    parser.add_argument("--index-run", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.index_run:
        _index_run(*args.index_run)
        return
    tmp = None
    if args.corpus is None:
        tmp = tempfile.TemporaryDirectory()
        args.corpus = Path(tmp.name)
        make_corpus.write_corpus(args.n, args.corpus)
    records = [
        json.loads(line) for f in sorted(args.corpus.glob("part-*.jsonl")) for line in f.open()
    ]
    labels = [json.loads(line) for line in (args.corpus / ".labels.jsonl").open()]
    positives = {
        tuple(sorted(p)) for lab in labels for p in itertools.combinations(lab["articles"], 2)
    }
    agency = {i for lab in labels for i in lab["articles"]}
    extra, hand_pos, hand_neg = hand_edited(records, random.Random(5), agency)
    docs = {r["id"]: r["text"] for r in records + extra}
    positives |= hand_pos
    sh = {d: shingles(t) for d, t in docs.items()}
    print(
        f"{len(docs):,} articles, {len(positives):,} true pairs "
        f"({len(hand_pos)} hand-edited), {len(hand_neg)} hand-made hard negatives"
    )

    t0 = time.perf_counter()
    mh = NumpyMinHash()
    sigs = {d: mh.signature(s) for d, s in sh.items()}
    t_own_sig = time.perf_counter() - t0
    t0 = time.perf_counter()
    candidates = lsh_candidates(sigs)
    t_own_lsh = time.perf_counter() - t0
    estimate = {p: float(np.mean(sigs[p[0]] == sigs[p[1]])) for p in candidates}

    base_sig = base_lsh = float("nan")
    try:
        from datasketch import MinHash, MinHashLSH

        t0 = time.perf_counter()
        dsig = {}
        for d, s in sh.items():
            m = MinHash(num_perm=NUM_PERM, seed=1)
            m.update_batch([x.encode() for x in s])
            dsig[d] = m
        base_sig = time.perf_counter() - t0
        t0 = time.perf_counter()
        lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
        for d, m in dsig.items():
            lsh.insert(d, m)
        ds_pairs = {tuple(sorted((d, o))) for d, m in dsig.items() for o in lsh.query(m) if o != d}
        base_lsh = time.perf_counter() - t0
        print(f"datasketch candidates {len(ds_pairs):,}, own {len(candidates):,}")
    except ImportError:
        print("datasketch not installed: no baseline")
    print(
        f"signatures: own numpy {t_own_sig:.1f} s, datasketch {base_sig:.1f} s "
        f"(ratio {t_own_sig / base_sig:.2f}); LSH: own {t_own_lsh:.2f} s, datasketch "
        f"{base_lsh:.2f} s"
    )

    true_j = sorted(len(sh[a] & sh[b]) / len(sh[a] | sh[b]) for a, b in positives)
    print(
        f"Jaccard of true pairs: min {true_j[0]:.2f}, 5th pct {true_j[len(true_j) // 20]:.2f}, "
        f"median {true_j[len(true_j) // 2]:.2f}"
    )
    neg_j = sorted(len(sh[a] & sh[b]) / len(sh[a] | sh[b]) for a, b in hand_neg)
    print(f"Jaccard of hard negatives: max {neg_j[-1]:.2f}")
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'hard neg':>8}")
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        predicted = {p for p, e in estimate.items() if e >= t}
        tp = len(predicted & positives)
        precision = tp / len(predicted) if predicted else 1.0
        print(
            f"{t:>9.1f} {precision:>9.3f} {tp / len(positives):>7.3f} "
            f"{len(predicted & hand_neg):>8}"
        )
    if args.index_n:
        index_overhead(records[: args.index_n], labels)
    if tmp is not None:
        tmp.cleanup()


def index_overhead(records: list[dict], labels: list[dict]) -> None:
    """Index ``records`` without and with story detection, each in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        with (corpus / "part.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        runs = {}
        for mode in ("without", "with"):
            out = subprocess.run(
                [sys.executable, __file__, "--index-run", mode, str(corpus)],
                check=True,
                capture_output=True,
                text=True,
            )
            runs[mode] = json.loads(out.stdout.splitlines()[-1])
    n = len(records)
    a, b = runs["without"]["seconds"], runs["with"]["seconds"]
    print(
        f"indexing {n:,} articles (update_from, 1 worker): without stories {a:.1f} s "
        f"({n / a:.0f} articles/s), with {b:.1f} s ({n / b:.0f} articles/s); ratio {b / a:.2f}"
    )
    story = runs["with"]["stories"]
    ids = set(story)
    truth = {
        tuple(sorted(p))
        for lab in labels
        for p in itertools.combinations([i for i in lab["articles"] if i in ids], 2)
    }
    members: dict[str, list[str]] = defaultdict(list)
    for doc, s in story.items():
        members[s].append(doc)
    grouped = {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}
    tp = len(grouped & truth)
    print(
        f"stored story ids on the {len(truth):,} labelled pairs among them: precision "
        f"{tp / len(grouped) if grouped else 1.0:.3f}, recall {tp / len(truth):.3f}; "
        f"{len(members):,} stories"
    )


def _index_run(mode: str, corpus: str) -> None:
    """One indexing run (a child process of :func:`index_overhead`): seconds and story ids."""
    from search.index import NewsIndex

    if mode == "without":
        stories.StoryAssigner.assign = lambda self, doc: doc.update(story=doc["id"])
    with tempfile.TemporaryDirectory() as tmp, NewsIndex.create(Path(tmp) / "ix") as index:
        t0 = time.perf_counter()
        index.update_from(corpus, workers=1)
        seconds = time.perf_counter() - t0
        found = {f["id"]: f["story"] for f in index._current_searcher().all_stored_fields()}
    print(json.dumps({"seconds": seconds, "stories": found}))


if __name__ == "__main__":
    main()
