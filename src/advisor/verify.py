"""Citation check: every sentence shown to a student must be supported by a passage it cites.

A chat model's draft is split into sentences. A sentence keeps a marker [n] only when
passage n was retrieved and supports it: the sentence's embedding is close to one of the
passage's sentences (cosine) and enough of its content words are in the passage. A sentence
left with no supporting marker is dropped; markers that point nowhere never reach the user.
If too little survives, the caller falls back to the extractive answer.

The support threshold is calibrated on the corpus (``python -m advisor.verify``): each of its
sentences, a third of the words dropped, against its own passage (supported) and against the
other passages retrieved for it (not supported).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from advisor.condense import STOP_STEMS, Lexicon, stem, words
from advisor.corpus import Passage, sentences
from advisor.generate import Citation, SentenceBank

# support = cosine to the passage's closest sentence + LEXICAL × share of the sentence's
# content words found in the passage. Calibrated: see module docstring and README.
LEXICAL = 0.5
SUPPORT = 1.05  # keeps 88% of supported claims, drops 98% of unsupported ones (calibrate())
MIN_WORDS = 4  # shorter "sentences" ("Sure!", "[1]") carry no claim to keep
_MARKER = re.compile(r"\[(\d+)\]")
_TRAILING_MARKERS = re.compile(r"([.!?])\s*((?:\[\d+\]\s*)+)")


@dataclass(frozen=True)
class Verified:
    text: str  # the kept sentences, each with its supporting markers renumbered [1], [2], ...
    citations: tuple[Citation, ...]
    sentences: int  # sentences in the draft that make a claim
    kept: int
    cited_in_range: int  # claim sentences whose markers all pointed at retrieved passages

    @property
    def supported_share(self) -> float:
        """Share of the draft's claim sentences that survived (were supported by a cited passage)."""
        return self.kept / self.sentences if self.sentences else 0.0


class CitationCheck:
    def __init__(self, bank: SentenceBank, lexicon: Lexicon) -> None:
        self.bank = bank
        self.lexicon = lexicon

    def support(self, claim: str, passage: Passage, claim_vector: np.ndarray | None = None) -> float:
        """How well ``passage`` supports ``claim`` (see module docstring for the formula)."""
        if claim_vector is None:
            claim_vector = np.asarray(self.bank.embeddings.embed_query(claim), dtype=np.float32)
        _, vectors = self.bank.of([passage])[passage.id]
        cosine = float(np.max(vectors @ claim_vector)) if len(vectors) else 0.0
        claim_terms = {stem(w) for w in words(claim)} - STOP_STEMS
        passage_terms = {stem(w) for w in words(passage.embed_text)}
        lexical = len(claim_terms & passage_terms) / len(claim_terms) if claim_terms else 0.0
        return cosine + LEXICAL * lexical

    def swaps_subjects(self, claim: str, passage: Passage, claim_vector: np.ndarray) -> bool:
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
            markers = [int(n) for n in _MARKER.findall(sentence)]
            text = " ".join(_MARKER.sub(" ", sentence).split())
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


def calibrate(seed: int = 7) -> None:
    """Print how the support score separates a claim's own passage from its neighbours.

    Claims are the corpus's sentences with a third of their words dropped (a crude stand-in
    for a model's paraphrase), scored against the passage they come from (supported) and
    against the other passages retrieved for them (not supported: same topic, other facts).
    """
    import random

    from advisor.chain import open_advisor
    from advisor.config import Settings, quiet_runtime

    quiet_runtime()
    rng = random.Random(seed)
    advisor = open_advisor(Settings.from_env())
    check = CitationCheck(advisor.answerer.bank, advisor.lexicon)
    good: list[float] = []
    bad: list[float] = []
    for passage in advisor.search.passages:
        for sentence in sentences(passage.text):
            ws = sentence.split()
            if len(ws) < 8:
                continue
            claim = " ".join(w for w in ws if rng.random() > 1 / 3)
            vector = np.asarray(advisor.search.store.embeddings.embed_query(claim), dtype=np.float32)
            for hit in advisor.find(claim, 4).hits:
                score = check.support(claim, hit.passage, vector)
                (good if hit.passage.id == passage.id else bad).append(score)
    for threshold in np.arange(0.80, 1.50, 0.05):
        accepted = sum(s >= threshold for s in good) / len(good)
        rejected = sum(s < threshold for s in bad) / len(bad)
        print(f"threshold {threshold:.2f}: supported kept {accepted:.1%}, unsupported dropped {rejected:.1%}")
    print(f"(current SUPPORT = {SUPPORT}; {len(good)} supported and {len(bad)} unsupported pairs)")


if __name__ == "__main__":
    calibrate()
