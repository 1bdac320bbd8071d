"""What the index knows about the files it was built from, between runs.

Three sources, each for what the others cannot hold:

* the ``file_state`` term on every document (``path<TAB>size:mtime:sha1``), committed
  atomically with the file's articles: authoritative for files that have documents, but
  only for *live* ones (Whoosh keeps the terms of deleted documents in the lexicon until a
  merge);
* :class:`FileRecords`, a small JSON file beside the segments: files that store no document
  (every article folded into another file's, no articles, unreadable content) and which
  files' articles were folded into which, so that removing the kept copy brings the folded
  one back;
* :class:`PartialFiles`: files committed in part, to be read again from the start.

Both JSON files are written after the commit they describe; a crash between the two errs
towards reading a file again, never towards missing one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.reading import IndexReader

from search.ingest import FileState

PARTIAL_FILES_NAME = "zeitung-partial.json"
FILE_RECORDS_NAME = "zeitung-files.json"


@dataclass(frozen=True, slots=True)
class KnownFile:
    """One file as the index remembers it."""

    state: FileState
    #: Whether it gave articles (stored, or all folded into other files' copies).
    had_articles: bool


def live_file_states(reader: IndexReader) -> dict[str, FileState | None]:
    """Path -> state from the ``file_state`` terms of live documents.

    None for a path whose live documents disagree on the state (read it again).
    """
    states: dict[str, FileState | None] = {}
    for leaf, _ in reader.leaf_readers():
        if leaf.doc_count_all() == 0 or "file_state" not in leaf.schema:
            continue
        # Only the paths of deleted documents need their postings looked at (usually few).
        suspects = (
            {leaf.stored_fields(docnum).get("path") for docnum in leaf.deleted_docs_set}
            if leaf.has_deletions()
            else set()
        )
        for term in leaf.lexicon("file_state"):
            path, _, encoded = term.decode("utf-8").partition("\t")
            if path in suspects and not leaf.postings("file_state", term).is_active():
                continue  # only deleted documents carry it
            try:
                state: FileState | None = FileState.decode(encoded)
            except ValueError:
                state = None
            if path in states and states[path] != state:
                state = None
            states[path] = state
    return states


def _write_json(file: Path, data: object) -> None:
    """Replace ``file`` with ``data`` in one step (write aside, fsync, rename)."""
    tmp = file.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, file)


class FileRecords:
    """Files without documents, and folded copies' owners, kept in ``zeitung-files.json``.

    ``files``: path -> ``{"state": "size:mtime:sha1", "articles": bool}`` for files that store
    no document. ``folded``: path -> the paths whose articles its folded copies went to.
    """

    def __init__(self, index_dir: Path) -> None:
        self.file = index_dir / FILE_RECORDS_NAME
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            self.files: dict[str, dict] = dict(data.get("files", {}))
            self.folded: dict[str, list[str]] = dict(data.get("folded", {}))
        except (OSError, ValueError, TypeError, AttributeError):
            self.files, self.folded = {}, {}
        self._dirty = False

    def known(self, live: dict[str, FileState | None]) -> dict[str, KnownFile]:
        """Every file the index knows: live documents first, then these records."""
        known = {path: KnownFile(state, True) for path, state in live.items() if state}
        for path, record in self.files.items():
            if path in live:
                continue  # documents are authoritative (a record can lag behind a crash)
            try:
                known[path] = KnownFile(FileState.decode(record["state"]), record["articles"])
            except (KeyError, ValueError, TypeError):
                continue
        return known

    def dependents(self, changed: Iterable[str]) -> set[str]:
        """Files with copies folded into one of ``changed`` (to read again)."""
        changed = set(changed)
        return {
            p for p, owners in self.folded.items() if p not in changed and changed & set(owners)
        }

    def record(self, path: str, state: FileState | None, *, articles: bool, stored: bool) -> None:
        """Remember what reading ``path`` gave (``state`` None: do not remember it)."""
        if stored or state is None:
            changed = self.files.pop(path, None) is not None
        else:
            entry = {"state": state.encode(), "articles": articles}
            changed = self.files.get(path) != entry
            self.files[path] = entry
        self._dirty |= changed

    def set_folded(self, path: str, owners: Iterable[str]) -> None:
        owners = sorted(set(owners) - {path})
        if owners:
            self._dirty |= self.folded.get(path) != owners
            self.folded[path] = owners
        elif self.folded.pop(path, None) is not None:
            self._dirty = True

    def forget(self, path: str) -> None:
        self._dirty |= self.files.pop(path, None) is not None
        self._dirty |= self.folded.pop(path, None) is not None

    def save(self) -> None:
        if not self._dirty:
            return
        if self.files or self.folded:
            _write_json(self.file, {"files": self.files, "folded": self.folded})
        else:
            self.file.unlink(missing_ok=True)
        self._dirty = False


class PartialFiles:
    """The files whose indexing was committed in part, kept in a small file in the index.

    A big streamed file is committed every few thousand articles, but its documents carry
    the file's final state from the first chunk on; without this record an interrupted file
    would look complete to the next run. A path is added *before* the commit that makes part
    of it visible and removed only *after* the commit that finishes it, so a crash at any
    point errs towards reading a file again, never towards missing its end.
    """

    def __init__(self, index_dir: Path) -> None:
        self.file = index_dir / PARTIAL_FILES_NAME
        try:
            self.paths: set[str] = set(json.loads(self.file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            self.paths = set()

    def add(self, path: str) -> None:
        if path not in self.paths:
            self.paths.add(path)
            self._save()

    def discard(self, paths: Iterable[str]) -> None:
        if self.paths & set(paths):
            self.paths -= set(paths)
            self._save()

    def _save(self) -> None:
        if not self.paths:
            self.file.unlink(missing_ok=True)
            return
        _write_json(self.file, sorted(self.paths))
