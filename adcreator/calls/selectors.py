"""Reads of the call ledger: what a job, an approved ad, a brand's month really cost.

Set-based: each question is answered for any number of jobs or brands in a fixed number of
aggregate queries (one over the ledger, one over the ads it counts against), never a loop.

Calls made by providers on our own machine (the local renderer and judge, the simulated
market) are recorded at $0: `local_only` says so, so a page writes "Local providers: free"
rather than a price nobody was charged. Estimates are computed elsewhere, at list prices, and
only passed through here to be compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from adcreator.calls.ledger import FREE_PROVIDERS
from adcreator.calls.models import ProviderCall

# The ad status that makes an ad usable (generation.models.AdStatus.APPROVED; the ledger sits
# below generation and reads its ads only through its own `ad` relation).
APPROVED = "approved"
# The ads the ledger's calls are made for, reached through the ledger's own relation.
_Ad = ProviderCall._meta.get_field("ad").related_model


@dataclass(frozen=True)
class Spend:
    """Real cost from the ledger, with what it bought."""

    cost_usd: Decimal = Decimal("0")
    calls: int = 0
    # Calls by providers that bill (not local, not simulated).
    billed_calls: int = 0
    approved_ads: int = 0
    # At list prices, before the job ran (None when the job type has no estimate).
    estimate_usd: Decimal | None = None

    @property
    def local_only(self) -> bool:
        """Every call ran on a local provider: nothing was charged."""
        return self.calls > 0 and self.billed_calls == 0

    @property
    def cost_per_approved_ad_usd(self) -> Decimal | None:
        """None without an approved ad: a cost per nothing is not a number."""
        if not self.approved_ads:
            return None
        return (self.cost_usd / self.approved_ads).quantize(Decimal("0.00001"))

    @property
    def vs_estimate_usd(self) -> Decimal | None:
        return None if self.estimate_usd is None else self.cost_usd - self.estimate_usd

    def as_json(self) -> dict:
        per_ad = self.cost_per_approved_ad_usd
        return {
            "actual_usd": str(self.cost_usd), "calls": self.calls, "billed_calls": self.billed_calls,
            "local_providers_free": self.local_only, "approved_ads": self.approved_ads,
            "cost_per_approved_ad_usd": None if per_ad is None else str(per_ad),
            "estimate_usd": None if self.estimate_usd is None else str(self.estimate_usd),
            "estimate_basis": "list prices, before the run (an estimate, not a charge)",
        }


_SUMS = {"cost": Sum("cost_usd"), "calls": Count("id"), "billed": Count("id", filter=~Q(provider__in=FREE_PROVIDERS))}


def spend_by_job(*, job_ids, estimates: dict[int, Decimal | None] | None = None) -> dict[int, Spend]:
    """{job id: its spend over every run} for any number of jobs: two aggregate queries (the
    ledger grouped by job, the approved ads grouped by job). Approved is the ads' CURRENT status,
    so a human override moves the cost per approved ad."""
    ids = list(job_ids)
    estimates = estimates or {}
    if not ids:
        return {}
    costs = {row["job_run__job_id"]: row for row in ProviderCall.objects.filter(job_run__job_id__in=ids)
             .order_by().values("job_run__job_id").annotate(**_SUMS)}
    approved = dict(_Ad.objects.filter(ad_run__job_run__job_id__in=ids, status=APPROVED).order_by()
                    .values_list("ad_run__job_run__job_id").annotate(n=Count("id")))
    result = {}
    for job_id in ids:
        row = costs.get(job_id) or {}
        result[job_id] = Spend(cost_usd=row.get("cost") or Decimal("0"), calls=row.get("calls", 0),
                               billed_calls=row.get("billed", 0), approved_ads=approved.get(job_id, 0),
                               estimate_usd=estimates.get(job_id))
    return result


def spend_of_runs(*, job_run_ids: QuerySet | list[int], approved_ads: int) -> Spend:
    """The spend of a set of runs (a values() queryset is used as a subquery: one query), for
    a page that already counted its approved ads (the results summary)."""
    row = ProviderCall.objects.filter(job_run_id__in=job_run_ids).aggregate(**_SUMS)
    return Spend(cost_usd=row["cost"] or Decimal("0"), calls=row["calls"], billed_calls=row["billed"],
                 approved_ads=approved_ads)


@dataclass(frozen=True)
class BrandMonth:
    brand_id: int | None
    brand_name: str
    month: date
    spend: Spend


def spend_by_brand_month(*, organization_ids, brand_id: int | None = None,
                         month: date | None = None) -> list[BrandMonth]:
    """Spend per brand per calendar month (UTC), newest month first, with the approved ads made
    that month: two aggregate queries, whatever the number of brands, months and calls."""
    calls = ProviderCall.objects.filter(organization_id__in=list(organization_ids))
    ads = _Ad.objects.filter(ad_run__organization_id__in=list(organization_ids), status=APPROVED)
    if brand_id is not None:
        calls, ads = calls.filter(brand_id=brand_id), ads.filter(ad_run__brand_id=brand_id)
    if month is not None:
        calls = calls.filter(created_at__year=month.year, created_at__month=month.month)
        ads = ads.filter(created_at__year=month.year, created_at__month=month.month)
    rows = (calls.annotate(month=TruncMonth("created_at")).order_by().values("brand_id", "brand__name", "month")
            .annotate(**_SUMS))
    approved = {(row["ad_run__brand_id"], _day(row["month"])): row["n"] for row in
                ads.annotate(month=TruncMonth("created_at")).order_by().values("ad_run__brand_id", "month")
                .annotate(n=Count("id"))}
    result = [BrandMonth(brand_id=row["brand_id"], brand_name=row["brand__name"] or "(no brand)",
                         month=_day(row["month"]),
                         spend=Spend(cost_usd=row["cost"] or Decimal("0"), calls=row["calls"],
                                     billed_calls=row["billed"],
                                     approved_ads=approved.get((row["brand_id"], _day(row["month"])), 0)))
              for row in rows]
    return sorted(result, key=lambda r: (-r.month.toordinal(), r.brand_name))


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value
