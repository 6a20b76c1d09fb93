"""Use cases of review: quality configs, human overrides, calibration proposals, review metrics.

The ad model belongs to the generation app; review refers to it by its label and only ever
reads and writes its review fields.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from adcreator.catalog.selectors import require_editor
from review import calibration, selectors
from review.decision import ScoringConfig, status_after
from review.models import (
    DEFAULT_AUTO_REJECT,
    DEFAULT_WEIGHTS,
    RUBRIC_VERSION,
    AdReviewDecision,
    AdReviewFinding,
    AdReviewOverride,
    QualityScoringConfig,
)

def _ad_model():
    return apps.get_model("generation", "GeneratedAd")


class ReviewError(ValueError):
    pass


# --- quality configs ---------------------------------------------------------------------


def quality_config_ensure_active(*, brand_id: int | None) -> QualityScoringConfig:
    """The config a review uses: the brand's active one, else the global one. On a database
    with no active global config (a fresh one, or staff retired it) the documented defaults
    become a new active version first; a retired or proposed one is never revived."""
    active = selectors.quality_config_active(brand_id=brand_id)
    if active is not None:
        return active
    latest = QualityScoringConfig.objects.filter(brand__isnull=True).aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            return QualityScoringConfig.objects.create(
                brand=None, version=latest + 1, status=QualityScoringConfig.Status.ACTIVE, weights=DEFAULT_WEIGHTS,
                auto_reject=DEFAULT_AUTO_REJECT, rubric_version=RUBRIC_VERSION,
                rationale={"source": "initial defaults (spec 6a)"}, approved_at=timezone.now(),
            )
    except IntegrityError:  # another worker created it first
        return QualityScoringConfig.objects.get(brand__isnull=True, status=QualityScoringConfig.Status.ACTIVE)


def scoring_config(config: QualityScoringConfig) -> ScoringConfig:
    return ScoringConfig(weights=dict(config.weights), pass_threshold=config.pass_threshold,
                         borderline_low=config.borderline_low, borderline_high=config.borderline_high,
                         auto_reject=dict(config.auto_reject or {}))


def quality_config_activate(*, config: QualityScoringConfig, user) -> QualityScoringConfig:
    """Approve a proposed version: it becomes the scope's only active config, the previous
    active one is retired (spec 6b: calibration never activates by itself)."""
    if config.status == QualityScoringConfig.Status.ACTIVE:
        return config
    if config.status != QualityScoringConfig.Status.PROPOSED:
        raise ReviewError(f"only a proposed config can be activated (this one is {config.status})")
    scoring_config(config)  # validates the numbers before anything changes
    with transaction.atomic():
        QualityScoringConfig.objects.select_for_update().filter(
            brand_id=config.brand_id, status=QualityScoringConfig.Status.ACTIVE
        ).update(status=QualityScoringConfig.Status.RETIRED)
        config.status = QualityScoringConfig.Status.ACTIVE
        config.approved_by = user
        config.approved_at = timezone.now()
        config.save(update_fields=["status", "approved_by", "approved_at"])
    return config


def quality_config_diff(*, config: QualityScoringConfig, against: QualityScoringConfig) -> list[dict]:
    """What a version changes compared with another: one row per differing number."""
    rows = []
    for field in ("pass_threshold", "borderline_low", "borderline_high"):
        old, new = getattr(against, field), getattr(config, field)
        if old != new:
            rows.append({"field": field, "old": old, "new": new})
    for check in sorted(set(config.weights) | set(against.weights)):
        old, new = against.weights.get(check), config.weights.get(check)
        if old != new:
            rows.append({"field": f"weight {check}", "old": old, "new": new})
    for check in sorted(set(config.auto_reject or {}) | set(against.auto_reject or {})):
        old, new = (against.auto_reject or {}).get(check), (config.auto_reject or {}).get(check)
        if old != new:
            rows.append({"field": f"auto-reject floor {check}", "old": old, "new": new})
    return rows


# --- reasons (issue 16 item 4) --------------------------------------------------------------


def _check_failed(check: str, score: float | None, config: ScoringConfig) -> bool:
    if score is None:
        return False
    return score < config.borderline_low or score < config.auto_reject.get(check, -1.0)


def _finding_rows(ad_id: int, outcome, config: ScoringConfig, decision) -> list[AdReviewFinding]:
    rows = []
    scan = outcome.defect_scan or {}
    for finding in scan.get("findings") or []:
        rows.append(AdReviewFinding(
            ad_id=ad_id, stage=1, code=finding["defect"], confidence=finding.get("confidence"),
            failed=bool(finding.get("present")), reason=finding.get("evidence") or "",
            region=finding.get("region"), provider=scan.get("provider") or "",
            decisive=bool(decision and decision.rule == "defect" and decision.code == finding["defect"])))
    for stage, opinion in ((2, outcome.first_opinion), (3, outcome.second_opinion)):
        for check in (opinion or {}).get("checks") or []:
            rows.append(AdReviewFinding(
                ad_id=ad_id, stage=stage, code=check["check"], score=check.get("score"),
                failed=_check_failed(check["check"], check.get("score"), config), reason=check.get("reason") or "",
                region=check.get("region"), provider=opinion.get("provider") or "",
                decisive=bool(decision and decision.rule == "floor" and decision.stage == stage
                              and decision.code == check["check"])))
    return rows


def review_reasons_record(*, ad_id: int, outcome, config: ScoringConfig, replace: bool = True) -> None:
    """Store why a staged review (review.staged.ReviewOutcome) decided: its decisive rule and every
    finding with its reason and region. Call it inside the transaction that stores the verdict.
    `replace`: the ad may have reasons of an earlier review (a retry), which go; a first review
    passes False and writes in two statements (the findings, the decision as an upsert)."""
    decision = outcome.decision
    if replace:
        AdReviewFinding.objects.filter(ad_id=ad_id).delete()
        if decision is None:
            AdReviewDecision.objects.filter(ad_id=ad_id).delete()
    # An upsert: should a first review ever meet rows of its own ad, it overwrites them, never fails.
    AdReviewFinding.objects.bulk_create(
        _finding_rows(ad_id, outcome, config, decision), update_conflicts=True, unique_fields=["ad", "stage", "code"],
        update_fields=["score", "confidence", "failed", "decisive", "reason", "region", "provider"])
    if decision is None:
        return
    fields = {"status": decision.status, "rule": decision.rule, "stage": decision.stage, "code": decision.code,
              "score": decision.score, "limit": decision.limit, "reason": decision.reason[:5000],
              "region": list(decision.region) if decision.region else None}
    AdReviewDecision.objects.bulk_create([AdReviewDecision(ad_id=ad_id, **fields)], update_conflicts=True,
                                         unique_fields=["ad"], update_fields=list(fields))


# --- overrides ------------------------------------------------------------------------------


def _clean_corrections(action: str, check_corrections: dict | None) -> dict[str, float]:
    if action not in AdReviewOverride.Action.values:
        raise ReviewError(f"unknown action {action!r}")
    corrections = {}
    for check, score in (check_corrections or {}).items():
        if check not in DEFAULT_WEIGHTS:
            raise ReviewError(f"unknown check {check!r}")
        if not isinstance(score, (int, float)) or isinstance(score, bool) or not 0 <= score <= 10:
            raise ReviewError(f"correction for {check} must be a number within 0..10")
        corrections[check] = float(score)
    return corrections


def _require_editor_of_ads(*, user, ad_ids: list[int]) -> None:
    """Editor rights in the organization of every ad, checked before anything is written."""
    if user is None:
        return
    organization_by_ad = dict(_ad_model().objects.filter(pk__in=ad_ids).values_list("pk", "ad_run__organization_id"))
    missing = sorted(set(ad_ids) - set(organization_by_ad))
    if missing:
        raise ReviewError(f"no such ad: {', '.join(map(str, missing))}")
    for organization_id in sorted(set(organization_by_ad.values())):
        require_editor(user=user, organization_id=organization_id)


def _record_override(*, ad, user, action: str, note: str, corrections: dict[str, float]) -> AdReviewOverride:
    resulting = status_after(action, ad.ai_status)
    if resulting is None:
        raise ReviewError(f"the review of ad {ad.pk} failed, so there is no AI decision to confirm; approve or reject it")
    with transaction.atomic():
        previous = (AdReviewOverride.objects.select_for_update().filter(ad=ad, superseded_by__isnull=True)
                    .order_by("-created_at", "-id").first())
        override = AdReviewOverride.objects.create(
            ad=ad, action=action, check_corrections=corrections, note=note[:5000], user=user,
            ai_status=ad.ai_status, resulting_status=resulting,
        )
        if previous is not None:
            AdReviewOverride.objects.filter(pk=previous.pk).update(superseded_by=override)
        _ad_model().objects.filter(pk=ad.pk).update(status=resulting, updated_at=timezone.now())
    ad.status = resulting
    return override


def review_override_create(*, ad, user, action: str, note: str = "", check_corrections: dict | None = None) -> AdReviewOverride:
    """Record a human decision; the ad's status follows it, the AI's decision stays recorded."""
    corrections = _clean_corrections(action, check_corrections)
    if not ad.ai_status:
        raise ReviewError("this ad has not been reviewed yet; there is no decision to override")
    _require_editor_of_ads(user=user, ad_ids=[ad.pk])
    return _record_override(ad=ad, user=user, action=action, note=note, corrections=corrections)


# --- calibration ------------------------------------------------------------------------------


def quality_config_propose(*, brand_id: int | None, lookback_days: int = 90) -> QualityScoringConfig | None:
    """The weekly calibration: a new *proposed* version from the overrides, or None without data."""
    base = quality_config_ensure_active(brand_id=brand_id)
    samples = selectors.calibration_samples(brand_id=brand_id, since=timezone.now() - timedelta(days=lookback_days))
    if not samples:
        return None
    result = calibration.calibrate(samples, weights=dict(base.weights), pass_threshold=base.pass_threshold)
    with transaction.atomic():
        latest = QualityScoringConfig.objects.filter(brand_id=brand_id).aggregate(v=Max("version"))["v"] or 0
        return QualityScoringConfig.objects.create(
            brand_id=brand_id, version=latest + 1, status=QualityScoringConfig.Status.PROPOSED,
            weights=result.proposed_weights, pass_threshold=result.proposed_pass_threshold,
            borderline_low=base.borderline_low, borderline_high=base.borderline_high,
            auto_reject=dict(base.auto_reject or {}), rubric_version=base.rubric_version,
            based_on=base, rationale={"source": "quality_calibration", "lookback_days": lookback_days,
                                      **result.rationale()},
        )


# A bulk decision that changes more ads than this asks the person to confirm the count first.
BULK_CONFIRM_ABOVE = 3


class BulkConfirmationNeeded(ReviewError):
    """A bulk decision would change more than BULK_CONFIRM_ABOVE ads and was not confirmed."""

    def __init__(self, changes: int):
        self.changes = changes
        super().__init__(f"this changes {changes} ads (more than {BULK_CONFIRM_ABOVE}); confirm to go ahead")


def review_override_bulk_changes(*, ads, action: str) -> int:
    """How many of `ads` a bulk decision would change the status of."""
    return sum(1 for ad in ads if ad.ai_status and status_after(action, ad.ai_status) not in (None, ad.status))


def review_override_bulk(*, ads, user, action: str, note: str = "", confirmed: bool = False) -> int:
    """One decision for many ads (a template group's "approve all" / "reject all"): all or
    nothing. The user must be an editor in the organization of every ad, checked before the
    first is changed, and every decision is written in one transaction. Ads not yet reviewed
    are skipped: there is no AI decision to override (nor, for Confirm, a failed review). A
    decision that changes more than BULK_CONFIRM_ABOVE ads needs `confirmed`, whichever door
    it comes through. Returns how many were decided."""
    corrections = _clean_corrections(action, None)
    reviewed = [ad for ad in ads if ad.ai_status and status_after(action, ad.ai_status) is not None]
    _require_editor_of_ads(user=user, ad_ids=[ad.pk for ad in reviewed])
    changes = review_override_bulk_changes(ads=reviewed, action=action)
    if changes > BULK_CONFIRM_ABOVE and not confirmed:
        raise BulkConfirmationNeeded(changes)
    with transaction.atomic():
        for ad in reviewed:
            _record_override(ad=ad, user=user, action=action, note=note, corrections=corrections)
    return len(reviewed)
