"""The OpenSearch engine: one Zeitung index as one OpenSearch index, through ``opensearch-py``.

One analysis. The cluster does not analyse German: Zeitung's own chain does, here, and the
indexer sends per field the analysed tokens in a form whose only job is to put them back at
their positions. Each position's terms (word, exact form, compound parts) are joined by
:data:`TERM_SEP` into one whitespace-free token; a position without terms (a stop word)
becomes :data:`GAP`. The index analyser (whitespace tokenizer → ``pattern_capture`` → stop
filter) splits each token into its terms — Lucene gives every capture after the first a
position increment of 0 — and drops the gaps while keeping their positions, so the index
holds exactly the terms and positions of the Whoosh index, and phrases, ``~N`` and
``NEAR/N`` count words the same way. Queries are compiled from the same built query
(:mod:`.opensearch_query`) and send index terms (``term``/``span_term``), never text.

The articles' own text is stored as read (``stored.*``), the token fields are left out of
``_source``, and snippets are made by Zeitung from the stored text exactly as for Whoosh.

Stories (:mod:`search.stories`, decided there for both engines): the story id and the LSH
buckets are keywords, the signature a binary field; a writer looks up a file's buckets in
one ``terms`` query (:meth:`OpenSearchWriter.story_buckets`). ``cooccur`` reads only the
sampled matches' stored text, and the corpus statistics from per-shard term vectors.

Locations: ``opensearch://HOST:PORT/NAME`` (HTTP), ``opensearchs://`` or ``https://`` (TLS,
certificates verified unless ``$ZEITUNG_OPENSEARCH_VERIFY=0``; ``$ZEITUNG_OPENSEARCH_CA``
names a CA bundle), ``http://``. Credentials come from ``$ZEITUNG_OPENSEARCH_USER`` and
``$ZEITUNG_OPENSEARCH_PASSWORD``, ``user:password@`` in the URL, or ``~/.netrc``, and are
never shown.
A new index takes ``?shards=N&replicas=N`` (default 1 shard, replicas auto-expanded 0-1).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import netrc
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
from whoosh import query as wq
from whoosh.analysis import Token
from whoosh.fields import Schema

from analyzers import ANALYSIS_VERSION, EXACT_PREFIX
from search.engines import (
    EngineStats,
    NativeQuery,
    PeriodCounts,
    SortOrder,
    StoredHit,
    engine_url,
)
from search.engines.opensearch_query import (
    SLOT_PREFIX,
    STEP,
    Compiled,
    compile_query,
    date_value,
)
from search.errors import IndexIncompatible, IndexLocked, IndexNotFound, ZeitungError
from search.ingest import FileState
from search.schema import TEXT_FIELDS

#: Joins the terms of one position into one token (never produced by the analysers).
TERM_SEP = "\u0001"
#: Stands for a position without terms; the index analyser's stop filter drops it.
GAP = "\u0002"
#: Word *n* of a field is at position ``POSITION_STEP * n`` in the OpenSearch index; the odd
#: positions between words hold sentence and paragraph boundaries.
POSITION_STEP = STEP
#: Fields analysed by Zeitung and sent as positioned tokens.
ANALYSED_FIELDS = ("title", "text", "url", "source", "author", "section")
#: Metadata kept as is, beside the analysed fields, and returned with every hit.
STORED_FIELDS = ("id", "title", "text", "date", "url", "source", "author", "section", "path")
#: Fields also kept verbatim as keywords (``facet_source`` ...), for counts that show the
#: value as search shows it (stats, facets): ``site`` is lowercased for the ``quelle:`` filter.
FACET_FIELDS = ("source", "author", "section")
FACET_PREFIX = "facet_"

#: The name a user gives is an alias of one concrete index, ``NAME`` + this + a random
#: suffix, so that a rebuild writes a new one and switches the alias at its end.
GENERATION = "-zeitung-gen-"

#: Version of this mapping; an index with another one is refused with the rebuild command.
MAPPING_VERSION = 5  # 5: story ids (story, story_bands, story_sig), batch, text_length
#: BM25 as the Whoosh index ranks (:data:`search.query.WEIGHTING`).
BM25_K1 = 0.6
BM25_B = 0.5

#: Bulk requests: actions per request, and retries with backoff for 429, 502-504 and lost
#: connections (documents have fixed ids, so a resent action does no harm). A 500 is the
#: request's own fault (a query too big), not retried.
BULK_ACTIONS = 500
BULK_BYTES = 8 * 1024 * 1024
RETRIES = 8
BACKOFF_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 20.0
RETRY_STATUSES = frozenset({429, 502, 503, 504})

#: A page of hits while collecting all of them (``limit=None``), and of aggregation buckets.
PAGE = 1000
COMPOSITE_PAGE = 1000
#: Terms per ``terms`` query of the story lookups (OpenSearch allows 65,536).
TERMS_PAGE = 4096
#: OpenSearch's ``index.max_result_window`` as Zeitung creates indexes.
MAX_RESULT_WINDOW = 10000
#: What a hit reads of ``_source``, and what a story's member list needs of it.
HIT_SOURCE = ["stored", "id", "date", "path", "story"]
_MEMBER_SOURCE = ["stored.source", "id", "date", "story"]
#: A composite aggregation source over the story id.
_STORY_SOURCE = {"t": {"terms": {"field": "story"}}}
#: Timeline periods as OpenSearch's calendar intervals (a week starts on Monday, as ISO's).
CALENDAR_INTERVALS = {"day": "day", "week": "week", "month": "month", "year": "year"}

#: A writer lock older than this without a heartbeat belongs to a dead process.
LOCK_STALE_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class Location:
    """A parsed ``opensearch://`` location."""

    url: str
    index: str
    user: str | None
    password: str | None
    verify: bool
    ca_certs: str | None
    shards: int
    replicas: int | None

    @property
    def display(self) -> str:
        """The location for messages: no credentials, no parameters."""
        return f"{self.url.split(',')[0]}/{self.index}"


