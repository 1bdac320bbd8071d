"""Story ids: near-copies of one report share a story, other articles don't (issue 12)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import make_corpus
from search import stories
from search.index import NewsIndex
from tests.test_analytics import queries as analytics_queries

_HEADS = ("Haus", "Stadt", "Bahn", "Wahl", "Gas", "Rat", "See", "Markt")
_TAILS = ("bau", "rat", "preis", "netz", "amt", "streit", "plan", "tag", "weg")
WORDS = [a + b for a in _HEADS for b in _TAILS]


def report(seed: int, paragraphs: int = 6) -> list[str]:
    """An article's paragraphs of random words (shingles of two seeds hardly meet)."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(40)) + "." for _ in range(paragraphs)]


def write(root: Path, name: str, title: str, paragraphs: list[str]) -> None:
    """A plain .txt article: first line the title, then the text."""
    (root / name).write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def story_of(index: NewsIndex) -> dict[str, str]:
    searcher = index._current_searcher()
    return {f["id"]: f["story"] for f in searcher.all_stored_fields()}


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """An agency report, three edited copies (cut, local paragraph, words changed), a report
    that shares only its first paragraph, and an unrelated one."""
    root = tmp_path / "articles"
    root.mkdir()
    base = report(1)
    write(root, "a.txt", "Agentur meldet", base)
    write(root, "b.txt", "Neue Überschrift", base[:4])
    write(root, "c.txt", "Lokal", ["Auch in unserer Region ein Thema."] + base)
    changed = [p.replace(WORDS[0], "Wortwechsel", 3) for p in base]
    write(root, "d.txt", "Wortwechsel", changed)
    write(root, "e.txt", "Anderes", [base[0]] + report(2))
    write(root, "f.txt", "Ganz anders", report(3))
    return root, tmp_path / "ix"


def test_near_copies_share_a_story_and_others_do_not(copies) -> None:
    root, ix = copies
    with NewsIndex.create(ix) as index:
        index.update_from(root, workers=1)
        s = story_of(index)
    assert s["a.txt"] == s["b.txt"] == s["c.txt"] == s["d.txt"]
    assert s["e.txt"] != s["a.txt"] and s["f.txt"] != s["a.txt"] and s["e.txt"] != s["f.txt"]
    assert s["e.txt"] == "e.txt" and s["f.txt"] == "f.txt"  # a story of its own: its id
    assert s["a.txt"] in {"a.txt", "b.txt", "c.txt", "d.txt"}  # named by a member


def test_an_article_of_a_later_run_joins_the_older_story(copies) -> None:
    root, ix = copies
    with NewsIndex.create(ix) as index:
        index.update_from(root, workers=1)
        before = story_of(index)
        write(root, "g.txt", "Später", report(1)[1:])
        report_ = index.update_from(root, workers=1)
        assert report_.added == 1
        after = story_of(index)
    assert after["g.txt"] == before["a.txt"]
    assert {k: v for k, v in after.items() if k != "g.txt"} == before  # nobody else moves


def test_removing_the_named_article_keeps_its_copies_together(copies) -> None:
    root, ix = copies
    with NewsIndex.create(ix) as index:
        index.update_from(root, workers=1)
        label = story_of(index)["a.txt"]
        (root / label).unlink()
        index.update_from(root, workers=1)
        s = story_of(index)
        members = {k for k, v in s.items() if v == label}
        assert members == {"a.txt", "b.txt", "c.txt", "d.txt"} - {label}
        # A new copy still finds them; a new article with the gone one's name does not
        # join the label it left behind.
        write(root, "h.txt", "Nachzügler", report(1))
        write(root, label, "Neu unter altem Namen", report(9))
        index.update_from(root, workers=1)
        s = story_of(index)
    assert s["h.txt"] == label
    assert s[label] != label and s[label].startswith(label)


