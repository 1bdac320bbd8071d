"""``stats`` names a source as search shows it (issue 15, item 14: ``mnd`` there, ``MND`` in
search)."""

from __future__ import annotations

from pathlib import Path

from search import Article, NewsIndex


def test_stats_and_search_spell_a_source_alike(tmp_path: Path) -> None:
    idx = NewsIndex.create(tmp_path / "ix")
    idx.add_articles(
        [
            Article(id="a", title="Hochwasser", text="Das Hochwasser steigt.", source="MND"),
            Article(id="b", title="Pegel", text="Der Pegel fällt.", source="MND"),
        ]
    )
    (hit,) = idx.search("Hochwasser", snippets=None)
    assert hit.source == "MND"
    assert idx.stats().sources == {"MND": 2}
