"""Issue 10 (analysis part) and issue 15 item 4: wrong splits, false conflations, limits."""

from __future__ import annotations

from analyzers import analyze, split_compound


def test_very_long_word_does_not_recurse():
    """Issue 15: a 5000-letter word gave RecursionError in the splitter's ``tails``."""
    for word in ("x" * 5000, "gas" * 1700, "Erdgaspreis" * 400):
        assert split_compound(word) == [word.lower()]
        assert any(t.kind == "word" for t in analyze(word))
