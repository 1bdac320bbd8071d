"""Snippets: which characters a query marks, how fragments are cut, KWIC lines.

The marking rules are tested against a small analyser that follows the token contract of
:mod:`analyzers` (word, exact and part tokens) with a fixed compound list, so that these tests
do not depend on the current state of the real German chain; a few tests at the end go
through the project's own schema analyser and query parser.
"""

from __future__ import annotations

import pytest
import Stemmer
from hypothesis import example, given, settings
from hypothesis import strategies as st
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    DateRange,
    Every,
    FuzzyTerm,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Require,
    Term,
    Wildcard,
)
from whoosh.query.spans import SpanFirst, SpanNear, SpanNear2, SpanNot, SpanOr

from search.snippets import (
    ELLIPSIS,
    KwicLine,
    SnippetOptions,
    highlight_spans,
    kwic_lines,
    make_snippets,
)

_STEMMER = Stemmer.Stemmer("german")
_COMPOUNDS = {
    "gaspreise": ("gas", "preise"),
    "gaspreis": ("gas", "preis"),
    "strompreise": ("strom", "preise"),
    "wasserstände": ("wasser", "stände"),
    "hochwasser": ("hoch", "wasser"),
}
_STOP = frozenset({"am", "der", "die", "das", "und", "ist", "in", "im", "den", "ein"})


def _fold(word: str) -> str:
    return word.casefold().replace("ä", "a").replace("ö", "o").replace("ü", "u")


class _ContractFilter(Filter):
    """Word, exact and part tokens as the analyzers' token contract describes them."""

    def __call__(self, tokens):
        for t in tokens:
            low = t.text
            if low in _STOP:
                continue  # positions keep the gap, as the contract requires
            start, end = getattr(t, "startchar", 0), getattr(t, "endchar", 0)
            t.text, t.kind = _STEMMER.stemWord(_fold(low)), "word"
            yield t
            if t.mode == "index":
                t.text, t.kind = "=" + _fold(low), "exact"
                yield t
            offset = 0
            for part in _COMPOUNDS.get(low, ()):
                i = low.index(part, offset)
                offset = i + len(part)
                t.text, t.kind = _STEMMER.stemWord(_fold(part)), "part"
                if t.chars:
                    t.startchar, t.endchar = start + i, start + offset
                yield t
            if t.chars:
                t.startchar, t.endchar = start, end


ANALYZER = RegexTokenizer(r"\w+(?:[-']\w+)*") | LowercaseFilter() | _ContractFilter()


def w(word: str) -> str:
    """The query-mode token text of ``word``."""
    return next(iter(ANALYZER(word, mode="query"))).text


def t(word: str, field: str = "text") -> Term:
    return Term(field, w(word))


def marked(text: str, query: Query, field: str = "text") -> list[str]:
    return [text[s:e] for s, e in highlight_spans(text, query, fieldname=field, analyzer=ANALYZER)]


# --- marking rules --------------------------------------------------------------------------

TEXT = (
    "Die Gaspreise steigen, die Wasserstände sinken. Die Regierung bleibt im Amt, "
    "sagte die Regierung am Montag. Haus am See zu verkaufen."
)

