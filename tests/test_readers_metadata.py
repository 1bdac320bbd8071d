"""HTML metadata rules: which title, which date, which source and section a page gets.

Each page here is a small invented fixture that shows one rule; the rules were chosen
on ``benchmarks/extraction.py`` (real pages), these tests pin them down.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from search.readers import iter_articles
from search.readers.html import dateline_date, parse_html, strip_site_suffix

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
BODY = (
    "<p>Der Gemeinderat hat am Dienstagabend nach langer Debatte beschlossen, die alte "
    "Brücke über den Fluss zu sanieren, statt sie abzureißen und neu zu bauen.</p>"
    "<p>Die Arbeiten sollen im Frühjahr beginnen und zwei Jahre dauern; der Verkehr wird "
    "so lange über eine Behelfsbrücke im Norden der Stadt umgeleitet.</p>"
)


def page(head: str = "", body: str = "", jsonld: dict | None = None) -> str:
    """A minimal article page: ``head`` and ``body`` markup around a fixed article text."""
    script = ""
    if jsonld is not None:
        script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    return (
        f'<html><head><meta charset="utf-8">{head}{script}</head>'
        f"<body>{body}<article>{BODY}</article></body></html>"
    )


def title_of(head: str = "", body: str = "", jsonld: dict | None = None) -> str:
    parsed = parse_html(page(head, body, jsonld))
    assert parsed is not None
    return parsed.title


# --- titles ------------------------------------------------------------------------------


def test_title_date_stamp_suffix_is_not_part_of_the_title() -> None:
    """A site appending ": 31.10.2023, 10.19 Uhr" to og:title: the heading without it wins."""
    stamped = "So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr"
    head = f'<meta property="og:title" content="{stamped}">'
    assert title_of(head, "<h1>So viel Regen gab es lange nicht</h1>") == (
        "So viel Regen gab es lange nicht"
    )


def test_title_date_stamp_dropped_without_heading() -> None:
    head = "<title>Brücke wird saniert : 31.10.2023, 10.19 Uhr</title>"
    assert title_of(head) == "Brücke wird saniert"


def test_title_kicker_and_headline_heading_gives_the_headline() -> None:
    """``<h1><span>Kicker</span><span>Headline</span></h1>``: the headline, without kicker."""
    head = (
        '<meta property="og:title" content="Klimaschutz: Bohren, bis es heiß wird">'
        "<title>Klimaschutz: Bohren, bis es heiß wird | Rheinbote</title>"
    )
    body = "<h1><span>Klimaschutz</span> <span>Bohren, bis es heiß wird</span></h1>"
    assert title_of(head, body) == "Bohren, bis es heiß wird"


def test_title_headline_as_tail_text_after_kicker_span() -> None:
    head = (
        '<meta property="og:title" content="Olympia in Paris - Getränke per Schiff in die Stadt">'
    )
    body = "<h1><span>Olympia in Paris</span> Getränke per Schiff in die Stadt</h1>"
    assert title_of(head, body) == "Getränke per Schiff in die Stadt"


def test_title_section_label_heading_never_wins() -> None:
    """A "News" heading confirmed by "<title>News - Site" loses to the og:title heading."""
    head = (
        "<title>News - Eawag</title>"
        '<meta property="og:title" content="Auf das erste Elektron kommt es an">'
    )
    body = "<h1>News</h1><h2>Auf das erste Elektron kommt es an</h2>"
    assert title_of(head, body) == "Auf das erste Elektron kommt es an"


def test_title_generic_page_title_falls_back_to_heading() -> None:
    assert title_of("<title>Home</title>", "<h1>Zeit, Abschied zu nehmen</h1>") == (
        "Zeit, Abschied zu nehmen"
    )


def test_title_og_title_outranks_parts_of_page_title() -> None:
    """The blog's name is a part of <title> and a heading; the og:title heading wins."""
    head = (
        '<meta property="og:title" content="Alles hat seine Zeit...">'
        "<title>Alles hat seine Zeit… | Marktplatz für ein gutes Leben</title>"
    )
    body = "<h1>Marktplatz für ein gutes Leben</h1><h2>Alles hat seine Zeit…</h2>"
    assert title_of(head, body) == "Alles hat seine Zeit…"


