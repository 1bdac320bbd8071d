"""Unit tests for each German analysis filter, one rule a test, behind a plain tokenizer."""

from __future__ import annotations

import pickle

import pytest
import Stemmer
from whoosh.analysis import RegexTokenizer

from analyzers import EXACT_PREFIX, german_analyzer, keyword_analyzer, normalize_word, stem
from analyzers.normalize import ExactFormFilter, GermanNormalizeFilter, fold_token
from analyzers.sentences import split_sentences
from analyzers.stemming import GermanStemFilter, strip_vowel_s
from analyzers.stopwords import GermanStopFilter
from analyzers.tokenizer import GermanTokenizer


def words(text: str) -> list[str]:
    return [t.text for t in GermanTokenizer()(text)]


def chain_texts(filters, text: str, mode: str = "index") -> list[tuple[str, str]]:
    """Run filters behind a whitespace tokenizer (with kind/surface set as the chain does)."""
    gen = RegexTokenizer(r"\S+")(text, positions=True, chars=True, mode=mode)

    def prime(tokens):
        for t in tokens:
            t.kind = "word"
            t.surface_raw = t.surface = t.text
            yield t

    gen = prime(gen)
    for f in filters:
        gen = f(gen)
    return [(t.text, t.kind) for t in gen]


# -- normalisation ---------------------------------------------------------------------


def test_umlauts_fold_to_base_vowel():
    """ä/ö/ü -> a/o/u: Bücher ≡ Bucher."""
    assert normalize_word("Bücher") == normalize_word("Buecher") == "bucher"


def test_eszett_folds_to_ss():
    assert normalize_word("Straße") == normalize_word("Strasse") == "strasse"


def test_ae_oe_fold():
    assert normalize_word("Schaltflaeche") == "schaltflache"
    assert normalize_word("Goethe") == "gothe"


def test_ue_kept_after_vowel_or_q():
    """Snowball german2: ue stays after a vowel or q (Mauer, Quelle, Feuer)."""
    assert normalize_word("Mauer") == "mauer"
    assert normalize_word("Quelle") == "quelle"
    assert normalize_word("Feuer") == "feuer"
    assert normalize_word("Mueller") == normalize_word("Müller") == "muller"


def test_invisible_characters_dropped():
    assert normalize_word("Zei\u00adtung") == normalize_word("Zei\u200btung") == "zeitung"


def test_nfkc_and_casefold():
    assert normalize_word("ＡＢＣ") == "abc"
    assert normalize_word("a\u0308rger") == "arger"  # decomposed ä


def test_hyphen_and_apostrophe_dropped_after_folding():
    assert normalize_word("Corona-Krise") == "coronakrise"
    assert normalize_word("Akku-Ersatz") == "akkuersatz"  # each side folded on its own
    assert normalize_word("geht’s") == normalize_word("geht's") == "gehts"


def test_wildcards_survive_folding():
    assert normalize_word("Häus*") == "haus*"


def test_normalize_empty():
    assert normalize_word("") == ""


def test_normalize_filter_sets_surface():
    assert chain_texts([GermanNormalizeFilter()], "Lehrer*innen Bücher") == [
        ("lehrerinnen", "word"),
        ("bucher", "word"),
    ]


# -- tokenizer -------------------------------------------------------------------------


def test_hyphenated_word_is_one_token():
    assert words("Die Corona-Krise endet") == ["Die", "Corona-Krise", "endet"]


@pytest.mark.parametrize("form", ["Lehrer*innen", "Lehrer:innen", "Lehrer_innen", "Lehrer/-innen"])
def test_gender_forms_are_one_token(form):
    assert words(f"Die {form} streiken") == ["Die", form, "streiken"]


def test_colon_without_gender_suffix_splits():
    assert words("Achtung:Ende") == ["Achtung", "Ende"]


def test_numbers_stay_tokens():
    assert words("Im Jahr 2022 stiegen sie um 3,5 Prozent auf 1.000 Euro.") == [
        "Im", "Jahr", "2022", "stiegen", "sie", "um", "3,5", "Prozent", "auf", "1.000", "Euro",
    ]  # fmt: skip


def test_sentence_dot_is_not_part_of_word():
    assert words("Ende. Anfang") == ["Ende", "Anfang"]


def test_tokenizer_empty():
    assert words("") == []
    assert words("  ,.;  ") == []


def test_tokenizer_offsets():
    toks = [(t.text, t.startchar, t.endchar) for t in GermanTokenizer()("ab  Cd-e", chars=True)]
    assert toks == [("ab", 0, 2), ("Cd-e", 4, 8)]


# -- stop words ------------------------------------------------------------------------


def test_stop_words_removed_positions_kept():
    tokens = [
        (t.text, t.pos)
        for t in german_analyzer()("Haus am See", positions=True, mode="query")
        if t.kind == "word"
    ]
    assert tokens == [("haus", 0), ("see", 2)]


def test_stop_filter_matches_folded_forms():
    """über/ueber and daß/dass are stop words in any spelling."""
    assert chain_texts([GermanNormalizeFilter(), GermanStopFilter()], "ueber daß Weg") == [
        ("weg", "word")
    ]


