"""What the job page shows for an ad_creation_v2 job (registered as its JobPage)."""

from __future__ import annotations

from adcreator.jobs.models import Job, JobRun
from adcreator.jobs.registry import JobPage
from generation.job_costs import estimate_usd
from generation.job_selectors import ad_counts_for_runs
from generation.progress import AdCounts, GenerationProgress, progress_view
from generation.selectors import ad_run_for_job_run


def _facts(parameters: dict) -> dict:
    selection = parameters.get("template_selection") or {}
    indices = parameters.get("variation_indices")
    return {
        "mode": (selection.get("mode") or "manual").replace("_", " ").capitalize(),
        "templates": len(selection.get("template_ids") or []) or selection.get("count") or 0,
        "variations": len(indices) if indices else parameters.get("variations", 1),
    }


# (label, AdCounts field, css): the counts the page shows, in this order.
COUNT_FIELDS = (("Attempted", "made", "neutral"), ("Approved", "approved", "ok"), ("Rejected", "rejected", "bad"), ("Flagged", "flagged", "warn"),
                ("Review failed", "review_failed", "muted"), ("Generation failed", "generation_failed", "bad"))


def count_rows(counts: AdCounts) -> list[tuple[str, int, str]]:
    return [(label, getattr(counts, name), css) for label, name, css in COUNT_FIELDS]


def job_page_context(job: Job, run: JobRun | None, progress: GenerationProgress) -> dict:
    counts = ad_counts_for_runs(job_run_ids=[run.pk]).get(run.pk, AdCounts()) if run else AdCounts()
    view = progress_view(status=run.status if run else None, progress=progress, counts=counts)
    return {
        "view": view,
        "stage_label": view.phase,
        "badge": view.badge,
        "ad_counts": counts,
        "ad_run": ad_run_for_job_run(job_run_id=run.pk) if run else None,
        "counts": count_rows(counts),
        "facts": _facts(job.parameters or {}),
    }


GENERATION_JOB_PAGE = JobPage(progress_template="generation/partials/job_progress.html",
                              facts_template="generation/partials/job_facts.html", context=job_page_context,
                              estimate=estimate_usd)
