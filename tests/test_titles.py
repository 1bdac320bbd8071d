"""Titles in the index: a derived title is for display only; the ranking version is recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import NewsIndex
from search.errors import IndexIncompatible
from search.model import Article
from search.query import RANKING_VERSION
from search.readers.records import record_fields


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (path / "feed.jsonl").write_text(lines, encoding="utf-8")
    return path


def test_a_record_without_title_gets_a_derived_one_for_display() -> None:
    fields = record_fields({"id": "a", "text": "Gaspreise steigen.\nMehr dazu."})
    assert fields["title"] == "Gaspreise steigen."
    assert fields["title_derived"] is True
    assert record_fields({"title": "Echt", "text": "x"})["title_derived"] is False


def test_a_derived_title_is_shown_and_marked_but_not_searchable(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "src", [
        {"id": "a", "text": "Kasachstan meldet Unruhen.\nDie Regierung tritt zurück."},
        {"id": "b", "title": "Unruhen in Almaty", "text": "Die Lage bleibt angespannt."},
    ])  # fmt: skip
    idx = NewsIndex.create(tmp_path / "ix")
    idx.update_from(src, workers=1)
    hits = {h.id: h for h in idx.search("Unruhen", match="any")}
    derived, real = hits["a"], hits["b"]
    assert derived.title == "Kasachstan meldet Unruhen."
    assert derived.title_derived is True
    assert derived.to_dict()["title_derived"] is True
    assert real.title_derived is False and real.to_dict()["title_derived"] is False
    # The derived title holds "Kasachstan", but no title terms were indexed for it.
    assert [h.id for h in idx.search("titel:Kasachstan")] == []
    assert [h.title for h in idx.search("titel:Almaty")] == ["Unruhen in Almaty"]
    article = idx.get("a")
    assert article.title == "Kasachstan meldet Unruhen." and article.title_derived
    assert article.to_dict()["title_derived"] is True


WORDS = ["Gas", "Preis", "Kiew", "Hafen", "Getreide", "Regierung", "Wahl", "Streik", "Bahn"]
texts = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=texts, query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
def test_derived_titles_change_neither_matches_nor_ranking(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], query: list[str]
) -> None:
    """Records without titles rank exactly as the same articles with empty titles."""
    root = tmp_path_factory.mktemp("derived")
    records = [{"id": f"r{i}", "text": t} for i, t in enumerate(texts)]
    via_reader = NewsIndex.create(root / "a")
    via_reader.update_from(write_jsonl(root / "src", records), workers=1)
    reference = NewsIndex.create(root / "b")
    reference.add_articles(Article(id=r["id"], title="", text=r["text"]) for r in records)
    for match in ("any", "all"):
        got = [(h.id, round(h.score, 6)) for h in via_reader.search(" ".join(query), match=match)]
        want = [(h.id, round(h.score, 6)) for h in reference.search(" ".join(query), match=match)]
        assert got == want
    via_reader.close()
    reference.close()


def test_an_index_records_its_ranking_version(tmp_path: Path) -> None:
    idx = NewsIndex.create(tmp_path / "ix")
    idx.add_articles([Article(id="a", title="Gaspreise", text="Der Preis für Gas steigt.")])
    idx.close()
    reopened = NewsIndex.open(tmp_path / "ix")
    assert reopened._ix.schema.ranking_version == RANKING_VERSION
    reopened.close()


def test_an_index_of_another_ranking_version_is_refused(tmp_path: Path) -> None:
    """Titles weighted at indexing time differently would rank differently in silence."""
    from whoosh.filedb.filestore import FileStorage

    from search.schema import build_schema

    (tmp_path / "ix").mkdir()
    FileStorage(str(tmp_path / "ix")).create_index(build_schema()).close()  # no version: 1
    with pytest.raises(IndexIncompatible, match="ranking version 1.*--rebuild"):
        NewsIndex.open(tmp_path / "ix")
    rebuilt = NewsIndex.create(tmp_path / "ix")
    rebuilt.add_articles([Article(id="a", title="T", text="Text")])
    rebuilt.close()
    assert len(NewsIndex.open(tmp_path / "ix")) == 1
