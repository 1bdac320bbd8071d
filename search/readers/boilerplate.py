"""Line-level clean-up of extracted main text: the site furniture extractors let through.

trafilatura keeps a page's text blocks that look like prose; what slips through on
German news pages is mostly short furniture: "Lesen Sie auch: …" teasers, "Weitere
Artikel zum Thema" lists at the end, picture credits ("© AFP / …", "Titelbild: …"),
"Kategorie:"/"Letzte Änderung" lines, newsletter and consent prompts. These rules are
general (phrases, not sites) and were tuned on ``benchmarks/extraction.py``.
"""

from __future__ import annotations

import re

#: A short line that opens a list of other articles: from here to the end is cut when it
#: comes in the last part of the text, else only the line goes.
SECTION_HEADER = re.compile(
    r"^(?:weitere|mehr|ähnliche|verwandte|empfohlene|aktuelle|beliebte|neueste|letzte|"
    r"kommentierte|meistgelesene|top)\b.{0,40}\b(?:artikel|beiträge|themen|nachrichten|news|"
    r"meldungen|tipps|tourentipps|stories|videos|links|inhalte)\b.{0,40}$"
    r"|^(?:lesen sie (?:auch|hier|mehr)|auch lesen|das (?:thema |)könnte (?:sie|dich) auch "
    r"interessieren|das könnte (?:sie|dich) auch interessieren|mehr zum thema|"
    r"beiträge aus dem forum|vorschau auf den nächsten artikel|teilnehmende blogs|"
    r"keine kommentare|kommentare|sie sind (?:aktuell |)nicht eingeloggt|inhaltsverzeichnis|"
    r"originalpublikation|weitere infos(?:rmationen)?)\b.{0,80}$",
    re.IGNORECASE,
)

#: Lines dropped wherever they are: credits, page metadata, prompts.
FURNITURE = re.compile(
    r"^(?:[©®]|\(c\)\s|copyright\b|(?:titel|beitrags|vorschau)?bild(?:quelle)?:|"
    r"fotos?:|quelle:|grafik:|kategorien?:|schlagw(?:ö|oe)rter:|tags:|telefon:|tel\.:|fax:|"
    r"e-mail:|letzte (?:änderung|aktualisierung)\b|video verfügbar bis\b|\*?werbung\b|"
    r"anzeige$|unterstütze\b|lust auf mehr\?|jetzt .{0,40}abonnieren|"
    r"if you enjoyed reading)"
    r"|(?:newsletter|inhalt von .{1,60} zu laden|cookies? (?:akzeptieren|zulassen)|"
    r"javascript (?:aktivieren|deaktiviert))",
    re.IGNORECASE,
)
#: Furniture lines are short; a long line with one of these words is prose.
FURNITURE_MAX = 160

#: A trailing picture credit inside a caption line: "… aus der Schweiz. © AFP / MARCO B."
TRAILING_CREDIT = re.compile(r"\s*(?:©|\(c\)|Foto:|Bild:)\s*[^.!?]{1,60}$", re.IGNORECASE)

#: A section header in the last this-fraction of lines cuts the rest.
TAIL_FRACTION = 0.4


def clean_main_text(text: str) -> str:
    """Drop furniture lines and cut trailing lists of other articles from extracted text."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    kept: list[str] = []
    cut_from = len(lines) * (1 - TAIL_FRACTION)
    skip_next = False
    for index, line in enumerate(lines):
        if skip_next:
            skip_next = False
            if len(line) <= FURNITURE_MAX:
                continue
        short = len(line) <= FURNITURE_MAX
        if short and SECTION_HEADER.match(line):
            if index >= cut_from:
                break
            # "Lesen Sie auch:" alone: the teaser it announces is the next line.
            skip_next = line.rstrip().endswith(":") or len(line.split()) <= 4
            continue
        if short and FURNITURE.search(line):
            continue
        line = TRAILING_CREDIT.sub("", line) if "©" in line or short else line
        if line:
            kept.append(line)
    return "\n".join(kept)
