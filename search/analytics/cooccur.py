"""Words around a topic: collocates of a query's matches, ranked by log-likelihood.

For each matching article the text is analysed once with the index's own analyser, so
words are grouped by their index term (inflections and spellings together, stop words
already out); the query's matches are found with the snippet evaluator (the same clauses
that matched), and the words within ``window`` words of a match, or in the same sentence,
are counted. Whether a word is there more than chance would have it is judged against its
frequency in the whole index (postings statistics, no document loaded): log-likelihood G²
(Dunning 1993) ranks, logDice (Rychlý 2008) is given beside it, as DWDS and Sketch Engine do.

The articles are read, so a very common query is measured on a fixed sample of its matches
(``max_docs``, drawn from the sorted article ids: the same articles on every engine);
counts are then scaled to all matches and the
result says so.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from whoosh.searching import Searcher

from search.analytics.columns import matching_docs
from search.snippets.fragments import sentence_ends
from search.snippets.marks import TokenTable, find_marks

DEFAULT_MAX_DOCS = 500
#: A collocate must occur at least this often beside the matches (in the articles read).
MIN_FREQUENCY = 3


@dataclass(frozen=True, slots=True)
class Collocate:
    """One word seen with the matches: its index term, the commonest spelling, the counts."""

    term: str
    word: str
    frequency: int
    expected: float
    corpus_frequency: int
    log_likelihood: float
    log_dice: float

    def to_dict(self) -> dict:
        return {
            "term": self.term,
            "word": self.word,
            "frequency": self.frequency,
            "expected": round(self.expected, 3),
            "corpus_frequency": int(self.corpus_frequency),
            "log_likelihood": round(self.log_likelihood, 3),
            "log_dice": round(self.log_dice, 3),
        }


@dataclass(slots=True)
class Cooccurrence:
    query: str
    window: str
    matched: int
    read: int
    collocates: list[Collocate] = field(default_factory=list)
    by_year: dict[str, list[Collocate]] = field(default_factory=dict)

    @property
    def sampled(self) -> bool:
        return self.read < self.matched

    def to_dict(self) -> dict:
        out = {
            "query": self.query,
            "window": self.window,
            "matched": self.matched,
            "read": self.read,
            "collocates": [c.to_dict() for c in self.collocates],
        }
        if self.by_year:
            out["by_year"] = {y: [c.to_dict() for c in cs] for y, cs in self.by_year.items()}
        return out


@dataclass(slots=True)
class _Tally:
    """Counts of one group (all, or one year): words in windows, and the nodes."""

    words: Counter[str] = field(default_factory=Counter)
    window_tokens: int = 0
    nodes: int = 0


class CorpusCounts(Protocol):
    """The whole index's statistics a collocation is judged against (no document read)."""

    def text_length(self) -> int:
        """Tokens of the ``text`` field in all (every term at every position)."""

    def frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How often each term occurs in ``text`` in the whole index."""


class WhooshCounts:
    """:class:`CorpusCounts` from a Whoosh reader's postings statistics."""

    def __init__(self, reader) -> None:
        self.reader = reader

    def text_length(self) -> int:
        return int(self.reader.field_length("text"))

    def frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        return {t: int(self.reader.frequency("text", t)) for t in terms}


def sample(ids: Iterable[str], max_docs: int) -> list[str]:
    """The matches read: all, or a fixed sample of ``max_docs`` drawn from the sorted ids,
    so that every engine reads the same articles (document numbers differ between them)."""
    ordered = sorted(ids)
    if len(ordered) <= max_docs:
        return ordered
    return sorted(random.Random(0).sample(ordered, max_docs))


