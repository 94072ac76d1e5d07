"""Completion and the lamp on each kind of target's own terms (the engine's first cases)."""

from decimal import Decimal

import pytest

from indicators.status import Lamp, Target, completion, expected_progress, performance, stretch


def target(kind="count", measure="increase", comparator="=", value="310", value_max=None, baseline=None):
    return Target(
        kind=kind,
        measure=measure,
        comparator=comparator,
        value=Decimal(value) if value is not None else None,
        value_max=Decimal(value_max) if value_max else None,
        baseline=Decimal(baseline) if baseline else None,
    )


@pytest.mark.parametrize(
    ("first", "last", "year", "month", "share"),
    [
        (2024, 2024, 2024, 6, 0.5),
        (2024, 2024, 2024, 12, 1.0),
        (2024, 2024, 2024, 1, 1 / 12),
        (2021, 2025, 2024, 6, 42 / 60),
        (2024, 2024, 2023, 12, 0.0),
        (2024, 2024, 2025, 1, 1.0),
    ],
)
def test_expected_progress_is_the_share_of_months_passed(first, last, year, month, share):
    assert expected_progress(first, last, year, month) == pytest.approx(share)


def test_a_net_increase_is_read_against_its_target():
    assert completion(target(), Decimal("155")) == pytest.approx(0.5)


def test_a_stock_level_is_read_between_baseline_and_target():
    level = target(measure="stock", comparator=">=", value="1576", baseline="1400")
    assert completion(level, Decimal("1488")) == pytest.approx(0.5)
    assert completion(target(measure="stock", value="650"), Decimal("325")) == pytest.approx(0.5)


def test_a_rate_is_compared_directly_and_never_prorated():
    rate = target(kind="growth_rate", measure="rate", comparator=">=", value="11")
    assert completion(rate, Decimal("11")) == 1.0
    assert performance(rate, Decimal("10"), expected=0.5) == Lamp.YELLOW  # 91% of 11%, judged as it stands
    assert performance(rate, Decimal("7"), expected=0.5) == Lamp.RED


def test_an_at_most_target_is_inverted():
    cap = target(kind="ratio", measure="rate", comparator="<=", value="5")
    assert completion(cap, Decimal("4")) == 1.0
    assert completion(cap, Decimal("10")) == pytest.approx(0.5)


def test_a_rank_is_met_at_or_above_its_place():
    rank = target(kind="rank", measure="rate", comparator="<=", value="10")
    assert completion(rank, Decimal("8")) == 1.0
    assert completion(rank, Decimal("12")) < 1.0


def test_a_range_is_met_at_its_lower_end_and_stretched_to_the_upper():
    span = target(comparator="range", value="2", value_max="3")
    assert completion(span, Decimal("2")) == 1.0
    assert stretch(span, Decimal("2")) == 0.0
    assert stretch(span, Decimal("3")) == 1.0


def test_an_approximate_target_is_met_within_its_tolerance():
    about = target(comparator="approx", value="100")
    assert completion(about, Decimal("92")) == 1.0
    assert completion(about, Decimal("80")) == pytest.approx(0.8)


def test_a_zero_target_is_met_by_anything_not_negative():
    assert completion(target(value="0"), Decimal("0")) == 1.0


def test_no_value_and_qualitative_targets_have_no_lamp():
    assert performance(target(), None, expected=0.5) == Lamp.NONE
    assert performance(target(kind="qualitative", value=None), Decimal("1"), 0.5) == Lamp.NONE


@pytest.mark.parametrize(
    ("value", "lamp"),
    [("310", Lamp.DONE), ("155", Lamp.GREEN), ("160", Lamp.GREEN), ("94", Lamp.YELLOW), ("90", Lamp.RED)],
)
def test_the_lamp_follows_the_gap_to_expected_progress_at_june(value, lamp):
    # at June 50% is expected; green at or above it, red more than 20 points behind
    assert performance(target(), Decimal(value), expected=0.5) == lamp
