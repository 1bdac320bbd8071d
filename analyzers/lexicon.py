"""The German lexicon with frequencies the decompounder splits against, loaded once.

It is wordfreq's German ``large`` list (634k words; Zipf frequencies: log10 of occurrences
per billion words), with keys folded by :func:`~analyzers.normalize.normalize_word` so that
``Bücher`` and ``Buecher`` look up the same entry (frequencies of merged spellings are summed),
plus the small list ``data/lexicon_extra.tsv`` (``word<TAB>zipf``) for words wordfreq lacks.

The table lives in a module global, filled on first use: filters never hold it, so analysers
stay small and picklable, and a process pays for loading (about a second) only once.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

from analyzers.normalize import normalize_word

EXTRA_PATH = Path(__file__).with_name("data") / "lexicon_extra.tsv"

_LEXICON: dict[str, float] | None = None
_LOCK = threading.Lock()


def _load() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    raw = [(w, f) for w, f in get_frequency_dict("de", "large").items() if w.isalpha()]
    # Fold all words in one pass over one string: newlines separate them and act as a
    # word start for the e-rule, so this equals normalize_word per word, ten times faster.
    folded = normalize_word("\n".join(w for w, _ in raw)).split("\n")
    if len(folded) != len(raw):  # NFKC or case folding made or ate a line break
        folded = [normalize_word(w) for w, _ in raw]
    freqs: dict[str, float] = {}
    for key, (_, freq) in zip(folded, raw, strict=True):
        freqs[key] = freqs.get(key, 0.0) + freq
    table = {w: math.log10(f * 1e9) for w, f in freqs.items() if f > 0}
    if EXTRA_PATH.exists():
        for line in EXTRA_PATH.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            word, _, zipf = line.partition("\t")
            key = normalize_word(word.strip())
            table[key] = max(table.get(key, 0.0), float(zipf))
    return table


def lexicon() -> dict[str, float]:
    """The folded word -> Zipf frequency table, loaded on the first call of the process."""
    global _LEXICON
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                _LEXICON = _load()
    return _LEXICON


def zipf(word: str) -> float:
    """Zipf frequency of a folded word; 0.0 when the lexicon does not know it."""
    return lexicon().get(word, 0.0)
