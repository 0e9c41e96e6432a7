"""Main text and metadata of a news page.

News pages wrap a few paragraphs of reporting in menus, share bars, related
article lists, comments and footers. The main text comes from trafilatura when
it is installed (``pip install 'ahdath[html]'``): on the team's benchmark pages
(``benchmarks/html_extraction.py``) it keeps far less furniture than the
stdlib reader here, which stays the fallback (trafilatura absent, failing or
finding nothing). That reader drops furniture elements by tag and by class/id
words, prefers the ``<article>``/``<main>`` element when there is one, and drops
link-only blocks (lists of other headlines). Metadata (title, date, url, site)
always comes from the stdlib parse. Broken markup never raises, it only yields
less text.
"""
from __future__ import annotations

import json
import logging
import re
from datetime import date
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, Callable

ENGINES = ("auto", "trafilatura", "own")
_MIN_MAIN = 200  # characters of main text under which trafilatura's answer is not trusted

# Elements whose content is never reporting.
_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "nav", "aside", "form", "iframe", "button",
    "select", "textarea", "figure", "video", "audio", "canvas", "object", "dialog", "menu",
})
# header/footer inside an <article> often carry the headline; outside it they are site chrome.
_CHROME_TAGS = frozenset({"header", "footer"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr", "keygen"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
                    "ol", "tr", "td", "th", "table", "blockquote", "pre", "dd", "dt", "dl", "br", "hr",
                    "header", "footer", "body", "address"})
# class/id words of page furniture (CMS themes use English identifiers).
_FURNITURE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|share|sharing|social|related|sidebar|widget|comments?|"
    r"footer|header|masthead|advert|ads?|banner|newsletter|subscribe|tags?|cookie|popup|modal|"
    r"most-read|trending|pagination|pager|author-box|read-more|more-news)(?:$|[\s_-])",
    re.IGNORECASE)
_WS = re.compile(r"\s+")
_TITLE_SEP = re.compile(r"\s[|\u2013\u2014-]\s")
_DATE = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
# Where a page states its publication date, most reliable first: JSON-LD (``datePublished`` of the
# article), then these <meta> names, then the first <time datetime> of the main text.
_PUBLISHED_KEYS = ("article:published_time", "og:article:published_time", "og:published_time", "datepublished",
                   "pubdate", "publishdate", "publish-date", "publish_date", "parsely-pub-date", "date",
                   "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created", "dcterms.issued",
                   "sailthru.date")
_ARTICLE_TYPES = frozenset({"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                            "backgroundnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "liveblogposting"})
_MAX_LD = 1_000_000  # characters of one JSON-LD block worth parsing
_MAX_LD_NODES = 10_000  # JSON-LD objects looked at per page


