"""The call ledger: every external call (models, Meta, embeddings), so cost is a query.

Layer 1, beside the job system: every app records through it. A call belongs to an
organization, and — where it has them — to a brand, a job run and the generated ad it was
made for (a string FK: the ledger never imports the apps above it).
"""

from __future__ import annotations

from django.db import models


class ProviderCall(models.Model):
    class Outcome(models.TextChoices):
        OK = "ok", "OK"
        RETRYABLE_ERROR = "retryable_error", "Retryable error"
        ERROR = "error", "Error"
        BLOCKED = "blocked", "Blocked"

    organization = models.ForeignKey("catalog.Organization", on_delete=models.CASCADE, related_name="calls")
    brand = models.ForeignKey("catalog.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    job_run = models.ForeignKey("jobs.JobRun", on_delete=models.CASCADE, null=True, blank=True, related_name="calls")
    ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="calls")
    purpose = models.CharField(max_length=40)
    provider = models.CharField(max_length=20)
    model = models.CharField(max_length=80)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=10, decimal_places=5, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["job_run", "purpose"], name="call_run_purpose_idx"),
            models.Index(fields=["organization", "-created_at"], name="call_org_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome__in=["ok", "retryable_error", "error", "blocked"]),
                                   name="call_outcome_known"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} via {self.provider}/{self.model}: {self.outcome}"
