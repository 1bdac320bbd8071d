"""Saved HTML pages: structured metadata first, trafilatura for the main text.

Metadata comes from what the publisher declares, in this order of trust: JSON-LD
(``NewsArticle`` and friends, also inside ``@graph``), ``og:``/``article:``/Dublin Core
``<meta>`` tags, ``<time>`` elements, then the ``<title>`` minus its site suffix; a
visible heading that a declared title confirms is preferred (:func:`choose_title`).
trafilatura extracts the main text. The date is what the page shows or states as its
publication date (a dateline, ``article:published_time``, microdata, a date element under
the headline, "Veröffentlicht am …"), else htmldate's search. ``source`` is the site's
host when the page names its URL, so pages, ``.txt`` files and records of a site share it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from search.model import source_from_url
from search.readers.boilerplate import clean_main_text
from search.readers.dates import (
    DAY_MONTH_YEAR,
    GERMAN_NUMERIC,
    ISO_DATE,
    date_from_url,
    parse_date,
)

#: schema.org types whose JSON-LD object describes the article itself.
ARTICLE_TYPES = frozenset(
    """Article NewsArticle ReportageNewsArticle AnalysisNewsArticle OpinionNewsArticle
    BackgroundNewsArticle ReviewNewsArticle AskPublicNewsArticle SatiricalArticle
    ScholarlyArticle TechArticle BlogPosting LiveBlogPosting SocialMediaPosting
    Report WebPage ItemPage""".split()
)
#: Types that are pages rather than articles: used only if no article type is present.
PAGE_TYPES = frozenset({"WebPage", "ItemPage"})

DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued",
    "dc.date", "dcterms.date", "dcterms.issued", "dcterms.created", "sailthru.date",
    "parsely-pub-date", "article.published", "published_time", "og:published_time",
    "cxenseparse:recs:publishtime", "date.release", "last-modified",
)  # fmt: skip
#: Generic names some sites fill with any date (the page's, the cache's): trusted last.
WEAK_DATE_META = frozenset(
    {"date", "dc.date", "dcterms.date", "pubdate", "last-modified", "date.release"}
)
#: A whole date with day, month and year (not "Jan. 2022").
FULL_DATE = re.compile(
    f"(?:{GERMAN_NUMERIC.pattern}|{DAY_MONTH_YEAR.pattern}|{ISO_DATE.pattern})", re.IGNORECASE
)
#: A date at the very start of the text, after at most a place name: "Bonn, (3.2.2022)".
DATELINE = re.compile(
    rf"^(?:[^\W\d][\w .\-/]{{0,30}},\s*)?\(?({FULL_DATE.pattern})\)?(?:[.,:)\s–-]|$)",
    re.IGNORECASE,
)
#: Classes and ids of date elements; those of change dates and comments do not count.
DATE_CLASS = re.compile(r"date|datum|time|publish|posted|veroeffentlicht|created|erstellt", re.I)
NOT_PUBLISHED = re.compile(r"modif|update|aktualis|comment|kommentar", re.IGNORECASE)
#: A label naming the publication date, and the text after it.
DATE_LABEL = re.compile(
    r"(?:veröffentlicht|erschienen|publiziert|erstellt|datum|stand|published|posted)"
    r"(?:\s+(?:am|on|vom))?\s*:?\s*(.{6,40})",
    re.IGNORECASE,
)
HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template"})
TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title", "headline")
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
               "sailthru.author", "twitter:creator")  # fmt: skip
SECTION_META = ("article:section", "parsely-section", "section", "og:article:section")
SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher")

#: Separators between a page title and the site's name: "Titel | Site", "Titel - Site".
TITLE_SEPARATORS = re.compile(r"\s+(?:\||ǀ|–|—|-|::|·|•|»|«|›|‹|/)\s+")
#: Kicker and headline: "Klimaschutz: Bohren, bis es heiß wird".
KICKER_SEPARATOR = re.compile(r"\s*:\s+")
#: Separators of title parts for matching headings: also "Titel : Site", "Titel : Datum".
RUN_SEPARATORS = re.compile(TITLE_SEPARATORS.pattern + r"|\s+:\s+")
#: A title part that is a date stamp, as some sites append to every title.
DATE_STAMP = re.compile(
    r"^(?:\w+,?\s+)?\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}(?:,?\s+\d{1,2}[.:]\d{2}(?:\s*uhr)?)?$",
    re.IGNORECASE,
)
#: Navigation and section labels that are never an article's title.
GENERIC_TITLES = frozenset(
    """home startseite start index news aktuelles aktuell blog archiv nachrichten
    willkommen welcome medienmitteilungen pressemitteilungen presse uebersicht übersicht
    artikel beitrag beiträge""".split()
)
WORD = re.compile(r"\w+(?:-\w+)*")
QUOTES = str.maketrans({c: '"' for c in "„“”«»‚‘’'\u201e\u201f"} | {"–": "-", "—": "-"})


#: A declared description shorter than this is a slogan, not a teaser.
TEASER_MIN = 60

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(slots=True)
class PageMeta:
    """What a page declares about itself."""

    title: str | None = None
    titles: list[str] = field(default_factory=list)
    date: dt.date | None = None
    #: The JSON-LD ``datePublished``.
    declared_date: dt.date | None = None
    #: A ``<meta>`` publication time (``article:published_time`` and the like).
    published: dt.date | None = None
    url: str | None = None
    author: str | None = None
    section: str | None = None
    #: The publisher's or site's name as declared (JSON-LD publisher, og:site_name).
    publisher: str | None = None
    body: str | None = None
    description: str | None = None


@dataclass(slots=True)
class HtmlArticle:
    """What :func:`parse_html` finds in a page."""

    title: str
    text: str
    date: dt.date | None = None
    url: str | None = None
    author: str | None = None
    section: str | None = None
    #: The site's host (``faz.net``) when the page names its URL, else the publisher's name.
    source: str | None = None
    #: The publisher or site name the page declares ("Frankfurter Allgemeine Zeitung").
    publisher: str | None = None
    #: The page declares no title: ``title`` is the text's first line, for display only.
    title_derived: bool = False


def parse_html(html: str) -> HtmlArticle | None:
    """Title, metadata and main text of one HTML page; None if it has no text.

    :param html: the decoded page.
    """
    tree = load_tree(html)
    if tree is None:
        return None
    meta = page_meta(tree)
    text = main_text(tree, meta)
    title = choose_title(tree, meta)
    if not text and not title:
        return None
    # Order measured on the 295 dated gold pages (benchmarks/extraction.py; 0.922 in
    # all, htmldate alone 0.888): what the page itself shows or states as the
    # publication date first, htmldate's extensive search next, then any other declared
    # date and the URL. Each source alone is right on 85-100 % of the pages it answers.
    date = (
        dateline_date(text)
        or meta.published
        or _itemprop_date(tree)
        or visible_date(tree)
        or labelled_date(tree)
        or _htmldate(tree, meta.url)
        or meta.declared_date
        or meta.date
        or date_from_url(meta.url)
    )
    return HtmlArticle(
        title=title or _first_line(text),
        title_derived=not title,
        text=text,
        date=date,
        url=meta.url,
        author=meta.author,
        section=meta.section,
        source=(source_from_url(meta.url) if meta.url else None) or meta.publisher,
        publisher=meta.publisher,
    )


def load_tree(html: str) -> lxml.html.HtmlElement | None:
    """Parse a page; an XML declaration (which lxml refuses in a str) is dropped first."""
    html = XML_DECLARATION.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def page_meta(tree: lxml.html.HtmlElement) -> PageMeta:
    """Collect JSON-LD and ``<meta>`` declarations, JSON-LD first."""
    meta = PageMeta()
    article = _jsonld_article(tree)
    if article:
        meta.titles += [_text(article.get("headline")), _text(article.get("name"))]
        meta.declared_date = parse_date(_text(article.get("datePublished")))
        meta.date = meta.declared_date or parse_date(_text(article.get("dateCreated")))
        meta.author = _names(article.get("author") or article.get("creator"))
        meta.section = _text(article.get("articleSection")) or None
        meta.publisher = _names(article.get("publisher")) or None
        meta.url = _text(article.get("url")) or _text(article.get("mainEntityOfPage")) or None
        meta.body = _text(article.get("articleBody")) or None
        meta.description = _text(article.get("description")) or None
    tags = _meta_tags(tree)
    meta.titles += [tags.get(name, "") for name in TITLE_META]
    meta.titles = [t for t in dict.fromkeys(_squash(t) for t in meta.titles) if t]
    for name in DATE_META:
        found = parse_date(tags[name]) if name in tags else None
        if found and name not in WEAK_DATE_META:
            meta.published = meta.published or found
        meta.date = meta.date or found
    if meta.date is None:
        meta.date = _time_element_date(tree)
    meta.author = meta.author or _first_tag(tags, AUTHOR_META)
    meta.section = meta.section or _first_tag(tags, SECTION_META)
    meta.publisher = meta.publisher or _first_tag(tags, SITE_META)
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    meta.url = (
        _absolute_url(meta.url)
        or _absolute_url(tags.get("og:url"))
        or (_absolute_url(canonical[0]) if canonical else None)
    )
    meta.description = meta.description or tags.get("og:description") or tags.get("description")
    return meta


def choose_title(tree: lxml.html.HtmlElement, meta: PageMeta) -> str | None:
    """The headline as the page shows it.

    A visible heading (``<h1>``, then ``<h2>``) wins when a declared title confirms it:
    best a whole JSON-LD/``og:``/``twitter:``/``<title>`` title, then a run of their
    separator-split parts ("Titel | Rubrik | Site" confirms "Titel" and "Titel | Rubrik"),
    then a run of the ``<title>``'s parts alone; headings that only name the site or a
    section ("News", "Startseite") never count. A heading built of kicker and headline
    gives its last part when that is confirmed too (the headline without the kicker).
    Without a confirmed heading, one sharing nearly all words with a declared title wins
    (a reworded og:title); else the first declared title minus its site part, else the
    first heading.
    """
    sites = _site_names(tree, meta)
    page_title = _squash(tree.findtext(".//title") or "")
    meta_titles = [t for t in meta.titles if not _generic(t)]
    declared = [d for d in dict.fromkeys([*meta_titles, page_title]) if d and not _generic(d)]
    confirmed: dict[str, int] = {}
    for rank, titles in ((1, meta_titles), (2, [page_title] if page_title else [])):
        for title in titles:
            confirmed.setdefault(_key(title), 0)
            for run in _title_runs(title, sites, blog_tail=rank == 2 and not meta_titles):
                confirmed.setdefault(_key(run), rank)
    all_headings = _headings(tree)
    headings = [h for h in all_headings if not _site_like(h.text, sites)]

    def rank_of(text: str) -> int | None:
        if _generic(text) or _site_like(text, sites):
            return None
        return confirmed.get(_key(text))

    # (rank, a piece rather than the heading or a child part, heading order, part order)
    best: tuple[int, bool, int, int] | None = None
    for order, heading in enumerate(headings):
        whole = 1 + len(heading.parts)
        for part_order, text in enumerate(heading.candidates()):
            rank = rank_of(text)
            found = (rank, part_order >= whole, order, part_order)
            if rank is not None and (best is None or found[:3] < best[:3]):
                best = found
    if best is not None:
        heading = headings[best[2]]
        if heading.parts and rank_of(heading.parts[-1]) is not None:
            return heading.parts[-1]
        return heading.candidates()[best[3]]
    stripped = [strip_site_suffix(d, sites) for d in declared]
    stripped = [t for t in stripped if t and not _site_like(t, sites) and not _generic(t)]
    for heading in headings:
        if any(_similar(heading.text, title) for title in stripped):
            return heading.text
    if stripped:
        return stripped[0]
    texts = [h.text for h in all_headings if not _generic(h.text)]
    return texts[0] if texts else None


def strip_site_suffix(title: str, sites: set[str] | None = None) -> str:
    """``"Gaspreise steigen | Rheinbote"`` -> ``"Gaspreise steigen"``.

    Parts that name the site, or are a date stamp ("… : 31.10.2023, 10.19 Uhr"), are
    dropped from either end; if none is recognised, the first part is kept when it is
    the longer one (the usual "Headline | Site" order).
    """
    sites = sites or set()
    kept = _drop_site_parts(title, sites)
    if kept != title:
        return kept
    spans = _pieces(title, TITLE_SEPARATORS)
    if len(spans) < 2:
        return title
    pieces = [title[a:b] for a, b in spans]
    if len(pieces[-1]) < len(" ".join(pieces[:-1])):
        return title[: spans[-2][1]].strip()
    return max(pieces, key=len)


def _drop_site_parts(title: str, sites: set[str]) -> str:
    """``title`` without the site-name and date-stamp parts at its ends."""
    spans = _pieces(title, RUN_SEPARATORS)
    start, stop = 0, len(spans)

    def droppable(index: int) -> bool:
        piece = title[slice(*spans[index])]
        return _site_like(piece, sites) or _date_stamp(piece)

    while stop - start > 1 and droppable(stop - 1):
        stop -= 1
    while stop - start > 1 and droppable(start):
        start += 1
    return title[spans[start][0] : spans[stop - 1][1]].strip()


def _title_runs(title: str, sites: set[str], blog_tail: bool = False) -> list[str]:
    """The parts of a declared title a heading may match, site and date parts left out.

    ``"Kicker: Titel | Rubrik | Site"`` gives "Kicker: Titel", "Rubrik", "Kicker: Titel |
    Rubrik", "Titel" and "Rubrik" alone … : every run of neighbouring parts. With
    ``blog_tail`` the last part is taken as a blog's name ("Post | Blog name").
    """
    stripped = _drop_site_parts(title, sites)
    blog_tail = blog_tail and stripped == title
    title = stripped
    spans = _pieces(title, RUN_SEPARATORS)
    if blog_tail and len(spans) > 1:
        spans = spans[:-1]
    runs = []
    for first in range(len(spans)):
        for last in range(first, len(spans)):
            run = title[spans[first][0] : spans[last][1]].strip()
            if not _site_like(run, sites) and not _date_stamp(run):
                runs.append(run)
    for run in list(runs):
        runs += KICKER_SEPARATOR.split(run)[1:]
    return runs


def _pieces(title: str, separators: re.Pattern[str]) -> list[tuple[int, int]]:
    """Start and end offsets of the parts of ``title`` between separators."""
    spans, start = [], 0
    for match in separators.finditer(title):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(title)))
    return [(a, b) for a, b in spans if title[a:b].strip()] or [(0, len(title))]


@dataclass(slots=True)
class Heading:
    """A heading's whole text and, when built of parts (kicker, headline), each part."""

    text: str
    parts: list[str] = field(default_factory=list)

    def candidates(self) -> list[str]:
        """Whole text, parts, then the pieces around separators ("Label: Titel | Site")."""
        pieces = [self.text[a:b].strip() for a, b in _pieces(self.text, RUN_SEPARATORS)]
        kicked = KICKER_SEPARATOR.split(self.text)[1:]
        return [self.text, *self.parts, *(pieces if len(pieces) > 1 else ()), *kicked]


