"""Compound splits kept in the index directory between runs (:mod:`search.split_cache`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import analyzers.analyzer
import analyzers.compounds as compounds
from search import NewsIndex, ZeitungError, split_cache

TEXTS = [
    "Die Gaspreisdeckel und Strompreisbremsen der Bundesregierung.",
    "Im Hochwasserschutzgebiet warten Feuerwehrleute auf Sandsäcke.",
    "Der Straßenbahnfahrer fährt durch die Fußgängerzone zum Hauptbahnhof.",
]


def forget_everything(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A process that never analysed a word; returns the list of words it splits."""
    for cache in analyzers.analyzer._CHUNKS.values():
        cache.clear()
    compounds._PARTS_CACHE.clear()
    monkeypatch.setattr(compounds, "_SEEDED", {})
    monkeypatch.setattr(compounds, "_MADE", None)
    split: list[str] = []
    real = compounds.word_parts

    def counting(raw: str):
        split.append(raw)
        return real(raw)

    monkeypatch.setattr(compounds, "word_parts", counting)
    return split


def write(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    rows = [{"id": f"a{n}", "title": "Meldung", "text": t} for n, t in enumerate(TEXTS)]
    (root / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")


def terms(idx: NewsIndex) -> list:
    with idx._ix.reader() as reader:
        return sorted(reader.all_terms())


def test_a_rebuild_splits_no_word_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, ix = tmp_path / "src", tmp_path / "ix"
    write(root)
    split = forget_everything(monkeypatch)
    first = NewsIndex.create(ix)
    first.update_from(root, workers=1)
    assert "Gaspreisdeckel" in split
    before = terms(first)
    first.close()
    assert split_cache.cache_file(ix).is_file()

    split = forget_everything(monkeypatch)
    again, _ = NewsIndex.rebuild(ix, root, workers=1)
    assert split == []  # every word's parts came from the kept splits
    assert terms(again) == before


def test_a_torn_cache_keeps_what_came_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forget_everything(monkeypatch)
    split_cache.append(tmp_path, {"Gaspreise": compounds.word_parts("Gaspreise")})
    with split_cache.cache_file(tmp_path).open("ab") as fh:
        fh.write(b"\x80\x05garbage")
    assert split_cache.load(tmp_path) == 1
    assert compounds._SEEDED["Gaspreise"] == compounds.word_parts("Gaspreise")


def test_another_signatures_cache_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forget_everything(monkeypatch)
    stale = tmp_path / ".splits-0000000000000000.pickle"
    stale.write_bytes(b"old")
    split_cache.append(tmp_path, {"Haus": []})
    assert not stale.exists() and split_cache.cache_file(tmp_path).exists()
    assert compounds.parts_signature() in split_cache.cache_file(tmp_path).name


def test_a_directory_with_only_the_kept_splits_takes_a_new_index(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    ix.mkdir()
    (ix / ".splits-0123456789abcdef.pickle").write_bytes(b"")
    NewsIndex.create(ix)  # its own leftovers do not make the directory someone else's
    other = tmp_path / "other"
    other.mkdir()
    (other / "artikel.txt").write_text("fremd")
    with pytest.raises(ZeitungError, match="holds no Zeitung index"):
        NewsIndex.create(other)
