"""Reads of the genome: ad accounts, what a user may see, an ad's daily performance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from adcreator.catalog.selectors import organization_ids_for
from genome.models import AdAccount, AdMapping, AdPerformanceDay

if TYPE_CHECKING:
    from genome.advice import GenomeAdvice
    from genome.winners import WinnerCheck

# The per-ad performance row a page or the API shows, in this order.
PERFORMANCE_FIELDS = ("date", "impressions", "clicks", "ctr", "spend", "conversions", "conversion_value", "roas",
                      "frequency", "reach", "cpm")


def ad_account_for(*, brand_id: int) -> AdAccount | None:
    return AdAccount.objects.filter(brand_id=brand_id).first()


def brand_has_meta_connection(*, brand_id: int) -> bool:
    """Derived from the account (spec Non-Meta mode): connected and not broken."""
    return AdAccount.objects.filter(brand_id=brand_id, status=AdAccount.Status.ACTIVE).exists()


def ad_accounts_visible_to(user) -> QuerySet[AdAccount]:
    return AdAccount.objects.filter(brand__organization_id__in=organization_ids_for(user))


def mappings_visible_to(user) -> QuerySet[AdMapping]:
    return AdMapping.objects.filter(account__brand__organization_id__in=organization_ids_for(user))


def meta_ad_ids_for(*, ad_id: int) -> list[str]:
    return list(AdMapping.objects.filter(generated_ad_id=ad_id).order_by("meta_ad_id").values_list("meta_ad_id", flat=True))


@dataclass(frozen=True)
class AdsPerformance:
    days: dict[int, list[dict]]  # our ad id → its summed days, oldest first ([] when none yet)
    mapped: frozenset[int]  # our ads mapped to at least one Meta ad (launched)


def performance_for_ads(*, ad_ids: list[int]) -> AdsPerformance:
    """Every day of every Meta ad mapped to these ads, summed per (our ad, day): two queries.

    CTR, conversion rate and ROAS are recomputed from the summed counts (a ratio of sums, never
    an average of ratios); a metric no Meta ad reported stays None."""
    owner = dict(AdMapping.objects.filter(generated_ad_id__in=ad_ids).values_list("meta_ad_id", "generated_ad_id"))
    rows = (AdPerformanceDay.objects.filter(meta_ad_id__in=list(owner))
            .values_list("meta_ad_id", "date", "impressions", "clicks", "spend", "conversions", "conversion_value",
                         "reach", "frequency", "source")
            .order_by("date")) if owner else []
    days: dict[tuple[int, object], dict] = {}
    for meta_ad_id, day, impressions, clicks, spend, conversions, value, reach, frequency, source in rows:
        key = (owner[meta_ad_id], day)
        entry = days.setdefault(key, {"date": day, "impressions": None, "clicks": None, "spend": None,
                                      "conversions": None, "conversion_value": None, "reach": None,
                                      "frequency": None, "source": source})
        for name, value_ in (("impressions", impressions), ("clicks", clicks), ("spend", spend),
                             ("conversions", conversions), ("conversion_value", value), ("reach", reach)):
            if value_ is not None:
                entry[name] = (entry[name] or 0) + value_
        if frequency is not None:  # several Meta ads: frequency of the largest-reach one
            entry["frequency"] = frequency if entry["frequency"] is None else max(entry["frequency"], frequency)
    by_ad: dict[int, list[dict]] = {ad_id: [] for ad_id in ad_ids}
    for (ad_id, _), entry in sorted(days.items(), key=lambda item: item[0][1]):
        entry["ctr"] = _ratio(entry["clicks"], entry["impressions"])
        entry["roas"] = _ratio(entry["conversion_value"], entry["spend"])
        by_ad[ad_id].append(entry)
    return AdsPerformance(days=by_ad, mapped=frozenset(owner.values()))


def performance_days_for_ads(*, ad_ids: list[int]) -> dict[int, list[dict]]:
    return performance_for_ads(ad_ids=ad_ids).days


def mapped_ad_ids(*, ad_ids: list[int]) -> set[int]:
    """Which of these ads are mapped to a Meta ad (launched), when their days are not needed: one query."""
    return set(AdMapping.objects.filter(generated_ad_id__in=ad_ids).values_list("generated_ad_id", flat=True))


def _ratio(numerator, denominator) -> float | None:
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


def simulated_brand_ids(*, brand_ids: set[int]) -> set[int]:
    """Which of these brands run on the simulated market (connected and working)."""
    return set(AdAccount.objects.filter(brand_id__in=brand_ids, source="simulated", status=AdAccount.Status.ACTIVE)
               .values_list("brand_id", flat=True))


def genome_advice_for(*, brand_id: int, product_id: int | None) -> GenomeAdvice:
    """The brand's element scores (the product's own where it has them) and learning state: two queries."""
    from genome.advice import GenomeAdvice, ScoredValue
    from genome.models import ElementScore, GenomeState

    state = GenomeState.objects.filter(brand_id=brand_id).first()
    rows = list(ElementScore.objects.filter(brand_id=brand_id).filter(
        Q(product__isnull=True) | Q(product_id=product_id)).values_list(
        "product_id", "dimension", "value", "alpha", "beta", "matured_ads"))
    chosen: dict[tuple[str, str], tuple] = {}
    for product, dimension, value, alpha, beta, matured in sorted(rows, key=lambda r: r[0] is not None):
        chosen[(dimension, value)] = (alpha, beta, matured)  # product rows come last and win
    return GenomeAdvice(
        level=state.cold_start_level if state else None, matured_ads=state.matured_ads if state else 0,
        scores={key: (a, b) for key, (a, b, _) in chosen.items()},
        values=tuple(ScoredValue(d, v, a, b, m) for (d, v), (a, b, m) in sorted(chosen.items())),
    )


def template_scores(*, brand_id: int) -> tuple[list[int], list[float], list[float], int]:
    """The brand-wide template_id scores for smart select's PerformanceScorer: (template ids,
    α, β, rewarded ads behind them) — the scorer's weight grows with that evidence (spec 8d)."""
    from genome.models import ElementScore

    rows = sorted(ElementScore.objects.filter(brand_id=brand_id, product__isnull=True, dimension="template_id")
                  .values_list("value", "alpha", "beta", "matured_ads"), key=lambda r: int(r[0]))
    rows = [r for r in rows if r[0].isdigit()]
    return ([int(r[0]) for r in rows], [r[1] for r in rows], [r[2] for r in rows], sum(r[3] for r in rows))


