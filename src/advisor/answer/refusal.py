"""What the student is told when the answer is not an ordinary one, and what to ask next.

A refusal says plainly that the guide does not cover the question (naming an unknown topic
word back only when it is a plain word: never a student's code word or link) and offers
questions the guide can answer. Those suggestions come from the corpus's own section headings,
nearest sections first, leaving out what the conversation already asked. The notices say why
a configured chat model's answer was replaced by the guide's own sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from advisor.answer.condense import user_turns
from advisor.ingest.outline import PATH_SEPARATOR
from advisor.types import Answer, Message, Passage, Retrieval

MAX_SUGGESTIONS = 3
PLAIN_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]{0,28}(?:['’-][^\W\d_]+)?")

NOTICE_UNAVAILABLE = "(The language model did not answer, so this answer is made of the guide's own sentences.)"
NOTICE_UNVERIFIED = (
    "(The language model's answer could not be checked against the guide, so this answer is made of the guide's "
    "own sentences.)"
)


def section_questions(passages: Sequence[Passage]) -> dict[str, str]:
    """A question per section, in corpus order, from its own heading: the heading itself when it is one."""
    out: dict[str, str] = {}
    for p in passages:
        section = p.section.strip()
        if not section or section == p.title or section in out:
            continue
        heading = section.split(PATH_SEPARATOR)[-1]  # "Careers › SOC Analyst": ask about the SOC analyst
        out[section] = heading if heading.endswith("?") else f"What does the guide say about “{heading}”?"
    return out


class Refusals:
    """Refusals and suggested questions over one corpus's sections."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.topics = section_questions(passages)

    def examples(self, limit: int) -> tuple[str, ...]:
        """Questions to offer before any is asked: the sections' own questions first ("How long does it take?"),
        then the others ("What does the guide say about “Pay”?"), in corpus order."""
        return tuple(sorted(self.topics.values(), key=lambda q: not q.endswith("?") or "“" in q)[:limit])

    def suggest(
        self, retrieval: Retrieval, history: Iterable[Message | dict[str, Any]], exclude: set[str]
    ) -> tuple[str, ...]:
        """Up to three questions about nearby sections the conversation has not asked about yet."""
        asked = set(user_turns(history))
        near = [h.passage.section for h in retrieval.hits]
        out: list[str] = []
        for section in dict.fromkeys([*near, *self.topics]):
            q = self.topics.get(section)
            if q and section not in exclude and q not in asked:
                out.append(q)
            if len(out) == MAX_SUGGESTIONS:
                break
        return tuple(out)

    def refuse(
        self,
        question: str,
        query: str,
        retrieval: Retrieval,
        history: Iterable[Message | dict[str, Any]],
        missing: Sequence[str] = (),
    ) -> Answer:
        """The refusal for a question the guide does not cover, with questions it can answer."""
        suggestions = self.suggest(retrieval, history, exclude=set())
        named = [w for w in missing if PLAIN_WORD.fullmatch(w)]
        if named:
            words = " or ".join(f"“{w}”" for w in named[:3])
            text = f"The career guide does not mention {words}, so I can't answer that from the guide."
        else:
            text = "The career guide does not cover that question, so I can't answer it from the guide."
        if suggestions:
            text += " It can answer questions like these:\n\n" + "\n".join(f"- {q}" for q in suggestions)
        return Answer(question, query, text, True, (), retrieval, suggestions=suggestions)
