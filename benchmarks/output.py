"""What big result sets cost through the CLI: seconds to the first line and to the end, and
peak memory, of ``zeitung search`` exports, beside the same search without snippets.

Builds (once, in ``--workdir``) an index of the demo corpus plus the derStandard articles of
``10kgnad/test.csv`` three times over (each copy with its own id, date and last sentence, so
none is folded as a duplicate): about 3,170 articles, all dated. Then each command runs in a
fresh process, the baseline first: the same search as JSON without snippets (what ranking and
reading stored fields cost). ``--before DIR`` runs another checkout of Zeitung on the same
index right after each command (``git archive main | tar -x -C /tmp/base``, then
``--before /tmp/base``), so that both meet the same machine load.

    python benchmarks/output.py [--workdir /tmp/zeitung-output] [--before DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._shared import REPO, derstandard, print_table  # noqa: E402

COMMANDS = [
    ("date:>=2000-01-01", ["--limit", "3000", "--json"]),
    ("Regierung", ["--limit", "3000", "--json"]),
    ("Regierung", ["--limit", "3000", "--json", "--workers", "1"]),
    ("Regierung", ["--all", "--format", "csv"]),
    ("Regierung", ["--limit", "300", "--kwic"]),
    ("Regierung", ["--limit", "10"]),
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")


def build_corpus(root: Path) -> None:
    shutil.copytree(REPO / "corpus", root / "corpus")
    rows = derstandard()
    with (root / "derstandard.jsonl").open("w", encoding="utf-8") as f:
        for copy in range(3):
            for i, (label, text) in enumerate(rows):
                day = dt.date(2015, 1, 1) + dt.timedelta(days=(i * 7 + copy * 3) % 3000)
                record = {
                    "id": f"ds-{copy}-{i}",
                    "title": _SENTENCE.split(text, maxsplit=1)[0][:200],
                    "text": f"{text} Ausgabe {copy + 1}.",
                    "section": label,
                    "date": day.isoformat(),
                    "source": "derstandard.at",
                    "url": f"https://www.derstandard.at/story/{copy}{i:05d}/artikel",
                }
                f.write(json.dumps(record, ensure_ascii=False) + "\n")


def run(code: Path, index: Path, query: str, args: list[str]) -> tuple:
    """(seconds to the first line, seconds in all, peak RSS in MB, lines) of one search;
    lines is -1 when that checkout does not know the options."""
    env = dict(os.environ, PYTHONPATH=str(code))
    cmd = [sys.executable, "-c", "from search.cli import main; main()", "search", query]
    cmd += ["--index", str(index), *args]
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["/usr/bin/time", "-f", "%M", *cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=code,
    )
    assert proc.stdout is not None
    first = None
    lines = 0
    for _ in proc.stdout:
        if first is None:
            first = time.perf_counter() - start
        lines += 1
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    proc.wait()
    total = time.perf_counter() - start
    rss = int(stderr.strip().splitlines()[-1]) // 1024
    if proc.returncode != 0:
        return total, total, rss, -1
    return first or total, total, rss, lines


def baseline(args: list[str]) -> list[str]:
    """The same search as JSON without snippets: what ranking and stored fields cost."""
    limit = args[args.index("--limit") + 1] if "--limit" in args else "3000"
    return ["--limit", limit, "--json", "--fragments", "0"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/zeitung-output"))
    ap.add_argument("--code", type=Path, default=REPO, help="checkout of Zeitung to run")
    ap.add_argument("--before", type=Path, help="another checkout to compare with, same run")
    ap.add_argument("--repeat", type=int, default=1)
    opts = ap.parse_args()
    index = opts.workdir / "index"
    if not index.exists():
        build_corpus(opts.workdir / "docs")
        env = dict(os.environ, PYTHONPATH=str(REPO))
        subprocess.run(
            [sys.executable, "-m", "search", "index", str(opts.workdir / "docs"), "--index",
             str(index)],
            check=True,
            env=env,
        )  # fmt: skip
    rows = []
    for query, args in COMMANDS:
        label = f"{query} {' '.join(args)}"
        base = min(run(opts.code, index, query, baseline(args)) for _ in range(opts.repeat))
        after = min(run(opts.code, index, query, args) for _ in range(opts.repeat))
        row = [label, after[3], after[0], after[1], base[1], after[1] / base[1], after[2]]
        if opts.before is not None:
            before = min(run(opts.before, index, query, args) for _ in range(opts.repeat))
            if before[3] < 0:
                row += ["n/a", "n/a", "", ""]
            else:
                row += [before[0], before[1], before[1] / after[1], before[2]]
        rows.append(row)
    print(f"code: {opts.code}" + (f"; before: {opts.before}" if opts.before else ""))
    headers = ["search", "lines", "first s", "all s", "no-snippets s", "ratio", "MB"]
    if opts.before is not None:
        headers += ["before first s", "before all s", "before/after", "before MB"]
    print_table(headers, rows)


if __name__ == "__main__":
    main()
