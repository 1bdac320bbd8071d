"""Issue 10 (analysis part) and issue 15 item 4: wrong splits, false conflations, limits."""

from __future__ import annotations

import pytest

from analyzers import analyze, split_compound


def test_very_long_word_does_not_recurse():
    """Issue 15: a 5000-letter word gave RecursionError in the splitter's ``tails``."""
    for word in ("x" * 5000, "gas" * 1700, "Erdgaspreis" * 400):
        assert split_compound(word) == [word.lower()]
        assert any(t.kind == "word" for t in analyze(word))


# -- false conflations and irregular feminines (issue 10) ------------------------------

from analyzers import stem  # noqa: E402


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("Bürger", "Burg"),  # Snowball: both burg
        ("Mueller", "Müll"),  # both mull
        ("Verbraucher", "Verbrauch"),
        ("Verbraucher", "Verbrauchs"),
        ("Bauer", "Bau"),
    ],
)
def test_agent_noun_does_not_meet_its_base(word, other):
    assert stem(word) != stem(other)


@pytest.mark.parametrize(
    "forms",
    [
        ["Ärzt*innen", "Ärztin", "Ärztinnen", "Ärzte", "Arzt"],
        ["Pädagog*innen", "Pädagogin", "Pädagoge", "Pädagogen"],
        ["Kolleg*innen", "Kollegin", "Kollege", "Kollegen"],
        ["Jüdin", "Jude", "Juden"],
        ["Bäuerin", "Bauer", "Bauern"],
        ["Beamtin", "Beamter", "Beamte", "Beamtinnen"],
        ["Bürgerin", "Bürger", "Bürgern", "Bürger*innen"],
    ],
)
def test_irregular_feminine_forms_meet_the_masculine(forms):
    from analyzers import german_analyzer

    words = {
        tuple(t.text for t in german_analyzer()(f, mode="query") if t.kind == "word") for f in forms
    }
    assert len(words) == 1, words


def test_verbraucherschuetzer_splits_like_verbraucherschutz():
    assert split_compound("Verbraucherschützer") == ["verbraucher", "schutzer"]
    assert split_compound("Verbraucherschutz") == ["verbraucher", "schutz"]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    from search import NewsIndex

    docs = {
        "guenzburg": "Ein Fest in Günzburg und Augsburg.",
        "buerger": "Die Bürger protestieren.",
        "muell": "Der Müll wird abgeholt.",
        "mueller": "Frau Müller spricht.",
        "schuetzer": "Die Verbraucherschützer warnen.",
        "verbrauch": "Der Verbrauchs stieg, der Grundverbrauch auch.",
        "verbraucher": "Die Verbraucher zahlen mehr.",
    }
    root = tmp_path_factory.mktemp("issue10")
    for name, text in docs.items():
        (root / f"{name}.txt").write_text(f"{name}\n{text}\n", encoding="utf-8")
    idx = NewsIndex.open_or_create(tmp_path_factory.mktemp("issue10-ix") / "ix")
    idx.update_from(root)
    return idx


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bürger", {"buerger.txt"}),
        ("Mueller", {"mueller.txt"}),
        ("Verbraucher", {"verbraucher.txt", "schuetzer.txt"}),
    ],
)
def test_search_meets_only_real_forms(small_index, query, expected):
    assert {h.id for h in small_index.search(query, limit=50)} == expected
