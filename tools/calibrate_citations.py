"""Calibrate the citation check's support threshold (advisor.answer.verify.SUPPORT) on a corpus.

    python -m tools.calibrate_citations          (over ADVISOR_CORPUS, default corpus/)

Prints, for each threshold, the share of supported claims kept and of unsupported ones dropped.
"""

from __future__ import annotations

import numpy as np

from advisor.answer.chain import open_advisor
from advisor.answer.verify import SUPPORT, CitationCheck
from advisor.config import Settings, quiet_runtime
from advisor.text import sentences


def calibrate(seed: int = 7) -> None:
    """Print how the support score separates a claim's own passage from its neighbours.

    Claims are the corpus's sentences with a third of their words dropped (a crude stand-in
    for a model's paraphrase), scored against the passage they come from (supported) and
    against the other passages retrieved for them (not supported: same topic, other facts).
    """
    import random

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
