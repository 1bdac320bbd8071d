"""Phrase slots find the forms of words whose stem comes through a lemma.

The stem of *ging* is that of *gehen* (``geh``) and does not begin the form; a phrase slot
that looked only for forms starting with the stem lost such words (found when the lemma
stemmer and the strict phrases met: ``"Öl"`` no longer found *Öl*).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search import Article, NewsIndex


@pytest.fixture(scope="module")
def idx(tmp_path_factory: pytest.TempPathFactory) -> NewsIndex:
    index = NewsIndex.create(Path(tmp_path_factory.mktemp("lemma")) / "ix")
    index.add_articles(
        [
            Article(id="oel", title="Markt", text="Der Gaspreisdeckel und das Öl"),
            Article(id="ging", title="Weg", text="Er ging nach Hause. Sie sind gegangen."),
            Article(id="gas", title="Preise", text="Die Preise für Gas steigen"),
        ]
    )
    return index


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"Öl"', {"oel"}),
        ('"das Öl"', {"oel"}),
        ('"ging nach"', {"ging"}),
        ('"gehen nach"', {"ging"}),
        ('"sind gegangen"', {"ging"}),
        ('"Preis für Gas"', {"gas"}),
    ],
)
def test_phrase_finds_lemma_stemmed_forms(idx: NewsIndex, query: str, expected: set[str]) -> None:
    assert {hit.id for hit in idx.search(query, limit=None, snippets=None)} == expected