MARKING_TABLE = [
    pytest.param(t("Preis"), ["preise"], id="only-the-part-of-a-compound"),
    pytest.param(t("Wasserstand"), ["Wasserstände"], id="surface-form-of-stemmed-umlaut-word"),
    pytest.param(
        Or([t("Gaspreise"), And([t("Gas"), t("Preis")])]),
        ["Gaspreise"],
        id="compound-or-its-parts-merges-to-the-word",
    ),
    pytest.param(
        Phrase("text", [w("Regierung"), w("bleibt")]),
        ["Regierung", "bleibt"],
        id="both-phrase-words-not-the-same-word-elsewhere",
    ),
    pytest.param(
        Phrase("text", [w("Haus"), w("See")], slop=2),
        ["Haus", "See"],
        id="phrase-across-a-stop-word-gap-with-slop",
    ),
    pytest.param(Phrase("text", [w("Haus"), w("See")]), [], id="phrase-without-slop-misses-gap"),
    pytest.param(Phrase("text", [w("Regierung"), w("Montag")]), [], id="phrase-not-in-text"),
    pytest.param(And([t("Regierung"), Not(t("Kanzler"))]), ["Regierung"] * 2, id="not-absent"),
    pytest.param(
        Or([Term("title", "x"), AndNot(t("Regierung"), t("Montag"))]),
        [],
        id="clause-failing-on-its-not-marks-nothing",
    ),
    pytest.param(
        Or([And([t("Regierung"), t("Kanzler")]), t("Montag")]),
        ["Montag"],
        id="unmatched-or-branch-not-marked",
    ),
    pytest.param(And([t("Montag"), t("Kanzler")]), [], id="and-with-a-missing-term"),
    pytest.param(
        And([Term("title", "kasachstan"), t("Montag")]),
        ["Montag"],
        id="clause-on-another-field-does-not-block",
    ),
    pytest.param(
        And([DateRange("date", None, None), t("Montag")]), ["Montag"], id="date-range-ignored"
    ),
    pytest.param(Or([t("Montag", "title"), t("Regierung")]), ["Regierung"] * 2, id="field"),
    pytest.param(AndMaybe(t("Montag"), t("Amt")), ["Amt", "Montag"], id="and-maybe"),
    pytest.param(AndMaybe(t("Kanzler"), t("Amt")), [], id="and-maybe-without-required"),
    pytest.param(Require(t("Amt"), t("Montag")), ["Amt", "Montag"], id="require"),
    pytest.param(Not(t("Kanzler")), [], id="bare-not-marks-nothing"),
    pytest.param(Prefix("text", "=gaspr"), ["Gaspreise"], id="prefix-on-exact-form"),
    pytest.param(Wildcard("text", "=wasserst?nde"), ["Wasserstände"], id="wildcard"),
    pytest.param(FuzzyTerm("text", "montga", maxdist=2), ["Montag"], id="fuzzy"),
    pytest.param(
        SpanNear2([t("Regierung"), t("Amt")], slop=3), ["Regierung", "Amt"], id="span-near"
    ),
    pytest.param(SpanNear(t("Regierung"), t("Montag"), slop=1), [], id="span-near-too-far"),
    pytest.param(
        SpanNear2([SpanOr([t("Haus"), t("Kanzler")]), t("See")], slop=2),
        ["Haus", "See"],
        id="span-or-inside-near",
    ),
    pytest.param(SpanFirst(t("Regierung"), limit=8), ["Regierung"], id="span-first"),
    pytest.param(
        SpanNot(t("Regierung"), SpanNear2([t("Regierung"), t("bleibt")])),
        ["Regierung"],
        id="span-not",
    ),
    pytest.param(And([Every(), t("See")]), ["See"], id="every"),
    pytest.param(Or([NullQuery, t("See")]), ["See"], id="null-query"),
]


@pytest.mark.parametrize(("query", "expected"), MARKING_TABLE)
def test_marking_rules(query, expected):
    assert marked(TEXT, query) == expected


def test_phrase_marks_the_occurrence_not_the_other_same_word():
    spans = highlight_spans(
        TEXT, Phrase("text", [w("Regierung"), w("bleibt")]), fieldname="text", analyzer=ANALYZER
    )
    first = TEXT.index("Regierung")
    assert spans[0] == (first, first + len("Regierung"))
    assert TEXT.rindex("Regierung") not in [s for s, _ in spans]


def test_part_and_whole_compound_marks_merge_without_overlap():
    spans = highlight_spans(
        "Gaspreise", Or([t("Gas"), t("Preis"), t("Gaspreise")]), fieldname="text", analyzer=ANALYZER
    )
    assert spans == [(0, 9)]


def test_adjacent_parts_merge():
    assert marked("Gaspreise", And([t("Gas"), t("Preis")])) == ["Gaspreise"]


class _Custom(Query):
    """A node type the marker does not know."""

    def __init__(self, words):
        self.words = words

    def iter_all_terms(self, phrases=True):
        return iter(("text", word) for word in self.words)


def test_unknown_node_falls_back_to_its_terms_in_this_field():
    assert marked(TEXT, _Custom([w("Montag"), w("Kanzler")])) == ["Montag"]
    assert marked(TEXT, _Custom([w("Montag")]), field="title") == []


def test_title_field_is_marked_for_title_clauses_only():
    query = Or([Term("title", w("Gaspreise")), Term("text", w("Regierung"))])
    assert marked("Gaspreise steigen", query, field="title") == ["Gaspreise"]
    assert marked("Regierung bleibt", query, field="title") == []


# --- fragments --------------------------------------------------------------------------------

