"""What the calibration tools (calibrate_refusal, calibrate_ranking) share: the dev questions walked
through the real chain, one understood turn at a time, and the model file written with how it was made."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from advisor.answer.chain import Advisor, open_advisor
from advisor.answer.records import Turn, Understood
from advisor.config import Settings, quiet_runtime
from advisor.quality.evaluate import load_questions
from tools.serving import ROOT

SEED = "eval/questions.jsonl"  # the seed article's questions, the regression set: a worse model is not written
DEV_SETS = (  # (corpus, its dev questions) the calibrations read: the seed article and the eleven sets of dev guides
    ("corpus", SEED),
    ("eval/guides", "eval/guides-dev.jsonl"),
    ("eval/guides2", "eval/guides2-dev.jsonl"),
    ("eval/guides3", "eval/guides3-dev.jsonl"),
    ("eval/guides4", "eval/guides4-dev.jsonl"),
    ("eval/guides5", "eval/guides5-dev.jsonl"),
    ("eval/guides6", "eval/guides6-dev.jsonl"),
    ("eval/guides7", "eval/guides7-dev.jsonl"),
    ("eval/guides8", "eval/guides8-dev.jsonl"),
    ("eval/guides9", "eval/guides9-dev.jsonl"),
    ("eval/guides10", "eval/guides10-dev.jsonl"),
    ("eval/guides11", "eval/guides11-dev.jsonl"),
)


def dev_questions(sets: tuple[tuple[str, str], ...]) -> Iterator[tuple[str, dict[str, Any], Advisor, Understood]]:
    """(questions file, item, the advisor over its corpus, the item's understood turn) for every dev question."""
    for corpus, path in sets:
        advisor = dev_advisor(corpus, path)
        for item in load_questions(ROOT / path):
            turn = Turn.of({"question": item["question"], "history": item.get("history") or []})
            yield path, item, advisor, advisor.coverage.understand(advisor.condense(turn))


def dev_advisor(corpus: str, questions: str) -> Advisor:
    """The advisor over a dev corpus (its index kept apart from the app's), for its dev ``questions``."""
    assert "heldout" not in questions, "the held-out split is never used for calibration"
    return open_advisor(Settings(corpus=ROOT / corpus, data=ROOT / ".advisor" / "calibrate" / Path(corpus).name))


def arguments(module: str, doc: str, target: Path) -> argparse.Namespace:
    """A calibration command's start: the runtime quieted, and its one option, ``--write`` (``target``)."""
    quiet_runtime()
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=doc.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {target.relative_to(ROOT)}")
    return parser.parse_args()


def write_model(target: Path, model: dict[str, Any], sets: tuple[tuple[str, str], ...], command: str) -> None:
    """The model file: its fields, the questions it was fitted on, the date and the command that made it."""
    fields = {**model, "fitted_on": [q for _, q in sets], "fitted": time.strftime("%Y-%m-%d"), "command": command}
    target.write_text(json.dumps(fields, indent=1) + "\n")
    print(f"wrote {target.relative_to(ROOT)}")
