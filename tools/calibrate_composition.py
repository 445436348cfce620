"""Calibrate the extractive answer's composition (advisor.answer.extractive.Composition) over the dev questions.

    python -m tools.calibrate_composition            print the search and the figures
    python -m tools.calibrate_composition --write    also write src/advisor/answer/composition.json

The composition is how the answerer scores the retrieved passages' sentences (weights of the cosines and of the
words shared with the question, the penalties for lead-ins, calls to action and short sentences, the bonus for
stating what was asked) and which of them join the answer (the margins, the sentence counts). Those numbers were
set by hand on the seed article and then the first dev guides; this command sets them over every dev corpus.

Every dev question of every corpus in ``DEV_SETS`` is answered by the real chain with each composition tried and
measured as ``advisor eval`` measures it. A composition's score on a corpus is the mean of the answer figures the
issue sets targets for: the answering passage ranked first (the ranker reads the answerer's sentence scores),
cited, cited first, key facts stated, the first sentence stating a key fact (the first sentence answers the
question), and comparisons citing both sides (on a corpus that has comparisons). The
search is coordinate-wise: each value in turn is tried at a few multiples of its current one (``FACTORS``; an
integer one less and one more), the others kept. A change is kept when it raises the mean score over the dev
corpora by ``MIN_GAIN`` points *and* raises it on more corpora than it lowers it (a gain that carries across
guides rather than one guide's), without lengthening the answers by more than ``LONGER`` of the shipped
composition's mean words, refusing more answerable questions or answering more out-of-scope ones (counted over
every corpus; the refusal reads the answer's opening), or scoring the seed article's questions lower than the
shipped composition (the seed is the regression set). Passes repeat until one keeps nothing (at most
``PASSES``). Held-out questions are never read here.

The ranker (``ranking.json``) and the refusal (``calibration.json``) were fitted on the answerer's scores as
they were: after a new composition is written, run their calibrations again, in that order
(``tools.calibrate_ranking``, then ``tools.calibrate_refusal``), and write a refit that does better; the command
says so when it writes.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, fields, replace
from typing import Any

from advisor.answer.chain import Advisor
from advisor.answer.extractive import Composition
from advisor.quality.evaluate import evaluate_answers, load_questions
from tools.calibration import DEV_SETS, SEED, arguments, dev_advisor, write_model
from tools.serving import ROOT

TARGET = ROOT / "src" / "advisor" / "answer" / "composition.json"
SCORED = (
    "retrieval_hit_at_1",
    "cited_right",
    "cited_right_first",
    "key_fact_recall",
    "opening_states_fact",
    "comparison_both_sides",
)
FACTORS = (0.0, 0.5, 0.75, 1.25, 1.5)  # the multiples of a value tried
MIN_GAIN = 0.2  # points of the mean score over the dev corpora a change must add
LONGER = 0.05  # answers may grow by at most this share of the shipped composition's mean words
PASSES = 2


@dataclass(frozen=True)
class Figures:
    """One composition's figures on one corpus."""

    score: float  # the mean of ``SCORED``, in points (a corpus with no comparison: of the other five)
    words: float  # mean words of an answer that is no refusal
    refused: int  # answerable questions refused
    answered: int  # out-of-scope questions answered
    figures: dict[str, float]  # ``SCORED``; a corpus with no comparison has no comparison figure


@dataclass
class Corpus:
    questions: str
    advisor: Advisor
    items: list[dict[str, Any]]

    def measure(self, composition: Composition) -> Figures:
        self.advisor.answerer.composition = composition  # the one answerer the ranker and the refusal read too
        report = evaluate_answers(self.advisor, self.items)
        s, results = report.summary, report.results
        figures = {k: s[k] for k in SCORED if k != "comparison_both_sides" or s["comparisons"]}
        answered = [len(r["answer"].split()) for r in results if not r["refused"]]
        return Figures(
            100 * statistics.mean(figures.values()),
            statistics.mean(answered) if answered else 0.0,
            sum(bool(r["refused"]) for r in results if r.get("passage")),
            sum(not r["refused"] for r in results if r.get("kind") == "out_of_scope"),
            figures,
        )


def corpora() -> list[Corpus]:
    return [Corpus(path, dev_advisor(corpus, path), load_questions(ROOT / path)) for corpus, path in DEV_SETS]