def _headings(tree: lxml.html.HtmlElement) -> list[Heading]:
    """``<h1>`` then ``<h2>`` headings, site parts stripped, style and script text left out."""
    found: list[Heading] = []
    seen: set[str] = set()
    for tag in ("h1", "h2"):
        for element in list(tree.iter(tag))[:6]:
            text = _visible_text(element)
            if not 2 <= len(text) <= 300 or text in seen:
                continue
            seen.add(text)
            parts = [_visible_text(child) for child in element if isinstance(child.tag, str)]
            parts = [p for p in dict.fromkeys(parts) if p and p != text and len(p) >= 2]
            if len(parts) == 1 and text.startswith(parts[0]):
                rest = text[len(parts[0]) :].strip()
                if len(rest) >= 2:
                    parts.append(rest)
            found.append(Heading(text, parts))
    return found


def _visible_text(element: lxml.html.HtmlElement) -> str:
    texts = element.xpath(".//text()[not(ancestor::style) and not(ancestor::script)]")
    return _squash("".join(texts))


def _similar(first: str, second: str) -> bool:
    """Nearly the same words: all but a quarter of the shorter title's words in the other."""
    a, b = set(WORD.findall(_key(first))), set(WORD.findall(_key(second)))
    shorter = min(len(a), len(b))
    return shorter >= 3 and len(a & b) >= 0.75 * shorter


