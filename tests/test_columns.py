"""Column reads over segments with and without each optional field (issue 15, item 1).

Whoosh writes a column only for segments where some document has a value; an incremental
update whose new files lack ``site`` or ``date`` used to crash ``stats`` (IndexError) or read
another segment's values.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import NewsIndex

EXAMPLES = int(os.environ.get("ZEITUNG_HYPOTHESIS_EXAMPLES", "12"))

#: One record's optional fields: each present or absent.
record = st.fixed_dictionaries(
    {},
    optional={
        "url": st.sampled_from(["https://www.alpha.example/a", "https://beta.example/b"]),
        "source": st.sampled_from(["Gamma", "delta.example"]),
        "date": st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
        "author": st.sampled_from(["Erika Muster", "Max Beispiel"]),
        "section": st.sampled_from(["politik", "kultur"]),
    },
)
#: Several ``update_from`` runs, each adding a few files of one record.
runs = st.lists(st.lists(record, min_size=1, max_size=4), min_size=2, max_size=5)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(runs=runs)
def test_stats_and_date_sort_across_mixed_segments(runs: list[list[dict]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, ix = Path(tmp) / "articles", Path(tmp) / "ix"
        root.mkdir()
        idx = NewsIndex.create(ix)
        expected_sources: Counter[str] = Counter()
        dates: list[dt.date | None] = []
        n = 0
        for batch in runs:
            for fields in batch:
                n += 1
                data = {"title": f"Meldung {n}", "text": f"Bericht Nummer {n} aus der Stadt."}
                data.update({k: str(v) for k, v in fields.items()})
                if "url" in data:  # one URL per article, or they are folded as one
                    data["url"] += str(n)
                (root / f"m{n:03d}.json").write_text(json.dumps(data), encoding="utf-8")
                source = fields.get("source") or (
                    fields["url"].split("/")[2].removeprefix("www.") if "url" in fields else None
                )
                if source:
                    expected_sources[source] += 1  # as search shows it
                dates.append(fields.get("date"))
            idx.update_from(root, workers=1)

            stats = idx.stats()
            assert stats.articles == n
            assert stats.sources == dict(expected_sources)
            dated = sorted(d for d in dates if d is not None)
            assert stats.undated == len(dates) - len(dated)
            assert stats.first_date == (dated[0] if dated else None)
            assert stats.last_date == (dated[-1] if dated else None)

            hits = idx.search("Bericht", limit=None, sort="date", snippets=None)
            got = [h.date for h in hits]
            assert got == dated + [None] * (len(dates) - len(dated))
            for hit in hits:  # each hit's own date, not a neighbour segment's
                assert hit.date == dates[int(hit.title.split()[1]) - 1]
        idx.close()