def options(value: float) -> list[Any]:
    """The values tried in place of ``value``: a few multiples of it (an integer: one less, one more, never 0)."""
    if isinstance(value, int):
        return [v for v in (value - 1, value + 1) if v >= 1]
    return [v for v in dict.fromkeys(round(value * k, 4) for k in FACTORS) if v != value]


def changed(a: Composition, b: Composition) -> str:
    after = b.values()
    return ", ".join(f"{k} {v} → {after[k]}" for k, v in a.values().items() if after[k] != v) or "nothing"


def mean(figures: dict[str, Figures], key: str) -> float:
    return statistics.mean(getattr(f, key) for f in figures.values())


def total(figures: dict[str, Figures], key: str) -> int:
    return sum(getattr(f, key) for f in figures.values())


def summary(figures: dict[str, Figures]) -> dict[str, float]:
    """The figures written with the composition: each of ``SCORED`` averaged over the corpora that have it."""
    out: dict[str, float] = {"score": round(mean(figures, "score"), 2), "words": round(mean(figures, "words"), 1)}
    for k in SCORED:
        out[k] = round(statistics.mean(f.figures[k] for f in figures.values() if k in f.figures), 4)
    return {**out, "answerable_refused": total(figures, "refused"), "out_of_scope_answered": total(figures, "answered")}


def better(got: dict[str, Figures], now: dict[str, Figures], base: dict[str, Figures]) -> tuple[bool, str]:
    """Whether a composition's figures (``got``) are clearly better than the current one's (``now``), and why."""
    gain = mean(got, "score") - mean(now, "score")
    up = sum(got[k].score > now[k].score + 1e-9 for k in got)
    down = sum(got[k].score < now[k].score - 1e-9 for k in got)
    ok = (
        gain >= MIN_GAIN
        and up > down
        and mean(got, "words") <= mean(base, "words") * (1 + LONGER)
        and total(got, "refused") <= total(now, "refused")
        and total(got, "answered") <= total(now, "answered")
        and got[SEED].score >= base[SEED].score - 1e-9  # the seed article is the regression set
    )
    why = (
        f"score {gain:+.2f} (up on {up}, down on {down}), {mean(got, 'words'):.1f} words, "
        f"{total(got, 'refused')} answerable refused, {total(got, 'answered')} out of scope answered, "
        f"seed {got[SEED].score:.2f}"
    )
    return ok, why


def main() -> None:
    args = arguments("tools.calibrate_composition", __doc__ or "", TARGET)
    sets = corpora()

    def run(composition: Composition) -> dict[str, Figures]:
        return {c.questions: c.measure(composition) for c in sets}

    shipped = Composition.shipped()
    started = time.perf_counter()
    base = run(shipped)
    print(
        f"shipped: score {mean(base, 'score'):.2f}, {mean(base, 'words'):.1f} words an answer, "
        f"{total(base, 'refused')} answerable refused, {total(base, 'answered')} out of scope answered "
        f"({time.perf_counter() - started:.0f} s a run over {len(sets)} corpora)"
    )
    current, now = shipped, base
    for number in range(1, PASSES + 1):
        kept = 0
        for field in fields(Composition):
            for value in options(getattr(current, field.name)):  # the value as it stands: one may be kept below
                if value == getattr(current, field.name):
                    continue  # kept a moment ago
                try:
                    candidate = replace(current, **{field.name: value})
                except ValueError:
                    continue  # more sentences at least than at most
                got = run(candidate)
                ok, why = better(got, now, base)
                print(f"  {changed(current, candidate)}: {why}" + ("   <- kept" if ok else ""))
                if ok:
                    current, now, kept = candidate, got, kept + 1
        print(f"pass {number}: {kept} change(s) kept")
        if not kept:
            break
    print(f"chosen: {changed(shipped, current)}")
    print(f"shipped {summary(base)}")
    print(f"chosen  {summary(now)}")
    for name in base:
        print(f"  {name}: {base[name].figures} → {now[name].figures}")
    if args.write and current == shipped:
        print(f"{TARGET.relative_to(ROOT)} unchanged: no change helped")
    elif args.write:
        model = {"values": current.values(), "figures": summary(now), "figures_before": summary(base)}
        write_model(TARGET, model, DEV_SETS, "python -m tools.calibrate_composition --write")
        print("the ranker and the refusal read the answerer's scores: run their calibrations again, in this order,")
        print("and write a refit that does better:")
        print("  python -m tools.calibrate_ranking; python -m tools.calibrate_refusal")


if __name__ == "__main__":
    main()
