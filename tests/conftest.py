"""Shared fixtures: the external data folder and small article directories written per test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the repository; tests that need it skip without it."""
    if not (SHARED_DATA / "README.md").is_file():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


SCRAPED = """https://www.rheinbote.de/wirtschaft/gaspreise-steigen-{n}.html

Energie : Gaspreise steigen erneut{suffix}

  • Aktualisiert am 06.01.2022-14:32

Ein Gaszähler in einem Keller. Bild: dpa

Die Gaspreise für Haushalte in Köln sind im Januar abermals gestiegen.

          2 Min.

          Viele Verbraucher zahlen für Erdgas inzwischen doppelt so viel wie vor einem Jahr.
Die Stadtwerke verweisen auf die Großhandelspreise und den Winter.

          Der Preis für Gas bleibt nach Ansicht von Fachleuten hoch.

Weitere Themen

Fußball : Der FC gewinnt knapp

Newsletter
Jetzt anmelden und informiert bleiben.
"""


def write_articles(root: Path) -> dict[str, Path]:
    """A small mixed directory: scraped .txt, plain .txt, .jsonl and .html."""
    root.mkdir(parents=True, exist_ok=True)
    files = {
        "gas": root / "wirtschaft" / "gaspreise.txt",
        "plain": root / "plain.txt",
        "feed": root / "feed.jsonl",
        "page": root / "seite.html",
    }
    files["gas"].parent.mkdir(parents=True, exist_ok=True)
    files["gas"].write_text(SCRAPED.format(n=1, suffix=""), encoding="utf-8")
    files["plain"].write_text(
        "Hochwasser am Rhein\n\nDie Wasserstände in Köln steigen weiter. "
        "Die Feuerwehr baut Sandsäcke auf.\n",
        encoding="utf-8",
    )
    records = [
        {
            "id": "agentur-1",
            "title": "Proteste in Kasachstan",
            "text": "In Almaty kam es zu schweren Protesten gegen die Regierung.",
            "date": "2022-01-05",
            "url": "https://agentur.example/politik/kasachstan-1",
            "author": "Erika Muster",
            "section": "politik",
        },
        {
            "id": "agentur-2",
            "title": "Strompreise sinken",
            "text": "Die Strompreise für Haushalte sinken im Frühjahr leicht.",
            "date": "2023-03-01",
            "url": "https://agentur.example/wirtschaft/strom-2",
        },
    ]
    files["feed"].write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    files["page"].write_text(
        """<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Neue Bücher im Herbst | Kulturblatt</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Neue Bücher im Herbst", "datePublished": "2021-10-02T08:00:00+02:00",
 "author": {"@type": "Person", "name": "Jana Beispiel"}, "articleSection": "kultur",
 "url": "https://kulturblatt.example/kultur/buecher-herbst"}</script></head>
<body><nav><a href="/">Start</a> <a href="/kultur">Kultur</a></nav>
<article><h1>Neue Bücher im Herbst</h1>
<p>Die Verlage stellen im Herbst viele neue Bücher vor. Besonders Romane über das Leben auf
dem Land finden in diesem Jahr zahlreiche Leserinnen und Leser in ganz Deutschland.</p>
<p>Auf der Buchmesse in Frankfurt werden die wichtigsten Neuerscheinungen der Saison gezeigt,
und viele Autorinnen lesen dort aus ihren Werken vor.</p></article>
<footer>Impressum Datenschutz</footer></body></html>""",
        encoding="utf-8",
    )
    return files
