"""Reads of experiments and winner evolution: what a user may see, the brand's measured baseline,
the causal knowledge base, lineage and the evolution success metric."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import Max, QuerySet, Sum

from adcreator.catalog.selectors import organization_ids_for
from experiments.models import CausalEffect, Experiment, ExperimentArm
from experiments.models_evolution import AdLineage, CompetitorAd, Evolution
from experiments.planning import MEASURE_WINDOW_DAYS
from genome.models import AdPerformanceDay

GRADE_ORDER = {"causal": 3, "suggestive": 2, "inconclusive": 1}


def experiments_visible_to(user) -> QuerySet[Experiment]:
    return (Experiment.objects.filter(brand__organization_id__in=organization_ids_for(user))
            .select_related("brand", "product", "base_ad"))


def arms_of(experiment: Experiment) -> list[ExperimentArm]:
    return list(experiment.arms.select_related("generated_ad", "job").order_by("position"))


def causal_effects_visible_to(user) -> QuerySet[CausalEffect]:
    return (CausalEffect.objects.filter(brand__organization_id__in=organization_ids_for(user))
            .select_related("experiment", "brand"))


def lineage_visible_to(user) -> QuerySet[AdLineage]:
    return AdLineage.objects.filter(evolution__organization_id__in=organization_ids_for(user)).select_related("evolution")


def competitor_ads_for(*, brand_id: int, since=None) -> list[CompetitorAd]:
    rows = CompetitorAd.objects.filter(brand_id=brand_id)
    if since is not None:
        rows = rows.filter(seen_at__gte=since)
    return list(rows.order_by("-seen_at", "-id"))


@dataclass(frozen=True)
class Baseline:
    """The brand's recent CTR and CPM, ratio and currency per 1,000 impressions (None: no data)."""

    impressions: int
    clicks: int
    spend: Decimal
    ctr: float | None
    cpm: Decimal | None
    first_day: object = None
    last_day: object = None


def brand_baseline(*, brand_id: int, window_days: int = MEASURE_WINDOW_DAYS) -> Baseline:
    """Σ clicks / Σ impressions and Σ spend / Σ impressions × 1,000 over the brand's latest
    `window_days` days of synced data (a ratio of sums; two queries)."""
    rows = AdPerformanceDay.objects.filter(account__brand_id=brand_id)
    last = rows.aggregate(last=Max("date"))["last"]
    if last is None:
        return Baseline(0, 0, Decimal(0), None, None)
    first = last - timedelta(days=window_days - 1)
    totals = rows.filter(date__gte=first, impressions__isnull=False).aggregate(
        impressions=Sum("impressions"), clicks=Sum("clicks"), spend=Sum("spend"))
    impressions, clicks = int(totals["impressions"] or 0), int(totals["clicks"] or 0)
    spend = Decimal(totals["spend"] or 0)
    return Baseline(impressions=impressions, clicks=clicks, spend=spend,
                    ctr=clicks / impressions if impressions else None,
                    cpm=(spend / impressions * 1000).quantize(Decimal("0.0001")) if impressions and spend else None,
                    first_day=first, last_day=last)


def causal_grades_for(*, brand_id: int) -> dict[str, str]:
    """Dimension → the best grade the brand's causal knowledge base holds for it, for the
    evolution's variable choice (genome.sampling.choose_variable's `causal`)."""
    best: dict[str, str] = {}
    for dimension, grade in CausalEffect.objects.filter(brand_id=brand_id).values_list("dimension", "grade"):
        if GRADE_ORDER[grade] > GRADE_ORDER.get(best.get(dimension, ""), 0):
            best[dimension] = grade
    return best


def arm_daily_counts(experiment: Experiment, arms: list[ExperimentArm], *, since, until) -> dict[tuple[str, object], tuple[int, int]]:
    """(Meta ad id, date) → (impressions, clicks) of the arms' Meta ads, over since..until (one query)."""
    ids = [arm.meta_ad_id for arm in arms if arm.meta_ad_id]
    rows = AdPerformanceDay.objects.filter(meta_ad_id__in=ids, date__range=(since, until)).values_list(
        "meta_ad_id", "date", "impressions", "clicks")
    return {(meta, day): (int(impressions or 0), int(clicks or 0)) for meta, day, impressions, clicks in rows}


# -- lineage ---------------------------------------------------------------------------------

def evolution_of_ad(*, ad_id: int) -> Evolution | None:
    """The evolve request whose job made this ad (None for an original ad): its round and ancestor."""
    return (Evolution.objects.filter(job__runs__ad_run__ads__pk=ad_id).select_related("ancestor_ad").first())


