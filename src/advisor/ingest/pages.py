"""Pages: where a crawled site's pages live in the corpus folder, and the manifest that names them.

A site's pages are files under ``corpus/web/<host>/`` (``<host>_<port>`` for a non-default port),
one per page, named after the URL's path (``/programs/data/`` → ``programs/data/index.html``).
Beside them, ``.manifest.json`` (hidden, so never read as a guide) records each page's URL, file,
ETag, Last-Modified and content hash: what the next crawl asks the server about, and what gives a
page's passages its URL as their source.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

WEB = "web"  # the corpus subfolder crawled sites are kept in
MANIFEST = ".manifest.json"


@dataclass(frozen=True)
class Page:
    """One crawled page as the manifest records it."""

    url: str
    file: str  # relative to the site's folder, POSIX
    sha256: str  # of what was read from it (a page's text, a document's bytes)
    etag: str | None = None
    last_modified: str | None = None


def site_folder(corpus: Path, url: str) -> Path:
    """``corpus/web/<host>`` (``<host>_<port>`` when the URL names a port) for a page of ``url``'s site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return corpus / WEB / (f"{host}_{parts.port}" if parts.port else host)


def page_file(url: str, kind: str) -> str:
    """The file a page is kept in, relative to its site's folder; ``kind`` is "html", "pdf" or "docx"."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    segments = [_safe(s) for s in path.split("/") if s not in ("", ".", "..")]
    if not segments or path.endswith("/"):
        segments.append("index")
    name = PurePosixPath(segments[-1])
    known = (".html", ".htm", ".pdf", ".docx", ".php", ".aspx", ".asp")  # a suffix replaced by the saved kind's
    stem = name.stem if name.suffix.lower() in known else name.name
    if parts.query:
        stem += "-" + hashlib.sha1(parts.query.encode()).hexdigest()[:10]
    segments[-1] = f"{stem}.{kind}"
    return "/".join(segments)


def _safe(segment: str) -> str:
    """A path segment as a harmless file name: no separators, no leading dot (hidden files are not read)."""
    return re.sub(r"[^\w.@+-]", "_", segment).lstrip(".")[:120] or "_"


def read_manifest(folder: Path) -> dict[str, Page]:
    """The pages a site's folder holds, by URL; none when there is no (readable) manifest."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        pages = {url: Page(url=url, **fields) for url, fields in data.get("pages", {}).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}
    # Only files inside the site's folder: an edited manifest can neither name nor remove anything else.
    return {url: p for url, p in pages.items() if _inside(p.file)}


def _inside(file: str) -> bool:
    return bool(file) and not file.startswith("/") and ".." not in file.split("/") and "\\" not in file


def write_manifest(folder: Path, site: str, pages: dict[str, Page]) -> None:
    """Write the manifest atomically (a crawl killed mid-write leaves the old one)."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = {url: {k: v for k, v in asdict(p).items() if k != "url"} for url, p in pages.items()}
    body = {"site": site, "pages": entries}
    tmp = folder / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(body, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(folder / MANIFEST)


def crawled_sources(corpus: Path) -> dict[Path, str]:
    """Each crawled page's file (resolved) and its URL, over every site folder of the corpus."""
    out: dict[Path, str] = {}
    web = corpus / WEB
    if not web.is_dir():
        return out
    for folder in sorted(p for p in web.iterdir() if p.is_dir()):
        for url, page in read_manifest(folder).items():
            out[(folder / page.file).resolve()] = url
    return out
