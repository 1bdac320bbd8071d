"""Indexing throughput and index size through the product path, against plain Whoosh.

Takes the first ``--articles`` records of the generated archive (``make_corpus.py``; default
``/work/data/corpus-10k``, or ``--corpus DIR``), writes them as ``.jsonl`` files of
``--per-file`` records, and indexes them twice in the same run:

* the baseline, plain single-process Whoosh with ``LanguageAnalyzer("de")``, stored title
  and text, one writer, one commit;
* Zeitung, ``NewsIndex.update_from`` on those files (reading, German analysis with
  decompounding, duplicate check, commits), as ``zeitung index`` does.

It prints articles/s of both and their ratio, index size (× raw title + text), peak RSS, and
with ``--sizes`` where the bytes of the Zeitung index go (per file kind, per field, per token
kind). ``--profile FILE`` writes a cProfile of the Zeitung run.

    python benchmarks/indexing.py [--articles 10000] [--sizes] [--profile /tmp/z.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, TEXT, Schema

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from search import NewsIndex  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("ZEITUNG_CORPUS", "/work/data/corpus-10k"))


def read_records(corpus: Path, limit: int) -> list[dict]:
    """The first ``limit`` records of the ``.jsonl`` files of a generated corpus."""
    files = sorted(f for f in corpus.glob("*.jsonl") if not f.name.startswith("."))
    if not files:
        sys.exit(f"no .jsonl files in {corpus} (write one with benchmarks/make_corpus.py)")
    lines = (line for f in files for line in f.open(encoding="utf-8"))
    return [json.loads(line) for line in itertools.islice(lines, limit)]


def write_corpus(records: list[dict], out: Path, per_file: int) -> None:
    out.mkdir(parents=True)
    for n in range(0, len(records), per_file):
        with (out / f"part-{n // per_file:05d}.jsonl").open("w", encoding="utf-8") as fh:
            for rec in records[n : n + per_file]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def raw_bytes(records: list[dict]) -> int:
    """UTF-8 bytes of title + text: what "× raw" is measured against."""
    return sum(len((r.get("title") or "").encode()) + len(r["text"].encode()) for r in records)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def peak_rss_mb() -> float:
    """Peak RSS of this process and of its (waited-for) children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def cpu_seconds() -> float:
    """User + system CPU of this process and its waited-for children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def plain_whoosh(records: list[dict], path: Path) -> float:
    """Index with plain Whoosh + ``LanguageAnalyzer("de")``; returns seconds."""
    path.mkdir(parents=True)
    analyzer = LanguageAnalyzer("de")
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        text=TEXT(analyzer=analyzer, stored=True),
    )
    t0 = time.perf_counter()
    ix = whoosh_index.create_in(str(path), schema)
    writer = ix.writer(limitmb=128)
    for r in records:
        writer.add_document(id=r["id"], title=r.get("title") or "", text=r["text"])
    writer.commit()
    ix.close()
    return time.perf_counter() - t0


class Phases:
    """Wall seconds the main process spends waiting for the writer processes to finish their
    segments, and in merging + writing the table of contents, summed over the commits."""

    def __init__(self) -> None:
        import search.index
        import search.segment_workers

        self.finish = self.merge = 0.0
        self.commits = 0
        real_finish = search.segment_workers.SegmentWorkers.finish
        real_commit = search.index.commit_with
        phases = self

        def finish(workers):
            t0 = time.perf_counter()
            try:
                return real_finish(workers)
            finally:
                phases.finish += time.perf_counter() - t0

        def commit_with(writer, segments):
            t0 = time.perf_counter()
            try:
                return real_commit(writer, segments)
            finally:
                phases.merge += time.perf_counter() - t0
                phases.commits += 1

        search.segment_workers.SegmentWorkers.finish = finish
        search.index.commit_with = commit_with


def zeitung(src: Path, path: Path, workers: int | None, profile: Path | None) -> float:
    """Index through ``NewsIndex.update_from``; returns seconds."""
    phases = Phases()
    prof = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    idx = NewsIndex.create(path)
    if prof:
        prof.enable()
    report = idx.update_from(src, workers=workers)
    if prof:
        prof.disable()
        prof.dump_stats(str(profile))
    secs = time.perf_counter() - t0
    idx.close()
    print(f"  Zeitung report: {report.articles} written, {report.duplicates} folded")
    if phases.commits:
        print(
            f"  {phases.commits} commits: waiting for the writers' segments {phases.finish:.1f} s, "
            f"merging + table of contents {phases.merge:.1f} s (of {secs:.1f} s)"
        )
    return secs


def where_bytes(path: Path) -> None:
    """Per file kind and per field/token kind, where the index's bytes go."""
    kinds: Counter[str] = Counter()
    for f in path.iterdir():
        if f.is_file():
            kinds[f.suffix or f.name] += f.stat().st_size
    total = sum(kinds.values())
    print(f"  {'file kind':<14}{'MB':>8}{'share':>8}")
    for kind, size in kinds.most_common():
        print(f"  {kind:<14}{size / 1e6:8.2f}{size / total:8.1%}")
    ix = whoosh_index.open_dir(str(path))
    with ix.reader() as reader:
        terms: Counter[tuple[str, str]] = Counter()
        postings: Counter[tuple[str, str]] = Counter()
        for fieldname, btext in reader.all_terms():
            text = btext.decode("utf-8", "replace") if isinstance(btext, bytes) else str(btext)
            kind = {"=": "exact", "~": "spelling", "^": "lexical part", "\x01": "boundary"}.get(
                text[:1], "word/part"
            )
            info = reader.term_info(fieldname, btext)
            terms[fieldname, kind] += 1
            postings[fieldname, kind] += info.doc_frequency()
        print(f"  {'field, token kind':<30}{'terms':>10}{'postings':>12}")
        for key, n in postings.most_common():
            print(f"  {key[0] + ', ' + key[1]:<30}{terms[key]:>10,}{n:>12,}")
    ix.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--sizes", action="store_true", help="where the index's bytes go")
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()

    records = read_records(args.corpus, args.articles)
    raw = raw_bytes(records)
    work = Path(tempfile.mkdtemp(dir=args.workdir, prefix="indexing-"))
    try:
        src = work / "src"
        write_corpus(records, src, args.per_file)
        print(
            f"corpus: {len(records):,} articles of {args.corpus}, {raw / 1e6:.1f} MB of "
            f"title + text, {args.per_file} per .jsonl; load {os.getloadavg()[0]:.1f}"
        )
        base_dir, z_dir = work / "whoosh", work / "zeitung"
        cpu0 = cpu_seconds()
        base_secs = None if args.skip_baseline else plain_whoosh(records, base_dir)
        cpu1 = cpu_seconds()
        z_secs = zeitung(src, z_dir, args.workers, args.profile)
        cpu2 = cpu_seconds()
        print(f"CPU seconds: baseline {cpu1 - cpu0:.1f}, Zeitung {cpu2 - cpu1:.1f}")
        print(f"peak RSS: {peak_rss_mb():.0f} MB; load after {os.getloadavg()[0]:.1f}")
        print(f"{'indexing':<34}{'seconds':>9}{'art/s':>9}{'index MB':>10}{'× raw':>7}")
        rows = [("Zeitung (update_from)", z_secs, z_dir)]
        if base_secs is not None:
            rows.insert(0, ('plain Whoosh, LanguageAnalyzer("de")', base_secs, base_dir))
        for name, secs, path in rows:
            size = dir_size(path)
            print(
                f"{name:<34}{secs:9.2f}{len(records) / secs:9.0f}{size / 1e6:10.1f}"
                f"{size / raw:7.2f}"
            )
        if base_secs is not None:
            print(
                f"ratio Zeitung/baseline: {base_secs / z_secs:.2f}× the articles/s "
                f"(target ≥ 1.5), {dir_size(z_dir) / dir_size(base_dir):.2f}× the size"
            )
        if args.sizes:
            where_bytes(z_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
