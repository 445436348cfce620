"""Crawl: an office's own website fetched into the corpus folder, politely and incrementally.

``crawl(settings, urls)`` visits the given pages, the same-site links on them, the site's sitemap
(robots.txt's ``Sitemap:`` lines, else ``/sitemap.xml``) and the pages an earlier crawl saved, up to
a number of pages per site. It obeys robots.txt (protego), fetches only http(s), follows redirects
itself and refuses one that leaves the site, waits ``crawl_delay`` seconds between requests (longer
if robots.txt asks), gives up on an answer after ``crawl_timeout`` seconds without bytes or over
``max_file_bytes``, and skips a binary served as HTML.

A page is kept as a file under ``corpus/web/<host>/`` (pages.py), HTML as served (parse.py drops
its navigation, header and footer when it is read), PDF and DOCX as their bytes. The next crawl
asks with If-None-Match / If-Modified-Since, rewrites a page only when its text changed, and
removes a page only when the site answers 404 or 410 for it; a site that cannot be reached
changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from advisor.config import Settings
from advisor.errors import InputError
from advisor.ingest.pages import Page, page_file, read_manifest, site_folder, write_manifest
from advisor.ingest.parse import parse_html
from advisor.ingest.responses import declared_length, html_text, kind_of, parse_sitemap

log = logging.getLogger(__name__)

USER_AGENT = "advisor-crawler/0.1 (the program office's career advisor)"
MAX_REDIRECTS = 5
MAX_SITEMAPS = 20
COUNTS = ("pages", "fetched", "unchanged", "updated", "removed", "skipped", "errors")


@dataclass(frozen=True)
class CrawlReport:
    """What a crawl did, counted in pages (the ``advisor crawl --json`` keys are the int fields)."""

    pages: int = 0  # pages the crawled sites' folders hold after the crawl
    fetched: int = 0  # pages the sites sent (200), whether new, changed or not
    unchanged: int = 0  # pages the sites said were not modified (304), or sent with the same text
    updated: int = 0  # pages written: new ones and changed ones
    removed: int = 0  # pages deleted because the site now answers 404 or 410 for them
    skipped: int = 0  # pages left out: robots.txt, off-site redirect, too big, binary as HTML, no text, not found
    errors: int = 0  # requests that failed: timeout, connection error, other 4xx or 5xx; sites unreachable
    problems: tuple[str, ...] = ()  # one line per skipped page or error: the URL and why
    unreachable: tuple[str, ...] = ()  # sites whose robots.txt could not be fetched at all: nothing changed
    seconds: float = 0.0

    def contract(self) -> dict[str, int]:
        """The ``advisor crawl --json`` object (DESIGN.md)."""
        return {k: getattr(self, k) for k in COUNTS}

    def __add__(self, other: CrawlReport) -> CrawlReport:
        return CrawlReport(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


class Skip(Exception):
    """A page left out, and why."""


class Unreachable(Exception):
    """The site cannot be reached at all."""


def crawl(settings: Settings, urls: Sequence[str], *, max_pages: int | None = None, client: Any = None) -> CrawlReport:
    """Crawl the sites of ``urls`` into ``settings.corpus/web/``; a bad URL is an :class:`InputError`."""
    import httpx

    sites: dict[str, list[str]] = {}
    for url in urls:
        url = check_url(url)
        sites.setdefault(_site(url), []).append(_normal(url))
    own = client is None
    client = client or httpx.Client(
        timeout=httpx.Timeout(settings.crawl_timeout), headers={"User-Agent": USER_AGENT}, follow_redirects=False
    )
    report = CrawlReport()
    try:
        for site, starts in sites.items():
            report += SiteCrawl(settings, client, site, max_pages or settings.crawl_max_pages).run(starts)
    finally:
        if own:
            client.close()
    return report


def check_url(url: str) -> str:
    """``url`` if it is an http(s) address with a host; else a one-line :class:`InputError`."""
    try:
        parts = urlsplit(url.strip())
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # "http://[::1" and the like
        ok = False
    if not ok:
        raise InputError(f"{url!r} is not a web address; give one starting with http:// or https://")
    return url.strip()


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _normal(url: str) -> str:
    """The URL without its fragment, scheme and host in lower case, an empty path as "/"."""
    p = urlsplit(url)
    return urlunsplit((p.scheme.lower(), p.netloc.lower(), p.path or "/", p.query, ""))


@dataclass
class Fetched:
    url: str  # after same-site redirects
    status: int
    headers: Any
    body: bytes = b""


@dataclass
class SiteCrawl:
    """One crawl of one site: its robots.txt, sitemap, pages and manifest."""

    settings: Settings
    client: Any
    site: str
    max_pages: int
    robots: Any = None
    pages: dict[str, Page] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    last_request: float = 0.0

    def run(self, starts: list[str]) -> CrawlReport:
        started = time.perf_counter()
        folder = site_folder(self.settings.corpus, self.site)
        self.pages = read_manifest(folder)
        try:
            self.robots = self.read_robots()
        except Unreachable as exc:
            log.info("cannot reach %s (%s); nothing was changed", self.site, exc)
            return CrawlReport(
                pages=len(self.pages), errors=1, problems=(f"{self.site}: {exc}",), unreachable=(self.site,)
            )
        queue = deque([*starts, *self.sitemap_urls(), *self.pages])
        seen: set[str] = set()
        visits = 0
        while queue and visits < self.max_pages:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            visits += 1
            for link in self.visit(url, folder):
                if link not in seen:
                    queue.append(link)
        write_manifest(folder, self.site, self.pages)
        return CrawlReport(
            pages=len(self.pages),
            fetched=self.counts.get("fetched", 0),
            unchanged=self.counts.get("unchanged", 0),
            updated=self.counts.get("updated", 0),
            removed=self.counts.get("removed", 0),
            skipped=self.counts.get("skipped", 0),
            errors=self.counts.get("errors", 0),
            problems=tuple(self.problems),
            seconds=time.perf_counter() - started,
        )

    def count(self, what: str, url: str = "", why: str = "") -> None:
        self.counts[what] = self.counts.get(what, 0) + 1
        if why:
            self.problems.append(f"{url}: {why}")
            log.info("%s %s: %s", what, url, why)

    # ---------------------------------------------------------------- requests

    def get(self, url: str, headers: dict[str, str] | None = None, limit: int | None = None) -> Fetched:
        """GET ``url``, following same-site redirects; :class:`Skip` for an off-site one or a too-big body."""
        limit = limit or self.settings.max_file_bytes
        for _ in range(MAX_REDIRECTS + 1):
            self.wait()
            with self.client.stream("GET", url, headers=headers or {}) as r:
                if r.is_redirect and "location" in r.headers:
                    target = _normal(urljoin(url, r.headers["location"]))
                    if _site(target) != self.site:
                        raise Skip(f"redirects off the site, to {target}")
                    if self.robots is not None and not self.robots.can_fetch(target, USER_AGENT):
                        raise Skip(f"redirects to {target}, which robots.txt disallows")
                    url = target
                    continue
                if declared_length(r.headers) > limit:
                    raise Skip(f"is over the {limit / 1e6:.1f} MB limit (ADVISOR_MAX_FILE_BYTES)")
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise Skip(f"is over the {limit / 1e6:.1f} MB limit (ADVISOR_MAX_FILE_BYTES)")
                return Fetched(url, r.status_code, r.headers, bytes(body))
        raise Skip(f"redirects more than {MAX_REDIRECTS} times")

    def wait(self) -> None:
        """The polite pause between two requests to the site."""
        asked = self.robots.crawl_delay(USER_AGENT) if self.robots is not None else None
        delay = max(self.settings.crawl_delay, min(float(asked or 0), 30.0))
        pause = self.last_request + delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.last_request = time.monotonic()

    def read_robots(self) -> Any:
        """The site's robots.txt rules (none: everything allowed); :class:`Unreachable` when the site is."""
        import httpx
        from protego import Protego

        try:
            r = self.get(f"{self.site}/robots.txt", limit=500_000)
        except Skip:
            return Protego.parse("")
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            raise Unreachable(_why(exc)) from None
        if r.status >= 500:
            raise Unreachable(f"its robots.txt answers {r.status}")
        text = r.body.decode("utf-8", "replace") if r.status == 200 else ""
        return Protego.parse(text)

    def sitemap_urls(self) -> list[str]:
        """Same-site page URLs of the sitemaps robots.txt names (else /sitemap.xml), sitemap indexes followed."""
        todo = deque(list(self.robots.sitemaps) or [f"{self.site}/sitemap.xml"])
        found: list[str] = []
        done = 0
        while todo and done < MAX_SITEMAPS:
            url = todo.popleft()
            done += 1
            if _site(url) != self.site:
                continue
            try:
                r = self.get(url)
            except Exception as exc:  # a sitemap is a hint: a broken one costs nothing but its pages
                log.info("sitemap %s: %s", url, exc)
                continue
            if r.status != 200:
                continue
            index, locs = parse_sitemap(r.body, self.settings.max_file_bytes)
            same = [_normal(u) for u in locs if _site(_normal(u)) == self.site]
            (todo if index else found).extend(same)
        return found

    # ---------------------------------------------------------------- pages

    def visit(self, url: str, folder: Path) -> list[str]:
        """Fetch one page, keep or drop its file; the same-site links it has."""
        import httpx

        if not self.robots.can_fetch(url, USER_AGENT):
            self.count("skipped", url, "robots.txt disallows it")
            return []
        known = self.pages.get(url)
        headers = {}
        if known and (folder / known.file).is_file():
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        try:
            r = self.get(url, headers)
        except Skip as exc:
            self.count("skipped", url, str(exc))
            return []
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # ValueError: a malformed header
            self.count("errors", url, _why(exc))
            return []
        if r.status == 304 and known:
            self.count("unchanged")
            return self.saved_links(url, folder / known.file)
        if r.status in (404, 410):
            self.forget(url, folder, r.status)
            return []
        if r.status != 200:
            self.count("errors", url, f"answers {r.status}")
            return []
        self.count("fetched")
        return self.keep(url, r, folder)

    def keep(self, requested: str, r: Fetched, folder: Path) -> list[str]:
        """Save a page that answered 200 (when it is new or its text changed); its links."""
        mime = r.headers.get("content-type", "").split(";")[0].strip().lower()
        kind = kind_of(mime, r.url)
        if kind is None:
            self.count("skipped", r.url, f"is not a page or document ({mime or 'no content type'})")
            return []
        links: list[str] = []
        if kind == "html":
            text = html_text(r.body, r.headers)
            if text is None:
                self.count("skipped", r.url, f"is served as {mime} but is binary")
                return []
            title, blocks = parse_html(text)
            links = self.links(text, r.url)
            if not blocks:
                self.count("skipped", r.url, "has no text to answer from (links followed)")
                return links
            said = "\n".join([title, *(f"{b.section}\n{b.text}" for b in blocks)])
            digest = hashlib.sha256(said.encode()).hexdigest()  # of the text: a changed nonce is no change
            data = text.encode("utf-8")
        else:
            digest, data = hashlib.sha256(r.body).hexdigest(), r.body
        url = r.url
        old = self.pages.get(url) or self.pages.get(requested)
        name = page_file(url, kind)
        owner = next((p for u, p in self.pages.items() if p.file == name and u not in (url, requested)), None)
        if owner is not None:
            if owner.sha256 == digest:
                return links  # the same page under a second address ("/" and "/index.html"): kept once
            stem, dot, suffix = name.rpartition(".")
            name = f"{stem}-{hashlib.sha1(url.encode()).hexdigest()[:10]}{dot}{suffix}"
        page = Page(url, name, digest, r.headers.get("etag"), r.headers.get("last-modified"))
        if old and old.sha256 == digest and old.file == name and (folder / name).is_file():
            self.count("unchanged")
        else:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
            self.count("updated")
        if requested != url and requested in self.pages:
            self.drop_file(folder, self.pages.pop(requested), keep=name)
        self.pages[url] = page
        return links

    def forget(self, url: str, folder: Path, status: int) -> None:
        """A page the site says is gone (404, 410): its file and manifest entry go."""
        page = self.pages.pop(url, None)
        if page is None:
            self.count("skipped", url, f"answers {status} (not found)")
            return
        self.drop_file(folder, page)
        self.count("removed", url, f"answers {status}; removed")

    def drop_file(self, folder: Path, page: Page, keep: str = "") -> None:
        if page.file != keep and not any(p.file == page.file for p in self.pages.values()):
            (folder / page.file).unlink(missing_ok=True)

    def links(self, html: str, base: str) -> list[str]:
        """The page's same-site http(s) links, without fragments, in order."""
        from bs4 import BeautifulSoup

        out: list[str] = []
        for a in BeautifulSoup(html, "html.parser").find_all("a", href=True):
            try:
                url = _normal(urljoin(base, str(a["href"]).strip()))
            except ValueError:
                continue
            if url.startswith(("http://", "https://")) and _site(url) == self.site and url not in out:
                out.append(url)
        return out

    def saved_links(self, url: str, path: Path) -> list[str]:
        """Links of a page the site says is unchanged: read from the file kept last time."""
        if path.suffix != ".html":
            return []
        try:
            return self.links(path.read_text(encoding="utf-8"), url)
        except (OSError, UnicodeDecodeError):
            return []


def _why(exc: Exception) -> str:
    """A transport failure in a few words."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return "timed out (ADVISOR_CRAWL_TIMEOUT)"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({str(exc) or 'connection refused'})"
    return f"{type(exc).__name__}: {exc}"


def report_lines(report: CrawlReport) -> Iterable[str]:
    """The readable summary of ``advisor crawl``."""
    yield (
        f"{report.pages} pages kept: {report.fetched} fetched, {report.updated} new or changed, "
        f"{report.unchanged} unchanged, {report.removed} removed, {report.skipped} skipped, "
        f"{report.errors} errors ({report.seconds:.1f} s)"
    )
