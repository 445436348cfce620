"""Calibrate the ranking model (advisor.answer.ranking) over the dev questions of the seed and the dev guides.

    python -m tools.calibrate_ranking            print the fit and the figures
    python -m tools.calibrate_ranking --write    also write src/advisor/answer/ranking.json

For each (corpus, dev questions) pair in ``DEV_SETS`` the real chain runs up to the candidate search
(``Retrieve.candidates``), and every candidate's features are computed exactly as at run time
(``Ranker.measure``, and the ``lead_`` features over each pool tried); a candidate is a positive when it holds
the question's labelled passage. A logistic regression (scikit-learn) is fitted for each candidate pool size
in ``POOLS`` and each regularisation strength in ``CS``; each is judged by leave-one-guide-out
cross-validation (fit on the other guides, rank the held guide's questions), which predicts how the model does
on guides it has not seen, and the best is kept (a bigger pool only when it ranks clearly better: it costs
time on every question; a weaker regularisation likewise, as it fits the dev guides more closely). The chosen
model is fitted on every dev corpus; the leave-one-guide-out figures are its prediction for new guides (a little
optimistic: the best of the settings tried). It is
not written when it would rank the seed article's questions worse than the shipped model (the seed is the
regression set). Held-out questions are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.answer.ranking import FEATURES, MEASURES, RankCalibration, with_leads
from advisor.quality.evaluate import answer_rank
from tools.calibration import DEV_SETS, SEED, arguments, dev_questions, write_model
from tools.serving import ROOT

POOLS = (4, 6, 8, 12, 20)
MIN_GAIN = 0.005  # what a bigger pool or weaker regularisation must add to leave-one-guide-out first or top-3 rank
CS = (0.3, 1.0, 3.0, 10.0)  # the regularisation strengths tried (scikit-learn's C): smaller keeps the model general
TARGET = ROOT / "src" / "advisor" / "answer" / "ranking.json"


@dataclass(frozen=True)
class Question:
    group: str  # the guide it is about: the unit of cross-validation
    id: str
    measures: list[dict[str, float]]  # one row per candidate, in the search's order
    labels: list[bool]

    def features(self, pool: int) -> list[list[float]]:
        """The features of the first ``pool`` candidates, as the ranker computes them for a pool of that size (a
        comparison's pool interleaves each side's candidates at run time; the calibration ranks the question's own)."""
        return [[r[k] for k in FEATURES] for r in with_leads(self.measures[:pool])]


def questions(sets: tuple[tuple[str, str], ...] = DEV_SETS) -> list[Question]:
    """The candidates of every labelled dev question, computed by the real chain."""
    out: list[Question] = []
    for path, item, advisor, understood in dev_questions(sets):
        if not item.get("passage"):
            continue
        found, _ = advisor.retrieve.candidates(understood.terms.query, max(POOLS))
        if not found.covered:
            continue
        rows = advisor.ranker.measure(found, understood.focus)
        labels = [answer_rank([h.passage.text], item["passage"]) is not None for h in found.hits]
        group = f"{path}:{item.get('guide', 'seed')}"
        measures = [{k: r[k] for k in MEASURES} for r in rows]
        out.append(Question(group, str(item.get("id", item["question"])), measures, labels))
    return out


def fit(data: list[Question], pool: int, c: float) -> tuple[dict[str, float], float]:
    """Pairwise logistic regression (a linear RankNet): for every question, each answering candidate among
    its first ``pool`` against each other one; each question weighs the same. Only the order is learnt,
    so the bias is 0."""
    from sklearn.linear_model import LogisticRegression

    x, y, w = [], [], []
    for q in data:
        rows = np.array(q.features(pool))
        labels = q.labels[:pool]
        pairs = [(i, j) for i, good in enumerate(labels) if good for j, bad in enumerate(labels) if not bad]
        for i, j in pairs:
            x.extend([rows[i] - rows[j], rows[j] - rows[i]])
            y.extend([1, 0])
            w.extend([1.0 / len(pairs)] * 2)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(np.array(x), np.array(y), sample_weight=np.array(w))
    return dict(zip(FEATURES, map(float, model.coef_[0]), strict=True)), 0.0


def ranks(data: list[Question], calibration: RankCalibration) -> list[int | None]:
    """The rank of the first positive after ranking each question's pool (None: not in the pool)."""
    out: list[int | None] = []
    for q in data:
        pool = list(zip(q.features(calibration.pool), q.labels[: calibration.pool], strict=True))
        scored = sorted(pool, key=lambda fl: -calibration.score(dict(zip(FEATURES, fl[0], strict=True))))
        out.append(next((i for i, (_, label) in enumerate(scored, 1) if label), None))
    return out


def figures(found: list[int | None]) -> dict[str, float]:
    n = len(found) or 1
    return {
        "hit_at_1": round(sum(r == 1 for r in found) / n, 4),
        "hit_at_3": round(sum(r is not None and r <= 3 for r in found) / n, 4),
        "questions": len(found),
    }


def cross_validated(data: list[Question], pool: int, c: float) -> dict[str, float]:
    """Leave one guide out: each guide's questions ranked by a model fitted on the other guides."""
    found: list[int | None] = []
    for group in dict.fromkeys(q.group for q in data):
        train = [q for q in data if q.group != group]
        weights, bias = fit(train, pool, c)
        found.extend(ranks([q for q in data if q.group == group], RankCalibration(weights, bias, pool)))
    return figures(found)


def better(new: dict[str, float], old: dict[str, float]) -> bool:
    """Whether ``new`` ranks clearly better than ``old``: first place by ``MIN_GAIN``, or as well and the top 3
    by ``MIN_GAIN``."""
    h1, h3 = new["hit_at_1"] - old["hit_at_1"], new["hit_at_3"] - old["hit_at_3"]
    return h1 >= MIN_GAIN or (h1 >= 0 and h3 >= MIN_GAIN)


def main() -> None:
    args = arguments("tools.calibrate_ranking", __doc__ or "", TARGET)
    data = questions()
    shipped = RankCalibration.shipped()
    print(f"{len(data)} questions in {len({q.group for q in data})} guides")
    print(f"shipped model (pool {shipped.pool}): {figures(ranks(data, shipped))}")
    best: tuple[dict[str, float], int, float] | None = None
    for pool in POOLS:
        for c in CS:
            cv = cross_validated(data, pool, c)
            weights, bias = fit(data, pool, c)
            fitted = figures(ranks(data, RankCalibration(weights, bias, pool)))
            print(f"pool {pool:2}, C {c:4}: leave-one-guide-out {cv}; fitted on all {fitted}")
            # a bigger pool costs time on every question, a weaker regularisation generality (both go up):
            # each must rank clearly better
            if best is None or better(cv, best[0]):
                best = (cv, pool, c)
    assert best is not None
    _, pool, c = best
    weights, bias = fit(data, pool, c)
    chosen = RankCalibration(weights, bias, pool)
    for name in dict.fromkeys(q.group.split(":")[0] for q in data):
        subset = [q for q in data if q.group.startswith(name + ":")]
        print(f"  {name}: shipped {figures(ranks(subset, shipped))}, chosen {figures(ranks(subset, chosen))}")
    print(f"chosen pool {pool}, C {c}; weights: " + ", ".join(f"{k} {v:+.3f}" for k, v in weights.items()))
    seed = [q for q in data if q.group.startswith(SEED + ":")]
    before, after = figures(ranks(seed, shipped))["hit_at_1"], figures(ranks(seed, chosen))["hit_at_1"]
    if args.write and after < before:  # the seed article is the regression set: it must not rank worse
        raise SystemExit(f"not written: the seed article's questions would rank first {before:.1%} → {after:.1%}")
    if args.write:
        model = {"weights": weights, "bias": bias, "pool": pool, "C": c}
        model["figures"] = {"fitted": figures(ranks(data, chosen)), "leave_one_guide_out": best[0]}
        write_model(TARGET, model, DEV_SETS, "python -m tools.calibrate_ranking --write")


if __name__ == "__main__":
    main()
