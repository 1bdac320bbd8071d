"""``GermanAnalyzer.word_stem`` gives the word token's term of the whole chain, without
decompounding: the query builder groups a word's exact forms by it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers import german_analyzer
from analyzers.compounds import DecompoundFilter

ANALYZER = german_analyzer()

#: Folded exact forms as the index holds them (after ``=``): compounds, inflections, gender
#: forms, stop words, numbers, lexicalised compounds, spellings.
FORMS = """gaspreise erdgaspreis erdgaspreisen burger burgerinnen lehrerinnen lehrer*innen
hauser hausern wasserstoff hochwasser ging gegangen mutter schon schoen strasse corona-krise
treibhausgasemissionen verbraucherschutzer arztinnen der die und fur 3,5 1.000 2022 ara ol
fruhbucher bucherregal regierungsbildung regierungen kanzlerin""".split()

PIECES = st.sampled_from(FORMS + ["", "-", "s", "en", "er", "innen", "ung", "haus", "preis"])


def full_chain_stem(word: str) -> str | None:
    return next((t.text for t in ANALYZER(word, mode="query") if t.kind == "word"), None)


@pytest.mark.parametrize("word", FORMS)
def test_word_stem_is_the_full_chains_word_term(word: str) -> None:
    assert ANALYZER.word_stem(word) == full_chain_stem(word)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=3).map("".join))
def test_word_stem_agrees_on_generated_forms(word: str) -> None:
    assert ANALYZER.word_stem(word) == full_chain_stem(word)


def test_word_stem_agrees_on_derstandard_words(shared_data) -> None:  # noqa: ANN001
    from benchmarks._shared import derstandard

    words: set[str] = set()
    for _label, text in derstandard(shared_data)[:300]:
        words.update(t.text[1:] for t in ANALYZER(text, mode="index") if t.kind == "exact")
    assert len(words) > 5000
    assert [w for w in sorted(words) if ANALYZER.word_stem(w) != full_chain_stem(w)] == []


def test_word_stem_follows_a_changed_chain() -> None:
    analyzer = german_analyzer()
    assert analyzer.word_stem("hauser") == full_chain_stem("hauser")
    analyzer.items = [f for f in analyzer.items if not isinstance(f, DecompoundFilter)][:2]
    assert analyzer.word_stem("hauser") == "hauser"  # no stemmer left in the chain
