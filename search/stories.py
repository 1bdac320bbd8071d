"""Stories: the same (agency) report run by several outlets, found at index time.

Each article gets a ``story`` id shared by its near-copies: MinHash signatures over word
5-shingles of the text, with LSH banding (32 bands of 4 rows) to find candidates, and an
estimated Jaccard of at least :data:`THRESHOLD` to join. The threshold and the hand-written
numpy MinHash (faster than ``datasketch`` on the same shingles) were measured in
``benchmarks/near_duplicates.py``.

The LSH buckets are index terms (``story_bands``) and the signature a stored field, both
written with the article's commit, so an article of a later run finds the copies already
indexed by a term lookup, and a deleted article leaves no bucket behind.

A new article joins the story of its closest already indexed near-copy; one without any
starts its own story, named by its id. The story id is a label: when the article that
gave its name is removed, its copies keep the label (they are still one story), and
``zeitung show ID --copies`` lists the copies that are there.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from search.analytics.columns import matching_docs, text_column
from search.model import Article, Hit

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


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard of the shingle sets two signatures were made from."""
    return float(np.count_nonzero(a == b)) / len(a)


def _from_stored(raw: object) -> np.ndarray | None:
    return np.frombuffer(raw, dtype=np.uint32) if isinstance(raw, bytes) and raw else None


class StoryAssigner:
    """Gives each document one writer adds its story fields (``story``, ``story_bands``,
    ``story_sig``), from the committed index (``searcher``) and the documents added before
    it through this assigner (not yet visible to the searcher).

    :param going: is a committed file being replaced in this writer? Its documents are no
        copies to join.
    """

    def __init__(self, searcher, going: Callable[[str], bool] | None = None) -> None:
        self._reader = searcher.reader()
        self._searcher = searcher
        self._going = going or (lambda _path: False)
        #: Bucket -> (story, signature) of the documents added through this assigner.
        self._pending: dict[str, list[tuple[str, np.ndarray]]] = defaultdict(list)
        self._pending_stories: set[str] = set()

    def assign(self, doc: dict) -> None:
        """Add the story fields to an index document (a dict with ``id`` and ``text``)."""
        items = shingles(doc.get("text") or "")
        story = None
        if items:
            sig = signature(items)
            terms = band_terms(sig)
            story = self._closest(sig, terms, doc["id"])
            doc["story_bands"] = " ".join(terms)
            doc["story_sig"] = sig.tobytes()
        if story is None:
            story = self._new_label(doc)
        doc["story"] = story
        if items:
            for term in terms:
                self._pending[term].append((story, sig))
        self._pending_stories.add(story)

    def _closest(self, sig: np.ndarray, terms: list[str], doc_id: str) -> str | None:
        """The story of the most similar near-copy (estimated Jaccard ≥ THRESHOLD), if any."""
        best, best_sim = None, THRESHOLD
        for story, other in self._candidates(terms, doc_id):
            sim = similarity(sig, other)
            if sim > best_sim or (sim == best_sim and best is None):
                best, best_sim = story, sim
        return best

    def _candidates(self, terms: list[str], doc_id: str) -> Iterator[tuple[str, np.ndarray]]:
        reader, seen = self._reader, set()
        for term in terms:
            pending = self._pending.get(term, ())
            if len(pending) <= MAX_BUCKET:
                yield from pending
            n = reader.doc_frequency("story_bands", term)
            if n == 0 or n > MAX_BUCKET:
                continue
            for docnum in reader.postings("story_bands", term).all_ids():
                if docnum in seen or reader.is_deleted(docnum):
                    continue
                seen.add(docnum)
                fields = reader.stored_fields(docnum)
                sig = _from_stored(fields.get("story_sig"))
                if sig is not None and not self._going(fields.get("path") or ""):
                    yield fields.get("story") or fields["id"], sig

    def _new_label(self, doc: dict) -> str:
        """The id of an article that starts a story; made unique if another story already
        carries it as a label (its first article was this one, since changed or removed)."""
        label = doc["id"]
        if label not in self._pending_stories and not self._label_used(label, doc["id"]):
            return label
        n = 2
        while f"{label}~{n}" in self._pending_stories or self._label_used(f"{label}~{n}", None):
            n += 1
        return f"{label}~{n}"

    def _label_used(self, label: str, own_id: str | None) -> bool:
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


def story_hits(searcher, build: Callable[[dict, float, int], Hit]) -> Callable[..., Hit]:
    """``build`` (a hit of stored fields, score, rank) with the hit's story and copies."""

    def build_with_story(fields: dict, score: float, rank: int) -> Hit:
        hit = build(fields, score, rank)
        story = fields.get("story")
        if story:
            hit.story = story
            hit.copies = copy_sources(searcher, story, hit.id)
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


def copy_sources(searcher, story: str, own_id: str) -> list[str]:
    """The sources (else ids) of a story's other articles, in index order."""
    out = []
    for docnum in story_members(searcher, story):
        fields = searcher.stored_fields(docnum)
        if fields.get("id") != own_id:
            out.append(fields.get("source") or fields["id"])
    return out


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
