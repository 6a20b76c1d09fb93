"""The jobs page: every job of the user's organizations with its status, its ads by current
status, its real cost beside the estimate, and cancel — in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from adcreator.calls.selectors import Spend, spend_by_brand_month, spend_by_job
from adcreator.catalog.selectors import EDITOR_ROLES, brands_for, organization_ids_for
from adcreator.jobs import registry
from adcreator.jobs.models import OPEN_STATUSES, Job
from adcreator.jobs.progress import phase_of
from adcreator.jobs.selectors import jobs_filtered, jobs_visible_to, latest_run, with_runs
from generation.job_forms import JobsFilterForm
from generation.job_selectors import ad_counts_for_runs
from generation.progress import AdCounts, GenerationProgress, progress_view

JOBS_PAGE_SIZE = 25
# Months of spend shown above the list (the API answers any month).
SPEND_MONTHS = 3


@dataclass
class JobRow:
    job: Job
    status: str
    counts: AdCounts
    phase: str
    detail: str
    spend: Spend
    cancellable: bool


def editor_organization_ids(user) -> set[int]:
    """Where the user may change things (require_editor's rule, for many rows in one query)."""
    if getattr(user, "is_superuser", False):
        return set(organization_ids_for(user))
    return set(user.memberships.filter(role__in=EDITOR_ROLES).values_list("organization_id", flat=True))


def job_rows(jobs: list[Job], *, editable: set[int]) -> list[JobRow]:
    runs = {job.pk: latest_run(job) for job in jobs}  # prefetched: no query
    counts = ad_counts_for_runs(job_run_ids=[run.pk for run in runs.values() if run])
    spend = spend_by_job(job_ids=[job.pk for job in jobs],
                         estimates={job.pk: registry.estimate_of(job.job_type, job.parameters) for job in jobs})
    rows = []
    for job in jobs:
        run = runs[job.pk]
        status = run.status if run else "pending"
        ads = counts.get(run.pk, AdCounts()) if run else AdCounts()
        progress = registry.progress_of(job.job_type, run.metadata if run else None)
        if isinstance(progress, GenerationProgress):
            view = progress_view(status=status if run else None, progress=progress, counts=ads)
            phase, detail = view.phase, view.detail
        else:
            phase, detail = phase_of(run.status if run else None, progress.stage), ""
        rows.append(JobRow(job=job, status=status, counts=ads, phase=phase, detail=detail,
                           spend=spend[job.pk],
                           cancellable=run is not None and status in OPEN_STATUSES and job.organization_id in editable))
    return rows


@login_required
@require_GET
def jobs_list(request):
    brands = brands_for(request.user).order_by("name")
    form = JobsFilterForm(request.GET or None, brands=brands, staff=request.user.is_staff)
    jobs = jobs_filtered(with_runs(jobs_visible_to(request.user).select_related("brand")), form.filters())
    page = Paginator(jobs, JOBS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    months = spend_by_brand_month(organization_ids=organization_ids_for(request.user))
    recent = sorted({m.month for m in months}, reverse=True)[:SPEND_MONTHS]
    return render(request, "generation/jobs.html", {
        "form": form, "page": page, "query_without_page": query.urlencode(),
        "rows": job_rows(list(page.object_list), editable=editor_organization_ids(request.user)),
        "brand_months": [m for m in months if m.month in recent],
    })
