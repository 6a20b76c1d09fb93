"""genome_validation (spec 10.7, 13): how well the genome predicts, how its scores drift week over
week, the §13 metrics as daily/weekly series, and the system alerts they open and resolve."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from adcreator.calls.models import ProviderCall
from adcreator.catalog.models import Brand
from adcreator.jobs.models import Job, RunStatus
from genome.alerts import RULES_BY_METRIC, evaluate, reconcile
from genome.models import (
    AdAccount, AdMapping, AdPerformanceDay, AdReward, ElementScore, ElementScoreSnapshot, GenomeState, SystemAlert,
)
from genome.validation import prediction_accuracy, score_drift

# Days of history each daily metric is read over (the longest persistence window is 7 days).
DAILY_WINDOW_DAYS = 7
WEEKLY_HISTORY = 12  # weekly prediction-accuracy and winner-rate values kept on the state


def _ads_model():
    from django.apps import apps

    return apps.get_model("generation", "GeneratedAd")


def _days(today: date, n: int) -> list[date]:
    return [today - timedelta(days=n - 1 - i) for i in range(n)]


def approval_rate_series(brand_id: int, today: date) -> list[float | None]:
    """Share of the AI's reviews that approved, per day (None: nothing reviewed that day)."""
    since = today - timedelta(days=DAILY_WINDOW_DAYS - 1)
    counts = {row["day"]: row for row in _ads_model().objects.filter(
        ad_run__brand_id=brand_id, reviewed_at__date__gte=since, reviewed_at__date__lte=today).exclude(ai_status="")
        .annotate(day=TruncDate("reviewed_at")).values("day")
        .annotate(total=Count("id"), approved=Count("id", filter=Q(ai_status="approved")))}
    return [counts[d]["approved"] / counts[d]["total"] if d in counts and counts[d]["total"] else None
            for d in _days(today, DAILY_WINDOW_DAYS)]


def generation_success_series(brand_id: int, today: date) -> list[float | None]:
    """Share of image-generation calls that succeeded, per day, from the call ledger."""
    since = today - timedelta(days=DAILY_WINDOW_DAYS - 1)
    counts = {row["day"]: row for row in ProviderCall.objects.filter(
        brand_id=brand_id, purpose="image_generation", created_at__date__gte=since, created_at__date__lte=today)
        .annotate(day=TruncDate("created_at")).values("day")
        .annotate(total=Count("id"), ok=Count("id", filter=Q(outcome="ok")))}
    return [counts[d]["ok"] / counts[d]["total"] if d in counts and counts[d]["total"] else None
            for d in _days(today, DAILY_WINDOW_DAYS)]


def data_freshness(brand_id: int, today: date) -> float | None:
    """Days since the last successful meta_sync of a connected brand; None when not connected."""
    if not AdAccount.objects.filter(brand_id=brand_id, status=AdAccount.Status.ACTIVE).exists():
        return None
    last = (Job.objects.filter(brand_id=brand_id, job_type="meta_sync", runs__status=RunStatus.COMPLETED)
            .order_by("-runs__finished_at").values_list("runs__finished_at", flat=True).first())
    if last is None:
        return float("inf")  # connected, never synced: as stale as it gets
    return float((today - timezone.localtime(last).date()).days)


def winner_rate(brand_id: int, since: date, until: date) -> float | None:
    """Share of our ads (the mapped ones) whose CTR beats the median CTR of every ad in the brand's
    account over the week — the spec's "V2 > brand median"; None without two measured ads."""
    rows = (AdPerformanceDay.objects.filter(account__brand_id=brand_id, date__range=(since, until))
            .values("meta_ad_id").annotate(c=Sum("clicks"), i=Sum("impressions")).filter(i__gt=0, c__isnull=False))
    ctr = {row["meta_ad_id"]: row["c"] / row["i"] for row in rows}
    if len(ctr) < 2:
        return None
    ours = set(AdMapping.objects.filter(account__brand_id=brand_id, meta_ad_id__in=list(ctr))
               .values_list("meta_ad_id", flat=True))
    if not ours:
        return None
    median = statistics.median(ctr.values())
    return sum(1 for meta_ad_id in ours if ctr[meta_ad_id] > median) / len(ours)


def _lookup(rows) -> dict[tuple[str, str], tuple[float, float]]:
    return {(d, v): (a, b) for d, v, a, b in rows}


