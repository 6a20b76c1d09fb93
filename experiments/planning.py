"""The power and budget plan of an experiment (spec 12a), pure (no Django).

Impressions per arm come from `experiments.stats.required_impressions` (the two-proportion
sample size), with α split over the treatment-vs-control comparisons (Bonferroni) as the
decision rule's benchmark assumes. Spend is those impressions in every arm at the CPM. The
daily budget spreads that spend over the planned days; every arm gets the same minimum
daily spend — the whole budget divided equally — so the intended split of impressions is
equal, which is what the sample-ratio check tests.

Units: the baseline CTR is a ratio (0.8 % is 0.008), the MDE a ratio of the baseline (0.20 is
a 20 % relative lift), the CPM currency per 1,000 impressions, money a Decimal in the account's
currency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal
from typing import Literal

from experiments.stats import required_impressions, required_spend
from experiments.vocabulary import MAX_PLANNED_DAYS

ValueSource = Literal["entered", "measured", "assumed"]

# Stated defaults, used (and labelled "assumed") only when the brand has no performance data
# to measure them from: a CTR of 1 % and a CPM of 10 in the account's currency are typical of
# Meta feed placements; both are shown on the page as assumptions to replace.
ASSUMED_BASELINE_CTR = 0.01
ASSUMED_CPM = Decimal("10.00")
# The brand's own CTR and CPM count as measured from this many impressions in the window:
# below it, a CTR of 1 % is known only to about ±20 %, too loose to size an experiment on.
MIN_MEASURED_IMPRESSIONS = 10_000
MEASURE_WINDOW_DAYS = 28
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class BudgetPlan:
    baseline_ctr: float
    baseline_source: ValueSource
    relative_mde: float
    power: float
    alpha: float
    alpha_per_comparison: float
    arms: int
    planned_days: int
    impressions_per_arm: int
    cpm: Decimal
    cpm_source: ValueSource
    currency: str
    total_spend: Decimal
    daily_budget: Decimal
    min_daily_spend_per_arm: Decimal
    daily_impressions_per_arm: int  # what the daily budget buys per arm at the CPM

    @property
    def treatments(self) -> int:
        return self.arms - 1

    def as_json(self) -> dict:
        return {
            "baseline_ctr": self.baseline_ctr, "baseline_source": self.baseline_source,
            "relative_mde": self.relative_mde, "power": self.power, "alpha": self.alpha,
            "alpha_per_comparison": self.alpha_per_comparison, "arms": self.arms,
            "planned_days": self.planned_days, "impressions_per_arm": self.impressions_per_arm,
            "cpm": str(self.cpm), "cpm_source": self.cpm_source, "currency": self.currency,
            "total_spend": str(self.total_spend), "daily_budget": str(self.daily_budget),
            "min_daily_spend_per_arm": str(self.min_daily_spend_per_arm),
            "daily_impressions_per_arm": self.daily_impressions_per_arm,
        }


class PlanError(ValueError):
    """A plan input out of range; `errors` maps the field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


def plan_budget(*, baseline_ctr: float, baseline_source: ValueSource, relative_mde: float, power: float,
                alpha: float, arms: int, cpm: Decimal, cpm_source: ValueSource, planned_days: int,
                currency: str = "USD") -> BudgetPlan:
    errors: dict[str, list[str]] = {}
    if not (isinstance(baseline_ctr, (int, float)) and 0 < baseline_ctr < 1):
        errors["baseline_ctr"] = ["A ratio between 0 and 1: a CTR of 0.8 % is 0.008."]
    if not (isinstance(relative_mde, (int, float)) and 0 < relative_mde <= 5):
        errors["relative_mde"] = ["A relative lift between 0 and 5: 0.20 is +20 % of the baseline."]
    if not (isinstance(power, (int, float)) and 0.5 <= power < 1):
        errors["power"] = ["A probability from 0.5 to below 1 (0.8 is usual)."]
    if not (isinstance(alpha, (int, float)) and 0 < alpha <= 0.2):
        errors["alpha"] = ["A probability above 0 and at most 0.2 (0.05 is usual)."]
    if not (isinstance(arms, int) and 2 <= arms <= 4):
        errors["arms"] = ["A control and 1–3 treatments: 2 to 4 arms."]
    if not (isinstance(planned_days, int) and 1 <= planned_days <= MAX_PLANNED_DAYS):
        errors["planned_days"] = [f"From 1 to {MAX_PLANNED_DAYS} days: the decision rule stops at day "
                                  f"{MAX_PLANNED_DAYS}."]
    if not (isinstance(cpm, Decimal) and cpm.is_finite() and cpm > 0):
        errors["cpm"] = ["A CPM above 0 (currency per 1,000 impressions)."]
    if not errors and baseline_ctr * (1 + relative_mde) >= 1:
        errors["relative_mde"] = ["The baseline CTR × (1 + MDE) must stay below 1."]
    if errors:
        raise PlanError(errors)
    per_comparison = alpha / (arms - 1)
    impressions = required_impressions(baseline_ctr, relative_mde, power=power, alpha=per_comparison)
    total = Decimal(repr(required_spend(impressions, arms, float(cpm)))).quantize(_CENT, rounding=ROUND_UP)
    # Every arm's minimum is an equal share and the shares make the whole budget: nothing is left
    # for CBO to move between arms, so each arm buys the same spend every day.
    per_arm = max(_CENT, (total / planned_days / arms).quantize(_CENT, rounding=ROUND_UP))
    daily = per_arm * arms
    daily_impressions = int(math.floor(float(per_arm) / float(cpm) * 1000))
    return BudgetPlan(
        baseline_ctr=float(baseline_ctr), baseline_source=baseline_source, relative_mde=float(relative_mde),
        power=float(power), alpha=float(alpha), alpha_per_comparison=per_comparison, arms=arms,
        planned_days=planned_days, impressions_per_arm=impressions, cpm=cpm, cpm_source=cpm_source,
        currency=currency, total_spend=total, daily_budget=daily, min_daily_spend_per_arm=per_arm,
        daily_impressions_per_arm=daily_impressions,
    )
