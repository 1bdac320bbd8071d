"""A realistic big news corpus from the real texts in ``../shared/data``, for scale work.

    python benchmarks/make_corpus.py 100000 /tmp/corpus-100k            # .jsonl files
    python benchmarks/make_corpus.py 20000 /tmp/corpus-20k --files      # one .txt per article

Articles are recombined from the sentences of the derStandard articles (10kGNAD), the XQuAD
paragraphs and the bodies of the 364 real pages, by topic, so an article reads like one
subject. On top of that:

- dates over 20 years (2005-2024), more articles in later years; a few undated;
- 30 sources, each with its own names for its sections, some authors, agency bylines;
- about 2 % near-identical agency copies of a story in other outlets (changed headline, a
  local paragraph, cut at another length, a word changed), recorded in ``OUT/.labels.jsonl``
  (hidden, so ``zeitung index OUT`` does not read it) for near-duplicate work;
- a vocabulary that keeps growing with N (Heaps' law): names of people and places,
  compounds and numbers are drawn from unbounded Zipf distributions, so new ones keep
  appearing the way they do in a real archive. The distinct-word count is printed at 10k,
  100k and 1M articles (those reached) and at N.

Output: ``part-00000.jsonl`` … of ``--per-file`` articles (default 10,000), or with
``--files`` one scraped-format ``.txt`` per article (URL, kicker and headline, date line,
byline, teaser, reading time, body, site boilerplate) in one folder per source, so the whole
reading path is measured. The same seed gives the same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._shared import DATA, derstandard  # noqa: E402

FIRST_YEAR = 2005
YEARS = 20
#: A year's weight grows by this factor per year: later years have more articles.
YEAR_GROWTH = 1.12
UNDATED_SHARE = 0.005
#: Agency stories per fresh article, and how many copies each gets (1 + geometric).
AGENCY_STORY_RATE = 0.0095
MEAN_EXTRA_COPIES = 1.5
#: Tail exponent of the unbounded name/compound/number draws, P(rank >= k) ~ k^-alpha:
#: among d draws about Gamma(1 - alpha) * d^alpha distinct ones.
ZIPF_ALPHA = 0.8
#: Share of recombined sentences in which one noun becomes a new compound (Gaspreis ->
#: Gaspreisbremse style): with the inserted sentences, ~8 fresh draws per article.
COMPOUND_SHARE = 0.5
CHECKPOINTS = (10_000, 100_000, 1_000_000)
MONTHS = (
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split()
)

#: The topics of the sentence pools: derStandard's labels, XQuAD (Wikipedia) and the pages.
#: Each source names a topic's section in its own way (words the scraped reader knows).
TOPIC_SECTIONS: dict[str, tuple[str, ...]] = {
    "Inland": ("politik", "inland", "regional"),
    "International": ("ausland", "politik"),
    "Wirtschaft": ("wirtschaft", "finanzen", "geld"),
    "Sport": ("sport",),
    "Kultur": ("kultur", "feuilleton"),
    "Web": ("digital", "netzwelt", "technik"),
    "Wissenschaft": ("wissenschaft", "wissen"),
    "Panorama": ("panorama", "vermischtes", "gesellschaft"),
    "Etat": ("medien",),
    "Wikipedia": ("wissen", "bildung"),
    "Seiten": ("leben", "ratgeber", "stil", "gesundheit"),
}

SOURCES = """rheinkurier.de elbe-echo.de mainpost-online.de donaubote.at weserblatt.de
alpenrundschau.at saale-zeitung.de nordseekurier.de isar-anzeiger.de spreebote.de
moselland-news.de harzer-tageblatt.de bodensee-nachrichten.de oderwelle.de taunusblick.de
neckar-echo.de ruhrstimme.de innviertler.at murtaler-post.at vorarlberg-heute.at
lausitzer-rundschau-online.de eifelzeitung.de schwarzwaldbote.de ostseewelle.de
pfalzecho.de allgaeuer-blatt.de frankenspiegel.de hessenkurier.de thueringer-bote.de
wiener-abendblatt.at""".split()

AGENCIES = ("dpa", "APA", "Reuters", "AFP", "KNA", "epd")

FIRST_NAMES = """Anna Lena Maria Sophie Laura Julia Sarah Lisa Katharina Johanna Clara Hannah
Miriam Eva Petra Sabine Monika Andrea Barbara Claudia Ulrike Birgit Ines Nina Ayşe Elif
Thomas Michael Andreas Stefan Christian Markus Martin Peter Wolfgang Klaus Jürgen Frank
Alexander Florian Tobias Jan Lukas Felix Jonas Paul David Simon Mehmet Kemal Dragan Jakob
Georg Herbert Franz Josef Karl Ernst Matthias Sebastian Philipp Moritz Niklas""".split()

#: Syllables of made-up surnames and place names (real-sounding, unbounded in number).
NAME_HEADS = """Brand Wald Stein Berg Kron Lind Hof Mühl Fels Rosen Eich Buch Hagen Dorn Falk
Grün Kalt Lang Roth Schwarz Weiß Winter Sommer Neu Alt Ober Unter Hoch Tief Kirch Bach
Haber Wimm Pichl Gruber Moos Reit Strass Zell""".split()
NAME_MIDS = ("",) + tuple(
    "in en el er berg bach feld hof mann au stett ing ling wies brunn hau".split()
)
NAME_TAILS = """er mann inger hofer huber maier egger bauer ner ler thaler berger
wieser auer eder""".split()
PLACE_TAILS = """dorf hausen heim kirchen bach feld stadt burg au brück reuth ingen
stetten weiler furt""".split()

ROLES = (
    "Sprecherin des Ministeriums",
    "Bürgermeister",
    "Vorstandschef",
    "Betriebsrätin",
    "Landesrat",
    "Gewerkschafter",
    "Ökonomin",
    "Klubobmann",
    "Trainer",
    "Intendantin",
    "Polizeisprecher",
    "Projektleiterin",
)

#: Inserted sentences that carry the ever-new names, compounds and numbers.
TEMPLATES = (
    "{person}, {role} in {place}, sagte am {weekday}, man prüfe die Lage genau.",
    "In {place} kamen nach Angaben der Veranstalter rund {number} Menschen zusammen.",
    "Der {compound} soll bis {year} um {percent} Prozent steigen, heißt es aus {place}.",
    "Das bestätigte {person} aus {place} auf Anfrage.",
    "Die Debatte um den {compound} beschäftigt nun auch den Gemeinderat von {place}.",
    "Laut {person} kostet das {compound}-Projekt {number} Euro.",
    "{person} ({age}) wechselt zur {place}er {compound}-Gesellschaft.",
    "Für den {compound} wurden im Vorjahr {number} Anträge gestellt.",
)
WEEKDAYS = "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split()

#: Word swaps of agency copies edited by a desk.
SWAPS = (
    ("sagte", "erklärte"),
    ("teilte", "gab"),
    ("rund", "etwa"),
    ("jedoch", "allerdings"),
    ("Montag", "Wochenbeginn"),
    ("mehr als", "über"),
    ("bisher", "bislang"),
)

BOILERPLATE = (
    "Weitere Themen",
    "Topmeldungen",
    "Newsletter: Die wichtigsten Nachrichten des Tages jeden Morgen in Ihrem Postfach",
    "Mehr zum Thema",
    "© {source} Alle Rechte vorbehalten",
)

SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])")
WORD = re.compile(r"\w+")
NOUN = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]{3,9}$")
CAPITAL = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]{3,14}\b")


# -- the sentence pools ---------------------------------------------------------------------


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, without the very short or very long ones."""
    text = " ".join(text.split())
    return [s for s in SENTENCE_SPLIT.split(text) if 30 <= len(s) <= 400 and s[-1] in ".!?"]


