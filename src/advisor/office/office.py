""":class:`Office`: what the web app and the CLI hold of the office's side.

On the request path it only queues (:meth:`record`, :meth:`feedback`, :meth:`click`); the
writer thread does the rest. The reads (:meth:`summary`, :meth:`gaps`, :meth:`recent`,
:meth:`export`) are for the console, ``advisor report`` and the export, off the students' path.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from langchain_core.embeddings import Embeddings

from advisor.config import Settings
from advisor.office import report
from advisor.office.db import LogDB, now
from advisor.office.records import Asked, Click, Feedback, GapGroup, LoggedAnswer, Rating, Summary
from advisor.office.writer import LogWriter
from advisor.types import Answer

log = logging.getLogger(__name__)

RECENT_IDS = 50_000  # answer ids this process gave out, known to feedback without a database read
HANDOFF = "Ask the program office: {contact}"


def handoff(answer: Answer, contact: str | None) -> Answer:
    """A refusal with the way to a person: "Ask the program office: …" (when a contact is set); of small talk, only
    a request for a person ("can I talk to someone?") gets it, not "hi" or "thanks"."""
    if not contact or not answer.refused or answer.small_talk not in ("", "person"):
        return answer
    return replace(answer, text=f"{answer.text.rstrip()}\n\n{HANDOFF.format(contact=contact.removeprefix('mailto:'))}")


def conversation_id(seed: str, history: Sequence[dict[str, str]], question: str) -> str:
    """A stable id for one conversation: its first question, from one client or page session."""
    first = next((m["content"] for m in history if m.get("role") == "user"), question)
    return hashlib.sha256(f"{seed}\n{first}".encode("utf-8", "replace")).hexdigest()[:24]


class Office:
    """The conversation log and the office's reads, over ``settings.database_url``."""

    def __init__(self, settings: Settings, *, embeddings: Embeddings | None = None, db: LogDB | None = None) -> None:
        self.settings = settings
        self.db = db or LogDB(settings.database_url)
        self.writer = LogWriter(
            self.db, retention_days=settings.retention_days, keep_conversations=settings.store_conversations
        )
        self._embeddings = embeddings
        self._gap_vectors: dict[str, Any] = {}  # gap questions' embeddings, kept between console loads
        self._ids: OrderedDict[str, Rating | None] = OrderedDict()
        self._lock = threading.Lock()

    def start(self) -> Office:
        """Start the writer (it creates the tables and purges old answers first)."""
        self.writer.start()
        return self

    def close(self) -> None:
        self.writer.close()
        self.db.dispose()

    # The request path: queue, never wait.

    def record(self, answer: Answer, *, address: str, conversation: str) -> None:
        """Log one answer given (off the request path)."""
        hits = answer.retrieval.hits if answer.retrieval else ()
        with self._lock:
            self._ids[answer.id] = None
            while len(self._ids) > RECENT_IDS:
                self._ids.popitem(last=False)
        self.writer.submit(
            Asked(
                id=answer.id,
                time=now(),
                question=answer.question,
                answer=answer.text,
                refused=answer.refused and not answer.small_talk,  # "hi" or "thanks" asked nothing the guides lack
                sources=tuple(dict.fromkeys(c.passage.source for c in answer.citations)),
                score=max((h.score for h in hits), default=0.0),
                latency_ms=answer.latency_ms,
                answerer=answer.generator,
                conversation=conversation,
                address=address,
            )
        )

    def known(self, answer_id: str) -> bool:
        """Whether ``answer_id`` was given out (by this process, or found in the log)."""
        with self._lock:
            if answer_id in self._ids:
                return True
        return self.settings.store_conversations and self.db.exists(answer_id)

    def feedback(self, answer_id: str, rating: Rating, reason: str | None = None, comment: str | None = None) -> bool:
        """Record a thumbs up or down; False for an id that was never given out."""
        if not self.known(answer_id):
            return False
        with self._lock:
            previous = self._ids.get(answer_id)
            self._ids[answer_id] = rating
        self.writer.submit(Feedback(answer_id, rating, reason, comment, now(), previous))
        return True

    def click(self) -> None:
        """Count a click on the link to the program office."""
        self.writer.submit(Click(now()))

    # The office's reads.

    @property
    def embeddings(self) -> Embeddings:
        if self._embeddings is None:
            from advisor.ingest.embed import build_embeddings

            self._embeddings = build_embeddings(self.settings)
        return self._embeddings

    def summary(self, days: int) -> Summary:
        return report.summary(self.db, days, self.settings.store_conversations)

    def gaps(self, days: int) -> list[GapGroup]:
        if not self.settings.store_conversations:
            return []
        return report.gap_groups(self.db, self.embeddings, days, vectors=self._gap_vectors)

    def recent(self, n: int = 50) -> list[LoggedAnswer]:
        return self.db.answers(limit=n, newest_first=True)

    def export(self, fmt: str, since: str | None) -> Iterator[str]:
        """The log as JSON lines or CSV, oldest first (``since``: YYYY-MM-DD)."""
        start = report.parse_since(since)
        if fmt not in report.FORMATS:
            from advisor.errors import InputError

            raise InputError(f"format={fmt!r}: use jsonl or csv")
        return report.export_lines(self.db.answers(since=start), fmt)

    def mark(self, ids: Sequence[str], status: str) -> int:
        return self.db.mark(ids, status)

    def console_data(self, days: int) -> dict[str, Any]:
        """Everything the console shows, as JSON."""
        return {
            "summary": self.summary(days).contract(),
            "gaps": [g.contract() for g in self.gaps(days)],
            "recent": [r.export() for r in self.recent()],
            "contact": self.settings.contact,
        }
