"""The demo corpus in ``corpus/``: it indexes cleanly and the README searches find it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from search import NewsIndex
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> NewsIndex:
    idx = NewsIndex.create(tmp_path_factory.mktemp("demo") / "ix")
    report = idx.update_from(CORPUS)
    assert report.skipped == []
    return idx


def found(idx: NewsIndex, query: str, **kwargs) -> list:
    return list(idx.search(query, limit=None, **kwargs))


def test_corpus_is_large_and_varied(demo: NewsIndex) -> None:
    stats = demo.stats()
    assert stats.articles >= 80
    assert len(stats.sources) >= 6
    assert stats.first_date <= dt.date(2021, 12, 31) and stats.last_date >= dt.date(2024, 1, 1)
    suffixes = {p.suffix for p in Path(CORPUS).rglob("*") if p.is_file()}
    assert {".txt", ".html", ".jsonl"} <= suffixes


@pytest.mark.parametrize("word", ["Topmeldungen", "Newsletter", "Cookies", "Impressum"])
def test_site_boilerplate_is_not_indexed(demo: NewsIndex, word: str) -> None:
    assert found(demo, word) == []


def test_compound_query_finds_inflected_compounds(demo: NewsIndex) -> None:
    hits = found(demo, "Gaspreisdeckel")
    assert len(hits) >= 3
    for hit in hits:
        text = (demo.get(hit.id).title + " " + demo.get(hit.id).text).lower()
        assert "gaspreisdeckel" in text or ("gas" in text and "preis" in text and "deckel" in text)


def test_umlaut_spellings_meet(demo: NewsIndex) -> None:
    assert {h.id for h in found(demo, "Strasse")} == {h.id for h in found(demo, "Straße")}
    assert {h.id for h in found(demo, "Mueller")} == {h.id for h in found(demo, "Müller")}
    swiss = [h for h in found(demo, "Straße") if h.source and h.source.endswith(".ch")]
    assert swiss, "Swiss 'Strasse' spelling is found by 'Straße'"


def test_gender_forms_meet(demo: NewsIndex) -> None:
    texts = [demo.get(h.id).text for h in found(demo, "Lehrerinnen")]
    assert any(re.search(r"Lehrer[*:_]innen|LehrerInnen", t) for t in texts)
    assert any("Lehrer" in t and not re.search(r"Lehrer[*:_I]", t) for t in texts)


def test_date_filter(demo: NewsIndex) -> None:
    hits = found(demo, "Hochwasser datum:2024")
    assert hits and all(h.date and h.date.year == 2024 for h in hits)
    older = found(demo, "Hochwasser", date_to="31.12.2021")
    assert older and all(h.date and h.date <= dt.date(2021, 12, 31) for h in older)


def test_exact_form_is_narrower(demo: NewsIndex) -> None:
    exact = {h.id for h in found(demo, "=Häuser")}
    assert exact and exact < {h.id for h in found(demo, "Häuser")}
    for article_id in exact:
        assert re.search(r"\bH(ä|ae)user\b", demo.get(article_id).text, re.I)


def test_snippets_mark_the_matched_words(demo: NewsIndex) -> None:
    for hit in found(demo, "Kasachstan"):
        marked = [s.text[a:b].lower() for s in hit.snippets for a, b in s.highlights]
        assert marked and all("kasach" in m for m in marked)


# -- issue 10: matches a researcher can count on -------------------------------------------


def _words(demo: NewsIndex, article_id: str) -> str:
    article = demo.get(article_id)
    return f"{article.title}\n{article.text}"


def test_not_excludes_every_article_with_the_word(demo: NewsIndex) -> None:
    with_rain = {h.id for h in found(demo, "Starkregen")}
    with_strom = {h.id for h in found(demo, "Strom")}
    hits = {h.id for h in found(demo, "Starkregen -Strom")}
    assert hits == with_rain - with_strom
    assert demo.search("Starkregen -Strom").total == len(hits)
    dated = found(demo, "Starkregen NICHT datum:2021", sort="-date")
    assert dated and all(h.date is None or h.date.year != 2021 for h in dated)


def test_phrase_is_strict(demo: NewsIndex) -> None:
    hits = {h.id for h in found(demo, '"Preis für Gas"')}
    assert {
        "rheinkurier/000_7c1e9a40d2b84f55.txt",
        "rheinkurier/wirtschaft-stadtwerke-verdoppeln-gaspreise-zum-oktober.txt",
        "donaupost/wirtschaft-gaspreise-warum-oesterreich-keinen-gaspreisdeckel-hat.html",
    } <= hits
    assert len(hits) == 4  # the fourth says "Preise für Gas"
    for article_id in hits:
        assert re.search(r"\bPreis(e|es)? für Gas\b", _words(demo, article_id))


def test_compound_parts_must_stand_together(demo: NewsIndex) -> None:
    elcom = "aare-zeitung/wirtschaft-elcom-strompreise-2023-plus-27-prozent.txt"
    assert elcom not in {h.id for h in found(demo, "Gaspreise")}  # "Gaskraftwerke den Preis"
    assert elcom in {h.id for h in found(demo, "Strompreise")}


def test_gender_forms_as_query_words(demo: NewsIndex) -> None:
    expected = {h.id for h in found(demo, "Lehrerinnen")}
    assert len(expected) == 6
    for form in ("Lehrer*innen", "Lehrer:innen", "Lehrer_innen", "LehrerInnen", "Lehrer/-innen"):
        assert {h.id for h in found(demo, form)} == expected, form


@pytest.mark.parametrize("query", ["Uber", "=Uber", "Wer ist das?", "Was sagt die Regierung ?"])
@pytest.mark.parametrize("match", ["all", "any"])
def test_headlines_as_queries_never_raise(demo: NewsIndex, query: str, match: str) -> None:
    assert found(demo, query, match=match)


def test_stop_words_only_find_the_exact_words(demo: NewsIndex) -> None:
    for hit in found(demo, "Uber"):
        assert re.search(r"\b(ü|ue|u)ber\b", _words(demo, hit.id), re.I)


def test_sentence_proximity(demo: NewsIndex) -> None:
    same = {h.id for h in found(demo, "Hochwasser NEAR/s Rhein")}
    paragraph = {h.id for h in found(demo, "Hochwasser NEAR/p Rhein")}
    both = {h.id for h in found(demo, "Hochwasser Rhein")}
    assert same and same <= paragraph <= both
