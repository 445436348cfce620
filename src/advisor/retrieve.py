"""Retrieval stage: hybrid search over the passages, vector and BM25 fused.

Vector similarity (the embedding model, through LangChain's Chroma store) finds
paraphrases; BM25 (bm25s, with Snowball stemming and English stop words) finds
the exact terms a student types: "CAIE", "$140,910", "Bay Area". Each ranks
``candidates`` passages; reciprocal rank fusion merges the two lists. Every hit
carries its cosine similarity to the query, and the best one decides whether
the guide covers the question at all (``relevance_floor``).
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from advisor.config import Settings
from advisor.corpus import Passage
from advisor.errors import InputError
from advisor.store import Store

MAX_QUERY_CHARS = 2000

# Field abbreviations students type but guides often spell out. The corpus adds its
# own, from "long form (ABBR)" patterns (see :func:`find_abbreviations`).
ABBREVIATIONS = {
    "ML": "machine learning",
    "AI": "artificial intelligence",
    "CS": "computer science",
    "DL": "deep learning",
    "CV": "computer vision",
    "MS": "master's degree",
    "MSc": "master's degree",
    "PhD": "doctorate",
}
_GLUE = {"of", "and", "the", "for", "in", "&"}
_ABBR = re.compile(r"\b((?:[A-Za-z][\w’'-]*\s+){1,7}?)\(([A-Z][A-Za-z.]{1,9})\)")


@dataclass(frozen=True)
class Hit:
    """One retrieved passage and why it ranked where it did."""

    passage: Passage
    score: float  # cosine similarity of passage and query (1 = same meaning)
    fused: float  # reciprocal-rank-fusion score: the ranking key
    vector_rank: int | None  # 1-based rank in the vector list, None if not in it
    keyword_rank: int | None  # 1-based rank in the BM25 list, None if not in it


@dataclass(frozen=True)
class Retrieval:
    """The ranked hits for one query, and whether the guide covers it."""

    query: str
    hits: tuple[Hit, ...]
    covered: bool
    latency_ms: float
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)  # the query's embedding

    @property
    def best_score(self) -> float:
        return max((h.score for h in self.hits), default=0.0)


def clean_query(text: str, limit: int = MAX_QUERY_CHARS) -> str:
    """Normalise a question; refuse an empty or over-long one with a clear message."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if ch.isprintable() or ch.isspace())
    text = " ".join(text.split())
    if not text:
        raise InputError("the question is empty; type a question about the guide")
    if len(text) > limit:
        raise InputError(f"the question is {len(text):,} characters long; please keep it under {limit:,}")
    return text


def find_abbreviations(texts: list[str]) -> dict[str, str]:
    """``{"NLP": "natural language processing", ...}`` from "long form (ABBR)" in the texts.

    The long form is the run of words before the parenthesis whose initials
    spell the abbreviation (case-insensitive, so "large language models (LLMs)" counts).
    """
    found: dict[str, str] = {}
    for text in texts:
        for words, abbr in _ABBR.findall(text):
            letters = [c for c in abbr.rstrip("s").lower() if c.isalpha()]
            words_list = words.split()
            for start in range(len(words_list)):
                tail = words_list[start:]
                if tail[0].lower() not in _GLUE and [w[0].lower() for w in tail if w.lower() not in _GLUE] == letters:
                    found.setdefault(abbr[:-1] if abbr.endswith("s") and abbr[:-1].isupper() else abbr, " ".join(tail))
                    break
    return found


def usable_abbreviations(texts: list[str]) -> dict[str, str]:
    """The abbreviations worth spelling out in queries: those the corpus itself never uses
    bare ("ML" in a guide that always writes "machine learning"); one it uses, it matches as is."""
    table = {**ABBREVIATIONS, **find_abbreviations(texts)}
    words = set(re.findall(r"[\w.’']+", " ".join(texts)))
    used = {w for w in words} | {w.rstrip(".") for w in words}
    return {abbr: long for abbr, long in table.items() if abbr not in used and f"{abbr}s" not in used}


def expand_abbreviations(query: str, table: dict[str, str]) -> str:
    """Spell out known abbreviations after their first use: "ML engineer" → "ML (machine learning) engineer"."""

    def spell(m: re.Match[str]) -> str:
        word = m.group(0)
        long = table.get(word) or table.get(word.rstrip("s"))
        return f"{word} ({long})" if long and long.lower() not in query.lower() else word

    return re.sub(r"\b[A-Z][A-Za-z.]*[A-Z.]s?\b|\b[A-Z]{2,}s?\b", spell, query)


class KeywordIndex:
    """BM25 over the passages' embedded text (title, heading and paragraph)."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s
        import Stemmer
        from bm25s.tokenization import Tokenizer

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        self._tokenizer = Tokenizer(stemmer=Stemmer.Stemmer("english"), stopwords="en")
        tokens = self._tokenizer.tokenize(texts, return_as="string", show_progress=False)
        self._bm25 = bm25s.BM25()
        self._bm25.index(tokens, show_progress=False)
        self._size = len(texts)

    def search(self, query: str, n: int) -> list[tuple[int, float]]:
        """Up to ``n`` (passage index, BM25 score) pairs, best first; only scores above 0."""
        tokens = self._tokenizer.tokenize([query], return_as="string", update_vocab=False, show_progress=False)[0]
        known = [t for t in tokens if t and t in self._bm25.vocab_dict]
        if not known or not self._size:
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
        self.keywords = KeywordIndex([p.embed_text for p in self.passages])
        self.vectors = store.vectorstore()
        self.abbreviations = usable_abbreviations([p.text for p in self.passages])

    def search(self, query: str, k: int | None = None) -> Retrieval:
        """The top ``k`` passages for ``query`` (already cleaned or not), best first."""
        started = time.perf_counter()
        query = clean_query(query)
        k = k or self.settings.top_k
        n = max(self.settings.candidates, k)
        expanded = expand_abbreviations(query, self.abbreviations)
        qvec = np.asarray(self.store.embeddings.embed_query(expanded), dtype=np.float32)
        vector = self._vector(qvec, n)
        keyword = [(self.passages[i].id, s) for i, s in self.keywords.search(expanded, n)]
        hits = self._fuse(qvec, vector, keyword)[:k]
        covered = bool(hits) and max(h.score for h in hits) >= self.settings.relevance_floor
        return Retrieval(query, tuple(hits), covered, (time.perf_counter() - started) * 1000, qvec)

    def _vector(self, qvec: np.ndarray, n: int) -> list[tuple[str, float]]:
        if not self.passages:
            return []
        found = self.vectors.similarity_search_by_vector_with_relevance_scores(
            qvec.tolist(), k=min(n, len(self.passages))
        )
        # Despite its name this returns Chroma's distance; in our cosine space, 1 - d = cos.
        return [(doc.id, 1.0 - float(dist)) for doc, dist in found if doc.id in self._by_id]

    def _fuse(self, qvec: np.ndarray, vector: list[tuple[str, float]], keyword: list[tuple[str, float]]) -> list[Hit]:
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
            for pid, emb in self.store.embeddings_of(missing).items():
                cosine[pid] = float(np.dot(qvec, np.asarray(emb, dtype=np.float32)))
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


def open_search(settings: Settings, *, notify: Callable[[str], None] | None = None) -> HybridSearch:
    """Open the store, build or refresh the index if needed, and return the hybrid search."""
    from advisor.store import ensure_index, open_store

    store = open_store(settings)
    if notify is None:
        ensure_index(store)
    else:
        ensure_index(store, notify=notify)
    return HybridSearch(store)


class AdvisorRetriever(BaseRetriever):
    """The hybrid search as a LangChain retriever: Documents carry the hit in metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    search: Any  # HybridSearch
    k: int = 4

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result: Retrieval = self.search.search(query, self.k)
        return [to_document(h) for h in result.hits]


def to_document(hit: Hit) -> Document:
    p = hit.passage
    return Document(
        id=p.id,
        page_content=p.text,
        metadata={
            "source": p.source,
            "title": p.title,
            "section": p.section,
            "score": hit.score,
            "fused": hit.fused,
            "vector_rank": hit.vector_rank,
            "keyword_rank": hit.keyword_rank,
        },
    )
