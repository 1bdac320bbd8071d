"""Extraction quality of the HTML reader on real German pages, beside trafilatura alone.

Data: ``../shared/data/pages.jsonl`` + ``pages/`` (364 saved pages with gold title,
publication date, ``with`` snippets that must be in the body and ``without`` snippets
that must not). For each extractor it prints:

* with     — fraction of ``with`` snippets found in the extracted text
* without  — fraction of ``without`` snippets kept out of it
* title    — exact title match (case- and whitespace-insensitive), pages with a gold title
* date     — exact date match, pages with a gold date
* ms/page  — wall time per page

Our side runs through ``zeitung parse --json`` (the CLI the product ships), or with
``--direct`` through :func:`search.readers.iter_articles` in-process. The baseline is
trafilatura's ``bare_extraction(with_metadata=True)`` in the same run.

    python benchmarks/extraction.py [--data DIR] [--limit N] [--direct] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._shared import DATA as DEFAULT_DATA  # noqa: E402

TARGETS = {"with": 0.95, "without": 0.93, "title": 0.85, "date": 0.92}
CLI_BATCH = 60


@dataclass
class Score:
    """Counts for one extractor."""

    with_found: int = 0
    with_total: int = 0
    without_kept_out: int = 0
    without_total: int = 0
    title_ok: int = 0
    title_total: int = 0
    date_ok: int = 0
    date_total: int = 0
    seconds: float = 0.0
    pages: int = 0
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            "with": self.with_found / max(self.with_total, 1),
            "without": self.without_kept_out / max(self.without_total, 1),
            "title": self.title_ok / max(self.title_total, 1),
            "date": self.date_ok / max(self.date_total, 1),
            "ms/page": 1000 * self.seconds / max(self.pages, 1),
        }


def norm(text: str | None) -> str:
    """Case- and whitespace-insensitive form used for every comparison."""
    return " ".join((text or "").split()).casefold()


def score_page(score: Score, gold: dict, result: dict | None) -> None:
    """Add one page's extraction (``title``, ``date``, ``text`` or None) to ``score``."""
    result = result or {}
    text = norm(result.get("text"))
    name = gold["file"]
    for snippet in gold.get("with") or []:
        score.with_total += 1
        if norm(snippet) in text:
            score.with_found += 1
        else:
            score.misses.append(f"{name}: with missing: {snippet[:70]!r}")
    for snippet in gold.get("without") or []:
        score.without_total += 1
        if norm(snippet) not in text:
            score.without_kept_out += 1
        else:
            score.misses.append(f"{name}: without present: {snippet[:70]!r}")
    if gold.get("title"):
        score.title_total += 1
        if norm(gold["title"]) == norm(result.get("title")):
            score.title_ok += 1
        else:
            score.misses.append(f"{name}: title {result.get('title')!r} != {gold['title']!r}")
    if gold.get("date"):
        score.date_total += 1
        if norm(gold["date"]) == norm(result.get("date")):
            score.date_ok += 1
        else:
            score.misses.append(f"{name}: date {result.get('date')!r} != {gold['date']!r}")


def run_trafilatura(paths: list[Path]) -> tuple[dict[Path, dict | None], float]:
    """The baseline: trafilatura 2.x ``bare_extraction`` with metadata, on the raw bytes."""
    from trafilatura import bare_extraction

    results: dict[Path, dict | None] = {}
    start = time.perf_counter()
    for path in paths:
        doc = bare_extraction(path.read_bytes(), with_metadata=True)
        results[path] = None if doc is None else doc.as_dict()
    return results, time.perf_counter() - start


def run_direct(paths: list[Path]) -> tuple[dict[Path, dict | None], float]:
    """Our readers in-process."""
    from search.errors import ReadError
    from search.readers import iter_articles

    results: dict[Path, dict | None] = {}
    start = time.perf_counter()
    for path in paths:
        try:
            article = next(iter_articles(path), None)
        except ReadError:
            article = None
        results[path] = article.to_dict() if article else None
    return results, time.perf_counter() - start


def run_cli(paths: list[Path], zeitung: str) -> tuple[dict[Path, dict | None], float]:
    """Our readers through ``zeitung parse --json``, in batches of files."""
    results: dict[Path, dict | None] = {path: None for path in paths}
    by_name = {str(path.resolve()): path for path in paths}
    start = time.perf_counter()
    for offset in range(0, len(paths), CLI_BATCH):
        batch = [str(p) for p in paths[offset : offset + CLI_BATCH]]
        proc = subprocess.run(
            [zeitung, "parse", "--json", *batch], capture_output=True, text=True, check=False
        )
        for line in proc.stdout.splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            path = by_name.get(str(Path(record.get("path", "")).resolve()))
            if path is not None and "error" not in record and results[path] is None:
                results[path] = record
    return results, time.perf_counter() - start


def find_cli() -> str | None:
    """The ``zeitung`` executable beside this Python, if it has a working ``parse``."""
    candidate = Path(sys.executable).with_name("zeitung")
    exe = str(candidate) if candidate.exists() else shutil.which("zeitung")
    if not exe:
        return None
    probe = subprocess.run([exe, "parse", "--help"], capture_output=True, check=False)
    return exe if probe.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--direct", action="store_true", help="call iter_articles in-process")
    parser.add_argument("--no-baseline", action="store_true", help="skip trafilatura alone")
    parser.add_argument("--show-misses", action="store_true", help="list every miss of ours")
    args = parser.parse_args(argv)

    gold_file = args.data / "pages.jsonl"
    if not gold_file.exists():
        print(f"no data at {gold_file}; pass --data", file=sys.stderr)
        return 2
    golds = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines()]
    if args.limit:
        golds = golds[: args.limit]
    paths = [args.data / gold["file"] for gold in golds]

    zeitung = None if args.direct else find_cli()
    if zeitung:
        ours, ours_seconds = run_cli(paths, zeitung)
        ours_name = "zeitung parse"
    else:
        if not args.direct:
            print("`zeitung parse` not available: calling iter_articles directly", file=sys.stderr)
        ours, ours_seconds = run_direct(paths)
        ours_name = "zeitung readers"
    runs = [(ours_name, ours, ours_seconds)]
    if not args.no_baseline:
        base, base_seconds = run_trafilatura(paths)
        runs.append(("trafilatura alone", base, base_seconds))

    scores = {}
    for name, results, seconds in runs:
        score = Score(seconds=seconds, pages=len(paths))
        for gold, path in zip(golds, paths, strict=True):
            score_page(score, gold, results[path])
        scores[name] = score.figures()
        if name == ours_name and args.show_misses:
            print("\n".join(score.misses))
            print()

    columns = ["with", "without", "title", "date", "ms/page"]
    print(f"{len(paths)} pages from {gold_file}")
    print(f"{'extractor':<20}" + "".join(f"{c:>10}" for c in columns))
    for name, figures in scores.items():
        cells = "".join(
            f"{figures[c]:>10.1f}" if c == "ms/page" else f"{figures[c]:>10.3f}" for c in columns
        )
        print(f"{name:<20}{cells}")
    print(f"{'target':<20}" + "".join(f"{TARGETS[c]:>10.2f}" for c in columns[:4]))
    if len(scores) == 2:
        ours_fig, base_fig = scores[ours_name], scores["trafilatura alone"]
        ratios = "".join(
            f"{ours_fig[c] / base_fig[c]:>10.3f}" if base_fig[c] else f"{'-':>10}" for c in columns
        )
        print(f"{'ratio ours/base':<20}{ratios}")
    met = all(scores[ours_name][c] >= TARGETS[c] for c in TARGETS)
    print("targets met" if met else "targets NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
