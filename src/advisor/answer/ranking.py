"""Ranking: the retrieved candidates reordered by a calibrated model of "this passage answers it".

The hybrid search (vector and BM25, fused) finds candidates; which of them answers the question is
decided here from a few measurements of each candidate against the query:

- ``passage``: cosine of the passage (title, section path and text) and the query;
- ``sentence``: the best cosine of one of its sentences and the query (a passage answers with a sentence);
- ``lexical``: the share of the query's words (weighted by rarity) that the passage or its headings use;
- ``heading``: ... that its title and section path use (a paragraph about "this role" is found by the
  role its section names);
- ``answer``: the extractive answerer's score of its best sentence (which also marks down lead-ins,
  sentences about the page rather than the subject, calls to action and very short sentences);
- ``vector`` and ``keyword``: 1 / its rank in the vector and in the BM25 list (0 when absent);
- ``search``: 1 / its place in the search's fused order (the order the pool arrives in);
- ``opening``: 1 for the first passage of its section, which introduces what the section is about;
- ``expects``: 1 when the question asks for a kind of answer (an amount, a span of time, a rate: expect.py)
  and one of the passage's sentences states that kind.

Each measurement is a number on its own scale, and what makes a passage the answer is often that it measures
best *among the candidates* ("the only one whose headings name the role"): for each graded one a
``lead_`` feature is 1 when the candidate has the highest value of it among the hits reordered (ties
included): the candidate pool, or for a comparison the pool with each side's candidates interleaved.

A logistic model over these, fitted by ``python -m tools.calibrate_ranking --write`` on the dev questions
of the seed article and of the dev guides (never on held-out ones), turns them into one score; its
weights and the size of the candidate pool live in ``ranking.json`` beside this file.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from advisor.answer.expect import expected
from advisor.answer.extractive import ExtractiveAnswerer
from advisor.answer.lexicon import Span
from advisor.answer.models import linear, shipped, weights_of
from advisor.text import stem, words
from advisor.types import Hit, Passage, Retrieval

MEASURES = ("passage", "sentence", "answer", "lexical", "heading", "vector", "keyword", "search", "opening", "expects")
# the measurements on a scale (``opening`` and ``expects`` are yes or no: leading adds nothing)
GRADED = ("passage", "sentence", "answer", "lexical", "heading", "vector", "keyword", "search")
LEADS = tuple(f"lead_{m}" for m in GRADED)
FEATURES = MEASURES + LEADS


def with_leads(rows: Sequence[dict[str, float]]) -> list[dict[str, float]]:
    """The pool's measurements with their ``lead_`` features: 1 where a candidate has the pool's highest value
    of a measurement (ties included), else 0."""
    best = {m: max((r[m] for r in rows), default=0.0) for m in GRADED}
    return [{**r, **{f"lead_{m}": 1.0 if r[m] >= best[m] - 1e-9 else 0.0 for m in GRADED}} for r in rows]


KIN = 5  # stems sharing their first this many letters are forms of one word ("scienc", "scientist")


def kin(a: str, b: str) -> bool:
    """Whether two stems are forms of one word the stemmer left apart ("science" and "scientists"). A loose
    test ("intern" and "interview" pass too): it only orders a comparison side's own passages."""
    return a == b or (len(a) >= KIN and len(b) >= KIN and a[:KIN] == b[:KIN])


@dataclass(frozen=True)
class RankCalibration:
    """The ranking model's weights and the candidate pool it reorders, as the calibration tool wrote them."""

    weights: dict[str, float]
    bias: float
    pool: int

    @classmethod
    def shipped(cls) -> RankCalibration:
        data = shipped("ranking.json")
        return cls(weights_of(data, FEATURES), float(data["bias"]), int(data["pool"]))

    def score(self, features: dict[str, float]) -> float:
        """The model's linear score (its log-odds): only the order matters."""
        return linear(self.weights, self.bias, features)


@dataclass(frozen=True)
class _Known:
    """What ranking needs of a passage, worked out once."""

    terms: frozenset[str]  # stemmed words of its text
    heading: frozenset[str]  # stemmed words of its title and section path
    opening: bool


