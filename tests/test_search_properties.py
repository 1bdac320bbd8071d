"""Properties of index + search together: what was indexed is found by its own words."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analyzers import german_analyzer
from search import NewsIndex

VOCABULARY = (
    "Gaspreisdeckel Bürgermeisterin Straße Häuser Wasserstände Verbraucher Regierung Hamburg "
    "Klimaschutzgesetz Lehrerinnen Energiepreise Mannschaft Brücke Köln München Ärzte Öl "
    "Überschwemmung Fußball Theater Bücher Schüsse Almaty Kasachstan Proteste Wahl Landtag "
    "die der und mit für über nach 2022 17 Corona-Krise Bürger:innen Deutschlandticket"
).split()

_ANALYZER = german_analyzer()

texts = st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=30).map(" ".join)


def _has_terms(phrase: str) -> bool:
    return any(True for _ in _ANALYZER(phrase, mode="query"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=st.lists(st.tuples(texts, texts), min_size=1, max_size=6),
    pick=st.data(),
)
def test_indexed_article_is_found_by_a_phrase_of_its_own_text(docs, pick) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "a"
        root.mkdir()
        records = [
            {"id": f"doc{n}", "title": title, "text": text} for n, (title, text) in enumerate(docs)
        ]
        (root / "feed.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8"
        )
        idx = NewsIndex.create(Path(tmp) / "ix")
        report = idx.update_from(root, workers=1)
        assert report.articles == len(records)  # explicit ids: copies are kept (issue 15.6)

        n = pick.draw(st.integers(0, len(records) - 1))
        words = records[n]["text"].split()
        start = pick.draw(st.integers(0, len(words) - 1))
        length = pick.draw(st.integers(1, min(4, len(words) - start)))
        phrase = " ".join(words[start : start + length])
        assume(_has_terms(phrase))
        found = {hit.id for hit in idx.search(f'"{phrase}"', limit=None, snippets=None)}
        same_content = {r["id"] for r in records if records_key(r) == records_key(records[n])}
        assert found & same_content, f"{phrase!r} did not find doc{n}"
        idx.close()


def records_key(record: dict) -> tuple[str, str]:
    """Articles with equal title and text are folded as duplicates on indexing."""
    return (
        " ".join(record["title"].split()).casefold(),
        " ".join(record["text"].split()).casefold(),
    )