def test_stop_filter_keeps_stops_marked_for_highlighter():
    toks = [
        (t.text, t.stopped)
        for t in german_analyzer()("der Hund", removestops=False, mode="query")
        if t.kind == "word"
    ]
    assert toks == [("der", True), ("hund", False)]


def test_stop_filter_empty():
    assert chain_texts([GermanStopFilter()], "") == []


# -- exact forms -----------------------------------------------------------------------


def test_exact_form_in_index_mode_only():
    index = chain_texts([GermanNormalizeFilter(), ExactFormFilter()], "Häuser")
    assert index == [("hauser", "word"), (EXACT_PREFIX + "hauser", "exact")]
    query = chain_texts([GermanNormalizeFilter(), ExactFormFilter()], "Häuser", mode="query")
    assert query == [("hauser", "word")]


def test_exact_prefix_must_not_be_empty():
    with pytest.raises(ValueError):
        ExactFormFilter("")


# -- stemming --------------------------------------------------------------------------


def test_snowball_stemming():
    assert stem("Häuser") == stem("Haus") == "haus"


def test_feminine_forms_meet_masculine():
    """-in/-innen after a person-noun ending is stripped before Snowball."""
    assert stem("Lehrerin") == stem("Lehrerinnen") == stem("Lehrer") == "lehrer"
    assert stem("Studentinnen") == stem("Student")
    assert stem("Kollegin") == stem("Kollege")


def test_feminine_rule_spares_other_in_words():
    """Protected: Berlin, Termin, Medizin, Benzin are not feminine forms."""
    snowball = Stemmer.Stemmer("german")
    for word in ("Berlin", "Medizin", "Benzin", "Vitamin", "Termin", "Magazin", "Kamin"):
        assert stem(word) == snowball.stemWord(normalize_word(word))


@pytest.mark.parametrize(
    ("form", "base"),
    [("Teslas", "Tesla"), ("Warschaus", "Warschau"), ("Obamas", "Obama"), ("Autos", "Auto"),
     ("Fotos", "Foto"), ("Handys", "Handy"), ("Kameras", "Kamera")],
)  # fmt: skip
def test_s_after_vowel_meets_base(form, base):
    """Genitive of names and plural of loanwords: Snowball keeps an -s after a vowel."""
    assert stem(form) == stem(base)
    assert Stemmer.Stemmer("german").stemWord(normalize_word(form)) != stem(base)


@pytest.mark.parametrize("word", ["Haus", "Bus", "Status", "Campus", "Kaktus", "Virus", "Globus"])
def test_s_after_vowel_kept_when_base_is_rarer(word):
    """Protected: a word whose form without -s is rarer (or unknown) keeps its -s."""
    assert stem(word) == Stemmer.Stemmer("german").stemWord(normalize_word(word))


def test_strip_vowel_s_only_touches_vowel_s():
    assert strip_vowel_s("teslas") == "tesla"
    for word in ("hunds", "tesla", "kuba", "", "s", "aus"):
        assert strip_vowel_s(word) == word


def test_stem_filter_leaves_exact_and_numbers():
    toks = chain_texts(
        [GermanNormalizeFilter(), ExactFormFilter(), GermanStemFilter()], "Häuser 2022"
    )
    assert toks == [
        ("haus", "word"), ("=hauser", "exact"), ("2022", "word"), ("=2022", "exact"),
    ]  # fmt: skip


def test_stem_empty():
    assert stem("") == ""


# -- analyser as a whole -----------------------------------------------------------------


def test_gender_forms_meet():
    an = german_analyzer()

    def word_term(text):
        return [t.text for t in an(text, mode="query") if t.kind == "word"]

    forms = ["Lehrer*innen", "Lehrer:innen", "Lehrer_innen", "LehrerInnen", "Lehrerin", "Lehrer"]
    assert {tuple(word_term(f)) for f in forms} == {("lehrer",)}


def test_analyzers_pickle_and_compare():
    for make in (german_analyzer, keyword_analyzer):
        a = make()
        b = pickle.loads(pickle.dumps(a))
        assert a == b
        assert a == make()
    assert german_analyzer() != keyword_analyzer()


def test_no_morph_skips_stemming_and_decompounding():
    toks = [t.text for t in german_analyzer()("Gaspreise", no_morph=True, mode="index")]
    assert toks == ["gaspreise", "=gaspreise"]


def test_keyword_analyzer_folds_without_stemming():
    assert [t.text for t in keyword_analyzer()("Süddeutsche Zeitung")] == [
        "suddeutsche",
        "zeitung",
    ]


def test_fold_token_drops_gender_joiners():
    assert fold_token("Lehrer*innen") == "lehrerinnen"


# -- sentences -------------------------------------------------------------------------


def test_abbreviations_do_not_end_sentences():
    text = "Das gilt z. B. für Dr. Müller und Nr. 5 im Bau. Er kommt am 3. Mai. Gut!"
    assert split_sentences(text) == [
        "Das gilt z. B. für Dr. Müller und Nr. 5 im Bau.",
        "Er kommt am 3. Mai.",
        "Gut!",
    ]


def test_sentences_empty():
    assert split_sentences("") == []
