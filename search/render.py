"""The *formatter* role: hits as terminal text, KWIC concordance lines, HTML or JSON Lines.

Only this module and the CLI import rich. Nothing here forces colour: the caller's
:class:`rich.console.Console` decides (no colour when not a TTY or when ``NO_COLOR`` is set);
the marks are bold as well as coloured, so they stay visible without colour.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.console import Console
from rich.table import Table
from rich.text import Text

from search import stories
from search.model import Article, Hit
from search.snippets import KwicLine

if TYPE_CHECKING:
    from search.index import IndexStats

#: Rich styles of the terminal output.
TITLE_STYLE = "bold"
TITLE_MARK_STYLE = "bold underline yellow"
MARK_STYLE = "bold yellow"
META_STYLE = "dim"
URL_STYLE = "blue"
#: Indentation of everything under a hit's title.
INDENT = 4
#: Shown before each snippet, so that one can tell where the next fragment begins.
SNIPPET_BULLET = "› "
#: Columns of the date and source at the left of a KWIC line.
KWIC_DATE_WIDTH = 10
KWIC_SOURCE_WIDTH = 14


def marked_text(text: str, ranges: Iterable[tuple[int, int]], style: str = MARK_STYLE) -> Text:
    """``text`` as a rich :class:`~rich.text.Text` with ``ranges`` styled; no markup parsing."""
    out = Text(text)
    for start, end in ranges:
        out.stylize(style, start, end)
    return out


def _meta(hit: Hit) -> str:
    parts = [hit.date.isoformat() if hit.date else "undated"]
    parts += [p for p in (hit.source, hit.section, hit.author) if p]
    parts.append(f"score {hit.score:.2f}")
    return " · ".join(parts)


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 hit``, ``2 hits``: the count with the right form of the noun."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def hits_header(shown: int, total: int, offset: int = 0, noun: str = "hit") -> str:
    """``3 hits``, ``10 of 27 hits``, ``11–20 of 27 hits``: which of the matches are shown
    (``noun="story"``: of the stories, with ``--collapse``)."""
    words = "stories" if noun == "story" else None
    if offset == 0 and shown == total:
        return plural(total, noun, words)
    if shown == 0:
        return f"none of {plural(total, noun, words)} (offset {offset})"
    if offset == 0:
        return f"{shown} of {plural(total, noun, words)}"
    return f"{offset + 1}–{offset + shown} of {plural(total, noun, words)}"


def print_hits(
    console: Console,
    hits: Iterable[Hit],
    *,
    total: int | None = None,
    shown: int | None = None,
    offset: int = 0,
    wrap: bool = True,
    also_in: bool = False,
    noun: str = "hit",
) -> None:
    """Print ranked hits: title (marked), date, source, URL, score, then the snippets.

    Only the furniture (rank, meta line, bullets) is dim; titles and snippet text are in the
    terminal's normal colour. A URL is never wrapped (the terminal folds it, so it stays one
    string to copy or click).

    :param console: where to print; its settings decide colour and width.
    :param hits: the hits, best first; printed as they come (a generator streams).
    :param total: the number of all matching articles, for a header line.
    :param shown: how many hits ``hits`` holds (default: ``len(hits)``), for the header.
    :param offset: how many better hits were skipped (``--offset``), for the header.
    :param wrap: wrap titles and snippets to the console's width (a terminal); ``False``
        prints each on one line (piped output: no line breaks a program would have to undo).
    :param also_in: under each hit, the other outlets of its story (``--collapse``).
    :param noun: what the header counts (``story`` with ``--collapse``).
    """
    if total is not None:
        count = shown if shown is not None else len(hits)  # type: ignore[arg-type]
        header = hits_header(count, total, offset, noun)
        console.print(Text(header, style=META_STYLE), highlight=False)
    for i, hit in enumerate(hits, offset + 1):
        rank = hit.rank or i
        head = Text(f"{rank:>2}. ", style=META_STYLE)
        title = marked_text(hit.title or hit.id, hit.title_highlights, TITLE_MARK_STYLE)
        title.stylize(TITLE_STYLE, 0, len(title))
        _print_indented(console, head, title, wrap=wrap)
        _print_indented(console, Text(" " * INDENT), Text(_meta(hit), style=META_STYLE), wrap=wrap)
        if also_in and hit.copies:
            line = Text("also in: " + stories.also_in(hit.copies, own=hit.source))
            _print_indented(console, Text(" " * INDENT), line, wrap=wrap)
        if hit.url:
            line = Text(" " * INDENT)
            line.append(hit.url, style=URL_STYLE)
            console.print(line, highlight=False, no_wrap=True, overflow="ignore", crop=False)
        bullet = Text(SNIPPET_BULLET.rjust(INDENT + len(SNIPPET_BULLET)), style=META_STYLE)
        for snippet in hit.snippets:
            _print_indented(
                console, bullet, marked_text(snippet.text, snippet.highlights), wrap=wrap
            )
        console.print()


def _print_indented(console: Console, first: Text, text: Text, *, wrap: bool) -> None:
    """``first`` (a rank, a bullet, blanks), then ``text``; wrapped lines are indented to
    line up under the text's start, and no line ends in blanks.

    (``rich.padding.Padding`` would pad every line to the width of the longest one, and a
    base style on the whole line would make the text inherit the furniture's dimness.)
    """
    indent = first.cell_len
    if not wrap:
        line = Text()
        line.append_text(first)
        line.append_text(text)
        line.rstrip()
        console.print(line, highlight=False, no_wrap=True, overflow="ignore", crop=False)
        return
    lines = text.wrap(console, max(10, console.width - indent), overflow="fold")
    for i, part in enumerate(lines):
        part.rstrip()
        line = Text()
        line.append_text(first if i == 0 else Text(" " * indent))
        line.append_text(part)
        line.rstrip()
        console.print(line, highlight=False, no_wrap=True, overflow="crop", crop=True)


def print_kwic(
    console: Console,
    rows: Iterable[tuple[Hit, Sequence[KwicLine]]],
    width: int = 80,
) -> None:
    """Print a concordance: per hit a head line (rank, title, id), then one line per
    occurrence, the match starting in a fixed column.

    Each line shows the hit's date and source, then the left context right-aligned, the match
    (bold) and the right context, cut to fit ``min(width, console.width)`` columns. The match
    column is fixed from the first hit's lines, so that hits can be printed as they come.

    :param console: where to print.
    :param rows: each hit, in the order to show them, with its
        :func:`search.snippets.kwic_lines`; printed as they come (a generator streams).
    :param width: the widest line to print.
    """
    width = min(width, console.width)
    prefix_width = KWIC_DATE_WIDTH + 1 + KWIC_SOURCE_WIDTH + 1
    column = max(20, width - prefix_width)
    match_width = None
    for i, (hit, lines) in enumerate(rows, 1):
        if not lines:
            continue
        if match_width is None:
            match_width = min(max(len(line.match) for line in lines), column // 3)
        left_width = (column - match_width) // 2
        head = Text()
        head.append(f"{hit.rank or i:>2}. ", style=META_STYLE)
        head.append(hit.title or hit.id, style=TITLE_STYLE)
        head.append(f"  {hit.id}", style=META_STYLE)
        console.print(head, highlight=False, no_wrap=True, overflow="ignore", crop=False)
        date = hit.date.isoformat() if hit.date else ""
        source = _clip(hit.source or "", KWIC_SOURCE_WIDTH)
        for line in lines:
            match = _clip_words(line.match, column - left_width)
            out = Text()
            out.append(f"{date:<{KWIC_DATE_WIDTH}} {source:<{KWIC_SOURCE_WIDTH}} ", META_STYLE)
            out.append(_tail_words(line.left, left_width).rjust(left_width))
            out.append(match, style=MARK_STYLE)
            out.append(_head_words(line.right, column - left_width - len(match)))
            out.rstrip()
            console.print(out, highlight=False, no_wrap=True, overflow="crop", crop=True)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _clip_words(text: str, width: int) -> str:
    """``text`` in ``width`` chars, cut after a whole word (a long NEAR match), with "…";
    a first word longer than that is cut inside."""
    if len(text) <= width:
        return text
    cut = text[: max(0, width - 1)]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut).rstrip() + "…"


def _tail_words(text: str, width: int) -> str:
    """The end of ``text`` in ``width`` chars, starting at a word."""
    if len(text) <= width:
        return text
    cut = text[len(text) - width :]
    if text[len(text) - width - 1] != " ":
        space = cut.find(" ")
        cut = cut[space:] if space >= 0 else ""
    return cut


def _head_words(text: str, width: int) -> str:
    """The start of ``text`` in ``width`` chars, ending at a word."""
    if len(text) <= width:
        return text
    cut = text[:width]
    if text[width] != " ":
        space = cut.rfind(" ")
        cut = cut[:space] if space >= 0 else ""
    return cut


def print_article(console: Console, article: Article, *, wrap: bool = True) -> None:
    """One whole article: title, a meta line (date · source · section · author), the URL on
    its own line, then the text with a blank line between paragraphs.

    A text without blank lines (HTML pages give one paragraph a line) has each line taken as
    a paragraph. Without ``wrap`` (piped) each paragraph is one line.
    """
    no_wrap = {"no_wrap": True, "overflow": "ignore", "crop": False} if not wrap else {}
    console.print(Text(article.title or article.id, style=TITLE_STYLE), highlight=False, **no_wrap)
    meta = [article.date.isoformat() if article.date else None]
    meta += [article.source, article.section, article.author]
    console.print(
        Text(" · ".join(m for m in meta if m), style=META_STYLE), highlight=False, **no_wrap
    )
    if article.url:
        console.print(
            Text(article.url, style=URL_STYLE),
            highlight=False,
            no_wrap=True,
            overflow="ignore",
            crop=False,
        )
    for paragraph in paragraphs(article.text):
        console.print()
        console.print(Text(paragraph), highlight=False, **no_wrap)


DIFF_STYLES = {"+": "green", "-": "red", "@": "cyan"}


def print_copies(
    console: Console, story: str, copies: Sequence[tuple[Article, str]], *, wrap: bool = True
) -> None:
    """An article's copies in other outlets (after :func:`print_article`): for each its id,
    date · source and title, then the unified diff from the article to it."""
    no_wrap = {"no_wrap": True, "overflow": "ignore", "crop": False} if not wrap else {}
    console.print()
    head = f"{plural(len(copies), 'copy', 'copies')} of story {story}"
    console.print(Text(head + (":" if copies else ""), style=TITLE_STYLE), highlight=False)
    for copy, diff in copies:
        console.print()
        meta = [copy.date.isoformat() if copy.date else None, copy.source]
        line = Text(copy.id, style=TITLE_STYLE)
        line.append("  " + " · ".join(m for m in meta if m), style=META_STYLE)
        console.print(line, highlight=False, **no_wrap)
        console.print(Text(copy.title or ""), highlight=False, **no_wrap)
        for diff_line in diff.splitlines() or ["(same text)"]:
            style = DIFF_STYLES.get(diff_line[:1], "")
            if diff_line.startswith(("---", "+++")):
                style = META_STYLE
            console.print(Text(diff_line, style=style), highlight=False, **no_wrap)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a stored text, each with its inner whitespace folded."""
    blocks = text.split("\n\n") if "\n\n" in text.strip() else text.split("\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]


def print_stats(console: Console, stats: IndexStats, *, top: int | None = 20) -> None:
    """Articles, size, date range and the sources with their article counts.

    :param top: list this many sources (most articles first) and count the rest; None: all.
    """
    console.print(
        Text.assemble(
            (plural(stats.articles, "article"), TITLE_STYLE),
            f" in {stats.path}, {stats.size_bytes / 1e6:.1f} MB on disk",
        ),
        highlight=False,
    )
    if stats.first_date:
        span = f"dates: {stats.first_date} … {stats.last_date}"
    else:
        span = "dates: no dated articles"
    if stats.undated and stats.first_date:
        span += f" ({stats.undated} undated)"
    console.print(span, highlight=False, markup=False)
    sources = list(stats.sources.items())
    if not sources:
        console.print("sources: none recorded", highlight=False, markup=False)
        return
    shown = sources if top is None else sources[:top]
    table = Table("source", "articles", box=None, pad_edge=False, show_edge=False)
    table.columns[1].justify = "right"
    for source, count in shown:
        table.add_row(Text(source), Text(str(count)))
    console.print(table, highlight=False)
    if len(shown) < len(sources):
        rest = sources[len(shown) :]
        console.print(
            Text(
                f"… and {plural(len(rest), 'more source')} with "
                f"{plural(sum(c for _, c in rest), 'article')} (--all lists them)",
                style=META_STYLE,
            ),
            highlight=False,
        )


def _marked_html(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in sorted(ranges):
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _safe_href(url: str | None) -> str | None:
    """Only http(s) URLs become links; ``javascript:`` and friends stay text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


_PAGE_STYLE = """
body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#222}
ol.hits{padding-left:1.5rem}li.hit{margin-bottom:1.4rem}
h2{font-size:1.1rem;margin:0 0 .2rem}.meta{color:#666;font-size:.85rem;margin:0}
.url{font-size:.85rem;word-break:break-all;margin:0}.snippet{margin:.3rem 0}
table.kwic{border-collapse:collapse;font-size:.9rem}
table.kwic td{padding:.1rem .4rem;vertical-align:top}
td.left{text-align:right}
mark{background:#ffe58a;padding:0 .1em}
""".strip()


def _page_head(query: str, heading: str) -> list[str]:
    q = html.escape(query)
    return [
        "<!DOCTYPE html>",
        '<html lang="de">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>Zeitung: {q}</title>" if q else "<title>Zeitung</title>",
        f"<style>{_PAGE_STYLE}</style>",
        "</head>",
        "<body>",
        f'<h1>{heading} <q class="query">{q}</q></h1>' if q else f"<h1>{heading}</h1>",
    ]


def iter_hits_html(
    hits: Iterable[Hit], *, query: str = "", header: str | None = None
) -> Iterator[str]:
    """:func:`hits_to_html` piece by piece, so that a long page streams out hit by hit.

    :param header: the count line (:func:`hits_header`); default: the number of hits.
    """
    hits = hits if header is not None else list(hits)
    if header is None:
        header = plural(len(hits), "hit")  # type: ignore[arg-type]
    head = _page_head(query, "Results for" if query else "Results")
    meta = f'<p class="meta">{html.escape(header)}</p>'
    yield "\n".join([*head, meta, '<ol class="hits">']) + "\n"
    for hit in hits:
        title = _marked_html(hit.title or hit.id, hit.title_highlights)
        href = _safe_href(hit.url)
        if href:
            title = f'<a href="{html.escape(href)}">{title}</a>'
        parts = [f'<li class="hit" id="{html.escape(f"hit-{hit.id}")}">', f"<h2>{title}</h2>"]
        parts.append(f'<p class="meta">{html.escape(_meta(hit))}</p>')
        if hit.url:
            parts.append(f'<p class="url">{html.escape(hit.url)}</p>')
        for snippet in hit.snippets:
            parts.append(f'<p class="snippet">{_marked_html(snippet.text, snippet.highlights)}</p>')
        parts.append("</li>")
        yield "\n".join(parts) + "\n"
    yield "\n".join(["</ol>", "</body>", "</html>", ""])


def hits_to_html(hits: Sequence[Hit], *, query: str = "", header: str | None = None) -> str:
    """A small self-contained HTML page of the hits: escaped text, ``<mark>`` around matches.

    :param hits: the hits, best first.
    :param query: the query as typed, for the page title and heading.
    :param header: the count line; default: the number of hits.
    """
    return "".join(iter_hits_html(hits, query=query, header=header))


def iter_kwic_html(
    rows: Iterable[tuple[Hit, Sequence[KwicLine]]], *, query: str = "", header: str = ""
) -> Iterator[str]:
    """A concordance as an HTML table, one row per occurrence: date, source, title (a link
    to the article when its URL is http(s)), left context, the match, right context."""
    head = _page_head(query, "Concordance of" if query else "Concordance")
    yield (
        "\n".join(
            [
                *head,
                f'<p class="meta">{html.escape(header)}</p>' if header else "",
                '<table class="kwic">',
                "<thead><tr><th>date</th><th>source</th><th>title</th>"
                '<th class="left">left</th><th>match</th><th>right</th></tr></thead>',
                "<tbody>",
            ]
        )
        + "\n"
    )
    for hit, lines in rows:
        title = html.escape(hit.title or hit.id)
        href = _safe_href(hit.url)
        if href:
            title = f'<a href="{html.escape(href)}">{title}</a>'
        date = hit.date.isoformat() if hit.date else ""
        for line in lines:
            yield (
                f'<tr data-id="{html.escape(hit.id)}"><td>{date}</td>'
                f"<td>{html.escape(hit.source or '')}</td><td>{title}</td>"
                f'<td class="left">{html.escape(line.left)}</td>'
                f"<td><mark>{html.escape(line.match)}</mark></td>"
                f"<td>{html.escape(line.right)}</td></tr>\n"
            )
    yield "\n".join(["</tbody>", "</table>", "</body>", "</html>", ""])


def hit_to_json(hit: Hit) -> str:
    """One JSON Lines record: :meth:`search.model.Hit.to_dict`, UTF-8 text kept as is."""
    return json.dumps(hit.to_dict(), ensure_ascii=False)


def kwic_to_json(hit: Hit, line: KwicLine) -> str:
    """One concordance line as JSON: ``{"id", "date", "source", "left", "match", "right"}``."""
    return json.dumps(
        {
            "id": hit.id,
            "date": hit.date.isoformat() if hit.date else None,
            "source": hit.source,
            "left": line.left,
            "match": line.match,
            "right": line.right,
        },
        ensure_ascii=False,
    )


#: The columns of ``zeitung search --kwic --format csv``.
KWIC_CSV_FIELDS = ("id", "date", "source", "left", "match", "right")


def kwic_csv_row(hit: Hit, line: KwicLine) -> list[str]:
    """One concordance line as CSV cells, in the order of :data:`KWIC_CSV_FIELDS`."""
    date = hit.date.isoformat() if hit.date else ""
    return [hit.id, date, hit.source or "", line.left, line.match, line.right]


#: The columns of ``zeitung search --format csv``, in order; ``--fields text`` adds ``text``.
CSV_FIELDS = ("id", "date", "source", "title", "url", "author", "section", "score")


def csv_row(hit: Hit, fields: Sequence[str] = CSV_FIELDS, text: str | None = None) -> list[str]:
    """One hit as CSV cells in the order of ``fields`` (``text`` from the article)."""
    cells = []
    for name in fields:
        if name == "text":
            cells.append(text or "")
        elif name == "date":
            cells.append(hit.date.isoformat() if hit.date else "")
        elif name == "score":
            cells.append(f"{hit.score:.4f}")
        else:
            cells.append(getattr(hit, name) or "")
    return cells
