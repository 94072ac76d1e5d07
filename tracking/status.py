"""What a reported value means against its target: completion, expected progress, the lamp.

Pure functions over plain values, so every rule can be tested case by case and the same
figures come out of the entry form, the ledger and the dashboard; and the labels of the three
lamps (`Lamp`, `Reporting`, `Availability`), the one place they are named.

- Expected progress (序时进度) is the share of the plan's months that have passed.
- Completion is read on the target's own terms: a net increase against its target, a stock
  level between baseline and target, a rate or ratio against its target directly (never
  prorated), ≤ targets inverted, ranges met at their lower end, ≈ within a tolerance,
  ranks met or not.
- The performance lamp compares completion with what should have been reached by now, with
  the plan's thresholds (default: green at or above 序时进度, red more than 20 points behind).
- Data availability: a statistic published yearly or quarterly, with a lag, is judged as of
  the last period whose figure is out; before any is out it is 未到期 or 待发布, never behind.
- Pace: what each remaining month needs against the months so far, and where that ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.periods import Period, first_closing, published_as_of

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


def expected_progress(first_year: int, last_year: int, year: int, month: int, curve=None) -> float:
    """Share of the target expected by the end of the month (序时进度): June of a yearly plan is 0.5.

    A `curve` of twelve cumulative shares replaces the even year (firms certified in batches
    expect nothing before the batch month); a multi-year plan counts its whole years first.
    """
    years = last_year - first_year + 1
    if year < first_year:
        return 0.0
    if year > last_year:
        return 1.0
    within = float(curve[month - 1]) if curve else month / 12
    return min(max((year - first_year + within) / years, 0.0), 1.0)


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


class Lamp(models.TextChoices):
    """The performance lamp (红黄绿灯): how far completion lags expected progress."""

    DONE = "done", _("Met")
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("Lagging")
    RED = "red", _("Seriously lagging")
    NONE = "none", "—"


class Availability(models.TextChoices):
    """Whether a target's figure can be judged yet: a lagged statistic before it is published is not."""

    DUE = "due", _("Published")
    NOT_DUE = "not_due", _("Not yet due")
    PENDING = "pending", _("Awaiting publication")


class Reporting(models.TextChoices):
    """The reporting lamp of one month: in on time, in late, not in, or excused."""

    REPORTED = "reported", _("Reported")
    LATE = "late", _("Late")
    MISSING = "missing", _("Not reported")
    WAIVED = "waived", _("Waived")


def state_label(lamp: str, availability: str = Availability.DUE) -> str:
    """What a page, the ledger or the command line says for a target: its lamp, or why it has none."""
    if availability != Availability.DUE:
        return str(Availability(availability).label)
    return str(Lamp(lamp).label) if lamp in Lamp.values else "—"


def gap(target: Target, actual: Decimal | None, expected: float) -> float | None:
    """How far completion lags what should be reached by now (0.18 = 18 points behind)."""
    reached = completion(target, actual)
    if reached is None:
        return None
    should = expected if target.is_prorated else 1.0
    return should - reached


def performance(
    target: Target, actual: Decimal | None, expected: float, red_gap: float = RED_GAP, green_gap: float = 0.0
) -> str:
    """已完成 / 正常 / 滞后 / 严重滞后 from the gap between completion and expected progress."""
    reached = completion(target, actual)
    if reached is None:
        return Lamp.NONE
    if reached >= 1.0:
        return Lamp.DONE
    behind = gap(target, actual, expected)
    if behind <= green_gap + 1e-9:
        return Lamp.GREEN
    return Lamp.YELLOW if behind <= red_gap + 1e-9 else Lamp.RED


# --- data availability ------------------------------------------------------------------------

DUE, NOT_DUE, PENDING = Availability.DUE, Availability.NOT_DUE, Availability.PENDING


def latest_published(year: int, month: int, frequency: str = "monthly", lag: int = 0) -> tuple[int, int]:
    """The last month whose figure is out by the end of (year, month) (see plans.periods)."""
    published = published_as_of(Period(year, month), frequency, lag)
    return published.year, published.month