LONG = " ".join(
    [
        "Die Regierung tagte am Montag in Wien.",
        "Danach gab es eine lange Pressekonferenz mit vielen Fragen zur Lage.",
        "Gleichzeitig berichteten Medien über die Gaspreise im Land.",
        "Viele Familien sorgen sich um den Winter und um ihre Rechnungen.",
        "Die Regierung kündigte an, die Gaspreise mit einem Deckel zu begrenzen.",
        "Ökonomen sind skeptisch, ob das reicht.",
        "Der Wasserstand der Donau war am Wochenende erstaunlich niedrig.",
    ]
)


def test_best_fragment_has_most_distinct_terms():
    query = Or([t("Regierung"), t("Gaspreise")])
    [snippet] = make_snippets(
        LONG, query, analyzer=ANALYZER, options=SnippetOptions(fragments=1, fragment_size=90)
    )
    words = {snippet.text[s:e] for s, e in snippet.highlights}
    assert words == {"Regierung", "Gaspreise"}
    assert "Deckel" in snippet.text


def test_fragments_come_back_in_text_order_and_do_not_overlap():
    query = Or([t("Regierung"), t("Gaspreise"), t("Wasserstand")])
    snippets = make_snippets(
        LONG, query, analyzer=ANALYZER, options=SnippetOptions(fragments=3, fragment_size=70)
    )
    assert len(snippets) == 3
    pieces = [(LONG.index(_body(s)), len(_body(s))) for s in snippets]
    for (start, length), (next_start, _) in zip(pieces, pieces[1:], strict=False):
        assert start + length < next_start


def test_fragment_cut_at_sentence_boundaries_when_they_fit():
    [snippet] = make_snippets(
        LONG, t("Wasserstand"), analyzer=ANALYZER, options=SnippetOptions(1, 120)
    )
    # Whole sentences, so no ellipsis; the budget the text end left over went to the left.
    assert snippet.text == (
        "Ökonomen sind skeptisch, ob das reicht. "
        "Der Wasserstand der Donau war am Wochenende erstaunlich niedrig."
    )


def test_ellipsis_where_a_sentence_was_cut():
    [snippet] = make_snippets(
        LONG, t("Pressekonferenz"), analyzer=ANALYZER, options=SnippetOptions(1, 30)
    )
    assert snippet.text.startswith(ELLIPSIS) and snippet.text.endswith(ELLIPSIS)
    assert "Pressekonferenz" in snippet.text
    assert len(_body(snippet)) <= 30


def test_no_match_in_text_gives_the_lead_unmarked():
    snippets = make_snippets(
        LONG, Term("title", "kasachstan"), analyzer=ANALYZER, options=SnippetOptions(3, 60)
    )
    assert len(snippets) == 1
    assert snippets[0].highlights == []
    assert snippets[0].text.startswith("Die Regierung tagte am Montag in Wien.")


def test_zero_fragments_and_empty_text():
    assert make_snippets(LONG, t("Regierung"), analyzer=ANALYZER, options=SnippetOptions(0)) == []
    assert make_snippets("", t("Regierung"), analyzer=ANALYZER) == []
    assert make_snippets(" \n\t ", t("Regierung"), analyzer=ANALYZER) == []


def test_a_word_longer_than_the_fragment_is_kept_whole():
    text = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz beschlossen."
    [snippet] = make_snippets(
        text, t("beschlossen"), analyzer=ANALYZER, options=SnippetOptions(1, 10)
    )
    assert _body(snippet) == "beschlossen."


def test_whitespace_is_folded_in_snippets():
    text = "Die   Regierung\n\ttagte\r\n am Montag."
    [snippet] = make_snippets(text, t("Montag"), analyzer=ANALYZER)
    assert snippet.text == "Die Regierung tagte am Montag."
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["Montag"]


@pytest.mark.parametrize(("fragments", "size"), [(-1, 100), (1, 0)])
def test_options_are_validated(fragments, size):
    with pytest.raises(ValueError):
        SnippetOptions(fragments=fragments, fragment_size=size)


def _body(snippet) -> str:
    text = snippet.text
    if text.startswith(ELLIPSIS):
        text = text[len(ELLIPSIS) :]
    if text.endswith(ELLIPSIS):
        text = text[: -len(ELLIPSIS)]
    return text


