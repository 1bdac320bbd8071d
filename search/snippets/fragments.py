"""The *fragmenter*, *scorer* and *order* roles: cut the best pieces of a text around its marks.

Everything here works on whitespace-folded text (runs of whitespace are one space, no space at
either end), so every fragment is a contiguous piece of it. Cuts fall on sentence boundaries
where the budget allows and otherwise between words, never inside one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from search.snippets.marks import Mark

#: Shown where a fragment was cut inside a sentence.
ELLIPSIS = "…"

# A sentence ends at . ! ? or … (perhaps followed by closing quotes or brackets) before a
# space and a capital, digit or opening quote. Abbreviations are weeded out below.
_SENTENCE_END = re.compile(r"[.!?…][\"'»«“”‘’)\]]*(?= [\"'„“»«‘(\[]?[A-ZÄÖÜ0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b\w|\b(?:Abs|Art|bzw|ca|Dr|etc|evtl|Fr|ggf|Hr|inkl|Mio|Mrd|Nr|Prof|rd|St|Str|"
    r"usw|vgl|z\.B|u\.a|d\.h)|\d)\.$"
)


def fold_whitespace(text: str) -> str:
    """Runs of whitespace become one space; leading and trailing whitespace goes."""
    return " ".join(text.split())


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence-final punctuation mark of folded ``text``."""
    ends = []
    for m in _SENTENCE_END.finditer(text):
        if m.group()[0] == "." and _ABBREVIATION.search(text, max(0, m.start() - 6), m.start() + 1):
            continue
        ends.append(m.end())
    return ends


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece ``text[start:end]`` of the folded text and the marks inside it."""

    start: int
    end: int
    #: Merged ``[start, end)`` ranges inside the fragment, as offsets into the folded text.
    marks: tuple[tuple[int, int], ...]
    #: The fragment starts (ends) inside a sentence: show an ellipsis there.
    cut_start: bool
    cut_end: bool


class _Bounds:
    """Where a fragment of one folded text may start and end."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sent_ends = sentence_ends(text)
        # A sentence starts one space after a sentence end.
        self.sent_starts = [0] + [e + 1 for e in self.sent_ends]

    def is_sentence_start(self, i: int) -> bool:
        j = bisect.bisect_left(self.sent_starts, i)
        return j < len(self.sent_starts) and self.sent_starts[j] == i

    def is_sentence_end(self, i: int) -> bool:
        if i == len(self.text):
            return True
        j = bisect.bisect_left(self.sent_ends, i)
        return j < len(self.sent_ends) and self.sent_ends[j] == i

    def start_at_or_after(self, i: int, limit: int) -> int:
        """The first word start in ``[i, limit]``, else ``limit``."""
        if i <= 0:
            return 0
        if self.text[i - 1] == " ":
            return i
        space = self.text.find(" ", i, limit)
        return limit if space < 0 else space + 1

    def end_at_or_before(self, i: int, floor: int) -> int:
        """The last word end in ``[floor, i]``, else ``floor``."""
        n = len(self.text)
        if i >= n:
            return n
        if self.text[i] == " ":
            return i
        space = self.text.rfind(" ", floor, i)
        return floor if space < 0 else space

    def word_around(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` widened to whole words."""
        return self.text.rfind(" ", 0, start) + 1, self.end_at_or_after(end)

    def end_at_or_after(self, i: int) -> int:
        space = self.text.find(" ", i)
        return len(self.text) if space < 0 else space

    def fragment(self, start: int, end: int, ranges) -> Fragment:
        inside = tuple((s, e) for s, e, _ in ranges if start <= s and e <= end)
        return Fragment(
            start,
            end,
            inside,
            cut_start=not self.is_sentence_start(start),
            cut_end=not self.is_sentence_end(end),
        )

    def window(self, core_start: int, core_end: int, size: int, lo: int, hi: int) -> tuple:
        """Grow ``[core_start, core_end)`` to about ``size`` chars inside ``[lo, hi)``.

        Left context reaches back to the sentence start when that fits into half the budget,
        else to a word start; the right context takes the rest and stops at the last sentence
        end that fits, else at a word end; budget the right side could not use goes left.
        """
        budget = max(0, size - (core_end - core_start))
        j = bisect.bisect_right(self.sent_starts, core_start) - 1
        sent_start = max(self.sent_starts[j], lo)
        if core_start - sent_start <= budget // 2:
            start = sent_start
        else:
            start = self.start_at_or_after(max(lo, core_start - budget // 2), core_start)
        limit = min(hi, core_end + size - (core_end - start))
        if limit >= hi:
            end = hi
        else:
            k = bisect.bisect_right(self.sent_ends, limit) - 1
            if k >= 0 and self.sent_ends[k] >= core_end:
                end = self.sent_ends[k]
            else:
                end = self.end_at_or_before(limit, core_end)
        spare = size - (end - start)
        if spare > 0 and start > lo:
            j = bisect.bisect_right(self.sent_starts, start) - 1
            while j > 0 and self.sent_starts[j] == start:
                j -= 1
            if self.sent_starts[j] >= max(lo, start - spare) and self.sent_starts[j] < start:
                start = self.sent_starts[j]
            elif not self.is_sentence_start(start):
                start = self.start_at_or_after(max(lo, start - spare), start)
        return start, end


def _merged(marks: list[Mark]) -> list[tuple[int, int, frozenset[str]]]:
    """Sorted ranges, overlapping or touching ones merged; with the set of terms each holds."""
    out: list[tuple[int, int, frozenset[str]]] = []
    for m in sorted(marks, key=lambda m: (m.start, m.end)):
        if out and m.start <= out[-1][1]:
            s, e, keys = out[-1]
            out[-1] = (s, max(e, m.end), keys | {m.key})
        else:
            out.append((m.start, m.end, frozenset({m.key})))
    return out


def merge_ranges(marks: list[Mark]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``[start, end)`` ranges of ``marks``."""
    return [(s, e) for s, e, _ in _merged(marks)]


def best_fragments(text: str, marks: list[Mark], count: int, size: int) -> list[Fragment]:
    """Up to ``count`` fragments of folded ``text``, in text order.

    Candidates are runs of consecutive marks that fit into ``size`` chars. The scorer ranks
    them by the number of distinct matched terms, then by density (more marks, then a tighter
    run); the best are taken greedily so that no two fragments overlap. With no marks the
    result is the lead: the text's first fragment.
    """
    if count <= 0 or not text:
        return []
    bounds = _Bounds(text)
    ranges = _merged(marks)
    if not ranges:
        start, end = bounds.window(0, bounds.end_at_or_after(0), size, 0, len(text))
        return [bounds.fragment(start, end, ())]
    candidates = []
    for i, (s, _, _) in enumerate(ranges):
        keys: set[str] = set()
        j = i
        while j < len(ranges) and (j == i or ranges[j][1] - s <= size):
            keys |= ranges[j][2]
            j += 1
        e = ranges[j - 1][1]
        ws, we = bounds.word_around(s, e)
        candidates.append(((len(keys), j - i, -(e - s), -s), ws, we))
    candidates.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for _, s, e in candidates:
        if len(chosen) == count:
            break
        if any(s < ce and cs < e for cs, ce in chosen):
            continue
        k = bisect.bisect_left(chosen, (s, e))
        lo = chosen[k - 1][1] if k > 0 else 0
        hi = chosen[k][0] if k < len(chosen) else len(text)
        # Keep a space between neighbours so that both stay cut between words.
        lo = lo + 1 if lo and lo < s else lo
        hi = hi - 1 if hi < len(text) and hi > e else hi
        chosen.insert(k, bounds.window(s, e, size, lo, hi))
    return [bounds.fragment(fs, fe, ranges) for fs, fe in chosen]
