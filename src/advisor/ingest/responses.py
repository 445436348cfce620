"""Responses: what a crawled site sent, read: a page's kind and text, a sitemap's addresses.

Kept apart from crawl.py (the walk over a site) so that each stays small; nothing here makes a request.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = {"text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf", DOCX: "docx"}


def declared_length(headers: Any) -> int:
    """The Content-Length a server declares (0 when none or not a number: the body is counted anyway)."""
    try:
        return int(headers.get("content-length") or 0)
    except ValueError:
        return 0


def kind_of(mime: str, url: str) -> str | None:
    """The kind ("html", "pdf" or "docx") of what a server sent, by its type (a generic one: by the URL suffix)."""
    if mime in KINDS:
        return KINDS[mime]
    if mime not in ("application/octet-stream", "binary/octet-stream", ""):
        return None
    suffix = Path(urlsplit(url).path).suffix.lower()
    return {".pdf": "pdf", ".docx": "docx"}.get(suffix)


def html_text(body: bytes, headers: Any) -> str | None:
    """The page's text in its declared charset (UTF-8 if none), or None when it is binary."""
    if b"\x00" in body[:8192]:
        return None
    charset = ""
    for part in headers.get("content-type", "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"')
    try:
        return body.decode(charset or "utf-8")
    except (UnicodeDecodeError, LookupError):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return None


def parse_sitemap(body: bytes, limit: int) -> tuple[bool, list[str]]:
    """(whether it is a sitemap index, the ``<loc>`` URLs) of a sitemap, gzipped or not; none if unreadable.

    The standard library's parser refuses entity expansion attacks (expat ≥ 2.4); the size is capped."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)[: limit + 1]
        except (OSError, EOFError):
            return False, []
    if len(body) > limit:
        return False, []
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return False, []
    locs = [(el.text or "").strip() for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "loc"]
    return root.tag.rsplit("}", 1)[-1] == "sitemapindex", [u for u in locs if u.startswith(("http://", "https://"))]