def _generic(text: str) -> bool:
    """A navigation or section label standing where a title should be ("Home", "News")."""
    return _letters(text) in GENERIC_TITLES


def _date_stamp(text: str) -> bool:
    """A title part that is only a date and time: "31.10.2023, 10.19 Uhr"."""
    return bool(DATE_STAMP.match(text.strip()))


def _site_names(tree: lxml.html.HtmlElement, meta: PageMeta) -> set[str]:
    """Letters-only forms of the site's names: og:site_name, publisher, host name parts."""
    names = {_letters(meta.publisher or "")} - GENERIC_TITLES
    for url in (meta.url, *tree.xpath('//link[@rel="canonical"]/@href')):
        host = (urlsplit(url).hostname or "") if url else ""
        for part in host.split(".")[:-1]:
            if part not in ("www", "m", "blog", "de", "com", "org", "net"):
                names.add(_letters(part))
    return {n for n in names if len(n) >= 4}


def _site_like(text: str, sites: set[str]) -> bool:
    letters = _letters(text)
    if not letters:
        return True
    if len(text.split()) > 4:
        return False
    return any(letters == site or site in letters or letters in site for site in sites)


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _key(text: str) -> str:
    """Comparison form of a title: case, spacing, quote, dash and ellipsis styles ignored."""
    text = text.translate(QUOTES).replace("...", "…").replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


