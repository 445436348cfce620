"""Refresh: the office's sites (``[[sources]]`` of advisor.toml) crawled, then the corpus ingested.

What ``advisor sync`` runs, and what ``advisor serve`` runs every ``ADVISOR_SYNC_HOURS`` hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advisor.config import Settings
from advisor.ingest.crawl import CrawlReport, crawl
from advisor.ingest.store import Store
from advisor.ingest.sync import IngestReport, Progress, ingest


@dataclass(frozen=True)
class SyncReport:
    """A crawl of every source, then the ingest of the whole corpus."""

    crawl: CrawlReport
    ingest: IngestReport

    def contract(self) -> dict[str, Any]:
        """The ``advisor sync --json`` object: ``{"crawl": {...}, "ingest": {...}}``, each as its own command prints."""
        return {"crawl": self.crawl.contract(), "ingest": self.ingest.contract()}


def crawl_sources(settings: Settings) -> CrawlReport:
    """Crawl each site of ``settings.sources`` (an unreachable one changes nothing and is reported)."""
    report = CrawlReport()
    for source in settings.sources:
        report += crawl(settings, [source.url], max_pages=source.max_pages)
    return report


def sync_sources(settings: Settings, *, store: Store | None = None, progress: Progress | None = None) -> SyncReport:
    """Crawl the sources, then bring the index in line with the corpus (through :func:`ingest`)."""
    from advisor.ingest.store import open_store

    crawled = crawl_sources(settings)
    if store is not None:
        return SyncReport(crawled, ingest(store, progress=progress))
    own = open_store(settings)
    try:
        return SyncReport(crawled, ingest(own, progress=progress))
    finally:
        own.close()  # its lease on the index generation, so that the one it replaced can be deleted
