"""Plot indexing rate and query latency against corpus size (issue #11's scale figures).

The points are measurements recorded in ``benchmarks/plots/scale.json`` (each from one
``scale.py``/``indexing.py`` run, Zeitung beside plain Whoosh + ``LanguageAnalyzer("de")``
in the same run, with its commit, date and machine load); this script only draws them::

    python benchmarks/plot_scale.py [--data PLOTS/scale.json] [--out PLOTS/scale.png]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "plots"


def plot(points: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = sorted(points, key=lambda p: p["articles"])
    fig, (rate, latency) = plt.subplots(1, 2, figsize=(11, 4.2))
    rated = [p for p in points if p.get("zeitung_rate")]
    x = [p["articles"] for p in rated]
    rate.plot(x, [p["zeitung_rate"] for p in rated], "o-", label="Zeitung (zeitung index)")
    rate.plot(
        x, [p["baseline_rate"] for p in rated], "s--", label='plain Whoosh + LanguageAnalyzer("de")'
    )
    rate.set_xscale("log")
    rate.set_xlabel("articles in the corpus")
    rate.set_ylabel("articles indexed per second")
    rate.set_title("Indexing rate")
    rate.set_ylim(bottom=0)
    rate.legend(fontsize=8)
    timed = [p for p in points if p.get("zeitung_p95")]
    x = [p["articles"] for p in timed]
    for key, style, label in (
        ("zeitung_p50", "o-", "Zeitung p50"),
        ("zeitung_p95", "o:", "Zeitung p95"),
        ("baseline_p50", "s-", "plain Whoosh p50"),
        ("baseline_p95", "s:", "plain Whoosh p95"),
    ):
        latency.plot(x, [p[key] for p in timed], style, label=label)
    latency.axhline(100, color="grey", lw=0.8, ls="--")
    latency.text(x[0], 105, "target p95 at 100k: 100 ms", fontsize=7, color="grey")
    latency.set_xscale("log")
    latency.set_yscale("log")
    latency.set_xlabel("articles in the corpus")
    latency.set_ylabel("CPU ms per query, top 10 with snippets")
    latency.set_title("Query latency (200-query mix, warm)")
    latency.legend(fontsize=8)
    notes = "; ".join(f"{p['articles']:,}: {p['note']}" for p in points if p.get("note"))
    fig.suptitle("Zeitung at scale, generated German news corpus, 2-core machine", fontsize=11)
    fig.text(0.01, 0.01, notes, fontsize=6.5, wrap=True)
    fig.tight_layout(rect=(0, 0.06, 1, 0.95))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "scale.json")
    parser.add_argument("--out", type=Path, default=HERE / "scale.png")
    args = parser.parse_args()
    plot(json.loads(args.data.read_text(encoding="utf-8")), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
