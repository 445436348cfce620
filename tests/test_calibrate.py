"""The calibration tools' choices, on rows made up for the purpose (the fits themselves run over the dev sets:
`python -m tools.calibrate_refusal`, `python -m tools.calibrate_ranking`)."""

from __future__ import annotations


def test_the_refusal_threshold_is_the_middle_of_the_best_span():
    # answerable questions scored 0.3 and 0.5 (refusing both would be 2 in 98, over 2%), out-of-scope ones
    # 0.1, 0.2, 0.4 and 0.6: every threshold above 0.4 up to 0.5 refuses 3 of 4 out of scope and 1 answerable
    from tools.calibrate_refusal import Row, choose, rates

    rows = [Row("dev", str(i), i < 98, {}, False) for i in range(102)]
    scores = [0.9] * 96 + [0.3, 0.5] + [0.1, 0.2, 0.4, 0.6]
    threshold = choose(rows, scores)
    assert threshold == 0.45
    assert rates(rows, scores, threshold) == {"answerable_refused": 0.0102, "out_of_scope_refused": 0.75}
