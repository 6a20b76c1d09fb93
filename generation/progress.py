"""The progress of an ad_creation_v2 run, as stored in `JobRun.metadata` (spec 9d)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from adcreator.jobs.progress import STARTING, WAITING, RunProgress, badge_of

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
    # Rejected ads regenerated and reviewed again in the current retry round (of ads_to_retry).
    ads_retried: int = 0
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


@dataclass(frozen=True)
class AdCounts:
    """A run's ads by their CURRENT status (after human overrides), counted from the rows —
    never the counters the worker wrote, which a later human decision makes stale."""

    total: int = 0
    pending: int = 0
    generated: int = 0  # made, not reviewed yet
    approved: int = 0
    rejected: int = 0
    flagged: int = 0
    review_failed: int = 0
    generation_failed: int = 0

    @property
    def made(self) -> int:
        """Ads attempted: an image or a generation failure."""
        return self.total - self.pending

    @property
    def settled(self) -> int:
        """Ads that need nothing more from this pass: reviewed, or failed to generate."""
        return self.made - self.generated


@dataclass(frozen=True)
class ProgressView:
    """What the job page, the jobs list and the API say about a run, from one place."""

    badge: str
    phase: str
    detail: str
    # The bar: None while there is nothing to measure (an indeterminate bar).
    value: int | None
    maximum: int
    show_current: bool

    @property
    def percent(self) -> int | None:
        return None if self.value is None else round(100 * self.value / self.maximum) if self.maximum else 0


def ads_phrase(n: int) -> str:
    """"1 ad", "3 ads": the one way pages and messages count ads."""
    return f"{n} ad{'' if n == 1 else 's'}"


def progress_view(*, status: str | None, progress: GenerationProgress, counts: AdCounts) -> ProgressView:
    """One progress model for every phase. The bar counts work units — making an ad is one,
    settling it (its review, or its failure) another, a retry two more — so it moves through
    generation, review and retries alike and is full only when the run is done."""
    total = progress.ads_total or counts.total
    stage = progress.stage
    badge = badge_of(status)
    so_far = f"{counts.made} of {ads_phrase(total)} made so far" if total else STARTING
    if status in (None, "pending"):
        # Waiting, whatever an earlier attempt reached (a resumed run, "Retry rejected").
        return ProgressView(badge, WAITING, so_far, None, 1, False)
    retrying = status == "running" and stage == "retry_rejected"
    units_max = 2 * total + (2 * progress.ads_to_retry if retrying else 0)
    units = counts.made + counts.settled + (2 * progress.ads_retried if retrying else 0)
    if status == "completed":
        approved = f"{counts.approved} approved" if total else "nothing to make"
        return ProgressView(badge, "Done", f"{ads_phrase(total)}: {approved}" if total else approved,
                            max(units_max, 1), max(units_max, 1), False)
    if status in ("failed", "cancelled"):
        phase = "Failed" if status == "failed" else "Cancelled"
        detail = f"Stopped after {counts.made} of {ads_phrase(total)}; what was made is kept." if total else "Nothing was made."
        return ProgressView(badge, phase, detail, min(units, units_max) if total else None, max(units_max, 1), False)
    if not total or stage not in ("generate_ads", "review_ads", "retry_rejected", "compile_results"):
        return ProgressView(badge, STAGE_LABELS.get(stage, STARTING) if stage else STARTING, STARTING, None, 1, False)
    if stage == "generate_ads":
        detail = f"{counts.made} of {ads_phrase(total)} made"
    elif stage == "review_ads":
        detail = f"{counts.settled} of {ads_phrase(total)} reviewed"
    elif retrying:
        detail = f"{progress.ads_retried} of {progress.ads_to_retry} rejected ads regenerated and reviewed again"
    else:
        detail = f"{ads_phrase(total)} made and reviewed"
    # Never full while running: the last unit is the run finishing.
    return ProgressView(badge, STAGE_LABELS[stage], detail, min(units, units_max - 1), units_max,
                        stage in ("generate_ads", "retry_rejected"))
