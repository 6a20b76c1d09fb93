"""The job page: live progress of the latest run, polled by htmx until the run finishes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from adcreator.jobs.models import Job, JobRun
from adcreator.web import queries

# Pipeline node names (JobRun.metadata["stage"]) as a person reads them.
STAGE_LABELS = {
    "initialize": "Starting", "fetch_context": "Gathering the catalog", "analyze_template": "Reading the templates",
    "select_content": "Choosing the copy", "headline_congruence": "Checking headline congruence",
    "select_images": "Choosing product images", "generate_ads": "Generating ads", "review_ads": "Reviewing ads",
    "retry_rejected": "Retrying rejected ads", "compile_results": "Compiling results", "done": "Done",
}


def _progress_context(job: Job) -> dict:
    run: JobRun | None = job.runs.order_by("-created_at", "-id").first()
    meta = dict(run.metadata or {}) if run else {}
    total = int(meta.get("ads_total") or 0)
    attempted = int(meta.get("ads_attempted") or 0)
    ad_run = queries.ad_runs_for_job_run(run) if run else None
    return {
        "job": job,
        "run": run,
        "meta": meta,
        "stage_label": STAGE_LABELS.get(meta.get("stage", ""), (meta.get("stage") or "Waiting for a worker").replace("_", " ").capitalize()),
        "total": total,
        "attempted": attempted,
        "percent": round(100 * attempted / total) if total else 0,
        "ad_run": ad_run,
        "counts": [(label, int(meta.get(key) or 0), css) for label, key, css in (
            ("Attempted", "ads_attempted", "neutral"), ("Approved", "ads_approved", "ok"),
            ("Rejected", "ads_rejected", "bad"), ("Flagged", "ads_flagged", "warn"),
            ("Review failed", "ads_review_failed", "muted"), ("Generation failed", "ads_failed", "bad"),
        )],
        "parts": queries.split_parts(job),
        "facts": _facts(job.parameters or {}),
    }


def _facts(parameters: dict) -> dict:
    selection = parameters.get("template_selection") or {}
    indices = parameters.get("variation_indices")
    return {
        "mode": (selection.get("mode") or "manual").replace("_", " ").capitalize(),
        "templates": len(selection.get("template_ids") or []) or selection.get("count") or 0,
        "variations": len(indices) if indices else parameters.get("variations", 1),
    }


@login_required
@require_GET
def job_detail(request, job_id: int):
    job = get_object_or_404(queries.jobs_for(request.user).select_related("brand"), pk=job_id)
    return render(request, "web/job.html", _progress_context(job))


@login_required
@require_GET
def job_progress(request, job_id: int):
    job = get_object_or_404(queries.jobs_for(request.user), pk=job_id)
    return render(request, "web/partials/job_progress.html", _progress_context(job))
