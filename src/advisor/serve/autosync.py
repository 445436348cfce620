"""Autosync: ``advisor serve`` crawls the office's sites and ingests every ``ADVISOR_SYNC_HOURS`` hours.

One daemon thread: the first sync right after start, then one every N hours. A sync that changes
the corpus publishes a new index generation, which the serving app moves onto as it does after an
``advisor ingest`` in another process (:class:`~advisor.answer.live.LiveAdvisor`). A sync that
fails (a site down, a busy ingest lock, a broken file) is one warning in the log; the server goes
on answering from the index it has, and the next sync tries again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from advisor.config import Settings
from advisor.errors import brief

log = logging.getLogger(__name__)


class AutoSync:
    """The background sync of a serving app; ``run`` is handed the settings (default: ``sync_sources``,
    which opens its own store and closes it after)."""

    def __init__(self, settings: Settings, run: Callable[[Settings], Any] | None = None) -> None:
        from advisor.ingest.refresh import sync_sources

        self.settings = settings
        self.run = run or sync_sources
        self.stopped = threading.Event()
        self.done = 0  # syncs finished, failed or not
        self.thread = threading.Thread(target=self._loop, name="advisor-sync", daemon=True)

    def start(self) -> AutoSync:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()

    def _loop(self) -> None:
        while not self.stopped.is_set():
            self.once()
            if self.stopped.wait(self.settings.sync_hours * 3600):
                return

    def once(self) -> None:
        """One sync; any failure is logged as one warning, never raised."""
        try:
            report = self.run(self.settings)
            log.info("background sync: %s", report.contract())
            for site in report.crawl.unreachable:
                log.warning("background sync: %s could not be reached; its pages were kept", site)
        except Exception as exc:  # never take the server down
            log.warning(
                "background sync failed (%s); answering from the index as it was, next try in %g h",
                brief(exc),
                self.settings.sync_hours,
            )
        finally:
            self.done += 1


def start_autosync(settings: Settings) -> AutoSync | None:
    """Start the background sync when ``ADVISOR_SYNC_HOURS`` is set and advisor.toml lists sources."""
    if settings.sync_hours <= 0:
        return None
    if not settings.sources:
        log.warning("ADVISOR_SYNC_HOURS is set but advisor.toml lists no [[sources]]; nothing to sync")
        return None
    return AutoSync(settings).start()
