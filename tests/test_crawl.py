"""`advisor crawl` and `advisor sync` against a real HTTP server on loopback, serving a site the test writes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import free_port
from test_cli import run
from test_formats import make_docx, make_pdf

from advisor.config import Settings
from advisor.ingest.crawl import crawl
from advisor.ingest.pages import read_manifest
from advisor.ingest.parse import read_corpus

NAV = (
    '<header><a href="/">Example University</a></header><nav><a href="/">Home</a> '
    '<a href="/programs/data.html">Data program</a> <a href="/private/staff.html">Staff</a> '
    '<a href="/away">Partner site</a> <a href="/big.html">Archive</a> <a href="/slow.html">Events</a> '
    '<a href="/blob.html">Download</a> <a href="/awards.pdf">Awards</a> <a href="/internships.docx">Internships</a> '
    '<a href="/news.html">News</a> <a href="/old-fair.html">Fair</a> <a href="https://elsewhere.example/x">Out</a></nav>'
)
FOOTER = "<footer>© Example University · Privacy · Accessibility statement for the whole site</footer>"


def page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>{NAV}<main>{body}</main>{FOOTER}</body></html>"
    )


PAGES = {
    "index.html": page(
        "Career Services",
        "<h1>Career Services</h1><p>The career services office helps every student plan a path from the first "
        "year to the first job, with advising appointments on weekdays.</p>",
    ),
    "programs/data.html": page(
        "Data Analytics Program",
        "<h1>Data Analytics Program</h1><h2>Career outcomes</h2><p>Graduates of the data analytics program most "
        "often start as business intelligence analysts; the class of 2024 reported a median starting salary "
        "of $68,500.</p>",
    ),
    "mentoring.html": page(  # listed only in the sitemap
        "Alumni Mentoring",
        "<h1>Alumni Mentoring</h1><p>Every student can be matched with an alumni mentor working in their "
        "field, who meets them once a month during the spring semester.</p>",
    ),
    "private/staff.html": page("Staff", "<h1>Staff</h1><p>Internal notes that robots.txt keeps out of crawls.</p>"),
    "news.html": page("News", "<h1>News</h1><p>The spring career fair brings more than sixty employers to campus.</p>"),
    "old-fair.html": page("Fair", "<h1>Fair</h1><p>The autumn fair of last year took place in the student union.</p>"),
    "big.html": page("Archive", "<h1>Archive</h1>" + "<p>An archived paragraph of old announcements.</p>" * 8000),
}


class Site:
    """A small site on a free loopback port: files from a folder, plus a few special answers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.gone: dict[str, int] = {}  # path → 404 or 410
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.requests.append((self.path, dict(self.headers)))
                site.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        if path in self.gone:
            return self.send(h, self.gone[path], b"gone", "text/plain")
        if path == "/away":  # a redirect off the site: never followed
            h.send_response(302)
            h.send_header("Location", "http://example.invalid/landing")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return None
        if path == "/slow.html":
            time.sleep(1.5)  # longer than the crawl's timeout
        if path == "/blob.html":  # a binary served as HTML
            return self.send(h, 200, bytes(range(256)) * 64, "text/html")
        rel = path.lstrip("/")
        file = self.root / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        if not file.is_file():
            return self.send(h, 404, b"not found", "text/plain")
        data = file.read_bytes()
        etag = '"' + hashlib.sha1(data).hexdigest() + '"'
        modified = formatdate(file.stat().st_mtime, usegmt=True)
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return None
        kind = {".pdf": "application/pdf", ".docx": "application/octet-stream", ".xml": "application/xml"}
        return self.send(
            h,
            200,
            data,
            kind.get(file.suffix, "text/plain" if file.suffix == ".txt" else "text/html"),
            {"ETag": etag, "Last-Modified": modified},
        )

    @staticmethod
    def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None):
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            h.wfile.write(body)


def write_site(root: Path, port: int) -> None:
    for name, html in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(html, encoding="utf-8")
    (root / "slow.html").write_text(page("Events", "<p>Events are listed here each week of the term.</p>"))
    (root / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /private/\nSitemap: http://127.0.0.1:{port}/sitemap.xml\n"
    )
    locs = "".join(f"<url><loc>http://127.0.0.1:{port}/{p}</loc></url>" for p in ("index.html", "mentoring.html"))
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    )
    make_pdf(root / "awards.pdf")
    make_docx(root / "internships.docx")


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    with Site(root) as s:
        write_site(root, s.port)
        yield s


