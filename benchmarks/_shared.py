"""Helpers shared by the benchmarks: where the external data lives, table printing."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Override with ZEITUNG_DATA=/path/to/data.
DATA = Path(os.environ.get("ZEITUNG_DATA", REPO.parent / "shared" / "data"))


def data_file(relative: str) -> Path:
    """A file under the external data folder; exits with a message when it is missing."""
    path = DATA / relative
    if not path.exists():
        sys.exit(f"missing {path} (set ZEITUNG_DATA to the shared data folder)")
    return path


def derstandard(data: Path | None = None) -> list[tuple[str, str]]:
    """The 1,028 (label, text) rows of 10kGNAD's test split: ``label;'text'`` per line."""
    path = (data / "10kgnad" / "test.csv") if data else data_file("10kgnad/test.csv")
    if not path.is_file():
        sys.exit(f"missing {path} (set ZEITUNG_DATA to the shared data folder)")
    with path.open(encoding="utf-8", newline="") as f:
        return [
            (row[0], row[1]) for row in csv.reader(f, delimiter=";", quotechar="'") if len(row) > 1
        ]


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    """Print rows as a plain aligned table (floats with three decimals)."""
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
