"""The answering chain: ``{question, history}`` → :class:`Answer`, as a LangChain runnable.

    condense (follow-up → standalone query)
      → terms (synonyms the corpus uses; topic words it never mentions)
      → retrieve (hybrid search, then passages reranked by their best sentence; relevance floor)
      → decide (covered? else a plain refusal with questions the guide can answer)
      → generate (extractive by default: the passages' own sentences, cited [n])

Each stage is a runnable step, so a chat model (issue: LLM answerers) can take
the place of the extractive generator without touching the CLI or the chat.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from advisor.condense import Lexicon, condense, user_turns
from advisor.config import Settings
from advisor.corpus import Passage
from advisor.coverage import CoverageCheck, Terms
from advisor.generate import Citation, ExtractiveAnswerer, SentenceBank
from advisor.retrieve import HybridSearch, Retrieval, clean_query

MAX_HISTORY_TURNS = 20  # earlier messages than this are not read
MAX_SUGGESTIONS = 3


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

    def contract(self) -> dict[str, Any]:
        """The ``advisor ask --json`` object of DESIGN.md."""
        hits = self.retrieval.hits if self.retrieval else ()
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.contract() for c in self.citations],
            "retrieved": [
                {"source": h.passage.source, "section": h.passage.section, "text": h.passage.text, "score": h.score}
                for h in hits
            ],
            "latency_ms": round(self.latency_ms, 1),
        }


class Advisor:
    """The answering pipeline over one index; build once, ask many times."""

    def __init__(self, search: HybridSearch, settings: Settings | None = None) -> None:
        self.search = search
        self.settings = settings or search.settings
        self.lexicon = Lexicon([p.embed_text for p in search.passages], search.abbreviations)
        self.answerer = ExtractiveAnswerer(SentenceBank(search.store.embeddings), self.lexicon)
        self.coverage = CoverageCheck(search.store.embeddings, self.lexicon)
        self.topics = section_questions(search.passages)
        self.chain = build_chain(self)
        # The caches (sentence and word embeddings) are shared by the chat's and the API's worker
        # threads; an answer takes ~20 ms, so answering one at a time costs little.
        self._lock = threading.Lock()

    def ask(self, question: str, history: Sequence[dict[str, Any]] = ()) -> Answer:
        """Answer one question in the context of the conversation so far.

        Raises :class:`~advisor.errors.InputError` for an empty or over-long question.
        """
        started = time.perf_counter()
        question = clean_query(question)
        with self._lock:
            answer: Answer = self.chain.invoke({"question": question, "history": list(history)[-MAX_HISTORY_TURNS:]})
        return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)

    # The chain's steps -------------------------------------------------------------

    def condense(self, inputs: dict[str, Any]) -> str:
        return condense(inputs["question"], inputs.get("history") or [], self.lexicon)

    def find(self, query: str, k: int | None = None) -> Retrieval:
        """Search and rerank, as the chain does, for a query that stands on its own."""
        retrieval = self.search.search(self.coverage.terms(clean_query(query)).query, k or self.settings.top_k)
        return self.answerer.rerank(retrieval) if retrieval.covered else retrieval

    def terms(self, inputs: dict[str, Any]) -> Terms:
        return self.coverage.terms(inputs["query"])

    def retrieve(self, inputs: dict[str, Any]) -> Retrieval:
        retrieval = self.search.search(inputs["terms"].query, self.settings.top_k)
        return self.answerer.rerank(retrieval, focus(inputs)) if retrieval.covered else retrieval

    def respond(self, inputs: dict[str, Any]) -> Answer:
        question: str = inputs["question"]
        retrieval: Retrieval = inputs["retrieval"]
        history = inputs.get("history") or []
        terms: Terms = inputs["terms"]
        if terms.missing or not retrieval.covered or retrieval.vector is None:
            # Name the missing words only for a question near the guide's topic ("tuition");
            # one far off it has several, or fails the floor, and naming them is noise.
            missing = terms.missing if retrieval.covered and len(terms.missing) <= 2 else ()
            return self.refusal(question, inputs["query"], retrieval, history, missing)
        draft = self.answerer.compose(retrieval, np.asarray(retrieval.vector), focus(inputs))
        if not draft.citations:
            return self.refusal(question, inputs["query"], retrieval, history)
        cited = {c.passage.section for c in draft.citations}
        return Answer(
            question,
            inputs["query"],
            draft.text,
            False,
            draft.citations,
            retrieval,
            suggestions=self.suggest(retrieval, history, exclude=cited),
        )

    def refusal(
        self,
        question: str,
        query: str,
        retrieval: Retrieval,
        history: list[dict[str, Any]],
        missing: Sequence[str] = (),
    ) -> Answer:
        suggestions = self.suggest(retrieval, history, exclude=set())
        if missing:
            named = " or ".join(f"“{w}”" for w in missing[:3])
            text = f"The career guide does not mention {named}, so I can't answer that from the guide."
        else:
            text = "The career guide does not cover that question, so I can't answer it from the guide."
        if suggestions:
            text += " It can answer questions like these:\n\n" + "\n".join(f"- {q}" for q in suggestions)
        return Answer(question, query, text, True, (), retrieval, suggestions=suggestions)

    def suggest(self, retrieval: Retrieval, history: list[dict[str, Any]], exclude: set[str]) -> tuple[str, ...]:
        """Up to three questions about nearby sections the conversation has not asked about yet."""
        asked = set(user_turns(history))
        near = [h.passage.section for h in retrieval.hits]
        ordered = list(dict.fromkeys([*near, *self.topics]))
        out = []
        for section in ordered:
            q = self.topics.get(section)
            if q and section not in exclude and q not in asked:
                out.append(q)
            if len(out) == MAX_SUGGESTIONS:
                break
        return tuple(out)


def focus(inputs: dict[str, Any]) -> str:
    """The student's own words, with the corpus's synonyms for them: what the answer must be about."""
    terms: Terms = inputs["terms"]
    return " ".join([inputs["question"], *terms.synonyms.values()])


def section_questions(passages: Sequence[Passage]) -> dict[str, str]:
    """A question per section heading, in corpus order: the heading itself when it is one."""
    out: dict[str, str] = {}
    for p in passages:
        heading = p.section.strip()
        if not heading or heading == p.title or heading in out:
            continue
        out[heading] = heading if heading.endswith("?") else f"What does the guide say about “{heading}”?"
    return out


def build_chain(advisor: Advisor) -> Runnable[dict[str, Any], Answer]:
    """``{"question", "history"}`` → :class:`Answer`, one named runnable per stage."""
    return (
        RunnablePassthrough.assign(query=RunnableLambda(advisor.condense, name="condense"))
        | RunnablePassthrough.assign(terms=RunnableLambda(advisor.terms, name="terms"))
        | RunnablePassthrough.assign(retrieval=RunnableLambda(advisor.retrieve, name="retrieve"))
        | RunnableLambda(advisor.respond, name="generate")
    ).with_config(run_name="advisor")


def open_advisor(settings: Settings, *, notify: Any = None) -> Advisor:
    """Open the index (building it if needed) and the answering pipeline over it."""
    from advisor.retrieve import open_search

    return Advisor(open_search(settings, notify=notify), settings)
