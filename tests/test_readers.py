"""Readers: every format and encoding to Article records, bad files to ReadError."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import ReadError
from search.readers import SUPPORTED_SUFFIXES, is_supported, iter_articles
from search.readers.dates import date_from_url, parse_date

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seed"
SEED_FILE = SEED / "000_e53be52667514cbf.txt"


def read(name: str, root: Path | None = FIXTURES) -> list:
    return list(iter_articles(FIXTURES / name, root))


# --- suffixes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["a.txt", "a.HTML", "a.htm", "a.json", "a.jsonl", "a.ndjson", "a.csv", "a.tsv"]
)
def test_supported_suffixes(name: str) -> None:
    assert is_supported(Path(name))
    assert is_supported(Path(name + ".gz"))


@pytest.mark.parametrize("name", ["a.pdf", "a.gz", "a.txt.bak", "README", "a.docx"])
def test_unsupported_suffixes(name: str) -> None:
    assert not is_supported(Path(name))


def test_supported_suffixes_constant() -> None:
    assert {".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".tsv"} <= set(
        SUPPORTED_SUFFIXES
    )


# --- scraped .txt ------------------------------------------------------------------------


def test_scraped_txt_metadata() -> None:
    [article] = read("scraped.txt")
    assert article.id == "scraped.txt"
    assert article.path == str((FIXTURES / "scraped.txt").resolve())
    assert article.url.startswith("https://www.rheinbote.example/wirtschaft/")
    assert article.title == "Energie : Gaspreise steigen für Haushalte in Köln weiter"
    assert article.date == dt.date(2022, 1, 5)  # the stamp wins over the URL's date
    assert article.author == "Anna Schmidt"
    assert article.section == "wirtschaft"
    assert article.source == "rheinbote.example"


def test_scraped_txt_body_keeps_teaser_drops_header_and_tail() -> None:
    [article] = read("scraped.txt")
    text = article.text
    assert text.startswith("Gaszähler in einem Kölner Mehrfamilienhaus.")
    assert "Die Stadtwerke erhöhen zum Februar die Abschläge." in text  # teaser
    assert "Verbraucherzentrale Nordrhein-Westfalen" in text
    for gone in ("Bild:", "3 Min.", "Von Anna Schmidt", "Veröffentlicht", "Mehr zum Thema",
                 "So sparen Mieter", "Newsletter", "Artikel teilen", "WhatsApp",
                 "abonnieren", "©"):  # fmt: skip
        assert gone not in text


@pytest.mark.parametrize(
    "tail", ["© Rheinbote Verlag 2022", "Alle Rechte vorbehalten.", "Copyright 2022 Rheinbote"]
)
def test_scraped_txt_copyright_line_cuts_tail(tmp_path: Path, tail: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"https://x.example/a.html\n\nTitel\n\nText.\n\n{tail}\n\nFremder Teaser.\n")
    [article] = iter_articles(path)
    assert article.text == "Text."


def test_plain_txt_first_line_is_title() -> None:
    [article] = read("plain.txt")
    assert article.title == "Hochwasser an der Mosel"
    assert article.text.startswith("Die Mosel ist in der Nacht")
    assert "Feuerwehr" in article.text
    assert article.url is None and article.date is None


@pytest.mark.skipif(not SEED_FILE.exists(), reason="../shared/data absent")
def test_seed_article() -> None:
    [article] = iter_articles(SEED_FILE, SEED)
    assert article.id == "000_e53be52667514cbf.txt"
    assert article.url == (
        "https://www.faz.net/aktuell/politik/ausland/"
        "von-russland-angefuehrte-friedenstruppen-in-kasachstan-eingetroffen-17719696.html"
    )
    assert article.title == (
        "Abermals Schüsse in Almaty : "
        "Von Russland angeführtes Militärbündnis in Kasachstan eingetroffen"
    )
    assert article.source == "faz.net"
    assert article.section == "politik"
    assert "Wegen der gewaltsamen Proteste in Kasachstan" in article.text
    assert "Erste russische Soldaten sind am Donnerstagabend" in article.text
    assert article.text.rstrip().endswith("die Presse- und die Versammlungsfreiheit.")
    for boilerplate in (
        "Weitere Themen",
        "Topmeldungen",
        "Der Finanzminister spart bei sich selbst",
        "Bluthochdruck",
        "Newsletter",
        "Sie haben Post!",
        "Vielen Dank für Ihr Interesse",
        "2 Min.",
        "Bild: Imago",
        "Aktualisiert am",
    ):
        assert boilerplate not in article.text


# --- HTML --------------------------------------------------------------------------------


def test_html_metadata_from_json_ld_and_meta() -> None:
    [article] = read("article.html")
    assert article.title == "Neue Brücke über den Rhein eröffnet"
    assert article.date == dt.date(2023, 3, 14)
    assert article.author == "Jan Berg"
    assert article.url == "https://www.rheinbote.example/regional/neue-bruecke.html"
    assert article.source == "rheinbote.example"
    assert article.extra["publisher"] == "Rheinbote"
    assert article.section == "Regional"


def test_html_main_text_without_navigation() -> None:
    [article] = read("article.html")
    assert "Nach vier Jahren Bauzeit" in article.text
    assert "weniger Stau in den Ortskernen" in article.text
    for gone in ("Startseite", "Cookies", "Stau auf der A3", "Impressum"):
        assert gone not in article.text


def test_html_meta_charset_latin1() -> None:
    [article] = read("latin1.html")
    assert article.title == "Straßenfest in Düsseldorf"
    assert "Königsallee" in article.text


# --- JSON, JSON Lines, CSV ---------------------------------------------------------------


def test_jsonl_fields_ids_and_bad_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="search.readers"):
        articles = read("records.jsonl")
    assert [a.id for a in articles] == ["rb-001", "records.jsonl#3", "records.jsonl#5"]
    first, second, third = articles
    assert first.title == "Tarifeinigung bei der Bahn"
    assert first.text.startswith("Die Gewerkschaft")
    assert first.date == dt.date(2023, 8, 2)
    assert first.author == "Anna Schmidt, Jan Berg"
    assert first.section == "Wirtschaft"
    assert first.source == "rheinbote.example"
    assert second.text.startswith("Heftiger Schneefall")
    assert second.date == dt.date(2023, 12, 1)
    assert second.source == "allgaeuer-zeitung.example"
    assert third.date is None
    assert "line 4" in caplog.text


def test_bad_records_are_reported_to_the_caller(tmp_path: Path) -> None:
    bad: list = []
    articles = list(iter_articles(FIXTURES / "records.jsonl", FIXTURES, bad.append))
    assert len(articles) == 3
    assert [str(b) for b in bad] == ["line 4: invalid JSON: Expecting value (column 1)"]
    feed = tmp_path / "feed.csv"
    feed.write_text('title,text\nEins,"Erster\nText"\n,\nDrei,Dritter\n', encoding="utf-8")
    bad.clear()
    assert [a.title for a in iter_articles(feed, tmp_path, bad.append)] == ["Eins", "Drei"]
    assert [str(b) for b in bad] == ["line 4: record has no title or text"]
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"title": "A"}, 3, {"title": "C"}]), encoding="utf-8")
    bad.clear()
    assert len(list(iter_articles(many, tmp_path, bad.append))) == 2
    assert [str(b) for b in bad] == ["record 2: record is not an object"]


def test_json_articles_key() -> None:
    first, second = read("articles.json")
    assert first.id == "articles.json#1"
    assert first.date == dt.date(2023, 9, 11)
    assert first.url == "https://www.ahr-kurier.example/weinlese"
    assert second.title == "Museumsnacht in Mainz"
    assert second.date == dt.date(2023, 9, 16)
    assert second.source == "Mainzer Blatt"


def test_json_single_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": 7, "title": "T", "text": "Körper"}), encoding="utf-8")
    [article] = iter_articles(one, tmp_path)
    assert (article.id, article.text) == ("7", "Körper")
    many = tmp_path / "sub" / "many.json"
    many.parent.mkdir()
    many.write_text(json.dumps([{"title": "A"}, {"title": "B"}]), encoding="utf-8")
    assert [a.id for a in iter_articles(many, tmp_path)] == ["sub/many.json#1", "sub/many.json#2"]


def test_csv_sniffed_semicolon() -> None:
    first, second = read("articles.csv")
    assert first.title == "Radweg an der Lahn fertig"
    assert first.author == "Eva Koch"
    assert first.date == dt.date(2023, 5, 4)
    assert second.date == dt.date(2023, 4, 28)
    assert second.url is None


def test_tsv() -> None:
    [article] = read("articles.tsv")
    assert article.title == "Streik im Nahverkehr"
    assert article.date == dt.date(2023, 3, 27)


# --- encodings and compression -----------------------------------------------------------


@pytest.mark.parametrize("name", ["cp1252.txt", "bom.txt", "utf16.txt"])
def test_encodings(name: str) -> None:
    [article] = read(name)
    assert article.title == "Übergrößen für Ärzte"
    assert "ließ zu wünschen übrig" in article.text
    assert "\ufeff" not in article.title


def test_undecodable_bytes_never_crash(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(b"Titel \x81\x8d\x90\n\nText mit \xff\xfe kaputten Bytes \xc3.\n")
    [article] = iter_articles(path)
    assert article.title.startswith("Titel")


def test_mixed_encodings_per_line_in_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        '{"title": "Grüße", "text": "a"}\n'.encode()
        + '{"title": "Größe", "text": "b"}\n'.encode("cp1252")
    )
    assert [a.title for a in iter_articles(path)] == ["Grüße", "Größe"]


@pytest.mark.parametrize("name", ["scraped.txt", "records.jsonl", "articles.csv", "article.html"])
def test_gzip_reads_like_plain(tmp_path: Path, name: str) -> None:
    packed = tmp_path / (name + ".gz")
    packed.write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
    plain = [(a.title, a.text, a.date) for a in read(name)]
    assert [(a.title, a.text, a.date) for a in iter_articles(packed, tmp_path)] == plain


# --- bad files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [("binary.txt", "binary"), ("empty.txt", "empty"), ("invalid.json", "invalid JSON")],
)
def test_bad_fixture_files(name: str, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read(name)


def test_truncated_gzip(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    lines = "".join(
        json.dumps({"title": f"T{i}", "text": f"Text {i * 7919}"}) + "\n" for i in range(500)
    )
    packed = gzip.compress(lines.encode())
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ReadError):
        list(iter_articles(path))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("blank.txt", b"  \n\n \t\n"),
        ("nul.html", b"<html>\x00\x00\x01\x02</html>"),
        ("nothing.jsonl", b"not json\n[1, 2]\n"),
        ("scalar.json", b"42"),
        ("noheader.csv", b"onlyonecolumn\n"),
        ("gzipped-binary.txt.gz", gzip.compress(b"\x00\x01\x02" * 100)),
    ],
)
def test_unreadable_files_raise_read_error(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        list(iter_articles(path))
    assert "\n" not in str(info.value)


def test_missing_file_and_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        list(iter_articles(tmp_path / "gone.txt"))
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(ReadError, match="unsupported"):
        list(iter_articles(tmp_path / "x.pdf"))


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aktualisiert am 06.01.2022-14:32", dt.date(2022, 1, 6)),
        ("Veröffentlicht am 5. Januar 2022, 14:32 Uhr", dt.date(2022, 1, 5)),
        ("06.01.2022 · 14:32 Uhr", dt.date(2022, 1, 6)),
        ("Stand: 06.01.2022 14:32 Uhr", dt.date(2022, 1, 6)),
        ("6.1.2022", dt.date(2022, 1, 6)),
        ("Jan. 2022", dt.date(2022, 1, 1)),
        ("3. März 2021", dt.date(2021, 3, 3)),
        ("Thu, 06 Jan 2022 14:32:00 +0100", dt.date(2022, 1, 6)),
        ("2022-01-06T23:30:00-05:00", dt.date(2022, 1, 6)),
        ("2022-01-06", dt.date(2022, 1, 6)),
        ("Aktualisiert am", None),
        ("31.02.2022", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_date_from_url() -> None:
    assert date_from_url("https://x.example/politik/2022/01/06/a.html") == dt.date(2022, 1, 6)
    assert date_from_url("https://x.example/politik/a-17719696.html") is None


# --- round trip --------------------------------------------------------------------------

_words = st.text(alphabet=string.ascii_letters + "äöüÄÖÜß0123456789 .,;:!?-„“'\"\\/", min_size=1)
_clean = _words.map(lambda s: " ".join(s.split())).filter(bool)
_article = st.fixed_dictionaries(
    {
        "id": st.uuids().map(str),
        "title": _clean,
        "text": st.lists(_clean, min_size=1, max_size=4).map("\n\n".join),
        "date": st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat),
        "url": st.from_regex(r"https://[a-z]{3,10}\.(de|at|ch)/[a-z0-9-]{1,20}", fullmatch=True),
        "author": _clean,
        "section": st.sampled_from(["politik", "wirtschaft", "Kultur", "Sport"]),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(_article, min_size=1, max_size=5))
def test_jsonl_round_trip(tmp_path: Path, records: list[dict]) -> None:
    path = tmp_path / "gen.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    back = [a.to_dict() for a in iter_articles(path, tmp_path)]
    assert len(back) == len(records)
    for record, article in zip(records, back, strict=True):
        for key, value in record.items():
            assert article[key] == value