def main_text(tree: lxml.html.HtmlElement, meta: PageMeta) -> str:
    """The article body: trafilatura's main text, cleaned of furniture lines.

    trafilatura's default balance measured best here (with/without on the gold pages:
    default 0.948/0.908, favor_precision 0.919/0.928, favor_recall 0.940/0.892); the
    line rules of :mod:`search.readers.boilerplate` then take out what it lets through.
    A longer JSON-LD ``articleBody`` replaces it; a declared description (the teaser)
    missing from the text is put in front.
    """
    extracted = trafilatura.extract(
        tree, url=meta.url, include_comments=False, include_tables=True, deduplicate=False
    )
    text = clean_main_text(extracted or "")
    if meta.body and len(meta.body) > len(text):
        text = clean_main_text(meta.body)
    teaser = meta.description
    if teaser and len(teaser) >= TEASER_MIN and _key(teaser) not in _key(text):
        if not teaser.endswith(("...", "…")):
            text = f"{teaser}\n{text}" if text else teaser
    return text.strip()


def _jsonld_article(tree: lxml.html.HtmlElement) -> dict | None:
    """The first JSON-LD object of an article type (page types only as a fallback)."""
    fallback = None
    for node in _jsonld_objects(tree):
        types = node.get("@type")
        types = {types} if isinstance(types, str) else set(types or ())
        if types & (ARTICLE_TYPES - PAGE_TYPES):
            return node
        if fallback is None and types & PAGE_TYPES and node.get("headline"):
            fallback = node
    return fallback