def page_bodies(data: Path) -> list[str]:
    """The extracted bodies of the real pages, through Zeitung's own HTML reader.

    Extraction takes ~25 s, so the bodies are cached under ``~/.cache/zeitung``, keyed by the
    pages' names and sizes.
    """
    root = data / "pages"
    if not root.is_dir():
        return []
    files = sorted(p for p in root.iterdir() if p.is_file())
    key = hashlib.sha1(
        "\n".join(f"{p.name}:{p.stat().st_size}" for p in files).encode()
    ).hexdigest()[:16]
    cache = Path.home() / ".cache" / "zeitung" / f"make_corpus-pages-{key}.json"
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    from search.readers import iter_articles

    bodies = []
    for path in files:
        try:
            bodies.extend(a.text for a in iter_articles(path, root) if a.text)
        except Exception:  # a page the reader rejects is simply not used
            continue
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(bodies, ensure_ascii=False), encoding="utf-8")
    return bodies


@dataclass(slots=True)
class Pools:
    """Sentences by topic, short sentences for headlines, and nouns for compounds."""

    sentences: dict[str, list[str]] = field(default_factory=dict)
    headlines: dict[str, list[str]] = field(default_factory=dict)
    nouns: list[str] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        return list(self.sentences)


def load_pools(data: Path = DATA) -> Pools:
    pools = Pools()
    for label, text in derstandard(data):
        pools.sentences.setdefault(label, []).extend(split_sentences(text))
    xquad = data / "xquad-de" / "xquad.de.json"
    if xquad.exists():
        doc = json.loads(xquad.read_text(encoding="utf-8"))
        pools.sentences["Wikipedia"] = [
            s
            for art in doc["data"]
            for p in art["paragraphs"]
            for s in split_sentences(p["context"])
        ]
    bodies = page_bodies(data)
    if bodies:
        pools.sentences["Seiten"] = [s for b in bodies for s in split_sentences(b)]
    nouns: Counter[str] = Counter()
    for topic, sentences in pools.sentences.items():
        pools.headlines[topic] = [s[:-1] for s in sentences if 4 <= s.count(" ") <= 10]
        for s in sentences:
            nouns.update(w for w in s.split()[1:] if NOUN.match(w))
    # Commonest first: the commonest first parts of new compounds are common nouns.
    pools.nouns = sorted(nouns, key=lambda w: (-nouns[w], w))
    return pools


