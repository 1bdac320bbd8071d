"""Writing index segments in worker processes, so analysis and postings use every core.

German analysis (decompounding above all) and Whoosh's segment flush are nearly all of the
cost of indexing, and both are per document: each :class:`SegmentWorkers` process keeps a
Whoosh ``SegmentWriter`` of its own for the documents it is sent, and at a commit hands
back the finished segment; the main process keeps the writer that deletes, merges and
writes the table of contents (:func:`commit_with`). The processes live for the whole run,
so their per-process analysis caches stay warm from one commit to the next.

Documents go to the workers round-robin in fixed chunks, so which segment (and document
number) a document gets depends only on the order of the input, as with one writer.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from analyzers import load_tables
from search import split_cache
from search.codec import InliningCodec
from search.errors import ZeitungError
from search.locking import close_inherited_locks

#: Documents per message to a worker (fewer: more messages; more: a ragged last chunk).
CHUNK_DOCS = 50


def _worker_main(conn: Connection, index_dir: str, limitmb: int, splits_dir: str) -> None:
    """A worker's loop: add documents to a private segment until told to finish it."""
    close_inherited_locks()
    _die_with_parent()
    split_cache.load(Path(splits_dir))
    ix = FileStorage(index_dir, supports_mmap=False).open_index()
    writer: SegmentWriter | None = None
    error: str | None = None
    while True:
        message = conn.recv()
        if message is None:
            break
        command, payload = message
        if command == "add":
            if error is not None:
                continue
            try:
                if writer is None:
                    writer = SegmentWriter(
                        ix, _lk=False, limitmb=limitmb, compound=False, codec=InliningCodec()
                    )
                for doc in payload:
                    writer.add_document(**doc)
            except Exception:
                error = traceback.format_exc()
        elif command == "finish":
            try:
                if error is not None:
                    conn.send(("error", error))
                elif writer is None or not writer._added:
                    conn.send(("segment", (None, split_cache.new_splits())))
                else:
                    segment = writer._finalize_segment()
                    writer.is_closed = True
                    conn.send(("segment", (segment, split_cache.new_splits())))
            except Exception:
                conn.send(("error", traceback.format_exc()))
            finally:
                _drop(writer)
                writer, error = None, None
        elif command == "cancel":
            _drop(writer)
            writer, error = None, None
            conn.send(("cancelled", None))
    ix.close()


def _drop(writer: SegmentWriter | None) -> None:
    """Close a worker's writer without :meth:`SegmentWriter._finish`, which would delete
    the temporary directory that all writers of the index share (the main writer's commit
    does that, once every worker is done)."""
    if writer is None or writer.is_closed:
        return
    try:
        writer._close_segment()
    except Exception:
        pass
    writer.is_closed = True


def _die_with_parent() -> None:
    """Let a worker die with the main process (a killed indexer leaves no orphan)."""
    from search.ingest import _init_worker

    _init_worker()


class SegmentWorkers:
    """Processes that each write a segment of the documents they are sent."""

    def __init__(self, index_dir: Path, procs: int, limitmb: int, splits_dir: Path) -> None:
        self._args = (str(index_dir), limitmb, str(splits_dir))
        self._count = procs
        self._conns: list[Connection] = []
        self._procs: list = []
        self._buffer: list[dict] = []
        self._next = 0
        #: Compound splits the workers made, handed back with their segments.
        self.splits: dict = {}

    def _start(self) -> None:
        """Start the processes, at the first document: the file parsers (forked for the
        first file) have then been forked from this process while it was still small, and
        the writers fork after the analysis tables are loaded, to share them."""
        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        if ctx.get_start_method() == "fork":
            share_tables()
        for _ in range(self._count):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(child, *self._args), daemon=True)
            proc.start()
            child.close()
            self._conns.append(parent)
            self._procs.append(proc)

    def add(self, doc: dict) -> None:
        if not self._procs:
            self._start()
        self._buffer.append(doc)
        if len(self._buffer) >= CHUNK_DOCS:
            self._send()

    def _send(self) -> None:
        if not self._buffer:
            return
        self._conns[self._next].send(("add", self._buffer))
        self._next = (self._next + 1) % len(self._conns)
        self._buffer = []

    def finish(self) -> list:
        """The segments the workers wrote since the last finish (they start new ones)."""
        if not self._procs:
            return []
        self._send()
        self._next = 0
        for conn in self._conns:
            conn.send(("finish", None))
        segments, errors = [], []
        for conn in self._conns:
            kind, value = self._receive(conn)
            if kind == "error":
                errors.append(value)
                continue
            segment, splits = value
            self.splits.update(splits)
            if segment is not None:
                segments.append(segment)
        if errors:
            raise ZeitungError("an index writer process failed:\n" + errors[0])
        return segments

    def cancel(self) -> None:
        """Drop what the workers wrote since the last finish."""
        self._buffer = []
        self._next = 0
        for conn in self._conns:
            try:
                conn.send(("cancel", None))
            except OSError:
                continue
        for conn in self._conns:
            try:
                self._receive(conn)
            except ZeitungError:
                pass

    def _receive(self, conn: Connection) -> tuple[str, object]:
        proc = self._procs[self._conns.index(conn)]
        while not conn.poll(1.0):
            if not proc.is_alive():
                raise ZeitungError(f"an index writer process died (exit code {proc.exitcode})")
        try:
            return conn.recv()
        except EOFError:
            raise ZeitungError("an index writer process died") from None

    def close(self) -> None:
        for conn in self._conns:
            try:
                conn.send(None)
            except OSError:
                pass
        for proc in self._procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
        for conn in self._conns:
            conn.close()


def share_tables() -> None:
    """Load the analysis tables in this process before it forks workers, out of the
    garbage collector's walk, so that every worker reads the same pages.

    Each writer process would otherwise build the lexicon, the lemma tables and wordfreq's
    list itself (~200 MB each); loaded once before the fork they are shared copy on write,
    and frozen (:func:`gc.freeze`) so that no collection in a child writes to their object
    headers and copies the pages after all.
    """
    load_tables()
    gc.collect()
    gc.freeze()


def commit_with(writer: SegmentWriter, segments: list) -> None:
    """Commit ``writer`` (its deletions, its own documents, merging small segments as
    its plain commit does) with the workers' ``segments`` added to the index."""
    writer._check_state()
    try:
        final = writer._merge_segments(None, None, None)
        if writer._added:
            final.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(final + segments)
    except Exception:
        writer._cleanup_on_error()
        raise
    writer._finish()