def parse_location(location: str) -> Location:
    """``opensearch://[user:pw@]HOST[:PORT][,HOST[:PORT]…]/NAME[?shards=N&replicas=N]``.

    Several hosts (nodes of one cluster) are tried in turn when one stops answering.
    """
    text = engine_url(location)
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    tls = scheme in ("opensearchs", "https")
    name = parts.path.strip("/")
    credentials, _, hostlist = parts.netloc.rpartition("@")
    user, _, password = credentials.partition(":")
    hosts = [_host(h, tls) for h in hostlist.split(",") if h]
    if not hosts or not all(hosts) or not name or "/" in name:
        raise ZeitungError(
            f"not an OpenSearch location: {_redact(text)} (want opensearch://HOST:PORT/NAME)"
        )
    if (
        name != name.lower()
        or name.startswith(("_", "-", "+"))
        or any(c in name for c in ' "*\\<|,>?#:')
    ):
        raise ZeitungError(
            f'{name!r} is not a valid OpenSearch index name (lowercase, no */?"<>|,# :)'
        )
    query = parse_qs(parts.query)
    try:
        shards = int(query.get("shards", ["1"])[0])
        replicas = int(query["replicas"][0]) if "replicas" in query else None
    except ValueError:
        raise ZeitungError(f"shards and replicas must be numbers in {_redact(text)}") from None
    verify = os.environ.get("ZEITUNG_OPENSEARCH_VERIFY", "1").strip().lower() not in (
        "0",
        "false",
        "no",
    )
    user = os.environ.get("ZEITUNG_OPENSEARCH_USER") or unquote(user)
    password = os.environ.get("ZEITUNG_OPENSEARCH_PASSWORD") or unquote(password)
    if not user:
        user, password = _netrc(urlsplit(hosts[0]).hostname or "")
    return Location(
        url=",".join(hosts),
        index=name,
        user=user or None,
        password=password or None,
        verify=verify,
        ca_certs=os.environ.get("ZEITUNG_OPENSEARCH_CA") or None,
        shards=shards,
        replicas=replicas,
    )


def _netrc(host: str) -> tuple[str, str]:
    """Login and password for *host* from ``~/.netrc`` (or ``$NETRC``), if it has them."""
    try:
        entry = netrc.netrc(os.environ.get("NETRC")).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return "", ""
    if not entry:
        return "", ""
    login, _, password = entry
    return login or "", password or ""


def _host(netloc: str, tls: bool) -> str:
    """``http(s)://host:port`` of one ``host[:port]`` (IPv6 in brackets); "" if malformed."""
    parts = urlsplit("//" + netloc)
    try:
        port = parts.port or 9200
    except ValueError:
        return ""
    if not parts.hostname:
        return ""
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{'https' if tls else 'http'}://{host}:{port}"


def _redact(url: str) -> str:
    """*url* without ``user:password@``."""
    head, sep, rest = url.partition("://")
    netloc, slash, tail = rest.partition("/")
    return head + sep + netloc.rpartition("@")[2] + slash + tail


def index_settings(shards: int = 1, replicas: int | None = None) -> dict:
    """Settings and mapping of a Zeitung index (see the module docstring)."""
    replica_settings: dict[str, Any] = (
        {"number_of_replicas": replicas}
        if replicas is not None
        else {"auto_expand_replicas": "0-1"}
    )
    analysed = {
        "type": "text",
        "analyzer": "zeitung_positions",
        "search_analyzer": "zeitung_terms",
        "similarity": "zeitung_bm25",
    }
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                **replica_settings,
                "max_result_window": MAX_RESULT_WINDOW,
            },
            "similarity": {"zeitung_bm25": {"type": "BM25", "k1": BM25_K1, "b": BM25_B}},
            "analysis": {
                "tokenizer": {
                    "zeitung_whitespace": {"type": "whitespace", "max_token_length": 16384}
                },
                "filter": {
                    "zeitung_split_position": {
                        "type": "pattern_capture",
                        "preserve_original": False,
                        "patterns": [f"([^{TERM_SEP}]+)"],
                    },
                    "zeitung_drop_gap": {"type": "stop", "stopwords": [GAP], "ignore_case": False},
                },
                "analyzer": {
                    "zeitung_positions": {
                        "type": "custom",
                        "tokenizer": "zeitung_whitespace",
                        "filter": ["zeitung_split_position", "zeitung_drop_gap"],
                    },
                    "zeitung_terms": {
                        "type": "custom",
                        "tokenizer": "zeitung_whitespace",
                        "filter": ["zeitung_drop_gap"],
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"zeitung": _meta(set())},
            "_source": {"excludes": [*ANALYSED_FIELDS, "story_bands"]},
            "properties": {
                **{name: dict(analysed) for name in ANALYSED_FIELDS},
                "id": {"type": "keyword"},
                "date": {
                    "type": "date",
                    "format": "strict_date_hour_minute_second_millis||strict_date_optional_time",
                },
                "site": {"type": "keyword"},
                **{FACET_PREFIX + name: {"type": "keyword"} for name in FACET_FIELDS},
                "path": {"type": "keyword"},
                "file_state": {"type": "keyword"},
                "digest": {"type": "keyword"},
                "run": {"type": "keyword"},
                # The writer that sent a document: its own documents are no committed
                # near-copies while it writes (OpenSearch may show them before the commit).
                "batch": {"type": "keyword"},
                # Stories (search.stories): the id, the LSH buckets (derived from the
                # signature, so not in _source) and the MinHash signature.
                "story": {"type": "keyword"},
                "story_bands": {"type": "keyword"},
                "story_sig": {"type": "binary"},
                # Tokens of the text as the Whoosh index counts a field's length (every
                # term at every position): the corpus size of ``cooccur``, summed.
                "text_length": {"type": "integer", "index": False},
                "stored": {"type": "object", "enabled": False},
            },
        },
    }


def _meta(partial: set[str]) -> dict:
    return {
        "mapping_version": MAPPING_VERSION,
        "analysis_version": ANALYSIS_VERSION,
        "partial": sorted(partial),
    }


def positioned_tokens(tokens: Iterator[tuple[int, str]]) -> str:
    r"""Terms at (already spread) positions as the index analyser reads them back.

    >>> positioned_tokens(iter([(1, "gaspreis"), (1, "gas"), (1, "preis"), (3, "steig")]))
    '\x02 gaspreis\x01gas\x01preis \x02 steig'
    """
    by_pos: dict[int, list[str]] = {}
    for pos, text in tokens:
        term = "".join(ch for ch in text if not ch.isspace() and ch not in (TERM_SEP, GAP))
        if term:
            by_pos.setdefault(pos, []).append(term)
    out: list[str] = []
    expected = 0
    for pos in sorted(by_pos):
        out.extend(GAP for _ in range(pos - expected))
        out.append(TERM_SEP.join(by_pos[pos]))
        expected = pos + 1
    return " ".join(out)


def index_positions(tokens: Iterable[Token], slots: Callable[[str], str | None] | None):
    """``(position, term)`` of Zeitung's tokens as the OpenSearch index holds them.

    Word *n* stands at position ``POSITION_STEP * n``; a sentence or paragraph boundary
    (``kind="boundary"``, at its first word in Whoosh) at the odd position just before it,
    so a span crosses a boundary exactly when it overlaps one (``span_not``, for
    ``NEAR/s``/``NEAR/p``). With *slots*, each exact form ``=f`` also yields the phrase-slot
    term *slots(f)* (see :data:`SLOT_PREFIX`).
    """
    for tok in tokens:
        kind = getattr(tok, "kind", "word")
        pos = POSITION_STEP * tok.pos
        if kind == "boundary":
            yield pos - 1, tok.text
            continue
        yield pos, tok.text
        if slots is not None and kind == "exact":
            slot = slots(tok.text)
            if slot is not None:
                yield pos, slot


