"""Hypothesis properties of the German chain, and the stemming gold (skips without data)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers import analyze, german_analyzer, normalize_word, split_compound, stem
from analyzers.normalize import fold_token, normalize_with_offsets

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# Text that looks like German often enough to reach the decompounder.
GERMANISH = st.text(
    alphabet=st.sampled_from(list("aäbcdeéfghiklmnoöprsßtuüvwzAÄGKLSZ -*:_'’.,0123\u00ad\u0308")),
    max_size=40,
)
ANY_TEXT = st.one_of(st.text(max_size=60), GERMANISH)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.sampled_from(["index", "query"]))
def test_analysis_never_crashes_positions_offsets(text, mode):
    last = -1
    for t in analyze(text, mode=mode):
        assert t.pos >= last
        last = t.pos
        assert 0 <= t.start <= t.end <= len(text)
        # The slice, folded, is the token's surface.
        assert fold_token(text[t.start : t.end]) == t.surface


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_fast_path_equals_filter_chain(text):
    a = german_analyzer()

    def run(**kw):
        return [
            (t.pos, t.startchar, t.endchar, t.text, t.kind)
            for t in a(text, positions=True, chars=True, mode="index", **kw)
        ]

    assert run() == run(keeporiginal=True)  # keeporiginal forces the filter-by-filter path


@settings(max_examples=300, deadline=None)
@given(GERMANISH)
def test_split_parts_are_ordered_substrings(word):
    folded = fold_token(word)
    at = 0
    for part in split_compound(word):
        i = folded.find(part, at)
        assert i >= 0, (word, folded, part)
        at = i + len(part)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_offset_folding_matches_normalize_word(word):
    out, offsets = normalize_with_offsets(word)
    assert out == normalize_word(word)
    assert len(offsets) == len(out) + 1
    assert offsets == sorted(offsets)


def test_stem_clustering_beats_plain_snowball():
    """On CISTEM gold 1 our stemmer conflates about as well as Snowball (F1 of pairs)."""
    path = DATA / "stemming" / "cistem-gold1.txt"
    if not path.exists():
        pytest.skip("../shared/data/stemming not available")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.stemming import clustering, load_clusters, snowball

    clusters = load_clusters(path)[::5]
    ours = clustering(clusters, stem)
    base = clustering(clusters, snowball)
    assert ours["f1"] >= 0.98 * base["f1"]
    assert ours["precision"] > 0.9
