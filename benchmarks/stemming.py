"""Stem clustering on CISTEM gold 1: analyzers.stem beside plain Snowball and CISTEM.

Pairwise measure over the distinct lower-cased words of the gold file: precision = share of
word pairs given one stem that share a gold cluster; recall = share of gold same-cluster
pairs given one stem; F1 of the two. Plain Snowball runs on the lower-cased word
(PyStemmer), CISTEM (Weißweiler & Fraser 2017) is NLTK's reference implementation
(``nltk.stem.cistem``, a benchmark-only dependency), ours runs on the folded word.

Then what each rule of :mod:`analyzers.stemming` buys (the whole stemmer with one rule
switched off), and the new conflations on derStandard's texts (10kGNAD test split): the
words whose set of same-stem words grew most against the previous stemmer (Snowball with the
feminine and vowel-s rules), by the token count of the words they newly meet.

Usage: python benchmarks/stemming.py [--no-ablation] [--top 30]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import Stemmer  # noqa: E402

import analyzers.stemming as st  # noqa: E402
from analyzers.normalize import fold_cached  # noqa: E402
from analyzers.stopwords import STOP_WORDS  # noqa: E402
from benchmarks._shared import data_file, derstandard, print_table  # noqa: E402

_SNOWBALL = Stemmer.Stemmer("german")


def snowball(word: str) -> str:
    return _SNOWBALL.stemWord(word.lower())


def previous(word: str) -> str:
    """The stemmer before lemmas (analysis version 2): feminine, vowel-s, Snowball."""
    w = fold_cached(word)
    m = st.FEMININE.match(w)
    if m:
        w = m.group(1)
    return _SNOWBALL.stemWord(st.strip_vowel_s(w))


def cistem() -> Callable[[str], str] | None:
    try:
        from nltk.stem.cistem import Cistem
    except ImportError:
        return None
    return Cistem().stem


def load_clusters(path: Path) -> list[list[str]]:
    """One cluster of word forms a line, lower-cased, each form once."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [list(dict.fromkeys(w.lower() for w in line.split())) for line in lines if line.strip()]


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


def _ours(clusters: list[list[str]]) -> dict[str, float]:
    st._CACHE.clear()
    return clustering(clusters, st.stem)


#: Each rule and how to switch it off: (module attribute, value meaning "off").
RULES = {
    "lemmas (simplemma)": ("lemma_folded", lambda w, table=None: w),
    "lemma of a word's tail": ("LEMMA_TAIL_MIN", 999),
    "derivational suffixes": ("DERIVATION_SUFFIXES", ()),
    "agent nouns keep -er": ("ER_BASE_ZIPF", 99.0),
    "irregular feminines": ("IRREGULAR_FEMININE", {}),
    "feminine -in/-innen": ("FEMININE", re.compile(r"(?!)")),
    "vowel + s": ("VOWEL_S_MIN", 999),
    "lemma exceptions (Gebet)": ("LEMMA_EXCEPTIONS", {}),
    "kept derivations (sagenhaft)": ("KEEP_DERIVED", frozenset()),
    "function-word stems (seit/Seite)": ("FUNCTION_WORD_STEMS", {}),
}


def ablation(clusters: list[list[str]], whole: dict[str, float]) -> None:
    """The stemmer with one rule off: what the rule buys in precision, recall and F1."""
    rows = []
    for name, (attr, off) in RULES.items():
        saved = getattr(st, attr)
        setattr(st, attr, off)
        try:
            r = _ours(clusters)
        finally:
            setattr(st, attr, saved)
        rows.append([name, *(whole[k] - r[k] for k in ("precision", "recall", "f1"))])
    st._CACHE.clear()
    print_table(["rule (gain = all rules - without it)", "precision", "recall", "F1"], rows)


def new_conflations(top: int) -> None:
    """Words of derStandard that meet other words now, most newly met tokens first."""
    counts: Counter[str] = Counter()
    for _label, text in derstandard():
        counts.update(w for w in re.findall(r"[^\W\d_]{3,}", text))
    folded: Counter[str] = Counter()
    for w, n in counts.items():
        f = fold_cached(w)
        if f not in STOP_WORDS:  # not indexed as words
            folded[f] += n
    new_groups: dict[str, set[str]] = defaultdict(set)
    old_of = {w: previous(w) for w in folded}
    new_of = {w: st.stem_folded(w) for w in folded}
    for w, s in new_of.items():
        new_groups[s].add(w)
    rows = []
    for w, s in new_of.items():
        met = [v for v in new_groups[s] if v != w and old_of[v] != old_of[w]]
        if met:
            gain = sum(folded[v] for v in met)
            shown = ", ".join(sorted(met, key=lambda v: -folded[v])[:5])
            rows.append((gain, w, folded[w], s, shown))
    rows.sort(key=lambda r: (-r[0], r[1]))
    print(f"\nnew conflations on derStandard ({len(folded)} folded words; top {top}):\n")
    print_table(
        ["word", "tokens", "stem", "newly met tokens", "newly met (most frequent first)"],
        [[w, n, s, g, shown] for g, w, n, s, shown in rows[:top]],
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-ablation", action="store_true")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    clusters = load_clusters(data_file("stemming/cistem-gold1.txt"))
    print(f"{len(clusters)} clusters, {sum(len(c) for c in clusters)} distinct word forms\n")
    ours = _ours(clusters)
    base = clustering(clusters, snowball)
    rows = [
        ["analyzers.stem", ours["precision"], ours["recall"], ours["f1"]],
        ["plain Snowball German", base["precision"], base["recall"], base["f1"]],
        ["previous (v2: Snowball + feminine + vowel-s)", *clustering(clusters, previous).values()],
    ]
    ref = cistem()
    if ref is not None:
        rows.append(["CISTEM (nltk, reference)", *clustering(clusters, ref).values()])
    ratio = [ours[k] / base[k] for k in ("precision", "recall", "f1")]
    rows.append(["ratio ours / Snowball", *ratio])
    print_table(["stemmer", "precision", "recall", "F1"], rows)
    print("target: F1 > 0.30, recall >= 0.20, precision >= 0.90\n")
    if not args.no_ablation:
        ablation(clusters, ours)
    new_conflations(args.top)


if __name__ == "__main__":
    main()
