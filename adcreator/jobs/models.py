"""Jobs (the spec's scheduled_jobs) and their runs (scheduled_job_runs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobType(models.TextChoices):
    """The closed list of spec P0-1, plus template element detection (spec 3, 8e).

    The database enforces it (CheckConstraint below): a row with any other type cannot exist,
    so nothing can ever be dispatched to the wrong handler by a typo.
    """

    AD_CREATION = "ad_creation", "Ad creation (V1, not built)"
    META_SYNC = "meta_sync", "Meta sync"
    SCORECARD = "scorecard", "Scorecard"
    TEMPLATE_SCRAPE = "template_scrape", "Template scrape"
    TEMPLATE_APPROVAL = "template_approval", "Template approval"
    CONGRUENCE_REANALYSIS = "congruence_reanalysis", "Congruence re-analysis"
    AD_CLASSIFICATION = "ad_classification", "Ad classification"
    ASSET_DOWNLOAD = "asset_download", "Asset download"
    COMPETITOR_SCRAPE = "competitor_scrape", "Competitor scrape"
    REDDIT_SCRAPE = "reddit_scrape", "Reddit scrape"
    AMAZON_REVIEW_SCRAPE = "amazon_review_scrape", "Amazon review scrape"
    AD_CREATION_V2 = "ad_creation_v2", "Ad creation"
    CREATIVE_GENOME_UPDATE = "creative_genome_update", "Creative genome update"
    GENOME_VALIDATION = "genome_validation", "Genome validation"
    QUALITY_CALIBRATION = "quality_calibration", "Quality calibration"
    EXPERIMENT_ANALYSIS = "experiment_analysis", "Experiment analysis"
    TEMPLATE_ELEMENT_DETECTION = "template_element_detection", "Template element detection"


class RunStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    # Stopped by a person (job_cancel): what the run made before the stop is kept.
    CANCELLED = "cancelled", "Cancelled"


# A run in one of these will not change again unless someone queues it (run now, retry).
FINISHED_STATUSES = (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED)
OPEN_STATUSES = (RunStatus.PENDING, RunStatus.RUNNING)


class Job(models.Model):
    organization = models.ForeignKey("catalog.Organization", on_delete=models.CASCADE, related_name="jobs")
    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs")
    job_type = models.CharField(max_length=40, choices=JobType.choices)
    name = models.CharField(max_length=200, blank=True)
    # Validated by the pydantic model registered for job_type before the row is written.
    parameters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    # When a request over the attempt cap is split, the parts point at the first job.
    split_from = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="split_parts")
    split_index = models.PositiveSmallIntegerField(default=1)
    split_total = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(job_type__in=JobType.values), name="job_job_type_known"),
        ]
        indexes = [models.Index(fields=["organization", "-created_at"], name="job_org_created_idx")]

    def __str__(self) -> str:
        return self.name or f"{self.get_job_type_display()} #{self.pk}"


class JobRun(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    # Progress (spec 9d): ads_attempted/approved/rejected/flagged, current template/size/colour.
    metadata = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    queue_task_id = models.CharField(max_length=64, blank=True)
    # How many times a worker has started this run (a crashed run is started again).
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="jobrun_status_known"),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="jobrun_status_heartbeat_idx")]

    def __str__(self) -> str:
        return f"Run #{self.pk} of {self.job} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES
