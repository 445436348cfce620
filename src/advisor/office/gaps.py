"""The gap inbox: refused, low-confidence and thumbs-down questions grouped by meaning.

The questions are embedded with the app's own sentence-transformers model (all-MiniLM-L6-v2,
normalized) and grouped by average-linkage agglomerative clustering on cosine distance, cut at
``DISTANCE`` (scikit-learn's ``AgglomerativeClustering``, already installed with
sentence-transformers): deterministic for the same questions, no number of groups to guess, and
average linkage does not chain two unrelated questions through a third as single linkage would.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.office.records import GapGroup, LoggedAnswer

DISTANCE = 0.45  # cosine distance: "tuition?" and "what does it cost?" are 0.39 apart, "campus?" and "dorms?" 0.45
LOW_CONFIDENCE = 0.30  # best retrieval cosine under which an answer is a gap: the lowest 5% of answered eval questions
EXAMPLES = 3
MAX_KEPT = 20_000  # question embeddings kept between console loads


def group(
    rows: Sequence[LoggedAnswer],
    embeddings: Embeddings,
    low_score: float = LOW_CONFIDENCE,
    vectors: dict[str, np.ndarray] | None = None,
) -> list[GapGroup]:
    """``rows`` (gaps, newest first) grouped by meaning, the largest group first. ``vectors`` keeps the
    questions' embeddings between calls (each console load groups mostly the same questions)."""
    if not rows:
        return []
    texts = list(dict.fromkeys(_key(r.question) for r in rows))
    known = vectors if vectors is not None else {}
    new = [t for t in texts if t not in known]
    if new:
        if len(known) + len(new) > MAX_KEPT:
            known.clear()
        known.update(zip(new, np.asarray(embeddings.embed_documents(new), dtype=np.float32), strict=True))
    labels = dict(zip(texts, _cluster(np.stack([known[t] for t in texts])), strict=True))
    members: dict[int, list[LoggedAnswer]] = {}
    for r in rows:
        members.setdefault(labels[_key(r.question)], []).append(r)
    groups = [_group(m, low_score) for m in members.values()]
    return sorted(groups, key=lambda g: (-g.count, -g.last.timestamp(), g.examples[0]))


def _key(question: str) -> str:
    return " ".join(question.split()).strip()


def _cluster(vectors: np.ndarray) -> list[int]:
    if len(vectors) == 1:
        return [0]
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=DISTANCE)
    return [int(x) for x in model.fit_predict(vectors)]


def _group(rows: list[LoggedAnswer], low_score: float) -> GapGroup:
    rows = sorted(rows, key=lambda r: r.time, reverse=True)
    examples = list(dict.fromkeys(_key(r.question) for r in rows))[:EXAMPLES]
    return GapGroup(
        ids=tuple(r.id for r in rows),
        examples=tuple(examples),
        answer=rows[0].answer,
        refused=sum(r.refused for r in rows),
        low_confidence=sum((not r.refused) and r.score < low_score for r in rows),
        thumbs_down=sum(r.rating == "down" for r in rows),
        last=rows[0].time,
        reasons=tuple(dict.fromkeys(r.reason for r in rows if r.reason)),
    )