def doc_id(article_id: str) -> str:
    """The ``_id`` for an article id (OpenSearch allows 512 bytes)."""
    if len(article_id.encode("utf-8")) <= 512:
        return article_id
    return "sha1:" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()


class OpenSearchEngine:
    """An :class:`~search.engines.Engine` over one OpenSearch index."""

    def __init__(self, location: Location, client: Any, schema: Schema) -> None:
        self.loc = location
        self.location = location.display
        self.client = client
        self.schema = schema
        self._slots: dict[str, str | None] = {}
        self._routings: list[str] | None = None

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def connect(cls, location: str, schema: Schema) -> OpenSearchEngine:
        try:
            from opensearchpy import OpenSearch
        except ImportError:
            raise ZeitungError(
                "OpenSearch support needs the opensearch-py client: "
                "pip install 'zeitung[opensearch]'"
            ) from None
        loc = parse_location(location)
        kwargs: dict[str, Any] = {
            "hosts": loc.url.split(","),
            "timeout": 60,
            "max_retries": 0,  # retried here, with backoff (see _call)
            "http_compress": False,
        }
        if loc.url.startswith("https:"):
            kwargs.update(use_ssl=True, verify_certs=loc.verify, ssl_show_warn=loc.verify)
            if loc.ca_certs:
                kwargs["ca_certs"] = loc.ca_certs
        if loc.user:
            kwargs["http_auth"] = (loc.user, loc.password or "")
        return cls(loc, OpenSearch(**kwargs), schema)

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        """*fn* with retries and exponential backoff on 429, 502-504 and connection errors."""
        from opensearchpy import exceptions as ex

        for attempt in range(RETRIES + 1):
            try:
                return fn()
            except ex.ConnectionError as exc:
                error: Exception = exc
            except ex.TransportError as exc:
                if not isinstance(exc.status_code, int) or exc.status_code not in RETRY_STATUSES:
                    raise
                error = exc
            if attempt == RETRIES:
                raise ZeitungError(
                    f"OpenSearch at {self.location}: {what} failed {RETRIES + 1} times: "
                    f"{_brief(error)}"
                ) from None
            time.sleep(_backoff(attempt))
        raise AssertionError("unreachable")

    def exists(self) -> bool:
        return bool(
            self._call(
                "checking the index", lambda: self.client.indices.exists(index=self.loc.index)
            )
        )

    def check(self) -> None:
        """Refuse an index that is not Zeitung's or was built with another analysis."""
        if not self.exists():
            raise IndexNotFound(
                f"no index at {self.location} "
                f"(create one with: zeitung index DIR --index {self.location})"
            )
        meta = self._meta()
        if meta is None:
            raise IndexIncompatible(
                f"{self.location} is not a Zeitung index; choose another --index"
            )
        if (
            meta.get("mapping_version") != MAPPING_VERSION
            or meta.get("analysis_version") != ANALYSIS_VERSION
        ):
            raise IndexIncompatible(
                f"index at {self.location} was built with mapping {meta.get('mapping_version')} "
                f"and German analysis version {meta.get('analysis_version')}, this Zeitung uses "
                f"{MAPPING_VERSION} and {ANALYSIS_VERSION}; rebuild it: "
                f"zeitung index DIR --index {self.location} --rebuild"
            )

    def create(self) -> None:
        """Create the index, replacing a Zeitung index of that name (never another index):
        a new concrete index, then the name switched to it (see :meth:`switch_to`)."""
        self._refuse_foreign()
        self.switch_to(self.create_aside())

    def _refuse_foreign(self) -> None:
        if self.exists() and self._meta() is None:
            raise ZeitungError(
                f"{self.location} exists and is not a Zeitung index; choose another --index"
            )

    # -- generations: the name is an alias of one concrete index ------------------------
    def create_aside(self) -> OpenSearchEngine:
        """A new, empty concrete index beside the current one (``NAME-zeitung-gen-…``), and
        an engine writing to it; nothing reads it until :meth:`switch_to`."""
        name = f"{self.loc.index}{GENERATION}{uuid.uuid4().hex[:12]}"
        aside = OpenSearchEngine(replace(self.loc, index=name), self.client, self.schema)
        body = index_settings(self.loc.shards, self.loc.replicas)
        self._call(
            "creating the index",
            lambda: self.client.indices.create(
                index=name, body=body, params={"wait_for_active_shards": "1"}
            ),
        )
        return aside

    def generations(self) -> list[str]:
        """The concrete indexes the name points to ([] if it is no alias)."""
        from opensearchpy import exceptions as ex

        try:
            r = self._call(
                "reading the alias", lambda: self.client.indices.get_alias(name=self.loc.index)
            )
        except ex.NotFoundError:
            return []
        return sorted(r)

    def switch_to(self, aside: OpenSearchEngine) -> None:
        """Point the name at *aside* in one atomic step (searches answer from the old index
        until then, from the new one after), then delete the old one. A concrete index of
        the name (made before generations) is replaced in the same step."""
        old = self.generations()
        alias = self.loc.index
        actions: list[dict] = [{"remove": {"index": o, "alias": alias}} for o in old]
        if not old and self.exists():
            self._refuse_foreign()
            actions.append({"remove_index": {"index": alias}})
        actions.append({"add": {"index": aside.loc.index, "alias": alias}})
        self._call(
            "switching the alias",
            lambda: self.client.indices.update_aliases(body={"actions": actions}),
        )
        for name in old:
            if name != aside.loc.index:
                self._drop(name)

    def drop_asides(self) -> list[str]:
        """Delete the concrete indexes of this name that it does not point to: what a
        rebuild that was killed left. Call it with the writer lock held."""
        live = set(self.generations())
        found = self._call(
            "listing generations",
            lambda: self.client.indices.get(
                index=f"{self.loc.index}{GENERATION}*",
                params={"allow_no_indices": "true", "expand_wildcards": "open,closed"},
            ),
        )
        dropped = [name for name in sorted(found) if name not in live]
        for name in dropped:
            self._drop(name)
        return dropped

    def drop(self) -> None:
        """Delete this concrete index (an aside whose rebuild failed)."""
        self._drop(self.loc.index)

    def _drop(self, name: str) -> None:
        from opensearchpy import exceptions as ex

        try:
            self._call("deleting an old index", lambda: self.client.indices.delete(index=name))
        except ex.NotFoundError:
            pass

    def _meta(self) -> dict | None:
        mapping = self._call(
            "reading the mapping", lambda: self.client.indices.get_mapping(index=self.loc.index)
        )
        for body in mapping.values():
            meta = body.get("mappings", {}).get("_meta", {}).get("zeitung")
            return meta if isinstance(meta, dict) else None
        return None

    def close(self) -> None:
        self.client.close()

    # -- reading -----------------------------------------------------------------------
    def refresh(self) -> None:
        self._call("refreshing", lambda: self.client.indices.refresh(index=self.loc.index))

    def count(self) -> int:
        r = self._call("counting", lambda: self.client.count(index=self.loc.index))
        return int(r["count"])

    def file_states(self) -> dict[str, FileState]:
        self.refresh()  # what an interrupted run sent is durable, but maybe not yet visible
        states: dict[str, FileState] = {}
        twice: set[str] = set()
        for value in self._terms("file_state"):
            path, _, state = value.partition("\t")
            try:
                decoded = FileState.decode(state)
            except ValueError:
                continue
            if path in states and states[path] != decoded:
                twice.add(path)
            states[path] = decoded
        for path in twice:  # old and new documents of one file: an interrupted update
            del states[path]
        return states

    def _terms(self, fieldname: str) -> Iterator[str]:
        """Every distinct value of a keyword field."""
        sources = [{"v": {"terms": {"field": fieldname}}}]
        for key, _count in self._composite("reading " + fieldname, {"match_all": {}}, sources):
            yield key["v"]

    def _composite(self, what: str, query: dict, sources: list[dict]) -> Iterator[tuple[dict, int]]:
        """``(key, doc_count)`` of every bucket of a composite aggregation over the matches
        of *query*, paged: exact whatever the number of values or shards (a ``terms``
        aggregation counts approximately once values outnumber its size)."""
        after: dict | None = None
        while True:
            composite: dict = {"size": COMPOSITE_PAGE, "sources": sources}
            if after:
                composite["after"] = after
            body = {"size": 0, "query": query, "aggs": {"values": {"composite": composite}}}
            r = self._call(what, lambda b=body: self.client.search(index=self.loc.index, body=b))
            agg = r["aggregations"]["values"]
            for bucket in agg["buckets"]:
                yield bucket["key"], int(bucket["doc_count"])
            after = agg.get("after_key")
            if not after or not agg["buckets"]:
                return

    def partial_paths(self) -> set[str]:
        return set((self._meta() or {}).get("partial", []))

    def save_partial_paths(self, paths: set[str]) -> None:
        self._save_meta("saving partial files", partial=sorted(paths))

    def file_records(self) -> dict:
        """What :class:`~search.filestates.FileRecords` keeps (files without documents,
        folded copies' owners), from the mapping's ``_meta``."""
        records = (self._meta() or {}).get("records")
        return records if isinstance(records, dict) else {}

    def save_file_records(self, records: dict) -> None:
        self._save_meta("saving file records", records=records)

    def _save_meta(self, what: str, **changes: object) -> None:
        """Change some keys of the ``_meta`` (put whole: the writer lock is held)."""
        meta = dict(self._meta() or _meta(set()))
        meta.update(changes)
        self._call(
            what,
            lambda: self.client.indices.put_mapping(
                index=self.loc.index, body={"_meta": {"zeitung": meta}}
            ),
        )

    def compile(self, q: wq.Query) -> Compiled:
        return compile_query(q, self.schema)

    def explain(self, q: wq.Query) -> NativeQuery:
        compiled = self.compile(q)
        dsl = json.dumps(compiled.dsl, ensure_ascii=False, indent=2)
        return NativeQuery("OpenSearch query DSL:\n" + dsl, compiled.approximate)

    def search(
        self, q: wq.Query, *, limit: int | None, sort: SortOrder, collapse: bool = False
    ) -> tuple[list[StoredHit], int]:
        """See :meth:`search.engines.Engine.search`. With *collapse*, OpenSearch's own
        ``collapse`` on the story id while the hits fit its result window (it cannot page
        with ``search_after``), else the ranked hits folded here; the total is the number
        of distinct stories, counted exactly (a composite aggregation, not ``cardinality``)."""
        query = self.compile(q).dsl
        order: list = [{"_score": "desc"}, {"id": "asc"}]
        if sort in ("date", "-date"):
            direction = "desc" if sort == "-date" else "asc"
            order = [{"date": {"order": direction, "missing": "_last"}}, {"id": "asc"}]
        if not collapse:
            return self._ranked(query, order, limit)
        stories = sum(1 for _ in self._composite("counting stories", query, [_STORY_SOURCE]))
        if limit is not None and limit <= MAX_RESULT_WINDOW:
            body = {
                "query": query,
                "size": limit,
                "sort": order,
                "track_total_hits": False,
                "track_scores": True,
                "collapse": {"field": "story"},
                "_source": {"includes": HIT_SOURCE},
            }
            r = self._call("searching", lambda: self.client.search(index=self.loc.index, body=body))
            page = r["hits"]["hits"]
            return [
                StoredHit(_fields(h["_source"]), float(h.get("_score") or 0.0)) for h in page
            ], (stories)
        every, _total = self._ranked(query, order, None)
        seen: set[str] = set()
        hits = []
        for hit in every:
            story = hit.fields.get("story") or hit.fields["id"]
            if story not in seen:
                seen.add(story)
                hits.append(hit)
        return hits[:limit] if limit is not None else hits, stories

    def _ranked(self, query: dict, order: list, limit: int | None) -> tuple[list[StoredHit], int]:
        """The best *limit* hits (None: all) of a DSL query, paged with ``search_after``."""
        hits: list[StoredHit] = []
        total = 0
        after: list | None = None
        while True:
            size = PAGE if limit is None else min(PAGE, limit - len(hits))
            body: dict = {
                "query": query,
                "size": size,
                "sort": order,
                "track_total_hits": True,
                "track_scores": True,
                "_source": {"includes": HIT_SOURCE},
            }
            if after is not None:
                body["search_after"] = after
            r = self._call(
                "searching", lambda b=body: self.client.search(index=self.loc.index, body=b)
            )
            total = int(r["hits"]["total"]["value"])
            page = r["hits"]["hits"]
            hits.extend(
                StoredHit(_fields(h["_source"]), float(h.get("_score") or 0.0)) for h in page
            )
            if len(page) < size or (limit is not None and len(hits) >= limit) or not page:
                return hits, total
            after = page[-1]["sort"]

    def scan(self, what: str, query: dict, includes: Sequence[str]) -> Iterator[dict]:
        """The ``_source`` (only *includes*) of every document *query* matches, in id
        order, in pages of :data:`PAGE` (``search_after``: no result window, no scroll
        context left open)."""
        after: list | None = None
        while True:
            body: dict = {
                "query": query,
                "size": PAGE,
                "sort": [{"id": "asc"}],
                "_source": {"includes": list(includes)} if includes else False,
            }
            if after is not None:
                body["search_after"] = after
            r = self._call(what, lambda b=body: self.client.search(index=self.loc.index, body=b))
            page = r["hits"]["hits"]
            for h in page:
                yield h.get("_source") or {"id": h["sort"][0]}
            if len(page) < PAGE:
                return
            after = page[-1]["sort"]

    def story_members(
        self, stories: Iterable[str], *, whole: bool = False
    ) -> dict[str, list[dict]]:
        """The stored fields of the articles of these stories (ids, sources and dates only,
        unless *whole*), by story, in id order."""
        wanted = sorted(set(stories))
        out: dict[str, list[dict]] = {}
        includes = ["stored", "id", "date", "path", "story"] if whole else _MEMBER_SOURCE
        for start in range(0, len(wanted), PAGE):
            query = {"terms": {"story": wanted[start : start + PAGE]}}
            for source in self.scan("reading a story's articles", query, includes):
                out.setdefault(source.get("story") or "", []).append(_fields(source))
        return out

    def document(self, article_id: str) -> dict | None:
        from opensearchpy import exceptions as ex

        try:
            r = self._call(
                "reading an article",
                lambda: self.client.get(index=self.loc.index, id=doc_id(article_id)),
            )
        except ex.NotFoundError:
            return None
        source = r.get("_source") or {}
        if source.get("id") != article_id:
            return None
        return _fields(source)

    def documents(self) -> Iterator[dict]:
        after: list | None = None
        while True:
            body: dict = {"query": {"match_all": {}}, "size": PAGE, "sort": [{"id": "asc"}]}
            if after is not None:
                body["search_after"] = after
            r = self._call(
                "reading articles", lambda b=body: self.client.search(index=self.loc.index, body=b)
            )
            page = r["hits"]["hits"]
            for h in page:
                yield _fields(h["_source"])
            if len(page) < PAGE:
                return
            after = page[-1]["sort"]

    # -- cooccur: the matches' stored texts, the index's term statistics ----------------
    def matching_ids(self, q: wq.Query) -> list[str]:
        """The ids of every article *q* matches (no ``_source``: the id is the sort value)."""
        return [s["id"] for s in self.scan("finding matches", self.compile(q).dsl, ())]

    def stored_documents(self, ids: Sequence[str]) -> Iterator[dict]:
        """The stored fields (text, title, date) of these articles, in id order, in pages
        of :data:`PAGE` (``terms`` on the id, ``search_after``)."""
        wanted = sorted(set(ids))
        includes = ["stored.text", "stored.title", "id", "date"]
        for start in range(0, len(wanted), PAGE):
            query = {"terms": {"id": wanted[start : start + PAGE]}}
            for source in self.scan("reading matches", query, includes):
                yield _fields(source)

    def text_length(self) -> int:
        """Tokens of the ``text`` field in all, as Whoosh counts its field length (the sum
        of ``text_length``; OpenSearch's own ``sum_ttf`` also counts the phrase slots).
        Exact: Whoosh's total is too until it merges segments, which sums lengths rounded
        to a byte each (measured: 1,178 tokens became 1,208 on 120 short articles)."""
        body = {"size": 0, "aggs": {"n": {"sum": {"field": "text_length"}}}}
        r = self._call(
            "counting tokens", lambda: self.client.search(index=self.loc.index, body=body)
        )
        return int(r["aggregations"]["n"]["value"] or 0)

    def term_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How often each term occurs in ``text`` in the whole index: the ``ttf`` of the
        term vectors of an artificial document of these terms, asked of every shard in
        turn (term statistics are per shard) and summed. Like Whoosh's, the counts include
        deleted documents until their segments are merged."""
        clean = {t: _clean_term(t) for t in terms}
        out = dict.fromkeys(terms, 0)
        ordered = sorted({c for c in clean.values() if c})
        totals: Counter = Counter()
        for routing in self._shard_routings():
            for start in range(0, len(ordered), TERMS_PAGE):
                body = {
                    "doc": {"text": " ".join(ordered[start : start + TERMS_PAGE])},
                    "fields": ["text"],
                    "term_statistics": True,
                    "field_statistics": False,
                    "positions": False,
                    "offsets": False,
                    "payloads": False,
                }
                r = self._call(
                    "reading term statistics",
                    lambda b=body, rt=routing: self.client.termvectors(
                        index=self.loc.index, body=b, params={"routing": rt}
                    ),
                )
                found = r.get("term_vectors", {}).get("text", {}).get("terms", {})
                for term, stats in found.items():
                    totals[term] += int(stats.get("ttf", 0))
        for term, cleaned in clean.items():
            out[term] = totals.get(cleaned, 0)
        return out

    def _shard_routings(self) -> list[str]:
        """One routing value per shard of the index (``_search_shards`` says where each
        goes), so that a request can be sent to every shard in turn."""
        if self._routings is None:
            settings = self._call(
                "reading the settings",
                lambda: self.client.indices.get_settings(index=self.loc.index),
            )
            shards = int(next(iter(settings.values()))["settings"]["index"]["number_of_shards"])
            found: dict[int, str] = {}
            n = 0
            while len(found) < shards and n < 100 * shards:
                r = self._call(
                    "locating shards",
                    lambda k=str(n): self.client.search_shards(
                        index=self.loc.index, params={"routing": k}
                    ),
                )
                found.setdefault(int(r["shards"][0][0]["shard"]), str(n))
                n += 1
            self._routings = [found[k] for k in sorted(found)]
        return self._routings

    def stats(self) -> EngineStats:
        body = {
            "size": 0,
            "track_total_hits": True,
            "aggs": {
                "sites": {"terms": {"field": FACET_PREFIX + "source", "size": 10000}},
                "first": {"min": {"field": "date"}},
                "last": {"max": {"field": "date"}},
                "undated": {"missing": {"field": "date"}},
            },
        }
        r = self._call(
            "reading statistics", lambda: self.client.search(index=self.loc.index, body=body)
        )
        aggs = r["aggregations"]
        size = self._call(
            "reading the index size",
            lambda: self.client.indices.stats(index=self.loc.index, metric="store"),
        )
        return EngineStats(
            articles=int(r["hits"]["total"]["value"]),
            sources={b["key"]: int(b["doc_count"]) for b in aggs["sites"]["buckets"]},
            first_date=_agg_date(aggs["first"]),
            last_date=_agg_date(aggs["last"]),
            undated=int(aggs["undated"]["doc_count"]),
            size_bytes=int(size["_all"]["total"]["store"]["size_in_bytes"]),
        )

    # -- analytics: date_histogram and terms, as composite aggregations -----------------
    def period_counts(
        self,
        q: wq.Query | None,
        by: str,
        dates: tuple[dt.date, dt.date] | None,
        *,
        per_source: bool = False,
        stories: bool = False,
    ) -> dict[str | None, PeriodCounts]:
        """See :meth:`search.engines.Engine.period_counts`: a ``date_histogram`` of calendar
        periods (and the ``missing`` bucket: undated), under the verbatim source; with
        *stories*, the story id as a last source, each bucket counting one story."""
        if by not in CALENDAR_INTERVALS:
            raise ZeitungError(f"unknown period {by!r}: use {', '.join(CALENDAR_INTERVALS)}")
        matches = {"match_all": {}} if q is None else self.compile(q).dsl
        undated = {"bool": {"must_not": [{"exists": {"field": "date"}}]}}
        wanted: list[dict] = [undated]
        if dates is not None:
            first, last = dates
            end = last + dt.timedelta(days=1)
            wanted.append({"range": {"date": {"gte": first.isoformat(), "lt": end.isoformat()}}})
        counted = {"bool": {"filter": [matches], "should": wanted, "minimum_should_match": 1}}
        period = {
            "p": {
                "date_histogram": {
                    "field": "date",
                    "calendar_interval": CALENDAR_INTERVALS[by],
                    "missing_bucket": True,
                }
            }
        }
        source = {"s": {"terms": {"field": FACET_PREFIX + "source", "missing_bucket": True}}}
        out: dict[str | None, PeriodCounts] = {}
        if per_source:  # every source of a match has a series, dated in the range or not
            for key, _n in self._composite("counting sources", matches, [source]):
                out[key["s"] or ""] = PeriodCounts()
        else:
            out[None] = PeriodCounts()
        sources = [source, period] if per_source else [period]
        if stories:
            sources.append(_STORY_SOURCE)
        for key, n in self._composite("counting by period", counted, sources):
            if stories:
                n = 1  # one (period, story) pair
            counts = out.setdefault(key["s"] or "" if per_source else None, PeriodCounts())
            if key["p"] is None:
                counts.undated += n
            else:
                day = _epoch_day(key["p"])
                counts.counts[day] = counts.counts.get(day, 0) + n
        return out

    def value_counts(
        self, q: wq.Query, names: Sequence[str], *, stories: bool = False
    ) -> tuple[int, dict[str, Counter]]:
        """See :meth:`search.engines.Engine.value_counts`: ``terms`` on the verbatim
        ``facet_*`` keywords and a yearly ``date_histogram``, paged (exact); with *stories*,
        (value, story) pairs, each counting one story."""
        matches = self.compile(q).dsl
        if stories:
            total = sum(1 for _ in self._composite("counting stories", matches, [_STORY_SOURCE]))
        else:
            r = self._call(
                "counting matches",
                lambda: self.client.count(index=self.loc.index, body={"query": matches}),
            )
            total = int(r["count"])
        out: dict[str, Counter] = {}
        for name in names:
            if name == "year":
                histogram = {"field": "date", "calendar_interval": "year", "missing_bucket": True}
                source = {"v": {"date_histogram": histogram}}
            elif name in FACET_FIELDS:
                source = {"v": {"terms": {"field": FACET_PREFIX + name, "missing_bucket": True}}}
            else:
                raise ZeitungError(f"no facet {name!r}: use {', '.join(FACET_FIELDS)}, year")
            counts: Counter = Counter()
            sources = [source, _STORY_SOURCE] if stories else [source]
            for key, n in self._composite("counting " + name, matches, sources):
                if stories:
                    n = 1
                value = key["v"]
                if value is None:
                    counts[""] += n
                else:
                    counts[str(_epoch_day(value).year) if name == "year" else value] += n
            out[name] = counts
        return total, out

    def slot_of(self, exact: str) -> str | None:
        """The phrase-slot term of an exact form: ``=preise`` -> ``≡preis``, its stem as a
        whole word (what :class:`~search.query.matchers.WordForms` asks of a form)."""
        slot = self._slots.get(exact)
        if slot is None and exact not in self._slots:
            folded = exact[len(EXACT_PREFIX) :]
            stem = next(
                (
                    t.text
                    for t in self.schema["text"].analyzer(folded, mode="query")
                    if t.kind == "word"
                ),
                None,
            )
            slot = SLOT_PREFIX + stem if stem else None
            if len(self._slots) > 500_000:
                self._slots.clear()
            self._slots[exact] = slot
        return slot

    def expected_terms(self, fieldname: str, text: str) -> list[tuple[int, str]]:
        """``(position, term)`` that Zeitung's analysis asks the index to hold for *text*."""
        tokens = self.schema[fieldname].analyzer(text, mode="index", positions=True)
        return list(index_positions(tokens, self.slot_of if fieldname in TEXT_FIELDS else None))

    def analyse(self, fieldname: str, text: str) -> list[tuple[int, str]]:
        """``(position, term)`` as the index stores *text* in *fieldname* (``_analyze``)."""
        body = self.to_json({"id": "", fieldname: text}, "")[fieldname]
        r = self._call(
            "analysing",
            lambda: self.client.indices.analyze(
                index=self.loc.index, body={"field": fieldname, "text": body}
            ),
        )
        return [(int(t["position"]), t["token"]) for t in r.get("tokens", [])]

    # -- writing -----------------------------------------------------------------------
    def writer(self, run_id: str) -> OpenSearchWriter:
        return OpenSearchWriter(self, run_id)

    def lock(self) -> WriterLock:
        return WriterLock(self)

    def to_json(self, doc: dict, run_id: str) -> dict:
        """The JSON document for one Whoosh-style document dict (see the module docstring)."""
        body: dict[str, Any] = {"id": doc["id"], "run": run_id, "stored": {}}
        for name in ANALYSED_FIELDS:
            value = doc.get(name)
            if not value:
                continue
            body["stored"][name] = value
            analyzer = self.schema[name].analyzer
            tokens = analyzer(value, mode="index", positions=True)
            slots = self.slot_of if name in TEXT_FIELDS else None
            if name == "text":
                counted = _Counted(tokens)
                body[name] = positioned_tokens(index_positions(counted, slots))
                body["text_length"] = counted.n
            else:
                body[name] = positioned_tokens(index_positions(tokens, slots))
        if doc.get("title_derived"):  # made from the text: shown, not indexed as a title
            body["stored"]["title"] = doc.get("_stored_title") or ""
            body["stored"]["title_derived"] = True
        date = doc.get("date")
        if isinstance(date, dt.datetime):
            body["date"] = date_value(date)
        for name in ("site", "path", "file_state"):
            if doc.get(name):
                body[name] = doc[name]
        for name in FACET_FIELDS:
            if doc.get(name):
                body[FACET_PREFIX + name] = doc[name]
        if doc.get("digest"):
            body["digest"] = doc["digest"].split()
        if doc.get("story"):
            body["story"] = doc["story"]
        if doc.get("story_bands"):
            body["story_bands"] = doc["story_bands"].split()
        if doc.get("story_sig"):
            body["story_sig"] = base64.b64encode(doc["story_sig"]).decode("ascii")
        return body

    def bulk(self, actions: list[tuple[dict, dict | None]]) -> None:
        """Send ``(action, source)`` pairs in requests of at most :data:`BULK_ACTIONS`
        actions and about :data:`BULK_BYTES` (a cluster rejects a request that would hold
        too much of its heap, with a 429 that no retry cures)."""
        chunk: list[tuple[dict, dict | None]] = []
        size = 0
        for action, source in actions:
            chunk.append((action, source))
            size += _source_size(source)
            if len(chunk) >= BULK_ACTIONS or size >= BULK_BYTES:
                self._bulk_request(chunk)
                chunk, size = [], 0
        if chunk:
            self._bulk_request(chunk)

    def _bulk_request(self, actions: list[tuple[dict, dict | None]]) -> None:
        """One bulk request; failed items with a retryable status are sent again with
        backoff, others raise :class:`ZeitungError`."""
        pending = actions
        for attempt in range(RETRIES + 1):
            lines: list[str] = []
            for action, source in pending:
                lines.append(json.dumps(action, ensure_ascii=False))
                if source is not None:
                    lines.append(json.dumps(source, ensure_ascii=False))
            payload = "\n".join(lines) + "\n"
            r = self._call("bulk indexing", lambda p=payload: self.client.bulk(body=p))
            if not r.get("errors"):
                return
            retry: list[tuple[dict, dict | None]] = []
            for item, pair in zip(r["items"], pending, strict=True):
                result = next(iter(item.values()))
                status = int(result.get("status", 200))
                if status in RETRY_STATUSES:
                    retry.append(pair)
                elif status >= 300 and not (status == 404 and "delete" in item):
                    raise ZeitungError(
                        f"OpenSearch at {self.location} refused a document: "
                        f"{json.dumps(result.get('error'), ensure_ascii=False)[:300]}"
                    )
            if not retry:
                return
            pending = retry
            if attempt < RETRIES:
                time.sleep(_backoff(attempt))
        raise ZeitungError(f"OpenSearch at {self.location}: bulk items still refused after retries")

    def delete_matching(self, query: dict) -> None:
        """Delete every document matching *query*, in pages of :data:`PAGE` (a search and a
        bulk delete each: ``_delete_by_query`` is a module a cluster may lack)."""
        self.refresh()
        while True:
            body = {"query": query, "size": PAGE, "_source": False}
            r = self._call(
                "finding documents to delete",
                lambda b=body: self.client.search(index=self.loc.index, body=b),
            )
            page = r["hits"]["hits"]
            if not page:
                return
            self.bulk(
                [({"delete": {"_index": self.loc.index, "_id": h["_id"]}}, None) for h in page]
            )
            self.refresh()