def _locate(text: str, folded: str, start: int) -> tuple[int, str]:
    """Where ``text`` less its cut marks lies in ``folded``, starting and ending at words.

    The article text may itself hold "…", so each way of reading the ellipses is tried.
    """
    e = len(ELLIPSIS)
    head = [0, e] if text.startswith(ELLIPSIS) else [0]
    tail = [0, e] if text.endswith(ELLIPSIS) else [0]
    found: list[tuple[int, str]] = []
    for h in head:
        for t_ in tail:
            body = text[h : len(text) - t_]
            at = folded.find(body, start)
            while at >= 0:
                if (at == 0 or folded[at - 1] == " ") and (
                    at + len(body) == len(folded) or folded[at + len(body)] == " "
                ):
                    found.append((at, body))
                    break
                at = folded.find(body, at + 1)
    if found:
        # The earliest reading: a later one would skip text a following snippet may need.
        return min(found)
    raise AssertionError(f"{text!r} is not a word-aligned piece of {folded!r}")


# --- properties -------------------------------------------------------------------------------

_WORDS = [
    "Gaspreise", "Preis", "Wasserstände", "Regierung", "Haus", "See", "am", "die", "sagte",
    "Montag", "Hochwasser", "z.", "B.", "Dr.", "ein", "Strompreise", "Wien", "»Nein«", "2022",
]  # fmt: skip
_SEPARATORS = [" ", "  ", "\n", " \t ", ". ", "! ", ", ", "… ", "\n\n"]

texts = st.lists(
    st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPARATORS)), min_size=0, max_size=60
).map(lambda pairs: "".join(word + sep for word, sep in pairs))

