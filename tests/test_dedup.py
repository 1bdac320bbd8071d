"""Which copies are folded (issue 15.6): an explicit id is the publisher's identity."""

from __future__ import annotations

import json
from pathlib import Path

from search import NewsIndex


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def test_records_with_other_ids_and_the_same_text_are_both_kept(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    root.mkdir()
    texts = [{"title": f"Meldung {n}", "text": f"Agenturtext Nummer {n}."} for n in range(30)]
    write_jsonl(root / "zeitung-a.jsonl", [{"id": f"a-{n}", **t} for n, t in enumerate(texts)])
    write_jsonl(root / "zeitung-b.jsonl", [{"id": f"b-{n}", **t} for n, t in enumerate(texts)])
    idx = NewsIndex.create(tmp_path / "ix")
    report = idx.update_from(root, workers=1)
    assert (report.articles, report.duplicates, len(idx)) == (60, 0, 60)
    assert {h.id for h in idx.search("Agenturtext Nummer 7")} >= {"a-7", "b-7"}


def test_copies_without_ids_are_still_folded(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    root.mkdir()
    texts = [{"title": f"Meldung {n}", "text": f"Agenturtext Nummer {n}."} for n in range(5)]
    write_jsonl(root / "a.jsonl", texts)
    write_jsonl(root / "b.jsonl", texts)
    (root / "c.txt").write_text("Meldung 1\n\nAgenturtext Nummer 1.\n", encoding="utf-8")
    idx = NewsIndex.create(tmp_path / "ix")
    report = idx.update_from(root, workers=1)
    assert (report.articles, report.duplicates, len(idx)) == (5, 6, 5)


def test_same_canonical_url_is_one_article_whatever_the_ids(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    root.mkdir()
    url = "https://www.zeitung.example/politik/wahl"
    write_jsonl(root / "a.jsonl", [{"id": "x1", "title": "Wahl", "text": "Eins.", "url": url}])
    write_jsonl(
        root / "b.jsonl", [{"id": "x2", "title": "Wahl", "text": "Zwei.", "url": url + "/"}]
    )
    idx = NewsIndex.create(tmp_path / "ix")
    assert idx.update_from(root, workers=1).duplicates == 1
    assert len(idx) == 1
