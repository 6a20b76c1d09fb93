"""Reads of generation: what a user may see, the results dashboard, run summaries and metrics.

Every page, API view, admin list and command that shows ads or runs starts from
`ads_visible_to` / `ad_runs_visible_to`: another tenant's row is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from adcreator.calls.models import ProviderCall
from adcreator.catalog.selectors import organization_ids_for
from generation.models import AdRun, AdStatus, GeneratedAd
from review.models import AdReviewFinding, AdReviewOverride
from review.selectors import override_rate
from templates.models import ScrapedTemplate

# Ads per results page: about three template groups of a 2-size × 3-colour run, small enough
# that a page of full-resolution thumbnails stays light.
RESULTS_PAGE_SIZE = 24
SUMMARY_STATUSES = (AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED)
REVIEW_PURPOSES = ("defect_scan", "rubric_review", "second_opinion")


def ad_runs_visible_to(user) -> QuerySet[AdRun]:
    return AdRun.objects.filter(organization_id__in=organization_ids_for(user))


def ads_visible_to(user) -> QuerySet[GeneratedAd]:
    return GeneratedAd.objects.filter(ad_run__organization_id__in=organization_ids_for(user))


def with_review_reasons(ads: QuerySet[GeneratedAd]) -> QuerySet[GeneratedAd]:
    """The decisive reason (a join) and the findings (one query for the whole page): what a card
    and the API show of why an ad was decided. `ad.findings` holds them in stage order."""
    return ads.select_related("review_decision").prefetch_related(
        Prefetch("review_findings", queryset=AdReviewFinding.objects.order_by("stage", "id"), to_attr="findings"))


def ad_run_for_job_run(*, job_run_id: int) -> AdRun | None:
    return AdRun.objects.filter(job_run_id=job_run_id).first()


def ads_for_run(*, ad_run_id: int) -> QuerySet[GeneratedAd]:
    return GeneratedAd.objects.filter(ad_run_id=ad_run_id).select_related("template").order_by("prompt_index", "canvas_size")


def run_rejected_count(ad_run: AdRun) -> int:
    return GeneratedAd.objects.filter(ad_run=ad_run, ai_status=AdStatus.REJECTED, status=AdStatus.REJECTED).count()


def run_summary_table(*, ad_run_id: int) -> list[dict]:
    """One row per (template, colour) with its sizes and statuses, for the CLI summary."""
    rows = (
        GeneratedAd.objects.filter(ad_run_id=ad_run_id)
        .order_by()
        .values("template__name", "color_mode", "canvas_size", "status")
        .annotate(n=Count("id"))
    )
    table: dict[tuple, dict] = {}
    for row in rows:
        key = (row["template__name"] or "(uploaded)", row["color_mode"])
        entry = table.setdefault(key, {"template": key[0], "color_mode": key[1], "sizes": set(), "statuses": {}})
        entry["sizes"].add(row["canvas_size"])
        entry["statuses"][row["status"]] = entry["statuses"].get(row["status"], 0) + row["n"]
    return [dict(entry, sizes=sorted(entry["sizes"])) for _, entry in sorted(table.items())]


def review_metrics(*, brand_id: int, since=None) -> dict:
    """Spec 6 / Phase 4 metrics for a brand: defect catch rate (share of the AI's rejections
    made at stage 1), review cost per reviewed ad and per approved ad, and the override rate.
    A constant number of queries, whatever the number of ads."""
    ads = GeneratedAd.objects.filter(ad_run__brand_id=brand_id).exclude(ai_status="")
    calls = ProviderCall.objects.filter(brand_id=brand_id, purpose__in=REVIEW_PURPOSES)
    if since is not None:
        ads = ads.filter(created_at__gte=since)
        calls = calls.filter(created_at__gte=since)
    counts = ads.aggregate(
        reviewed=Count("id"),
        approved=Count("id", filter=Q(ai_status="approved")),
        rejected=Count("id", filter=Q(ai_status="rejected")),
        rejected_at_stage_1=Count("id", filter=Q(ai_status="rejected", review__stage_reached=1)),
        flagged=Count("id", filter=Q(ai_status="flagged")),
        review_failed=Count("id", filter=Q(ai_status="review_failed")),
    )
    cost = float(calls.aggregate(total=Sum("cost_usd"))["total"] or 0)
    return {
        **counts,
        "defect_catch_rate": round(counts["rejected_at_stage_1"] / counts["rejected"], 4) if counts["rejected"] else None,
        "review_cost_usd": round(cost, 5),
        "review_cost_per_ad": round(cost / counts["reviewed"], 5) if counts["reviewed"] else None,
        "review_cost_per_approved_ad": round(cost / counts["approved"], 5) if counts["approved"] else None,
        **override_rate(brand_id=brand_id),
    }


# --- the results dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsFilters:
    statuses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    run_id: int | None = None
    brand_id: int | None = None
    sort: str = "newest"


def _scoped_ads(user, filters: ResultsFilters, *, with_status: bool) -> QuerySet[GeneratedAd]:
    qs = ads_visible_to(user)
    if filters.brand_id:
        qs = qs.filter(ad_run__brand_id=filters.brand_id)
    if filters.run_id:
        qs = qs.filter(ad_run_id=filters.run_id)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(created_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        qs = qs.filter(created_at__lt=datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=tz))
    if with_status and filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    return qs


def results_ads(user, filters: ResultsFilters) -> QuerySet[GeneratedAd]:
    """The filtered ads with everything a card shows, in a fixed number of queries."""
    latest_human = AdReviewOverride.objects.filter(ad_id=OuterRef("pk"), superseded_by__isnull=True)
    order = ("created_at", "id") if filters.sort == "oldest" else ("-created_at", "-id")
    return (
        _scoped_ads(user, filters, with_status=True)
        .select_related("template", "ad_run", "ad_run__product", "ad_run__brand", "review_decision",
                        "ad_run__job_run__job__evolution")
        .prefetch_related(Prefetch("review_findings", queryset=AdReviewFinding.objects.order_by("stage", "id"),
                                   to_attr="findings"))
        .annotate(human_decided=Exists(latest_human))
        .order_by(*order)
    )


@dataclass(frozen=True)
class Parent:
    ad_id: int
    mode: str
    from_value: str
    to_value: str


def parent_of(ad: GeneratedAd) -> Parent | None:
    """The ad this one was made from, when a person's headline edit or a winner's evolution made
    it: the evolve request of the job that made the ad (experiments.Evolution, the lineage link),
    read through the relation results_ads joins, so it shows as soon as the ad exists."""
    job_run = ad.ad_run.job_run if ad.ad_run.job_run_id else None
    evolution = getattr(job_run.job, "evolution", None) if job_run is not None else None
    if evolution is None:
        return None
    return Parent(evolution.parent_ad_id, evolution.mode, evolution.from_value, evolution.to_value)


@dataclass
class ResultsSummary:
    total: int
    counts: dict[str, int]
    override: dict = field(default_factory=dict)


def results_summary(user, filters: ResultsFilters, *, now=None) -> ResultsSummary:
    """Counts by status under every filter except the status filter itself (so the bar shows
    what each status choice would give), and the override rate of the last 30 days over the
    same scope (review.selectors.override_rate, the one definition)."""
    scoped = _scoped_ads(user, filters, with_status=False)
    aggregates = scoped.aggregate(total=Count("id"), **{s: Count("id", filter=Q(status=s)) for s in SUMMARY_STATUSES})
    total = aggregates.pop("total")
    override = override_rate(ads=scoped, now=now)
    rate = override["override_rate"]
    override["override_percent"] = round(100 * rate, 1) if rate is not None else None
    return ResultsSummary(total=total, counts=aggregates, override=override)


@dataclass
class TemplateGroup:
    key: str
    ad_run: AdRun
    template: ScrapedTemplate | None
    ads: list[GeneratedAd]
    cards: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.template.name if self.template else "Uploaded template"

    @property
    def reviewed_count(self) -> int:
        return sum(1 for ad in self.ads if ad.ai_status)


def group_by_template(ads) -> list[TemplateGroup]:
    """Group a page of ads by (run, template), in the order the page shows them."""
    groups: dict[tuple, TemplateGroup] = {}
    for ad in ads:
        key = (ad.ad_run_id, ad.template_id)
        if key not in groups:
            groups[key] = TemplateGroup(f"run{ad.ad_run_id}-t{ad.template_id or 0}", ad.ad_run, ad.template, [])
        groups[key].ads.append(ad)
    for group in groups.values():
        group.ads.sort(key=lambda ad: (ad.prompt_index, ad.canvas_size))
    return list(groups.values())
