"""A small index for the web tests, written through the backend's public transaction API.

Entities are given, not extracted, so the pages' expectations do not move when the extractor
improves. It holds the XSS release and enough documents for paging and "more" facets.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from search.backends import open_backend
from search.ingest.article import Article

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
XSS_TITLE = f"Harbour {XSS_SCRIPT} notice {XSS_IMG}"
XSS_ID = "evil/xss-1"
XSS_OFFICIAL = f"Eve {XSS_IMG}"
XSS_REGION = "<b>Evil Region</b>"
XSS_SOURCE = f"Evil {XSS_SCRIPT} Corp"
XSS_OFFICE = f"{XSS_SCRIPT} Minister"  # the title a hostile release gives its official

# An official as a name alone (titled "Governor", no place) or as (name, title, region).
Official = str | tuple[str, str | None, str | None]

# Twelve small regions, so that the region facet has more values than are shown at first.
EXTRA_REGIONS = [f"Testshire {n:02d}" for n in range(1, 13)]


def _article(
    id: str,
    title: str,
    body: str,
    date: str | None,
    regions: list[str],
    officials: list[Official],
    source: str | None,
    url: str | None = None,
    captions: list[str] | None = None,
) -> Article:
    return Article(
        id=id,
        path=id.split("/")[0] + ".jsonl",
        title=title,
        body=body,
        lead=body.split("\n\n")[0],
        date=date,
        source=source,
        url=url,
        captions=captions or [],
        regions=[{"name": r, "code": None, "country": None, "kind": "province"} for r in regions],
        officials=[_official(o) for o in officials],
        years=[int(date[:4])] if date else [],
    )


def _official(official: Official) -> dict[str, str | None]:
    name, title, region = (official, "Governor", None) if isinstance(official, str) else official
    return {"name": name, "title": title, "region": region}


def articles() -> list[Article]:
    """The test releases: harbour news in several regions and years, plus the XSS release."""
    out = [
        _article("kr/mokpo-1", "Mokpo harbour opens ferry terminal",
                 "The new ferry terminal in Mokpo harbour opened on Monday.\n\n"
                 "Governor Kim Young-rok cut the ribbon.", "2021-03-04",
                 ["South Jeolla Province", "Mokpo"],
                 # Named twice with one office: still one release for it.
                 [("Kim Young-rok", "Governor", "South Jeolla Province"),
                  ("Kim Young-rok", "Governor", "South Jeolla Province")],
                 "Jeollanam-do Provincial Government", "https://example.org/mokpo-1",
                 ["The ferry terminal at dawn."]),
        _article("kr/wind-1", "Offshore wind farm near Sinan",
                 "An offshore wind farm opened near Sinan. Governor Kim Young-rok spoke about "
                 "harbour upgrades.", "2022-06-10", ["South Jeolla Province"],
                 [("Kim Young-rok", "Governor", "South Jeolla Province")],
                 "Jeollanam-do Provincial Government"),
        _article("cn/port-1", "Shanghai harbour expansion announced",
                 "The Shanghai port authority announced a harbour expansion. Mayor Li Wen "
                 "welcomed it.", "2022-05-01", ["Shanghai"], ["Li Wen"], "Shanghai Port Authority",
                 "javascript:alert(1)"),
        _article("us/water-1", "Governor signs water bill",
                 "Governor Gavin Newsom signed a harbour water bill for California.",
                 "2021-09-15", ["California"], ["Gavin Newsom"], "Office of the Governor"),
        _article("us/trade-1", "Trade mission to Shanghai and Mokpo",
                 "A trade mission from California visited the Shanghai harbour and Mokpo.",
                 "2020-11-20", ["Shanghai", "South Jeolla Province", "California"],
                 ["Gavin Newsom", "Kim Young-rok"], "Office of the Governor"),
        _article("us/undated-1", "Harbour rates stay flat",
                 "The harbour board kept rates flat.", None, ["California"], [], "Harbour Board"),
        _article(XSS_ID, XSS_TITLE,
                 f"The harbour body says {XSS_SCRIPT} and {XSS_IMG} & more <b>bold</b>.",
                 "2019-01-01", [XSS_REGION, "California"],
                 [(XSS_OFFICIAL, XSS_OFFICE, XSS_REGION)], XSS_SOURCE,
                 f'https://example.org/x?a="{XSS_IMG}', [XSS_SCRIPT]),
    ]  # fmt: skip
    for n, region in enumerate(EXTRA_REGIONS, start=1):
        out.append(
            _article(
                f"test/harbour-{n:02d}",
                f"Harbour bulletin {n:02d} for {region}",
                f"Harbour bulletin number {n} about the quay in {region}.",
                f"20{10 + n % 8:02d}-0{1 + n % 9}-1{n % 10}",
                [region],
                ["Pat Harbourmaster"],
                "Testshire Ports",
            )
        )
    return out


# Hostile text as an index built before ingest cleaned it (or by another tool) may hold it.
SURROGATE = "\ud800"  # a lone surrogate: not encodable as UTF-8
CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n") + "\x7f\x85"
RTL = "\u202e"  # right-to-left override
NONCHARS = "\ufffe\uffff\ufdd0"
HOSTILE_IDS = ["hostile/../../etc/passwd", "hostile/?#%&=+;", "javascript:alert(1)",
               f"hostile/{XSS_SCRIPT}", "hostile/ctl\x01\x1b[31m", "hostile/]]>"]  # fmt: skip
# Whoosh stores these fields as they are; the indexed ones (id, regions, officials, source,
# date) are written as UTF-8 terms, so they can hold controls but no lone surrogate.
_STORED_ONLY = ("title", "body", "lead", "url", "editor", "language")


def hostile_articles() -> list[Article]:
    """Releases with script tags, ``]]>``, controls, RTL overrides (and surrogates where storable).

    Every one matches the query ``hostile``; each carries every kind of hostile text.
    """
    nasty = f"{XSS_SCRIPT}{XSS_IMG} ]]> <![CDATA[ x {RTL}evil{CONTROLS}{NONCHARS}"
    out = []
    for n, doc_id in enumerate(HOSTILE_IDS):
        article = _article(
            doc_id,
            f"Hostile {n} {nasty}",
            f"Hostile body {n} harbour {nasty}\n\nSecond {XSS_SCRIPT} paragraph {SURROGATE}.",
            f"2018-0{1 + n}-0{1 + n}",
            [f"Hostile Region {n} {XSS_SCRIPT}{CONTROLS}{RTL}]]>", "California"],
            [f"Hostile Official {n} {XSS_IMG}\x00\x1b]]>"],
            f"Hostile Source {XSS_SCRIPT}\x01]]>",
            url=["javascript:alert(1)", f"https://example.org/{SURROGATE}{XSS_IMG}"][n % 2],
            captions=[f"Caption {nasty}{SURROGATE}"],
        )
        for name in _STORED_ONLY:
            value = getattr(article, name)
            if isinstance(value, str):
                setattr(article, name, value + SURROGATE)
        article.editor = f"Editor {nasty}{SURROGATE}"
        out.append(article)
    return out


def build_index(root: Path, extra: list[Article] | None = None) -> Path:
    """Write ``articles()`` (and ``extra``) into a new index at ``root``; return ``root``.

    The documents go straight through a backend transaction, not through ingest, so
    ``extra`` may hold text that ingest would have cleaned (an index from an older version).
    """
    backend = open_backend(root)
    prepare = backend.preparer()
    txn = backend.begin(full=True)
    for article in articles() + (extra or []):
        txn.add(prepare(article))
    txn.commit({"version": 1, "files": {}})
    return root


class ElementCollector(HTMLParser):
    """Every element start tag and attribute of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(body: str) -> ElementCollector:
    """Tokenize ``body``; ``.tags`` and ``.text`` of what a browser would build."""
    collector = ElementCollector()
    collector.feed(body)
    collector.close()
    return collector
