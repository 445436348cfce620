"""The answering chain: ``{question, history}`` → :class:`~advisor.types.Answer`, as a LangChain runnable.

    condense   a follow-up → a standalone query (condense.py; a chat model's rewrite if faithful)
    terms      synonyms the corpus uses; topic words it never mentions (coverage.py)
    retrieve   hybrid search; planted instructions and foreign links taken out (advisor.safety);
               candidates ranked by the calibrated ranker (ranking.py); the relevance floor (retrieve.py)
    generate   a refusal, or the extractive answer, or a chat model's checked draft (generate.py)
    guard      links and images only to allowed hosts (advisor.safety)

:class:`Advisor` builds the parts over one index and wires them; each step takes and returns a
typed record (records.py). :func:`open_advisor` brings the index up to date first (the sync
step of ``advisor.ingest``), then opens the pipeline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda

from advisor.answer.condense import Condense
from advisor.answer.coverage import CoverageCheck
from advisor.answer.extractive import ExtractiveAnswerer, SentenceBank
from advisor.answer.generate import Generate
from advisor.answer.lexicon import Lexicon
from advisor.answer.llm import build_chat_model
from advisor.answer.prompts import PROMPTS
from advisor.answer.ranking import Ranker
from advisor.answer.records import Turn
from advisor.answer.refusal import Refusals
from advisor.answer.retrieve import HybridSearch, Retrieve
from advisor.answer.smalltalk import MAX_SUGGESTIONS, SmallTalk, kind_of
from advisor.answer.verify import CitationCheck
from advisor.config import Settings
from advisor.errors import BackendError
from advisor.safety.guard import Guard
from advisor.text import clean_query
from advisor.types import Answer, Message, Retrieval

log = logging.getLogger(__name__)


class Advisor:
    """The answering pipeline over one index; build once, ask many times."""

    def __init__(
        self,
        search: HybridSearch,
        settings: Settings | None = None,
        chat_model: BaseChatModel | None | Literal["from-settings"] = "from-settings",
    ) -> None:
        self.search = search
        self.settings = settings = settings or search.settings
        self.llm_problem: str | None = None  # why a configured chat model cannot be used
        if chat_model == "from-settings":
            try:
                chat_model = build_chat_model(settings)
            except BackendError as exc:
                log.warning("%s; answering with the guide's own sentences", exc)
                self.llm_problem, chat_model = str(exc), None
        self.chat_model: BaseChatModel | None = chat_model
        self.generator = settings.llm if (chat_model is not None or self.llm_problem) else "extractive"

        self.lexicon = Lexicon(
            [p.keyword_text for p in search.passages], search.abbreviations, own_text=[p.text for p in search.passages]
        )
        bank = SentenceBank(search.store.embeddings)
        bank.preload(search.passages, search.store.sentence_vectors())  # embedded at ingest
        self.answerer = ExtractiveAnswerer(bank, self.lexicon)
        self.citations = CitationCheck(bank, self.lexicon)
        self.guard = Guard(settings.allowed_link_hosts, secrets=PROMPTS)
        self.coverage = CoverageCheck(search.store.embeddings, self.lexicon, bank, answerer=self.answerer)
        self.condense = Condense(self.lexicon, chat_model, settings.llm_timeout)
        self.ranker = Ranker(self.answerer, search.passages)
        self.retrieve = Retrieve(search, self.guard, self.ranker, settings.top_k)
        self.generate = Generate(
            self.coverage,
            self.answerer,
            self.citations,
            self.guard,
            Refusals(search.passages),
            chat_model=chat_model,
            timeout=settings.llm_timeout,
            generator=self.generator,
            llm_problem=self.llm_problem,
        )
        # what a greeting offers to ask: the office's examples, else questions from the guides' headings
        self.small_talk = SmallTalk(settings.site.examples or self.generate.refusals.examples(MAX_SUGGESTIONS))
        self.chain = build_chain(self)
        # Answers are computed one at a time, on one thread: the caches (sentence and word
        # embeddings) need no lock, and the model's per-thread memory is allocated once, not in
        # each of the web server's worker threads (measured: 150 MB more under 45 clients).
        # An extractive answer takes ~15 ms; with the local chat model each takes seconds and
        # other students wait (see README, Known gaps).
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="advisor-answer")

    def ask(
        self,
        question: str,
        history: Iterable[Message | Mapping[str, Any]] = (),
        on_draft: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer one question in the context of the conversation so far.

        ``on_draft`` receives a chat model's draft as it is written: the checked text so far, whole,
        each time a finished sentence passes the citation check (never unchecked text). Raises
        :class:`~advisor.errors.InputError` for an empty or over-long question.
        """
        started = time.perf_counter()
        turn = Turn.of({"question": clean_query(question), "history": list(history), "on_draft": on_draft})
        answer: Answer = self._worker.submit(self.chain.invoke, turn).result()
        return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)

    def find(self, query: str, k: int | None = None) -> Retrieval:
        """Search and rerank, as the chain does, for a query that stands on its own."""
        terms = self.coverage.terms(clean_query(query))
        return self.retrieve.find(terms.query, k or self.settings.top_k)

    def close(self) -> None:
        """Let go of the index (its Chroma client and generation lease) and the answering thread.

        Vector search reads Chroma on every question, so only once no question is in flight
        (answer/live.py waits for that)."""
        self._worker.shutdown(wait=True)
        self.search.store.close()


def build_chain(advisor: Advisor) -> Runnable[Any, Answer]:
    """``{"question", "history"}`` (or a :class:`Turn`) → :class:`Answer`, one named runnable per stage; small
    talk ("hi", "thanks") is answered in kind, without a search."""
    answer = (
        RunnableLambda(advisor.condense, name="condense")
        | RunnableLambda(advisor.coverage.understand, name="terms")
        | RunnableLambda(advisor.retrieve, name="retrieve")
        | RunnableLambda(advisor.generate, name="generate")
    )
    in_kind = RunnableLambda(advisor.small_talk, name="small_talk")

    def small_talk(turn: Turn) -> bool:
        return kind_of(turn.question, follow_up=bool(turn.history)) is not None

    return (
        RunnableLambda(Turn.of, name="turn")
        | RunnableBranch((small_talk, in_kind), answer)
        | RunnableLambda(advisor.guard.screen_answer, name="guard")
    ).with_config(run_name="advisor")


def open_advisor(settings: Settings, *, notify: Callable[[str], None] | None = None) -> Advisor:
    """Bring the index up to date with the corpus (building it if needed), then open the pipeline over it."""
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ensure_index

    store = open_store(settings)
    if notify is None:
        ensure_index(store)
    else:
        ensure_index(store, notify=notify)
    return Advisor(HybridSearch(store), settings)
