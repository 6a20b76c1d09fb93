"""The progress of an ad_creation_v2 run, as stored in `JobRun.metadata` (spec 9d)."""

from __future__ import annotations

from pydantic import Field

from adcreator.jobs.progress import RunProgress

# Pipeline node names (the `stage` a run reports) as a person reads them, in graph order.
STAGE_LABELS: dict[str, str] = {
    "initialize": "Starting", "fetch_context": "Gathering the catalog", "analyze_template": "Reading the templates",
    "genome_context": "Reading what the genome learned", "select_content": "Choosing the copy", "headline_congruence": "Checking headline congruence",
    "select_images": "Choosing product images", "generate_ads": "Generating ads", "review_ads": "Reviewing ads",
    "retry_rejected": "Retrying rejected ads", "compile_results": "Compiling results", "done": "Done",
}
# Review outcomes → the counter that counts them.
REVIEW_COUNTERS: dict[str, str] = {"approved": "ads_approved", "rejected": "ads_rejected",
                                   "flagged": "ads_flagged", "review_failed": "ads_review_failed"}


class GenerationProgress(RunProgress):
    ad_run_id: int | None = None
    # Ads (brief × size) of the run, known once the briefs are built.
    ads_total: int | None = None
    ads_already_done: int = 0
    ads_attempted: int = 0
    ads_generated: int = 0
    ads_failed: int = 0
    ads_to_review: int = 0
    ads_to_retry: int = 0
    ads_approved: int = 0
    ads_rejected: int = 0
    ads_flagged: int = 0
    ads_review_failed: int = 0
    current_template: str | None = None
    current_size: str | None = None
    current_color: str | None = None
    # Set by CompileResults.
    status_counts: dict[str, int] = Field(default_factory=dict)
    provider_calls: int = 0
    cost_usd: float = 0.0
    templates: list[int | None] = Field(default_factory=list)
    # Why headline congruence was not measured, when it was not.
    congruence: str | None = None
    # The draw made on the worker (a roll/smart job submitted without drawn ids).
    selection: dict | None = None