# -- unbounded vocabulary -------------------------------------------------------------------


def zipf_rank(rng: random.Random, alpha: float = ZIPF_ALPHA) -> int:
    """A rank from an unbounded Zipf-like law, P(rank >= k) ~ k^-alpha (1 is the commonest)."""
    u = rng.random() or 1e-12
    return min(int(u ** (-1.0 / alpha)), 10**12)


def _digits(rank: int, bases: tuple[int, ...]) -> list[int]:
    out = []
    for b in bases:
        out.append(rank % b)
        rank //= b
    out.append(rank)
    return out


def surname(rank: int) -> str:
    h, m, t, more = _digits(rank, (len(NAME_HEADS), len(NAME_MIDS), len(NAME_TAILS)))
    name = NAME_HEADS[h] + NAME_MIDS[m] + NAME_TAILS[t]
    while more:  # past the three-syllable names: double names
        more, extra = divmod(more - 1, len(NAME_HEADS))
        name = NAME_HEADS[extra] + "-" + name
    return name


def place(rank: int) -> str:
    h, m, t, more = _digits(rank * 7 + 3, (len(NAME_HEADS), len(NAME_MIDS), len(PLACE_TAILS)))
    name = NAME_HEADS[h] + NAME_MIDS[m] + PLACE_TAILS[t]
    if more:
        name = ("Ober", "Unter", "Groß", "Klein", "Bad", "Neu")[more % 6] + name.lower()
        if more >= 6:
            name += f" am {NAME_HEADS[(more // 6) % len(NAME_HEADS)]}bach"
    return name


def compound(nouns: list[str], rank: int) -> str:
    """A two- or three-part compound of real nouns; the rank picks which."""
    n = len(nouns)
    a, b, more = _digits(rank * 2654435761 % (n * n * 50), (n, n))
    word = nouns[a] + nouns[b].lower()
    if more and rank > n:
        word += nouns[(more * 40503) % n].lower()
    return word


@dataclass(slots=True)
class Vocab:
    nouns: list[str]

    def fill(self, rng: random.Random, template: str) -> str:
        return template.format(
            person=f"{rng.choice(FIRST_NAMES)} {surname(zipf_rank(rng))}",
            role=rng.choice(ROLES),
            place=place(zipf_rank(rng)),
            compound=compound(self.nouns, zipf_rank(rng)),
            weekday=rng.choice(WEEKDAYS),
            number=f"{zipf_rank(rng, 0.5) * rng.choice((1, 10, 100, 1000)):,}".replace(",", "."),
            percent=f"{rng.randint(1, 40)},{rng.randint(0, 9)}",
            year=rng.randint(FIRST_YEAR, FIRST_YEAR + YEARS + 5),
            age=rng.randint(19, 88),
        )

    def recompound(self, rng: random.Random, sentence: str) -> str:
        """One noun of the sentence (not its first word) with a new first part."""
        nouns = [m for m in CAPITAL.finditer(sentence) if m.start() > 0]
        if not nouns:
            return sentence
        m = rng.choice(nouns)
        rank = zipf_rank(rng)
        n = len(self.nouns)
        head = self.nouns[rank % n] if rank < n else compound(self.nouns, rank)
        return sentence[: m.start()] + head + m[0].lower() + sentence[m.end() :]