def settings_for(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    return Settings(corpus=corpus, data=tmp_path / "data", crawl_delay=0, crawl_timeout=0.5, max_file_bytes=200_000)


def folder_of(settings: Settings, site: Site) -> Path:
    return settings.corpus / "web" / f"127.0.0.1_{site.port}"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_first_crawl_fetches_the_site_and_skips_what_it_must(tmp_path, site):
    settings = settings_for(tmp_path)
    started = time.perf_counter()
    report = crawl(settings, [site.url + "/"])
    seconds = time.perf_counter() - started
    print(f"\ncrawl of the test site: {report.fetched} pages fetched, {report.pages} kept in {seconds:.2f} s")
    folder = folder_of(settings, site)
    kept = set(files(folder))
    assert kept == {
        ".manifest.json",
        "index.html",
        "programs/data.html",
        "mentoring.html",
        "news.html",
        "old-fair.html",
        "awards.pdf",
        "internships.docx",
    }
    assert report.pages == 7 and report.updated == 7 and report.removed == 0
    why = "\n".join(report.problems)
    assert "robots.txt disallows it" in why and "/private/staff.html" in why
    assert "redirects off the site, to http://example.invalid/landing" in why
    assert "/big.html: is over the 0.2 MB limit" in why
    assert "/blob.html: is served as text/html but is binary" in why
    assert "/slow.html: timed out" in why
    assert report.skipped == 4 and report.errors == 1, why  # robots, off-site, too big, binary; the slow page
    assert not any(path.startswith("/private/") for path, _ in site.requests)  # robots.txt obeyed
    # Navigation, header and footer are not part of the page's text; the sitemap-only page was found.
    corpus = read_corpus(settings)
    by_source = {d.source: d for d in corpus.documents}
    home = by_source[f"{site.url}/"]
    assert all("Example University" not in b.text and "Staff" not in b.text for b in home.blocks)
    assert f"{site.url}/mentoring.html" in by_source
    assert by_source[f"{site.url}/awards.pdf"].title == "Scholarships for Data Students"
    assert not corpus.skipped
    assert settings.allowed_link_hosts == ("127.0.0.1",)  # the crawled site's own links are not foreign


def test_recrawls_ask_conditionally_update_changes_and_remove_what_is_gone(tmp_path, site):
    settings = settings_for(tmp_path)
    folder = folder_of(settings, site)
    crawl(settings, [site.url + "/"])
    before = files(folder)
    # The site changes: one page rewritten, one deleted (404), one marked gone (410).
    data = site.root / "programs/data.html"
    data.write_text(data.read_text().replace("$68,500", "$71,200"), encoding="utf-8")
    (site.root / "news.html").unlink()
    site.gone["/old-fair.html"] = 410
    site.requests.clear()
    second = crawl(settings, [site.url + "/"])
    assert (second.updated, second.removed) == (1, 2)
    assert second.unchanged == 4  # index, mentoring, the PDF and the DOCX answered 304
    conditional = {path for path, headers in site.requests if "If-None-Match" in headers}
    assert {"/", "/mentoring.html", "/awards.pdf", "/internships.docx"} <= conditional
    after = files(folder)
    assert set(before) - set(after) == {"news.html", "old-fair.html"}
    assert b"$71,200" in after["programs/data.html"]
    assert all(after[name] == before[name] for name in ("index.html", "awards.pdf", "internships.docx"))
    kept = ("", "programs/data.html", "mentoring.html", "awards.pdf", "internships.docx")
    assert set(read_manifest(folder)) == {f"{site.url}/{p}" for p in kept}  # "/" and "/index.html": one page
    third = crawl(settings, [site.url + "/"])
    assert (third.updated, third.removed) == (0, 0)
    assert files(folder) == after  # three crawls: nothing duplicated, nothing rewritten


def test_an_unreachable_site_removes_nothing(tmp_path):
    settings = settings_for(tmp_path)
    root = tmp_path / "site"
    root.mkdir()
    with Site(root) as s:
        write_site(root, s.port)
        crawl(settings, [s.url + "/"])
        url, folder = s.url, folder_of(settings, s)
    before = files(folder)
    report = crawl(settings, [url + "/"])  # the server is gone: connection refused
    assert report.unreachable == (url,)
    assert report.errors == 1 and report.removed == 0 and report.pages == 7
    assert files(folder) == before


@pytest.mark.slow
def test_crawled_pages_and_the_pdf_answer_questions_cited_by_url(tmp_path, site, embeddings):
    """Real embeddings, real Chroma: a question answered from a crawled page cites its URL; the PDF's too;
    three crawls and ingests leave the passage count as it was."""
    from advisor.answer.chain import Advisor
    from advisor.answer.retrieve import HybridSearch
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    settings = settings_for(tmp_path)
    store = open_store(settings, embeddings=embeddings)
    counts = []
    for _ in range(3):
        crawl(settings, [site.url + "/"])
        ingest(store)
        counts.append(store.count())
    assert counts[0] == counts[1] == counts[2] > 0
    sources = {s.source for s in store.stored()}
    assert f"{site.url}/programs/data.html" in sources and f"{site.url}/awards.pdf" in sources
    advisor = Advisor(HybridSearch(store), settings)
    salary = advisor.ask("What starting salary do data analytics graduates report?")
    assert not salary.refused
    assert salary.citations[0].passage.source == f"{site.url}/programs/data.html"
    assert "$68,500" in salary.citations[0].passage.text
    deadline = advisor.ask("When do applications for the Data Futures award close?")
    assert not deadline.refused
    assert deadline.citations[0].passage.source == f"{site.url}/awards.pdf"
    assert deadline.contract()["citations"][0]["source"] == f"{site.url}/awards.pdf"


def test_crawl_json_prints_exactly_the_contract_keys(tmp_path, site):
    env = {
        "ADVISOR_CORPUS": str(tmp_path / "corpus"),
        "ADVISOR_DATA": str(tmp_path / "data"),
        "ADVISOR_CRAWL_DELAY": "0",
        "ADVISOR_CRAWL_TIMEOUT": "0.5",
        "ADVISOR_MAX_FILE_BYTES": "200000",
    }
    (tmp_path / "corpus").mkdir()
    done = run(["crawl", site.url + "/", "--max-pages", "30", "--json"], env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out) == ["pages", "fetched", "unchanged", "updated", "removed", "skipped", "errors"]
    assert all(isinstance(v, int) for v in out.values())
    assert out["pages"] == 7 and out["skipped"] == 4 and out["errors"] == 1
    assert "Traceback" not in done.stderr
    text = run(["crawl", site.url + "/"], env, timeout=120)
    assert text.returncode == 0 and "7 pages kept" in text.stdout and "7 unchanged" in text.stdout


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.edu/guide", "is not a web address"),
        ("not a url", "is not a web address"),
        ("CLOSED", "cannot reach"),
    ],
)
def test_crawl_bad_input_is_one_line_and_non_zero(tmp_path, url, message):
    url = url.replace("CLOSED", f"http://127.0.0.1:{free_port()}/")
    env = {"ADVISOR_CORPUS": str(tmp_path / "corpus"), "ADVISOR_DATA": str(tmp_path / "data")}
    done = run(["crawl", url], env, timeout=60)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_sync_crawls_the_sources_then_ingests(tmp_path, site):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.md").write_text("# Guide\n\nThe program office answers questions about careers all year round.\n")
    (tmp_path / "advisor.toml").write_text(f'[[sources]]\nurl = "{site.url}/"\nmax_pages = 30\n')
    env = {
        "ADVISOR_CORPUS": str(corpus),
        "ADVISOR_DATA": str(tmp_path / "data"),
        "ADVISOR_CONFIG": str(tmp_path / "advisor.toml"),
        "ADVISOR_CRAWL_DELAY": "0",
        "ADVISOR_CRAWL_TIMEOUT": "0.5",
        "ADVISOR_MAX_FILE_BYTES": "200000",
    }
    done = run(["sync", "--json"], env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out) == ["crawl", "ingest"]
    assert out["crawl"]["pages"] == 7 and out["ingest"]["files"] == 8 and out["ingest"]["added"] == 8
    again = json.loads(run(["sync", "--json"], env).stdout)
    assert again["crawl"]["updated"] == 0 and again["ingest"]["unchanged"] == 8
    asked = json.loads(run(["ask", "How often do alumni mentors meet students?", "--json"], env).stdout)
    assert asked["citations"][0]["source"] == f"{site.url}/mentoring.html"


