"""Saved HTML pages: structured metadata first, trafilatura for the main text.

Metadata comes from what the publisher declares, in this order of trust: JSON-LD
(``NewsArticle`` and friends, also inside ``@graph``), ``og:``/``article:``/Dublin Core
``<meta>`` tags, ``<time>`` elements, then the ``<title>`` minus its site suffix.
trafilatura extracts the main text; htmldate finds a date when the page declares none.
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

from search.readers.boilerplate import clean_main_text
from search.readers.dates import date_from_url, parse_date

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
TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title", "headline")
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
               "sailthru.author", "twitter:creator")  # fmt: skip
SECTION_META = ("article:section", "parsely-section", "section", "og:article:section")
SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher")

#: Separators between a page title and the site's name: "Titel | Site", "Titel - Site".
TITLE_SEPARATORS = re.compile(r"\s+(?:\||ǀ|–|—|-|::|·|•|»|«|›|‹|/)\s+")
#: Kicker and headline: "Klimaschutz: Bohren, bis es heiß wird".
KICKER_SEPARATOR = re.compile(r"\s*:\s+")
QUOTES = str.maketrans({c: '"' for c in "„“”«»‚‘’'\u201e\u201f"})


#: A declared description shorter than this is a slogan, not a teaser.
TEASER_MIN = 60

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(slots=True)
class PageMeta:
    """What a page declares about itself."""

    title: str | None = None
    titles: list[str] = field(default_factory=list)
    date: dt.date | None = None
    #: The JSON-LD ``datePublished``: trusted above htmldate (measured on the gold pages).
    declared_date: dt.date | None = None
    url: str | None = None
    author: str | None = None
    section: str | None = None
    source: str | None = None
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
    source: str | None = None


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
    # Order measured on the 295 dated gold pages (benchmarks/extraction.py): a page
    # showing exactly one <time datetime> date (0.895 with the rest), htmldate's
    # extensive search (0.888 alone), JSON-LD datePublished, <meta> tags, the URL.
    date = (
        _single_time_date(tree)
        or _htmldate(tree, meta.url)
        or meta.declared_date
        or meta.date
        or date_from_url(meta.url)
    )
    return HtmlArticle(
        title=title or _first_line(text),
        text=text,
        date=date,
        url=meta.url,
        author=meta.author,
        section=meta.section,
        source=meta.source,
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
        meta.source = _names(article.get("publisher")) or None
        meta.url = _text(article.get("url")) or _text(article.get("mainEntityOfPage")) or None
        meta.body = _text(article.get("articleBody")) or None
        meta.description = _text(article.get("description")) or None
    tags = _meta_tags(tree)
    meta.titles += [tags.get(name, "") for name in TITLE_META]
    meta.titles = [t for t in dict.fromkeys(_squash(t) for t in meta.titles) if t]
    if meta.date is None:
        for name in DATE_META:
            if name in tags:
                meta.date = parse_date(tags[name])
                if meta.date:
                    break
    if meta.date is None:
        meta.date = _time_element_date(tree)
    meta.author = meta.author or _first_tag(tags, AUTHOR_META)
    meta.section = meta.section or _first_tag(tags, SECTION_META)
    meta.source = meta.source or _first_tag(tags, SITE_META)
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

    Visible headings (``<h1>``, then ``<h2>``) win when a declared title (JSON-LD,
    ``og:``/``twitter:``, ``<title>``) or one of its " | "-separated parts confirms them;
    a heading that is only the site's name does not count. Otherwise the first declared
    title minus its site part, else the first heading.
    """
    sites = _site_names(tree, meta)
    declared = meta.titles + [_squash(tree.findtext(".//title") or "")]
    declared = [d for d in dict.fromkeys(declared) if d]
    has_meta_title = bool(meta.titles)
    confirmed: set[str] = set()
    for index, title in enumerate(declared):
        confirmed.add(_key(title))
        parts = TITLE_SEPARATORS.split(title)
        for position, part in enumerate(parts):
            if _site_like(part, sites):
                continue
            # "Post | Blog name" without og:/JSON-LD titles: the last part is the blog's name.
            if position and position == len(parts) - 1 and not has_meta_title and index == 0:
                continue
            confirmed.add(_key(part))
            confirmed.update(_key(p) for p in KICKER_SEPARATOR.split(part)[1:])
    headings = _headings(tree)
    for heading in headings:
        if _key(heading) in confirmed and not _site_like(heading, sites):
            return heading
    stripped = [strip_site_suffix(d, sites) for d in declared]
    stripped = [t for t in stripped if t and not _site_like(t, sites)]
    if stripped:
        return stripped[0]
    return headings[0] if headings else None


def strip_site_suffix(title: str, sites: set[str] | None = None) -> str:
    """``"Gaspreise steigen | Rheinbote"`` -> ``"Gaspreise steigen"``.

    Parts that name the site are dropped from either end; if none is recognised, the
    first part is kept when it is the longer one (the usual "Headline | Site" order).
    """
    pieces = TITLE_SEPARATORS.split(title)
    if len(pieces) < 2:
        return title
    separators = TITLE_SEPARATORS.findall(title)
    start, stop = 0, len(pieces)
    while stop - start > 1 and _site_like(pieces[stop - 1], sites or set()):
        stop -= 1
    while stop - start > 1 and _site_like(pieces[start], sites or set()):
        start += 1
    if (start, stop) == (0, len(pieces)):
        if len(pieces[-1]) < len(" ".join(pieces[:-1])):
            stop -= 1
        else:
            return max(pieces, key=len)
    kept = pieces[start]
    for sep, piece in zip(separators[start : stop - 1], pieces[start + 1 : stop], strict=True):
        kept += sep + piece
    return kept.strip()


def _headings(tree: lxml.html.HtmlElement) -> list[str]:
    """``<h1>`` then ``<h2>`` texts; a heading built of parts (kicker, headline) adds each part."""
    found = []
    for tag in ("h1", "h2"):
        for element in list(tree.iter(tag))[:6]:
            texts = [element.text_content()]
            texts += [child.text_content() for child in element if isinstance(child.tag, str)]
            for text in map(_squash, texts):
                if 2 <= len(text) <= 300 and text not in found:
                    found.append(text)
    return found


def _site_names(tree: lxml.html.HtmlElement, meta: PageMeta) -> set[str]:
    """Letters-only forms of the site's names: og:site_name, publisher, host name parts."""
    names = {_letters(meta.source or "")}
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
    """Comparison form of a title: case, spacing and quote styles ignored."""
    return " ".join(text.translate(QUOTES).split()).casefold()


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


def _single_time_date(tree: lxml.html.HtmlElement) -> dt.date | None:
    """The date of the page's ``<time datetime>`` elements when they all show the same day."""
    dates = {parse_date(element.get("datetime")) for element in tree.xpath("//time[@datetime]")}
    dates.discard(None)
    return dates.pop() if len(dates) == 1 else None


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
