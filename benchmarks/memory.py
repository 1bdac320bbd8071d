"""Peak memory of indexing one large ``.jsonl``: it must not grow with the file.

Writes JSON Lines files of increasing size (derStandard texts, repeated under fresh ids and
with a varying word so no two are duplicates), indexes each in a fresh subprocess and prints
the child's peak RSS. The smallest file is the baseline; bounded memory shows as a ratio near
1 while the file grows several times.

    python benchmarks/memory.py [--sizes 10,40,80]   # megabytes
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._shared import DATA, derstandard  # noqa: E402

CHILD = """
import resource, sys
from search import NewsIndex
idx = NewsIndex.create(sys.argv[2])
report = idx.update_from(sys.argv[1], workers=1)
print(report.articles, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_jsonl(path: Path, texts: list[str], megabytes: float) -> int:
    limit = int(megabytes * 1e6)
    written = n = 0
    with path.open("w", encoding="utf-8") as fh:
        while written < limit:
            text = texts[n % len(texts)]
            line = json.dumps(
                {"id": f"a{n}", "title": text[:80], "text": f"{text} Fall{n}."}, ensure_ascii=False
            )
            fh.write(line + "\n")
            written += len(line.encode()) + 1
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sizes", default="10,40,80", help="file sizes in MB, comma-separated")
    args = parser.parse_args()
    texts = [text for _label, text in derstandard(args.data)]

    print(f"{'file MB':>8}{'articles':>10}{'seconds':>9}{'peak RSS MB':>13}{'ratio':>8}")
    baseline = None
    for size in (float(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "src"
            src.mkdir()
            count = write_jsonl(src / "gross.jsonl", texts, size)
            t0 = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(src), str(Path(tmp) / "ix")],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
            secs = time.perf_counter() - t0
            articles, rss_kb = (int(x) for x in out.stdout.split())
            assert articles == count, (articles, count)
            rss = rss_kb / 1024
            baseline = baseline or rss
            print(f"{size:8.0f}{articles:10d}{secs:9.1f}{rss:13.0f}{rss / baseline:8.2f}")
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