def _jsonld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?:<!\[CDATA\[|//\s*<!\[CDATA\[)|(?://\s*)?\]\]>\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        yield from _walk(data, depth=0)


def _walk(data: object, depth: int) -> Iterator[dict]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if isinstance(data.get(key), list | dict):
                yield from _walk(data[key], depth + 1)


def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        value = element.get("content")
        if key and value and value.strip():
            tags.setdefault(key.strip().lower(), value.strip())
    return tags


def _time_element_date(tree: lxml.html.HtmlElement) -> dt.date | None:
    for element in tree.xpath("//time[@datetime]|//*[@itemprop='datePublished']"):
        found = parse_date(element.get("datetime") or element.get("content"))
        if found:
            return found
    return None


def _itemprop_date(tree: lxml.html.HtmlElement) -> dt.date | None:
    """A date marked as the publication date in the markup (microdata, ``<time pubdate>``)."""
    for value in tree.xpath(
        "//*[@itemprop='datePublished']/@content|//*[@itemprop='datePublished']/@datetime"
        "|//time[@pubdate]/@datetime"
    ):
        found = parse_date(value)
        if found:
            return found
    return None


def dateline_date(text: str) -> dt.date | None:
    """A date opening the article text: "24. April 2020 | …", "Karlsruhe, (12.11.2021). …".

    A date later in the first sentence ("Am 14. Juni 2005 hielt …") is what the article
    is about, not when it appeared, and does not count.
    """
    match = DATELINE.match(text[:100])
    return parse_date(match.group(1)) if match else None


def visible_date(tree: lxml.html.HtmlElement) -> dt.date | None:
    """The first short element whose class or id names a date ("date", "datum", "time",
    "publish" …) and whose text is one: the date line under the headline."""
    body = tree.find("body")
    if body is None:
        return None
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in HIDDEN_TAGS:
            continue
        names = " ".join(filter(None, (element.get("class"), element.get("id"))))
        if not names or not DATE_CLASS.search(names) or NOT_PUBLISHED.search(names):
            continue
        text = _visible_text(element)
        if len(text) <= 80 and FULL_DATE.search(text):
            found = parse_date(text)
            if found:
                return found
    return None


def labelled_date(tree: lxml.html.HtmlElement) -> dt.date | None:
    """A date the page labels as its own: "Veröffentlicht am 16.08.2019", "Datum: 3.2.2022"."""
    body = tree.find("body")
    if body is None:
        return None
    text = " ".join(body.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))
    for match in DATE_LABEL.finditer(text):
        if FULL_DATE.search(match.group(1)):
            found = parse_date(match.group(1))
            if found:
                return found
    return None


def _htmldate(tree: lxml.html.HtmlElement, url: str | None) -> dt.date | None:
    from htmldate import find_date

    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=True)
    except Exception:  # htmldate raises assorted errors on odd pages; a date is optional
        return None
    return parse_date(found) if found else None


def _names(value: object) -> str | None:
    if isinstance(value, list):
        names = [_names(item) for item in value]
        return ", ".join(dict.fromkeys(n for n in names if n)) or None
    if isinstance(value, dict):
        return _text(value.get("name")) or None
    return _text(value) or None


def _text(value: object) -> str:
    if isinstance(value, str):
        return _squash(value)
    if isinstance(value, dict):
        return _text(value.get("@id") or value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


def _first_tag(tags: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if tags.get(name):
            return tags[name]
    return None


def _absolute_url(url: str | None) -> str | None:
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _squash(value: str) -> str:
    import html as html_module

    return " ".join(html_module.unescape(value).split())


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:200]
