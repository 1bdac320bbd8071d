"""The *formatter* role: hits as terminal text, KWIC concordance lines, HTML or JSON Lines.

Only this module and the CLI import rich. Nothing here forces colour: the caller's
:class:`rich.console.Console` decides (no colour when not a TTY or when ``NO_COLOR`` is set);
the marks are bold as well as coloured, so they stay visible without colour.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from rich.console import Console
from rich.text import Text

from search.model import Hit
from search.snippets import KwicLine

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


def print_hits(console: Console, hits: Sequence[Hit], *, total: int | None = None) -> None:
    """Print ranked hits: title (marked), date, source, URL, score, then the snippets.

    :param console: where to print; its settings decide colour and width.
    :param hits: the hits, best first.
    :param total: the number of all matching articles, for a header line.
    """
    if total is not None:
        console.print(Text(f"{len(hits)} of {total} hits", style=META_STYLE), highlight=False)
    for i, hit in enumerate(hits, 1):
        rank = hit.rank or i
        head = Text(f"{rank:>2}. ", style=META_STYLE)
        title = marked_text(hit.title or hit.id, hit.title_highlights, TITLE_MARK_STYLE)
        title.style = TITLE_STYLE
        head.append_text(title)
        console.print(head, highlight=False)
        body = Text(_meta(hit), style=META_STYLE)
        if hit.url:
            body.append("\n")
            body.append(hit.url, style=URL_STYLE)
        _print_indented(console, body, INDENT)
        for snippet in hit.snippets:
            text = marked_text(snippet.text, snippet.highlights)
            _print_indented(console, text, INDENT + len(SNIPPET_BULLET), SNIPPET_BULLET)
        console.print()


def _print_indented(console: Console, text: Text, indent: int, bullet: str = "") -> None:
    """Wrap ``text`` to the console less ``indent`` columns; no trailing blanks on any line.

    The first line starts with ``bullet``, right-aligned in the indentation.
    (``rich.padding.Padding`` would pad every line to the width of the longest one.)
    """
    lines = text.wrap(console, max(10, console.width - indent), overflow="fold")
    for i, line in enumerate(lines):
        line.rstrip()
        out = Text((bullet if i == 0 else "").rjust(indent), style=META_STYLE)
        out.append_text(line)
        console.print(out, highlight=False, no_wrap=True, overflow="crop", crop=True)


def print_kwic(
    console: Console,
    hits: Sequence[Hit],
    lines_by_hit: dict[str, list[KwicLine]],
    width: int = 80,
) -> None:
    """Print a concordance: one line per occurrence, the match starting in a fixed column.

    Each line shows the hit's date and source, then the left context right-aligned, the match
    (bold) and the right context, cut to fit ``min(width, console.width)`` columns.

    :param console: where to print.
    :param hits: the hits, in the order to show them.
    :param lines_by_hit: :func:`search.snippets.kwic_lines` output per ``Hit.id``.
    :param width: the widest line to print.
    """
    width = min(width, console.width)
    prefix_width = KWIC_DATE_WIDTH + 1 + KWIC_SOURCE_WIDTH + 1
    column = max(20, width - prefix_width)
    all_lines = [line for hit in hits for line in lines_by_hit.get(hit.id, [])]
    if not all_lines:
        return
    match_width = min(max(len(line.match) for line in all_lines), column // 3)
    left_width = (column - match_width) // 2
    for hit in hits:
        date = hit.date.isoformat() if hit.date else ""
        source = _clip(hit.source or "", KWIC_SOURCE_WIDTH)
        for line in lines_by_hit.get(hit.id, []):
            match = _clip(line.match, column - left_width)
            out = Text(
                f"{date:<{KWIC_DATE_WIDTH}} {source:<{KWIC_SOURCE_WIDTH}} ", style=META_STYLE
            )
            out.append(_tail_words(line.left, left_width).rjust(left_width))
            out.append(match, style=MARK_STYLE)
            out.append(_head_words(line.right, column - left_width - len(match)))
            console.print(out, highlight=False, no_wrap=True, overflow="crop", crop=True)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


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
mark{background:#ffe58a;padding:0 .1em}
""".strip()


def hits_to_html(hits: Sequence[Hit], *, query: str = "") -> str:
    """A small self-contained HTML page of the hits: escaped text, ``<mark>`` around matches.

    :param hits: the hits, best first.
    :param query: the query as typed, for the page title and heading.
    """
    q = html.escape(query)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="de">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>Zeitung: {q}</title>" if q else "<title>Zeitung</title>",
        f"<style>{_PAGE_STYLE}</style>",
        "</head>",
        "<body>",
        f'<h1>Results for <q class="query">{q}</q></h1>' if q else "<h1>Results</h1>",
        f'<p class="meta">{len(hits)} hits</p>',
        '<ol class="hits">',
    ]
    for hit in hits:
        title = _marked_html(hit.title or hit.id, hit.title_highlights)
        href = _safe_href(hit.url)
        if href:
            title = f'<a href="{html.escape(href)}">{title}</a>'
        parts.append(f'<li class="hit" id="{html.escape(f"hit-{hit.id}")}">')
        parts.append(f"<h2>{title}</h2>")
        parts.append(f'<p class="meta">{html.escape(_meta(hit))}</p>')
        if hit.url:
            parts.append(f'<p class="url">{html.escape(hit.url)}</p>')
        for snippet in hit.snippets:
            parts.append(f'<p class="snippet">{_marked_html(snippet.text, snippet.highlights)}</p>')
        parts.append("</li>")
    parts += ["</ol>", "</body>", "</html>", ""]
    return "\n".join(parts)


def hit_to_json(hit: Hit) -> str:
    """One JSON Lines record: :meth:`search.model.Hit.to_dict`, UTF-8 text kept as is."""
    return json.dumps(hit.to_dict(), ensure_ascii=False)