def availability(
    first_year: int, year: int, month: int, frequency: str = "monthly", lag: int = 0
) -> tuple[str, tuple[int, int] | None]:
    """Whether the plan's figure can be judged at (year, month), and as of which month.

    未到期 (not due): the plan's first period has not even closed; 待发布 (pending): it closed
    but its figure is not out yet. Otherwise the month of the latest published figure.
    """
    first, asked = Period(first_year, 1), Period(year, month)
    published = published_as_of(asked, frequency, lag)
    if published >= first:
        return DUE, (published.year, published.month)
    return (NOT_DUE if asked < first_closing(first, frequency) else PENDING), None


# --- pace -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """需月均新增26家, 当前月均18家: the monthly rate needed and the one so far, with its end."""

    needed: Decimal
    current: Decimal
    projected: Decimal
    remaining: int

    @property
    def on_course(self) -> bool:
        return self.current >= self.needed


def pace(
    target: Target,
    actual: Decimal | None,
    months_passed: int,
    months_total: int,
    start: Decimal | None = None,
) -> Pace | None:
    """The pace of a count or level: what is needed per remaining month, what it has been.

    `start` is where the period began (the baseline of a stock level; zero for a net
    increase). Rates and ranks have no pace: they are judged as they stand.
    """
    if not target.is_prorated or actual is None or target.value is None or months_passed <= 0:
        return None
    start = start if start is not None else (target.baseline if target.measure == "stock" else Decimal(0))
    if start is None:
        return None
    remaining = max(months_total - months_passed, 0)
    current = (actual - start) / months_passed
    needed = (target.value - actual) / remaining if remaining else Decimal(0)
    projected = actual + current * remaining
    return Pace(needed=max(needed, Decimal(0)), current=current, projected=projected, remaining=remaining)


# --- milestones and roll-up -------------------------------------------------------------

SEVERITY = [Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.DONE]


def milestone_lamp(milestones, as_of) -> str:
    """A task without numbers by its milestones (倒排工期): red when one is overdue, done when all are.

    `milestones` are (due_date, done_on) pairs; `as_of` the last day of the month judged.
    """
    milestones = list(milestones)
    if not milestones:
        return Lamp.NONE
    due = [(d, done) for d, done in milestones if d <= as_of]
    if any(done is None or done > as_of for _, done in due):
        return Lamp.RED
    if all(done is not None and done <= as_of for _, done in milestones):
        return Lamp.DONE
    return Lamp.GREEN if due or milestones else Lamp.NONE


def worst(lamps) -> str:
    """The roll-up of several lamps: the worst one; targets not judged (—) do not count."""
    judged = [lamp for lamp in lamps if lamp in SEVERITY]
    if not judged:
        return Lamp.NONE
    return min(judged, key=SEVERITY.index)


def bucket(lamp: str, availability: str = DUE) -> str:
    """Where a target is counted: 未到期 or 待发布 while its figure cannot be judged, else its lamp
    (— when it has no figure). Every count of targets by lamp, on any page, counts by this."""
    return availability if availability != DUE else lamp


@dataclass
class Tally:
    """How many targets (of a section, a department, a region) stand where, by `bucket`, and the
    mean of their completion, each capped at 100%, over those with a lamp."""

    counts: dict[str, int] = field(default_factory=dict)
    completion_sum: float = 0.0
    judged: int = 0

    def add(self, bucket: str, targets: int = 1, completion_sum: float = 0.0, judged: int = 0) -> Tally:
        self.counts[bucket] = self.counts.get(bucket, 0) + targets
        self.completion_sum += completion_sum
        self.judged += judged
        return self

    def merge(self, other: Tally) -> Tally:
        for name, n in other.counts.items():
            self.add(name, n)
        self.completion_sum += other.completion_sum
        self.judged += other.judged
        return self

    def __getitem__(self, bucket: str) -> int:
        return self.counts.get(bucket, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def not_due(self) -> int:
        return self[NOT_DUE] + self[PENDING]

    @property
    def unjudged(self) -> int:
        """Targets that could be judged but have no figure."""
        return self.total - self.not_due - sum(self[lamp] for lamp in SEVERITY)

    @property
    def completion(self) -> float | None:
        return self.completion_sum / self.judged if self.judged else None

    @property
    def lamp(self) -> str:
        return worst(lamp for lamp in SEVERITY if self[lamp])
