"""The German lexicon with frequencies the decompounder splits against, loaded once.

It is wordfreq's German ``large`` list (634k words; Zipf frequencies: log10 of occurrences
per billion words), with keys folded by :func:`~analyzers.normalize.normalize_word` so that
``Bücher`` and ``Buecher`` look up the same entry (frequencies of merged spellings are summed),
plus the small list ``data/lexicon_extra.tsv`` (``word<TAB>zipf``) for words wordfreq lacks.

The table lives in a module global, filled on first use: filters never hold it, so analysers
stay small and picklable, and a process pays for loading only once. Building it from wordfreq
(reading 634k words, folding them) takes about 1.5-2.5 s, which every short-lived process (a
``zeitung search`` call) would pay, so the built table is also kept on disk, in ``marshal``
format (about 0.2 s to load), under the user cache folder: ``$ZEITUNG_CACHE_DIR``, else
``$XDG_CACHE_HOME/zeitung``, else ``~/.cache/zeitung``. The file name carries wordfreq's
version and a digest of the code and data the table is built from, so a change to either
builds a new one; it is written atomically (temporary file, then rename), and a cache folder
that cannot be written or read is silently skipped.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
import tempfile
import threading
from pathlib import Path

from analyzers.normalize import normalize_word

EXTRA_PATH = Path(__file__).with_name("data") / "lexicon_extra.tsv"
#: Bump when the table's format changes without a change to the files hashed below.
CACHE_FORMAT = 1

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


def cache_dir() -> Path:
    """Where the built lexicon is kept between processes."""
    if os.environ.get("ZEITUNG_CACHE_DIR"):
        return Path(os.environ["ZEITUNG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "zeitung"


def cache_path() -> Path:
    """The cache file for this wordfreq version and this code (see the module docstring)."""
    from importlib.metadata import version

    digest = hashlib.sha256(str(CACHE_FORMAT).encode())
    here = Path(__file__).parent
    for path in (here / "lexicon.py", here / "normalize.py", EXTRA_PATH):
        if path.exists():
            digest.update(path.read_bytes())
    return (
        cache_dir() / f"lexicon-de-wordfreq{version('wordfreq')}-{digest.hexdigest()[:16]}.marshal"
    )


def _read_cache(path: Path) -> dict[str, float] | None:
    try:
        table = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return table if isinstance(table, dict) and table else None


def _write_cache(path: Path, table: dict[str, float]) -> None:
    """Write atomically; any failure (read-only home, full disk) leaves no file behind."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            marshal.dump(table, f)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def load_cached(use_cache: bool = True) -> dict[str, float]:
    """The table from the disk cache, else built from wordfreq (and then cached)."""
    if not use_cache:
        return _load()
    try:
        path = cache_path()
    except Exception:  # noqa: BLE001 - no metadata, odd home: just build
        return _load()
    table = _read_cache(path)
    if table is None:
        table = _load()
        _write_cache(path, table)
    return table


def lexicon() -> dict[str, float]:
    """The folded word -> Zipf frequency table, loaded on the first call of the process."""
    global _LEXICON
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                _LEXICON = load_cached()
    return _LEXICON


def zipf(word: str) -> float:
    """Zipf frequency of a folded word; 0.0 when the lexicon does not know it."""
    return lexicon().get(word, 0.0)
