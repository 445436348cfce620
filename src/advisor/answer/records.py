"""What the answering chain's steps hand each other, in order:

    Turn ──condense──▶ Standalone ──terms──▶ Understood ──retrieve──▶ Evidence ──generate──▶ Answer

Each is a frozen record; a step reads the fields it needs by name, never a string-keyed dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.types import Message, Retrieval

MAX_HISTORY_MESSAGES = 20  # earlier messages than the latest 20 (10 turns) are not read


@dataclass(frozen=True)
class Turn:
    """A student's question in its conversation: the chain's input."""

    question: str
    history: tuple[Message, ...] = ()
    # receives a chat model's draft so far, whole, as far as the citation check has passed it
    on_draft: Callable[[str], None] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, inputs: Turn | Mapping[str, Any]) -> Turn:
        """A turn from the chain's documented input ``{"question", "history"}`` (or a turn already)."""
        if isinstance(inputs, Turn):
            return inputs
        history = Message.history(inputs.get("history") or ())[-MAX_HISTORY_MESSAGES:]
        return cls(str(inputs["question"]), history, inputs.get("on_draft"))


@dataclass(frozen=True)
class Standalone:
    """The turn with its self-contained query (a follow-up's references resolved)."""

    turn: Turn
    query: str


@dataclass(frozen=True)
class Terms:
    """What the guide makes of a query's words."""

    query: str  # the query, misspellings corrected, with synonyms the corpus uses appended
    synonyms: dict[str, str]  # question word → the corpus word that stands for it
    missing: tuple[str, ...]  # topic words the guide never mentions
    corrections: dict[str, str] = field(default_factory=dict)  # misspelt word → the word meant
    unfamiliar: dict[str, float] = field(default_factory=dict)  # rare words the corpus never uses → nearest cosine


@dataclass(frozen=True)
class Understood:
    """The standalone query and what the guide makes of its words."""

    turn: Turn
    query: str
    terms: Terms

    @property
    def focus(self) -> str:
        """The student's own words (spelling corrected), with the corpus's synonyms for them: what the
        answer must be about."""
        question = self.turn.question
        for wrong, right in self.terms.corrections.items():
            question = question.replace(wrong, right)
        return " ".join([question, *self.terms.synonyms.values()])


@dataclass(frozen=True)
class Evidence:
    """The understood question and the passages found for it."""

    understood: Understood
    retrieval: Retrieval
