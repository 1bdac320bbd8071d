"""Compound splitting accuracy: analyzers.split_compound beside CharSplit (compound-split).

Gold: ../shared/data/compounds/wikidata-de.dev.tsv (compound, immediate parts). A word is
right when its predicted parts, stemmed, equal its gold parts, stemmed; linking elements are
dropped from the gold, and rows that are derivations (a part is an affix such as ``in`` or
``chen``) or keep fewer than two parts are left out. Splitting a gold part further counts as
right: predicted parts may be grouped into contiguous runs, each run standing for the span of
the word it covers (``abgas|grenz|wert`` groups to ``abgas``, ``grenzwert``).

Second measure: the share of tests/data/analysis_whole_words.txt (simple words, derivations,
names) kept whole.

Usage: python benchmarks/compounds.py [--errors N]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyzers import normalize_word, split_compound, stem  # noqa: E402
from analyzers.compounds import fold_plain, word_parts  # noqa: E402
from benchmarks._shared import REPO, data_file, print_table  # noqa: E402

LINKING = {"s", "es", "n", "en", "e", "er", "ens", "nen", "-"}
AFFIXES = {
    "in", "innen", "chen", "lein", "ung", "heit", "keit", "schaft", "lich", "isch", "ig",
    "tum", "nis", "ling", "bar", "sam", "haft", "ei", "erei", "ler", "ner", "ismus", "ist",
    "ität", "ie", "ik", "ion", "ur", "un", "ge", "be", "ver", "ent", "er", "zer", "miss",
}  # fmt: skip
WHOLE_WORDS = REPO / "tests" / "data" / "analysis_whole_words.txt"


def load_gold(path: Path) -> tuple[list[tuple[str, list[str]]], int]:
    """Usable gold rows and how many rows were left out."""
    rows, skipped = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        word, *parts = line.split("\t")
        if any(normalize_word(p) in AFFIXES for p in parts if p.lower() not in LINKING):
            skipped += 1
            continue
        parts = [p for p in parts if p.lower() not in LINKING]
        if len(parts) < 2:
            skipped += 1
            continue
        rows.append((word, parts))
    return rows, skipped


def load_whole_words() -> list[str]:
    """The words that must stay whole."""
    lines = WHOLE_WORDS.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]


def _spans(word: str, parts: list[str]) -> list[tuple[int, int]] | None:
    """Locate folded parts in order inside the folded word."""
    spans, at = [], 0
    for p in parts:
        i = word.find(p, at)
        if i < 0:
            return None
        spans.append((i, i + len(p)))
        at = i + len(p)
    return spans


def is_right(word: str, predicted: list[str], gold: list[str]) -> bool:
    """Do the predicted parts, possibly grouped into contiguous runs, stem to the gold set?"""
    folded = normalize_word(word).replace("*", "")
    gold_stems = {stem(normalize_word(g)) for g in gold}
    if len(predicted) < 2:
        return False
    spans = _spans(folded, predicted)
    k = len(predicted)
    for cuts in itertools.product((False, True), repeat=k - 1):
        groups, start = [], 0
        for i, cut in enumerate((*cuts, True)):
            if cut:
                groups.append((start, i))
                start = i + 1
        if len(groups) < 2:
            continue
        if spans is None:
            texts = ["".join(predicted[a : b + 1]) for a, b in groups]
        else:
            texts = [folded[spans[a][0] : spans[b][1]] for a, b in groups]
            texts[-1] = folded[spans[groups[-1][0]][0] :]
        if {stem(t) for t in texts} == gold_stems:
            return True
    return False


def leaves(word: str) -> list[str]:
    """The finest split the index holds: every part replaced by its own parts, recursively."""
    parts = word_parts(word)
    if not parts:
        return [fold_plain(word)]
    out = []
    for i, (part, _, _, _, depth, _lexical) in enumerate(parts):
        following = parts[i + 1] if i + 1 < len(parts) else None
        if following is None or following[4] <= depth:  # no parts of its own
            out.append(part)
    return out


def charsplit(word: str) -> list[str]:
    """CharSplit's best binary split when its score is positive, else the word."""
    from compound_split import char_split

    best = char_split.split_compound(word)
    if best and best[0][0] > 0:
        return [normalize_word(best[0][1]), normalize_word(best[0][2])]
    return [normalize_word(word)]


def evaluate(split: Callable[[str], list[str]], gold, whole) -> tuple[float, float, float, list]:
    """(share right on the gold, share of whole words kept whole, seconds, errors)."""
    t0 = time.perf_counter()
    errors, right = [], 0
    for word, parts in gold:
        pred = split(word)
        if is_right(word, pred, parts):
            right += 1
        else:
            errors.append((word, parts, pred))
    kept = 0
    for word in whole:
        pred = split(word)
        if len(pred) == 1:
            kept += 1
        else:
            errors.append((word, [word], pred))
    return right / len(gold), kept / len(whole), time.perf_counter() - t0, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0, help="print this many errors of ours")
    args = ap.parse_args()
    gold, skipped = load_gold(data_file("compounds/wikidata-de.dev.tsv"))
    whole = load_whole_words()
    split_compound("Anlaufphase")  # load the lexicon outside the timing
    ours = evaluate(split_compound, gold, whole)
    nested = evaluate(leaves, gold, whole)
    base = evaluate(charsplit, gold, whole)
    print(f"gold rows: {len(gold)} (left out: {skipped}); whole-word list: {len(whole)}\n")
    print_table(
        ["splitter", "right", "kept whole", "seconds"],
        [
            ["analyzers.split_compound", ours[0], ours[1], round(ours[2], 2)],
            ["  finest (parts of parts)", nested[0], nested[1], round(nested[2], 2)],
            ["compound-split (CharSplit)", base[0], base[1], round(base[2], 2)],
            ["ratio ours / CharSplit", ours[0] / base[0], ours[1] / base[1], ""],
        ],
    )
    print("\ntargets: right >= 0.85, kept whole >= 0.97")
    for word, gold_parts, pred in ours[3][: args.errors]:
        print(f"  {word}: gold {gold_parts} predicted {pred}")


if __name__ == "__main__":
    main()
