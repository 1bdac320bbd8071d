"""The query language against a small in-memory corpus: each query with its exact set of ids."""

from __future__ import annotations

import datetime as dt

import pytest
from whoosh.filedb.filestore import RamStorage

from search.errors import QuerySyntaxError
from search.query import SYNTAX, ParsedQuery, date_filter, parse_query
from search.schema import build_schema

#: Tuesday; "letzte Woche" is 7-13 March, "letzter Monat" February 2022.
TODAY = dt.date(2022, 3, 15)

ARTICLES = [
    {
        "id": "a1",
        "date": dt.date(2022, 1, 6),
        "title": "Proteste in Kasachstan",
        "text": "In Almaty gehen Tausende auf die Straße. Die Proteste richten sich gegen "
        "die hohen Gaspreise.",
        "source": "Rheinkurier",
        "author": "Anna Müller",
        "section": "Ausland",
        "url": "https://rheinkurier.de/ausland/kasachstan-proteste",
    },
    {
        "id": "a2",
        "date": dt.date(2022, 1, 20),
        "title": "Erdgaspreis steigt weiter",
        "text": "Der Erdgaspreis erreicht einen neuen Höchststand. Familien ächzen.",
        "source": "Rheinkurier",
        "author": "Jens Maier",
        "section": "Wirtschaft",
    },
    {
        "id": "a3",
        "date": dt.date(2022, 2, 10),
        "title": "Streit in Berlin",
        "text": "Über den Preis für Gas wird in Berlin gestritten.",
        "source": "Tagesblatt",
        "author": "Jens Meyer",
        "section": "Wirtschaft",
    },
    {
        "id": "a4",
        "date": dt.date(2022, 3, 3),
        "title": "Strompreise auf Rekordhoch",
        "text": "Die Strompreise klettern, Verbraucher sparen Energie.",
        "source": "Tagesblatt",
        "section": "Wirtschaft",
    },
    {
        "id": "a5",
        "date": dt.date(2022, 3, 14),
        "title": "Scholz trifft Macron",
        "text": "Bundeskanzler Olaf Scholz und der französische Präsident Emmanuel Macron "
        "berieten in Paris über die Organisation des Vertrags.",
        "source": "Rheinkurier",
        "author": "Anna Müller",
        "section": "Politik",
    },
    {
        "id": "a6",
        "date": dt.date(2022, 3, 10),
        "title": "Kanzler in Paris",
        "text": "Der Kanzler sprach lange mit Macron über Europa und die Verteidigung.",
        "source": "Tagesblatt",
        "section": "Politik",
    },
    {
        "id": "a7",
        "date": dt.date(2021, 12, 24),
        "title": "Häuser am Rhein",
        "text": "Viele Häuser am Ufer wurden renoviert. Ein Haus blieb leer.",
        "source": "Rheinkurier",
        "section": "Lokales",
    },
    {
        "id": "a8",
        "date": dt.date(2023, 5, 5),
        "title": "Das Haus der Geschichte",
        "text": "Im Haus der Geschichte eröffnet eine Ausstellung über Verträge und Abkommen.",
        "source": "Tagesblatt",
        "section": "Kultur",
    },
    {
        "id": "a9",
        "date": None,
        "title": "Vertraege im Archiv",
        "text": "Alte Vertraege lagern im Archiv der Stadt Köln.",
        "source": "Tagesblatt",
        "section": "Lokales",
    },
    {
        "id": "a10",
        "date": dt.date(2022, 3, 15),
        "title": "Protestierende in Berlin",
        "text": "Protestierende fordern niedrigere Mieten.",
        "source": "Rheinkurier",
        "section": "Lokales",
    },
    {
        "id": "a11",
        "date": dt.date(2022, 3, 14),
        "title": "Meier gewinnt Wahl",
        "text": "Meier aus Köln gewinnt die Wahl deutlich.",
        "source": "Tagesblatt",
        "section": "Lokales",
    },
    {
        "id": "a12",
        "date": dt.date(2022, 2, 28),
        "title": "Wirtschaft und Politik",
        "text": "Macron sagt, die Wirtschaft brauche Hilfe. Später sprach auch Scholz.",
        "source": "Rheinkurier",
        "section": "Politik",
    },
]