class OpenSearchWriter:
    """One batch of bulk actions, sent as they fill up, made visible by :meth:`commit`.

    A document sent before the commit may become visible earlier (OpenSearch refreshes on
    its own); that is harmless because the run's bookkeeping does not rely on it: old
    documents of re-read files are deleted at commit (those of other runs only), and a file
    committed in part is marked before the documents are sent.
    """

    def __init__(self, engine: OpenSearchEngine, run_id: str) -> None:
        self.engine = engine
        self.run_id = run_id
        self.actions: list[tuple[dict, dict | None]] = []
        self.bytes = 0
        self.clear: list[str] = []
        self.index = engine.loc.index
        #: Stamped on the documents this writer sends (see :meth:`story_buckets`).
        self.batch = uuid.uuid4().hex

    def add(self, doc: dict) -> None:
        source = self.engine.to_json(doc, self.run_id)
        source["batch"] = self.batch
        self.actions.append(({"index": {"_index": self.index, "_id": doc_id(doc["id"])}}, source))
        self.bytes += _source_size(source)

    def send_if_full(self) -> None:
        """Send the buffered actions if there are enough for a bulk request."""
        if self.needs_sending():
            self.flush()

    def needs_sending(self) -> bool:
        return len(self.actions) >= BULK_ACTIONS or self.bytes >= BULK_BYTES

    def delete_paths(self, paths: list[str]) -> None:
        self.clear.extend(paths)

    def delete_id(self, article_id: str) -> None:
        self.actions.append(({"delete": {"_index": self.index, "_id": doc_id(article_id)}}, None))

    def committed(
        self, ids: list[str], digest_keys: list[str]
    ) -> list[tuple[str, str, str, list[str]]]:
        """``(id, path, run, dedup keys)`` of the committed documents with one of these ids
        or dedup keys (one search, paged, for a whole file's articles)."""
        found: list[tuple[str, str, str, list[str]]] = []
        ids = list(dict.fromkeys(ids))
        keys = list(dict.fromkeys(digest_keys))
        for start in range(0, max(len(ids), len(keys)), PAGE):
            should = []
            if ids[start : start + PAGE]:
                should.append({"terms": {"id": ids[start : start + PAGE]}})
            if keys[start : start + PAGE]:
                should.append({"terms": {"digest": keys[start : start + PAGE]}})
            after: list | None = None
            while True:
                body: dict = {
                    "query": {"bool": {"should": should, "minimum_should_match": 1}},
                    "size": PAGE,
                    "sort": [{"id": "asc"}],
                    "_source": {"includes": ["id", "path", "run", "digest"]},
                }
                if after is not None:
                    body["search_after"] = after
                r = self.engine._call(
                    "looking up duplicates",
                    lambda b=body: self.engine.client.search(index=self.index, body=b),
                )
                page = r["hits"]["hits"]
                for hit in page:
                    source = hit["_source"]
                    digests = source.get("digest") or []
                    found.append(
                        (
                            source.get("id") or "",
                            source.get("path") or "",
                            source.get("run") or "",
                            [digests] if isinstance(digests, str) else list(digests),
                        )
                    )
                if len(page) < PAGE:
                    break
                after = page[-1]["sort"]
        return found

    def story_buckets(
        self, terms: Iterable[str]
    ) -> dict[str, list[tuple[str, str, str, str, bytes]]]:
        """``(id, path, run, story, signature)`` of the committed documents in each LSH
        bucket (``story_bands`` term) that at most :data:`~search.stories.MAX_BUCKET`
        documents share; larger buckets map to []. Documents this writer sent are left out.
        Per :data:`TERMS_PAGE` terms: a ``terms`` aggregation (exact: ``include`` lists the
        terms, and every shard returns all of them) for the sizes, then a ``terms`` query
        on the small buckets."""
        from search.stories import MAX_BUCKET, band_terms

        wanted = sorted(set(terms))
        out: dict[str, list[tuple[str, str, str, str, bytes]]] = {t: [] for t in wanted}
        mine = {"term": {"batch": self.batch}}
        for start in range(0, len(wanted), TERMS_PAGE):
            chunk = wanted[start : start + TERMS_PAGE]
            query = {"bool": {"filter": [{"terms": {"story_bands": chunk}}], "must_not": [mine]}}
            sizes = {
                "terms": {
                    "field": "story_bands",
                    "include": chunk,
                    "size": len(chunk),
                    "shard_size": len(chunk),
                }
            }
            body = {"size": 0, "query": query, "aggs": {"b": sizes}}
            r = self.engine._call(
                "counting story buckets",
                lambda b=body: self.engine.client.search(index=self.index, body=b),
            )
            small = {
                b["key"]
                for b in r["aggregations"]["b"]["buckets"]
                if int(b["doc_count"]) <= MAX_BUCKET
            }
            if not small:
                continue
            query = {
                "bool": {"filter": [{"terms": {"story_bands": sorted(small)}}], "must_not": [mine]}
            }
            includes = ["id", "path", "run", "story", "story_sig"]
            for source in self.engine.scan("reading story buckets", query, includes):
                raw = base64.b64decode(source.get("story_sig") or "")
                if not raw:
                    continue
                member = (
                    source.get("id") or "",
                    source.get("path") or "",
                    source.get("run") or "",
                    source.get("story") or source.get("id") or "",
                    raw,
                )
                for term in band_terms(np.frombuffer(raw, dtype=np.uint32)):
                    if term in small:
                        out[term].append(member)
        return out

    def story_labels(self, labels: Iterable[str]) -> dict[str, list[tuple[str, str, str]]]:
        """``(id, path, run)`` of the committed documents whose story is one of *labels*
        (documents this writer sent left out)."""
        wanted = sorted(set(labels))
        out: dict[str, list[tuple[str, str, str]]] = {label: [] for label in wanted}
        mine = {"term": {"batch": self.batch}}
        for start in range(0, len(wanted), TERMS_PAGE):
            chunk = wanted[start : start + TERMS_PAGE]
            query = {"bool": {"filter": [{"terms": {"story": chunk}}], "must_not": [mine]}}
            for source in self.engine.scan(
                "reading story ids", query, ["id", "path", "run", "story"]
            ):
                out.setdefault(source.get("story") or "", []).append(
                    (source.get("id") or "", source.get("path") or "", source.get("run") or "")
                )
        return out

    def flush(self) -> None:
        if self.actions:
            self.engine.bulk(self.actions)
        self.actions = []
        self.bytes = 0

    def commit(self) -> None:
        self.flush()
        for start in range(0, len(self.clear), 500):
            chunk = self.clear[start : start + 500]
            self.engine.delete_matching(
                {
                    "bool": {
                        "filter": [{"terms": {"path": chunk}}],
                        "must_not": [{"term": {"run": self.run_id}}],
                    }
                }
            )
        self.clear = []
        self.engine.refresh()

    def cancel(self) -> None:
        """Drop what was not sent yet (what was sent stays: see the class docstring)."""
        self.actions = []
        self.clear = []


