"""What the job page shows for an ad_creation_v2 job (registered as its JobPage)."""

from __future__ import annotations

from adcreator.jobs.models import Job, JobRun
from adcreator.jobs.registry import JobPage
from generation.progress import STAGE_LABELS, GenerationProgress
from generation.selectors import ad_run_for_job_run


def _facts(parameters: dict) -> dict:
    selection = parameters.get("template_selection") or {}
    indices = parameters.get("variation_indices")
    return {
        "mode": (selection.get("mode") or "manual").replace("_", " ").capitalize(),
        "templates": len(selection.get("template_ids") or []) or selection.get("count") or 0,
        "variations": len(indices) if indices else parameters.get("variations", 1),
    }


def job_page_context(job: Job, run: JobRun | None, progress: GenerationProgress) -> dict:
    total = progress.ads_total or 0
    attempted = progress.ads_attempted
    stage = progress.stage
    return {
        "stage_label": STAGE_LABELS.get(stage, (stage or "Waiting for a worker").replace("_", " ").capitalize()),
        "total": total,
        "attempted": attempted,
        "percent": round(100 * attempted / total) if total else 0,
        "ad_run": ad_run_for_job_run(job_run_id=run.pk) if run else None,
        "counts": [(label, getattr(progress, field), css) for label, field, css in (
            ("Attempted", "ads_attempted", "neutral"), ("Approved", "ads_approved", "ok"),
            ("Rejected", "ads_rejected", "bad"), ("Flagged", "ads_flagged", "warn"),
            ("Review failed", "ads_review_failed", "muted"), ("Generation failed", "ads_failed", "bad"),
        )],
        "facts": _facts(job.parameters or {}),
    }


GENERATION_JOB_PAGE = JobPage(progress_template="generation/partials/job_progress.html",
                              facts_template="generation/partials/job_facts.html", context=job_page_context)
