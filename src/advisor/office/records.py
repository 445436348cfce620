"""The office's records: what the serving layer hands the log, and what the office reads back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, get_args

Rating = Literal["up", "down"]
Reason = Literal["wrong", "incomplete", "not what I asked", "other"]  # what a thumbs-down may say
REASONS: tuple[str, ...] = get_args(Reason)
GapStatus = Literal["resolved", "out_of_scope"]
# DESIGN.md's export columns, exactly and in its order (a contract other tools read); the rest of a row
# (answerer, conversation, client hash) stays in the log and the console.
EXPORT_FIELDS = (
    "id",
    "time",
    "question",
    "answer",
    "refused",
    "sources",
    "score",
    "latency_ms",
    "rating",
    "reason",
    "comment",
)


@dataclass(frozen=True)
class Asked:
    """One answer given, as the log receives it; the writer redacts the question and hashes the address."""

    id: str
    time: datetime
    question: str
    answer: str
    refused: bool
    sources: tuple[str, ...]
    score: float
    latency_ms: float
    answerer: str
    conversation: str
    address: str  # the client address: in memory until the writer hashes it, never stored


@dataclass(frozen=True)
class Feedback:
    """A thumbs up or down on one answer."""

    id: str
    rating: Rating
    reason: str | None = None
    comment: str | None = None  # redacted by the writer
    time: datetime | None = None
    previous: Rating | None = None  # the rating it replaces (counts are moved, not added)


@dataclass(frozen=True)
class Click:
    """A student followed the link to the program office."""

    time: datetime


@dataclass(frozen=True)
class LoggedAnswer:
    """One row of the log, as the console, the report and the export read it."""

    id: str
    time: datetime
    question: str
    answer: str
    refused: bool
    sources: tuple[str, ...]
    score: float
    latency_ms: float
    answerer: str
    conversation: str
    client: str
    rating: str | None
    reason: str | None
    comment: str | None
    gap: str | None = None

    def export(self) -> dict[str, Any]:
        """One exported row: DESIGN.md's fields."""
        return {
            "id": self.id,
            "time": self.time.isoformat(timespec="seconds"),
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "sources": list(self.sources),
            "score": round(self.score, 4),
            "latency_ms": round(self.latency_ms, 1),
            "rating": self.rating,
            "reason": self.reason,
            "comment": self.comment,
        }


@dataclass(frozen=True)
class Day:
    """One day's counts (kept even when conversations are not)."""

    day: date
    questions: int = 0
    refused: int = 0
    up: int = 0
    down: int = 0
    contact_clicks: int = 0

    @property
    def answered(self) -> int:
        return self.questions - self.refused


@dataclass(frozen=True)
class Summary:
    """The console's and the report's figures over the last ``days`` days."""

    days: int
    per_day: tuple[Day, ...]
    top_sources: tuple[tuple[str, int], ...]
    conversations_kept: bool

    def totals(self) -> dict[str, int]:
        keys = ("questions", "refused", "up", "down", "contact_clicks")
        out = {k: sum(getattr(d, k) for d in self.per_day) for k in keys}
        out["answered"] = out["questions"] - out["refused"]
        return out

    def contract(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "totals": self.totals(),
            "per_day": [
                {
                    "day": d.day.isoformat(),
                    "questions": d.questions,
                    "answered": d.answered,
                    "refused": d.refused,
                    "up": d.up,
                    "down": d.down,
                    "contact_clicks": d.contact_clicks,
                }
                for d in self.per_day
            ],
            "top_sources": [{"source": s, "citations": n} for s, n in self.top_sources],
            "conversations_kept": self.conversations_kept,
        }


@dataclass(frozen=True)
class GapGroup:
    """Questions the advisor could not answer well, that mean about the same thing."""

    ids: tuple[str, ...]
    examples: tuple[str, ...]  # distinct questions, most recent first
    answer: str  # the answer given to the most recent one
    refused: int
    low_confidence: int
    thumbs_down: int
    last: datetime
    reasons: tuple[str, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.ids)

    def contract(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "examples": list(self.examples),
            "answer": self.answer,
            "refused": self.refused,
            "low_confidence": self.low_confidence,
            "thumbs_down": self.thumbs_down,
            "reasons": list(self.reasons),
            "last": self.last.isoformat(timespec="seconds"),
            "ids": list(self.ids),
        }
