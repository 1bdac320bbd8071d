"""The scraped ``.txt`` format: URL line, kicker and headline, header lines, body, site tail.

A file looks like this (``../shared/data/seed/000_e53be52667514cbf.txt``)::

    https://www.faz.net/aktuell/politik/ausland/…-17719696.html

    Abermals Schüsse in Almaty : Von Russland angeführtes Militärbündnis …
      • Aktualisiert am
    Russische Fallschirmjäger treffen in Almaty, Kasachstan ein. Bild: Imago
    Erste russische Soldaten sind am Donnerstagabend in Almaty eingetroffen. …
              2 Min.
              Wegen der gewaltsamen Proteste in Kasachstan …
              Weitere Themen
              Topmeldungen
              …

The whole "Kicker : Headline" line is the title. Header lines (date stamps, bylines,
reading time, the picture credit) become metadata or are dropped; the teaser stays in
the text. From the first line that opens the site's tail ("Weitere Themen",
"Topmeldungen", "Newsletter", a copyright line, …) everything is cut. A file without a
URL on its first line is a plain article: first non-empty line the title, the rest text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from search.readers.dates import date_from_url, parse_date

URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)

#: A whole line that opens the site's trailing boilerplate: everything from it on is cut.
TAIL_MARKERS = re.compile(
    r"^(?:weitere themen|topmeldungen|top-?themen|newsletter|mehr zum thema|"
    r"das könnte sie auch interessieren|das könnte dich auch interessieren|"
    r"lesen sie auch|lesen sie mehr|auch interessant|empfehlungen|unsere empfehlungen|"
    r"mehr aus diesem ressort|mehr aus dem ressort|mehr artikel|weitere artikel|"
    r"ähnliche artikel|verwandte artikel|meistgelesen|am meisten gelesen|meist gelesen|"
    r"zur startseite|zurück zur startseite|(?:diesen |den )?artikel teilen\b.{0,80}|"
    r"teilen(?::.{0,80})?|newsletter\b.{0,120}|alle rechte vorbehalten\b.*|"
    r"kommentare|leserkommentare|kommentar schreiben|"
    r"(?:©|\(c\)\s|copyright\b).*)[:.]?$",
    re.IGNORECASE,
)

#: Reading-time lines ("2 Min.", "Lesezeit: 4 Minuten").
READING_TIME = re.compile(
    r"^(?:lesezeit:?\s*)?(?:ca\.\s*)?\d{1,3}\s*(?:min\.?|minuten?)(?:\s*lesezeit)?$",
    re.IGNORECASE,
)

#: Date-stamp lines; the date itself (if any) is parsed by :func:`parse_date`.
DATE_LINE = re.compile(
    r"^(?:[•·*\-]\s*)?(?:(?:aktualisiert|veröffentlicht|erschienen|zuletzt aktualisiert)"
    r"(?:\s+am)?|stand|datum|update)\b:?.{0,60}$"
    r"|^(?:[•·*\-]\s*)?\d{1,2}\.\s?(?:\d{1,2}\.|\w+)\s?\d{2,4}\b.{0,25}$",
    re.IGNORECASE,
)

#: "Von Anna Schmidt", "Von Anna Schmidt und Jan Berg, Berlin", "Ein Kommentar von …".
BYLINE = re.compile(
    r"^(?:[•·*\-]\s*)?(?:ein (?:kommentar|gastbeitrag|interview|essay) )?von\s+"
    r"(?P<name>[A-ZÄÖÜ][\w.'-]+(?:\s+(?:und\s+|von\s+|van\s+|de\s+|zu\s+)?"
    r"[A-ZÄÖÜ][\w.'-]+){0,5}(?:\s*,\s*[A-ZÄÖÜ][\w\s.-]{0,30})?)$",
    re.IGNORECASE,
)

#: A caption's picture credit at the end of a line: "… ein. Bild: Imago", "(Foto: dpa)".
CREDIT = re.compile(
    r"\s*[(\[]?(?:bild|foto|fotos|photo|quelle|grafik|illustration)\s*:\s*[^.()]{1,60}[)\]]?$",
    re.IGNORECASE,
)

#: Header lines are looked for only among the first lines after the title; a byline or
#: reading time also further down, up to the start of the body (:func:`_body_start`).
HEADER_LINES = 8

#: A paragraph of prose: long, ending a sentence.
PROSE = re.compile(r"^.{100,}[.!?:“\"')]$")

#: URL path words taken as the article's section.
SECTIONS = frozenset(
    """politik inland ausland wirtschaft finanzen kultur feuilleton sport wissen wissenschaft
    panorama regional lokales lokal region gesellschaft digital technik netzwelt reise
    meinung leben stil auto mobilitaet motor karriere gesundheit bildung medien
    vermischtes sport wetter ratgeber geld""".split()
)


@dataclass(slots=True)
class ScrapedText:
    """What :func:`parse_scraped` finds in a ``.txt`` article."""

    title: str
    text: str
    url: str | None = None
    date: dt.date | None = None
    author: str | None = None
    section: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def parse_scraped(content: str) -> ScrapedText | None:
    """Split a scraped (or plain) text article into title, metadata and body.

    :param content: the decoded file.
    :returns: None when the file holds no text at all.
    """
    lines = [_clean(line) for line in content.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return None
    url = None
    if URL_LINE.match(lines[0]):
        url = lines.pop(0)
        if not url.lower().startswith("http"):
            url = "https://" + url
    if not lines:
        return None
    result = ScrapedText(title=lines.pop(0), text="", url=url)
    if " : " in result.title:
        result.extra["kicker"] = result.title.split(" : ", 1)[0]
    body: list[str] = []
    byline_until = _body_start(lines)
    for index, line in enumerate(lines):
        if TAIL_MARKERS.match(line):
            break
        if index < HEADER_LINES and _header_line(line, result):
            continue
        if index < byline_until and (READING_TIME.match(line) or _byline(line, result)):
            continue
        body.append(_strip_credit(line) if index < HEADER_LINES else line)
    result.text = "\n\n".join(line for line in body if line)
    if result.date is None:
        result.date = date_from_url(url)
    result.section = section_from_url(url)
    return result


def section_from_url(url: str | None) -> str | None:
    """The first known section word among the URL's directory segments (``/aktuell/politik/…``)."""
    if not url:
        return None
    try:
        segments = urlsplit(url).path.strip("/").split("/")[:-1]
    except ValueError:
        return None
    for segment in segments:
        if segment.lower() in SECTIONS:
            return segment.lower()
    return None


def _header_line(line: str, result: ScrapedText) -> bool:
    """Take a header line (date stamp, byline, reading time) into ``result``; True if it was one."""
    if READING_TIME.match(line):
        return True
    if DATE_LINE.match(line) and len(line) <= 80:
        result.date = result.date or parse_date(line)
        return True
    return _byline(line, result)


def _byline(line: str, result: ScrapedText) -> bool:
    """Take a "Von Anna Schmidt" line as the author; True if it was one."""
    match = BYLINE.match(line)
    if match and len(line) <= 80:
        result.author = result.author or match.group("name").split(",")[0].strip()
        return True
    return False


def _body_start(lines: list[str]) -> int:
    """Index of the first body paragraph: the second line of prose (the first may be the
    teaser). A byline comes before it; a "Von …" line after it belongs to the text."""
    prose = [index for index, line in enumerate(lines) if PROSE.match(line)]
    return prose[1] if len(prose) > 1 else len(lines)


def _strip_credit(line: str) -> str:
    return CREDIT.sub("", line).strip()


def _clean(line: str) -> str:
    return " ".join(line.replace("\u00ad", "").split())
