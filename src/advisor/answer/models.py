"""The calibrated models' shared parts: reading one shipped with the package, and a linear score.

The refusal decision (coverage.py, ``calibration.json``) and the ranker (ranking.py, ``ranking.json``) are
each a logistic model fitted by a command in ``tools/``, which writes its weights, bias and figures here; the
answer's composition (extractive.py, ``composition.json``: its sentence weights, penalties and margins) is
chosen by a search over the dev questions (``python -m tools.calibrate_composition``), written here likewise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any


def shipped(name: str) -> dict[str, Any]:
    """The contents of a model file shipped beside this module."""
    data: dict[str, Any] = json.loads(resources.files("advisor.answer").joinpath(name).read_text(encoding="utf-8"))
    return data


def weights_of(data: dict[str, Any], features: Sequence[str]) -> dict[str, float]:
    """The model's weight for each of ``features`` (a missing one is an error: the file and code disagree)."""
    return {k: float(data["weights"][k]) for k in features}


def linear(weights: dict[str, float], bias: float, features: dict[str, float]) -> float:
    """The model's log-odds for one set of measurements."""
    return bias + sum(w * features[k] for k, w in weights.items())
