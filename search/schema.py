"""The Whoosh schema: which article fields are searchable, sortable and stored."""

from __future__ import annotations

import numpy as np
from whoosh.columns import FixedBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from analyzers import german_analyzer, keyword_analyzer
from search.stories import BANDS, bucket_keys

#: Field names users may write in queries, German aliases included.
FIELD_ALIASES: dict[str, str] = {
    "title": "title",
    "titel": "title",
    "text": "text",
    "body": "text",
    "source": "source",
    "quelle": "source",
    "author": "author",
    "autor": "author",
    "section": "section",
    "ressort": "section",
    "url": "url",
    "date": "date",
    "datum": "date",
}

#: Fields analysed with the German chain (searched by default).
TEXT_FIELDS = ("title", "text")


def build_schema() -> Schema:
    """A fresh schema; the analysers are pickled into the index with it."""
    german = german_analyzer()
    keyword = keyword_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        # The title's weight is the weighting's (search.query.WEIGHTING), not baked into
        # the postings: a field_boost here would be fixed at indexing time.
        title=TEXT(analyzer=german, stored=True, phrase=True),
        # True when the stored title was made from the text (indexed as no title at all).
        title_derived=STORED,
        text=TEXT(analyzer=german, stored=True, phrase=True),
        date=DATETIME(stored=True, sortable=True),
        url=TEXT(analyzer=keyword, stored=True, phrase=True),
        # Sortable: the exact values as columns, for facets (``zeitung facets``).
        source=TEXT(analyzer=keyword, stored=True, phrase=True, sortable=True),
        author=TEXT(analyzer=keyword, stored=True, phrase=True, sortable=True),
        section=TEXT(analyzer=keyword, stored=True, phrase=True, sortable=True),
        # Raw site name as a column, for per-source statistics and facets.
        site=ID(sortable=True),
        # Bookkeeping for incremental indexing and duplicate folding: the file an article came
        # from, ``path<TAB>fingerprint`` as one term (read from the lexicon without loading
        # stored text), and the article's content digest and canonical URL, to fold duplicates.
        path=ID(stored=True),
        file_state=ID,
        digest=KEYWORD(stored=True),
        # Same story, several outlets (search.stories): the story id (a column, to count
        # stories), the MinHash signature and its LSH buckets, to find near-copies.
        story=ID(stored=True, sortable=True),
        story_sig=STORED,
        story_bands=StoryBuckets(),
    )


class StoryBuckets(COLUMN):
    """A document's story LSH buckets (the space-separated terms of
    :func:`search.stories.band_terms`) as one column value of 32-bit keys instead of index
    terms: each bucket is a term of one document, ~170 bytes of term dictionary, and the 32
    of an article were 18 % of an index. Looked up by :class:`search.stories.WhooshStories`.

    Pickled into each index with its schema: keep it importable under this name.
    """

    def __init__(self) -> None:
        super().__init__(FixedBytesColumn(BANDS * 4))

    def to_column_value(self, value: str) -> bytes:
        keys = np.zeros(BANDS, dtype="<u4")  # 0: no bucket (a text too short to sign)
        terms = value.split()
        if len(terms) > BANDS:
            raise ValueError(f"{len(terms)} story buckets, at most {BANDS}")
        keys[: len(terms)] = bucket_keys(terms)
        return keys.tobytes()
