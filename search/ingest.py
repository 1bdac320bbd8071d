"""Finding what changed in a directory of articles, and parsing it in parallel.

The index writer lives in :mod:`search.index`; this module only decides which files need
(re)reading and turns them into :class:`~search.model.Article` batches, using all cores.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from search.errors import ReadError
from search.locking import close_inherited_locks
from search.model import Article
from search.readers import BadRecord, is_supported, iter_articles

#: Files larger than this are parsed in the main process as a stream, never shipped whole
#: between processes (a 2 GB ``.jsonl`` must go through in bounded memory).
STREAM_THRESHOLD_BYTES = 32 * 1024 * 1024

#: A streamed file's articles are handed to the writer in chunks of this many.
STREAM_CHUNK_ARTICLES = 2000

#: Bad records kept per file for the report (all are counted).
MAX_BAD_RECORDS_KEPT = 100

#: Below this many files, a process pool costs more than it saves.
MIN_FILES_FOR_POOL = 8

#: Files per task sent to a parser process (many small files: fewer messages), and the
#: most bytes of files a task groups: a bigger file is a task of its own. Four 17 MB
#: ``.jsonl`` files made one task, so each parser and the main process held 40,000 parsed
#: articles at a time.
FILES_PER_TASK = 4
TASK_BYTES = 1024 * 1024

#: Parsed files wait in this process until they are written; at most this many bytes of
#: files are parsed ahead (besides one task per parser), so that this process does not
#: hold a whole archive's articles when parsing is faster than writing.
PARSE_AHEAD_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileState:
    """What identifies one version of a file: size, mtime and content hash."""

    size: int
    mtime_ns: int
    sha1: str

    def encode(self) -> str:
        return f"{self.size}:{self.mtime_ns}:{self.sha1}"

    @classmethod
    def decode(cls, text: str) -> FileState:
        size, mtime_ns, sha1 = text.split(":", 2)
        return cls(int(size), int(mtime_ns), sha1)

    def same_stat(self, other: FileState) -> bool:
        return self.size == other.size and self.mtime_ns == other.mtime_ns


@dataclass(slots=True)
class Plan:
    """The files to read and the indexed paths to drop, from comparing disk with the index."""

    to_read: list[tuple[Path, FileState]] = field(default_factory=list)
    to_remove: list[str] = field(default_factory=list)
    unchanged: int = 0
    unsupported: list[str] = field(default_factory=list)
    #: Paths the index holds something for that are read again (their old documents go).
    updated_paths: set[str] = field(default_factory=set)
    #: Unchanged files read again because a copy of theirs was folded into a changed one.
    refold: set[str] = field(default_factory=set)

    def read_again(self, key: str) -> None:
        """Read an unchanged file again (its articles' kept copies are going away)."""
        path = Path(key)
        try:
            state = stat_state(path, file_sha1(path))
        except OSError:
            return
        self.to_read.append((path, state))
        self.updated_paths.add(key)
        self.refold.add(key)  # still counted as unchanged


def file_sha1(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def stat_state(path: Path, sha1: str = "") -> FileState:
    st = path.stat()
    return FileState(st.st_size, st.st_mtime_ns, sha1)


def walk_files(root: Path) -> Iterator[Path]:
    """Every regular file below ``root`` (or ``root`` itself), hidden ones left out, sorted."""
    if not root.is_dir():  # a file, or a broken symlink (reported when it is read)
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def plan_update(
    root: Path,
    indexed: dict[str, FileState],
    *,
    rebuild: bool = False,
    partial: Iterable[str] = (),
) -> Plan:
    """Compare the files under ``root`` with what the index holds for them.

    :param indexed: absolute path -> state, for the files the index already holds.
    :param rebuild: read every file again, whatever the index holds.
    :param partial: paths whose indexing was interrupted after a commit inside the file:
        read again from the start, replacing what was committed of them.
    """
    partial = set(partial)
    plan = Plan()
    root = root.resolve()
    seen: set[str] = set()
    for path in walk_files(root):
        key = str(path)  # below the resolved root; a symlink is known by its own path
        if not is_supported(path):
            plan.unsupported.append(key)
            continue
        seen.add(key)
        old = indexed.get(key)
        rebuild_this = rebuild or key in partial
        try:
            state = stat_state(path)
            if old is not None and not rebuild_this and old.same_stat(state):
                plan.unchanged += 1
                continue
            state = stat_state(path, file_sha1(path))
        except OSError as exc:
            plan.to_read.append((path, FileState(0, 0, f"unreadable:{exc.strerror}")))
            continue
        if old is not None and not rebuild_this and old.sha1 == state.sha1:
            plan.unchanged += 1
            continue
        if old is not None or key in partial:
            plan.updated_paths.add(key)
        plan.to_read.append((path, state))
    prefix = str(root) + os.sep
    for key in indexed:
        if (key == str(root) or key.startswith(prefix)) and key not in seen:
            plan.to_remove.append(key)
    return plan


@dataclass(slots=True)
class ParsedFile:
    """The outcome of reading one file: its articles, or the reason it was skipped."""

    path: Path
    state: FileState
    articles: list[Article] = field(default_factory=list)
    error: str | None = None
    #: False for all but the last chunk of a streamed file.
    final: bool = True
    #: Records skipped in this file (or chunk): the first :data:`MAX_BAD_RECORDS_KEPT`.
    bad_records: list[BadRecord] = field(default_factory=list)
    #: How many records were skipped, kept or not.
    bad_count: int = 0


class _BadRecords:
    """Collects a file's bad records as its reader skips them (a few kept, all counted)."""

    def __init__(self) -> None:
        self.kept: list[BadRecord] = []
        self.count = 0

    def __call__(self, bad: BadRecord) -> None:
        self.count += 1
        if len(self.kept) < MAX_BAD_RECORDS_KEPT:
            self.kept.append(bad)

    def into(self, parsed: ParsedFile) -> ParsedFile:
        """Hand what was collected so far to ``parsed`` and start again."""
        parsed.bad_records, parsed.bad_count = self.kept, self.count
        self.kept, self.count = [], 0
        return parsed


def _init_worker() -> None:
    """Make a parser process harmless to its parent's locks, and let it die with the parent."""
    close_inherited_locks()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


_PR_SET_PDEATHSIG = 1


def _parse_one(job: tuple[Path, FileState, Path]) -> ParsedFile:
    path, state, root = job
    bad = _BadRecords()
    try:
        return bad.into(ParsedFile(path, state, list(iter_articles(path, root, bad))))
    except ReadError as exc:
        return ParsedFile(path, state, error=str(exc))
    except OSError as exc:
        return ParsedFile(path, state, error=exc.strerror or str(exc))
    except Exception as exc:  # a reader bug must not stop the run; report it per file
        return ParsedFile(path, state, error=f"unexpected {type(exc).__name__}: {exc}")


def parse_files(
    jobs: Iterable[tuple[Path, FileState]], root: Path, *, workers: int | None = None
) -> Iterator[ParsedFile]:
    """Parse files on all cores; results come back in the order of *jobs*.

    Large files are streamed in this process instead (see :data:`STREAM_THRESHOLD_BYTES`):
    their articles are yielded in chunks so memory stays bounded.
    """
    small: list[tuple[Path, FileState, Path]] = []
    large: list[tuple[Path, FileState]] = []
    for path, state in jobs:
        if state.size > STREAM_THRESHOLD_BYTES:
            large.append((path, state))
        else:
            small.append((path, state, root))
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(small) >= MIN_FILES_FOR_POOL:
        tasks = list(parse_tasks(small, FILES_PER_TASK, TASK_BYTES))
        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with ctx.Pool(workers, initializer=_init_worker) as pool:
            for parsed in parse_ahead(pool, _parse_many, tasks, workers, PARSE_AHEAD_BYTES):
                yield from parsed
    else:
        for job in small:
            yield _parse_one(job)
    for path, state in large:
        yield from _stream_large(path, state, root)


def parse_tasks(
    jobs: list[tuple[Path, FileState, Path]], most_files: int, most_bytes: int
) -> Iterator[tuple[list[tuple[Path, FileState, Path]], int]]:
    """Consecutive *jobs* grouped into ``(group, bytes)`` tasks of at most *most_files*
    files whose sizes add up to at most *most_bytes* (a bigger file alone), in order."""
    group: list[tuple[Path, FileState, Path]] = []
    size = 0
    for job in jobs:
        job_size = job[1].size
        if group and (len(group) >= most_files or size + job_size > most_bytes):
            yield group, size
            group, size = [], 0
        group.append(job)
        size += job_size
    if group:
        yield group, size


def parse_ahead(
    pool: multiprocessing.pool.Pool,
    parse: Callable,
    tasks: Iterable[tuple[object, int]],
    parallel: int,
    budget: int,
) -> Iterator:
    """``parse(task)`` for each ``(task, size)`` on *pool*, results in task order.

    Tasks are sent ahead of the consumer while their sizes add up to at most *budget*
    (and always *parallel* of them, so every process has work): what waits to be consumed
    stays bounded, unlike ``Pool.imap``, which sends every task at once.
    """
    pending: deque = deque()
    waiting = 0
    tasks = iter(tasks)
    upcoming = next(tasks, None)
    while upcoming is not None or pending:
        while upcoming is not None and (len(pending) < parallel or waiting + upcoming[1] <= budget):
            task, size = upcoming
            pending.append((pool.apply_async(parse, (task,)), size))
            waiting += size
            upcoming = next(tasks, None)
        result, size = pending.popleft()
        waiting -= size
        yield result.get()


def _parse_many(jobs: list[tuple[Path, FileState, Path]]) -> list[ParsedFile]:
    return [_parse_one(job) for job in jobs]


def _stream_large(path: Path, state: FileState, root: Path) -> Iterator[ParsedFile]:
    chunk = STREAM_CHUNK_ARTICLES
    batch: list[Article] = []
    bad = _BadRecords()
    try:
        for article in iter_articles(path, root, bad):
            batch.append(article)
            if len(batch) >= chunk:
                yield bad.into(ParsedFile(path, state, batch, final=False))
                batch = []
    except (ReadError, OSError) as exc:
        yield bad.into(ParsedFile(path, state, batch, error=str(exc)))
        return
    yield bad.into(ParsedFile(path, state, batch))
