"""What a reported value means against its target: completion, expected progress, the lamp.

Pure functions over plain values, so every rule can be tested case by case and the same
figures come out of the entry form, the ledger and the dashboard.

- Expected progress (序时进度) is the share of the plan's months that have passed.
- Completion is read on the target's own terms: a net increase against its target, a stock
  level between baseline and target, a rate or ratio against its target directly (never
  prorated), ≤ targets inverted, ranges met at their lower end, ≈ within a tolerance,
  ranks met or not.
- The performance lamp compares completion with what should have been reached by now.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

APPROX_TOLERANCE = Decimal("0.10")
RED_GAP = 0.20
PRORATED_MEASURES = {"increase", "stock"}


@dataclass(frozen=True)
class Target:
    kind: str
    measure: str
    comparator: str
    value: Decimal | None
    value_max: Decimal | None = None
    baseline: Decimal | None = None

    @classmethod
    def of(cls, indicator, share=None) -> Target:
        """The target of an indicator, or of one region's share of it."""
        return cls(
            kind=indicator.kind,
            measure=indicator.measure,
            comparator=indicator.comparator,
            value=share.target if share is not None else indicator.target,
            value_max=share.target_max if share is not None else indicator.target_max,
            baseline=None if share is not None else indicator.baseline,
        )

    @property
    def is_prorated(self) -> bool:
        """Counts and levels build up over the period; rates and ranks are judged as they stand."""
        return self.measure in PRORATED_MEASURES and self.kind not in {
            "rank",
            "growth_rate",
            "ratio",
            "index",
        }


def expected_progress(first_year: int, last_year: int, year: int, month: int) -> float:
    """Share of the plan period passed at the end of the month: June of a yearly plan is 0.5."""
    total = 12 * (last_year - first_year + 1)
    passed = 12 * (year - first_year) + month
    return min(max(passed / total, 0.0), 1.0)


def completion(target: Target, actual: Decimal | None) -> float | None:
    """How much of the target the value reaches, 1.0 being met; None when it cannot be said."""
    if actual is None or target.value is None or target.kind == "qualitative":
        return None
    goal = target.value
    if target.kind == "rank" or target.comparator == "<=":
        if actual <= goal:
            return 1.0
        return float(goal / actual) if actual > 0 else 0.0
    if target.comparator == "approx" and goal != 0 and abs(actual - goal) <= abs(goal) * APPROX_TOLERANCE:
        return 1.0
    if target.measure == "stock" and target.baseline is not None and goal != target.baseline:
        share = (actual - target.baseline) / (goal - target.baseline)
    elif goal == 0:
        return 1.0 if actual >= 0 else 0.0
    else:
        share = actual / goal
    return max(float(share), 0.0)


def stretch(target: Target, actual: Decimal | None) -> float | None:
    """For a range (2-3家): how far towards the upper end, once the lower end is met."""
    if target.comparator != "range" or actual is None or target.value_max is None:
        return None
    if actual <= target.value:
        return 0.0
    span = target.value_max - target.value
    return 1.0 if span <= 0 else min(float((actual - target.value) / span), 1.0)


class Lamp:
    DONE = "done"
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"

    LABELS = {DONE: "已完成", GREEN: "正常", YELLOW: "滞后", RED: "严重滞后", NONE: "—"}


def performance(target: Target, actual: Decimal | None, expected: float, red_gap: float = RED_GAP) -> str:
    """已完成 / 正常 / 滞后 / 严重滞后 from the gap between completion and expected progress."""
    reached = completion(target, actual)
    if reached is None:
        return Lamp.NONE
    if reached >= 1.0:
        return Lamp.DONE
    should = expected if target.is_prorated else 1.0
    gap = should - reached
    if gap <= 1e-9:
        return Lamp.GREEN
    return Lamp.YELLOW if gap <= red_gap + 1e-9 else Lamp.RED
