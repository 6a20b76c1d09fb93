"""creative_genome_update (spec 10.3–10.6): rewards, element scores, attribution and the learning
state of every brand of an organization, rebuilt from the data underneath — set-based.

A constant number of queries whatever the number of ads: the ads and their tags in one query,
their Meta performance aggregated per ad in one, the brands' days of data in two, then numpy
(genome.rewards, genome.beta, genome.attribution) and one bulk write per table (genome.bulk).
Loops run over brands and element dimensions, never over ads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone

from adcreator.catalog.models import Brand
from genome.attribution import all_stratified_effects, iso_week, spend_buckets, stratum_keys
from genome.beta import score_elements
from genome.bulk import insert_columns, insert_rows
from genome.coldstart import category_priors, coldstart
from genome.dimensions import ELEMENT_DIMENSIONS
from genome.models import (
    AdAccount, AdMapping, AdPerformanceDay, AdReward, AttributionFinding, ElementScore, GenomeState,
)
from genome.objectives import normalise_objective
from genome.rewards import RewardSource as Source
from genome.rewards import combine_rewards, performance_rewards, review_rewards
from genome.sampling import exploration_rate

# Ads whose creative exists: their tags can be learned from.
MADE_STATUSES = ("generated", "approved", "rejected", "flagged", "review_failed")
SOURCE_NAMES = {Source.PERFORMANCE: "performance", Source.HUMAN_REVIEW: "human_review",
                Source.AI_REVIEW: "ai_review", Source.NONE: "none"}


def _ads_model():
    from django.apps import apps

    return apps.get_model("generation", "GeneratedAd")


def _overrides_model():
    from django.apps import apps

    return apps.get_model("review", "AdReviewOverride")


@dataclass
class AdTable:
    """The organization's ads as columns (one entry per ad)."""

    ids: np.ndarray
    brand: np.ndarray
    product: np.ndarray
    status: list[str]
    ai_status: list[str]
    human: np.ndarray  # bool: a human decided (status then follows that decision)
    created: list[date]
    tags: dict[str, list]


def load_ads(organization_id: int) -> AdTable:
    latest_human = _overrides_model().objects.filter(ad_id=OuterRef("pk"), superseded_by__isnull=True)
    rows = list(_ads_model().objects.filter(ad_run__organization_id=organization_id, status__in=MADE_STATUSES)
                .annotate(human_decided=Exists(latest_human))
                .values_list("pk", "ad_run__brand_id", "ad_run__product_id", "status", "ai_status", "created_at",
                             "human_decided", "element_tags").order_by("pk"))
    tags = {dimension: [] for dimension in ELEMENT_DIMENSIONS}
    for row in rows:  # unpacking the query's rows into columns: no work per ad beyond this
        element_tags = row[7] or {}
        for dimension in ELEMENT_DIMENSIONS:
            tags[dimension].append(element_tags.get(dimension))
    return AdTable(
        ids=np.array([r[0] for r in rows], dtype=np.int64), brand=np.array([r[1] for r in rows], dtype=np.int64),
        product=np.array([r[2] for r in rows], dtype=object), status=[r[3] for r in rows],
        ai_status=[r[4] or "generated" for r in rows], human=np.array([r[6] for r in rows], dtype=bool),
        created=[r[5].date() for r in rows], tags=tags,
    )


PERFORMANCE_SQL = """
    SELECT m.generated_ad_id, p.campaign_objective, SUM(p.impressions), SUM(p.clicks), SUM(p.conversions),
           SUM(p.conversion_value), SUM(p.spend), COUNT(DISTINCT p.date), MIN(p.date)
    FROM {mapping} m
    JOIN {performance} p ON p.meta_ad_id = m.meta_ad_id
    JOIN {account} a ON a.id = m.account_id
    JOIN {brand} b ON b.id = a.brand_id
    WHERE b.organization_id = %s
    GROUP BY m.generated_ad_id, p.campaign_objective
"""


def load_performance(organization_id: int) -> dict[int, tuple]:
    """Per ad: (impressions, clicks, conversions, value, spend, days, objective, first day) over all its
    Meta ads and days — the objective with the most impressions when its Meta ads ran under several."""
    sql = PERFORMANCE_SQL.format(mapping=AdMapping._meta.db_table, performance=AdPerformanceDay._meta.db_table,
                                 account=AdAccount._meta.db_table, brand=Brand._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [organization_id])
        rows = cursor.fetchall()
    totals: dict[int, list] = {}
    for ad_id, objective, impressions, clicks, conversions, value, spend, days, first in rows:
        entry = totals.setdefault(ad_id, [0, 0, 0, Decimal(0), Decimal(0), 0, {}, first])
        entry[0] += impressions or 0
        entry[1] += clicks or 0
        entry[2] += conversions or 0
        entry[3] += Decimal(value or 0)
        entry[4] += Decimal(spend or 0)
        entry[5] = max(entry[5], days or 0)
        entry[6][objective] = entry[6].get(objective, 0) + (impressions or 0)
        entry[7] = min(entry[7], first) if first else entry[7]
    return {ad_id: (*entry[:6], max(entry[6], key=entry[6].get), entry[7]) for ad_id, entry in totals.items()}


