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
_CANDIDATE = re.compile(r"[.!?…]+[\"'»«“”‘’)\]]*\s+(?=[\"'»«“”‘„(\[]?[A-ZÄÖÜ0-9])")
_LAST_WORD = re.compile(r"(\w+)\.$")


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` after the first starts (character offsets).

    The boundaries :func:`split_sentences` cuts at; the index marks them (``NEAR/s``).
    """
    starts: list[int] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        head = text[start : m.start() + 1]
        word = _LAST_WORD.search(head)
        if word and m.group().startswith(".") and not m.group().startswith(".."):
            w = word.group(1).lower()
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or w.isdigit():
                continue
        starts.append(m.end())
        start = m.end()
    return starts


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, stripped; abbreviations and ordinals do not end one.

    ``split_sentences("Das gilt z. B. für Dr. Müller. Er kommt.")`` gives two sentences.

    :param text: running text.
    """
    bounds = [0, *sentence_starts(text), len(text)]
    return [s for a, b in itertools.pairwise(bounds) if (s := text[a:b].strip())]
