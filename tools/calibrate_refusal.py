"""Calibrate the refusal decision (advisor.answer.coverage) over the dev questions of every dev corpus.

    python -m tools.calibrate_refusal            print the fit and the figures
    python -m tools.calibrate_refusal --write    also write src/advisor/answer/calibration.json

For each (corpus, dev questions) pair in ``DEV_SETS`` the real chain runs up to retrieval and the
decision's features are computed exactly as at run time (``CoverageCheck.features``). A logistic
regression (scikit-learn) is fitted to tell answerable questions (labelled with a passage) from
out-of-scope ones. The threshold is chosen on the questions of guides the model was not fitted on:
each dev corpus in turn is left out, the model fitted on the others scores its questions, and the
threshold is the one that refuses the most out-of-scope questions of those while refusing at most
``MAX_REFUSED`` of the answerable ones (the middle of the span of thresholds that do). A threshold
chosen on the very questions the model was fitted on is optimistic: on new guides, answerable
questions are worded in ways the fit never saw, and it refused several times as many of them.
A fit that would refuse more of the seed article's answerable questions, or fewer of its
out-of-scope ones, than the shipped model is not written: the seed is the regression set.
Held-out questions are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.answer.coverage import FEATURES, Calibration
from advisor.safety.injection import instruction_kind
from tools.calibration import DEV_SETS, SEED, arguments, dev_questions, write_model
from tools.serving import ROOT

MAX_REFUSED = 0.02  # at most 1 answerable question in 50 refused
TARGET = ROOT / "src" / "advisor" / "answer" / "calibration.json"


@dataclass(frozen=True)
class Row:
    set: str
    id: str
    answerable: bool
    features: dict[str, float]
    forced: bool  # refused whatever the model says (an instruction, or below the relevance floor)


def rows() -> list[Row]:
    """The features of every dev question, computed by the real chain."""
    out: list[Row] = []
    for questions, item, advisor, understood in dev_questions(DEV_SETS):
        retrieval = advisor.retrieve(understood).retrieval
        features = advisor.coverage.features(understood, retrieval)
        forced = bool(instruction_kind(understood.turn.question)) or not retrieval.covered
        name = str(item.get("id", item["question"]))
        out.append(Row(questions, name, bool(item.get("passage")), features, forced))
    return out


def fit(data: list[Row]) -> tuple[dict[str, float], float]:
    """Logistic-regression weights and bias over the rows the model decides."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    decided = [r for r in data if not r.forced]
    x = np.array([[r.features[k] for k in FEATURES] for r in decided])
    y = np.array([r.answerable for r in decided])
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(x, y)
    return dict(zip(FEATURES, map(float, model.coef_[0]), strict=True)), float(model.intercept_[0])


def score(weights: dict[str, float], bias: float, features: dict[str, float]) -> float:
    """The model's probability, computed by the same code as at run time."""
    return Calibration(weights, bias, 0.0).score(features)


def figures(data: list[Row], weights: dict[str, float], bias: float, threshold: float) -> dict[str, float]:
    """The refusal rates of the model's own scores, and how many questions of each kind there are."""
    out = rates(data, [score(weights, bias, r.features) for r in data], threshold)
    return {**out, "answerable": sum(r.answerable for r in data), "out_of_scope": sum(not r.answerable for r in data)}


def cross_scores(data: list[Row]) -> list[float]:
    """Each question's score by the model fitted without its corpus (leave one dev corpus out)."""
    out = [0.0] * len(data)
    for name in dict.fromkeys(r.set for r in data):
        weights, bias = fit([r for r in data if r.set != name])
        for i, r in enumerate(data):
            if r.set == name:
                out[i] = score(weights, bias, r.features)
    return out


def rates(data: list[Row], scores: list[float], threshold: float) -> dict[str, float]:
    """The shares of answerable and of out-of-scope questions refused at ``threshold``, given each one's score."""
    refused = [r.forced or s < threshold for r, s in zip(data, scores, strict=True)]
    answerable = [f for f, r in zip(refused, data, strict=True) if r.answerable]
    out_of_scope = [f for f, r in zip(refused, data, strict=True) if not r.answerable]
    return {
        "answerable_refused": round(sum(answerable) / len(answerable), 4),
        "out_of_scope_refused": round(sum(out_of_scope) / len(out_of_scope), 4),
    }


def choose(data: list[Row], scores: list[float]) -> float:
    """The threshold that refuses the most out-of-scope questions within ``MAX_REFUSED`` of answerable ones,
    judged on ``scores`` (the left-out-corpus scores). Each threshold of a span between two questions' scores
    decides these questions alike; of the thresholds that reach the most, the middle of their span is taken,
    so that a question of new guides scored a little differently is not on the edge."""
    thresholds = [0.0, *sorted({round(s, 4) for r, s in zip(data, scores, strict=True) if not r.forced})]
    figures = [rates(data, scores, t) for t in thresholds]
    allowed = [i for i, f in enumerate(figures) if f["answerable_refused"] <= MAX_REFUSED]
    if not allowed:
        return 0.0
    best = max(figures[i]["out_of_scope_refused"] for i in allowed)
    reach = [i for i in allowed if figures[i]["out_of_scope_refused"] == best]
    low = thresholds[reach[0] - 1] if reach[0] else 0.0  # every threshold above it, up to the first, acts alike
    return round((low + thresholds[reach[-1]]) / 2, 4)


def main() -> None:
    args = arguments("tools.calibrate_refusal", __doc__ or "", TARGET)
    data = rows()
    weights, bias = fit(data)
    crossed = cross_scores(data)
    threshold = choose(data, crossed)
    print("weights: " + ", ".join(f"{k} {v:+.3f}" for k, v in weights.items()) + f"; bias {bias:+.3f}")
    for t in sorted({0.3, 0.4, 0.5, threshold}):
        print(
            f"threshold {t:.4f}: {figures(data, weights, bias, t)}; on left-out guides {rates(data, crossed, t)}"
            + ("   <- chosen" if t == threshold else "")
        )
    for name in dict.fromkeys(r.set for r in data):
        subset = [i for i, r in enumerate(data) if r.set == name]
        print(
            f"  {name}: {figures([data[i] for i in subset], weights, bias, threshold)}; "
            f"left out: {rates([data[i] for i in subset], [crossed[i] for i in subset], threshold)}"
        )
    wrong = [r for r in data if (r.forced or score(weights, bias, r.features) < threshold) == r.answerable]
    print("misjudged: " + ", ".join(f"{r.id}({'answerable' if r.answerable else 'out of scope'})" for r in wrong))
    seed = [r for r in data if r.set == SEED]
    shipped = Calibration.shipped()
    before = rates(seed, [shipped.score(r.features) for r in seed], shipped.threshold)
    after = figures(seed, weights, bias, threshold)
    print(f"the seed article's questions: shipped {before}, this fit {after}")
    worse = (
        after["answerable_refused"] > before["answerable_refused"]
        or after["out_of_scope_refused"] < before["out_of_scope_refused"]
    )
    if args.write and worse:  # the seed article is the regression set: it must not be answered worse
        raise SystemExit("not written: the seed article's questions would be answered or refused worse")
    if args.write:
        model = {"weights": weights, "bias": bias, "threshold": threshold}
        model["figures"] = figures(data, weights, bias, threshold)
        model["figures_left_out"] = rates(data, crossed, threshold)
        write_model(TARGET, model, DEV_SETS, "python -m tools.calibrate_refusal --write")


if __name__ == "__main__":
    main()
