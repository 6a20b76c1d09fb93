"""Read queries of the client pages, every one scoped to the user's organizations.

Everything a page shows goes through these (which go through catalog.selectors), so another
tenant's job, run, ad or template is simply not found: a 404, never a leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from adcreator.catalog.selectors import organization_ids_for
from adcreator.jobs.models import Job
from generation.models import AdRun, AdStatus, GeneratedAd
from review.models import AdReviewOverride
from review.services import OVERRIDE_RATE_WINDOW_DAYS
from templates.models import ScrapedTemplate
from templates.selectors import visible_templates

# The manual grid shows this many templates per "Load more" (spec Phase 2.5, the V1 pattern).
GRID_PAGE_SIZE = 30
# Ads per results page: about three template groups of a 2-size × 3-colour run, small enough
# that a page of full-resolution thumbnails stays light.
RESULTS_PAGE_SIZE = 24
SUMMARY_STATUSES = (AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED)


def jobs_for(user) -> QuerySet[Job]:
    return Job.objects.filter(organization_id__in=organization_ids_for(user))


def ad_runs_for(user) -> QuerySet[AdRun]:
    return AdRun.objects.filter(organization_id__in=organization_ids_for(user))


def ads_for(user) -> QuerySet[GeneratedAd]:
    return GeneratedAd.objects.filter(ad_run__organization_id__in=organization_ids_for(user))


def templates_for(user) -> QuerySet[ScrapedTemplate]:
    """The shared library plus the uploads of any of the user's organizations."""
    return visible_templates(organization_ids=organization_ids_for(user))


# --- manual template grid -------------------------------------------------------------------


@dataclass(frozen=True)
class GridFilters:
    category: str = ""
    awareness_level: int | None = None
    industry: str = ""
    target_sex: str = ""

    def as_query(self) -> dict:
        return {"category": self.category, "awareness_level": self.awareness_level or "",
                "industry": self.industry, "target_sex": self.target_sex}


@dataclass
class GridPage:
    templates: list[ScrapedTemplate]
    pinned: list[ScrapedTemplate]
    offset: int
    total: int
    has_more: bool
    next_offset: int

    @property
    def remaining(self) -> int:
        return self.total - self.next_offset


def template_grid_page(*, organization_id: int, filters: GridFilters, offset: int = 0,
                       selected_ids: list[int] | None = None) -> GridPage:
    """One "Load more" page of the manual grid. Selected templates are pinned above the first
    page (whatever the filters) so changing a filter never silently drops a selection."""
    selected_ids = selected_ids or []
    active = visible_templates(organization_id=organization_id).filter(is_active=True)
    qs = active
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.awareness_level:
        qs = qs.filter(awareness_level=filters.awareness_level)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.target_sex:
        qs = qs.filter(target_sex=filters.target_sex)
    qs = qs.exclude(pk__in=selected_ids).order_by("id")
    total = qs.count()
    page = list(qs[offset:offset + GRID_PAGE_SIZE])
    pinned = list(active.filter(pk__in=selected_ids).order_by("id")) if offset == 0 and selected_ids else []
    next_offset = offset + len(page)
    return GridPage(page, pinned, offset, total, next_offset < total, next_offset)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsFilters:
    statuses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    run_id: int | None = None
    brand_id: int | None = None
    sort: str = "newest"


def _scoped_ads(user, filters: ResultsFilters, *, with_status: bool) -> QuerySet[GeneratedAd]:
    qs = ads_for(user)
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
        .select_related("template", "ad_run", "ad_run__product", "ad_run__brand")
        .annotate(human_decided=Exists(latest_human))
        .order_by(*order)
    )


@dataclass
class ResultsSummary:
    total: int
    counts: dict[str, int]
    override: dict = field(default_factory=dict)


def results_summary(user, filters: ResultsFilters, *, now=None) -> ResultsSummary:
    """Counts by status under every filter except the status filter itself (so the bar shows
    what each status choice would give), and the override rate of the last 30 days: the share
    of ads whose latest human decision disagrees with the AI (review.services.override_rate,
    over the same scope instead of one brand)."""
    scoped = _scoped_ads(user, filters, with_status=False)
    aggregates = scoped.aggregate(total=Count("id"), **{s: Count("id", filter=Q(status=s)) for s in SUMMARY_STATUSES})
    total = aggregates.pop("total")
    since = (now or timezone.now()) - timedelta(days=OVERRIDE_RATE_WINDOW_DAYS)
    decisions = list(AdReviewOverride.objects.filter(
        ad__in=scoped.order_by().values("pk"), created_at__gte=since, superseded_by__isnull=True,
    ).values_list("ai_status", "resulting_status"))
    disagreements = sum(1 for ai, human in decisions if ai != human)
    override = {"window_days": OVERRIDE_RATE_WINDOW_DAYS, "human_decisions": len(decisions), "overrides": disagreements,
                "override_rate": round(disagreements / len(decisions), 4) if decisions else None,
                "override_percent": round(100 * disagreements / len(decisions), 1) if decisions else None}
    return ResultsSummary(total=total, counts=aggregates, override=override)


@dataclass
class TemplateGroup:
    key: str
    ad_run: AdRun
    template: ScrapedTemplate | None
    ads: list[GeneratedAd]

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


def run_rejected_count(ad_run: AdRun) -> int:
    return GeneratedAd.objects.filter(ad_run=ad_run, ai_status=AdStatus.REJECTED, status=AdStatus.REJECTED).count()


def templates_for_ids(template_ids: list[int], *, organization_id: int) -> dict[int, ScrapedTemplate]:
    """The drawn templates in one query, limited to what the organization may see."""
    rows = visible_templates(organization_id=organization_id).filter(pk__in=template_ids)
    return {row.pk: row for row in rows}


def ad_runs_for_job_run(run) -> AdRun | None:
    return AdRun.objects.filter(job_run_id=run.pk).first()


def split_parts(job: Job) -> list[Job]:
    """All parts of a split request (empty for a single job), in order."""
    if job.split_total <= 1:
        return []
    root_id = job.split_from_id or job.pk
    return list(Job.objects.filter(Q(pk=root_id) | Q(split_from_id=root_id), organization_id=job.organization_id)
                .order_by("split_index"))


def recent_jobs(user, *, limit: int = 8) -> list[Job]:
    return list(jobs_for(user).select_related("brand").prefetch_related("runs")[:limit])