def element_scores_for(*, brand_id: int, dimension: str | None = None, product_id: int | None = None):
    """The element scores of a brand (brand-wide unless a product is given), by dimension then mean."""
    from genome.models import ElementScore

    rows = ElementScore.objects.filter(brand_id=brand_id, product_id=product_id) if product_id else \
        ElementScore.objects.filter(brand_id=brand_id, product__isnull=True)
    if dimension:
        rows = rows.filter(dimension=dimension)
    return rows.order_by("dimension", "-mean", "value", "id")


def alerts_visible_to(user):
    from genome.models import SystemAlert

    return SystemAlert.objects.filter(brand__organization_id__in=organization_ids_for(user))


def rewards_for_ads(*, ad_ids: list[int]) -> dict[int, dict]:
    """Each ad's reward as the API shows it: {"score", "objective", "matured", "source", …}; one query."""
    from genome.models import AdReward

    return {generated_ad_id: {"score": reward, "objective": objective or None, "source": source,
                              "matured": (detail or {}).get("matured", {}), "weight": weight,
                              "contributions": (detail or {}).get("contributions", {}), "computed_at": computed_at}
            for generated_ad_id, reward, objective, source, detail, weight, computed_at in
            AdReward.objects.filter(generated_ad_id__in=ad_ids).values_list(
                "generated_ad_id", "reward", "objective", "source", "detail", "weight", "computed_at")}


def winner_checks_for_ads(*, ad_ids: list[int] | None = None, ads=None) -> dict[int, WinnerCheck]:
    """The winner criteria (genome.winners) of these ads, from their current reward rows: at most
    four queries whatever the number of ads (three when the caller hands over the loaded `ads`,
    rows with `pk`, `status` and `ad_run.brand_id`). An ad without a reward row yet is judged as
    unlaunched."""
    from django.apps import apps

    from genome.models import AdReward
    from genome.winners import DEFAULT_CRITERIA, AdEvidence, in_cohort, top_quartile_threshold, winner_check

    if ads is not None:
        ads = [(ad.pk, ad.status, ad.ad_run.brand_id) for ad in ads]
        ad_ids = [pk for pk, _, _ in ads]
    else:
        ads = list(apps.get_model("generation", "GeneratedAd").objects.filter(pk__in=ad_ids)
                   .values_list("pk", "status", "ad_run__brand_id"))
    brand_ids = {brand_id for _, _, brand_id in ads}
    meta_brands = set(AdAccount.objects.filter(brand_id__in=brand_ids, status=AdAccount.Status.ACTIVE)
                      .values_list("brand_id", flat=True))
    fields = ("generated_ad_id", "reward", "source", "launched", "days_with_data", "impressions", "ctr", "spend",
              "conversion_value")
    rewards = {row[0]: row for row in AdReward.objects.filter(generated_ad_id__in=ad_ids).values_list(*fields)}
    cohorts: dict[int, tuple[list, list]] = {brand_id: ([], []) for brand_id in meta_brands}
    for brand_id, days, impressions, launched, ctr, spend, value in AdReward.objects.filter(
            brand_id__in=meta_brands, launched=True, days_with_data__gte=DEFAULT_CRITERIA.min_days,
            impressions__gte=DEFAULT_CRITERIA.min_impressions).values_list(
            "brand_id", "days_with_data", "impressions", "launched", "ctr", "spend", "conversion_value"):
        if in_cohort(days, impressions, launched):
            cohorts[brand_id][0].append(ctr)
            cohorts[brand_id][1].append(_ratio(value, spend))
    thresholds = {brand_id: (top_quartile_threshold(ctrs), top_quartile_threshold(roas))
                  for brand_id, (ctrs, roas) in cohorts.items()}
    checks = {}
    for ad_id, status, brand_id in ads:
        row = rewards.get(ad_id)
        evidence = AdEvidence(status=status, meta_brand=brand_id in meta_brands) if row is None else AdEvidence(
            status=status, meta_brand=brand_id in meta_brands, reward=row[1], reward_source=row[2], launched=row[3],
            days_with_data=row[4], impressions=row[5], ctr=row[6], roas=_ratio(row[8], row[7]))
        ctr_cut, roas_cut = thresholds.get(brand_id, (None, None))
        checks[ad_id] = winner_check(evidence, ctr_threshold=ctr_cut, roas_threshold=roas_cut)
    return checks


def winner_ad_ids(*, ad_ids: list[int] | None = None, ads=None) -> set[int]:
    """Which of these ads qualify for "Evolve this ad" (the results page's cards)."""
    return {ad_id for ad_id, check in winner_checks_for_ads(ad_ids=ad_ids, ads=ads).items() if check.qualifies}