def _renumber(rng: random.Random, sentence: str) -> str:
    """New numbers of the same length (Heaps' law counts numbers too); years stay years."""

    def new(m: re.Match[str]) -> str:
        if re.fullmatch(r"(?:19|20)\d\d", m[0]):
            return str(rng.randint(1990, FIRST_YEAR + YEARS))
        return str(rng.randint(10 ** (len(m[0]) - 1), 10 ** len(m[0]) - 1))

    return re.sub(r"\d{2,}", new, sentence)


# -- articles -------------------------------------------------------------------------------


@dataclass(slots=True)
class Source:
    host: str
    sections: dict[str, str]
    authors: list[str]
    author_share: float
    kicker_share: float

    @property
    def stem(self) -> str:
        return self.host.split(".")[0]


def make_sources(rng: random.Random) -> list[Source]:
    sources = []
    for host in SOURCES:
        sections = {topic: rng.choice(names) for topic, names in TOPIC_SECTIONS.items()}
        authors = sorted(
            {f"{rng.choice(FIRST_NAMES)} {surname(rng.randint(0, 20_000))}" for _ in range(25)}
        )
        sources.append(
            Source(host, sections, authors, rng.uniform(0.3, 0.8), rng.uniform(0.1, 0.6))
        )
    return sources


@dataclass(slots=True)
class Story:
    """What an article is made of, before a source prints it."""

    topic: str
    title: str
    kicker: str | None
    paragraphs: list[list[str]]
    date: dt.date | None


@dataclass(slots=True)
class Record:
    id: str
    title: str
    text: str
    date: dt.date | None
    url: str
    source: str
    author: str | None
    section: str

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
            "author": self.author,
            "section": self.section.capitalize(),
        }


@dataclass(slots=True)
class Copy:
    """An agency copy waiting for its turn: which label, the edited story, where it runs."""

    label: int
    story: Story
    agency: str
    source: Source
    edits: list[str]


