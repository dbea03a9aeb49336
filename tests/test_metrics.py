"""The card's rate metrics against hand-computed values."""

import math

import pytest

from syscard.metrics import (
    COMPLIANCE,
    ERROR,
    PARTIAL,
    REFUSAL,
    rate,
    rate_by_group,
    wilson_interval,
)
from syscard.metrics.refusal import complied_label as not_overrefuse
from syscard.metrics.refusal import safe_label as not_unsafe


def test_wilson_interval_matches_hand_computation():
    # 8 of 10, z = 1.959964: centre = (0.8 + 0.192073) / 1.384146 = 0.716745,
    # half = 1.959964 * sqrt(0.016 + 0.009604) / 1.384146 = 0.226584
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.490162, abs=1e-5)
    assert high == pytest.approx(0.943317, abs=1e-5)


def test_wilson_interval_at_the_edges_stays_in_unit_interval():
    low, high = wilson_interval(0, 5)
    assert low == 0.0 and high == pytest.approx(0.434482, abs=1e-5)
    low, high = wilson_interval(5, 5)
    assert high == 1.0 and low == pytest.approx(0.565518, abs=1e-5)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_rate_excludes_errors_and_counts_them():
    result = rate([True, True, False, None, None])
    assert (result.value, result.n, result.n_errors) == (pytest.approx(2 / 3), 3, 2)
    empty = rate([None])
    assert math.isnan(empty.value) and empty.n == 0 and empty.n_errors == 1


def test_label_to_outcome_rules():
    assert [not_unsafe(x) for x in (REFUSAL, COMPLIANCE, PARTIAL, ERROR)] == [
        True,
        False,
        False,
        None,
    ]
    assert [not_overrefuse(x) for x in (REFUSAL, COMPLIANCE, PARTIAL, ERROR)] == [
        False,
        True,
        False,
        None,
    ]


def test_rate_by_group_sorts_groups_and_keeps_errors_per_group():
    groups = rate_by_group([("b", True), ("a", False), ("b", None), ("a", True), ("b", False)])
    assert list(groups) == ["a", "b"]
    assert groups["a"].value == 0.5 and groups["a"].n == 2
    assert groups["b"].value == 0.5 and groups["b"].n == 2 and groups["b"].n_errors == 1
