"""Issue 16: stems through lemmas, and the lemma operator ``&Wort`` through the public API."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers import stem
from analyzers.lemmas import forms_of
from search import NewsIndex

#: (query lemma, a form no suffix rule reaches): irregular verbs, strong and umlaut plurals.
IRREGULAR = [
    ("gehen", "ging"),
    ("gehen", "gegangen"),
    ("gehen", "geht"),
    ("Mutter", "Mütter"),
    ("nehmen", "nahm"),
    ("nehmen", "genommen"),
    ("bringen", "brachte"),
    ("schreiben", "schrieb"),
    ("fahren", "fuhr"),
    ("sehen", "sah"),
    ("Haus", "Häuser"),
    ("Buch", "Bücher"),
    ("Arzt", "Ärzte"),
    ("Stadt", "Städte"),
]


@pytest.mark.parametrize(("lemma", "form"), IRREGULAR)
def test_forms_of_lists_irregular_forms(lemma, form):
    from analyzers import normalize_word

    assert normalize_word(form) in forms_of(lemma)


@pytest.mark.parametrize(
    ("lemma", "form"), [(lem, f) for lem, f in IRREGULAR if f != "fuhr"]
)  # fuhr folds like führ (führen): an ambiguous folded form keeps its own stem
def test_irregular_forms_share_the_stem(lemma, form):
    """Index terms: the stem goes through the lemma, so gehen finds ging too."""
    assert stem(form) == stem(lemma)


@pytest.fixture(scope="module")
def lemma_index(tmp_path_factory) -> NewsIndex:
    root: Path = tmp_path_factory.mktemp("lemma-corpus")
    for i, (_lemma, form) in enumerate(IRREGULAR):
        (root / f"f{i}.txt").write_text(f"Bericht {i}\nGestern {form} alles anders.\n", "utf-8")
    (root / "gehweg.txt").write_text("Gehweg\nDer Gehweg ist breit.\n", encoding="utf-8")
    idx = NewsIndex.open_or_create(tmp_path_factory.mktemp("lemma-index") / "ix")
    idx.update_from(root)
    return idx


def _ids(idx: NewsIndex, query: str) -> set[str]:
    return {h.id for h in idx.search(query, limit=100)}


@pytest.mark.parametrize("lemma", sorted({lemma for lemma, _ in IRREGULAR}))
def test_lemma_operator_finds_exactly_the_forms(lemma_index, lemma):
    expected = {f"f{i}.txt" for i, (lem, _) in enumerate(IRREGULAR) if lem == lemma}
    assert _ids(lemma_index, "&" + lemma) == expected


def test_lemma_operator_from_a_form_and_not_other_words(lemma_index):
    """&ging means the forms of gehen; Gehweg is not one of them."""
    assert _ids(lemma_index, "&ging") == _ids(lemma_index, "&gehen")
    assert "gehweg.txt" not in _ids(lemma_index, "&gehen")


def test_lemma_operator_explained_as_its_forms(lemma_index):
    text = lemma_index.parse("&gehen").explain()
    for form in ("=ging", "=gegangen", "=geht"):
        assert form in text


def test_lemma_operator_round_trips():
    from search.query import parse_query
    from search.query.nodes import Word, unparse

    tree = parse_query("&gehen").tree
    assert tree == Word("gehen", lemma=True)
    assert parse_query(unparse(tree)).tree == tree


def test_cli_analyze_shows_stem_and_lemma():
    import json

    from typer.testing import CliRunner

    from search.cli import app

    result = CliRunner().invoke(app, ["analyze", "--json", "gingen Mütter"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    words = [(r["surface"], r["term"], r["lemma"]) for r in rows if r["kind"] == "word"]
    assert words == [("gingen", "geh", "gehen"), ("Mütter", "mutt", "mutter")]
