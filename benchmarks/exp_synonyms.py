"""Experiment: does thesaurus expansion lift ranking past what words alone reach?

The XQuAD questions that miss rank 1 mostly paraphrase their paragraph (*sang* for *führte
auf*, *Stadion* for *Arena*). This adds, to each optional query word of ``match="any"``, the
single-word synonyms OpenThesaurus lists for it (or for its lemma) as extra terms at a small
weight, and measures nDCG@10 through the product path of ``benchmarks/retrieval.py`` (same
collections, same cached indexes), paired against the product as it is, per DEV/TEST half.

OpenThesaurus (LGPL) is not a Python package: Debian ships its text export
(``apt-get install openthesaurus-de-text`` -> ``/usr/share/openthesaurus-de/openthesaurus.txt``).

    python benchmarks/exp_synonyms.py --cache /tmp/retrieval-cache --boosts 0.1 0.2 0.3

Measured 2026-12-02 (60,014 words with synonyms; synsets of 2-12 single words, colloquial and
dated senses left out; each synonym's weight divided by the square root of their number),
paired difference to the product, all 1,190 questions:

=========================  ==========================  ==========================
synonym weight             xquad-untitled              xquad-titled
=========================  ==========================  ==========================
0.3                        +0.0008 [-0.0015, +0.0030]  +0.0007 [-0.0012, +0.0029]
0.6                        +0.0028 [-0.0003, +0.0061]  +0.0013 [-0.0019, +0.0047]
1.0                        +0.0002 [-0.0036, +0.0040]  +0.0003 [-0.0034, +0.0043]
0.5, also looked up by stem +0.0010 [-0.0018, +0.0038]  +0.0009 [-0.0016, +0.0038]
=========================  ==========================  ==========================

At best 0.9443 -> 0.9470 untitled, 0.9475 -> 0.9488 titled, no interval clear of zero, at
about twice the query time: a general thesaurus mostly adds senses the question does not
mean (*singen* -> *gestehen*, *schlagen*). Not taken into the product.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import retrieval  # noqa: E402
from whoosh import query as wq  # noqa: E402

from analyzers.lemmas import lemma  # noqa: E402
from search.query import builder  # noqa: E402

THESAURUS = Path("/usr/share/openthesaurus-de/openthesaurus.txt")
_NOTE = re.compile(r"\s*\([^)]*\)")
#: Marked senses that read as another register or time; left out.
_SKIP = ("ugs.", "veraltet", "derb", "vulg.", "abwertend", "scherzh.")


def load_synonyms(path: Path, max_synset: int) -> dict[str, set[str]]:
    """Lowercased word -> the single words that share a synset with it."""
    synsets: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        words = []
        for entry in line.split(";"):
            if any(s in entry for s in _SKIP):
                continue
            word = _NOTE.sub("", entry).strip()
            if word and " " not in word and "-" not in word:
                words.append(word)
        if not 2 <= len(words) <= max_synset:
            continue
        for w in words:
            synsets[w.lower()].update(x for x in words if x.lower() != w.lower())
    return synsets


def patch(synonyms: dict[str, set[str]], boost: float, by_stem: bool = False) -> None:
    """Make ``Builder.ranked_word`` add synonym terms at *boost* x the word's weight; with
    *by_stem*, a word also takes the synonyms of every thesaurus word with its stem."""
    original = builder.Builder.ranked_word
    table: dict[str, set[str]] = {}

    def by_stem_table(b) -> dict[str, set[str]]:  # noqa: ANN001
        if not table:
            for word, syns in synonyms.items():
                stem = b.stem_of(builder.normalize_word(word))
                if stem:
                    table.setdefault(stem, set()).update(syns)
        return table

    def ranked_word(self, node, fieldname, words, parts):  # noqa: ANN001, ANN202
        q = original(self, node, fieldname, words, parts)
        if boost <= 0 or fieldname not in ("title", "text"):
            return q
        key = node.text.lower()
        syns = set(synonyms.get(key, ()))
        base = lemma(node.text)
        if base:
            syns |= synonyms.get(base.lower(), set())
        if by_stem:
            for w in words:
                syns |= by_stem_table(self).get(w, set())
        stems = []
        for s in sorted(syns):
            stem = self.stem_of(builder.normalize_word(s))
            if stem and stem not in words and stem not in stems:
                stems.append(stem)
        if not stems:
            return q
        weight = builder.common_word_weight(builder.normalize_word(node.text))
        extra = [wq.Term(fieldname, s, boost=boost * weight / len(stems) ** 0.5) for s in stems]
        return wq.Or([q, *extra])

    ranked_word.original = original  # type: ignore[attr-defined]
    builder.Builder.ranked_word = ranked_word


def unpatch() -> None:
    current = builder.Builder.ranked_word
    builder.Builder.ranked_word = getattr(current, "original", current)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--sets", nargs="+", default=["xquad-untitled", "xquad-titled"])
    ap.add_argument("--boosts", nargs="+", type=float, default=[0.1, 0.2, 0.3])
    ap.add_argument("--max-synset", type=int, default=12)
    ap.add_argument("--by-stem", action="store_true", help="look words up by their stem too")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--resamples", type=int, default=1000)
    args = ap.parse_args()
    synonyms = load_synonyms(THESAURUS, args.max_synset)
    print(f"{len(synonyms):,} words with synonyms (synsets of 2..{args.max_synset} words)")
    args.cache.mkdir(parents=True, exist_ok=True)
    collections = retrieval.build_collections(args.sets, args.limit, args.cache)
    with tempfile.TemporaryDirectory() as tmp:
        for coll in collections:
            idx, _ = retrieval.product_index(coll, Path(tmp), args.cache)
            t0 = time.perf_counter()
            base, _, _ = retrieval.product_ranks(idx, coll, "any")
            base_ms = 1000 * (time.perf_counter() - t0) / len(coll.queries)
            for boost in args.boosts:
                patch(synonyms, boost, args.by_stem)
                t0 = time.perf_counter()
                ranks, _, _ = retrieval.product_ranks(idx, coll, "any")
                ms = 1000 * (time.perf_counter() - t0) / len(coll.queries)
                unpatch()
                retrieval.paired_rows(
                    f"{coll.name}: synonyms at {boost} (first) vs product (second); "
                    f"{ms:.1f} vs {base_ms:.1f} ms/query",
                    ranks,
                    base,
                    coll.dev,
                    args.resamples,
                )
            idx.close()


if __name__ == "__main__":
    main()