def test_exact_copies_stay_folded(copies) -> None:
    root, ix = copies
    (root / "a2.txt").write_text((root / "a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    with NewsIndex.create(ix) as index:
        report_ = index.update_from(root, workers=1)
        assert report_.duplicates == 1
        assert "a2.txt" not in story_of(index)


def test_add_articles_assigns_stories(tmp_path: Path) -> None:
    from search.model import Article

    text = "\n\n".join(report(4))
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles([Article(id="x", title="X", text=text)])
        index.add_articles([Article(id="y", title="Y", text=text + "\n\nNachsatz.")])
        assert story_of(index) == {"x": "x", "y": "x"}


def test_short_texts_are_their_own_story(tmp_path: Path) -> None:
    from search.model import Article

    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles([Article(id=i, title=i, text="Kurz.") for i in ("p", "q")])
        assert story_of(index) == {"p": "p", "q": "q"}


def test_generated_agency_copies_group(tmp_path: Path, shared_data: Path, monkeypatch) -> None:
    """The labelled agency copies of a generated corpus: no story mixes two labels or an
    unlabelled article in (precision 1), and nearly every labelled pair is grouped."""
    monkeypatch.setattr(make_corpus, "AGENCY_STORY_RATE", 0.2)  # more stories in few articles
    corpus = tmp_path / "corpus"
    make_corpus.write_corpus(300, corpus, seed=11, per_file=150, data=shared_data)
    labels = [json.loads(line) for line in (corpus / ".labels.jsonl").open()]
    with NewsIndex.create(tmp_path / "ix") as index:
        index.update_from(corpus, workers=1)
        s = story_of(index)
    label_of = {a: i for i, lab in enumerate(labels) for a in lab["articles"]}
    pairs = [p for lab in labels for p in itertools.combinations(lab["articles"], 2)]
    assert len(pairs) >= 50
    grouped = sum(s[a] == s[b] for a, b in pairs)
    assert grouped / len(pairs) >= 0.95
    by_story: dict[str, set] = {}
    for article, story in s.items():
        by_story.setdefault(story, set()).add(label_of.get(article, ("own", article)))
    assert all(len(v) == 1 for v in by_story.values())


def test_also_in_and_diff() -> None:
    assert stories.also_in(["a.de", "b.de"], own="a.de") == "b.de"
    assert stories.also_in([f"{i}.de" for i in range(6)], shown=2) == "0.de, 1.de (+4)"
    diff = stories.text_diff("eins\nzwei\ndrei", "eins\nzwo\ndrei", "a", "b")
    assert "-zwei" in diff and "+zwo" in diff and diff.startswith("--- a")


# --- search --collapse, show --copies ---------------------------------------------------------

OUTLETS = ["rheinkurier.de", "elbe-echo.de", "harzbote.de", "moselblatt.de", "isarpost.de"]


@pytest.fixture
def outlets(tmp_path: Path) -> Path:
    """Two agency stories run by several outlets, and three articles of their own."""
    records = []
    for story in (1, 2):
        base = report(story)
        for n, source in enumerate(OUTLETS[: 3 + story]):
            text = [f"{source} berichtet."] + base[: len(base) - n % 2]
            records.append(
                {"id": f"s{story}-{source}", "title": f"Meldung {story}", "source": source,
                 "date": f"2022-01-0{1 + n}", "text": "\n\n".join(text)}
            )  # fmt: skip
    for n in (3, 4, 5):
        records.append(
            {"id": f"own-{n}", "title": f"Eigen {n}", "source": OUTLETS[n - 3],
             "date": "2022-01-02", "text": "\n\n".join(report(n))}
        )  # fmt: skip
    root = tmp_path / "articles"
    root.mkdir()
    (root / "feed.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    ix = tmp_path / "ix"
    with NewsIndex.create(ix) as index:
        index.update_from(root, workers=1)
    return ix


QUERIES = ["Gasbau", "Hausrat OR Seeweg", "berichtet", "Stadtamt NOT Wahlbau", "Markttag"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "-date"])
def test_collapse_keeps_the_best_hit_of_each_story(outlets: Path, query: str, sort: str) -> None:
    with NewsIndex.open(outlets) as index:
        every = list(index.search(query, limit=None, sort=sort, snippets=None))
        expected: dict[str, str] = {}
        for hit in every:
            expected.setdefault(hit.story, hit.id)
        collapsed = index.search(query, limit=None, sort=sort, collapse=True, snippets=None)
        assert [h.id for h in collapsed] == list(expected.values())
        assert collapsed.total == len(expected)
        page = index.search(query, limit=2, offset=1, sort=sort, collapse=True, snippets=None)
        assert [h.id for h in page] == list(expected.values())[1:3]


def test_hits_carry_story_and_copies(outlets: Path) -> None:
    with NewsIndex.open(outlets) as index:
        hits = list(index.search("berichtet", limit=None, snippets=None))
    story = {h.id: h.story for h in hits}
    source = {h.id: h.source for h in hits}
    assert len(set(story.values())) == 2
    for hit in hits:
        others = [source[i] for i in source if story[i] == hit.story and i != hit.id]
        assert sorted(hit.copies) == sorted(others)


def run(*args: str):
    from typer.testing import CliRunner

    from search.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_collapse_says_where_else_the_story_ran(outlets: Path) -> None:
    result = run("search", "berichtet", "--index", str(outlets), "--collapse")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 stories")
    also = [line.strip() for line in result.output.splitlines() if "also in:" in line]
    assert len(also) == 2
    assert any(line.endswith("(+1)") for line in also)  # story 2 ran in 5 outlets
    lines = run("search", "berichtet", "--index", str(outlets), "--collapse", "--json").stdout
    hits = [json.loads(line) for line in lines.splitlines()]
    assert len(hits) == 2 and len({h["story"] for h in hits}) == 2
    assert sorted(len(h["copies"]) for h in hits) == [3, 4]


def test_cli_show_copies_with_diffs(outlets: Path) -> None:
    article = "s1-elbe-echo.de"
    result = run("show", article, "--index", str(outlets), "--copies", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == article
    assert {c["id"] for c in data["copies"]} == {f"s1-{s}" for s in OUTLETS[:4]} - {article}
    for copy in data["copies"]:
        assert copy["diff"].startswith(f"--- {article}\n+++ {copy['id']}")
        assert f"-{'elbe-echo.de'} berichtet." in copy["diff"]
        assert f"+{copy['source']} berichtet." in copy["diff"]
    text = run("show", article, "--index", str(outlets), "--copies").output
    assert "3 copies of story" in text and "+rheinkurier.de berichtet." in text
    alone = run("show", "own-3", "--index", str(outlets), "--copies", "--json")
    assert json.loads(alone.stdout)["copies"] == []


def test_story_options_are_refused_where_there_are_no_stories(outlets: Path, monkeypatch) -> None:
    monkeypatch.setattr(NewsIndex, "supports_stories", property(lambda self: False))
    for args in (["search", "berichtet", "--collapse"], ["show", "own-3", "--copies"]):
        result = run(*args, "--index", str(outlets))
        assert result.exit_code == 1
        assert "not supported on OpenSearch yet" in result.output


# --- timeline and facets --stories ------------------------------------------------------------


@pytest.fixture(scope="module")
def story_corpus(tmp_path_factory: pytest.TempPathFactory):
    """Thirty stories, each run by one to four outlets on nearby days; a copy may carry a
    local paragraph with a word of its own, so a query can match some copies only."""
    from search.model import Article
    from tests.test_analytics import SECTIONS, SOURCES, VOCAB

    rng = random.Random(21)
    articles, group = [], {}
    for g in range(30):
        base = report(100 + g, paragraphs=4)
        words = " ".join(rng.sample(VOCAB, rng.randint(1, 3)))
        day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(700))
        for c in range(rng.randint(1, 4)):
            local = [f"Lokal {rng.choice(VOCAB)} hier"] if rng.random() < 0.5 else []
            cut = base[: len(base) - rng.randint(0, 1)]
            date = None if rng.random() < 0.1 else day + dt.timedelta(days=rng.randint(0, 9))
            article = Article(
                id=f"g{g}-{c}",
                title=f"Meldung {g}",
                text="\n\n".join([*local, f"Es geht um {words} heute", *cut]),
                date=date,
                source=rng.choice(SOURCES),
                section=rng.choice(SECTIONS + [None]),
            )
            articles.append(article)
            group[article.id] = g
    index = NewsIndex.create(tmp_path_factory.mktemp("stories") / "ix")
    index.add_articles(articles[:40])
    index.add_articles(articles[40:])  # two commits: the second run joins older stories
    yield index, articles, group
    index.close()


def test_story_corpus_groups_as_made(story_corpus) -> None:
    index, articles, group = story_corpus
    s = story_of(index)
    by_story: dict[str, set[int]] = {}
    for a in articles:
        by_story.setdefault(s[a.id], set()).add(group[a.id])
    assert all(len(g) == 1 for g in by_story.values())
    assert len(by_story) == len(set(group.values()))


def _matches(q, article) -> bool:
    from tests.test_analytics import matches

    return matches(q, article.text.replace("\n", " "))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    qs=st.lists(analytics_queries, min_size=1, max_size=2),
    by=st.sampled_from(["day", "week", "month", "year"]),
)
def test_timeline_stories_equal_brute_force(story_corpus, qs, by) -> None:
    from tests.test_analytics import label, render

    index, articles, group = story_corpus
    tl = index.timeline([render(q) for q in qs], by=by, stories=True)
    labels = [p.label for p in tl.periods]
    per_period: dict[str, set] = {}
    for a in articles:
        per_period.setdefault(label(a.date, by) if a.date else "", set()).add(group[a.id])
    assert tl.articles == [len(per_period.get(lab, ())) for lab in labels]
    assert tl.undated_articles == len(per_period.get("", ()))
    for q, series in zip(qs, tl.series, strict=True):
        hits: dict[str, set] = {}
        for a in articles:
            if _matches(q, a):
                hits.setdefault(label(a.date, by) if a.date else "", set()).add(group[a.id])
        assert series.counts == [len(hits.get(lab, ())) for lab in labels]
        assert series.undated == len(hits.get("", ()))
    plain = index.timeline([render(q) for q in qs], by=by)
    for with_stories, articles_ in zip(tl.series, plain.series, strict=True):
        assert all(a <= b for a, b in zip(with_stories.counts, articles_.counts, strict=True))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=analytics_queries)
