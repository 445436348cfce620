"""The guard: what reaches a student or a chat model is the guide's content, never planted
instructions or foreign links.

* Retrieved passages are screened before anything is composed, quoted or sent to a model:
  a sentence that reads as an instruction to an AI (:mod:`advisor.safety.injection`) is left out,
  shown as "[…]" so that a quote never loses a sentence silently; a link to a host not allowed
  (:mod:`advisor.safety.links`) is removed, its sentence kept. ``advisor ingest`` names such
  sentences for the operator (:func:`screen_sentences`).
* A chat model's answer gets both screens too, plus a check that it does not repeat its own
  instructions (:meth:`Guard.safe_sentence`, which the streaming draft passes through as well).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

from advisor.safety.injection import instruction_kind, leaks
from advisor.safety.links import safe_links
from advisor.text import sentences
from advisor.types import Answer, Passage, Retrieval

OMITTED = "[…]"  # in place of a sentence left out of a quote: an omission is never silent


def screen_sentences(text: str, hosts: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The sentences of ``text`` as they may be shown, and ``(kind, sentence)`` for each one flagged.

    A sentence that reads as an instruction to an AI is replaced by ``OMITTED``; one that links to
    a host not in ``hosts`` is kept (its link is removed by :func:`~advisor.safety.links.safe_links`)
    and flagged ``foreign_link`` for the operator.
    """
    if not _suspect(text, hosts):  # the common case, without the (slower) sentence splitter
        return [text], []
    kept: list[str] = []
    flagged: list[tuple[str, str]] = []
    for sentence in sentences(text):
        kind = instruction_kind(sentence)
        if kind:
            flagged.append((kind, " ".join(sentence.split())))
            kept.append(OMITTED + sentence[len(sentence.rstrip()) :])
            continue
        if safe_links(sentence, hosts)[1]:
            flagged.append(("foreign_link", " ".join(sentence.split())))
        kept.append(sentence)
    return kept, flagged


_ROUGH_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def _suspect(text: str, hosts: Sequence[str]) -> bool:
    """Whether any sentence of ``text`` might be left out: checked on the whole text and on a rough
    split (more sentence starts than pysbd finds), so that it errs towards the careful path."""
    if safe_links(text, hosts)[1] or instruction_kind(text):
        return True
    return any(instruction_kind(piece) for piece in _ROUGH_SENTENCES.split(text))


class Guard:
    """Screens passages before use and answers before they are shown."""

    def __init__(self, link_hosts: Sequence[str], secrets: Sequence[str] = (), capacity: int = 50_000) -> None:
        self.link_hosts = tuple(h.lower().strip().rstrip(".") for h in link_hosts if h.strip())
        self.secrets = tuple(secrets)
        self.capacity = capacity
        self._cache: OrderedDict[tuple[str, str], Passage | None] = OrderedDict()

    def screen(self, passage: Passage) -> Passage | None:
        """The passage as students and models may see it: itself if nothing is taken out, None if nothing is left."""
        key = (passage.id, passage.text)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        kept, flagged = screen_sentences(passage.text, self.link_hosts)
        text, removed = safe_links("".join(kept).strip(), self.link_hosts)  # links split across sentences
        result: Passage | None = passage
        if flagged or removed:
            result = replace(passage, text=text) if text.replace(OMITTED, "").strip() else None
        self._cache[key] = result
        if len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        return result

    def screen_retrieval(self, retrieval: Retrieval) -> Retrieval:
        """The retrieval with instructions and foreign links taken out of its passages."""
        hits = []
        for hit in retrieval.hits:
            screened = self.screen(hit.passage)
            if screened is not None:
                hits.append(hit if screened is hit.passage else replace(hit, passage=screened))
        if len(hits) == len(retrieval.hits) and all(a is b for a, b in zip(hits, retrieval.hits, strict=True)):
            return retrieval
        return replace(retrieval, hits=tuple(hits), covered=retrieval.covered and bool(hits))

    def safe_sentence(self, sentence: str) -> bool:
        """Whether a sentence of a chat model's answer may be shown: no instruction, no prompt leak."""
        return instruction_kind(sentence) is None and not leaks(sentence, self.secrets)

    def clean_answer(self, text: str) -> str:
        """An answer's text with foreign links removed (kept sentences are otherwise untouched)."""
        return safe_links(text, self.link_hosts)[0]

    def screen_answer(self, answer: Answer) -> Answer:
        """The answer as it may be shown: foreign links and images removed from its text."""
        text = self.clean_answer(answer.text)
        return answer if text == answer.text else replace(answer, text=text)
