"""The speed-ups of the analysis hot path give exactly the tokens of the plain path.

:class:`~analyzers.analyzer.GermanAnalyzer` answers index and query calls from a per-chunk
cache and puts the sentence/paragraph boundary terms in itself; the filter-by-filter chain
with :func:`~analyzers.boundaries.with_boundaries` around it is the reference. Sentence
starts are checked against the former, slower implementation kept here verbatim.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import Token
from whoosh.analysis.analyzers import CompositeAnalyzer

import analyzers.analyzer as analyzer_module
from analyzers import fastpath, german_analyzer
from analyzers.boundaries import with_boundaries
from analyzers.sentences import _CANDIDATE, _LAST_WORD, ABBREVIATIONS, sentence_starts

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

WORDS = st.sampled_from(
    """Die der Gaspreise Erdgaspreis steigen Bürger Burg Lehrer*innen Lehrer:innen Häuser
    z. B. Dr. Nr. 3. 2022. Jan. usw. bzw. u. a. St. Gallen Wasserstoff Hochwasser ging
    gegangen Mütter schön schoen schon Straße Corona-Krise „Zitat“ (Klammer) Preis für Gas
    Treibhausgasemissionen Verbraucherschützer 3,5 1.000 Ärztinnen Uber wer ist das
    Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x „Neu (Bern) [3] 'Zitat'
    »Titel« ‚x‘ – - ... 12. IV. ÄRA Öl Über""".split()
)
PUNCT = st.sampled_from(
    ["", "", "", ".", ". ", "!", "?", "…", ".“", '."', "..", ". „", ",", ".)", "!»", "?’", ".]"]
    + ["!.", "?!", "…”", ".'", ".\u00a0", "\u2029", "\r\n\r\n", ".\n\n", "x.y."]
)
SPACE = st.sampled_from([" ", " ", " ", "\n", "\n\n", " \n \n ", "\t", "\u00a0", "\u3000"])
TEXTS = st.lists(st.tuples(WORDS, PUNCT, SPACE), max_size=60).map(
    lambda items: "".join(w + p + s for w, p, s in items)
)


def old_sentence_starts(text: str) -> list[int]:
    """Sentence starts as analysis version 6 first computed them (quadratic in the text)."""
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


def _tokens(tokens) -> list[tuple]:
    return [(t.pos, t.startchar, t.endchar, t.text, t.kind, t.surface) for t in tokens]


def fast(text: str, mode: str, start_pos: int = 0, start_char: int = 0) -> list[tuple]:
    a = german_analyzer()
    return _tokens(
        a(text, positions=True, chars=True, mode=mode, start_pos=start_pos, start_char=start_char)
    )


def plain(text: str, mode: str, start_pos: int = 0, start_char: int = 0) -> list[tuple]:
    """The filters one by one, then the boundary terms: no cache, no fast path."""
    a = german_analyzer()
    kw = {"positions": True, "chars": True, "start_pos": start_pos, "start_char": start_char}
    tokens = CompositeAnalyzer.__call__(a, text, mode=mode, **kw)
    if mode == "index":
        tokens = with_boundaries(tokens, text, start_char)
    return _tokens(tokens)


@settings(max_examples=300, deadline=None)
@given(TEXTS | st.text(max_size=80))
def test_sentence_starts_equal_the_former_implementation(text):
    assert sentence_starts(text) == old_sentence_starts(text)


def test_sentence_start_after_a_long_word():
    # The short window before the dot sees only digits (an ordinal: no sentence end); the
    # whole word is no number, so a sentence ends there.
    text = "Er sagt a" + "1" * 60 + ". Dann geht es am 3. Mai weiter. Neu ist das."
    assert sentence_starts(text) == old_sentence_starts(text)
    assert len(sentence_starts(text)) == 2


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(["index", "query"]), st.integers(0, 3), st.integers(0, 5))
def test_fast_path_equals_the_plain_chain(text, mode, start_pos, start_char):
    assert fast(text, mode, start_pos, start_char) == plain(text, mode, start_pos, start_char)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_without_chars_the_same_terms_at_the_same_positions(text):
    """What the indexer asks for (positions, no offsets)."""
    a = german_analyzer()
    got = [(t.pos, t.text, t.kind, t.surface) for t in a(text, positions=True, mode="index")]
    assert got == [(p, x, k, s) for p, _, _, x, k, s in plain(text, "index")]


def test_fast_path_equals_the_plain_chain_on_the_demo_corpus():
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in {".txt", ".md"})
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        for mode in ("index", "query"):
            assert fast(text, mode) == plain(text, mode), path
        no_chars = german_analyzer()(text, positions=True, mode="index")
        assert [(t.pos, t.text) for t in no_chars] == [
            (p, x) for p, _, _, x, _, _ in plain(text, "index")
        ]


def _paragraphed(text: str) -> str:
    """*text* with a blank line after every third sentence end (derStandard has none)."""
    parts = text.split(". ")
    return (
        "".join(p + (".\n\n" if i % 3 == 2 else ". ") for i, p in enumerate(parts[:-1]))
        + (parts[-1])
    )


def _indexer_view(tokens) -> list[tuple]:
    """What Whoosh's indexer reads of each token, plus the kind and surface."""
    return [(t.pos, t.text, t.boost, t.stopped, t.kind, t.surface) for t in tokens]


def test_fast_path_equals_the_plain_chain_on_derstandard(shared_data):
    """All 1,028 derStandard test texts, half of them with paragraphs: with offsets in both
    modes, and as the indexer calls (positions, boosts, no offsets)."""
    from benchmarks._shared import derstandard

    texts = [text for _label, text in derstandard(shared_data)]
    assert len(texts) == 1028
    a = german_analyzer()
    for i, text in enumerate(texts):
        if i % 2:
            text = _paragraphed(text)
        for mode in ("index", "query"):
            assert fast(text, mode, start_char=i % 3) == plain(text, mode, start_char=i % 3), i
        indexer = a(text, positions=True, boosts=True, mode="index")
        tokens = CompositeAnalyzer.__call__(a, text, positions=True, chars=True, mode="index")
        assert _indexer_view(indexer) == _indexer_view(with_boundaries(tokens, text)), i


def test_chunk_cache_stays_bounded(monkeypatch):
    """A full cache drops its older half; the tokens stay those of the plain chain."""
    monkeypatch.setattr(fastpath, "_CHUNKS_MAX", 8)
    fastpath._SHARED.clear()
    text = "Die Gaspreise steigen. Neue Strompreise, neue Sorgen: Bürger*innen zahlen mehr."
    assert len(set(text.split())) > 8
    for mode in ("index", "query"):
        analyzer_module._CHUNKS[mode].clear()
        assert fast(text, mode) == plain(text, mode)
        assert 0 < len(analyzer_module._CHUNKS[mode]) <= 8
    assert len(fastpath._SHARED) <= 8


def test_fast_token_copies_and_shows_its_slots():
    """Whoosh's highlighter copies tokens (Token.copy sees only the instance dict)."""
    t = next(german_analyzer()("Gaspreise", positions=True, chars=True, mode="index"))
    t.matched = True  # consumers may set their own attributes
    c = t.copy()
    assert type(c) is Token
    got = (c.text, c.pos, c.startchar, c.endchar, c.kind, c.surface, c.boost, c.stopped)
    assert got == ("gaspreis", 0, 0, 9, "word", "gaspreise", 1.0, False)
    assert c.matched and c.mode == "index"
    assert "text='gaspreis'" in repr(t) and "matched=True" in repr(t)
