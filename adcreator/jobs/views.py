"""The job page: the job, its latest run's live progress (polled by htmx until it finishes).

The part that depends on the job type (what a generation job makes, its ad counts) comes from
the type's registered JobPage; other types show their stage and outcome."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from adcreator.jobs import registry
from adcreator.jobs.models import Job
from adcreator.jobs.progress import badge_of, phase_of
from adcreator.jobs.selectors import jobs_visible_to, latest_run, split_parts, with_runs

GENERIC_PROGRESS_TEMPLATE = "jobs/partials/progress.html"


def _context(job: Job) -> dict:
    run = latest_run(job)
    progress = registry.progress_of(job.job_type, run.metadata if run else None)
    context = {
        "job": job, "run": run, "progress": progress, "meta": progress, "parts": split_parts(job),
        "stage_label": phase_of(run.status if run else None, progress.stage),
        "badge": badge_of(run.status if run else None),
        "progress_template": GENERIC_PROGRESS_TEMPLATE, "facts_template": None,
    }
    page = registry.page_of(job.job_type)
    if page is not None:
        context.update(progress_template=page.progress_template, facts_template=page.facts_template)
        if page.context is not None:
            context.update(page.context(job, run, progress))
    return context


def _job(request, job_id: int) -> Job:
    return get_object_or_404(with_runs(jobs_visible_to(request.user).select_related("brand", "created_by")),
                             pk=job_id)


@login_required
@require_GET
def job_detail(request, job_id: int):
    return render(request, "jobs/job.html", _context(_job(request, job_id)))


@login_required
@require_GET
def job_progress(request, job_id: int):
    context = _context(_job(request, job_id))
    return render(request, context["progress_template"], context)
