"""What goes into the index comes out of ``zeitung show`` unchanged."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from search.cli import app

runner = CliRunner()

# Words of German text: letters incl. umlauts and ß, digits, some punctuation inside.
word = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzäöüßÄÖÜABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
    ),
    min_size=1,
    max_size=12,
)
sentence = st.lists(word, min_size=1, max_size=15).map(lambda ws: " ".join(ws) + ".")
name = st.lists(word.filter(str.isalpha), min_size=1, max_size=3).map(" ".join)

article = st.fixed_dictionaries(
    {
        "title": st.lists(word, min_size=1, max_size=8).map(" ".join),
        "text": st.lists(sentence, min_size=1, max_size=6).map(" ".join),
        "date": st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))),
        "author": st.one_of(st.none(), name),
        "section": st.one_of(st.none(), st.sampled_from(["politik", "wirtschaft", "kultur"])),
        "url": st.one_of(
            st.none(),
            st.from_regex(r"https://[a-z]{3,10}\.(de|at|ch)/[a-z0-9-]{1,20}", fullmatch=True),
        ),
    }
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article, min_size=1, max_size=5))
def test_jsonl_articles_round_trip_through_show(records) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, ix = Path(tmp) / "a", Path(tmp) / "ix"
        root.mkdir()
        lines = []
        for n, rec in enumerate(records):
            rec = {**rec, "id": f"art-{n}", "text": f"{rec['text']} Nummer{n}."}
            if rec["url"]:
                rec["url"] = f"{rec['url']}-{n}"
            rec["date"] = rec["date"].isoformat() if rec["date"] else None
            lines.append(rec)
        (root / "feed.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8"
        )
        result = runner.invoke(app, ["index", str(root), "--index", str(ix), "--workers", "1"])
        assert result.exit_code == 0, result.output
        for rec in lines:
            shown = runner.invoke(app, ["show", rec["id"], "--index", str(ix), "--json"])
            assert shown.exit_code == 0, shown.output
            out = json.loads(shown.stdout)
            for key in ("id", "title", "text", "date", "url", "author", "section"):
                assert out[key] == rec[key], key
