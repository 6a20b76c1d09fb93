"""The job page: the job, its latest run's live progress (polled by htmx until it finishes),
and cancel.

The part that depends on the job type (what a generation job makes, its ad counts) comes from
the type's registered JobPage; other types show their stage and outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from adcreator.calls.selectors import spend_by_job
from adcreator.catalog.selectors import require_editor
from adcreator.jobs import registry
from adcreator.jobs.models import OPEN_STATUSES, Job
from adcreator.jobs.progress import badge_of, phase_of
from adcreator.jobs.selectors import jobs_visible_to, latest_run, split_parts, with_runs
from adcreator.jobs.services import JobNotCancellableError, job_cancel
from adcreator.web.redirects import redirect_back

GENERIC_PROGRESS_TEMPLATE = "jobs/partials/progress.html"


def can_change(user, organization_id: int) -> bool:
    """The role rule of every door (require_editor), asked rather than enforced: which buttons to show."""
    try:
        require_editor(user=user, organization_id=organization_id)
    except PermissionDenied:
        return False
    return True


def _context(request, job: Job) -> dict:
    run = latest_run(job)
    progress = registry.progress_of(job.job_type, run.metadata if run else None)
    context = {
        "job": job, "run": run, "progress": progress, "meta": progress, "parts": split_parts(job),
        "stage_label": phase_of(run.status if run else None, progress.stage),
        "badge": badge_of(run.status if run else None),
        "progress_template": GENERIC_PROGRESS_TEMPLATE, "facts_template": None,
        "cancellable": run is not None and run.status in OPEN_STATUSES and can_change(request.user, job.organization_id),
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
    job = _job(request, job_id)
    # The cost card is on the page, not in the polled progress: read once per page view.
    spend = spend_by_job(job_ids=[job.pk], estimates={job.pk: registry.estimate_of(job.job_type, job.parameters)})
    return render(request, "jobs/job.html", dict(_context(request, job), spend=spend[job.pk]))


@login_required
@require_GET
def job_progress(request, job_id: int):
    context = _context(request, _job(request, job_id))
    return render(request, context["progress_template"], context)


@login_required
@require_POST
def job_cancel_view(request, job_id: int):
    """Cancel from the job page or the jobs list (the same service as the API and the admin)."""
    job = _job(request, job_id)
    try:
        run = job_cancel(job=job, user=request.user)
    except JobNotCancellableError as exc:
        messages.error(request, f"Cannot cancel: {exc}.")
    else:
        messages.success(request, f"{job} cancelled: run #{run.pk} stops after the ad in progress; "
                                  "what it made is kept.")
    return redirect_back(request, "job-detail", job_id=job.pk)
