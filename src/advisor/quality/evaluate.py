"""Evaluation: how well the pipeline does on a labelled question file, over any corpus.

Each JSONL line is a question and what is known about it; the keys read (all optional but
``question``) are::

    question    str
    kind        "answerable" | "comparison" | "follow_up" | "out_of_scope" (other kinds pass through)
    passage     a verbatim snippet of the passage that answers it, or a list of such (any one counts)
    sides       for a comparison: [snippet of one side, snippet of the other]; both must be cited
    facts       strings the answer must state; an item may itself be a list of alternatives
    history     [{"role": "user"|"assistant", "content": str}, ...], oldest first
    near_topic  true for an out-of-scope question next to the guides' topic
    must_not    strings an answer to an attack must not repeat

A retrieved passage "answers" an item when it contains the item's snippet, so labels survive
re-splitting the corpus as long as the sentence is still there. Keys not listed pass through.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.answer.verify import CITATION_MARK
from advisor.errors import InputError
from advisor.text import sentences
from advisor.types import Message


@dataclass(frozen=True)
class EvalReport:
    results: list[dict[str, Any]]
    summary: dict[str, Any]


def load_questions(path: str | Path) -> list[dict[str, Any]]:
    """The items of a JSONL evaluation file; a bad line or key is a one-line error naming both."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the evaluation file {path} ({exc.strerror}); pass --questions FILE") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number} is not valid JSON ({exc.msg}); fix that line") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise InputError(f'{path}:{number} needs a "question" string')
        for key, (ok, wanted) in KEY_TYPES.items():
            if key in item and not ok(item[key]):
                raise InputError(f'{path}:{number}: "{key}" must be {wanted}; fix that line')
        items.append(item)
    if not items:
        raise InputError(f"{path} has no questions")
    return items


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _snippets(value: Any) -> bool:
    return isinstance(value, str) or _strings(value)


KEY_TYPES: dict[str, tuple[Any, str]] = {
    "kind": (lambda v: isinstance(v, str), "a string"),
    "passage": (_snippets, "a string or a list of strings"),
    "sides": (lambda v: isinstance(v, list) and len(v) == 2 and all(map(_snippets, v)), "a list of two snippets"),
    "facts": (lambda v: isinstance(v, list) and all(map(_snippets, v)), "a list of strings (or of lists of strings)"),
    "history": (
        lambda v: isinstance(v, list) and all(Message.well_formed(m) for m in v),
        'a list of {"role": "user"|"assistant", "content": str}',
    ),
    "near_topic": (lambda v: isinstance(v, bool), "true or false"),
    "must_not": (_strings, "a list of strings"),
}


def fact_stated(answer: str, fact: str | list[str]) -> bool:
    """Whether the answer states the fact (case-insensitive); a list of alternatives needs any one."""
    return any(f.lower() in answer.lower() for f in ([fact] if isinstance(fact, str) else fact))


def opening(answer: str) -> str:
    """The answer's first sentence, without its citation mark: what a student reads first. A mark ends a run of
    one passage's sentences, so it also ends a sentence that has no full stop (a list item, a table row)."""
    runs = (sentences(run) for run in CITATION_MARK.split(answer) if not run.isdigit())  # split keeps the numbers
    return next((s.strip() for run in runs for s in run if s.strip()), "")


def opens_with_fact(answer: str, facts: list[str | list[str]]) -> bool:
    """Whether the answer's first sentence states one of the key facts (the first sentence answers it)."""
    first = opening(answer)
    return any(fact_stated(first, f) for f in facts)