_LEAVES = [t(x) for x in ("Preis", "Gaspreise", "Wasserstand", "Regierung", "See", "Wien")]
leaves = st.sampled_from(_LEAVES)
queries = st.recursive(
    leaves
    | st.just(Phrase("text", [w("Haus"), w("See")], slop=2))
    | st.just(Prefix("text", "=stro")),
    lambda kids: (
        st.lists(kids, min_size=1, max_size=3).map(And)
        | st.lists(kids, min_size=1, max_size=3).map(Or)
        | kids.map(Not)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(text=texts, query=queries, count=st.integers(1, 4), size=st.integers(10, 160))
@example(  # an ellipsis in the article itself, next to a cut mark
    text="Wasserstände Wasserstände… ",
    query=And([Term("text", "wasserstand")]),
    count=2,
    size=10,
)
def test_snippet_properties(text, query, count, size):
    folded = " ".join(text.split())
    longest_word = max((len(word) for word in folded.split()), default=0)
    snippets = make_snippets(text, query, analyzer=ANALYZER, options=SnippetOptions(count, size))
    assert len(snippets) <= count
    previous_end = 0
    for snippet in snippets:
        # A contiguous piece of the folded text, cut between words, after the previous one.
        at, body = _locate(snippet.text, folded, previous_end)
        assert body and body == body.strip()
        # About the requested size: only whole words at either end may overshoot it.
        assert len(body) <= size + 2 * longest_word
        previous_end = at + len(body)
        last = 0
        for start, end in snippet.highlights:
            assert 0 <= start < end <= len(snippet.text)
            assert start >= last  # sorted, no overlap
            assert snippet.text[start:end].strip()
            last = end


@settings(max_examples=100, deadline=None)
@given(text=texts, query=queries)
def test_highlight_span_properties(text, query):
    spans = highlight_spans(text, query, fieldname="text", analyzer=ANALYZER)
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        assert text[start:end].strip()
        last = end


@settings(max_examples=100, deadline=None)
@given(text=texts, query=queries, width=st.integers(20, 120))
def test_kwic_properties(text, query, width):
    folded = " ".join(text.split())
    for line in kwic_lines(text, query, analyzer=ANALYZER, width=width):
        assert " ".join(text[line.start : line.end].split()) == line.match
        assert line.match in folded
        assert len(line.left) <= max(0, (width - len(line.match)) // 2)
        assert len(line.right) <= max(0, (width - len(line.match)) // 2)


# --- KWIC -------------------------------------------------------------------------------------


def test_kwic_one_line_per_occurrence_whole_word_and_phrase():
    query = Or([t("Preis"), Phrase("text", [w("Haus"), w("See")], slop=2)])
    lines = kwic_lines(TEXT, query, analyzer=ANALYZER, width=40)
    assert [line.match for line in lines] == ["Gaspreise", "Haus am See"]
    first = lines[0]
    assert first == KwicLine("Die ", "Gaspreise", " steigen, die", first.start, first.end)
    assert TEXT[first.start : first.end] == "Gaspreise"


def test_kwic_context_is_cut_between_words():
    [line] = kwic_lines(LONG, t("Pressekonferenz"), analyzer=ANALYZER, width=40)
    assert LONG.index(line.left + line.match + line.right) >= 0
    assert line.left.startswith("eine") or line.left.startswith("es")


# --- other fields as context ------------------------------------------------------------------


def test_clauses_on_other_fields_are_decided_when_their_text_is_given():
    query = Or([And([Term("title", w("Kanzler")), t("Regierung")]), t("Montag")])
    # Unknown title: the branch may have matched there, so its text clause counts.
    assert marked(TEXT, query) == ["Regierung", "Regierung", "Montag"]
    spans = highlight_spans(
        TEXT, query, fieldname="text", analyzer=ANALYZER, fields={"title": "Das Wetter"}
    )
    assert [TEXT[s:e] for s, e in spans] == ["Montag"]
    spans = highlight_spans(
        TEXT, query, fieldname="text", analyzer=ANALYZER, fields={"title": "Der Kanzler"}
    )
    assert [TEXT[s:e] for s, e in spans] == ["Regierung", "Regierung", "Montag"]


def test_marks_in_context_fields_are_not_returned():
    query = Or([Term("title", w("Montag")), t("Regierung")])
    snippets = make_snippets(
        "Die Regierung tagte.", query, analyzer=ANALYZER, fields={"title": "Montag"}
    )
    assert [s.text[a:b] for s in snippets for a, b in s.highlights] == ["Regierung"]


# --- through the project's analyser and query parser ------------------------------------------

ARTICLE = (
    "Die Gaspreise steigen, die Wasserstände sinken. Haus am See zu verkaufen. "
    "Das Haus steht am Ufer, der See ist weit. Die Regierung tagte am Montag."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Preis", ["preise"]),
        ("Wasserstand", ["Wasserstände"]),
        ('"Haus am See"', ["Haus", "am", "See"]),  # the stop word is part of the match
        ("Regierung NOT Kanzler", ["Regierung"]),
        ("Montag OR Kanzler", ["Montag"]),
        ("(Regierung AND Kanzler) OR Montag", ["Montag"]),
    ],
)
def test_marking_through_parse_query(text, expected):
    from search.query import parse_query

    query = parse_query(text).query
    spans = highlight_spans(ARTICLE, query, fieldname="text", fields={"title": "Wetter"})
    assert [ARTICLE[s:e] for s, e in spans] == expected


def test_title_highlight_through_parse_query():
    from search.query import parse_query

    query = parse_query("Gaspreis Montag").query
    title = "Gaspreise: Was die Regierung plant"
    spans = highlight_spans(title, query, fieldname="title", fields={"text": ARTICLE})
    assert [title[s:e] for s, e in spans] == ["Gaspreise"]


# --- analysing only what the snippets need -----------------------------------------------------


def _counting_analyzer(seen: list[int]):
    def analyse(text, **kwargs):
        seen.append(len(text))
        return ANALYZER(text, **kwargs)

    return analyse


FILLER = "Ein Satz ohne Treffer steht hier. " * 300  # about 10,000 characters


def test_snippets_analyse_a_prefix_when_it_fills_them():
    """Matches early in a long text: only a prefix is analysed, not the whole text."""
    seen: list[int] = []
    text = ("Die Regierung tagte. " + "Ein Satz ohne Treffer steht hier. " * 8) * 4 + FILLER
    snippets = make_snippets(text, t("Regierung"), analyzer=_counting_analyzer(seen))
    assert len(snippets) == 3 and all(s.highlights for s in snippets)
    assert seen and max(seen) < len(text) / 4


def test_snippets_reach_a_late_match_and_a_late_second_word():
    seen: list[int] = []
    late = FILLER + "Die Regierung tagte am Montag."
    (snippet,) = make_snippets(
        late, t("Regierung"), analyzer=_counting_analyzer(seen), options=SnippetOptions(1)
    )
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["Regierung"]
    # An And is decided on the prefix: the second word later in the text is still found.
    both = "Die Regierung tagte. " + FILLER + "Am Montag regnete es."
    marks = [
        sn.text[s:e]
        for sn in make_snippets(both, And([t("Regierung"), t("Montag")]), analyzer=ANALYZER)
        for s, e in sn.highlights
    ]
    assert sorted(marks) == ["Montag", "Regierung"]


def test_snippets_of_a_prefix_equal_those_of_the_whole_text_when_it_holds_every_match():
    text = "Die Regierung tagte am Montag in Wien. " * 3 + FILLER
    query = Or([t("Regierung"), t("Wien")])
    short = make_snippets(text, query, analyzer=ANALYZER)
    whole = make_snippets(text, query, analyzer=lambda x, **k: ANALYZER(x, **k))
    assert short == whole