def test_sync_without_sources_and_bad_sync_hours_are_one_line_errors(tmp_path):
    env = {"ADVISOR_CORPUS": str(tmp_path), "ADVISOR_CONFIG": str(tmp_path / "advisor.toml")}
    (tmp_path / "advisor.toml").write_text("[site]\ntitle = 'x'\n")
    done = run(["sync"], env, timeout=60)
    assert done.returncode == 2 and "lists no sites to crawl" in done.stderr
    bad = run(["sync"], {**env, "ADVISOR_SYNC_HOURS": "nightly"}, timeout=60)
    assert bad.returncode == 2 and "ADVISOR_SYNC_HOURS='nightly' is not a number" in bad.stderr
    (tmp_path / "advisor.toml").write_text("[[sources]]\nurl = 'ftp://example.edu'\n")
    wrong = run(["sync"], env, timeout=60)
    assert wrong.returncode == 2 and "is not an http(s) address" in wrong.stderr


def test_background_sync_logs_a_failure_as_one_warning_and_goes_on(caplog):
    from advisor.config import Source
    from advisor.serve.autosync import AutoSync, start_autosync

    settings = Settings(sync_hours=0.0001, sources=(Source("http://127.0.0.1:9/"),))
    calls: list[int] = []

    def failing(settings: Settings) -> None:
        calls.append(1)
        raise OSError("disk full")

    sync = AutoSync(settings, run=failing)
    with caplog.at_level("WARNING", logger="advisor.serve.autosync"):
        sync.start()
        deadline = time.monotonic() + 30
        while sync.done < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        sync.stop()
    assert len(calls) >= 2 and sync.thread.daemon
    assert "background sync failed (OSError: disk full)" in caplog.text
    assert start_autosync(Settings()) is None  # no ADVISOR_SYNC_HOURS: no thread


