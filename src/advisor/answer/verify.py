"""Citation check: every sentence shown to a student must be supported by a passage it cites.

A chat model's draft is split into sentences. A sentence keeps a marker [n] only when
passage n was retrieved and supports it: the sentence's embedding is close to one of the
passage's sentences (cosine) and enough of its content words are in the passage. A sentence
left with no supporting marker is dropped; markers that point nowhere never reach the user.
If too little survives, the caller falls back to the extractive answer.

The support threshold is calibrated on the corpus (``python -m tools.calibrate_citations``): each of its
sentences, a third of the words dropped, against its own passage (supported) and against the
other passages retrieved for it (not supported).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from advisor.answer.extractive import SentenceBank
from advisor.answer.lexicon import Lexicon
from advisor.text import STOP_STEMS, sentences, stem, words
from advisor.types import Citation, Passage, Vector, Verified

# support = cosine to the passage's closest sentence + LEXICAL × share of the sentence's
# content words found in the passage. Calibrated: see module docstring and README.
LEXICAL = 0.5
SUPPORT = 1.05  # keeps 88% of supported claims, drops 98% of unsupported ones (calibrate())
MIN_WORDS = 4  # shorter "sentences" ("Sure!", "[1]") carry no claim to keep
CITATION_MARK = re.compile(r"\[(\d+)\]")  # "[2]": the passage that supports the sentences before it
_TRAILING_MARKERS = re.compile(r"([.!?])\s*((?:\[\d+\]\s*)+)")


class CitationCheck:
    def __init__(self, bank: SentenceBank, lexicon: Lexicon) -> None:
        self.bank = bank
        self.lexicon = lexicon

    def support(self, claim: str, passage: Passage, claim_vector: Vector | None = None) -> float:
        """How well ``passage`` supports ``claim`` (see module docstring for the formula)."""
        if claim_vector is None:
            claim_vector = np.asarray(self.bank.embeddings.embed_query(claim), dtype=np.float32)
        _, vectors = self.bank.of([passage])[passage.id]
        cosine = float(np.max(vectors @ claim_vector)) if len(vectors) else 0.0
        claim_terms = {stem(w) for w in words(claim)} - STOP_STEMS
        passage_terms = {stem(w) for w in words(passage.keyword_text)}
        lexical = len(claim_terms & passage_terms) / len(claim_terms) if claim_terms else 0.0
        return cosine + LEXICAL * lexical

    def swaps_subjects(self, claim: str, passage: Passage, claim_vector: Vector) -> bool:
        """Whether the claim pairs the same subjects as the passage's closest sentence, the other way round.

        "ML engineers do end-to-end implementation, while AI engineers build models from scratch"
        shares nearly every word with the guide's sentence that says the opposite.
        """
        spans = [s.stems for s in self.lexicon.subjects(claim)]
        if len(set(spans)) < 2:
            return False
        texts, vectors = self.bank.of([passage])[passage.id]
        closest = texts[int(np.argmax(vectors @ claim_vector))]
        theirs = [s.stems for s in self.lexicon.subjects(closest)]
        mine = list(dict.fromkeys(spans))
        theirs = list(dict.fromkeys(t for t in theirs if t in mine))
        return len(theirs) >= 2 and theirs != [t for t in mine if t in theirs]

    def check(self, draft: str, passages: Sequence[Passage], allowed: Callable[[str], bool] | None = None) -> Verified:
        """Keep the draft's supported sentences, with only the markers that support them.

        ``allowed`` may refuse a sentence outright (the guard: instructions, the prompt's own words).
        """
        claims = []
        # "… office. [1] Next …": a marker after the full stop belongs to the sentence before it,
        # but the sentence splitter would hand it to the next one.
        draft = _TRAILING_MARKERS.sub(lambda m: f" {m.group(2).strip()}{m.group(1)} ", draft)
        for sentence in sentences(draft.strip()) if draft.strip() else []:
            markers = [int(n) for n in CITATION_MARK.findall(sentence)]
            text = " ".join(CITATION_MARK.sub(" ", sentence).split())
            text = re.sub(r"\s+([.,;:!?])", r"\1", text)
            if len(text.split()) >= MIN_WORDS:
                claims.append((text, markers))
        if not claims:
            return Verified("", (), 0, 0, 0)
        vectors = np.asarray(self.bank.embeddings.embed_documents([c for c, _ in claims]), dtype=np.float32)
        numbers: dict[str, int] = {}
        cited: list[Citation] = []
        parts: list[str] = []
        in_range = 0
        for (text, markers), vector in zip(claims, vectors, strict=True):
            valid = [n for n in dict.fromkeys(markers) if 1 <= n <= len(passages)]
            in_range += bool(markers) and len(valid) == len(set(markers))
            if allowed is not None and not allowed(text):
                continue
            good = [passages[n - 1] for n in valid if self.support(text, passages[n - 1], vector) >= SUPPORT]
            good = [p for p in good if not self.swaps_subjects(text, p, vector)]
            if not good:
                continue
            refs = []
            for p in good:
                if p.id not in numbers:
                    numbers[p.id] = len(numbers) + 1
                    cited.append(Citation(numbers[p.id], p))
                refs.append(f"[{numbers[p.id]}]")
            parts.append(f"{text} {''.join(refs)}")
        return Verified(" ".join(parts), tuple(cited), len(claims), len(parts), in_range)


class CheckedDraft:
    """A chat model's draft as it streams, passed on only as far as the citation check holds it.

    Fed the model's tokens; each time a sentence is finished (the next one has begun), the finished part
    is checked (:meth:`CitationCheck.check`, the guard's ``allowed`` too) and ``show`` receives the checked
    text so far, whole, when it changed. Unchecked draft text is never passed on.
    """

    def __init__(
        self,
        check: CitationCheck,
        passages: Sequence[Passage],
        show: Callable[[str], None],
        allowed: Callable[[str], bool] | None = None,
    ) -> None:
        self.check = check
        self.passages = passages
        self.show = show
        self.allowed = allowed
        self.draft = ""
        self.finished = ""  # the part of the draft checked so far
        self.shown = ""

    def __call__(self, token: str) -> None:
        self.draft += token
        parts = sentences(self.draft)
        if len(parts) > 1:
            self._settle("".join(parts[:-1]))

    def close(self) -> None:
        """The draft is complete: check its last sentence too."""
        self._settle(self.draft)

    def _settle(self, finished: str) -> None:
        if finished.strip() == self.finished.strip():
            return
        self.finished = finished
        text = self.check.check(finished, self.passages, allowed=self.allowed).text
        if text != self.shown:
            self.shown = text
            self.show(text)
