"""Evaluation: how well the pipeline does on a labelled question file.

Each JSONL line is ``{"question": str, "kind": "answerable"|"out_of_scope"|...,
"passage": "a verbatim snippet of the passage that answers it", "history": [...]?}``.
A retrieved passage "answers" an item when it contains the item's snippet, so
labels survive re-splitting the corpus as long as the sentence is still there.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.errors import InputError


@dataclass(frozen=True)
class EvalReport:
    results: list[dict[str, Any]]
    summary: dict[str, Any]


def load_questions(path: str | Path) -> list[dict[str, Any]]:
    """The items of a JSONL evaluation file; a bad line is an error naming its number."""
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
        items.append(item)
    if not items:
        raise InputError(f"{path} has no questions")
    return items


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
    """The q-th percentile (0–100), nearest-rank interpolation; 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def evaluate_retrieval(search: Any, items: list[dict[str, Any]], k: int = 5) -> EvalReport:
    """Retrieve for every item; hit@1, hit@3, MRR on answerable items, coverage on all."""
    results = []
    for item in items:
        got = search.search(item["question"], k)
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
