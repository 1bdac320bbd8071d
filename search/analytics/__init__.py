"""Coverage analytics: when (timeline), where (facets) and with what (co-occurrence) a topic
was covered, computed from the index: the matching document set and the columns.

Counts are exact: a timeline or facet count is the number of articles the query matches,
never an estimate, and no stored document is loaded for them.
"""

from search.analytics.cooccur import Collocate, Cooccurrence, cooccurrence
from search.analytics.facets import FACET_FIELDS, FacetCount, Facets, facet_filter, facets
from search.analytics.timeline import PERIODS, Period, Series, Timeline, periods, timeline

__all__ = [
    "FACET_FIELDS",
    "PERIODS",
    "Collocate",
    "Cooccurrence",
    "FacetCount",
    "Facets",
    "Period",
    "Series",
    "Timeline",
    "cooccurrence",
    "facet_filter",
    "facets",
    "periods",
    "timeline",
]
