"""The article record every reader produces and the index stores."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit


@dataclass(slots=True)
class Article:
    """One news article, as extracted from a file.

    ``id`` is unique within an index: a record's own id when the source gives
    one, else derived from the file path (``politik/almaty.txt``, or
    ``feed.jsonl#3`` for the third record of a multi-record file).
    """

    id: str
    title: str
    text: str
    date: dt.date | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    section: str | None = None
    path: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    #: The id is the record's own (a publisher's identity), not derived from the path:
    #: such an article is never folded into another with the same text.
    explicit_id: bool = False
    #: The title was made from the text for display (the record had none): it is stored and
    #: shown but not indexed, so it changes neither what matches nor how it ranks.
    title_derived: bool = False

    def __post_init__(self) -> None:
        if not self.source and self.url:
            self.source = source_from_url(self.url)

    def to_dict(self) -> dict:
        """JSON-ready dict: the date as ISO 8601 or None."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        if not data["extra"]:
            del data["extra"]
        del data["explicit_id"]
        return data


#: An archived copy's URL wraps the original: ``web.archive.org/web/<stamp>/<original>``.
_ARCHIVE_URL = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/(.+)$", re.I)


def source_from_url(url: str) -> str | None:
    """The site an article comes from: the URL host without ``www.``.

    An archived copy (Wayback Machine) counts as coming from the archived site.

    >>> source_from_url("https://www.faz.net/aktuell/politik/x.html")
    'faz.net'
    >>> source_from_url("https://web.archive.org/web/20130118/http://www.stol.it/x")
    'stol.it'
    """
    archived = _ARCHIVE_URL.match(url.strip())
    if archived:
        inner = archived.group(1)
        url = inner if "://" in inner else "http://" + inner
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


@dataclass(slots=True)
class Snippet:
    """A fragment of an article's text; ``highlights`` are ``[start, end)`` offsets into it."""

    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"text": self.text, "highlights": [list(h) for h in self.highlights]}


@dataclass(slots=True)
class Hit:
    """One search result: the article's display fields, its score and its snippets."""

    id: str
    title: str
    score: float
    rank: int = 0
    date: dt.date | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    section: str | None = None
    path: str | None = None
    snippets: list[Snippet] = field(default_factory=list)
    #: ``[start, end)`` offsets into ``title`` of the matched words.
    title_highlights: list[tuple[int, int]] = field(default_factory=list)
    #: See :attr:`Article.title_derived`.
    title_derived: bool = False
    #: The story id shared with the article's near-copies in other outlets
    #: (:mod:`search.stories`); None where the index keeps none.
    story: str | None = None
    #: The sources (else ids) of the story's other articles, by date then id.
    copies: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON Lines contract of ``zeitung search --json``."""
        return {
            "id": self.id,
            "title": self.title,
            "title_derived": self.title_derived,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
            "source": self.source,
            "path": self.path,
            "score": round(self.score, 4),
            "story": self.story,
            "copies": list(self.copies),
            "snippets": [s.to_dict() for s in self.snippets],
        }
