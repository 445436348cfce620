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


def test_the_shipped_composition_has_every_value_and_reads_back():
    from dataclasses import fields

    from advisor.answer.extractive import Composition

    shipped = Composition.shipped()
    assert Composition.of(shipped.values()) == shipped
    assert set(shipped.values()) == {f.name for f in fields(Composition)}
    assert isinstance(shipped.max_sentences, int) and isinstance(shipped.margin, float)
    assert shipped.min_sentences <= shipped.max_sentences


def test_the_composition_search_tries_a_few_values_in_place_of_each():
    from tools.calibrate_composition import FACTORS, options

    assert sorted(options(0.2)) == sorted(round(0.2 * k, 4) for k in FACTORS if k != 1)
    assert options(4) == [3, 5]
    assert options(1) == [2]  # never 0 sentences
    assert isinstance(options(4)[0], int) and isinstance(options(0.2)[0], float)
