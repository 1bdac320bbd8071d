"""Replacing a whole index in one step: build it aside, then switch the table of contents.

``zeitung index --rebuild`` builds a fresh index in ``<index>/.rebuild`` (committing in
batches there, so memory stays bounded) while readers keep using the old one. At the end
the new segments' files are moved beside the old ones and a new generation of the table of
contents (Whoosh's ``_MAIN_<n>.toc``, written to a temporary name and renamed) lists only
them: a reader opens either the old index or the new one, never a mix or an empty one. A
rebuild killed before that rename leaves the old index as it was; the leftovers are removed
by the next rebuild (or, for moved segment files, by the next commit's clean-up).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import _DEF_INDEX_NAME, TOC, clean_files

#: Where a rebuild builds its index, inside the index directory (hidden: Whoosh's clean-up
#: and Zeitung's own file listings leave dot-names alone).
REBUILD_DIR = ".rebuild"


def swap_in(aside: Path, target: Path, *, carry: Iterable[str] = ()) -> None:
    """Make the index built in ``aside`` the index of ``target``, in one rename.

    :param carry: names of bookkeeping files to move along (and to drop from ``target``
        when ``aside`` has none), after the switch.
    """
    storage = FileStorage(str(aside), supports_mmap=False)
    toc = TOC.read(storage, _DEF_INDEX_NAME)
    segments = toc.segments
    names = {segment.segment_id() for segment in segments}
    pattern = TOC._segment_pattern(_DEF_INDEX_NAME)
    for name in os.listdir(aside):
        m = pattern.match(name)
        if m and m.group(1) in names:
            os.replace(aside / name, target / name)
    target_storage = FileStorage(str(target), supports_mmap=False)
    generation = TOC._latest_generation(target_storage, _DEF_INDEX_NAME) + 1
    TOC(toc.schema, segments, generation).write(target_storage, _DEF_INDEX_NAME)
    # The switch is done; what follows only tidies up (a crash here loses nothing).
    clean_files(target_storage, _DEF_INDEX_NAME, generation, segments)
    for name in carry:
        if (aside / name).exists():
            os.replace(aside / name, target / name)
        else:
            (target / name).unlink(missing_ok=True)
    shutil.rmtree(aside, ignore_errors=True)


def fresh_aside(target: Path) -> Path:
    """An empty directory for a rebuild of ``target`` (a killed rebuild's leftovers gone)."""
    aside = target / REBUILD_DIR
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir(parents=True)
    return aside