class Generator:
    """Articles one at a time; the same seed, the same sequence."""

    def __init__(self, pools: Pools, seed: int, *, files: bool = False) -> None:
        self.rng = random.Random(seed)
        #: Ids as Zeitung will give them: a record's own, or a file's path.
        self.files = files
        self.pools = pools
        self.vocab = Vocab(pools.nouns)
        self.sources = make_sources(self.rng)
        self.topics = pools.topics
        self.topic_weights = [math.sqrt(len(pools.sentences[t])) for t in self.topics]
        self.year_weights = [YEAR_GROWTH**i for i in range(YEARS)]
        #: index -> agency copies due there; the labels of the stories made so far.
        self.due: dict[int, list[Copy]] = {}
        self.queue: list[Copy] = []
        self.labels: list[dict] = []

    def date(self) -> dt.date | None:
        rng = self.rng
        if rng.random() < UNDATED_SHARE:
            return None
        year = FIRST_YEAR + rng.choices(range(YEARS), self.year_weights)[0]
        start = dt.date(year, 1, 1)
        return start + dt.timedelta(days=rng.randrange((dt.date(year + 1, 1, 1) - start).days))

    def story(self) -> Story:
        rng = self.rng
        topic = rng.choices(self.topics, self.topic_weights)[0]
        pool = self.pools.sentences[topic]
        n = max(3, min(60, int(rng.lognormvariate(2.4, 0.5))))
        sentences = [_renumber(rng, rng.choice(pool)) for _ in range(n)]
        sentences = [
            self.vocab.recompound(rng, s) if rng.random() < COMPOUND_SHARE else s for s in sentences
        ]
        for _ in range(rng.choice((1, 1, 2, 3))):
            sentences.insert(
                rng.randrange(1, len(sentences) + 1), self.vocab.fill(rng, rng.choice(TEMPLATES))
            )
        paragraphs, i = [], 0
        while i < len(sentences):
            k = 1 if i == 0 else rng.randint(2, 4)  # the first paragraph is the teaser
            paragraphs.append(sentences[i : i + k])
            i += k
        headline = rng.choice(self.pools.headlines[topic] or [sentences[0][:-1]])
        kicker = None
        nouns = [w for w in headline.split()[1:] if NOUN.match(w)]
        if nouns and rng.random() < 0.5:
            kicker = rng.choice(nouns)
        return Story(topic, headline, kicker, paragraphs, self.date())

    def record(self, i: int, story: Story, source: Source, author: str | None) -> Record:
        section = source.sections[story.topic]
        title = story.title
        if story.kicker and self.rng.random() < source.kicker_share:
            title = f"{story.kicker} : {title}"
        slug = "-".join(_ascii(title).lower().split()[:6]) or "artikel"
        slug = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "", slug)).strip("-") or "artikel"
        return Record(
            id=f"{source.host}/{i:07d}.txt" if self.files else f"{source.stem}-{i:07d}",
            title=title,
            text="\n\n".join(" ".join(p) for p in story.paragraphs),
            date=story.date,
            url=f"https://www.{source.host}/{section}/{slug}-{i}.html",
            source=source.host,
            author=author,
            section=section,
        )

    def article(self, i: int) -> Record:
        rng = self.rng
        self.queue.extend(self.due.pop(i, []))
        if self.queue:
            copy = self.queue.pop(0)
            author = copy.agency if rng.random() < 0.5 else None
            record = self.record(i, copy.story, copy.source, author)
            label = self.labels[copy.label]
            label["articles"].append(record.id)
            label["edits"][record.id] = copy.edits
            return record
        story = self.story()
        source = rng.choice(self.sources)
        author = rng.choice(source.authors) if rng.random() < source.author_share else None
        if rng.random() >= AGENCY_STORY_RATE:
            return self.record(i, story, source, author)
        agency = rng.choice(AGENCIES)
        story.paragraphs[0][0] = f"{_city(rng)} ({agency}) – {story.paragraphs[0][0]}"
        record = self.record(i, story, source, agency)
        label = len(self.labels)
        self.labels.append(
            {"story": f"story-{label:06d}", "agency": agency, "articles": [record.id], "edits": {}}
        )
        copies = 1 + min(int(rng.expovariate(1 / MEAN_EXTRA_COPIES)), 8)
        for other in rng.sample([s for s in self.sources if s is not source], copies):
            story_copy, edits = self.edit(story)
            due = self.due.setdefault(i + rng.randint(1, 300), [])
            due.append(Copy(label, story_copy, agency, other, edits))
        return record

    def edit(self, story: Story) -> tuple[Story, list[str]]:
        """An agency copy as another desk prints it: small edits, each recorded."""
        rng = self.rng
        paragraphs = [list(p) for p in story.paragraphs]
        title, kicker, edits = story.title, story.kicker, []
        if rng.random() < 0.5:
            title = rng.choice(self.pools.headlines[story.topic] or [title])
            kicker = None
            edits.append("headline")
        if rng.random() < 0.4 and len(paragraphs) > 3:
            keep = max(3, round(len(paragraphs) * rng.uniform(0.6, 0.9)))
            paragraphs = paragraphs[:keep]
            edits.append("cut")
        if rng.random() < 0.4:
            local = [self.vocab.fill(rng, rng.choice(TEMPLATES)) for _ in range(rng.randint(1, 2))]
            paragraphs.insert(rng.randint(1, len(paragraphs)), local)
            edits.append("local paragraph")
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                p = rng.randrange(len(paragraphs))
                s = rng.randrange(len(paragraphs[p]))
                old, new = rng.choice(SWAPS)
                if old in paragraphs[p][s]:
                    paragraphs[p][s] = paragraphs[p][s].replace(old, new, 1)
                    edits.append(f"{old}->{new}")
        if not edits or edits == ["headline"]:  # never the very same text: that is no near-copy
            local = [self.vocab.fill(rng, rng.choice(TEMPLATES))]
            paragraphs.insert(rng.randint(1, len(paragraphs)), local)
            edits.append("local paragraph")
        date = story.date
        if date is not None and rng.random() < 0.3:
            date = min(date + dt.timedelta(days=1), dt.date(FIRST_YEAR + YEARS - 1, 12, 31))
            edits.append("next day")
        return Story(story.topic, title, kicker, paragraphs, date), edits


def _city(rng: random.Random) -> str:
    return rng.choice(("Wien", "Berlin", "Hamburg", "München", "Brüssel", "Graz", "Frankfurt"))