def test_sources_panel_links_a_crawled_page_and_nothing_else():
    from advisor.serve.chat_ui import source_link

    link = source_link("https://www.example.edu/careers/data.html?x=1&y=2")
    assert link == (
        '<a href="https://www.example.edu/careers/data.html?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">'
        "https://www.example.edu/careers/data.html?x=1&amp;y=2</a>"
    )
    assert source_link("corpus/guide.md") == "corpus/guide.md"
    for hostile in ("javascript:alert(1)", 'https://x.edu/"onmouseover="alert(1)', "https://x.edu/<script>", "data:,x"):
        out = source_link(hostile)
        assert "<a" not in out and "<script" not in out
    widget = (Path(__file__).parents[1] / "src/advisor/serve/static/embed.js").read_text()
    assert 'a.rel = "noopener noreferrer"' in widget and "innerHTML" not in widget


def test_page_files_stay_inside_the_site_folder(tmp_path):
    from advisor.ingest.pages import Page, page_file, write_manifest

    assert page_file("http://h.edu/", "html") == "index.html"
    assert page_file("http://h.edu/a/b/", "html") == "a/b/index.html"
    assert page_file("http://h.edu/a/../../etc/passwd", "html") == "a/etc/passwd.html"
    assert page_file("http://h.edu/.git/config.htm", "html") == "git/config.html"  # never a hidden file
    assert page_file("http://h.edu/files/Guide%202024.pdf", "pdf") == "files/Guide_2024.pdf"
    assert page_file("http://h.edu/list?page=2", "html").startswith("list-")
    write_manifest(tmp_path, "http://h.edu", {"http://h.edu/x": Page("http://h.edu/x", "../../outside.html", "0")})
    assert read_manifest(tmp_path) == {}  # an edited manifest names nothing outside its folder


@pytest.mark.slow
def test_background_sync_crawls_ingests_and_the_serving_advisor_answers_from_it(tmp_path, site, embeddings):
    from advisor.answer.chain import Advisor
    from advisor.answer.live import LiveAdvisor
    from advisor.answer.retrieve import HybridSearch
    from advisor.config import Source
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest
    from advisor.serve.autosync import AutoSync

    settings = settings_for(tmp_path)
    settings = Settings(**{**vars(settings), "sources": (Source(site.url + "/"),), "sync_hours": 24.0})
    (settings.corpus / "guide.md").write_text(
        "# Guide\n\nThe program office answers questions about careers all year round, by e-mail or in person.\n"
    )
    store = open_store(settings, embeddings=embeddings)
    ingest(store)
    live = LiveAdvisor(Advisor(HybridSearch(store), settings), interval=0.05).start()
    try:
        assert not any(p.source.startswith(site.url) for p in live.advisor.search.passages)
        AutoSync(settings).once()  # what the thread runs every 24 h
        deadline = time.monotonic() + 60
        while not live.reloads and time.monotonic() < deadline:  # the serving app moves onto the new index
            time.sleep(0.05)
        assert any(p.source == f"{site.url}/mentoring.html" for p in live.advisor.search.passages)
        answer = live.ask("How often do alumni mentors meet students?")
        assert answer.citations[0].passage.source == f"{site.url}/mentoring.html"
    finally:
        live.stop()
