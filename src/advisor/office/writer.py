"""The background writer: the conversation log is written off the request path.

A request only puts an event on a bounded queue (``put_nowait``: never a wait); one daemon thread
writes what is queued in batches. A database that is down or goes away costs log entries, never
an answer: the batch is dropped with one warning in the operator's log per outage, and writing
resumes when the database is back. The same thread purges answers older than
``ADVISOR_RETENTION_DAYS`` at start and then daily.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from advisor.errors import brief
from advisor.office.db import LogDB, now
from advisor.office.records import Asked, Click, Feedback

log = logging.getLogger(__name__)

QUEUE_SIZE = 10_000  # events waiting to be written; beyond it new ones are dropped (with a warning)
BATCH = 200
LINGER = 0.25  # seconds a batch waits for more events after its first
PURGE_EVERY = 24 * 3600.0  # seconds
RETRY_PURGE = 600.0  # seconds, after a purge that failed
Event = Asked | Feedback | Click


class LogWriter:
    """One thread writing queued events to :class:`LogDB`; :meth:`submit` never blocks."""

    def __init__(self, db: LogDB, *, retention_days: int, keep_conversations: bool, size: int = QUEUE_SIZE) -> None:
        self.db = db
        self.retention_days = retention_days
        self.keep_conversations = keep_conversations
        self._queue: queue.Queue[Event | None] = queue.Queue(maxsize=size)
        self._thread = threading.Thread(target=self._run, name="advisor-log", daemon=True)
        self._down = False  # in an outage: warned once, quiet until it ends
        self._full_warned = 0.0
        self.written = 0
        self.dropped = 0
        self.purged = 0

    def start(self) -> LogWriter:
        self._thread.start()
        return self

    def submit(self, event: Event) -> bool:
        """Queue one event; False (and a warning, at most once a minute) when the queue is full."""
        try:
            self._queue.put_nowait(event)
            return True
        except queue.Full:
            self.dropped += 1
            if time.monotonic() - self._full_warned > 60:
                self._full_warned = time.monotonic()
                log.warning("conversation log: the write queue is full; entries are being dropped")
            return False

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything queued so far has been handled (written or dropped)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)
        return not self._queue.unfinished_tasks

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the thread."""
        if self._thread.is_alive():
            try:
                self._queue.put(None, timeout=timeout)
            except queue.Full:
                return
            self._thread.join(timeout)

    def purge_now(self) -> int:
        """Delete answers older than the retention period (0 days: keep them); returns how many."""
        if self.retention_days <= 0:
            return 0
        removed = self.db.purge(now() - timedelta(days=self.retention_days))
        self.purged += removed
        if removed:
            log.info("conversation log: purged %d answers older than %d days", removed, self.retention_days)
        return removed

    def _run(self) -> None:
        next_purge = time.monotonic()
        while True:
            if time.monotonic() >= next_purge:
                next_purge = time.monotonic() + (PURGE_EVERY if self._attempt(self.purge_now) else RETRY_PURGE)
            try:
                first = self._queue.get(timeout=max(0.1, min(60.0, next_purge - time.monotonic())))
            except queue.Empty:
                continue
            batch = [first]
            linger = time.monotonic() + LINGER  # a moment for more events: one transaction for many answers
            while len(batch) < BATCH and batch[-1] is not None and (wait := linger - time.monotonic()) > 0:
                try:
                    batch.append(self._queue.get(timeout=wait))
                except queue.Empty:
                    break
            events = [e for e in batch if e is not None]
            if events and self._attempt(functools.partial(self.db.write, events, self.keep_conversations)):
                self.written += len(events)
            elif events:
                self.dropped += len(events)
            for _ in batch:
                self._queue.task_done()
            if None in batch:
                return

    def _attempt(self, job: Callable[[], object]) -> bool:
        """Run ``job``; a database failure is a warning (once per outage), never an exception."""
        try:
            job()
        except Exception as exc:
            if not self._down:
                log.warning("conversation log: the database is unavailable (%s); answers go on, unlogged", brief(exc))
            self._down = True
            return False
        if self._down:
            log.warning("conversation log: the database is back; logging again")
        self._down = False
        return True