ALL_IDS = {a["id"] for a in ARTICLES}
IN_2022 = {"a1", "a2", "a3", "a4", "a5", "a6", "a10", "a11", "a12"}


@pytest.fixture(scope="module")
def index():
    schema = build_schema()
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        for article in ARTICLES:
            doc = {k: v for k, v in article.items() if v is not None and k != "date"}
            if article["date"] is not None:
                doc["date"] = dt.datetime.combine(article["date"], dt.time(12, 0))
            writer.add_document(**doc)
    return ix


def ids(index, text: str, match: str = "all") -> set[str]:
    parsed = parse_query(text, match=match, today=TODAY, schema=index.schema)
    with index.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(parsed.query, limit=None)}


CASES = [
    # words, AND by default, German operators
    ("Macron", {"a5", "a6", "a12"}),
    ("Macron Scholz", {"a5", "a12"}),
    ("Macron AND Scholz", {"a5", "a12"}),
    ("Macron UND Scholz", {"a5", "a12"}),
    ("Macron OR Meier", {"a5", "a6", "a11", "a12"}),
    ("Macron ODER Meier", {"a5", "a6", "a11", "a12"}),
    ("Macron NOT Scholz", {"a6"}),
    ("Macron NICHT Scholz", {"a6"}),
    ("Macron -Scholz", {"a6"}),
    ("Macron und -Scholz", {"a6"}),  # a capital after the hyphen: an exclusion
    ("Macron und -scholz", {"a5", "a12"}),  # elision hyphen ("Privat- und -organisationen")
    ("Macron -scholz", {"a6"}),  # no conjunction before it: an exclusion
    ("Macron AND NOT Scholz", {"a6"}),
    ("+Macron +Paris", {"a5", "a6"}),
    ("Kasachstan Strompreise", set()),
    ("NOT Lokales", ALL_IDS),  # "Lokales" is a section, not in title or text
    ("(Gaspreise OR Strompreise) AND NOT Kasachstan", {"a2", "a3", "a4"}),  # a2: Erdgaspreis
    ("((Scholz OR Kanzler) AND (Paris OR Europa)) NOT Verteidigung", {"a5"}),
    ("der Macron", {"a5", "a6", "a12"}),  # the stop word is dropped
    # inflection and umlaut spellings
    ("Verträge", {"a5", "a8", "a9"}),
    ("Vertraege", {"a5", "a8", "a9"}),
    ("Häuser", {"a7", "a8"}),
    ("haeuser", {"a7", "a8"}),
    ("Koeln", {"a9", "a11"}),
    # compounds: the parts of the query word must all occur
    ("Strompreise", {"a4"}),
    ("Preis", {"a1", "a2", "a3", "a4"}),  # parts of Gaspreise, Erdgaspreis, Strompreise
    # exact forms: no stemming, no parts, but folding
    ("=Häuser", {"a7"}),
    ("=Haeuser", {"a7"}),
    ("=Haus", {"a7", "a8"}),
    ("=Gaspreise", {"a1"}),
    ("=Verträge", {"a8", "a9"}),
    ("=Preis", {"a3"}),
    # wildcards on normalised forms
    ("Protest*", {"a1", "a10"}),
    ("Verträg*", {"a5", "a8", "a9"}),
    ("Me?er", {"a11"}),
    ("Ver*ge", {"a8", "a9"}),
    ("author:Me*er", {"a3"}),
    # phrases: stop words inside leave their gap
    ('"Organisation des Vertrags"', {"a5"}),
    ('"Organisation Vertrags"', set()),
    ('"Preis für Gas"', {"a3"}),
    ('"Gas Preis"', set()),
    ('"Kanzler sprach Macron"~2', {"a6"}),
    ('"Kanzler sprach Macron"~1', set()),
    ('"Macron Kanzler"~5', set()),
    ('"Kanzler Macron"~3', {"a6"}),
    ('"Kanzler Macron"~2', set()),
    ('"Organisation des Vertrags', {"a5"}),  # quote closed at the end
    # proximity, unordered, stop words counted
    ("Olaf NEAR/7 Macron", {"a5"}),
    ("Macron NEAR/7 Olaf", {"a5"}),
    ("Olaf NEAR/6 Macron", set()),
    ("(Scholz OR Kanzler) NEAR/5 Macron", {"a5", "a6"}),
    ("(Scholz OR Kanzler) NEAR/9 Macron", {"a5", "a6", "a12"}),
    ('"Olaf Scholz" NEAR/6 Macron', {"a5"}),
    ("text:Scholz NEAR/2 Macron", set()),
    ("title:Scholz NEAR/2 Macron", {"a5"}),
    # fields and their German names
    ("title:Kasachstan", {"a1"}),
    ("titel:Haus", {"a7", "a8"}),
    ("text:Paris", {"a5"}),
    ("title:(Macron OR Meier)", {"a5", "a11"}),
    ("source:Tagesblatt", {"a3", "a4", "a6", "a8", "a9", "a11"}),
    ("quelle:rheinkurier Macron", {"a5", "a12"}),
    ("author:Müller", {"a1", "a5"}),
    ("autor:Mueller", {"a1", "a5"}),
    ('autor:"Jens Maier"', {"a2"}),
    ("section:Politik", {"a5", "a6", "a12"}),
    ("ressort:Wirtschaft Preis", {"a2", "a3", "a4"}),
    ("url:https://rheinkurier.de/ausland/kasachstan-proteste", {"a1"}),
    ('url:"rheinkurier.de/ausland"', {"a1"}),
    # dates, ISO and German, ranges and comparisons, relative to TODAY
    ("date:2022-01-06", {"a1"}),
    ("date:2022-01", {"a1", "a2"}),
    ("date:2022", IN_2022),
    ("date:2022-01-01..2022-02-28", {"a1", "a2", "a3", "a12"}),
    ("date:..2021-12-31", {"a7"}),
    ("date:2023..", {"a8"}),
    ("date:>=2022-03-14", {"a5", "a8", "a10", "a11"}),
    ("date:>2022-03-14", {"a8", "a10"}),
    ("date:<2022-01-06", {"a7"}),
    ("date:<=2022-01-06", {"a1", "a7"}),
    ("date:>=2022-03", {"a4", "a5", "a6", "a8", "a10", "a11"}),
    ("date:<2022", {"a7"}),
    ("datum:6.1.2022", {"a1"}),
    ("datum:06.01.2022..31.01.2022", {"a1", "a2"}),
    ('date:"Januar 2022"', {"a1", "a2"}),
    ('datum:"20. Januar 2022"', {"a2"}),
    ('date:"Dezember 2021".."Januar 2022"', {"a1", "a2", "a7"}),
    ("date:heute", {"a10"}),
    ("datum:gestern", {"a5", "a11"}),
    ('date:"letzte Woche"', {"a6"}),
    ('date:"letzter Monat"', {"a3", "a12"}),
    ('date:"letzte 30 Tage"', {"a4", "a5", "a6", "a10", "a11", "a12"}),
    ('seit:"März 2022"', {"a4", "a5", "a6", "a8", "a10", "a11"}),
    ("bis:2021", {"a7"}),
    ("Macron date:2022-03", {"a5", "a6"}),
    ("date:(2021 OR 2023)", {"a7", "a8"}),
    ("NOT date:2022", {"a7", "a8", "a9"}),  # a9 has no date, so it is not in 2022
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_query_finds_exactly(index, text, expected):
    assert ids(index, text) == expected


ANY_CASES = [
    ("Macron Meier", {"a5", "a6", "a11", "a12"}),
    ("+Macron Paris", {"a5", "a6", "a12"}),
    ("Macron Meier -Scholz", {"a6", "a11"}),
    ("Macron AND Paris Meier", {"a5", "a6", "a11"}),
]


@pytest.mark.parametrize(("text", "expected"), ANY_CASES, ids=[c[0] for c in ANY_CASES])
def test_match_any_ors_juxtaposed_words(index, text, expected):
    assert ids(index, text, match="any") == expected


def test_match_any_ranks_documents_with_more_words_first(index):
    parsed = parse_query("Kanzler Paris Europa", match="any", schema=index.schema)
    with index.searcher() as searcher:
        first = searcher.search(parsed.query, limit=1)[0]["id"]
    assert first == "a6"  # the only one with all three words


def _splits(word: str) -> set[str]:
    analyzer = build_schema()["text"].analyzer
    return {t.text for t in analyzer(word, mode="query") if getattr(t, "kind", "") == "part"}


def test_compound_query_finds_parts_and_other_compounds_but_not_siblings(index):
    found = ids(index, "Gaspreise")
    assert {"a1", "a3"} <= found  # "Gaspreise", "der Preis für Gas"
    assert "a4" not in found  # "Strompreise"


def test_compound_query_finds_longer_compound(index):
    """Erdgaspreis is indexed with the parts of its part erdgas: erd and gas."""
    assert ids(index, "Gaspreise") == {"a1", "a2", "a3"}


def test_compound_becomes_word_or_all_parts():
    q = parse_query("text:Gaspreise").query
    assert "Term('text', 'gaspreis')" in repr(q)
    assert "WindowQuery([Term('text', 'gas'), Term('text', 'preis')], slop=4" in repr(q)


def test_wildcard_uses_exact_form_terms():
    from whoosh.query import Prefix

    assert parse_query("text:Verträg*").query == Prefix("text", "=vertrag")


def test_exact_form_is_one_term_per_field():
    from whoosh.query import Or, Term

    assert parse_query("=Hauser").query == Or([Term("title", "=hauser"), Term("text", "=hauser")])
    # with the umlaut typed: that spelling (Häuser, Haeuser), not the folded Hauser
    assert parse_query("=Häuser").query == Or([Term("title", "~haeuser"), Term("text", "~haeuser")])


def test_repairs_are_noted():
    parsed = parse_query('"Organisation des Vertrags')
    assert str(parsed) == '"Organisation des Vertrags"'
    assert any("quote" in note for note in parsed.notes)
    assert any("der" in note for note in parse_query("der Macron").notes)


def test_explain_shows_tree_and_terms():
    text = parse_query(
        '(Scholz OR Kanzler) NEAR/5 Macron -date:2022 "Organisation des Vertrags"~2'
    ).explain()
    lines = text.splitlines()
    assert lines[0] == "ALL OF"
    assert lines[1].startswith("  NEAR/5")
    assert "    ANY OF" in lines
    assert "      word 'Scholz' in title, text: scholz" in lines
    assert "  NOT" in lines and "    date from 2022-01-01 to 2022-12-31" in lines
    assert any('"organisation =des vertrag"~2' in line for line in lines)


def test_str_is_canonical():
    cases = {
        "a b OR c": "(a AND b) OR c",
        "Titel:Merkel -Scholz": "title:Merkel AND NOT Scholz",
        "date:2022-01": "date:2022-01-01..2022-01-31",
        "seit:2022": "date:2022-01-01..",
        "a NEAR b": "a NEAR/5 b",
        "x UND (y ODER z)": "x AND (y OR z)",
    }
    for text, canonical in cases.items():
        assert str(parse_query(text, today=TODAY)) == canonical


ERRORS = [
    ("", "empty", 0),
    ("   ", "empty", 0),
    ("(Macron", "'(' is not closed", 0),
    ("Macron (Scholz OR (Kanzler)", "'(' is not closed", 7),
    ("Macron)", "')' without", 6),
    ("()", "empty parentheses", 1),
    ("AND Macron", "AND needs a term before it", 0),
    ("Macron OR", "OR needs a term after it", 7),
    ("Macron AND", "AND needs a term after it", 7),
    ("Macron NEAR/3", "NEAR/3 needs a term after it", 7),
    ("NOT", "NOT needs a term after it", 0),
    ("title:", "needs a value", 0),
    ("Macron foo:bar", "unknown field 'foo'", 7),
    ("date:2022-13-45", "impossible date", 5),
    ("date:31.2.2022", "impossible date", 5),
    ("date:Merkel", "not a date", 5),
    ("date:2023..2022", "ends before it starts", 5),
    ("date:..", "at least one end", 5),
    ("Macron *", "wildcard", 7),
    ("Macron NEAR/3 date:2022", "NEAR works between", 19),
    ("title:a NEAR/2 text:b", "one field", 6),
    ("(" * 100 + "a" + ")" * 100, "nests deeper", 64),
    # malformed operators are errors with their position (issue 15, item 7)
    ("Gas NEAR/abc Strom", "NEAR/abc needs a whole number", 4),
    ("Gas NEAR/-1 Strom", "NEAR/-1 needs a whole number", 4),
    ("Gas NEAR/99999 Strom", "from 0 to 1000", 4),
    ('"Gas Preis"~x', "~x needs a whole number", 11),
    ('"Gas Preis"~99999', "~99999 needs a whole number", 11),
    # a sign or quote alone says what is wrong (item 8)
    ('"', "the quotes hold no word", 0),
    ('""', "the quotes hold no word", 0),
    ("=", "'=' needs a word right after it", 0),
    ("-", "'-' needs a word right after it", 0),
    ("+", "'+' needs a word right after it", 0),
]


@pytest.mark.parametrize(("text", "message", "position"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_name_the_problem_and_place(text, message, position):
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text, today=TODAY)
    assert message in info.value.message
    assert info.value.position == position


def test_date_filter(index):
    with index.searcher() as searcher:

        def found(start, end):
            q = date_filter(start, end, today=TODAY)
            return {h["id"] for h in searcher.search(q, limit=None)}

        assert found("Januar 2022", "Februar 2022") == {"a1", "a2", "a3", "a12"}
        assert found("2023", None) == {"a8"}
        assert found(None, "24.12.2021") == {"a7"}
        assert found("letzte Woche", "gestern") == {"a5", "a6", "a11"}
    assert date_filter(None, None) is None
    with pytest.raises(QuerySyntaxError):
        date_filter("2022-13", None)
    with pytest.raises(QuerySyntaxError):
        date_filter("2023", "2022")


def test_parsed_query_is_data():
    parsed = parse_query("Macron")
    assert isinstance(parsed, ParsedQuery)
    assert parsed.notes == []
    assert str(parsed) == "Macron"


def test_every_line_of_the_syntax_help_parses():
    for line in SYNTAX.splitlines():
        example = line.split("   ")[0].strip()
        if example:
            parse_query(example, today=TODAY)


def test_explain_works_without_the_builder():
    parsed = parse_query("Gaspreise")
    copy = ParsedQuery(parsed.query, parsed.tree, parsed.notes)
    assert copy.explain() == parsed.explain()


def test_position_is_0_based_and_the_message_counts_from_1():
    with pytest.raises(QuerySyntaxError) as info:
        parse_query("Macron)")
    assert info.value.position == 6 and info.value.column == 7
    assert str(info.value).endswith("(at character 7)")
    assert "Macron)"[info.value.position] == ")"


def test_bad_match_mode_is_a_zeitung_error():
    from search.errors import InvalidOption, ZeitungError

    with pytest.raises(InvalidOption) as info:
        parse_query("Gas", match="bogus")
    assert isinstance(info.value, ZeitungError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "text",
    ["Was sagt die Regierung ?", 'Merkel trifft "sensationellen Flirt"?', "Gas !", "Gas ?!"],
)
@pytest.mark.parametrize("match", ["all", "any"])
def test_question_and_exclamation_marks_alone_are_punctuation(text, match):
    parsed = parse_query(text, match=match)
    assert "?" not in str(parsed) and "!" not in str(parsed)


@pytest.mark.parametrize(
    "text", ["Lehrer*innen", "Lehrer:innen", "Lehrer_innen", "LehrerInnen", "Lehrer/-innen"]
)
def test_gender_forms_are_words_not_fields_or_wildcards(text):
    from search.query.nodes import Word

    tree = parse_query(text).tree
    assert isinstance(tree, Word) and not tree.wildcard
    assert parse_query(text).query == parse_query("Lehrerinnen").query


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Uber", "=Uber"), ("=Uber", "=Uber"), ("Wer ist das?", "=Wer AND =ist AND =das")],
)
@pytest.mark.parametrize("match", ["all", "any"])
def test_stop_words_only_are_searched_as_exact_words(text, expected, match):
    parsed = parse_query(text, match=match)
    assert str(parsed) == (expected if match == "all" else expected.replace(" AND ", " OR "))
