"""Title weighting experiments (issue #14): the product path with other weightings.

Builds (or reuses, ``--cache``) the product indexes of ``benchmarks/retrieval.py`` and runs
each set's queries through ``NewsIndex.search(match="any", snippets=None)`` once per weighting
variant, the searcher's weighting swapped for the variant (the index and the query are the
product's). A variant is ``name=spec``, the spec comma-separated settings of
:class:`search.query.weighting.RsjBM25F`: ``w=2`` (title weight), ``tb=0.3`` (title B),
``b=0.5`` / ``k1=0.6`` (both fields), ``shared`` (title terms take the larger document
frequency of title and text as their idf). Prints nDCG@10 per set on DEV/TEST/all, each paired
against the first variant.

Usage: python benchmarks/exp_titles.py --cache /tmp/c base=w=2 w1=w=1 w1s=w=1,shared ...
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import search.index  # noqa: E402
from benchmarks._shared import print_table  # noqa: E402
from benchmarks.retrieval import (  # noqa: E402
    SETS,
    build_collections,
    diff_ci,
    halves,
    mean_ci,
    ndcg,
    product_index,
    product_ranks,
)
from search.query.weighting import RsjBM25F  # noqa: E402


def parse_variant(spec: str) -> RsjBM25F:
    """``w=2,tb=0.3,shared`` -> the weighting it names (defaults: the product's B and K1)."""
    base = search.index.WEIGHTING
    b, k1, w, tb, shared = base.B, base.K1, base.weights.get("title", 1.0), None, False
    for part in filter(None, spec.split(",")):
        key, _, value = part.partition("=")
        if key == "w":
            w = float(value)
        elif key == "tb":
            tb = float(value)
        elif key == "b":
            b = float(value)
        elif key == "k1":
            k1 = float(value)
        elif key == "shared":
            shared = True
        else:
            sys.exit(f"unknown setting {part!r}")
    field_b = {"title_B": tb} if tb is not None else {}
    return RsjBM25F(
        B=b,
        K1=k1,
        weights={"title": w},
        shared_idf=("title", "text") if shared else (),
        **field_b,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("variants", nargs="+", help="name=spec")
    ap.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--resamples", type=int, default=500)
    ap.add_argument("--half", choices=("DEV", "TEST", "all"), help="print only this half")
    args = ap.parse_args()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    variants = [v.partition("=")[::2] for v in args.variants]
    with tempfile.TemporaryDirectory(prefix="zeitung-titles-") as tmp:
        for coll in build_collections(args.sets, 0, args.cache):
            idx, _ = product_index(coll, Path(tmp), args.cache)
            results = {}
            for name, spec in variants:
                search.index.WEIGHTING = parse_variant(spec)
                if idx._searcher is not None:
                    idx._searcher.close()
                    idx._searcher = None
                results[name] = product_ranks(idx, coll, "any")[0]
            idx.close()
            rows = []
            first = variants[0][0]
            for half, sel in halves(coll.dev).items():
                if args.half and half != args.half:
                    continue
                base = [ndcg(results[first][i]) for i in sel]
                for name, spec in variants:
                    a = [ndcg(results[name][i]) for i in sel]
                    rows.append(
                        [
                            half,
                            f"{name} ({spec})",
                            mean_ci(a, args.resamples),
                            "" if name == first else diff_ci(a, base, args.resamples),
                        ]
                    )
            print(f"\n{coll.name}")
            print_table(["half", "variant", "nDCG@10", f"paired vs {first}"], rows)


if __name__ == "__main__":
    main()
