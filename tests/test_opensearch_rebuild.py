"""``zeitung index --rebuild`` on OpenSearch: a new concrete index, then an atomic alias
switch. Searches answer from the old index during the rebuild; a rebuild that fails, is
interrupted or is killed leaves the old index answering, and the next one cleans up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search import NewsIndex
from search.cli import app
from search.engines.opensearch import GENERATION, index_settings
from tests.opensearch_node import REPO, drop, fresh_location, node_request, opensearch_url  # noqa: F401

runner = CliRunner()


@pytest.fixture
def location(opensearch_url: str):  # noqa: F811 - imported fixture
    where = fresh_location(opensearch_url, "zeitung-rebuild")
    yield where
    drop(opensearch_url, where)


def _name(location: str) -> str:
    return location.rsplit("/", 1)[1]


def _concrete(url: str, location: str) -> list[str]:
    """The concrete indexes of *location*'s name: its generations (lock index left out)."""
    rows = node_request(url, path=f"/_cat/indices/{_name(location)}*?format=json")
    return sorted(r["index"] for r in rows if not r["index"].endswith("-zeitung-lock"))


def _aliased(url: str, location: str) -> list[str]:
    return sorted(node_request(url, path=f"/_alias/{_name(location)}"))


def _write(docs: Path, word: str, n: int) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    for old in docs.glob("*.txt"):
        old.unlink()
    for i in range(n):
        (docs / f"{word}{i:02d}.txt").write_text(f"{word} {i}\n\nEin Text über {word}.\n", "utf-8")


def test_a_new_index_is_an_alias_of_one_generation(opensearch_url: str, location: str) -> None:  # noqa: F811
    idx = NewsIndex.create(location)
    idx.close()
    generations = _aliased(opensearch_url, location)
    assert len(generations) == 1 and generations[0].startswith(_name(location) + GENERATION)
    again = NewsIndex.create(location)  # replacing: a new generation, the old one gone
    again.close()
    assert _aliased(opensearch_url, location) != generations
    assert _concrete(opensearch_url, location) == _aliased(opensearch_url, location)