class WriterLock:
    """One writer at a time per index: a lock document in a small side index.

    Taken with ``op_type=create`` (atomic on the cluster), refreshed while held, and taken
    over when its holder stopped refreshing it for :data:`LOCK_STALE_SECONDS`, or at once
    when the holder was a process of this machine that is gone (a killed process cannot
    release it).
    """

    def __init__(self, engine: OpenSearchEngine) -> None:
        self.engine = engine
        self.index = engine.loc.index + "-zeitung-lock"
        self.owner = f"{os.uname().nodename}:{os.getpid()}:{random.getrandbits(32):08x}"
        self.last_beat = 0.0

    def _ensure_index(self) -> None:
        from opensearchpy import exceptions as ex

        client = self.engine.client
        if self.engine._call("checking the lock", lambda: client.indices.exists(index=self.index)):
            return
        try:
            self.engine._call(
                "creating the lock index",
                lambda: client.indices.create(
                    index=self.index,
                    body={"settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}},
                ),
            )
        except ex.RequestError as exc:
            if "resource_already_exists" not in str(exc):
                raise

    def __enter__(self) -> WriterLock:
        from opensearchpy import exceptions as ex

        self._ensure_index()
        client = self.engine.client
        body = {"owner": self.owner, "time": time.time()}
        try:
            self.engine._call(
                "taking the lock",
                lambda: client.index(
                    index=self.index, id="writer", body=body, op_type="create", refresh="true"
                ),
            )
        except ex.ConflictError:
            held = self.engine._call(
                "reading the lock", lambda: client.get(index=self.index, id="writer")
            )
            source = held.get("_source", {})
            fresh = time.time() - float(source.get("time", 0)) < LOCK_STALE_SECONDS
            if fresh and not _dead_here(str(source.get("owner", ""))):
                raise IndexLocked(
                    f"index {self.engine.location} is locked by {source.get('owner', '?')} "
                    "(another zeitung index is writing to it)"
                ) from None
            try:  # stale: take it over, unless another process just did
                self.engine._call(
                    "taking over a stale lock",
                    lambda: client.index(
                        index=self.index,
                        id="writer",
                        body=body,
                        if_seq_no=held["_seq_no"],
                        if_primary_term=held["_primary_term"],
                        refresh="true",
                    ),
                )
            except ex.ConflictError:
                raise IndexLocked(
                    f"index {self.engine.location} is locked by another writer"
                ) from None
        self.last_beat = time.monotonic()
        return self

    def beat(self) -> None:
        """Refresh the lock (called at commits) so that it does not look stale."""
        if time.monotonic() - self.last_beat < LOCK_STALE_SECONDS / 4:
            return
        body = {"owner": self.owner, "time": time.time()}
        self.engine._call(
            "refreshing the lock",
            lambda: self.engine.client.index(index=self.index, id="writer", body=body),
        )
        self.last_beat = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        from opensearchpy import exceptions as ex

        try:
            self.engine.client.delete(index=self.index, id="writer", refresh="true")
        except (ex.NotFoundError, ex.ConnectionError, ex.TransportError):
            pass


def _source_size(source: dict | None) -> int:
    """About the JSON size of a document (its two big strings)."""
    if not source:
        return 0
    return len(source.get("text") or "") + len((source.get("stored") or {}).get("text") or "")


def _dead_here(owner: str) -> bool:
    """Is *owner* (``host:pid:nonce``) a process of this machine that no longer runs?"""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != os.uname().nodename or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class _Counted:
    """Tokens passed through, counted (``n``)."""

    def __init__(self, tokens: Iterable[Token]) -> None:
        self.tokens = tokens
        self.n = 0

    def __iter__(self) -> Iterator[Token]:
        for tok in self.tokens:
            self.n += 1
            yield tok


def _clean_term(term: str) -> str:
    """A term as :func:`positioned_tokens` sends it (no whitespace, no separators)."""
    return "".join(ch for ch in term if not ch.isspace() and ch not in (TERM_SEP, GAP))


def _fields(source: dict) -> dict:
    """Stored fields as the Whoosh index returns them (the date as a datetime)."""
    fields = dict(source.get("stored") or {})
    fields["id"] = source.get("id")
    for name in ("path", "story"):
        if source.get(name):
            fields[name] = source[name]
    date = source.get("date")
    if date:
        fields["date"] = dt.datetime.fromisoformat(date[:19])
    return fields


def _epoch_day(millis: int) -> dt.date:
    """The day of a bucket key (UTC milliseconds: dates are stored without a zone)."""
    return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC).date()


def _agg_date(agg: dict) -> dt.date | None:
    value = agg.get("value")
    if value is None:
        return None
    return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC).date()


def _backoff(attempt: int) -> float:
    """Exponential backoff with jitter: 0.5, 1, 2, … s, at most :data:`BACKOFF_MAX_SECONDS`."""
    delay = min(BACKOFF_MAX_SECONDS, BACKOFF_SECONDS * 2**attempt)
    return delay * (0.5 + random.random() / 2)


def _brief(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"
