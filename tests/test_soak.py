"""The soak test, short form: 50 concurrent clients against a real `python app.py` on loopback.

`make soak` runs the long form (10 minutes) and prints the figures in the README.
"""

from __future__ import annotations

from conftest import CORPUS

from advisor.config import Settings
from tools.soak import soak

GROWTH_MB = 50  # after the warm-up; the 10-minute run grows a few MB (README)


def test_fifty_clients_get_answers_or_clear_errors_and_memory_stays_flat(tmp_path):
    result = soak(Settings(corpus=CORPUS, data=tmp_path / "data"), clients=50, seconds=24, warmup=8)
    assert result.errors == 0, result.error_examples
    assert result.requests > 100 and result.bad_requests > 5  # load and bad input were both there
    assert result.growth_mb < GROWTH_MB, result
