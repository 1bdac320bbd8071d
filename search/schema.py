"""The Whoosh schema: which article fields are searchable, sortable and stored."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from analyzers import german_analyzer, keyword_analyzer

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
        # stories), the MinHash signature and its LSH buckets as terms, to find near-copies.
        story=ID(stored=True, sortable=True),
        story_sig=STORED,
        story_bands=KEYWORD,
    )
