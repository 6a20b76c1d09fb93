"""Reads of review: the active quality config, human decisions and the override rate."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from review import calibration
from review.models import AdReviewOverride, QualityScoringConfig

OVERRIDE_RATE_WINDOW_DAYS = 30


def quality_config_active(*, brand_id: int | None) -> QualityScoringConfig | None:
    """The brand's active config, else the global one, else None (one query; never writes)."""
    scope = Q(brand__isnull=True)
    if brand_id is not None:
        scope |= Q(brand_id=brand_id)
    active = list(QualityScoringConfig.objects.filter(scope, status=QualityScoringConfig.Status.ACTIVE))
    for config in active:
        if config.brand_id is not None:
            return config
    return active[0] if active else None


def review_override_latest(*, ad_id: int) -> AdReviewOverride | None:
    return AdReviewOverride.objects.filter(ad_id=ad_id).order_by("-created_at", "-id").first()


def override_rate(*, brand_id: int | None = None, ads: QuerySet | None = None, days: int = OVERRIDE_RATE_WINDOW_DAYS,
                  now=None) -> dict:
    """Share of human-reviewed ads whose latest human decision disagrees with the AI's, over the
    last `days`: for a brand, or for any scope of ads (the results page's filters).

    `override_rate` is a ratio (0.25, not 25 %); None when no human decided anything in the window.
    """
    since = (now or timezone.now()) - timedelta(days=days)
    latest = AdReviewOverride.objects.filter(created_at__gte=since, superseded_by__isnull=True)
    if brand_id is not None:
        latest = latest.filter(ad__ad_run__brand_id=brand_id)
    if ads is not None:
        latest = latest.filter(ad__in=ads.order_by().values("pk"))
    decisions = list(latest.values_list("ai_status", "resulting_status"))
    disagreements = sum(1 for ai, human in decisions if ai != human)
    return {"window_days": days, "human_decisions": len(decisions), "overrides": disagreements,
            "override_rate": round(disagreements / len(decisions), 4) if decisions else None}


def calibration_samples(*, brand_id: int | None, since) -> list[calibration.Sample]:
    """Ads with check scores and a latest human decision (confirmations of approve/reject count)."""
    overrides = AdReviewOverride.objects.filter(superseded_by__isnull=True, created_at__gte=since)
    if brand_id is not None:
        overrides = overrides.filter(ad__ad_run__brand_id=brand_id)
    samples = []
    for ai_status, resulting, scores in overrides.values_list("ai_status", "resulting_status", "ad__review_check_scores"):
        if resulting not in ("approved", "rejected") or not scores:
            continue
        samples.append(calibration.Sample(check_scores=scores, ai_status=ai_status,
                                          human="approve" if resulting == "approved" else "reject"))
    return samples