class _Extractor(HTMLParser):
    def __init__(self, use_attrs: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.use_attrs = use_attrs
        self.skip: list[str] = []  # open elements inside a skipped region
        self.stack_article = 0
        self.in_title = False
        self.in_h1 = False
        self.in_link = 0
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.time_datetime: str | None = None
        self.ld_json: list[str] = []  # JSON-LD blocks, as written
        self._in_ld = False
        # blocks: (text, link_chars, inside_article)
        self.blocks: list[tuple[str, int, bool]] = []
        self._parts: list[str] = []
        self._link_chars = 0

    def _flush(self) -> None:
        if self._parts:
            text = _WS.sub(" ", "".join(self._parts)).strip()
            if text:
                self.blocks.append((text, self._link_chars, self.stack_article > 0))
        self._parts = []
        self._link_chars = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
            if "charset" in a:
                self.meta.setdefault("charset", a["charset"])
            return
        if tag == "link":
            if "canonical" in a.get("rel", "").lower().split() and a.get("href"):
                self.canonical = self.canonical or a["href"]
            return
        if tag == "script" and "ld+json" in a.get("type", "").lower():
            self._in_ld = True
            self.ld_json.append("")
        if self.skip:
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if tag == "time" and a.get("datetime") and self.time_datetime is None:
            self.time_datetime = a["datetime"]
        furniture = self.use_attrs and _FURNITURE_ATTR.search(
            f"{a.get('class', '')} {a.get('id', '')} {a.get('role', '')}")
        if tag in _SKIP_TAGS or (tag in _CHROME_TAGS and not self.stack_article) or (
                furniture and tag not in ("body", "html", "article", "main")):
            if tag not in _VOID:
                self._flush()
                self.skip.append(tag)
            return
        if tag in _BLOCK:
            self._flush()
        if tag in ("article", "main"):
            self.stack_article += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.in_h1 = True
        elif tag == "a":
            self.in_link += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False
        if self.skip:
            if tag in self.skip:  # close unclosed children too
                while self.skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK:
            self._flush()
        if tag in ("article", "main") and self.stack_article:
            self.stack_article -= 1
        elif tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.in_h1 = False
        elif tag == "a" and self.in_link:
            self.in_link -= 1

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            if len(self.ld_json[-1]) + len(data) <= _MAX_LD:
                self.ld_json[-1] += data
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip:
            return
        if self.in_h1:
            self.h1_parts.append(data)
        self._parts.append(data)
        if self.in_link:
            self._link_chars += len(data.strip())


def _is_link_list(text: str, link_chars: int) -> bool:
    """A block that is (nearly) all link text: a headline list, a tag cloud, a menu."""
    return link_chars >= 0.8 * len(text.replace(" ", "")) and len(text) < 300


def parse_published(value: str | None) -> date | None:
    """A date from an ISO-like string (``2016-05-14``, ``2016-05-14T10:00:00+03:00``, ``2016/05/14``)."""
    if not value:
        return None
    m = _DATE.search(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return None


def ld_published(blocks: list[str]) -> date | None:
    """``datePublished`` from JSON-LD blocks: an article's first, else any object's.

    Broken, huge or absurdly nested JSON is ignored (the page is read without it).
    """
    other: date | None = None
    seen = 0
    for block in blocks:
        try:
            stack: list[Any] = [json.loads(block)]
        except (ValueError, RecursionError):
            continue
        while stack and seen < _MAX_LD_NODES:
            node = stack.pop()
            seen += 1
            if isinstance(node, list):
                stack.extend(reversed(node))
                continue
            if not isinstance(node, dict):
                continue
            found = node.get("datePublished")
            d = parse_published(found) if isinstance(found, str) else None
            if d is not None:
                kinds = node.get("@type")
                kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
                if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                    return d
                other = other or d
            stack.extend(v for v in reversed(list(node.values())) if isinstance(v, (dict, list)))
    return other


def _parse(html: str, *, use_attrs: bool) -> _Extractor:
    p = _Extractor(use_attrs)
    try:
        p.feed(html)
        p.close()
    except (AssertionError, ValueError):  # very broken markup: keep what was parsed
        pass
    p._flush()
    return p


def _main_lines(p: _Extractor) -> list[str]:
    in_article = [b for b in p.blocks if b[2]]
    blocks = in_article if any(len(b[0]) > 80 for b in in_article) else p.blocks
    return [text for text, links, _ in blocks if not _is_link_list(text, links)]


@lru_cache(maxsize=1)
def _trafilatura() -> Callable[[str], str | None] | None:
    """trafilatura's ``extract`` set up for news text, or None when it is not installed."""
    try:
        import trafilatura
    except ImportError:  # also lxml without lxml_html_clean: the extra installs both
        return None
    # a library must not print: without this, trafilatura's warnings reach stderr through logging's last resort
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())

    def extract(html: str) -> str | None:
        return trafilatura.extract(html, include_comments=False, include_tables=False, include_images=False,
                                   deduplicate=False)

    return extract


def trafilatura_available() -> bool:
    """True when the ``html`` extra (trafilatura) is installed."""
    return _trafilatura() is not None


def _trafilatura_lines(html: str) -> list[str] | None:
    extract = _trafilatura()
    if extract is None:
        return None
    try:
        text = extract(html)
    except Exception:  # noqa: BLE001 - markup lxml cannot take must not end a batch: the stdlib reader reads it
        return None
    if not text:
        return None
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    return lines if sum(map(len, lines)) >= _MIN_MAIN else None


def html_to_text(html: str, *, engine: str = "auto") -> tuple[str, dict[str, Any]]:
    """Main text of a page (title first, one paragraph a line) and its metadata.

    ``engine``: ``auto`` (trafilatura when installed, else the stdlib reader), ``trafilatura`` (the
    same, by name) or ``own`` (the stdlib reader alone). Metadata keys: ``title``, ``published`` (a
    ``date`` or None), ``url``, ``site``, ``charset``.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown HTML engine {engine!r} (choose from {', '.join(ENGINES)})")
    p = _parse(html, use_attrs=True)
    lines = _main_lines(p)
    if sum(map(len, lines)) < 200:
        # a theme whose wrapper classes look like furniture ("with-sidebar"): retry on tags alone
        q = _parse(html, use_attrs=False)
        other = _main_lines(q)
        if sum(map(len, other)) > sum(map(len, lines)):
            p, lines = q, other

    meta = p.meta
    main = _trafilatura_lines(html) if engine != "own" else None
    if main is not None:
        lines = main
    h1 = _WS.sub(" ", "".join(p.h1_parts)).strip()
    page_title = _WS.sub(" ", "".join(p.title_parts)).strip()
    if page_title:  # "headline | site name": the longest part is the headline
        page_title = max(_TITLE_SEP.split(page_title), key=len).strip()
    title = (meta.get("og:title") or h1 or page_title).strip() or None
    if title and not any(title in line for line in lines[:3]):
        lines.insert(0, title)
    published = (ld_published(p.ld_json)
                 or next((d for d in (parse_published(meta.get(k)) for k in _PUBLISHED_KEYS) if d), None)
                 or parse_published(p.time_datetime))
    info: dict[str, Any] = {
        "title": title,
        "published": published,
        "url": p.canonical or meta.get("og:url") or None,
        "site": meta.get("og:site_name") or None,
        "charset": meta.get("charset") or None,
    }
    return "\n".join(lines), info


_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


def declared_charset(head: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares in its first bytes, if any."""
    m = _CHARSET.search(head[:4096])
    return m.group(1).decode("ascii") if m else None