def test_title_dash_styles_are_equal() -> None:
    head = '<meta property="og:title" content="Termine Januar - Mai 2020 in Halle | Whiskyblog">'
    body = "<h1>Termine Januar – Mai 2020 in Halle</h1>"
    assert title_of(head, body) == "Termine Januar – Mai 2020 in Halle"


def test_title_reworded_og_title_gives_the_heading() -> None:
    """The heading shares nearly all words with the declared title: the visible one wins."""
    head = '<meta property="og:title" content="Brexit: Nervenkrieg geht in nächste Runde">'
    body = "<h1>Der Nervenkrieg um den Brexit geht in die nächste Runde</h1>"
    assert title_of(head, body) == "Der Nervenkrieg um den Brexit geht in die nächste Runde"


def test_title_unrelated_heading_does_not_win() -> None:
    head = '<meta property="og:title" content="Brücke wird saniert statt neu gebaut">'
    body = "<h1>Lokales</h1><h2>Das Wetter am Wochenende</h2>"
    assert title_of(head, body) == "Brücke wird saniert statt neu gebaut"


def test_title_heading_label_before_colon_is_dropped() -> None:
    head = "<title>Energiewende und Wandel | Forschungsinstitut</title>"
    jsonld = {"@type": "WebPage", "headline": "Energiewende und Wandel"}
    body = "<h1>Headline: Energiewende und Wandel</h1>"
    assert title_of(head, body, jsonld) == "Energiewende und Wandel"


def test_title_site_part_dropped_keeps_post_subtitle() -> None:
    """ "Post – Subtitle – Site": only the site goes, not the subtitle as a blog name."""
    head = (
        '<link rel="canonical" href="https://hildesheimer-bote.example/2023/hund">'
        "<title>Hund vertreibt Einbrecher – Zeugenaufruf – Hildesheimer Bote</title>"
    )
    body = "<h1>Hund vertreibt Einbrecher – Zeugenaufruf</h1><h2>Beliebte Artikel</h2>"
    assert title_of(head, body) == "Hund vertreibt Einbrecher – Zeugenaufruf"


def test_title_blog_post_name_without_meta_titles() -> None:
    """ "Post | Blog name" without og: titles: the blog's name is not the title."""
    head = "<title>Kleine Schafskunde | Mäscot das Schaf – Webcomic</title>"
    body = "<h1>Mäscot das Schaf – Webcomic</h1><h2>Kleine Schafskunde</h2>"
    assert title_of(head, body) == "Kleine Schafskunde"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Gaspreise steigen | Rheinbote", "Gaspreise steigen"),
        ("Rheinbote | Gaspreise steigen weiter", "Gaspreise steigen weiter"),
        ("Gaspreise steigen : 31.10.2023, 10.19 Uhr", "Gaspreise steigen"),
        ("Gaspreise steigen", "Gaspreise steigen"),
    ],
)
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title, {"rheinbote"}) == expected


# --- dates -------------------------------------------------------------------------------


def date_of(head: str = "", body: str = "", jsonld: dict | None = None) -> dt.date | None:
    parsed = parse_html(page(head, body, jsonld))
    assert parsed is not None
    return parsed.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Karlsruhe, (12.11.2021). Traditionell gedenken …", dt.date(2021, 11, 12)),
        ("24. April 2020 | Pressemitteilungen\nOlafur Eliasson …", dt.date(2020, 4, 24)),
        ("02.02.2022 10:16 Uhr - 1. Bundesliga", dt.date(2022, 2, 2)),
        ("Am 14. Juni 2005 hielt Steve Jobs eine Rede", None),
        ("Der Termin steht fest: Am 21. Mai 2022", None),
    ],
)
def test_dateline_only_at_the_start(text: str, expected: dt.date | None) -> None:
    assert dateline_date(text) == expected


def test_date_meta_published_time_over_generic_date_meta() -> None:
    head = (
        '<meta name="date" content="2021-12-20">'
        '<meta property="article:published_time" content="2022-01-27T08:00:00+01:00">'
    )
    assert date_of(head) == dt.date(2022, 1, 27)


def test_date_visible_date_element_over_generic_date_meta() -> None:
    """A site-wide ``<meta name="date">`` loses to the date shown under the headline."""
    head = '<meta name="date" content="2021-12-20">'
    body = '<h1>Brücke wird saniert</h1><span class="date">27.01.2022</span>'
    assert date_of(head, body) == dt.date(2022, 1, 27)