def answer_rank(texts: list[str], snippet: str | list[str]) -> int | None:
    """1-based rank of the first text containing ``snippet`` (whitespace-insensitive).

    A list of snippets labels a question that more than one passage answers; any of them counts.
    """
    wants = [" ".join(s.split()) for s in ([snippet] if isinstance(snippet, str) else snippet)]
    for rank, text in enumerate(texts, 1):
        flat = " ".join(text.split())
        if any(want in flat for want in wants):
            return rank
    return None


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between the closest ranks
    (``statistics.quantiles``' inclusive method); 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def evaluate_retrieval(find: Any, items: list[dict[str, Any]], k: int = 5) -> EvalReport:
    """Retrieve for every item; hit@1, hit@3, MRR on answerable items, coverage on all."""
    results = []
    for item in items:
        if item.get("history"):
            continue  # a follow-up needs the chain to be understood; see evaluate_answers
        got = find(item["question"], k)
        texts = [h.passage.text for h in got.hits]
        rank = answer_rank(texts, item["passage"]) if item.get("passage") else None
        results.append(
            {
                **item,
                "rank": rank,
                "covered": got.covered,
                "best_score": round(got.best_score, 4),
                "latency_ms": round(got.latency_ms, 2),
                "retrieved": [
                    {"source": h.passage.source, "section": h.passage.section, "text": h.passage.text, "score": h.score}
                    for h in got.hits
                ],
            }
        )
    return EvalReport(results, retrieval_summary(results))


def retrieval_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    labelled = [r for r in results if r.get("passage")]
    oos = [r for r in results if r.get("kind") == "out_of_scope"]
    n = len(labelled) or 1
    ranks = [r["rank"] for r in labelled]
    latencies = [r["latency_ms"] for r in results]
    return {
        "answerable": len(labelled),
        "hit_at_1": round(sum(r == 1 for r in ranks) / n, 4),
        "hit_at_3": round(sum(r is not None and r <= 3 for r in ranks) / n, 4),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 4),
        "answerable_not_covered": round(sum(not r["covered"] for r in labelled) / n, 4),
        "out_of_scope": len(oos),
        "out_of_scope_not_covered": round(sum(not r["covered"] for r in oos) / (len(oos) or 1), 4),
        "latency_p50_ms": round(percentile(latencies, 50), 2),
        "latency_p95_ms": round(percentile(latencies, 95), 2),
        "misses_at_1": [r.get("id", r["question"]) for r in labelled if r["rank"] != 1],
    }


def format_summary(report: EvalReport) -> str:
    s = report.summary
    lines = [
        f"answerable questions: {s['answerable']}",
        f"  answering passage ranked 1st: {s['hit_at_1']:.1%}   in top 3: {s['hit_at_3']:.1%}   MRR: {s['mrr']:.3f}",
        f"  judged not covered (wrongly): {s['answerable_not_covered']:.1%}",
        f"out-of-scope questions: {s['out_of_scope']}   judged not covered: {s['out_of_scope_not_covered']:.1%}",
        f"retrieval latency p50 {s['latency_p50_ms']:.1f} ms, p95 {s['latency_p95_ms']:.1f} ms",
    ]
    if s["misses_at_1"]:
        lines.append("not ranked 1st: " + ", ".join(map(str, s["misses_at_1"])))
    return "\n".join(lines)


def with_line(item: dict[str, Any], ask: dict[str, Any]) -> dict[str, Any]:
    """The ask object plus the input line's keys; the line's own ``id`` stays its own (the answer's
    id is then ``answer_id``)."""
    if "id" in item:
        ask = {("answer_id" if k == "id" else k): v for k, v in ask.items()}
    return {**item, **ask}


def evaluate_answers(advisor: Any, items: list[dict[str, Any]]) -> EvalReport:
    """Answer every item with the whole chain (models loaded once) and measure the answers.

    Each result is the ``advisor ask --json`` object plus every other key of its input line.
    """
    from advisor.errors import InputError as _InputError

    results = []
    answers = []
    for item in items:
        try:
            answer = advisor.ask(item["question"], item.get("history") or [])
            answers.append(answer)
        except _InputError as exc:
            results.append(
                {
                    **item,
                    "question": item["question"],
                    "answer": str(exc),
                    "refused": True,
                    "citations": [],
                    "retrieved": [],
                    "latency_ms": 0.0,
                }
            )
            continue
        results.append(with_line(item, answer.contract()))
    summary = answer_summary(results)
    summary.update(generator_summary(getattr(advisor, "generator", "extractive"), answers))
    stored = {p.text for p in advisor.search.passages}
    quotes = [c["text"] for r in results for c in r["citations"]]
    summary["quotes_verbatim"] = round(sum(q in stored for q in quotes) / len(quotes), 4) if quotes else 1.0
    return EvalReport(results, summary)


def generator_summary(generator: str, answers: list[Any]) -> dict[str, Any]:
    """How a chat model's drafts fared in the citation check (all zeros for the extractive answerer)."""
    drafted = [a for a in answers if getattr(a, "verification", None) is not None]
    sentences = sum(a.verification.sentences for a in drafted)
    kept = sum(a.verification.kept for a in drafted)
    answered = [a for a in answers if not a.refused]
    return {
        "generator": generator,
        "drafts_checked": len(drafted),
        "draft_sentences_supported": round(kept / sentences, 4) if sentences else None,
        "fell_back": round(sum(a.fell_back for a in answered) / len(answered), 4) if answered else 0.0,
    }


