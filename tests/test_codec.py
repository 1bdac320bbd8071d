"""The index codec keeps one-document terms' postings in the term dictionary
(:mod:`search.codec`), and every kind of query still finds them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import search.index
from search import NewsIndex

ARTICLES = [
    {
        "id": "a1",
        "title": "Zwergpinguin entkommt",
        "text": "Der Zwergpinguin Kasimir floh aus dem Zoo.",
    },
    {"id": "a2", "title": "Zoo", "text": "Im Zoo gibt es Pinguine und Löwen."},
    {"id": "a3", "title": "Löwen", "text": "Die Löwen im Zoo schlafen viel, die Pinguine nicht."},
]


def build(root: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch) -> NewsIndex:
    if parallel:
        monkeypatch.setattr(search.index, "PARALLEL_MIN_BYTES", 0)
    src = root / "src"
    src.mkdir()
    (src / "a.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    idx = NewsIndex.create(root / "ix")
    idx.update_from(src, workers=2 if parallel else 1)
    return idx


@pytest.mark.parametrize("parallel", [False, True])
def test_rare_terms_are_inlined_and_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    idx = build(tmp_path, parallel, monkeypatch)
    with idx._ix.reader() as reader:
        inlined = {
            (field, text)
            for field, text in reader.all_terms()
            if reader.term_info(field, text).is_inlined()
        }
        assert ("text", b"kasimir") in inlined  # one document
        assert ("text", b"zoo") not in inlined  # three
    expect = {
        "Kasimir": ["a1"],
        '"Zwergpinguin Kasimir"': ["a1"],
        '"Kasimir floh"~2': ["a1"],
        "Kasim*": ["a1"],
        "=Kasimir": ["a1"],
        "Kasimir NEAR/5 Zoo": ["a1"],
        "titel:entkommt": ["a1"],
        "Zoo NICHT Kasimir": ["a2", "a3"],
    }
    for query, ids in expect.items():
        result = idx.search(query, limit=None)
        assert sorted(h.id for h in result.hits) == ids, query
        assert result.total == len(ids), query
    snippet = idx.search("Kasimir").hits[0].snippets[0]
    assert [snippet.text[a:b] for a, b in snippet.highlights] == ["Kasimir"]


def test_inlined_terms_survive_a_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    idx = build(tmp_path, True, monkeypatch)
    search.index._writer(idx._ix).commit(optimize=True)  # every segment read and rewritten
    idx = NewsIndex.open(tmp_path / "ix")
    assert len(idx._ix._segments()) == 1
    for query, ids in {"Kasimir": ["a1"], "Löwen": ["a2", "a3"], "=Kasimir": ["a1"]}.items():
        assert sorted(h.id for h in idx.search(query, limit=None).hits) == ids, query