def brand_days_of_data(brand_ids: list[int], meta_brands: set[int]) -> dict[int, int]:
    """Distinct days with performance data (Meta brands) or with review outcomes (the others)."""
    days = dict(AdPerformanceDay.objects.filter(account__brand_id__in=meta_brands).values("account__brand_id")
                .annotate(n=Count("date", distinct=True)).values_list("account__brand_id", "n"))
    reviewed = dict(_ads_model().objects.filter(ad_run__brand_id__in=set(brand_ids) - meta_brands,
                                                reviewed_at__isnull=False)
                    .annotate(day=TruncDate("reviewed_at")).values("ad_run__brand_id")
                    .annotate(n=Count("day", distinct=True)).values_list("ad_run__brand_id", "n"))
    return {brand_id: int(days.get(brand_id) or reviewed.get(brand_id) or 0) for brand_id in brand_ids}


def genome_update_organization(*, organization_id: int) -> dict:
    """Rebuild the genome of every brand of the organization; returns a summary per brand."""
    now = timezone.now()
    brands = {b.pk: b for b in Brand.objects.filter(organization_id=organization_id)}
    meta_brands = set(AdAccount.objects.filter(brand_id__in=brands, status=AdAccount.Status.ACTIVE)
                      .values_list("brand_id", flat=True))
    days = brand_days_of_data(list(brands), meta_brands)
    levels = {brand_id: coldstart(days[brand_id]) for brand_id in brands}
    ads = load_ads(organization_id)
    performance = load_performance(organization_id)
    launched_ids = set(AdMapping.objects.filter(account__brand__organization_id=organization_id)
                       .values_list("generated_ad_id", flat=True))
    n = len(ads.ids)

    launched = np.array([ad_id in launched_ids for ad_id in ads.ids], dtype=bool)
    perf = np.array([performance.get(ad_id, (0, 0, 0, 0, 0, 0, "UNKNOWN", None))[:6] for ad_id in ads.ids],
                    dtype=float).reshape(n, 6)
    objective_names = [performance.get(ad_id, (0,) * 6 + ("UNKNOWN", None))[6] for ad_id in ads.ids]
    objectives = np.array([int(normalise_objective(name)) for name in objective_names], dtype=np.int64)
    proxy = np.array([levels[b].proxy_only for b in ads.brand], dtype=bool)
    rewards = performance_rewards(impressions=perf[:, 0], clicks=perf[:, 1], conversions=perf[:, 2],
                                  conversion_value=perf[:, 3], spend=perf[:, 4], days_with_data=perf[:, 5],
                                  objective=objectives, brand=ads.brand, organization=organization_id,
                                  proxy_only=proxy)
    review = review_rewards(
        human_status=[status if human else None for status, human in zip(ads.status, ads.human)],
        ai_status=ads.ai_status, meta_brand=np.array([b in meta_brands for b in ads.brand], dtype=bool))
    reward, weight, source = combine_rewards(rewards.reward, review, launched)

    with transaction.atomic():
        _write_rewards(ads, reward, weight, source, launched, perf, objective_names, rewards, now, list(brands))
        summaries = {}
        scores = _element_scores(ads, reward, weight, brands, levels)
        ElementScore.objects.filter(brand_id__in=brands).delete()
        insert_rows(ElementScore, ("brand_id", "product_id", "dimension", "value", "alpha", "beta", "mean", "ci_low",
                                   "ci_high", "matured_ads", "successes", "failures", "updated_at"),
                    [(*row, now) for row in scores])
        findings = _attribution(ads, reward, perf, performance)
        AttributionFinding.objects.filter(brand_id__in=brands).delete()
        insert_rows(AttributionFinding, ("brand_id", "dimension", "value", "effect", "pooled_effect", "strata",
                                         "strata_agreeing", "reported", "simpson", "label", "computed_at"),
                    [(*row, now) for row in findings])
        for brand_id in brands:
            mine = ads.brand == brand_id
            rewarded = int(np.sum(mine & ~np.isnan(reward) & (weight > 0)))
            summary = {"ads": int(mine.sum()), "rewarded_ads": rewarded,
                       "by_source": {SOURCE_NAMES[Source(code)]: int(np.sum(mine & (source == code)))
                                     for code in np.unique(source[mine])},
                       "cold_start_level": levels[brand_id].level, "days_of_data": days[brand_id],
                       "meta_connected": brand_id in meta_brands,
                       "element_scores": sum(1 for row in scores if row[0] == brand_id),
                       "findings_reported": sum(1 for row in findings if row[0] == brand_id and row[7])}
            GenomeState.objects.update_or_create(brand_id=brand_id, defaults={
                "cold_start_level": levels[brand_id].level, "days_of_data": days[brand_id], "matured_ads": rewarded,
                "exploration_rate": exploration_rate(rewarded), "updated_at": now, "summary": summary})
            summaries[str(brand_id)] = summary
    return summaries


