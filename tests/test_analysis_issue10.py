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


# -- lexicalised compounds: their parts weigh less --------------------------------------


@pytest.mark.parametrize("word", ["Wasserstoff", "Hochwasser", "Sauerstoff"])
def test_lexicalised_compound_parts_carry_the_prefix(word):
    from analyzers.compounds import LEXICAL_PART_PREFIX

    parts = [t.term for t in analyze(word) if t.kind == "part"]
    assert parts and all(p.startswith(LEXICAL_PART_PREFIX) for p in parts)
    query_parts = [t.term for t in analyze(word, mode="query") if t.kind == "part"]
    assert not any(p.startswith(LEXICAL_PART_PREFIX) for p in query_parts)


def test_transparent_compound_parts_are_plain():
    assert [t.term for t in analyze("Gaspreise") if t.kind == "part"] == ["gas", "preis"]


def test_word_ranks_above_its_lexicalised_compound(tmp_path):
    from search import NewsIndex

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "h2.txt").write_text("Energie\nDer Wasserstoff wird teurer.\n", "utf-8")
    (tmp_path / "c" / "wasser.txt").write_text("Energie\nDas Wasser wird teurer.\n", "utf-8")
    idx = NewsIndex.open_or_create(tmp_path / "ix")
    idx.update_from(tmp_path / "c")
    for match in ("all", "any"):
        hits = [h.id for h in idx.search("Wasser", limit=10, match=match)]
        assert hits == ["wasser.txt", "h2.txt"]
    assert [h.id for h in idx.search("Wasserstoff", limit=10)] == ["h2.txt"]


@pytest.mark.parametrize("word", ["Gastronomen", "Gastronom", "Urinstinkt"])
def test_no_split_into_fragments_or_verb_forms(word):
    """gas|tron|omen and urin|stinkt reached users; a finite verb form is no head."""
    assert len(split_compound(word)) == 1


# -- umlaut plurals as linking elements, deep parts (issue 10: Buecher finds Frühbucherpreis) --


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("Frühbucherpreis", ["fruhbucher", "preis"]),  # was früh|buch|er|preis: Bücher ≠ Bucher
        ("Frühbucher", ["fruhbucher"]),
        ("Bücherregal", ["buch", "regal"]),  # the -er of an umlaut plural links
        ("Buecherregal", ["buch", "regal"]),
        ("Häuserreihe", ["haus", "reihe"]),
        ("Kinderarzt", ["kinder", "arzt"]),  # no back vowel: -er needs no umlaut
        ("Kindesalter", ["kind", "alter"]),  # Alter is no false Älter
        ("gesundheitshalber", ["gesundheit", "halber"]),
    ],
)
def test_linking_er_needs_the_umlaut_of_its_plural(word, parts):
    assert split_compound(word) == parts


def test_inner_parts_of_a_long_compound_are_weak_parts():
    parts = [t.term for t in analyze("Treibhausgasemissionen") if t.kind == "part"]
    assert parts == ["treib", "^haus", "^gas", "emission"]
    # query mode keeps plain parts (a query's parts are ANDed as they are)
    query = [t.term for t in analyze("Treibhausgasemissionen", mode="query") if t.kind == "part"]
    assert query == ["treib", "haus", "gas", "emission"]
    assert [t.term for t in analyze("Gaspreise") if t.kind == "part"] == ["gas", "preis"]


# -- doubtful conflations of the lemma stemmer (issue 16), judged and kept apart ----------


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("Gebet", "geben"),  # prayer, not give
        ("Gebete", "gab"),
        ("sagenhaft", "sagen"),  # of Sage (legend)
        ("Seite", "seit"),  # Snowball: both seit
        ("seitlich", "seit"),
        ("gebeten", "Gebet"),  # bitten's participle
    ],
)
def test_judged_conflations_are_kept_apart(word, other):
    assert stem(word) != stem(other)


@pytest.mark.parametrize(
    ("word", "other"),
    [("seitlich", "Seite"), ("Seiten", "Seite"), ("gebeten", "bitten"), ("Gebete", "Gebet")],
)
def test_the_exceptions_keep_their_own_families(word, other):
    assert stem(word) == stem(other)