class Ranker:
    """Scores and reorders a retrieval's hits; build once per corpus, use for every query."""

    def __init__(
        self,
        answerer: ExtractiveAnswerer,
        passages: Sequence[Passage],
        calibration: RankCalibration | None = None,
    ) -> None:
        self.answerer = answerer
        self.bank = answerer.bank
        self.lexicon = answerer.lexicon
        self.calibration = calibration or RankCalibration.shipped()
        self.pool = self.calibration.pool
        self._known: dict[str, _Known] = {}
        seen: set[tuple[str, str]] = set()
        for p in sorted(passages, key=lambda p: (p.source, p.ordinal)):
            self._known[p.id] = self._analyse(p, opening=(p.source, p.section) not in seen)
            seen.add((p.source, p.section))

    @staticmethod
    def _analyse(p: Passage, opening: bool = False) -> _Known:
        heading = frozenset(stem(w) for w in words(f"{p.title} {p.section}"))
        return _Known(frozenset(stem(w) for w in words(p.text)), heading, opening)

    def about(self, passage: Passage, subject: Span) -> bool:
        """Whether a passage (its text or headings) names every word of a subject, in any form of the word:
        "data scientists" for "data science", "engineers" for "engineering" (:func:`kin`)."""
        known = self._known.get(passage.id) or self._analyse(passage)
        said = known.terms | known.heading
        return all(s in said or any(kin(s, t) for t in said) for s in subject.stems)

    def features(self, retrieval: Retrieval, question: str | None = None) -> list[dict[str, float]]:
        """The features of each hit (its measurements and where it leads the hits), in the hits' order."""
        return with_leads(self.measure(retrieval, question))

    def measure(self, retrieval: Retrieval, question: str | None = None) -> list[dict[str, float]]:
        """The measurements (``MEASURES``) of each hit, in the hits' order."""
        hits = retrieval.hits
        if not hits or retrieval.vector is None:
            return []
        qvec = np.asarray(retrieval.vector, dtype=np.float32)
        weight = self.lexicon.weights(retrieval.query, question)
        total = sum(weight.values()) or 1.0
        split = self.bank.of([h.passage for h in hits])
        wanted = expected(retrieval.query) | (expected(question) if question else frozenset())

        def share(terms: frozenset[str]) -> float:
            return sum(w for t, w in weight.items() if t in terms) / total

        answers: dict[str, float] = {}
        for sentence in self.answerer.score(retrieval, qvec, question):
            answers.setdefault(sentence.passage.id, sentence.score)
        out = []
        for place, hit in enumerate(hits, 1):
            known = self._known.get(hit.passage.id) or self._analyse(hit.passage)
            texts, vectors = split[hit.passage.id]
            cosines = vectors @ qvec if len(texts) else np.zeros(1, dtype=np.float32)
            out.append(
                {
                    "passage": hit.score,
                    "sentence": float(cosines.max()),
                    "lexical": share(known.terms | known.heading),
                    "heading": share(known.heading),
                    "answer": answers.get(hit.passage.id, 0.0),
                    "vector": 1.0 / hit.vector_rank if hit.vector_rank else 0.0,
                    "keyword": 1.0 / hit.keyword_rank if hit.keyword_rank else 0.0,
                    "search": 1.0 / place,
                    "opening": 1.0 if known.opening else 0.0,
                    "expects": 1.0 if wanted and any(wanted & k for k in self.bank.kinds(hit.passage)) else 0.0,
                }
            )
        return out

    def rerank(self, retrieval: Retrieval, question: str | None = None) -> Retrieval:
        """The hits, best-scored first (a stable sort: ties keep the search's order)."""
        if len(retrieval.hits) < 2:
            return retrieval
        started = time.perf_counter()
        scores = [self.calibration.score(f) for f in self.features(retrieval, question)]
        if not scores:
            return retrieval
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        hits: tuple[Hit, ...] = tuple(retrieval.hits[i] for i in order)
        spent = (time.perf_counter() - started) * 1000
        return replace(retrieval, hits=hits, latency_ms=retrieval.latency_ms + spent)
