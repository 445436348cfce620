"""The records every layer hands to the next: frozen dataclasses, no behaviour beyond their own shape.

Passage     the unit that is embedded, retrieved and cited (ingest makes them)
Hit         one retrieved passage and why it ranked where it did
Retrieval   the ranked hits for one query, and whether the guides cover it
Citation    one [n] of an answer: the passage it points at
Verified    what the citation check kept of a chat model's draft
Answer      what the student sees, and what it rests on
Message     one earlier turn of the conversation
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Passage:
    """The unit that is embedded, retrieved and cited."""

    id: str
    source: str
    title: str
    section: str
    text: str
    ordinal: int  # position within its document
    site: str = ""  # who publishes its page, when only the page's <title> says so ("Larkspur State University")

    @property
    def embed_text(self) -> str:
        """The text embedded: title and heading give context."""
        head = self.title if self.section in ("", self.title) else f"{self.title} — {self.section}"
        return f"{head}\n{self.text}"

    @property
    def keyword_text(self) -> str:
        """The text keyword-indexed and read for the corpus's words: the embedded text and its publisher, whom
        students name ("the data science masters at larkspur") but who would only blur what a passage says."""
        return f"{self.embed_text}\n{self.site}" if self.site else self.embed_text

    def metadata(self, digest: str) -> dict[str, str | int]:
        """What the store keeps beside the passage's text; ``digest`` is its file's sha256."""
        return {
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "ordinal": self.ordinal,
            "file_digest": digest,
            **({"site": self.site} if self.site else {}),
        }


@dataclass(frozen=True)
class Hit:
    """One retrieved passage and why it ranked where it did."""

    passage: Passage
    score: float  # cosine similarity of passage and query (1 = same meaning)
    fused: float  # reciprocal-rank-fusion score: the ranking key
    vector_rank: int | None  # 1-based rank in the vector list, None if not in it
    keyword_rank: int | None  # 1-based rank in the BM25 list, None if not in it

    def contract(self) -> dict[str, Any]:
        """One entry of the ask object's ``retrieved`` list (DESIGN.md)."""
        p = self.passage
        return {"source": p.source, "section": p.section, "text": p.text, "score": self.score}


@dataclass(frozen=True)
class Retrieval:
    """The ranked hits for one query, and whether the guide covers it."""

    query: str
    hits: tuple[Hit, ...]
    covered: bool
    latency_ms: float
    vector: Vector | None = field(default=None, compare=False, repr=False)  # the query's embedding
    # For a comparison, one retrieval per side ("data engineers pay", "ux researchers pay"), ranked.
    sides: tuple[Retrieval, ...] = field(default=(), compare=False, repr=False)

    @property
    def best_score(self) -> float:
        return max((h.score for h in self.hits), default=0.0)


@dataclass(frozen=True)
class Citation:
    """One [n] of an answer: the passage it points at."""

    n: int
    passage: Passage

    def contract(self) -> dict[str, Any]:
        """One entry of the ask object's ``citations`` list (DESIGN.md)."""
        p = self.passage
        return {"n": self.n, "source": p.source, "section": p.section, "text": p.text}


@dataclass(frozen=True)
class Verified:
    """The citation check of a chat model's draft."""

    text: str  # the kept sentences, each with its supporting markers renumbered [1], [2], ...
    citations: tuple[Citation, ...]
    sentences: int  # sentences in the draft that make a claim
    kept: int
    cited_in_range: int  # claim sentences whose markers all pointed at retrieved passages

    @property
    def supported_share(self) -> float:
        """Share of the draft's claim sentences that survived (were supported by a cited passage)."""
        return self.kept / self.sentences if self.sentences else 0.0


@dataclass(frozen=True)
class Message:
    """One earlier turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str

    @classmethod
    def history(cls, raw: Iterable[Any]) -> tuple[Message, ...]:
        """The well-formed ``{"role", "content"}`` entries of a history, oldest first; others are ignored."""
        out = []
        for m in raw or ():
            if isinstance(m, Message):
                out.append(m)
            elif cls.well_formed(m):
                out.append(cls(m["role"], m["content"]))
        return tuple(out)

    @staticmethod
    def well_formed(m: Any) -> bool:
        """Whether ``m`` is a ``{"role": "user"|"assistant", "content": str}`` mapping."""
        return isinstance(m, Mapping) and m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)


@dataclass(frozen=True)
class Answer:
    """What the student sees, and what it rests on."""

    question: str
    query: str  # the self-contained query that was searched
    text: str  # Markdown, with [n] markers
    refused: bool
    citations: tuple[Citation, ...]
    retrieval: Retrieval | None
    latency_ms: float = 0.0
    suggestions: tuple[str, ...] = ()  # questions the guide can answer, to ask next
    generator: str = "extractive"  # what wrote the text: "extractive" or the chat model's name
    verification: Verified | None = None  # the citation check of a chat model's draft
    fell_back: bool = False  # a chat model was configured but the extractive answer was given
    small_talk: str = ""  # the kind of small talk answered in kind ("greeting", "thanks", …: answer/smalltalk.py)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)  # what feedback and the office's log refer to

    def contract(self) -> dict[str, Any]:
        """The ``advisor ask --json`` object of DESIGN.md."""
        hits = self.retrieval.hits if self.retrieval else ()
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.contract() for c in self.citations],
            "retrieved": [h.contract() for h in hits],
            "latency_ms": round(self.latency_ms, 1),
        }