def cooccurrence(
    searcher: Searcher,
    label: str,
    query,
    *,
    window: int | None = 5,
    by_year: bool = False,
    top: int = 20,
    max_docs: int = DEFAULT_MAX_DOCS,
    min_frequency: int = MIN_FREQUENCY,
) -> Cooccurrence:
    """The words that stand near the matches of ``query`` more often than chance, in a
    Whoosh index (see :func:`collocations`).

    :param window: words on either side of a match; None: the match's sentence.
    :param by_year: also rank the collocates of each year apart.
    :param max_docs: read at most this many matching articles (a fixed sample).
    """
    docs = matching_docs(searcher, query)
    matched = len(docs)
    if matched > max_docs:
        ids = _ids(searcher, docs)
        chosen = set(sample(ids.values(), max_docs))
        docs = {d for d, i in ids.items() if i in chosen}
    schema = searcher.schema
    return collocations(
        label,
        query,
        (searcher.stored_fields(d) for d in sorted(docs)),
        matched=matched,
        corpus=WhooshCounts(searcher.reader()),
        analyzers=(schema["text"].analyzer, schema["title"].analyzer),
        window=window,
        by_year=by_year,
        top=top,
        min_frequency=min_frequency,
    )


def _ids(searcher: Searcher, docs: set[int]) -> dict[int, str]:
    """Document number -> article id of some documents, from the ``id`` lexicon (a term in
    one document carries its number: no stored document is read)."""
    out: dict[int, str] = {}
    for leaf, offset in searcher.reader().leaf_readers():
        for text, info in leaf.iter_field("id"):
            numbers = (
                [info.min_id()]
                if info.doc_frequency() == 1
                else list(leaf.postings("id", text).all_ids())
            )
            for d in numbers:
                if offset + d in docs and not leaf.is_deleted(d):
                    out[offset + d] = text.decode("utf-8") if isinstance(text, bytes) else text
    return out


def collocations(
    label: str,
    query,
    docs: Iterable[dict],
    *,
    matched: int,
    corpus: CorpusCounts,
    analyzers: tuple,
    window: int | None = 5,
    by_year: bool = False,
    top: int = 20,
    min_frequency: int = MIN_FREQUENCY,
) -> Cooccurrence:
    """Collocates of ``query``'s matches in *docs* (the stored fields of the matches read,
    see :func:`sample`) against the index's *corpus* counts: the engine-neutral part, so
    every engine gives the same numbers for the same matches. The order of *docs* does not
    matter.

    :param matched: how many articles match in all (the counts are scaled to them).
    :param analyzers: the ``text`` and ``title`` analysers of the index.
    """
    analyzer, title_analyzer = analyzers
    overall = _Tally()
    years: dict[str, _Tally] = defaultdict(_Tally)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    node_terms: set[str] = set()
    all_tokens = word_tokens = read = 0
    for stored in docs:
        read += 1
        text = stored.get("text") or ""
        if not text:
            continue
        words, by_text, n_tokens = _analyse(text, analyzer)
        all_tokens += n_tokens
        word_tokens += len(words)
        tables = {"text": _table(by_text)}
        if stored.get("title"):
            tables["title"] = TokenTable("title", stored["title"], title_analyzer)
        marks = find_marks(tables, query, "text")
        if not marks:
            continue
        starts = {m.start for m in marks}
        # A mark may be a compound part: its position is its word's.
        positions = {pos for occ in by_text.values() for pos, s, _e in occ if s in starts}
        near = _near(words, positions, window, text)
        tallies = [overall]
        if by_year:
            date = stored.get("date")
            tallies.append(years[str(date.year) if date else "ohne Datum"])
        node_terms.update(term for pos, _s, _e, term in words if pos in positions)
        counted = [(term, text[start:end]) for pos, start, end, term in words if pos in near]
        for tally in tallies:
            tally.nodes += len(positions)
            tally.window_tokens += len(counted)
            tally.words.update(term for term, _ in counted)
        for term, surface in counted:
            spellings[term][surface] += 1
    scale = matched / read if read else 1.0
    # Corpus size in words: the field's token count less the exact forms and parts.
    corpus_words = corpus.text_length() * (word_tokens / all_tokens if all_tokens else 1)
    result = Cooccurrence(label, "sentence" if window is None else str(window), matched, read)
    tallies = [overall, *years.values()]
    wanted = sorted(
        {
            term
            for tally in tallies
            for term, freq in tally.words.items()
            if freq >= min_frequency and term not in node_terms and _is_word(term)
        }
    )
    frequencies = corpus.frequencies(wanted) if wanted else {}

    def rank(tally: _Tally) -> list[Collocate]:
        out = []
        for term, freq in tally.words.items():
            if freq < min_frequency or term not in frequencies:
                continue
            cf = int(frequencies[term])
            c = _collocate(term, freq, scale, tally, cf, corpus_words, spellings[term])
            if c is not None:
                out.append(c)
        out.sort(key=lambda c: (-c.log_likelihood, c.term))
        return out[:top]

    result.collocates = rank(overall)
    if by_year:
        result.by_year = {y: rank(t) for y, t in sorted(years.items())}
    return result


