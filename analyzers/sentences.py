"""Sentence splitting that knows German abbreviations (``z. B.``, ``Dr.``, ``Nr.``)."""

from __future__ import annotations

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


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, stripped; abbreviations and ordinals do not end one.

    ``split_sentences("Das gilt z. B. für Dr. Müller. Er kommt.")`` gives two sentences.

    :param text: running text.
    """
    out: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        head = text[start : m.start() + 1]
        word = _LAST_WORD.search(head)
        if word and m.group().startswith(".") and not m.group().startswith(".."):
            w = word.group(1).lower()
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or w.isdigit():
                continue
        sentence = text[start : m.end()].strip()
        if sentence:
            out.append(sentence)
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out
