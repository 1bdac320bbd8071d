"""What snippets cost: query latency with and without snippets for the top 10 hits.

Builds an in-memory index (RamStorage + the project schema) of the derStandard articles in
``10kgnad/test.csv`` (first sentence as title), runs about 50 queries and prints p50/p95
latency of the search alone (top 10, stored fields read), of the search plus our snippets and
title marks, and of the search plus Whoosh's own highlighter, as ratios to the search alone.

    python benchmarks/snippets.py [--repeat 3] [--limit 10]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh import highlight  # noqa: E402
from whoosh.filedb.filestore import RamStorage  # noqa: E402

from benchmarks._shared import derstandard, print_table  # noqa: E402
from search.query import parse_query  # noqa: E402
from search.schema import build_schema  # noqa: E402
from search.snippets import SnippetOptions, clear_cache, highlight_spans, make_snippets  # noqa: E402

QUERIES = [
    "Regierung", "Flüchtlinge", "Wien", "Preis", "Polizei", "Fußball", "Apple", "Steuer",
    "Arbeitsmarkt", "Arbeitslosigkeit", "Flüchtlingskrise", "Asylwerber", "Bundesliga",
    "Wahlkampf", "Präsident", "Zinsen", "Bank", "Internet", "Smartphone", "Klimawandel",
    "Griechenland", "Syrien", "Türkei", "Gericht", "Studie", "Forscher", "Schule", "Spital",
    '"Europäische Union"', '"Rapid Wien"', '"künstliche Intelligenz"', '"am Montag"',
    "Regierung AND Flüchtlinge", "ÖVP AND SPÖ", "Steuer OR Abgabe", "Bundesliga NOT Rapid",
    "Polizei NOT Wien", "(Wahl OR Abstimmung) AND Präsident", "Gas*", "Flücht*", "Euro*",
    "=Häuser", "Wohnung Miete", "Trainer Mannschaft Tor", "Unternehmen Umsatz Gewinn",
    "Ministerin", "Verkehr", "Energiepreise", "Ölpreis", "Datenschutz",
]  # fmt: skip

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")


def load() -> list[dict]:
    """derStandard articles: the first sentence becomes the title, the label the section."""
    docs = []
    for i, (label, text) in enumerate(derstandard()):
        title = _SENTENCE.split(text, maxsplit=1)[0][:200]
        docs.append({"id": str(i), "title": title, "text": text, "section": label})
    return docs


def build_index(docs: list[dict]):
    ix = RamStorage().create_index(build_schema())
    with ix.writer() as w:
        for d in docs:
            w.add_document(**d)
    return ix


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (best counts)")
    parser.add_argument("--limit", type=int, default=10, help="hits per query")
    args = parser.parse_args()

    docs = load()
    t0 = time.perf_counter()
    ix = build_index(docs)
    print(f"indexed {len(docs)} articles in {time.perf_counter() - t0:.1f} s")
    schema = ix.schema
    text_an, title_an = schema["text"].analyzer, schema["title"].analyzer
    options = SnippetOptions()
    queries = [parse_query(q).query for q in QUERIES]

    def search_only(searcher, q):
        return [hit.fields() for hit in searcher.search(q, limit=args.limit)]

    def with_ours(searcher, q):
        n = 0
        for fields in search_only(searcher, q):
            title, text = fields.get("title", ""), fields.get("text", "")
            snippets = make_snippets(
                text, q, analyzer=text_an, options=options, fields={"title": title}
            )
            highlight_spans(title, q, fieldname="title", analyzer=title_an, fields={"text": text})
            n += sum(len(s.highlights) for s in snippets)
        return n

    def with_whoosh(searcher, q):
        results = searcher.search(q, limit=args.limit, terms=True)
        results.fragmenter = highlight.ContextFragmenter(maxchars=options.fragment_size)
        return [hit.highlights("text", top=options.fragments) for hit in results]

    timings: dict[str, list[float]] = {"search": [], "ours": [], "whoosh": []}
    marks = hits = 0
    with ix.searcher() as searcher:
        for q in queries:
            hits += len(search_only(searcher, q))
            for name, fn in (("search", search_only), ("ours", with_ours), ("whoosh", with_whoosh)):
                best = float("inf")
                for _ in range(args.repeat):
                    clear_cache()  # no help from the previous run's analysed texts
                    t = time.perf_counter()
                    out = fn(searcher, q)
                    best = min(best, time.perf_counter() - t)
                if name == "ours":
                    marks += out
                timings[name].append(best * 1000)

    base50 = percentile(timings["search"], 50)
    base95 = percentile(timings["search"], 95)
    rows = []
    for name, label in (
        ("search", "search alone (top 10, stored fields)"),
        ("ours", "search + snippets + title marks"),
        ("whoosh", "search + whoosh highlight (baseline)"),
    ):
        p50, p95 = percentile(timings[name], 50), percentile(timings[name], 95)
        rows.append([label, p50, p95, p50 / base50, p95 / base95])
    print(f"{len(queries)} queries, {hits} hits, {marks} marks in our snippets")
    print_table(["", "p50 ms", "p95 ms", "p50 ratio", "p95 ratio"], rows)
    per_hit = [
        (o - s) / max(1, args.limit)
        for o, s in zip(timings["ours"], timings["search"], strict=True)
    ]
    print(f"snippet cost per hit: p50 {percentile(per_hit, 50):.2f} ms")


if __name__ == "__main__":
    main()