def test_date_visible_change_date_does_not_count() -> None:
    body = (
        '<span class="date-updated">03.03.2023</span>'
        '<div class="post-date">Dienstag, 7. Februar 2023</div>'
    )
    assert date_of("", body) == dt.date(2023, 2, 7)


def test_date_itemprop_date_published() -> None:
    body = (
        '<time itemprop="datePublished" datetime="2020-04-27T17:58">27.04.</time>'
        '<span class="date">08.07.2020</span>'
    )
    assert date_of("", body) == dt.date(2020, 4, 27)


def test_date_labelled_in_text() -> None:
    body = "<p>RES158 Sternfusion</p><p>Veröffentlicht am 16.08.2019<br>Dauer: 1 Stunde</p>"
    assert date_of("", body) == dt.date(2019, 8, 16)


def test_date_json_ld_without_visible_date() -> None:
    jsonld = {"@type": "NewsArticle", "headline": "Brücke", "datePublished": "2022-12-21T05:49"}
    assert date_of("", "", jsonld) == dt.date(2022, 12, 21)


# --- source, section, byline -------------------------------------------------------------


def test_html_source_is_url_host_and_publisher_kept(tmp_path: Path) -> None:
    """Facets and ``quelle:`` must agree across formats: the host, not the publisher name."""
    jsonld = {
        "@type": "NewsArticle",
        "headline": "Brücke wird saniert",
        "url": "https://www.aare-bote.example/regional/bruecke.html",
        "publisher": {"@type": "Organization", "name": "Aare-Bote"},
    }
    (tmp_path / "a.html").write_text(page("", "", jsonld), encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "https://www.aare-bote.example/regional/faehre.html\n\nFähre fährt wieder\n\nText.",
        encoding="utf-8",
    )
    [html] = iter_articles(tmp_path / "a.html")
    [txt] = iter_articles(tmp_path / "b.txt")
    assert html.source == txt.source == "aare-bote.example"
    assert html.extra["publisher"] == "Aare-Bote"


def test_html_source_without_url_is_the_publisher() -> None:
    parsed = parse_html(page('<meta property="og:site_name" content="Aare-Bote">'))
    assert parsed is not None
    assert parsed.url is None
    assert parsed.source == "Aare-Bote"


@pytest.mark.parametrize(
    ("record", "source", "publisher"),
    [
        (
            {"url": "https://www.aare-bote.example/a", "publisher": "Aare-Bote"},
            "aare-bote.example",
            "Aare-Bote",
        ),
        ({"url": "https://www.aare-bote.example/a", "source": "Aare-Bote"}, "Aare-Bote", None),
        ({"site_name": "Aare-Bote"}, "Aare-Bote", "Aare-Bote"),
        ({"url": "https://aare-bote.example/a"}, "aare-bote.example", None),
    ],
)
def test_record_source(tmp_path: Path, record: dict, source: str, publisher: str | None) -> None:
    """An explicit ``source`` field is kept; otherwise the URL host, else the publisher."""
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"title": "T", "text": "x", **record}) + "\n", encoding="utf-8")
    [article] = iter_articles(path)
    assert article.source == source
    assert article.extra.get("publisher") == publisher


@pytest.mark.parametrize(
    ("head", "jsonld"),
    [
        ("", {"@type": "NewsArticle", "headline": "T", "articleSection": ["Panorama", "Wallis"]}),
        ('<meta property="article:section" content="Panorama">', None),
    ],
)
def test_html_section(head: str, jsonld: dict | None) -> None:
    parsed = parse_html(page(head, "", jsonld))
    assert parsed is not None
    assert parsed.section == "Panorama"


def test_scraped_byline_after_long_header() -> None:
    """A byline below captions, teaser and reading time is still the author; "Von …" lines
    in the body stay text."""
    [article] = iter_articles(FIXTURES / "scraped_late_byline.txt")
    assert article.author == "Anna Schmidt"
    assert "Von Anna Schmidt" not in article.text
    assert "3 Min." not in article.text
    assert "Von Montag an gilt auch wieder der Sommerfahrplan" in article.text
    assert "Von Linz Kripp" in article.text
