"""German lemmas (base forms) from simplemma's dictionary, folded, loaded once per process.

simplemma (MIT licence, about 1.3 MB of compressed German data: 1.1 M word forms, each with
its lemma, from Wiktionary and morphological lexicons) knows the forms no suffix rule finds:
irregular verbs (*ging*, *gegangen* -> *gehen*), strong and umlaut plurals (*Mütter* ->
*Mutter*, *Häuser* -> *Haus*). Two tables are built from it, keys and values folded like
every index term (:func:`~analyzers.normalize.normalize_word`):

* :func:`lemma_of`: form -> lemma, for the stemmer (a word is stemmed through its lemma). A
  folded form that folds from forms of several other lemmas keeps no entry (a guess there
  would merge words the reader keeps apart);
* :func:`forms_of`: lemma -> all its forms, for the query operator ``&Wort``.

Reading simplemma's data takes 3-4 s, which a short ``zeitung search`` cannot pay, so each
table is kept in the user cache folder like the lexicon (:func:`analyzers.lexicon.cache_dir`),
keyed by simplemma's version and a digest of this file.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from analyzers.lexicon import _read_cache, _write_cache, cache_dir
from analyzers.normalize import normalize_word

#: Bump when the tables' format changes without a change to this file.
CACHE_FORMAT = 1

_TABLES: dict[str, dict] = {}
_LOCK = threading.Lock()


def _entries() -> list[tuple[str, str]]:
    """simplemma's German (form, lemma) pairs, both folded; letters only."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    raw = [
        (form, lemma)
        for form, lemma in DefaultDictionaryFactory().get_dictionary("de").items()
        if form.isalpha() and lemma.isalpha()
    ]
    # One fold over one string (newlines act as word starts), as the lexicon does.
    forms = normalize_word("\n".join(f for f, _ in raw)).split("\n")
    lemmas = normalize_word("\n".join(lem for _, lem in raw)).split("\n")
    if len(forms) != len(raw) or len(lemmas) != len(raw):
        forms = [normalize_word(f) for f, _ in raw]
        lemmas = [normalize_word(lem) for _, lem in raw]
    return list(zip(forms, lemmas, strict=True))


def _build(name: str) -> dict:
    entries = _entries()
    if name == "forms":
        forms: dict[str, set[str]] = {}
        for form, lemma in entries:
            forms.setdefault(lemma, {lemma}).add(form)
        return {lemma: sorted(fs) for lemma, fs in forms.items()}
    candidates: dict[str, set[str]] = {}
    for form, lemma in entries:
        if form != lemma:
            candidates.setdefault(form, set()).add(lemma)
    return {form: next(iter(ls)) for form, ls in candidates.items() if len(ls) == 1}


def _cache_path(name: str) -> Path:
    from importlib.metadata import version

    digest = hashlib.sha256(f"{CACHE_FORMAT}{name}".encode())
    here = Path(__file__).parent
    for path in (here / "lemmas.py", here / "normalize.py"):
        digest.update(path.read_bytes())
    stamp = f"simplemma{version('simplemma')}-{digest.hexdigest()[:16]}"
    return cache_dir() / f"lemmas-de-{name}-{stamp}.marshal"


def _table(name: str) -> dict:
    table = _TABLES.get(name)
    if table is None:
        with _LOCK:
            table = _TABLES.get(name)
            if table is None:
                try:
                    path: Path | None = _cache_path(name)
                except Exception:  # noqa: BLE001 - no metadata, odd home: just build
                    path = None
                table = _read_cache(path) if path else None
                if table is None:
                    table = _build(name)
                    if path:
                        _write_cache(path, table)
                _TABLES[name] = table
    return table


def lemma_of(word: str) -> str | None:
    """The folded lemma of a folded word form, when it is known and not the word itself.

    ``lemma_of("ging") == "gehen"``, ``lemma_of("mutter")`` is None (a lemma already).
    """
    return _table("lemma").get(word)


def lemma_table() -> dict[str, str]:
    """The whole form -> lemma table (for the stemmer's hot path)."""
    return _table("lemma")


def lemma(word: str) -> str | None:
    """The folded lemma of a word, when the lemma list knows the word; else None.

    ``lemma("ging") == "gehen"``, ``lemma("Mütter") == "mutter"``, ``lemma("Xyzzy")`` is None.
    """
    folded = normalize_word(word)
    if folded in _table("forms"):
        return folded
    return lemma_of(folded)


def forms_of(word: str) -> list[str]:
    """Every folded form of a word's lemma, the lemma included; ``[]`` when unknown.

    The word may itself be a form: ``forms_of("ging")`` are the forms of *gehen*.

    :param word: a word, folded or not.
    """
    folded = normalize_word(word)
    table = _table("forms")
    forms = table.get(folded)
    if forms is None:
        lemma = lemma_of(folded)
        forms = table.get(lemma, []) if lemma else []
    return list(forms)