def _analyse(text: str, analyzer) -> tuple[list[tuple[int, int, int, str]], dict, int]:
    """Word tokens ``(pos, start, end, term)``, all terms by text (for the evaluator), count."""
    words = []
    by_text: dict[str, list[tuple[int, int, int]]] = {}
    n = 0
    for t in analyzer(text, mode="index", positions=True, chars=True):
        n += 1
        start, end = t.startchar, t.endchar
        if end > start:
            by_text.setdefault(t.text, []).append((t.pos, start, end))
        if getattr(t, "kind", "word") == "word":
            words.append((t.pos, start, end, t.text))
    return words, by_text, n


def _table(by_text: dict) -> TokenTable:
    """A snippet evaluator table from tokens already analysed (the text is not read again)."""
    table = TokenTable.__new__(TokenTable)
    table.fieldname = "text"
    table.by_text = by_text
    return table


def _near(
    words: list[tuple[int, int, int, str]], nodes: set[int], window: int | None, text: str
) -> set[int]:
    """Positions of the words in the window of some match (the matches left out)."""
    if window is not None:
        near = {p for n in nodes for p in range(n - window, n + window + 1)}
        return near - nodes
    ends = sentence_ends(text)
    sentence_of = {pos: bisect.bisect_right(ends, start) for pos, start, _e, _t in words}
    hit = {sentence_of[p] for p in nodes if p in sentence_of}
    return {p for p, s in sentence_of.items() if s in hit} - nodes


def _is_word(term: str) -> bool:
    return len(term) > 1 and not term.startswith("=") and not term.replace(".", "").isdigit()


def _collocate(
    term: str,
    freq: int,
    scale: float,
    tally: _Tally,
    corpus_freq: int,
    corpus_words: float,
    spellings: Counter[str],
) -> Collocate | None:
    """Log-likelihood of a 2x2 table (in the window / elsewhere × this word / others)."""
    o11 = freq * scale
    r1 = tally.window_tokens * scale
    c1 = max(float(corpus_freq), o11)
    n = max(corpus_words, r1 + c1)
    e11 = r1 * c1 / n
    if o11 <= e11:
        return None
    table = (
        (o11, e11),
        (r1 - o11, r1 * (n - c1) / n),
        (c1 - o11, (n - r1) * c1 / n),
        (n - r1 - c1 + o11, (n - r1) * (n - c1) / n),
    )
    g2 = 2 * sum(o * math.log(o / e) for o, e in table if o > 0 and e > 0)
    nodes = tally.nodes * scale
    log_dice = 14 + math.log2(2 * o11 / (nodes + c1)) if nodes + c1 > 0 else 0.0
    # The commonest spelling, of equally common ones the first in order (not the first read).
    word = min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0] if spellings else term
    return Collocate(term, word, freq, e11 / scale, corpus_freq, g2, log_dice)
