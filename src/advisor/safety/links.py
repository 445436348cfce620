"""Links in text shown to students: kept only over http(s) to an allowed host.

Markdown links and images, reference definitions, autolinks, bare URLs and HTML ``href``/``src``
tags are kept only when they point at an allowed host (``Settings.allowed_link_hosts``: by
default the hosts of ``ADVISOR_ALLOWED_ORIGINS``); any other, and every ``javascript:``,
``data:`` or ``vbscript:`` target, is removed, the link text kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

_TARGET = r"[^\s()<>\"']+(?:\([^\s()<>]*\)[^\s()<>\"']*)*"
MD_IMAGE = re.compile(rf"!\[([^\]]*)\]\(\s*<?({_TARGET})>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
MD_LINK = re.compile(rf"\[([^\]]*)\]\(\s*<?({_TARGET})>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.M)  # "[x]: http://..." definitions
AUTOLINK = re.compile(r"<((?:[a-z][a-z0-9+.-]*):[^\s<>]*)>", re.I)
HTML_LINK = re.compile(r"<\s*(a|img|iframe|script|link|form|object|embed|source|video|audio)\b[^>]*>", re.I)
BARE_URL = re.compile(r"\b(?:(?:https?|ftp|file)://|www\.)[^\s<>\"'\])]+", re.I)
# A dangerous scheme is written against its target ("javascript:alert(1)", "data:text/html,…");
# prose such as "Cleaning data: most analysts …" has a space after the colon and is no URL.
SCHEMES = re.compile(r"\b(?:javascript|vbscript|data|file):(?=[^\s])", re.I)
REMOVED = "(link removed)"


def allowed_url(url: str, hosts: Sequence[str]) -> bool:
    """An http(s) URL whose host is one of ``hosts`` or under one of them."""
    url = url.strip()
    if url.lower().startswith("www."):
        url = "https://" + url
    if any(c in url for c in "\\\x00") or any(ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username or parts.password:
        return False
    return any(host == h or host.endswith("." + h) for h in hosts)


def safe_links(text: str, hosts: Sequence[str]) -> tuple[str, int]:
    """``text`` with every link or image not pointing at an allowed host removed; and how many were."""
    removed = 0

    def markdown(m: re.Match[str]) -> str:  # [text](url) or ![alt](url): the text stays
        nonlocal removed
        if allowed_url(m.group(2), hosts):
            return m.group(0)
        removed += 1
        return m.group(1)

    def bare(m: re.Match[str]) -> str:
        nonlocal removed
        url = m.group(1) if m.re is AUTOLINK else m.group(0)
        trail = ""
        while url and url[-1] in ".,;:!?":  # the sentence's punctuation, not the URL's
            url, trail = url[:-1], url[-1] + trail
        if allowed_url(url, hosts):
            return m.group(0)
        removed += 1
        return REMOVED + trail

    def tag(m: re.Match[str]) -> str:
        nonlocal removed
        removed += 1
        return ""

    text = MD_IMAGE.sub(markdown, text)
    text = MD_LINK.sub(markdown, text)
    text, n = MD_REFERENCE.subn("", text)
    removed += n
    text = HTML_LINK.sub(tag, text)
    text = AUTOLINK.sub(bare, text)
    text = BARE_URL.sub(bare, text)
    text, n = SCHEMES.subn("", text)
    removed += n
    return text, removed
