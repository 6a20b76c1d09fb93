"""The daily analysis of running experiments (spec 12c/12d), the `experiment_analysis` job's work.

1. The experiment's own dates only: from its first day (activation in the simulated market,
   first delivery on Meta) to the last complete day the brand's data are synced through.
2. Per arm and day, impressions and clicks of the arm's Meta ad (zero on a day without a row).
3. `experiments.stats.replay`: the shipped decision rule at every daily look (honest stopping,
   sample-ratio check, overdispersion), seeded by the experiment; every look is stored.
4. A final verdict ends the experiment (won / futile / inconclusive; a sample-ratio mismatch
   still unexplained at day 14 is inconclusive) and stores each treatment's ATE with its
   credible interval, graded for the causal knowledge base.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from experiments.models import CausalEffect, Experiment, ExperimentArm, ExperimentDay
from experiments.selectors import arm_daily_counts
from experiments.stats import SHIPPED_RULE, Verdict, grade_effect, replay, treatment_effects
from genome.market_store import market_set_delivery, market_today
from genome.models import AdAccount, AdPerformanceDay, Source
from genome.selectors import ad_account_for

logger = logging.getLogger(__name__)

STATUS_OF_DECISION = {"winner": Experiment.Status.WON, "futile": Experiment.Status.FUTILE,
                      "inconclusive": Experiment.Status.INCONCLUSIVE, "blocked": Experiment.Status.INCONCLUSIVE}
EFFECTS_SEED_STREAM = 1_000_003


def _account_today(account: AdAccount) -> date:
    return market_today(account) if account.source == Source.SIMULATED else timezone.localdate()


def analysis_window(experiment: Experiment, arms: list[ExperimentArm], account: AdAccount) -> tuple[date | None, date | None, str]:
    """(first day, last complete synced day, why there is nothing to look at yet)."""
    meta_ids = [arm.meta_ad_id for arm in arms if arm.meta_ad_id]
    start = experiment.started_on
    if start is None:  # Meta: the advertiser activates the paused campaign; day 1 is its first delivery
        since = timezone.localdate(experiment.deployed_at) if experiment.deployed_at else None
        rows = AdPerformanceDay.objects.filter(meta_ad_id__in=meta_ids, impressions__gt=0)
        if since:
            rows = rows.filter(date__gte=since)
        start = rows.aggregate(first=Min("date"))["first"]
        if start is None:
            return None, None, ("no delivery synced yet: the campaign was created paused — activate it in Ads "
                                "Manager; the experiment's days start with its first delivery")
    synced = AdPerformanceDay.objects.filter(account=account).aggregate(last=Max("date"))["last"]
    if synced is None:
        return start, None, "no data synced for the brand's account yet"
    last = min(_account_today(account) - timedelta(days=1), synced)
    if last < start:
        return start, None, f"no complete day synced since the experiment started on {start}"
    return start, last, ""


def daily_matrix(experiment: Experiment, arms: list[ExperimentArm], start: date, last: date) -> tuple[np.ndarray, np.ndarray, list[date]]:
    """(days, arms) impressions and clicks of the experiment's own dates, capped at the rule's horizon."""
    days = min((last - start).days + 1, SHIPPED_RULE.max_days)
    dates = [start + timedelta(days=i) for i in range(days)]
    counts = arm_daily_counts(experiment, arms, since=start, until=dates[-1])
    impressions = np.array([[counts.get((arm.meta_ad_id, d), (0, 0))[0] for arm in arms] for d in dates], dtype=np.int64)
    clicks = np.array([[counts.get((arm.meta_ad_id, d), (0, 0))[1] for arm in arms] for d in dates], dtype=np.int64)
    return impressions, clicks, dates


def verdict_json(verdict: Verdict, arms: list[ExperimentArm]) -> dict:
    keys = [arm.key for arm in arms]
    return {
        "status": verdict.status, "day": verdict.day, "final": verdict.final,
        "winner": keys[verdict.winner] if verdict.winner is not None else None, "leader": keys[verdict.leader],
        "arms": keys, "prob_best": verdict.prob_best, "mc_error": verdict.mc_error, "pairwise": verdict.pairwise,
        "pairwise_required": verdict.pairwise_required, "dispersion": verdict.dispersion,
        "counted_looks": verdict.counted_looks, "looks_allowed": verdict.looks_allowed,
        "futile_arms": [keys[i] for i in verdict.futile_arms], "impressions": verdict.impressions,
        "clicks": verdict.clicks, "min_impressions": verdict.min_impressions,
        "srm_p_value": verdict.srm.p_value, "srm_blocks": verdict.srm.blocks, "reasons": list(verdict.reasons),
    }


def experiment_analyse(*, experiment: Experiment) -> dict:
    """Look at a running experiment's days and decide; the summary becomes the job's metadata."""
    if experiment.status != Experiment.Status.RUNNING:
        return {"skipped": f"status {experiment.status}"}
    account = ad_account_for(brand_id=experiment.brand_id)
    if account is None:
        return {"skipped": "no Meta connection"}
    arms = list(experiment.arms.order_by("position"))
    start, last, waiting = analysis_window(experiment, arms, account)
    if last is None:
        return {"waiting": waiting}
    impressions, clicks, dates = daily_matrix(experiment, arms, start, last)
    verdicts = replay(impressions, clicks, min_impressions=experiment.planned_impressions_per_arm, control=0,
                      seed=experiment.seed, rule=SHIPPED_RULE)
    now = timezone.now()
    with transaction.atomic():
        if experiment.started_on is None:
            experiment.started_on = start
            experiment.save(update_fields=["started_on", "updated_at"])
        for verdict in verdicts:
            index = verdict.day - 1
            ExperimentDay.objects.update_or_create(experiment=experiment, day=verdict.day, defaults={
                "date": dates[index], "decision": verdict.status, "final": verdict.final,
                "daily_impressions": impressions[index].tolist(), "daily_clicks": clicks[index].tolist(),
                "impressions": verdict.impressions, "clicks": verdict.clicks, "prob_best": verdict.prob_best,
                "mc_error": verdict.mc_error, "srm_p_value": verdict.srm.p_value,
                "detail": {k: v for k, v in verdict_json(verdict, arms).items()
                           if k not in ("prob_best", "mc_error", "impressions", "clicks", "reasons")},
                "reasons": list(verdict.reasons), "computed_at": now})
        # Revised data can make an earlier look final: the looks after it never happened.
        ExperimentDay.objects.filter(experiment=experiment, day__gt=len(verdicts)).delete()
        latest = verdicts[-1]
        if latest.final:
            finish_experiment(experiment, status=STATUS_OF_DECISION[latest.status], verdict=latest,
                              counts=(latest.clicks, latest.impressions), arms=arms, account=account)
    return {"experiment": experiment.pk, "days": len(verdicts), "through": dates[len(verdicts) - 1].isoformat(),
            "decision": latest.status, "final": latest.final, "status": experiment.status,
            "prob_best": [round(p, 4) for p in latest.prob_best]}


def latest_counts(experiment: Experiment) -> tuple[list[int], list[int]] | None:
    day = experiment.days.order_by("-day").first()
    return (day.clicks, day.impressions) if day else None


def _grade_status(verdict: Verdict | None, status: str, arm_index: int) -> str:
    """The status an arm's effect is graded under: only the comparisons the honest-stopping rule
    controlled — the winner against the control, or a winning control against each treatment —
    can be causal; another arm of a won experiment is at most suggestive."""
    if verdict is None or verdict.status != "winner":
        return status
    return "winner" if verdict.winner in (0, arm_index) else "won_by_another_arm"


def finish_experiment(experiment: Experiment, *, status: str, verdict: Verdict | None,
                      counts: tuple[list[int], list[int]] | None, arms: list[ExperimentArm] | None = None,
                      account: AdAccount | None = None, note: str = "") -> None:
    """End the experiment: its status and verdict, the causal effects, the simulated arms paused."""
    arms = arms or list(experiment.arms.order_by("position"))
    account = account or ad_account_for(brand_id=experiment.brand_id)
    experiment.status = status
    experiment.ended_at = timezone.now()
    experiment.verdict = verdict_json(verdict, arms) if verdict else {"status": "stopped", "reasons": [note]}
    if note and verdict is not None:
        experiment.verdict["reasons"].append(note)
    experiment.winner_arm = arms[verdict.winner] if verdict is not None and verdict.winner is not None else None
    if account is not None and account.source == Source.GRAPH:
        experiment.verdict["reasons"].append("pause the experiment's ad sets in Ads Manager (keep the winner's, if any)")
    experiment.save()
    if counts is not None and sum(counts[1]) > 0:
        clicks, impressions = counts
        effects = treatment_effects(list(zip(clicks, impressions)), control=0,
                                    dispersion=verdict.dispersion if verdict else 1.0,
                                    seed=np.random.default_rng([experiment.seed, EFFECTS_SEED_STREAM]))
        decision = verdict.status if verdict else "stopped"
        for effect in effects:
            arm = arms[effect.arm]
            grade = grade_effect(_grade_status(verdict, decision, effect.arm), effect,
                                 srm_blocked=bool(verdict and verdict.srm.blocks))
            CausalEffect.objects.update_or_create(experiment=experiment, arm=arm, defaults={
                "brand_id": experiment.brand_id, "dimension": experiment.variable,
                "control_value": arms[0].value, "treatment_value": arm.value, "metric": "ctr",
                "ate_absolute": effect.absolute, "ate_absolute_low": effect.absolute_ci[0],
                "ate_absolute_high": effect.absolute_ci[1], "ate_relative": effect.relative,
                "ate_relative_low": effect.relative_ci[0], "ate_relative_high": effect.relative_ci[1],
                "prob_positive": effect.prob_positive, "credibility": effect.credibility,
                "dispersion": verdict.dispersion if verdict else 1.0, "grade": grade, "experiment_status": decision,
                "impressions_control": impressions[0], "impressions_treatment": impressions[effect.arm],
                "clicks_control": clicks[0], "clicks_treatment": clicks[effect.arm]})
    if account is not None and account.source == Source.SIMULATED:
        keep = experiment.winner_arm.meta_ad_id if experiment.winner_arm else None
        market_set_delivery(account=account, meta_ad_ids=[arm.meta_ad_id for arm in arms
                                                          if arm.meta_ad_id and arm.meta_ad_id != keep], active=False)


def experiments_analyse_organization(*, organization_id: int, experiment_ids: list[int] | None = None,
                                     progress=None) -> dict:
    """The daily job's work for one organization: analyse its running experiments, check the arms
    of its drafts, and record the lineage of evolved ads. One experiment failing never stops the others."""
    from experiments.services.arms import experiment_check_arms
    from experiments.services.lineage import evolution_record_lineage

    experiments = Experiment.objects.filter(brand__organization_id=organization_id).select_related("brand")
    if experiment_ids:
        experiments = experiments.filter(pk__in=experiment_ids)
    results: dict[str, dict] = {}
    for experiment in experiments.filter(status__in=[Experiment.Status.RUNNING, Experiment.Status.DRAFT,
                                                     Experiment.Status.READY]).order_by("id"):
        if progress is not None:
            progress.update(stage="analysing", current_experiment=experiment.pk)
        try:
            if experiment.status == Experiment.Status.RUNNING:
                results[str(experiment.pk)] = experiment_analyse(experiment=experiment)
            elif experiment.arms.filter(job__isnull=False).exists():
                results[str(experiment.pk)] = {"blocking_reasons": experiment_check_arms(experiment=experiment)}
        except Exception as exc:  # recorded, and the next experiment is analysed
            logger.exception("analysis of experiment %s failed", experiment.pk)
            results[str(experiment.pk)] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    lineage = evolution_record_lineage(organization_id=organization_id)
    return {"experiments": results, "lineage_rows_created": lineage}