def _ascii(text: str) -> str:
    text = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# -- output ---------------------------------------------------------------------------------


def scraped_text(record: Record, rng: random.Random) -> str:
    """The article as a scraper saves it: what ``zeitung``'s ``.txt`` reader expects."""
    lines = [record.url, "", record.title]
    if record.date is None:
        lines.append("  • Aktualisiert am")
    elif rng.random() < 0.5:
        d = record.date
        lines.append(f"  • Veröffentlicht am {d.day}. {MONTHS[d.month - 1]} {d.year}")
    else:
        lines.append(
            f"  • Aktualisiert am {record.date:%d.%m.%Y}-"
            f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}"
        )
    if record.author:
        lines.append(f"Von {record.author}")
    paragraphs = record.text.split("\n\n")
    lines.append(paragraphs[0])
    lines.append(f"          {max(1, len(record.text) // 1200)} Min.")
    lines.extend("          " + p for p in paragraphs[1:])
    lines.extend("          " + b.format(source=record.source) for b in BOILERPLATE)
    return "\n".join(lines) + "\n"


class Heaps:
    """Distinct words (case-folded ``\\w+`` tokens) as the corpus grows."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.rows: list[tuple[int, int]] = []

    def add(self, record: Record) -> None:
        self.words.update(WORD.findall(f"{record.title} {record.text}".casefold()))

    def mark(self, n: int) -> None:
        self.rows.append((n, len(self.words)))
        prev = self.rows[-2] if len(self.rows) > 1 else None
        slope = ""
        if prev and prev[0] < n and prev[1] < len(self.words):
            beta = math.log(len(self.words) / prev[1]) / math.log(n / prev[0])
            slope = f"  (Heaps exponent since {prev[0]:,}: {beta:.2f})"
        print(f"{n:>10,} articles: {len(self.words):>10,} distinct words{slope}", file=sys.stderr)


def write_corpus(
    n: int,
    out: Path,
    *,
    seed: int = 1,
    files: bool = False,
    per_file: int = 10_000,
    data: Path = DATA,
) -> Heaps:
    """Write ``n`` articles to ``out``; returns the vocabulary growth."""
    pools = load_pools(data)
    gen = Generator(pools, seed, files=files)
    out.mkdir(parents=True, exist_ok=True)
    heaps = Heaps()
    fmt_rng = random.Random(seed + 1)
    marks = [c for c in CHECKPOINTS if c < n] + [n]
    fh = None
    try:
        for i in range(n):
            record = gen.article(i)
            heaps.add(record)
            if files:
                path = out / record.id
                path.parent.mkdir(exist_ok=True)
                path.write_text(scraped_text(record, fmt_rng), encoding="utf-8")
            else:
                if i % per_file == 0:
                    if fh is not None:
                        fh.close()
                    fh = (out / f"part-{i // per_file:05d}.jsonl").open("w", encoding="utf-8")
                fh.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
            if i + 1 in marks:
                heaps.mark(i + 1)
    finally:
        if fh is not None:
            fh.close()
    # A story whose copies would all come after the last article is no story.
    labels = [lab for lab in gen.labels if len(lab["articles"]) > 1]
    with (out / ".labels.jsonl").open("w", encoding="utf-8") as fh2:
        for lab in labels:
            fh2.write(json.dumps(lab, ensure_ascii=False) + "\n")
    return heaps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "args", nargs="+", metavar="[N] OUT", help="articles (default 100,000), output directory"
    )
    parser.add_argument("--files", action="store_true", help="one scraped .txt per article")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=10_000, help="articles per .jsonl")
    args = parser.parse_args(argv)
    if len(args.args) > 2 or (len(args.args) == 2 and not args.args[0].isdigit()):
        parser.error("give N (a number of articles) and OUT, or OUT alone")
    args.n = int(args.args[0]) if len(args.args) == 2 else 100_000
    args.out = Path(args.args[-1])
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    started = time.perf_counter()
    write_corpus(args.n, args.out, seed=args.seed, files=args.files, per_file=args.per_file)
    copies = sum(
        len(json.loads(line)["articles"]) - 1
        for line in (args.out / ".labels.jsonl").open(encoding="utf-8")
    )
    print(
        f"{args.n:,} articles in {args.out} in {time.perf_counter() - started:.1f} s; "
        f"{copies:,} agency copies ({copies / args.n:.1%}), labels in {args.out / '.labels.jsonl'}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
