"""Retrieval: hybrid search over the passages, vector and BM25 fused.

Vector similarity (the embedding model; up to ``EXACT_MAX`` passages, their vectors read from the
Chroma store once at open and searched exactly in memory; above that, Chroma's HNSW index) finds
paraphrases; BM25 (bm25s, with Snowball stemming
and English stop words) finds the exact terms a student types: "CAIE", "$140,910", "Bay Area".
Each ranks ``candidates`` passages; reciprocal rank fusion merges the two lists. Every hit
carries its cosine similarity to the query, and the best one decides whether the guide covers
the question at all (``relevance_floor``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import numpy as np

from advisor.answer.expect import asking_words, implied_words
from advisor.answer.lexicon import Abbreviations, Span, comparison_sides, topic_words
from advisor.answer.ranking import Ranker
from advisor.answer.records import Evidence, Understood
from advisor.config import Settings
from advisor.ingest.outline import PATH_SEPARATOR
from advisor.ingest.store import Store
from advisor.safety.guard import Guard
from advisor.text import clean_query
from advisor.types import Hit, Retrieval, Vector

EXACT_MAX = 20_000  # passages searched exactly in memory (~30 MB of vectors, a few ms); above, by Chroma


class KeywordIndex:
    """BM25 over the passages' embedded text (title, heading and paragraph)."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s
        import Stemmer
        from bm25s.tokenization import Tokenizer

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        self._tokenizer = Tokenizer(stemmer=Stemmer.Stemmer("english"), stopwords="en")
        tokens = self._tokenizer.tokenize(texts, return_as="string", show_progress=False) if texts else []
        self._bm25 = bm25s.BM25()
        indexable = any(t for doc in tokens for t in doc)  # bm25s cannot index an empty vocabulary
        if indexable:
            self._bm25.index(tokens, show_progress=False)
        self._size = len(texts) if indexable else 0
        self._stopwords = frozenset(self._tokenizer.stopwords or ())

    def tokens(self, query: str) -> list[str]:
        """The query's terms as the index's tokenizer makes them (lower case, its splitter, its stop words,
        its stemmer). Done here rather than by ``Tokenizer.tokenize``, which rebuilds a reverse map of its
        whole vocabulary on every call to return strings (10 ms per query at 30,000 passages)."""
        t = self._tokenizer
        split = t.splitter(query.lower() if t.lower else query)
        return [t.stemmer(w) if t.stemmer else w for w in split if w not in self._stopwords]

    def search(self, query: str, n: int) -> list[tuple[int, float]]:
        """Up to ``n`` (passage index, BM25 score) pairs, best first; only scores above 0."""
        if not self._size:
            return []
        known = [t for t in self.tokens(query) if t and t in self._bm25.vocab_dict]
        if not known:
            return []
        scores = self._bm25.get_scores(known)
        n = min(n, self._size)
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


