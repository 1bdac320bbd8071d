"""Story ids: near-copies of one report share a story, other articles don't (issue 12)."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from benchmarks import make_corpus
from search import stories
from search.index import NewsIndex

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
