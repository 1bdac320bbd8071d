"""Sentence splitting that knows German abbreviations (``z. B.``, ``Dr.``, ``Nr.``)."""

from __future__ import annotations

import itertools
import re

#: Abbreviations (folded to lower case, without the final dot) after which a dot does not
#: end a sentence.
ABBREVIATIONS = frozenset(
    """z b d h u a o ä s v g bzw ca dr prof nr str st abs art bd bsp co etc evtl ggf hr fr
    inkl jh jr mio mrd max min mind sog tel usw vgl vs zb zt zzgl gegr geb gest ing dipl
    mag univ abg bzgl ebd orig ff chr jan feb mär apr jun jul aug sep sept okt nov dez
    mr mrs hl kap tab abb anm""".split()
)
_ENDERS = "[.!?…]+"
_CLOSERS = "[\"'»«“”‘’)\\]]*"
_OPENER = "[\"'»«“”‘„(\\[]?[A-ZÄÖÜ0-9]"
_CANDIDATE = re.compile(rf"{_ENDERS}{_CLOSERS}\s+(?={_OPENER})")
_LAST_WORD = re.compile(r"(\w+)\.$")
_CHUNK_END = re.compile(rf"{_ENDERS}{_CLOSERS}\Z")
_CHUNK_OPEN = re.compile(_OPENER)
_WORD_END = re.compile(r"\w+\Z")


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` after the first starts (character offsets).

    The boundaries :func:`split_sentences` cuts at; the index marks them (``NEAR/s``).
    """
    starts: list[int] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        dot = m.start()
        if text[dot] == "." and text[dot + 1 : dot + 2] != ".":
            w = _word_before(text, start, dot)
            if w and (w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or w.isdigit()):
                continue
        starts.append(m.end())
        start = m.end()
    return starts


#: How far back :func:`_word_before` looks at first; a longer word is looked up again whole.
_WORD_WINDOW = 40


def _word_before(text: str, start: int, dot: int) -> str:
    """The word (``\\w+``, lower-cased) that ends right before the dot at ``dot``, not
    reaching before ``start``; empty if none.

    The same as searching ``(\\w+)\\.$`` in ``text[start : dot + 1]``, but it looks at a
    short window first: searching the whole head made a text's sentence splitting quadratic
    in its length (most of ``zeitung index``'s boundary time on long articles).
    """
    lo = max(start, dot - _WORD_WINDOW)
    m = _LAST_WORD.search(text, lo, dot + 1)
    if m is not None and m.start() == lo and lo > start:  # it may reach further back
        m = _LAST_WORD.search(text, start, dot + 1)
    return m.group(1).lower() if m is not None else ""


def chunk_ends_sentence(chunk: str) -> bool:
    """Whether a whitespace-free chunk of text can end a sentence: it ends in ``.``, ``!``,
    ``?`` or ``…`` (closing quotes and brackets may follow) and no abbreviation or ordinal
    ends at its dot. A sentence then starts at the next chunk if it
    :func:`chunk_opens_sentence` — exactly the starts :func:`sentence_starts` finds, since
    no candidate there spans more than one chunk and its whitespace; the analyser's fast
    path uses this per cached chunk instead of scanning every text.
    """
    m = _CHUNK_END.search(chunk)
    if m is None:
        return False
    dot = m.start()
    if chunk[dot] == "." and chunk[dot + 1 : dot + 2] != ".":
        word = _WORD_END.search(chunk, 0, dot)
        if word is not None:
            w = word.group().lower()
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or w.isdigit():
                return False
    return True


def chunk_opens_sentence(chunk: str) -> bool:
    """Whether a chunk can begin a sentence: a capital or digit, maybe after an opening
    quote or bracket (see :func:`chunk_ends_sentence`)."""
    return _CHUNK_OPEN.match(chunk) is not None


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, stripped; abbreviations and ordinals do not end one.

    ``split_sentences("Das gilt z. B. für Dr. Müller. Er kommt.")`` gives two sentences.

    :param text: running text.
    """
    bounds = [0, *sentence_starts(text), len(text)]
    return [s for a, b in itertools.pairwise(bounds) if (s := text[a:b].strip())]
