"""Coverage: does the guide cover this question? And which of its words does the guide say otherwise?

Two checks, both calibrated on ``eval/questions.jsonl``:

1. The relevance floor: the best retrieved passage must be at least this similar
   to the query (``Settings.relevance_floor``). Off-topic questions (the weather,
   a coding request) score far below any question about the guide.
2. Unknown topic words: a question next to the guide's subject ("How much is
   *tuition* for the M.S. in AI?") passes the floor on its other words. A word
   of the question that the corpus never uses, that is not everyday English
   (wordfreq's Zipf frequency below ``COMMON``: "tuition" 4.0, "people" 6.3) and
   that no corpus word means nearly the same (cosine of word embeddings below
   ``SYNONYM``) names something the guide does not cover.

Words that do have a near synonym in the corpus ("pays" → "earn", "cars" →
"vehicles") are added to the query, so retrieval finds the passage that uses it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.answer.lexicon import Lexicon
from advisor.answer.records import Standalone, Terms, Understood
from advisor.types import Vector

SYNONYM = 0.60  # a corpus word at least this similar stands for the question's word
COMMON = 5.5  # Zipf frequency from which a word is everyday English, never a topic of its own
MAX_VOCABULARY = 20_000  # the corpus words compared, most widely used first


@lru_cache(maxsize=4096)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


class CoverageCheck:
    """The unknown-topic-word check of the module docstring, with the synonym look-up it needs."""

    def __init__(self, embeddings: Embeddings, lexicon: Lexicon) -> None:
        self.embeddings = embeddings
        self.lexicon = lexicon
        self._vocabulary: list[str] | None = None
        self._matrix: Vector | None = None
        self._cache: dict[str, tuple[str, float]] = {}

    def understand(self, standalone: Standalone) -> Understood:
        """The chain's step: the standalone query and what the guide makes of its words."""
        return Understood(standalone.turn, standalone.query, self.terms(standalone.query))

    def terms(self, query: str) -> Terms:
        unknown = self.lexicon.unknown_words(query)
        if not unknown:
            return Terms(query, {}, ())
        nearest = self.nearest(unknown)
        synonyms = {w: near for w, (near, sim) in nearest.items() if sim >= SYNONYM}
        missing = tuple(w for w in unknown if w not in synonyms and zipf(w) < COMMON)
        expanded = f"{query} ({', '.join(dict.fromkeys(synonyms.values()))})" if synonyms else query
        return Terms(expanded, synonyms, missing)

    def nearest(self, terms: list[str]) -> dict[str, tuple[str, float]]:
        """For each word, the corpus word most similar in meaning and that similarity."""
        new = [t for t in terms if t not in self._cache]
        if new:
            vocabulary, matrix = self._corpus_vectors()
            if not vocabulary:
                return {t: ("", 0.0) for t in terms}
            vectors = np.asarray(self.embeddings.embed_documents(new), dtype=np.float32)
            sims = vectors @ matrix.T
            for t, row in zip(new, sims, strict=True):
                j = int(np.argmax(row))
                self._cache[t] = (vocabulary[j], float(row[j]))
            if len(self._cache) > 100_000:
                self._cache.clear()
        return {t: self._cache[t] for t in terms}

    def _corpus_vectors(self) -> tuple[list[str], Vector]:
        if self._vocabulary is None or self._matrix is None:
            words = [w for w, _ in self.lexicon.surface.most_common(MAX_VOCABULARY) if len(w) > 2]
            self._vocabulary = words
            self._matrix = (
                np.asarray(self.embeddings.embed_documents(words), dtype=np.float32)
                if words
                else np.zeros((0, 1), dtype=np.float32)
            )
        return self._vocabulary, self._matrix
