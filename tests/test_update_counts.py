"""What each ``update_from`` run reports, against a simple model of the directory (issue 15.2).

The model knows only what was on disk at the last run and what is on disk now: a file is
added, updated, removed, unchanged or skipped by comparing the two, whatever the index
does inside (folded copies, files without documents, deleted documents' terms). And the
index holds exactly one article per distinct good content on disk.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import NewsIndex

EXAMPLES = int(os.environ.get("ZEITUNG_HYPOTHESIS_EXAMPLES", "25"))

TXT = [f"f{n}.txt" for n in range(3)]
JSONL = [f"g{n}.jsonl" for n in range(2)]
#: Contents: a few articles (two files with one are copies), records with an id of their own
#: (the same id in two files is one article), an empty file, a file that is not text.
ARTICLES = ["a0", "a1", "a2"]
RECORDS = ["r0", "r1"]
BAD = ["empty", "binary"]


def body(content: str, name: str) -> bytes:
    if content == "empty":
        return b""
    if content == "binary":
        return b"\x00\x01\x02" * 10
    n = content
    title, text = f"Meldung {n}", f"Bericht Nummer {n} aus der Stadt mit kennung{n}."
    if name.endswith(".txt"):
        return f"{title}\n\n{text}\n".encode()
    record = {"title": title, "text": text}
    if content in RECORDS:
        record["id"] = f"agentur-{n}"
    return (json.dumps(record) + "\n").encode()


def good(content: str | None) -> bool:
    return content is not None and content not in BAD


op = st.one_of(  # None: delete
    st.tuples(st.sampled_from(TXT), st.sampled_from([*ARTICLES, *BAD, None])),
    st.tuples(st.sampled_from(JSONL), st.sampled_from([*ARTICLES, *RECORDS, *BAD, None])),
)
runs = st.lists(st.lists(op, max_size=4), min_size=1, max_size=5)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(runs=runs)
def test_reported_counts_follow_the_directory(runs: list[list[tuple[str, str | None]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, ix = Path(tmp) / "articles", Path(tmp) / "ix"
        root.mkdir()
        idx = NewsIndex.create(ix)
        before: dict[str, str] = {}
        now: dict[str, str] = {}
        tick = 1_600_000_000 * 10**9
        for ops in [*runs, []]:  # the last run changes nothing
            for name, content in ops:
                path = root / name
                if content is None:
                    path.unlink(missing_ok=True)
                    now.pop(name, None)
                    continue
                path.write_bytes(body(content, name))
                tick += 10**9  # distinct mtimes, as a real editor's writes would have
                os.utime(path, ns=(tick, tick))
                now[name] = content
            report = idx.update_from(root, workers=1)

            changed = {n for n in now if before.get(n) != now[n]}
            expect = {
                "added": sum(1 for n in changed if good(now[n]) and not good(before.get(n))),
                "updated": sum(1 for n in changed if good(now[n]) and good(before.get(n))),
                "removed": sum(1 for n in before if n not in now and good(before[n])),
                "unchanged": len(now) - len(changed),
                "skipped": sorted(n for n in changed if not good(now[n])),
            }
            got = {
                "added": report.added,
                "updated": report.updated,
                "removed": report.removed,
                "unchanged": report.unchanged,
                "skipped": sorted(Path(p).name for p, _ in report.skipped),
            }
            assert got == expect, (before, now)

            distinct = {c for c in now.values() if good(c)}
            assert len(idx) == len(distinct)
            for content in distinct:
                hits = idx.search(f"kennung{content}", limit=None, snippets=None)
                assert len(hits) == 1
                assert now[Path(hits[0].path).name] == content  # from a file that has it now
            before = dict(now)
        idx.close()


def test_second_run_over_unchanged_corpus_reports_nothing_new(tmp_path: Path) -> None:
    """The issue's reproductions: deleted files, a folded copy, files without articles."""
    root = tmp_path / "c"
    for name in ("eins", "zwei", "drei"):
        (root / "sub").mkdir(parents=True, exist_ok=True)
        (root / "sub" / f"{name}.txt").write_text(f"Titel {name}\n\nText über {name}.\n")
    (root / "kopie.txt").write_text("Titel eins\n\nText über eins.\n")
    (root / "leer.txt").write_text("")
    (root / "kaputt.json").write_text("{kaputt")
    idx = NewsIndex.create(tmp_path / "ix")
    first = idx.update_from(root, workers=1)
    assert (first.added, first.duplicates, len(first.skipped)) == (4, 1, 2)
    for path in (root / "sub").glob("*.txt"):
        path.unlink()
    second = idx.update_from(root, workers=1)
    assert (second.added, second.updated, second.removed) == (0, 0, 3)
    assert [h.id for h in idx.search("eins")] == ["kopie.txt"]  # the copy came back
    for _ in range(2):
        again = idx.update_from(root, workers=1)
        assert (again.added, again.updated, again.removed, again.duplicates) == (0, 0, 0, 0)
        assert (again.unchanged, again.skipped) == (3, [])


def test_a_symlink_is_known_by_its_own_path(tmp_path: Path) -> None:
    """A link to a file elsewhere is indexed under the link's path (its id, its key), so
    removing the link removes the article; a dangling link is reported as itself."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("Titel\n\nText mit kennungx.\n", encoding="utf-8")
    root = tmp_path / "c"
    root.mkdir()
    os.symlink(elsewhere, root / "link.txt")
    os.symlink(tmp_path / "nowhere.txt", root / "dangling.txt")
    idx = NewsIndex.create(tmp_path / "ix")
    report = idx.update_from(root, workers=1)
    assert [h.id for h in idx.search("kennungx")] == ["link.txt"]
    assert [p for p, _ in report.skipped] == [str(root / "dangling.txt")]
    (root / "link.txt").unlink()
    assert idx.update_from(root, workers=1).removed == 1
    assert len(idx) == 0


def test_deleted_article_comes_back_while_its_file_is_there(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.txt").write_text("Titel\n\nText mit kennungy.\n", encoding="utf-8")
    idx = NewsIndex.create(tmp_path / "ix")
    idx.update_from(root, workers=1)
    assert idx.delete("a.txt")
    assert len(idx) == 0
    assert idx.update_from(root, workers=1).added == 1
    assert [h.id for h in idx.search("kennungy")] == ["a.txt"]