def genome_validate_brand(*, brand: Brand, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    state = GenomeState.objects.filter(brand=brand).first()
    previous = state.validation if state else {}
    rewards = list(AdReward.objects.filter(brand=brand).values_list("generated_ad__pre_gen_score", "reward", "ctr"))
    vs_reward = prediction_accuracy([r[0] for r in rewards], [r[1] for r in rewards])
    vs_ctr = prediction_accuracy([r[0] for r in rewards], [r[2] for r in rewards])
    current = list(ElementScore.objects.filter(brand=brand, product__isnull=True)
                   .values_list("dimension", "value", "alpha", "beta"))
    snapshot = ElementScoreSnapshot.objects.filter(brand=brand, taken_on__lt=today).order_by("-taken_on").first()
    drift = score_drift(_lookup(snapshot.scores), _lookup(current)).summary() if snapshot else None
    week_start = today - timedelta(days=6)
    weekly = {"prediction_accuracy": vs_ctr.pearson if vs_ctr.pearson is not None else vs_reward.pearson,
              "winner_rate": winner_rate(brand.pk, week_start, today)}
    history = [h for h in (previous.get("history") or []) if h.get("week_of") != week_start.isoformat()]
    history = (history + [{"week_of": week_start.isoformat(), **weekly}])[-WEEKLY_HISTORY:]
    series = {
        "approval_rate": approval_rate_series(brand.pk, today),
        "generation_success_rate": generation_success_series(brand.pk, today),
        "data_freshness": [data_freshness(brand.pk, today)],
        "prediction_accuracy": [h.get("prediction_accuracy") for h in history],
        "winner_rate": [h.get("winner_rate") for h in history],
    }
    evaluations = [evaluate(RULES_BY_METRIC[metric], values, scope=brand.pk) for metric, values in series.items()]
    changes = _apply_alerts(brand, evaluations, series)
    result = {
        "validated_on": today.isoformat(),
        "prediction_accuracy": {"vs_reward": vs_reward.__dict__, "vs_ctr": vs_ctr.__dict__},
        "drift": drift, "drift_since": snapshot.taken_on.isoformat() if snapshot else None,
        "metrics": {metric: values[-1] if values else None for metric, values in series.items()},
        "alerts": [{"metric": c.metric, "action": c.action, "level": c.level, "reason": c.reason} for c in changes],
        "history": history,
    }
    with transaction.atomic():
        ElementScoreSnapshot.objects.update_or_create(brand=brand, taken_on=today,
                                                      defaults={"scores": [list(r) for r in current]})
        GenomeState.objects.filter(brand=brand).update(validation=result)
    return result


def _apply_alerts(brand: Brand, evaluations, series) -> list:
    now = timezone.now()
    open_alerts = {(a.metric, brand.pk): a for a in SystemAlert.objects.filter(brand=brand,
                                                                               status=SystemAlert.Status.OPEN)}
    changes = reconcile({key: alert.level for key, alert in open_alerts.items()}, evaluations)
    latest = {metric: values[-1] if values else None for metric, values in series.items()}
    for change in changes:
        rule = RULES_BY_METRIC[change.metric]
        alert = open_alerts.get((change.metric, brand.pk))
        value = latest.get(change.metric)
        value = None if value is None or value == float("inf") else value
        if change.action == "open":
            threshold = next(t for t in rule.thresholds if t.level == change.level)
            SystemAlert.objects.create(brand=brand, metric=change.metric, level=change.level, value=value,
                                       threshold=threshold.describe(rule.period), message=change.reason[:300],
                                       action=rule.action, opened_at=now, last_seen_at=now)
        elif change.action in ("escalate", "deescalate"):
            threshold = next(t for t in rule.thresholds if t.level == change.level)
            SystemAlert.objects.filter(pk=alert.pk).update(level=change.level, value=value, last_seen_at=now,
                                                           threshold=threshold.describe(rule.period),
                                                           message=change.reason[:300])
        elif change.action == "resolve":
            SystemAlert.objects.filter(pk=alert.pk).update(status=SystemAlert.Status.RESOLVED, resolved_at=now,
                                                           value=value, message=change.reason[:300])
        elif change.action == "keep" and alert is not None:
            SystemAlert.objects.filter(pk=alert.pk).update(last_seen_at=now, value=value)
    return changes