def test_rebuild_switches_at_the_end_and_searches_answer_meanwhile(
    opensearch_url: str,  # noqa: F811
    location: str,
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    _write(docs, "Hafen", 6)
    idx = NewsIndex.open_or_create(location)
    idx.update_from(docs, workers=1)
    before = _aliased(opensearch_url, location)
    _write(docs, "Vulkan", 4)
    (docs / "Hafen00.txt").write_text("Hafen 0\n\nNoch ein Hafen.\n", "utf-8")  # kept, changed
    reader = NewsIndex.open(location)
    seen: list[tuple[int, int, list[str]]] = []

    def during(progress) -> None:
        seen.append(
            (
                len(reader.search("Hafen", limit=None)),
                len(reader.search("Vulkan", limit=None)),
                _aliased(opensearch_url, location),
            )
        )

    rebuilt, report = NewsIndex.rebuild(location, docs, workers=1, progress=during, commit_every=1)
    assert len(seen) == 5
    assert all(s == (6, 0, before) for s in seen)  # the old index, whole, until the end
    assert (report.added, report.updated, report.removed, report.articles) == (4, 1, 5, 5)
    after = _aliased(opensearch_url, location)
    assert after != before and _concrete(opensearch_url, location) == after
    assert len(reader.search("Vulkan", limit=None)) == 4
    assert [h.id for h in reader.search("Hafen", limit=None)] == ["Hafen00.txt"]
    assert len(rebuilt) == 5
    # update_from(rebuild=True) takes the same way
    report = rebuilt.update_from(docs, rebuild=True, workers=1)
    assert report.updated == 5 and _aliased(opensearch_url, location) != after
    assert len(reader) == 5


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failed_rebuild_leaves_the_old_index(
    opensearch_url: str,  # noqa: F811
    location: str,
    tmp_path: Path,
    error: type[BaseException],
) -> None:
    docs = tmp_path / "docs"
    _write(docs, "Hafen", 3)
    NewsIndex.open_or_create(location).update_from(docs, workers=1)
    before = _aliased(opensearch_url, location)
    _write(docs, "Vulkan", 5)

    def failing(progress) -> None:
        if progress.done == 3:
            raise error("stopped")

    with pytest.raises(error):
        NewsIndex.rebuild(location, docs, workers=1, progress=failing, commit_every=1)
    assert _aliased(opensearch_url, location) == before
    assert _concrete(opensearch_url, location) == before  # the aside one dropped
    idx = NewsIndex.open(location)
    assert len(idx.search("Hafen", limit=None)) == 3 and not idx.search("Vulkan", limit=None)
    # and the writer lock was released: an update runs
    assert idx.update_from(docs, workers=1).added == 5


_KILLED = """
import sys, time
from search import NewsIndex

def slow(progress):
    print("file", progress.done, flush=True)
    time.sleep(0.5)

NewsIndex.rebuild(sys.argv[1], sys.argv[2], workers=1, progress=slow, commit_every=1)
"""


def test_a_killed_rebuild_leaves_the_old_index_and_the_next_cleans_up(
    opensearch_url: str,  # noqa: F811
    location: str,
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    _write(docs, "Hafen", 3)
    NewsIndex.open_or_create(location).update_from(docs, workers=1)
    before = _aliased(opensearch_url, location)
    _write(docs, "Vulkan", 12)
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED, location, str(docs)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.strip() == "file 3":
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert _aliased(opensearch_url, location) == before
    assert len(_concrete(opensearch_url, location)) == 2  # the killed run's aside index
    idx = NewsIndex.open(location)
    assert len(idx.search("Hafen", limit=None)) == 3 and not idx.search("Vulkan", limit=None)
    time.sleep(0.1)
    _, report = NewsIndex.rebuild(location, docs, workers=1)  # the dead writer's lock: taken
    assert report.articles == 12
    assert _concrete(opensearch_url, location) == _aliased(opensearch_url, location) != before
    assert len(idx.search("Vulkan", limit=None)) == 12


def test_rebuild_replaces_an_index_made_before_aliases(
    opensearch_url: str,  # noqa: F811
    location: str,
    tmp_path: Path,
) -> None:
    """An index named as the user named it (Zeitung before generations) is replaced in the
    same atomic step; an index that is not Zeitung's is never touched."""
    name = _name(location)
    node_request(opensearch_url, "PUT", f"/{name}", index_settings())
    docs = tmp_path / "docs"
    _write(docs, "Hafen", 2)
    _, report = NewsIndex.rebuild(location, docs, workers=1)
    assert report.articles == 2
    assert _aliased(opensearch_url, location)[0].startswith(name + GENERATION)
    foreign = fresh_location(opensearch_url, "zeitung-rebuild")
    node_request(
        opensearch_url, "PUT", f"/{_name(foreign)}", {"settings": {"number_of_replicas": 0}}
    )
    try:
        out = runner.invoke(app, ["index", str(docs), "--index", foreign, "--rebuild"])
        assert out.exit_code != 0 and "not a Zeitung index" in out.output
        assert node_request(opensearch_url, path=f"/{_name(foreign)}/_count")["count"] == 0
    finally:
        drop(opensearch_url, foreign)


def test_cli_rebuild_on_opensearch(opensearch_url: str, location: str, tmp_path: Path) -> None:  # noqa: F811
    docs = tmp_path / "docs"
    _write(docs, "Hafen", 3)
    out = runner.invoke(app, ["index", str(docs), "--index", location, "--json"])
    assert out.exit_code == 0, out.output
    before = _aliased(opensearch_url, location)
    out = runner.invoke(app, ["index", str(docs), "--index", location, "--rebuild", "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert summary["articles_in_index"] == 3 and summary["updated"] == 3
    assert _aliased(opensearch_url, location) != before