def _write_rewards(ads: AdTable, reward, weight, source, launched, perf, objective_names, rewards, now,
                   brand_ids) -> None:
    """Replace the organization's rewards in one DELETE and one INSERT of columns."""
    AdReward.objects.filter(brand_id__in=brand_ids).delete()
    with np.errstate(divide="ignore", invalid="ignore"):
        ctr = np.where(perf[:, 0] > 0, perf[:, 1] / perf[:, 0], np.nan)
    n = len(ads.ids)
    launched_index = np.flatnonzero(launched)
    detail = [{} for _ in range(n)]
    for i in launched_index:  # the matured metrics of each launched ad, for the API's reward block
        detail[i] = rewards.explain(int(i))
    source_names = np.array([SOURCE_NAMES[s] for s in Source], dtype=object)[source.astype(int)]
    insert_columns(AdReward, {
        "generated_ad_id": ads.ids, "brand_id": ads.brand, "product_id": ads.product, "reward": reward,
        "weight": weight, "source": source_names, "launched": launched,
        "objective": np.where(launched, np.array(objective_names, dtype=object), ""),
        "impressions": perf[:, 0].astype(np.int64), "clicks": perf[:, 1].astype(np.int64),
        "conversions": perf[:, 2].astype(np.int64),
        "spend": [Decimal(f"{v:.4f}") for v in perf[:, 4]], "conversion_value": [Decimal(f"{v:.4f}") for v in perf[:, 3]],
        "days_with_data": perf[:, 5].astype(np.int64), "ctr": ctr, "detail": detail, "computed_at": [now] * n,
    })


def _element_scores(ads: AdTable, reward, weight, brands: dict[int, Brand], levels) -> list[tuple]:
    """Brand-wide and per-product Beta rows for every brand, with cold-start priors where due."""
    if len(ads.ids) == 0:
        return []
    tags = {d: np.array(values, dtype=object) for d, values in ads.tags.items()}
    # Pass 1: every brand's own evidence, brand-wide, no prior: what the category priors are made of.
    raw = score_elements(tags, reward, weight=weight, scope=ads.brand.tolist())
    rows = []
    for brand_id, brand in brands.items():
        mine = ads.brand == brand_id
        level = levels[brand_id]
        priors = None
        if level.prior_weight > 0:
            priors = category_priors(
                dimension=raw.dimension, value=raw.value, alpha=raw.alpha, beta=raw.beta, row_brand=raw.scope,
                row_organization=[brand.organization_id] * len(raw), row_category=[
                    brands[int(b)].category if int(b) in brands else "" for b in raw.scope],
                brand=brand_id, organization=brand.organization_id, category=brand.category).as_mapping()
        if not mine.any() and not priors:
            continue
        brand_tags = {d: v[mine] for d, v in tags.items()}
        wide = score_elements(brand_tags, reward[mine], weight=weight[mine], priors=priors,
                              prior_weight=level.prior_weight, include_prior_only=bool(priors))
        rows += [(brand_id, None, r["dimension"], r["value"], r["alpha"], r["beta"], r["mean"], r["ci_low"],
                  r["ci_high"], r["matured_ads"], r["successes"], r["failures"]) for r in wide.rows()]
        if mine.any():
            per_product = score_elements(brand_tags, reward[mine], weight=weight[mine],
                                         scope=ads.product[mine].tolist(), priors=priors,
                                         prior_weight=level.prior_weight)
            rows += [(brand_id, r["scope"], r["dimension"], r["value"], r["alpha"], r["beta"], r["mean"],
                      r["ci_low"], r["ci_high"], r["matured_ads"], r["successes"], r["failures"])
                     for r in per_product.rows() if r["scope"] is not None]
    return rows


STRATUM_DIMENSIONS = ("awareness_stage", "persona_id")


def _attribution(ads: AdTable, reward, perf, performance: dict) -> list[tuple]:
    """Stratified effects per brand (spec 10.5): strata = awareness × audience × spend bucket × ISO week."""
    rows = []
    for brand_id in np.unique(ads.brand):
        mine = (ads.brand == brand_id) & ~np.isnan(reward)
        if mine.sum() < 2:
            continue
        index = np.flatnonzero(mine)
        first_days = [performance.get(int(ads.ids[i]), (None,) * 8)[7] or ads.created[i] for i in index]
        strata = stratum_keys(*[np.array(ads.tags[d], dtype=object)[index] for d in STRATUM_DIMENSIONS],
                              spend_buckets(perf[index, 4]), iso_week(first_days))
        tags = {d: np.array(v, dtype=object)[index] for d, v in ads.tags.items()
                if d not in STRATUM_DIMENSIONS}
        for effect in all_stratified_effects(tags, reward[index], strata):
            rows.append((int(brand_id), effect.dimension, effect.value, effect.stratified_effect, effect.pooled_effect,
                         effect.strata_compared, effect.strata_agreeing, effect.reported, effect.simpson, effect.label))
    return rows


def genome_update_brands(*, brand_ids: list[int]) -> dict:
    """The update for the organizations of these brands (each organization once)."""
    result: dict = defaultdict(dict)
    for organization_id in sorted(set(Brand.objects.filter(pk__in=brand_ids).values_list("organization_id", flat=True))):
        result.update(genome_update_organization(organization_id=organization_id))
    return dict(result)
