"""Completion and the lamp on each kind of target's own terms (the engine's first cases)."""

from decimal import Decimal

import pytest

from tracking.status import Lamp, Target, completion, expected_progress, performance, stretch


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


def test_a_batch_curve_expects_nothing_before_the_batch_month():
    batches = [0, 0, 0, 0, 0, 0.3, 0.3, 0.3, 0.3, 0.6, 0.6, 1]
    assert expected_progress(2024, 2024, 2024, 5, batches) == 0.0
    assert expected_progress(2024, 2024, 2024, 6, batches) == pytest.approx(0.3)
    assert performance(target(), Decimal("0"), expected_progress(2024, 2024, 2024, 5, batches)) == Lamp.GREEN


def test_a_multi_year_plan_counts_its_whole_years_first():
    assert expected_progress(2021, 2025, 2023, 12) == pytest.approx(0.6)
    assert expected_progress(2021, 2025, 2024, 6, [0.5] * 12) == pytest.approx(3.5 / 5)


@pytest.mark.parametrize(
    ("year", "month", "frequency", "lag", "expected"),
    [
        (2024, 6, "monthly", 0, ("due", (2024, 6))),
        (2024, 6, "quarterly", 0, ("due", (2024, 6))),
        (2024, 5, "quarterly", 0, ("due", (2024, 3))),
        (2024, 6, "quarterly", 1, ("due", (2024, 3))),
        (2024, 2, "quarterly", 1, ("not_due", None)),  # the first quarter has not closed
        (2024, 3, "quarterly", 1, ("pending", None)),  # the quarter closed; its figure comes in April
        (2024, 4, "quarterly", 1, ("due", (2024, 3))),
        (2024, 6, "yearly", 6, ("not_due", None)),
        (2025, 3, "yearly", 6, ("pending", None)),
        (2025, 6, "yearly", 6, ("due", (2024, 12))),
    ],
)
def test_a_statistic_is_judged_only_once_it_is_published(year, month, frequency, lag, expected):
    from tracking.status import availability

    assert availability(2024, year, month, frequency, lag) == expected


def test_the_thresholds_of_the_plan_move_the_lamps():
    value = Decimal("124")  # 40% at June: 10 points behind
    assert performance(target(), value, 0.5) == Lamp.YELLOW
    assert performance(target(), value, 0.5, green_gap=0.10) == Lamp.GREEN
    assert performance(target(), value, 0.5, red_gap=0.05) == Lamp.RED


def test_pace_says_what_each_remaining_month_needs_and_where_the_current_pace_ends():
    from tracking.status import pace

    steps = pace(target(), Decimal("108"), months_passed=6, months_total=12)
    assert (steps.needed, steps.current, steps.projected, steps.remaining) == (
        Decimal("202") / 6,
        Decimal("18"),
        Decimal("216"),
        6,
    )
    assert not steps.on_course


def test_pace_of_a_stock_counts_from_its_baseline_and_rates_have_none():
    from tracking.status import pace

    level = target(measure="stock", comparator=">=", value="1576", baseline="1400")
    assert pace(level, Decimal("1460"), 6, 12).current == Decimal("10")
    assert pace(target(measure="stock", value="650"), Decimal("600"), 6, 12) is None  # no baseline
    assert pace(target(kind="growth_rate", measure="rate", value="11"), Decimal("9"), 6, 12) is None


def test_a_task_without_numbers_is_judged_by_its_milestones():
    from datetime import date

    from tracking.status import milestone_lamp

    june = date(2024, 6, 30)
    assert milestone_lamp([], june) == Lamp.NONE
    assert (
        milestone_lamp([(date(2024, 5, 31), date(2024, 5, 20)), (date(2024, 9, 30), None)], june)
        == Lamp.GREEN
    )
    assert milestone_lamp([(date(2024, 5, 31), None)], june) == Lamp.RED
    assert milestone_lamp([(date(2024, 5, 31), date(2024, 7, 2))], june) == Lamp.RED  # done after the month
    assert milestone_lamp([(date(2024, 5, 31), date(2024, 5, 2))], june) == Lamp.DONE


def test_the_roll_up_takes_the_worst_lamp_and_ignores_the_unjudged():
    from tracking.status import worst

    assert worst([Lamp.DONE, Lamp.GREEN, Lamp.YELLOW]) == Lamp.YELLOW
    assert worst([Lamp.NONE, Lamp.DONE]) == Lamp.DONE
    assert worst([Lamp.NONE]) == Lamp.NONE
    assert worst([Lamp.GREEN, Lamp.RED, Lamp.DONE]) == Lamp.RED
