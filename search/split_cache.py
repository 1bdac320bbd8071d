"""The compound splits of earlier runs, kept in the index directory.

Splitting a word it has not seen is most of what German analysis costs on first sight
(about 0.15-0.35 ms a word), and an archive's words are mostly old words: a word's parts
never change for a given lexicon and analysis code (:func:`analyzers.compounds.parts_signature`),
so each commit appends the splits its run made to a file in the index directory, and the
next run (an update, a rebuild) starts with them. The file is a series of pickled dicts;
a torn last one (a crash while appending) is ignored. Another signature's file is removed.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from analyzers.compounds import parts_signature, seed_parts, take_new_parts

#: At most this many words are kept (and loaded into each writing process): bounded memory.
MAX_WORDS = 400_000

_PREFIX = ".splits-"


def is_cache_name(name: str) -> bool:
    """Is this file name one of the split caches (of any signature)?"""
    return name.startswith(_PREFIX) and name.endswith(".pickle")


def cache_file(index_dir: Path) -> Path:
    return index_dir / f"{_PREFIX}{parts_signature()}.pickle"


def load(index_dir: Path) -> int:
    """Seed this process's splitter with the kept splits; returns how many words."""
    path = cache_file(index_dir)
    known: dict = {}
    try:
        with path.open("rb") as fh:
            while len(known) < MAX_WORDS:
                known.update(pickle.load(fh))
    except FileNotFoundError:
        pass
    except (EOFError, pickle.UnpicklingError, ValueError, TypeError, OSError):
        pass  # the end of the file, or a torn last record: what came before is good
    seed_parts(known)
    return len(known)


def new_splits() -> dict:
    """The splits this process made since it last asked."""
    return take_new_parts()


def append(index_dir: Path, splits: dict) -> None:
    """Keep ``splits`` for later runs (up to :data:`MAX_WORDS` words in all)."""
    if not splits:
        return
    path = cache_file(index_dir)
    for old in index_dir.glob(_PREFIX + "*"):
        if old != path:
            old.unlink(missing_ok=True)
    try:
        if path.exists() and path.stat().st_size > MAX_WORDS * 120:
            return  # about full (some 100 bytes a word): the next runs read what is there
        with path.open("ab") as fh:
            pickle.dump(splits, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass  # a cache: indexing goes on without it
