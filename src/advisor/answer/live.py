"""The advisor a running app answers with, moved onto each newly published index without a restart.

A watcher thread reads the index version every ``interval`` seconds (embedded: the text of the
generation pointer file, no Chroma involved; server mode: one small version record, see
``advisor.ingest.generations``). When it changed, the watcher opens the new generation and builds
a new :class:`Advisor` off the request path (sharing the loaded embedding and chat models, and the
old one's embedded corpus words), answers one warm-up question with it, and swaps one reference.
Questions already in flight finish on the old Advisor; the last one out has it closed (its Chroma
client and its generation lease), and the old generation's files are deleted if no ingest is
running (else the next ingest deletes them).

A reload that fails (an unreadable new index) is logged and leaves the old Advisor answering; it is
tried again at the next published change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from advisor.answer.chain import Advisor
from advisor.answer.generate import Generate
from advisor.answer.retrieve import HybridSearch
from advisor.config import Settings
from advisor.errors import brief
from advisor.ingest import generations
from advisor.types import Answer, Message, Retrieval

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between two looks at the index version


class LiveAdvisor:
    """An :class:`Advisor` that follows the published index; ask it as you would the Advisor itself."""

    def __init__(self, advisor: Advisor, *, interval: float = INTERVAL, warm: str | None = None) -> None:
        self.settings: Settings = advisor.settings
        self.interval = interval
        self.warm = warm  # a question the new Advisor answers before it takes over (fills its caches)
        self.reloads = 0
        self.problem: str | None = None  # why the last reload failed, if it did
        self._current = advisor
        self._lock = threading.Lock()
        self._inflight: dict[int, int] = {}  # id(advisor) → questions it is answering
        self._retired: dict[int, Advisor] = {}  # swapped out, closed when their last question is answered
        self._version = self.version()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ the Advisor's face

    @property
    def advisor(self) -> Advisor:
        """The Advisor new questions go to."""
        return self._current

    @property
    def search(self) -> HybridSearch:
        return self._current.search

    @property
    def generate(self) -> Generate:
        return self._current.generate

    @property
    def generation(self) -> str | None:
        """The name of the generation answering (None with a Chroma server)."""
        gen = self._current.search.store.generation
        return gen.name if gen else None

    def ask(
        self,
        question: str,
        history: Iterable[Message | Mapping[str, Any]] = (),
        on_draft: Callable[[str], None] | None = None,
    ) -> Answer:
        """:meth:`Advisor.ask` on the current Advisor, which stays open until the answer is given."""
        with self.use() as advisor:
            return advisor.ask(question, history, on_draft)

    def find(self, query: str, k: int | None = None) -> Retrieval:
        with self.use() as advisor:
            return advisor.find(query, k)

    @contextmanager
    def use(self) -> Iterator[Advisor]:
        """The current Advisor, counted as in use until the block ends (a swap never closes it under you)."""
        with self._lock:
            advisor = self._current
            self._inflight[id(advisor)] = self._inflight.get(id(advisor), 0) + 1
        try:
            yield advisor
        finally:
            self._leave(advisor)

    def _leave(self, advisor: Advisor) -> None:
        with self._lock:
            left = self._inflight.pop(id(advisor)) - 1
            if left:
                self._inflight[id(advisor)] = left
            retired = self._retired.pop(id(advisor), None) if not left else None
        if retired is not None:  # closed off the request path
            threading.Thread(target=self._close, args=(retired,), name="advisor-close", daemon=True).start()

    # ------------------------------------------------------------ following the index

    def version(self) -> str:
        """The published index's version, as the last ingest left it."""
        if self.settings.chroma_url:
            return generations.server_version(self._current.search.store.client, self.settings)
        return generations.version(self.settings)

    def check(self) -> bool:
        """Move onto a newly published index, if there is one; True when the Advisor was swapped."""
        seen = self.version()
        if seen == self._version:
            return False
        try:
            fresh = self._open()
        except Exception as exc:
            self.problem = f"the new index could not be opened ({brief(exc)}); still answering from the previous one"
            log.warning("%s", self.problem)
            self._version = seen  # tried again at the next published change, not every second
            return False
        self._swap(fresh, seen)
        return True

    def _open(self) -> Advisor:
        """A new Advisor over the current index, sharing the running one's models; warmed up."""
        from advisor.ingest.store import open_store

        old = self._current
        store = open_store(self.settings, embeddings=old.search.store.embeddings)
        try:
            chat: Any = old.chat_model if old.llm_problem is None else "from-settings"
            fresh = Advisor(HybridSearch(store), self.settings, chat_model=chat)
            fresh.coverage.prepare(old.coverage)  # the corpus words: only the new index's new ones are embedded
            if self.warm:
                fresh.ask(self.warm)
        except BaseException:
            store.close()
            raise
        return fresh

    def _swap(self, fresh: Advisor, seen: str) -> None:
        with self._lock:
            old, self._current = self._current, fresh
            self._version = seen
            self.reloads += 1
            self.problem = None
            idle = id(old) not in self._inflight
            if not idle:
                self._retired[id(old)] = old
        log.info("answering from the new index (%s)", self.generation or seen)
        if idle:
            self._close(old)

    def _close(self, advisor: Advisor) -> None:
        """Close a swapped-out Advisor, then delete the generations nothing reads any more."""
        from advisor.ingest.sync import ingest_lock

        try:
            advisor.close()
            if not self.settings.chroma_url:
                generations.tidy(self.settings, ingest_lock(self.settings))
        except Exception as exc:  # the files stay until the next ingest's cleanup
            log.warning("could not let go of the previous index: %s", brief(exc))

    # ------------------------------------------------------------ the watcher

    def start(self) -> LiveAdvisor:
        """Look for a new index every ``interval`` seconds in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="advisor-reload", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception as exc:  # e.g. a Chroma server that went away: try again next time
                log.warning("could not check the index for changes: %s", brief(exc))