def lineage_of(*, ad_id: int) -> dict:
    """The ad's parent row (if evolved) and its children, for the evolve page and the API."""
    parent = AdLineage.objects.filter(child_ad_id=ad_id).first()
    children = list(AdLineage.objects.filter(parent_ad_id=ad_id).select_related("child_ad").order_by("id"))
    return {"parent": parent, "children": children}


@dataclass(frozen=True)
class PairComparison:
    child_id: int
    parent_id: int
    mode: str
    days: int                  # the equal-maturity window: each ad's first `days` days with data
    child_reward: float | None
    parent_reward: float | None
    child_ctr: float | None
    parent_ctr: float | None
    beats: bool | None         # None: not comparable (no reward in the window for one of them)


@dataclass(frozen=True)
class EvolutionSuccess:
    pairs: list[PairComparison]
    compared: int
    beats: int
    waiting: int               # evolved ads not yet matured enough to compare
    min_days: int

    @property
    def rate(self) -> float | None:
        return self.beats / self.compared if self.compared else None


def evolution_success(*, organization_ids: list[int], brand_id: int | None = None, min_days: int = 7) -> EvolutionSuccess:
    """Evolved ads against their parents at equal maturity (spec 11 success metric).

    For each lineage pair whose ads both ran on Meta: the window is the first N days with data
    of each ad, N = the smaller of their days with data (at least `min_days`); both ads'
    windowed aggregates are scored with the genome's own reward (`genome.rewards.
    performance_rewards`, cohort = all windowed ads of the comparison, the shipped baselines
    when that cohort is small), so parent and child are judged on the same baseline and the
    same maturity. A child beats its parent when its windowed reward is higher."""
    import numpy as np

    from genome.objectives import normalise_objective
    from genome.rewards import performance_rewards
    from genome.selectors import performance_days_for_ads

    lineage = AdLineage.objects.filter(evolution__organization_id__in=organization_ids)
    if brand_id is not None:
        lineage = lineage.filter(evolution__brand_id=brand_id)
    pairs = list(lineage.values_list("child_ad_id", "parent_ad_id", "mode", "evolution__brand_id",
                                     "evolution__organization_id"))
    ad_ids = sorted({ad for child, parent, *_ in pairs for ad in (child, parent)})
    days = performance_days_for_ads(ad_ids=ad_ids) if ad_ids else {}
    objectives = dict(apps.get_model("genome", "AdReward").objects.filter(generated_ad_id__in=ad_ids)
                      .values_list("generated_ad_id", "objective"))
    windows, keys, waiting = [], [], 0
    for child, parent, mode, brand, organization in pairs:
        child_days = [d for d in days.get(child, []) if d["impressions"]]
        parent_days = [d for d in days.get(parent, []) if d["impressions"]]
        n = min(len(child_days), len(parent_days))
        if n < min_days:
            waiting += 1 if child_days or parent_days else 0
            continue
        for ad, ad_days in ((child, child_days), (parent, parent_days)):
            first = ad_days[:n]
            windows.append([sum(float(d[k] or 0) for d in first) for k in
                            ("impressions", "clicks", "conversions", "conversion_value", "spend")]
                           + [n, int(normalise_objective(objectives.get(ad) or "UNKNOWN")), brand, organization])
        keys.append((child, parent, mode, n))
    comparisons: list[PairComparison] = []
    if windows:
        table = np.array([row[:6] for row in windows], dtype=float)
        scored = performance_rewards(impressions=table[:, 0], clicks=table[:, 1], conversions=table[:, 2],
                                     conversion_value=table[:, 3], spend=table[:, 4], days_with_data=table[:, 5],
                                     objective=np.array([row[6] for row in windows], dtype=np.int64),
                                     brand=np.array([row[7] for row in windows], dtype=np.int64),
                                     organization=np.array([row[8] for row in windows], dtype=np.int64))
        for index, (child, parent, mode, n) in enumerate(keys):
            c, p = 2 * index, 2 * index + 1
            child_reward = float(scored.reward[c]) if scored.has_reward[c] else None
            parent_reward = float(scored.reward[p]) if scored.has_reward[p] else None
            beats = None if child_reward is None or parent_reward is None else child_reward > parent_reward
            ctr = lambda row: row[1] / row[0] if row[0] else None  # noqa: E731
            comparisons.append(PairComparison(child, parent, mode, n, child_reward, parent_reward,
                                              ctr(table[c]), ctr(table[p]), beats))
    compared = [c for c in comparisons if c.beats is not None]
    return EvolutionSuccess(pairs=comparisons, compared=len(compared), beats=sum(1 for c in compared if c.beats),
                            waiting=waiting, min_days=min_days)
