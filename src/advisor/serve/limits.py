"""Input limits, the per-client question budget and failure messages, shared by the API and the chat page.

The budget is one sliding minute per client address (``ADVISOR_RATE_LIMIT`` questions, 0: no
limit), counted over ``/api/chat`` and the Gradio chat together. The request limits bound what
one request may carry: a question (``MAX_QUERY_CHARS``), a capped history and the JSON around it.
:func:`for_student` turns a failed answer into what the student sees, on both surfaces.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.errors import AdvisorError, InputError
from advisor.office.records import Reason
from advisor.text import MAX_QUERY_CHARS

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64_000  # a question, a capped history and JSON punctuation fit well inside
MAX_HISTORY_MESSAGES = 40
MAX_MESSAGE_CHARS = 8_000  # one earlier message (an answer can be long)
MAX_COMMENT_CHARS = 1_000  # a thumbs-down's comment
MAX_FEEDBACK_BYTES = 8_000


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_MESSAGE_CHARS)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str = Field(max_length=MAX_QUERY_CHARS)
    history: list[Message] = Field(default_factory=list, max_length=MAX_HISTORY_MESSAGES)
    conversation: str | None = Field(default=None, max_length=64)  # the widget's id for one conversation


class FeedbackRequest(BaseModel):
    """``POST /api/feedback``: a thumbs up or down on one answer, a reason and a comment for a down."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    reason: Reason | None = None
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_CHARS)


class RateLimit:
    """At most ``per_minute`` requests per client in any sliding minute (0: no limit)."""

    def __init__(self, per_minute: int, clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.clients = clients
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds the client must wait, or 0 if this request may go ahead (and is counted)."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] > 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return 60 - (now - times[0])
            times.append(now)
            if len(self._seen) > self.clients:  # forget clients quiet for a minute
                for key in [k for k, v in self._seen.items() if not v or now - v[-1] > 60]:
                    del self._seen[key]
            return 0.0


def too_many(seconds: int) -> str:
    """What a client over its budget is told."""
    return f"that is a lot of questions in a minute; please wait {seconds} s and ask again"


GENERIC_FAILURE = "something went wrong on our side; please try again in a moment"


def for_student(exc: BaseException) -> tuple[int, str]:
    """The HTTP status and the words a student is shown for a question that could not be answered.

    A bad question is the student's to fix (422, the reason); an advisor error is ours but says
    what is wrong (503); anything else is logged with its traceback and shown as a plain apology.
    """
    if isinstance(exc, InputError):
        return 422, str(exc)
    if isinstance(exc, AdvisorError):
        log.error("answer failed: %s", exc)
        return 503, str(exc)
    log.error("answer failed", exc_info=exc)
    return 500, GENERIC_FAILURE
