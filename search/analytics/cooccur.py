"""Words around a topic: collocates of a query's matches, ranked by log-likelihood.

For each matching article the text is analysed once with the index's own analyser, so
words are grouped by their index term (inflections and spellings together, stop words
already out); the query's matches are found with the snippet evaluator (the same clauses
that matched), and the words within ``window`` words of a match, or in the same sentence,
are counted. Whether a word is there more than chance would have it is judged against its
frequency in the whole index (postings statistics, no document loaded): log-likelihood G²
(Dunning 1993) ranks, logDice (Rychlý 2008) is given beside it, as DWDS and Sketch Engine do.

The articles are read, so a very common query is measured on a fixed sample of its matches
(``max_docs``, chosen deterministically); counts are then scaled to all matches and the
result says so.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from whoosh.searching import Searcher

from search.analytics.columns import date_ordinals, matching_docs
from search.snippets.fragments import sentence_ends
from search.snippets.marks import TokenTable, find_marks

DEFAULT_MAX_DOCS = 1000
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
    """The words that stand near the matches of ``query`` more often than chance.

    :param window: words on either side of a match; None: the match's sentence.
    :param by_year: also rank the collocates of each year apart.
    :param max_docs: read at most this many matching articles (a fixed sample).
    """
    schema = searcher.schema
    analyzer = schema["text"].analyzer
    title_analyzer = schema["title"].analyzer
    docs = sorted(matching_docs(searcher, query))
    matched = len(docs)
    if len(docs) > max_docs:
        docs = sorted(random.Random(0).sample(docs, max_docs))
    dates = date_ordinals(searcher) if by_year else None
    overall = _Tally()
    years: dict[str, _Tally] = defaultdict(_Tally)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    node_terms: set[str] = set()
    all_tokens = word_tokens = 0
    for d in docs:
        stored = searcher.stored_fields(d)
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
        if dates is not None:
            o = dates[d]
            tallies.append(years[str(dt.date.fromordinal(o).year) if o else "ohne Datum"])
        node_terms.update(term for pos, _s, _e, term in words if pos in positions)
        counted = [(term, text[start:end]) for pos, start, end, term in words if pos in near]
        for tally in tallies:
            tally.nodes += len(positions)
            tally.window_tokens += len(counted)
            tally.words.update(term for term, _ in counted)
        for term, surface in counted:
            spellings[term][surface] += 1
    reader = searcher.reader()
    scale = matched / len(docs) if docs else 1.0
    # Corpus size in words: the field's token count less the exact forms and parts.
    corpus_words = reader.field_length("text") * (word_tokens / all_tokens if all_tokens else 1)
    result = Cooccurrence(label, "sentence" if window is None else str(window), matched, len(docs))

    def rank(tally: _Tally) -> list[Collocate]:
        out = []
        for term, freq in tally.words.items():
            if freq < min_frequency or term in node_terms or not _is_word(term):
                continue
            cf = int(reader.frequency("text", term))
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
    word = spellings.most_common(1)[0][0] if spellings else term
    return Collocate(term, word, freq, e11 / scale, corpus_freq, g2, log_dice)