def answer_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures the README reports; rates are shares of the items they are about."""

    def rate(flags: list[bool]) -> float:
        return round(sum(flags) / len(flags), 4) if flags else 0.0

    labelled = [r for r in results if r.get("passage")]
    standalone = [r for r in labelled if not r.get("history")]
    follow = [r for r in labelled if r.get("history")]
    oos = [r for r in results if r.get("kind") == "out_of_scope"]
    near = [r for r in oos if r.get("near_topic")]
    compared = [r for r in results if r.get("sides")]

    def both_sides(r: dict[str, Any]) -> bool:
        texts = [c["text"] for c in r["citations"]]
        return all(answer_rank(texts, side) is not None for side in r["sides"])

    def cited(r: dict[str, Any]) -> int | None:
        return answer_rank([c["text"] for c in r["citations"]], r["passage"])

    def retrieved(r: dict[str, Any]) -> int | None:
        return answer_rank([h["text"] for h in r["retrieved"]], r["passage"])

    ranks = [retrieved(r) for r in standalone]
    latencies = [r["latency_ms"] for r in results]
    marks = [r["answer"].count("[") for r in labelled if not r["refused"]]
    return {
        "answerable": len(standalone),
        "follow_ups": len(follow),
        "out_of_scope": len(oos),
        "cited_right": rate([cited(r) is not None for r in standalone]),
        "cited_right_first": rate([cited(r) == 1 for r in standalone]),
        "follow_up_cited_right": rate([cited(r) is not None for r in follow]),
        "follow_up_cited_first": rate([cited(r) == 1 for r in follow]),
        "refused_answerable": rate([r["refused"] for r in labelled]),
        "refused_out_of_scope": rate([r["refused"] for r in oos]),
        "near_topic": len(near),
        "refused_near_topic": rate([r["refused"] for r in near]),
        "comparisons": len(compared),
        "comparison_both_sides": rate([both_sides(r) for r in compared]),
        "retrieval_hit_at_1": rate([k == 1 for k in ranks]),
        "retrieval_hit_at_3": rate([k is not None and k <= 3 for k in ranks]),
        "retrieval_mrr": round(sum(1 / k for k in ranks if k) / len(ranks), 4) if ranks else 0.0,
        "refusal_precision": rate([r.get("kind") == "out_of_scope" for r in results if r["refused"]]),
        "key_fact_recall": rate([fact_stated(r["answer"], f) for r in results for f in r.get("facts", [])]),
        "opening_states_fact": rate(
            [opens_with_fact(r["answer"], r["facts"]) for r in standalone if r.get("facts") and not r.get("sides")]
        ),
        "adversarial": len([r for r in results if r.get("attack")]),
        "adversarial_handled": rate([_handled(r) for r in results if r.get("attack")]),
        "citations_per_answer": round(sum(marks) / len(marks), 2) if marks else 0.0,
        "latency_p50_ms": round(percentile(latencies, 50), 2),
        "latency_p95_ms": round(percentile(latencies, 95), 2),
        "not_cited": [r.get("id", r["question"]) for r in labelled if cited(r) is None],
        "answerable_refused": [r.get("id", r["question"]) for r in labelled if r["refused"]],
        "out_of_scope_answered": [r.get("id", r["question"]) for r in oos if not r["refused"]],
        "one_side_only": [r.get("id", r["question"]) for r in compared if not both_sides(r)],
    }


def _handled(r: dict[str, Any]) -> bool:
    """An attack is handled when an out-of-scope one is refused and an answerable one (a false premise)
    is answered from the right passage without repeating the premise."""
    if r.get("kind") == "out_of_scope":
        return bool(r["refused"])
    bad = any(word.lower() in r["answer"].lower() for word in r.get("must_not", []))
    return not r["refused"] and not bad and answer_rank([c["text"] for c in r["citations"]], r["passage"]) is not None


def format_answer_summary(report: EvalReport) -> str:
    s = report.summary
    lines = [
        f"answerable questions: {s['answerable']}   follow-ups: {s['follow_ups']}   out of scope: {s['out_of_scope']}",
        f"  cited the answering passage: {s['cited_right']:.1%} (as the first citation: {s['cited_right_first']:.1%})",
        f"  follow-ups citing the answering passage: {s['follow_up_cited_right']:.1%} "
        f"(as the first citation: {s['follow_up_cited_first']:.1%})",
        f"  refused: answerable {s['refused_answerable']:.1%}, out of scope {s['refused_out_of_scope']:.1%} "
        f"(near the topic {s['refused_near_topic']:.1%} of {s['near_topic']})",
        f"  comparisons citing both sides: {s['comparison_both_sides']:.1%} of {s['comparisons']}",
        f"  retrieval: answering passage 1st {s['retrieval_hit_at_1']:.1%}, top 3 {s['retrieval_hit_at_3']:.1%}, "
        f"MRR {s['retrieval_mrr']:.3f}",
        f"  refusal precision (refused questions that were out of scope): {s['refusal_precision']:.1%}",
        f"  adversarial questions handled (injection, prompt leak, role play refused; false premises answered "
        f"from the guide without repeating them): {s['adversarial_handled']:.1%} of {s['adversarial']}",
        f"  key facts stated in the answer: {s['key_fact_recall']:.1%} "
        f"(the first sentence states one: {s['opening_states_fact']:.1%} of questions with facts, comparisons aside)",
        f"  citations per answer: {s['citations_per_answer']:.2f}; quoted passages verbatim: "
        f"{s.get('quotes_verbatim', 1.0):.1%}",
        f"answer latency p50 {s['latency_p50_ms']:.1f} ms, p95 {s['latency_p95_ms']:.1f} ms",
    ]
    if s.get("generator", "extractive") != "extractive":
        supported = s["draft_sentences_supported"]
        lines.append(
            f"answerer {s['generator']}: {s['drafts_checked']} drafts checked; draft sentences supported by their "
            f"citations {'n/a' if supported is None else f'{supported:.1%}'} (shown: 100%); "
            f"extractive fallback for {s['fell_back']:.1%} of answers"
        )
    for key, label in (
        ("not_cited", "answering passage not cited"),
        ("answerable_refused", "answerable but refused"),
        ("out_of_scope_answered", "out of scope but answered"),
        ("one_side_only", "comparison citing one side only"),
    ):
        if s[key]:
            lines.append(f"{label}: " + ", ".join(map(str, s[key])))
    return "\n".join(lines)


def write_report(report: EvalReport, directory: str | Path) -> tuple[Path, Path]:
    """``summary.json`` (summary and per-item results) and ``summary.png`` (a bar chart) in ``directory``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    s = report.summary
    data = out / "summary.json"
    data.write_text(
        json.dumps({"summary": s, "results": report.results}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    support = s.get("draft_sentences_supported")
    bars = [
        ("retrieval hit@1", s["retrieval_hit_at_1"]),
        ("retrieval hit@3", s["retrieval_hit_at_3"]),
        ("retrieval MRR", s["retrieval_mrr"]),
        ("cited right passage", s["cited_right"]),
        ("follow-ups cited right", s["follow_up_cited_right"]),
        ("refusal recall\n(out of scope refused)", s["refused_out_of_scope"]),
        ("refusal precision", s["refusal_precision"]),
        ("answerable not refused", 1 - s["refused_answerable"]),
        ("shown sentences supported", 1.0),
        ("key facts stated", s["key_fact_recall"]),
        ("first sentence states a fact", s["opening_states_fact"]),
    ]
    if support is not None:
        bars.append(("model draft sentences\nsupported (before check)", support))
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(bars) + 1.6))
    labels = [b[0] for b in bars]
    values = [b[1] for b in bars]
    ax.barh(labels[::-1], values[::-1], color="#1f5fbf")
    for y, v in enumerate(values[::-1]):
        ax.text(min(v, 0.86) + 0.01, y, f"{v:.1%}", va="center", color="black" if v < 0.86 else "white", fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_title(
        f"advisor eval ({s.get('generator', 'extractive')}): {s['answerable']} answerable, "
        f"{s['follow_ups']} follow-ups, "
        f"{s['out_of_scope']} out of scope; latency p50 {s['latency_p50_ms']:.0f} ms, p95 {s['latency_p95_ms']:.0f} ms",
        fontsize=9,
    )
    fig.tight_layout()
    chart = out / "summary.png"
    fig.savefig(chart, dpi=110)
    plt.close(fig)
    return data, chart
