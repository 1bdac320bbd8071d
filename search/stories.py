"""Stories: the same (agency) report run by several outlets, found at index time.

Each article gets a ``story`` id shared by its near-copies: MinHash signatures over word
5-shingles of the text, with LSH banding (32 bands of 4 rows) to find candidates, and an
estimated Jaccard of at least :data:`THRESHOLD` to join. The threshold and the hand-written
numpy MinHash (faster than ``datasketch`` on the same shingles) were measured in
``benchmarks/near_duplicates.py``.

The LSH buckets (``story_bands``: a column of 32-bit keys in Whoosh, terms on an engine) and
the signature (a stored field) are written with the article's commit, so an article of a
later run finds the copies already indexed, and a deleted article leaves no bucket behind.

A new article joins the story of its closest already indexed near-copy; one without any
starts its own story, named by its id. The story id is a label: when the article that
gave its name is removed, its copies keep the label (they are still one story), and
``zeitung show ID --copies`` lists the copies that are there.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import numpy as np

from search.analytics.columns import matching_docs, text_column
from search.model import Article, Hit
from search.segment_cache import per_segment

#: Words per shingle, signature length and LSH banding (candidate w.p. 1-(1-s^4)^32).
SHINGLE = 5
NUM_PERM = 128
BANDS, ROWS = 32, 4
#: Estimated Jaccard of shingles from which two articles are one story (measured: precision
#: 1.000, recall 0.978 on the generated corpus's agency copies and hand-edited pairs).
THRESHOLD = 0.4
#: A bucket shared by more articles than this is boilerplate, not a story: not looked up.
MAX_BUCKET = 200

_PRIME = (1 << 61) - 1
_WORD = re.compile(r"\w+")
_rng = np.random.RandomState(1)
_A = _rng.randint(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """The text's runs of ``k`` words, case-folded (empty for a text of fewer words)."""
    words = _WORD.findall(text.casefold())
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def signature(items: set[str]) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` 32-bit values) of a non-empty set of shingles:
    universal hashes a·x + b mod 2^61-1 over CRC32, vectorised."""
    h = np.fromiter((zlib.crc32(s.encode()) for s in items), dtype=np.uint64, count=len(items))
    mins = (((_A[:, None] * h[None, :] + _B[:, None]) % _PRIME) & 0xFFFFFFFF).min(axis=1)
    return mins.astype(np.uint32)


def band_terms(sig: np.ndarray) -> list[str]:
    """The LSH buckets of a signature, as index terms (band number, then its rows in hex)."""
    return [f"{b:02d}{sig[b * ROWS : (b + 1) * ROWS].tobytes().hex()}" for b in range(BANDS)]


def bucket_keys(terms: list[str]) -> np.ndarray:
    """32-bit keys of bucket terms (CRC32, never 0: a column's value for none). Two buckets
    may share a key; that only adds a candidate, whose signature then decides."""
    keys = np.fromiter((zlib.crc32(t.encode()) for t in terms), dtype="<u4", count=len(terms))
    keys[keys == 0] = 1
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard of the shingle sets two signatures were made from."""
    return float(np.count_nonzero(a == b)) / len(a)


def _from_stored(raw: object) -> np.ndarray | None:
    return np.frombuffer(raw, dtype=np.uint32) if isinstance(raw, bytes) and raw else None


#: A committed near-copy candidate: (a key unique per document, its story, its signature).
Member = tuple[object, str, np.ndarray]


class CommittedStories(Protocol):
    """What an index has committed about stories, as :class:`StoryAssigner` asks it: the
    engine-specific half (the Whoosh one is :class:`WhooshStories`). Documents of files
    being replaced (and, on an engine, those sent by the asking writer) are left out."""

    def prepare(self, terms: set[str], labels: set[str]) -> None:
        """Fetch ahead what :meth:`bucket` and :meth:`label_used` will be asked (optional)."""

    def bucket(self, term: str) -> list[Member]:
        """The live documents of one LSH bucket; [] when more than :data:`MAX_BUCKET`
        documents share it (boilerplate, not a story)."""

    def label_used(self, label: str, own_id: str | None) -> bool:
        """Is *label* the story of a live document other than ``own_id``?"""


class WhooshStories:
    """:class:`CommittedStories` of a Whoosh searcher: buckets from the ``story_bands``
    column (sorted per segment, merged into one table per searcher, in memory), signatures
    from the stored fields.

    :param tables: segment id -> its sorted buckets, kept by the caller across the commits
        of a run (segments never change, so each is sorted once); stale entries are dropped.
    """

    def __init__(
        self,
        searcher,
        going: Callable[[str], bool],
        tables: dict[str, SegmentBuckets] | None = None,
    ) -> None:
        self._reader = searcher.reader()
        self._going = going
        self._tables = {} if tables is None else tables
        #: Bucket term -> the documents (numbers in the searcher) that share it, deleted
        #: ones included; None for more than MAX_BUCKET of them.
        self._docs: dict[str, np.ndarray | None] = {}
        self._merged: tuple[np.ndarray, np.ndarray] | None = None
        # An index built before the buckets were a column has them as terms.
        self._as_terms = self._reader.schema["story_bands"].column_type is None

    def prepare(self, terms: set[str], labels: set[str]) -> None:
        todo = sorted(t for t in terms if t not in self._docs)
        if not todo:
            return
        if self._as_terms:
            for term in todo:
                self._docs[term] = self._term_docs(term)
            return
        keys = bucket_keys(todo)
        table_keys, table_docs = self._table()
        lo = np.searchsorted(table_keys, keys, side="left")
        hi = np.searchsorted(table_keys, keys, side="right")
        for term, start, end in zip(todo, lo.tolist(), hi.tolist(), strict=True):
            n = end - start
            self._docs[term] = table_docs[start:end].astype(np.int64) if n <= MAX_BUCKET else None

    def _table(self) -> tuple[np.ndarray, np.ndarray]:
        """All segments' buckets as one sorted array of keys with their document numbers:
        one lookup for a file's articles (a .txt file has one) instead of one per segment
        (1.5 ms an article at 20 segments; merging the sorted segments: 0.2 s a batch)."""
        if self._merged is None:
            tables = list(self._segment_tables())
            keys = np.concatenate([t.keys for t, _ in tables] or [np.empty(0, "<u4")])
            docs = np.concatenate(
                [t.docs + np.uint32(offset) for t, offset in tables] or [np.empty(0, np.uint32)]
            )
            order = np.argsort(keys, kind="stable")  # sorted runs: a merge
            self._merged = (keys[order], docs[order])
        return self._merged

    def bucket(self, term: str) -> list[Member]:
        if term not in self._docs:
            self.prepare({term}, set())
        docs = self._docs[term]
        if docs is None:
            return []
        reader = self._reader
        out: list[Member] = []
        for docnum in docs.tolist():
            if reader.is_deleted(docnum):
                continue
            fields = reader.stored_fields(docnum)
            sig = _from_stored(fields.get("story_sig"))
            if sig is not None and not self._going(fields.get("path") or ""):
                out.append((docnum, fields.get("story") or fields["id"], sig))
        return out

    def _term_docs(self, term: str) -> np.ndarray | None:
        reader = self._reader
        n = reader.doc_frequency("story_bands", term)  # deleted documents included
        if n > MAX_BUCKET:
            return None
        if n == 0:
            return np.empty(0, dtype=np.int64)
        return np.fromiter(reader.postings("story_bands", term).all_ids(), dtype=np.int64)

    def _segment_tables(self) -> Iterator[tuple[SegmentBuckets, int]]:
        return per_segment(self._reader, self._tables, SegmentBuckets)

    def label_used(self, label: str, own_id: str | None) -> bool:
        reader = self._reader
        if reader.doc_frequency("story", label) == 0:
            return False
        for docnum in reader.postings("story", label).all_ids():
            if reader.is_deleted(docnum):
                continue
            fields = reader.stored_fields(docnum)
            if fields.get("id") != own_id and not self._going(fields.get("path") or ""):
                return True
        return False


class SegmentBuckets:
    """One segment's ``story_bands`` column as sorted keys with their document numbers in
    the segment (8 bytes a bucket, 256 an article), kept for the run's next batches."""

    __slots__ = ("keys", "docs")

    def __init__(self, leaf) -> None:
        width = BANDS * 4
        column = (
            leaf.column_reader("story_bands", translate=False)
            if leaf.has_column("story_bands")
            else None
        )
        count = getattr(column, "_count", 0)
        if count:
            raw = column._dbfile.get(column._basepos, count * width)
            keys = np.frombuffer(raw, dtype="<u4")
        else:
            keys = np.empty(0, dtype="<u4")
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.docs = (order // BANDS).astype(np.uint32)


class StoryAssigner:
    """Gives each document one writer adds its story fields (``story``, ``story_bands``,
    ``story_sig``), from the committed index and the documents added before it through
    this assigner (not yet visible to the index). The decisions are made here for every
    engine; *committed* answers the lookups (a Whoosh searcher, or a
    :class:`CommittedStories`).

    :param going: with a Whoosh searcher: is a committed file being replaced in this
        writer? Its documents are no copies to join.
    :param tables: with a Whoosh searcher: the sorted buckets of segments already read
        (see :class:`WhooshStories`).
    """

    def __init__(
        self,
        committed: object,
        going: Callable[[str], bool] | None = None,
        tables: dict[str, SegmentBuckets] | None = None,
    ) -> None:
        if hasattr(committed, "reader"):  # a Whoosh searcher
            committed = WhooshStories(committed, going or (lambda _path: False), tables)
        self._committed: CommittedStories = committed  # type: ignore[assignment]
        #: Bucket -> (story, signature) of the documents added through this assigner.
        self._pending: dict[str, list[tuple[str, np.ndarray]]] = defaultdict(list)
        self._pending_stories: set[str] = set()

    def prepare(self, docs: Iterable[dict]) -> None:
        """Sign *docs* ahead and let the index fetch their buckets and labels in one go
        (an engine answers a batch in a few requests instead of a few per article)."""
        terms: set[str] = set()
        labels: set[str] = set()
        for doc in docs:
            items = shingles(doc.get("text") or "")
            if items:
                sig = signature(items)
                bands = band_terms(sig)
                doc["story_bands"] = " ".join(bands)
                doc["story_sig"] = sig.tobytes()
                terms.update(bands)
            labels.add(doc["id"])
        self._committed.prepare(terms, labels)

    def assign(self, doc: dict) -> None:
        """Add the story fields to an index document (a dict with ``id`` and ``text``)."""
        sig = _from_stored(doc.get("story_sig"))  # signed by prepare()
        if sig is None:
            items = shingles(doc.get("text") or "")
            if items:
                sig = signature(items)
                doc["story_bands"] = " ".join(band_terms(sig))
                doc["story_sig"] = sig.tobytes()
        story = None
        terms = doc["story_bands"].split() if sig is not None else []
        if sig is not None:
            story = self._closest(sig, terms)
        if story is None:
            story = self._new_label(doc)
        doc["story"] = story
        for term in terms:
            self._pending[term].append((story, sig))
        self._pending_stories.add(story)

    def _closest(self, sig: np.ndarray, terms: list[str]) -> str | None:
        """The story of the most similar near-copy (estimated Jaccard ≥ THRESHOLD), if any;
        of equally similar ones the smallest label, so that the order in which an engine
        lists the candidates does not matter."""
        best, best_sim = None, THRESHOLD
        for story, other in self._candidates(terms):
            sim = similarity(sig, other)
            if sim < THRESHOLD:
                continue
            if best is None or sim > best_sim or (sim == best_sim and story < best):
                best, best_sim = story, sim
        return best

    def _candidates(self, terms: list[str]) -> Iterator[tuple[str, np.ndarray]]:
        seen: set[object] = set()
        for term in terms:
            pending = self._pending.get(term, ())
            if len(pending) <= MAX_BUCKET:
                yield from pending
            for key, story, sig in self._committed.bucket(term):
                if key not in seen:
                    seen.add(key)
                    yield story, sig

    def _new_label(self, doc: dict) -> str:
        """The id of an article that starts a story; made unique if another story already
        carries it as a label (its first article was this one, since changed or removed)."""
        label = doc["id"]
        used = self._committed.label_used
        if label not in self._pending_stories and not used(label, doc["id"]):
            return label
        n = 2
        while f"{label}~{n}" in self._pending_stories or used(f"{label}~{n}", None):
            n += 1
        return f"{label}~{n}"


def story_hits(searcher, build: Callable[[dict, float, int], Hit]) -> Callable[..., Hit]:
    """``build`` (a hit of stored fields, score, rank) with the hit's story and copies."""

    def build_with_story(fields: dict, score: float, rank: int) -> Hit:
        hit = build(fields, score, rank)
        story = fields.get("story")
        if story:
            hit.story = story
            hit.copies = copy_sources(member_fields(searcher, story), hit.id)
        return hit

    return build_with_story


def count_stories(searcher, query) -> int:
    """How many distinct stories the articles a Whoosh query matches belong to."""
    stories = text_column(searcher, "story")
    docs = matching_docs(searcher, query)
    if stories is None:
        return len(docs)
    return len({stories[d] for d in docs})


def story_members(searcher, story: str) -> list[int]:
    """The live document numbers of one story, in index order."""
    reader = searcher.reader()
    if "story" not in reader.schema or reader.doc_frequency("story", story) == 0:
        return []
    return [d for d in reader.postings("story", story).all_ids() if not reader.is_deleted(d)]


def member_fields(searcher, story: str) -> list[dict]:
    """The stored fields of one story's articles, in :func:`story_order`."""
    return story_order(searcher.stored_fields(d) for d in story_members(searcher, story))


def story_order(members: Iterable[dict]) -> list[dict]:
    """A story's articles (stored fields) by date, undated last, then id: the same order
    on every engine (an index's own document order is not)."""
    return sorted(members, key=_member_key)


def _member_key(fields: dict) -> tuple:
    date = fields.get("date")
    return (date is None, date or dt.datetime.min, fields.get("id") or "")


def copy_sources(members: Iterable[dict], own_id: str) -> list[str]:
    """The sources (else ids) of a story's other articles (stored fields), in order."""
    return [f.get("source") or f["id"] for f in members if f.get("id") != own_id]


def also_in(sources: Iterable[str], own: str | None = None, shown: int = 3) -> str:
    """``rheinkurier.de, elbe-echo.de (+3)``: the distinct other outlets of a story.

    >>> also_in(["a.de", "b.de", "a.de", "c.de", "d.de", "e.de"], own="e.de")
    'a.de, b.de, c.de (+1)'
    """
    distinct = [s for s in dict.fromkeys(sources) if s != own]
    text = ", ".join(distinct[:shown])
    return f"{text} (+{len(distinct) - shown})" if len(distinct) > shown else text


def text_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A unified diff of two texts, paragraph by paragraph ('' for the same paragraphs)."""
    lines = difflib.unified_diff(_lines(old), _lines(new), old_name, new_name, lineterm="", n=1)
    return "\n".join(lines)


def article_diff(article: Article, copy: Article) -> str:
    """:func:`text_diff` of two articles' titles and texts (the headline is the first line)."""
    return text_diff(
        f"{article.title}\n\n{article.text}", f"{copy.title}\n\n{copy.text}", article.id, copy.id
    )


def _lines(text: str) -> list[str]:
    """A stored text's paragraphs (a text without blank lines: its lines), whitespace folded."""
    blocks = text.split("\n\n") if "\n\n" in text.strip() else text.split("\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]