class HybridSearch:
    """Vector and keyword search over one store, fused; build once, query many times."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.settings = settings or store.settings
        self.store = store
        self.passages = store.all_passages()
        self._by_id = {p.id: i for i, p in enumerate(self.passages)}
        self.keywords = KeywordIndex([p.keyword_text for p in self.passages])
        self.abbreviations = Abbreviations.of_corpus(
            [p.text for p in self.passages],
            [part for p in self.passages for part in (p.title, *p.section.split(PATH_SEPARATOR))],
        )
        # Every passage's (unit-length) vector, held once. Up to EXACT_MAX passages, stacked in the passages'
        # order, the vector search is one exact matrix product with no store request on the query path (a
        # Chroma query costs ~10 ms of overhead; 2,000 passages × 384 dimensions a fraction of one); above
        # it, reading the whole matrix per query costs more than Chroma's HNSW index, which answers then.
        self._vectors = store.embeddings_of()
        dim = len(next(iter(self._vectors.values()))) if self._vectors else 0
        zero = np.zeros(dim, dtype=np.float32)
        exact = dim and len(self.passages) <= EXACT_MAX
        self._matrix = np.stack([self._vectors.get(p.id, zero) for p in self.passages]) if exact else None

    def search(self, query: str, k: int | None = None) -> Retrieval:
        """The top ``k`` passages for ``query`` (already cleaned or not), best first."""
        return self.search_all([query], k)[0]

    def search_all(self, queries: list[str], k: int | None = None) -> list[Retrieval]:
        """:meth:`search` for several queries, embedded together (the sides of a comparison)."""
        started = time.perf_counter()
        cleaned = [clean_query(q) for q in queries]
        k = k or self.settings.top_k
        n = max(self.settings.candidates, k)
        expanded = [self.abbreviations.gloss(q) for q in cleaned]
        if len(expanded) == 1:
            qvecs = np.asarray([self.store.embeddings.embed_query(expanded[0])], dtype=np.float32)
        else:
            qvecs = np.asarray(self.store.embeddings.embed_documents(expanded), dtype=np.float32)
        out = []
        for query, text, qvec in zip(cleaned, expanded, qvecs, strict=True):
            vector = self._vector(qvec, n)
            keyword = [(self.passages[i].id, s) for i, s in self.keywords.search(text, n)]
            hits = self._fuse(qvec, vector, keyword)[:k]
            covered = bool(hits) and max(h.score for h in hits) >= self.settings.relevance_floor
            spent = (time.perf_counter() - started) * 1000 / len(queries)
            out.append(Retrieval(query, tuple(hits), covered, spent, qvec))
        return out

    def _vector(self, qvec: Vector, n: int) -> list[tuple[str, float]]:
        """The ``n`` passages most similar to the query vector (cosine: the vectors are unit length), best first."""
        if not self.passages:
            return []
        if self._matrix is None:
            return [(pid, cos) for pid, cos in self.store.nearest(qvec, n) if pid in self._by_id]
        cosines = self._matrix @ qvec
        n = min(n, len(cosines))
        top = np.argpartition(-cosines, n - 1)[:n]
        top = top[np.argsort(-cosines[top], kind="stable")]
        return [(self.passages[i].id, float(cosines[i])) for i in top]

    def _fuse(self, qvec: Vector, vector: list[tuple[str, float]], keyword: list[tuple[str, float]]) -> list[Hit]:
        rrf = self.settings.rrf_k
        fused: dict[str, float] = {}
        vrank = {pid: r for r, (pid, _) in enumerate(vector, 1)}
        krank = {pid: r for r, (pid, _) in enumerate(keyword, 1)}
        for ranks in (vrank, krank):
            for pid, r in ranks.items():
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (rrf + r)
        cosine = dict(vector)
        missing = [pid for pid in fused if pid not in cosine]
        if missing:  # keyword-only hits: measure their similarity too
            unknown = [pid for pid in missing if pid not in self._vectors]
            if unknown:  # stored after this search was opened
                self._vectors.update(self.store.embeddings_of(unknown))
            for pid in missing:
                if pid in self._vectors:
                    cosine[pid] = float(np.dot(qvec, self._vectors[pid]))
        order = sorted(fused, key=lambda pid: (-fused[pid], -cosine.get(pid, 0.0)))
        return [
            Hit(
                self.passages[self._by_id[pid]],
                round(cosine.get(pid, 0.0), 4),
                fused[pid],
                vrank.get(pid),
                krank.get(pid),
            )
            for pid in order
        ]


SIDE_HITS = 2  # the passages kept for each side of a comparison


class Retrieve:
    """The chain's step: search a pool of candidates (for a comparison, each side's too), take planted
    instructions and foreign links out of them (the guard), and rank them (the calibrated ranker)."""

    def __init__(self, search: HybridSearch, guard: Guard, ranker: Ranker, k: int) -> None:
        self.search = search
        self.guard = guard
        self.ranker = ranker
        self.lexicon = ranker.lexicon
        self.k = k
        self.floor = search.settings.relevance_floor

    def __call__(self, understood: Understood) -> Evidence:
        return Evidence(understood, self.find(understood.terms.query, self.k, understood.focus))

    def find(self, query: str, k: int, question: str | None = None) -> Retrieval:
        """The screened, ranked top ``k`` for a query that stands on its own; for a comparison, each side's
        own ranked retrieval too (``Retrieval.sides``), and its best passage among the hits, so that both sides
        are found even in different guides."""
        implied = implied_words(query)
        query = f"{query} ({implied})" if implied else query
        found, sides = self.candidates(query, max(k, self.ranker.pool))
        if not found.covered:
            return replace(found, hits=found.hits[:k], sides=())
        hits = list(self.ranker.rerank(found, question).hits[:k])
        ranked_sides = []
        for subject, side in sides:
            side = self.ranker.rerank(side)
            # the side's passages that name it come first: "growing faster" must not find the other side's outlook
            named = {h.passage.id for h in side.hits if self.ranker.about(h.passage, subject)}
            side = replace(side, hits=tuple(sorted(side.hits, key=lambda h: h.passage.id not in named)))
            ranked_sides.append(replace(side, hits=side.hits[:SIDE_HITS]))
            if side.covered:
                hits.extend(h for h in side.hits[:SIDE_HITS] if all(h.passage.id != o.passage.id for o in hits))
        return replace(found, hits=tuple(hits), sides=tuple(ranked_sides))

    def candidates(self, query: str, n: int) -> tuple[Retrieval, list[tuple[Span, Retrieval]]]:
        """The screened top ``n`` in the search's order, and for a comparison each side with its own
        (screened) retrieval."""
        retrieval = self.search.search(query, n)
        sides = comparison_sides(query, self.lexicon)
        found: list[Retrieval] = []
        if len(sides) >= 2:
            retrieval, found = self.with_sides(retrieval, sides, query, n)
        screened = [self.guard.screen_retrieval(r) for r in found]
        return self.guard.screen_retrieval(retrieval), list(zip(sides, screened, strict=True)) if found else []

    def with_sides(self, whole: Retrieval, sides: list[Span], query: str, n: int) -> tuple[Retrieval, list[Retrieval]]:
        """The query's hits interleaved with those of one query per side ("data analysts earn", "ux researchers
        earn"; "data scientists salary pay" for "who makes more, data scientists or …", whose aspect is in no
        topic word): the whole query's best first, then each side's best, and so on (the ranker orders them);
        and each side's own retrieval."""
        topic = topic_words(query, self.lexicon, sides)
        asked = [" ".join([s.text, *topic]) for s in sides]
        per_side = self.search.search_all([f"{q} {' '.join(asking_words(query, q))}".strip() for q in asked], n)
        lists = [whole.hits] + [r.hits for r in per_side]
        hits: list[Hit] = []
        for rank in range(n):
            for found in lists:
                if rank < len(found) and all(h.passage.id != found[rank].passage.id for h in hits):
                    hits.append(found[rank])
        covered = whole.covered or any(h.score >= self.floor for h in hits)
        return replace(whole, hits=tuple(hits), covered=covered), per_side