def test_facet_stories_equal_brute_force(story_corpus, q) -> None:
    from tests.test_analytics import render

    index, articles, group = story_corpus
    result = index.facets(render(q), top=100, stories=True)
    hits = [a for a in articles if _matches(q, a)]
    assert result.total == len({group[a.id] for a in hits})
    for name in ("source", "section"):
        expected: dict[str, set] = {}
        for a in hits:
            expected.setdefault(getattr(a, name) or "", set()).add(group[a.id])
        missing = expected.pop("", set())
        assert {v.value: v.count for v in result.fields[name]} == {
            k: len(v) for k, v in expected.items()
        }
        assert result.missing[name] == len(missing)
    years: dict[str, set] = {}
    for a in hits:
        if a.date:
            years.setdefault(str(a.date.year), set()).add(group[a.id])
    assert {v.value: v.count for v in result.fields["year"]} == {
        k: len(v) for k, v in years.items()
    }
    assert result.to_dict()["counted"] == "stories"


def test_cli_timeline_and_facets_stories(story_corpus) -> None:
    index, articles, group = story_corpus
    word = "Kino"
    stories_ = {group[a.id] for a in articles if word in a.text.split()}
    result = run("facets", word, "--index", str(index.path), "--stories", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == len(stories_)
    rows = run("timeline", word, "--index", str(index.path), "--stories", "--by", "year", "--json")
    assert rows.exit_code == 0, rows.output
    text = run("timeline", word, "--index", str(index.path), "--stories").output
    assert "Meldungen für Kino" in text


def test_an_index_without_story_ids_is_refused_with_the_rebuild_command(tmp_path: Path) -> None:
    from search.errors import IndexIncompatible
    from search.index import _new_schema, _storage

    ix = tmp_path / "ix"
    ix.mkdir()
    schema = _new_schema()
    for name in ("story", "story_sig", "story_bands"):
        schema.remove(name)
    _storage(ix).create_index(schema).close()
    with pytest.raises(IndexIncompatible, match="--rebuild"):
        NewsIndex.open(ix)


def test_a_rebuild_groups_as_an_update_does(copies) -> None:
    root, ix = copies
    with NewsIndex.create(ix) as index:
        index.update_from(root, workers=1)
        before = story_of(index)
    rebuilt, _ = NewsIndex.rebuild(ix, root, workers=1)
    with rebuilt:
        assert story_of(rebuilt) == before
