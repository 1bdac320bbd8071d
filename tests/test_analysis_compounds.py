"""Decompounding: the pure splitter, the filter's offsets, the query side, and gold floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers import analyze, german_analyzer, split_compound
from analyzers.compounds import split_spans

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
WHOLE = Path(__file__).resolve().parent / "data" / "analysis_whole_words.txt"


def test_issue_example():
    assert split_compound("Gaspreisdeckel") == ["gas", "preis", "deckel"]


def test_non_compound_comes_back_whole():
    assert split_compound("Verbraucher") == ["verbraucher"]


@pytest.mark.parametrize("word", ["Verbraucher", "Mannschaft", "Regierung", "Hamburg"])
def test_lexicalised_words_stay_whole(word):
    """Koehn & Knight frequency criterion: the whole word beats its pieces."""
    assert len(split_compound(word)) == 1


@pytest.mark.parametrize(
    "word",
    [
        "abstammender",  # abst + amme + nder: the participle's base abstammen wins
        "angewendete",  # ange is an + ge of a participle, never a part
        "zugeschrieben",  # zug + e + schrieben: no part ends inside zu + ge
        "wiederhergestellt",  # wied is inside the prefix wieder
        "verblieben",  # verb is ver + consonants, a fragment
        "protestantische",  # protestant + isch: tisch is the suffix, not a head
        "Goldensons",  # names in -son are not gold + sons
        "ältester",  # ester is a superlative tail
    ],
)
def test_participles_adjectives_and_names_stay_whole(word):
    assert len(split_compound(word)) == 1


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("Schreibtisch", ["schreib", "tisch"]),  # schreibt is a verb form, not an -isch base
        ("Verhandlungstisch", ["verhandlung", "tisch"]),
        ("Innenministers", ["innen", "ministers"]),  # a capitalised noun's inflection splits
        ("Angebotspreis", ["angebot", "preis"]),  # an + ge only guards the first part's end
    ],
)
def test_precision_rules_keep_real_compounds(word, parts):
    assert split_compound(word) == parts


def test_gaststaette_is_gast_plus_staette():
    """tstätte is no word, so gas + tstätte is impossible."""
    assert split_compound("Gaststätte") == ["gast", "statte"]


def test_linking_s_dropped():
    assert split_compound("Bundesregierung") == ["bund", "regierung"]


def test_hyphen_splits():
    assert split_compound("Corona-Krise") == ["corona", "krise"]


def test_feminine_suffix_not_a_part():
    assert split_compound("Lehrerinnen") == ["lehrerinnen"]
    assert split_compound("Lehrer*innen") == ["lehrerinnen"]


def test_short_words_not_split():
    assert split_spans("gasol") == [(0, 5)]


def test_split_empty():
    assert split_compound("") == [""]
    assert split_spans("") == [(0, 0)]


def test_parts_have_own_offsets_last_to_word_end():
    text = "Die Gaspreise"
    parts = [t for t in analyze(text) if t.kind == "part"]
    assert [(t.term, text[t.start : t.end]) for t in parts] == [("gas", "Gas"), ("preis", "preise")]
    assert {t.pos for t in parts} == {1}


def test_hyphen_part_offsets_exclude_hyphen():
    text = "Corona-Krise"
    parts = [(t.term, text[t.start : t.end]) for t in analyze(text) if t.kind == "part"]
    assert parts == [("corona", "Corona"), ("kris", "Krise")]


def test_query_mode_keeps_word_and_parts():
    kinds = [(t.text, t.kind) for t in german_analyzer()("Gaspreise", mode="query")]
    assert kinds == [("gaspreis", "word"), ("gas", "part"), ("preis", "part")]


def test_compound_query_meets_parts_not_other_compounds():
    """Gaspreise: whole or all parts finds Erdgaspreis and 'Preis für Gas', not Strompreise."""
    q = {(t.kind, t.text) for t in german_analyzer()("Gaspreise", mode="query")}
    parts = {text for kind, text in q if kind == "part"}

    def terms(text):
        return {t.text for t in german_analyzer()(text, mode="index")}

    assert parts <= terms("der Preis für Gas")
    assert not parts <= terms("Strompreise")


def test_compound_query_meets_longer_compound():
    """Erdgas is lexicalised, so its gas is indexed as ^gas (which the query also asks for)."""
    parts = {t.text for t in german_analyzer()("Gaspreise", mode="query") if t.kind == "part"}
    terms = {t.text.lstrip("^") for t in german_analyzer()("Erdgaspreis", mode="index")}
    assert parts <= terms


def test_parts_of_parts_with_own_offsets():
    """Erdgaspreise: erdgas, then its own parts erd and gas (overlapping it), then preis."""
    text = "Erdgaspreise"
    parts = [(t.term, text[t.start : t.end]) for t in analyze(text) if t.kind == "part"]
    assert parts == [("erdgas", "Erdgas"), ("^erd", "Erd"), ("^gas", "gas"), ("preis", "preise")]


def test_query_side_keeps_only_the_words_own_parts():
    """A query's parts are ANDed: erd AND gas would miss "Preis für Erdgas" (Erdgas whole)."""
    parts = [t.term for t in analyze("Erdgaspreise", mode="query") if t.kind == "part"]
    assert parts == ["erdgas", "preis"]
    assert split_compound("Erdgaspreis") == ["erdgas", "preis"]


def test_a_word_alone_is_not_split_by_the_nested_margin():
    """Erdgas on its own keeps the Koehn & Knight criterion and stays whole."""
    assert split_compound("Erdgas") == ["erdgas"]


# -- gold floors (skip without ../shared/data) ------------------------------------------


def _whole_words() -> list[str]:
    lines = WHOLE.read_text(encoding="utf-8").splitlines()
    return [w for w in lines if w and not w.startswith("#")]


def test_whole_word_list_mostly_stays_whole():
    words = _whole_words()
    assert len(words) >= 150
    kept = sum(len(split_compound(w)) == 1 for w in words)
    assert kept / len(words) >= 0.97


def test_compound_gold_accuracy_floor():
    path = DATA / "compounds" / "wikidata-de.dev.tsv"
    if not path.exists():
        pytest.skip("../shared/data/compounds not available")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.compounds import is_right, load_gold

    gold, _ = load_gold(path)
    right = sum(is_right(w, split_compound(w), parts) for w, parts in gold)
    assert right / len(gold) >= 0.85
