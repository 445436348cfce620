"""Generate: the evidence → the answer: a refusal, the extractive answer, or a chat model's checked one.

The extractive answer (the guide's own sentences, cited [n]) is always composed first. With a
chat model configured, its draft replaces it only where the citation check finds each kept
sentence supported by a passage it cites and the guard finds no instruction or prompt text in
it; a model that fails, times out or is not supported enough gives the extractive answer with
a notice saying so. While the model writes, each finished sentence is checked the same way, and
only the checked draft is streamed (``Turn.on_draft``).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np
from langchain_core.language_models import BaseChatModel

from advisor.answer.coverage import CoverageCheck
from advisor.answer.extractive import ExtractiveAnswerer
from advisor.answer.llm import stream_reply
from advisor.answer.prompts import grounded_prompt
from advisor.answer.records import Evidence
from advisor.answer.refusal import NOTICE_UNAVAILABLE, NOTICE_UNVERIFIED, Refusals
from advisor.answer.verify import CheckedDraft, CitationCheck
from advisor.errors import brief
from advisor.safety.guard import Guard
from advisor.types import Answer, Verified

log = logging.getLogger(__name__)

MIN_SUPPORTED = 0.5  # below this share of a draft's sentences supported, the extractive answer is given
MAX_NAMED_MISSING = 2  # more unknown words than this: the question is far off the topic, naming them is noise


class Generate:
    """The chain's step from evidence to answer."""

    def __init__(
        self,
        coverage: CoverageCheck,
        answerer: ExtractiveAnswerer,
        citations: CitationCheck,
        guard: Guard,
        refusals: Refusals,
        *,
        chat_model: BaseChatModel | None = None,
        timeout: float = 30.0,
        generator: str = "extractive",
        llm_problem: str | None = None,
    ) -> None:
        self.coverage = coverage
        self.answerer = answerer
        self.citations = citations
        self.guard = guard
        self.refusals = refusals
        self.chat_model = chat_model
        self.timeout = timeout
        self.generator = generator
        self.llm_problem = llm_problem  # why a configured chat model cannot be used

    def __call__(self, evidence: Evidence) -> Answer:
        understood, retrieval = evidence.understood, evidence.retrieval
        turn, terms = understood.turn, understood.terms
        verdict = self.coverage.verdict(evidence)
        if not verdict.covered or retrieval.vector is None:
            # Name the missing words only for a question near the guide's topic ("tuition");
            # one far off it has several, or fails the floor, and naming them is noise.
            near = verdict.reason == "weak_evidence" and len(terms.missing) <= MAX_NAMED_MISSING
            missing = terms.missing if near else ()
            return self.refusals.refuse(turn.question, understood.query, retrieval, turn.history, missing)
        draft = self.answerer.compose(retrieval, np.asarray(retrieval.vector), understood.focus)
        if not draft.citations:
            return self.refusals.refuse(turn.question, understood.query, retrieval, turn.history)
        cited = {c.passage.section for c in draft.citations}
        extractive = Answer(
            turn.question,
            understood.query,
            draft.text,
            False,
            draft.citations,
            retrieval,
            suggestions=self.refusals.suggest(retrieval, turn.history, exclude=cited),
        )
        if self.chat_model is None:
            return self.notice(extractive, NOTICE_UNAVAILABLE) if self.llm_problem else extractive
        return self.written(evidence, extractive)

    def notice(self, extractive: Answer, notice: str, verification: Verified | None = None) -> Answer:
        """The extractive answer, given instead of a configured chat model's, with why."""
        return replace(
            extractive,
            text=f"{extractive.text}\n\n{notice}",
            generator=self.generator,
            fell_back=True,
            verification=verification,
        )

    def written(self, evidence: Evidence, extractive: Answer) -> Answer:
        """The chat model's answer, its citations checked; the extractive one if it fails or too little holds."""
        assert self.chat_model is not None
        passages = [h.passage for h in evidence.retrieval.hits]
        messages = grounded_prompt(evidence.understood.query, passages)
        show = evidence.understood.turn.on_draft
        checked = CheckedDraft(self.citations, passages, show, allowed=self.guard.safe_sentence) if show else None
        try:
            text = stream_reply(self.chat_model, messages, timeout=self.timeout, on_token=checked)
            if checked is not None:
                checked.close()
        except Exception as exc:  # timeouts, 5xx, refused connections, missing keys: never a traceback
            log.warning("the chat model failed (%s); answering with the guide's own sentences", brief(exc))
            return self.notice(extractive, NOTICE_UNAVAILABLE)
        verified = self.citations.check(text, passages, allowed=self.guard.safe_sentence)
        if not verified.kept or verified.supported_share < MIN_SUPPORTED:
            log.info(
                "citation check kept %d of %d sentences; giving the extractive answer",
                verified.kept,
                verified.sentences,
            )
            return self.notice(extractive, NOTICE_UNVERIFIED, verification=verified)
        return replace(
            extractive,
            text=verified.text,
            citations=verified.citations,
            generator=self.generator,
            verification=verified,
        )
