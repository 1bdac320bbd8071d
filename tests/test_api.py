"""The Python API: build, update and search an index as an embedding program would."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from search import (
    Article,
    ArticleNotFound,
    IndexIncompatible,
    IndexLocked,
    IndexNotFound,
    NewsIndex,
    QuerySyntaxError,
    ZeitungError,
)
from search.locking import WriteLock
from tests.conftest import write_articles


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    write_articles(tmp_path / "articles")
    return tmp_path / "articles"


@pytest.fixture
def index(tmp_path: Path, articles_dir: Path) -> NewsIndex:
    idx = NewsIndex.create(tmp_path / "ix")
    report = idx.update_from(articles_dir, workers=1)
    assert report.skipped == []
    return idx


def ids(results) -> set[str]:
    return {hit.id for hit in results}


def test_open_missing_index_raises(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="no index at"):
        NewsIndex.open(tmp_path / "nothing")


def test_index_directory_counts_every_article(index: NewsIndex) -> None:
    assert len(index) == 5  # gas, plain, two feed records, page


def test_search_finds_inflected_and_folded_forms(index: NewsIndex) -> None:
    assert ids(index.search("Gaspreis")) == {"wirtschaft/gaspreise.txt"}
    assert ids(index.search("Buecher")) == {"seite.html"}
    assert ids(index.search("Proteste AND Kasachstan")) == {"agentur-1"}
    assert ids(index.search("Kasachstan NOT Almaty")) == set()


def test_hit_carries_metadata_and_snippets(index: NewsIndex) -> None:
    hit = index.search("Gaspreise")[0]
    assert hit.title == "Energie : Gaspreise steigen erneut"
    assert hit.date == dt.date(2022, 1, 6)
    assert hit.url == "https://www.rheinbote.de/wirtschaft/gaspreise-steigen-1.html"
    assert hit.source == "rheinbote.de"
    assert hit.snippets, "a matching article gets snippets"
    marked = [s.text[a:b] for s in hit.snippets for a, b in s.highlights]
    assert any("Gaspreise" in m or "gaspreise" in m.lower() for m in marked)
    data = hit.to_dict()
    assert set(data) == {
        "id", "title", "title_derived", "date", "url", "source", "path", "score", "story", "copies",
        "snippets",
    }  # fmt: skip
    assert data["date"] == "2022-01-06"


def test_boilerplate_tail_is_not_indexed(index: NewsIndex) -> None:
    assert ids(index.search("Newsletter")) == set()
    assert ids(index.search("Fußball")) == set()


def test_date_filters_and_sort(index: NewsIndex) -> None:
    assert ids(index.search("Haushalte", date_from="2023-01-01")) == {"agentur-2"}
    assert ids(index.search("Haushalte", date_to="2022-12-31")) == {"wirtschaft/gaspreise.txt"}
    newest = index.search("Haushalte", sort="-date")
    assert [h.id for h in newest] == ["agentur-2", "wirtschaft/gaspreise.txt"]
    oldest = index.search("Haushalte", sort="date")
    assert [h.id for h in oldest] == ["wirtschaft/gaspreise.txt", "agentur-2"]


def test_bad_query_raises_query_error(index: NewsIndex) -> None:
    with pytest.raises(QuerySyntaxError):
        index.search("(Gas OR Strom")


def test_get_returns_whole_article(index: NewsIndex) -> None:
    article = index.get("agentur-1")
    assert article.author == "Erika Muster"
    assert article.section == "politik"
    assert "Almaty" in article.text
    with pytest.raises(ArticleNotFound):
        index.get("no-such-id")


def test_stats(index: NewsIndex) -> None:
    stats = index.stats()
    assert stats.articles == 5
    assert stats.first_date == dt.date(2021, 10, 2)
    assert stats.last_date == dt.date(2023, 3, 1)
    assert stats.undated == 1  # the plain .txt
    assert stats.sources["rheinbote.de"] == 1
    assert stats.size_bytes > 0


def _touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_incremental_update(index: NewsIndex, articles_dir: Path) -> None:
    again = index.update_from(articles_dir, workers=1)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 4)

    # touched but unchanged content: not re-read
    _touch_later(articles_dir / "plain.txt")
    touched = index.update_from(articles_dir, workers=1)
    assert (touched.added, touched.updated, touched.unchanged) == (0, 0, 4)

    # edit, add, delete
    plain = articles_dir / "plain.txt"
    plain.write_text("Hochwasser an der Elbe\n\nIn Dresden steigt die Elbe.\n", encoding="utf-8")
    _touch_later(plain)
    (articles_dir / "neu.txt").write_text("Wasserstoff\n\nEin Zug fährt mit Wasserstoff.\n")
    (articles_dir / "seite.html").unlink()
    report = index.update_from(articles_dir, workers=1)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 2)
    assert len(index) == 5
    assert ids(index.search("Elbe")) == {"plain.txt"}
    assert ids(index.search("Rhein")) == set()
    assert ids(index.search("Wasserstoff")) == {"neu.txt"}
    assert ids(index.search("Bücher")) == set()


def test_a_kept_searcher_never_shows_replaced_articles(
    index: NewsIndex, articles_dir: Path
) -> None:
    """The open searcher is renewed after a commit, deletions included."""
    assert ids(index.search("Gaspreise")) == {"wirtschaft/gaspreise.txt"}
    plain = articles_dir / "plain.txt"
    before = ids(index.search("Elbe OR Rhein"))
    plain.write_text("Hochwasser an der Elbe\n\nIn Dresden steigt die Elbe.\n", encoding="utf-8")
    _touch_later(plain)
    (articles_dir / "seite.html").unlink()
    index.update_from(articles_dir, workers=1)
    after = index.search("Elbe OR Rhein")
    assert before and [h.id for h in after] == ["plain.txt"]
    assert "Rhein" not in index.get("plain.txt").text
    assert len(index.search("Gaspreise")) == 1


def test_rebuild_rereads_everything(index: NewsIndex, articles_dir: Path) -> None:
    report = index.update_from(articles_dir, rebuild=True, workers=1)
    assert report.updated == 4 and report.unchanged == 0
    assert len(index) == 5


def test_bad_files_are_reported_and_skipped(tmp_path: Path, articles_dir: Path) -> None:
    (articles_dir / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (articles_dir / "empty.txt").write_bytes(b"")
    (articles_dir / "broken.json").write_text("{not json", encoding="utf-8")
    (articles_dir / "bild.png").write_bytes(b"\x89PNG....")
    (articles_dir / "latin1.txt").write_bytes(
        "Straßenbahn in München\n\nDie Straßenbahn fährt über die Brücke.\n".encode("cp1252")
    )
    idx = NewsIndex.create(tmp_path / "ix2")
    report = idx.update_from(articles_dir, workers=1)
    skipped = {Path(p).name: reason for p, reason in report.skipped}
    assert set(skipped) == {"binary.txt", "empty.txt", "broken.json"}
    assert all(reason for reason in skipped.values())
    assert len(report.unsupported) == 1
    assert ids(idx.search("Straßenbahn München")) == {"latin1.txt"}


def test_parallel_parsing_gives_the_same_index(tmp_path: Path, articles_dir: Path) -> None:
    for n in range(12):
        (articles_dir / f"extra{n}.txt").write_text(
            f"Meldung {n}\n\nText der Meldung Nummer {n}.\n"
        )
    serial = NewsIndex.create(tmp_path / "serial")
    serial.update_from(articles_dir, workers=1)
    parallel = NewsIndex.create(tmp_path / "parallel")
    parallel.update_from(articles_dir, workers=2)
    assert len(serial) == len(parallel) == 17
    assert ids(serial.search("Meldung", limit=None)) == ids(parallel.search("Meldung", limit=None))


def test_duplicates_are_folded(tmp_path: Path, articles_dir: Path) -> None:
    copy = articles_dir / "kopie" / "gaspreise.txt"
    copy.parent.mkdir()
    copy.write_bytes((articles_dir / "wirtschaft" / "gaspreise.txt").read_bytes())
    idx = NewsIndex.create(tmp_path / "ix3")
    report = idx.update_from(articles_dir, workers=1)
    assert report.duplicates == 1
    assert len(idx.search("Gaspreise")) == 1


def test_second_writer_gets_a_clear_lock_error(index: NewsIndex, articles_dir: Path) -> None:
    with WriteLock(index.path):
        with pytest.raises(IndexLocked, match=f"locked by PID {os.getpid()}"):
            index.update_from(articles_dir)
    # released: a later writer gets through
    assert index.update_from(articles_dir).unchanged == 4


def test_add_articles_without_files(tmp_path: Path) -> None:
    idx = NewsIndex.create(tmp_path / "ix")
    n = idx.add_articles(
        [
            Article(
                id="a1",
                title="Wahl in Bayern",
                text="Die Wählerinnen entscheiden.",
                date=dt.date(2023, 10, 8),
            )
        ]
    )
    assert n == 1
    assert ids(idx.search("Wahl")) == {"a1"}
    assert idx.delete("a1") and len(idx) == 0


def test_interrupted_run_keeps_committed_index(
    index: NewsIndex, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (articles_dir / "neu.txt").write_text("Wasserstoff\n\nEin Zug fährt mit Wasserstoff.\n")
    calls = 0

    def interrupt(progress) -> None:
        nonlocal calls
        calls += 1
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.update_from(articles_dir, progress=interrupt, workers=1)
    assert calls == 1
    reopened = NewsIndex.open(index.path)
    assert len(reopened) == 5
    assert ids(reopened.search("Gaspreise")) == {"wirtschaft/gaspreise.txt"}
    # the next run resumes and picks up the new file
    time.sleep(0.01)
    assert reopened.update_from(articles_dir, workers=1).added == 1


def test_same_url_under_two_paths_is_indexed_once(tmp_path: Path) -> None:
    root = tmp_path / "a"
    root.mkdir()
    (root / "eins.jsonl").write_text(
        '{"id": "x1", "title": "Wahl", "text": "Die Wahl in Sachsen.", '
        '"url": "https://www.zeitung.example/politik/wahl/"}\n',
        encoding="utf-8",
    )
    (root / "zwei.jsonl").write_text(
        '{"id": "x2", "title": "Wahl in Sachsen", "text": "Die Wahl in Sachsen, aktualisiert.", '
        '"url": "http://zeitung.example/politik/wahl?utm_source=feed"}\n',
        encoding="utf-8",
    )
    idx = NewsIndex.create(tmp_path / "ix")
    report = idx.update_from(root, workers=1)
    assert report.duplicates == 1
    assert len(idx) == 1


def test_non_index_directory_is_never_written_into(tmp_path: Path, articles_dir: Path) -> None:
    before = sorted(p.name for p in articles_dir.iterdir())
    with pytest.raises(ZeitungError, match="holds no Zeitung index"):
        NewsIndex.create(articles_dir)
    with pytest.raises(ZeitungError, match="holds no Zeitung index"):
        NewsIndex.open_or_create(articles_dir)
    assert sorted(p.name for p in articles_dir.iterdir()) == before


def test_index_from_an_incompatible_version_names_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schema is pickled into the index; a class that is gone gives a clear error."""
    import sys

    from whoosh import index as whoosh_index
    from whoosh.fields import TEXT, Schema

    module = tmp_path / "gone_analysis.py"
    module.write_text(
        "from whoosh.analysis import Filter\n"
        "class GoneFilter(Filter):\n"
        "    def __call__(self, tokens):\n"
        "        yield from tokens\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    from gone_analysis import GoneFilter  # type: ignore[import-not-found]
    from whoosh.analysis import RegexTokenizer

    ix_dir = tmp_path / "old"
    ix_dir.mkdir()
    whoosh_index.create_in(str(ix_dir), Schema(text=TEXT(analyzer=RegexTokenizer() | GoneFilter())))
    module.unlink()
    del sys.modules["gone_analysis"]
    with pytest.raises(IndexIncompatible, match="--rebuild"):
        NewsIndex.open(ix_dir)


def test_score_means_relevance_whatever_the_order(index: NewsIndex) -> None:
    by_relevance = {h.id: h.score for h in index.search("Haushalte")}
    by_date = {h.id: h.score for h in index.search("Haushalte", sort="-date")}
    assert by_date == pytest.approx(by_relevance)
    assert all(0 < score < 1000 for score in by_date.values())


def test_index_with_older_analysis_must_be_rebuilt(tmp_path: Path, articles_dir: Path) -> None:
    """Terms written by another analysis version would silently miss: refuse, name the fix."""
    from whoosh.filedb.filestore import FileStorage

    from search.errors import IndexIncompatible
    from search.schema import build_schema

    schema = build_schema()
    del schema["text"].analyzer.version  # as written before analysis versions existed
    (tmp_path / "ix").mkdir()
    FileStorage(str(tmp_path / "ix")).create_index(schema).close()
    with pytest.raises(IndexIncompatible, match="analysis version 1.*--rebuild"):
        NewsIndex.open(tmp_path / "ix")
    rebuilt = NewsIndex.create(tmp_path / "ix")
    assert rebuilt.update_from(articles_dir, workers=1).articles == 5
    assert len(NewsIndex.open(tmp_path / "ix")) == 5
