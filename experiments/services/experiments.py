"""Experiments: create (one variable, 1–3 treatment values), plan (power and budget), confirm the
budget, stop. Arms live in `arms`, deployment in `deploy`, the daily analysis in `analysis`."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from adcreator.catalog.selectors import require_editor
from experiments.creative import VariationError, base_request, dimension_options, value_label, with_value
from experiments.models import Experiment, ExperimentArm
from experiments.planning import (
    ASSUMED_BASELINE_CTR, ASSUMED_CPM, MIN_MEASURED_IMPRESSIONS, BudgetPlan, PlanError, plan_budget,
)
from experiments.selectors import brand_baseline
from experiments.services.errors import ExperimentError
from experiments.vocabulary import MAX_TREATMENTS, MIN_TREATMENTS, TESTABLE_DIMENSIONS, as_value, held_dimensions
from genome.selectors import ad_account_for

EDITABLE = (Experiment.Status.DRAFT, Experiment.Status.READY)


def experiment_plan_preview(*, brand, arms: int, relative_mde: float, power: float = 0.8, alpha: float = 0.05,
                            planned_days: int = 7, baseline_ctr: float | None = None) -> BudgetPlan:
    """The plan for these inputs, nothing stored: the calculator of the create page and the API.

    The baseline CTR is the one entered, else the brand's own (its latest 28 days of synced
    data, from 10,000 impressions), else an assumed 1 %; the CPM is the brand's own, else an
    assumed 10 — the source of each is part of the plan and shown with it."""
    measured = brand_baseline(brand_id=brand.pk)
    enough = measured.impressions >= MIN_MEASURED_IMPRESSIONS
    if baseline_ctr is not None:
        ctr, ctr_source = baseline_ctr, "entered"
    elif enough and measured.ctr:
        ctr, ctr_source = measured.ctr, "measured"
    else:
        ctr, ctr_source = ASSUMED_BASELINE_CTR, "assumed"
    cpm, cpm_source = ((measured.cpm, "measured") if enough and measured.cpm else (ASSUMED_CPM, "assumed"))
    account = ad_account_for(brand_id=brand.pk)
    try:
        return plan_budget(baseline_ctr=ctr, baseline_source=ctr_source, relative_mde=relative_mde, power=power,
                           alpha=alpha, arms=arms, cpm=Decimal(cpm), cpm_source=cpm_source,
                           planned_days=planned_days, currency=account.currency if account else "USD")
    except PlanError as exc:
        raise ExperimentError(exc.errors) from None


def _apply_plan(experiment: Experiment, plan: BudgetPlan) -> None:
    experiment.baseline_ctr, experiment.baseline_source = plan.baseline_ctr, plan.baseline_source
    experiment.relative_mde, experiment.power, experiment.alpha = plan.relative_mde, plan.power, plan.alpha
    experiment.planned_days = plan.planned_days
    experiment.planned_impressions_per_arm = plan.impressions_per_arm
    experiment.cpm, experiment.cpm_source, experiment.currency = plan.cpm, plan.cpm_source, plan.currency
    experiment.budget_estimate, experiment.daily_budget = plan.total_spend, plan.daily_budget
    experiment.min_daily_spend_per_arm = plan.min_daily_spend_per_arm


def _ads():
    return apps.get_model("generation", "GeneratedAd")


def experiment_create(*, user, organization_ids: list[int], base_ad_id: int, variable: str,
                      treatment_values: list[str], hypothesis: str, relative_mde: float = 0.20, power: float = 0.8,
                      alpha: float = 0.05, planned_days: int = 7, baseline_ctr: float | None = None,
                      name: str = "") -> Experiment:
    """A draft experiment on one element of `base_ad`: its value is the control, each treatment
    value one more arm; everything else is held at the base ad's values."""
    ad = (_ads().objects.filter(pk=base_ad_id, ad_run__organization_id__in=organization_ids)
          .select_related("ad_run", "ad_run__brand", "ad_run__job_run__job").first())
    if ad is None:
        raise ExperimentError({"base_ad_id": ["No such ad in your organizations."]})
    brand = ad.ad_run.brand
    require_editor(user=user, organization_id=brand.organization_id)
    errors: dict[str, list[str]] = {}
    if not isinstance(hypothesis, str) or not hypothesis.strip():
        errors["hypothesis"] = ["Say what you expect and why (one sentence is enough)."]
    if variable not in TESTABLE_DIMENSIONS:
        errors["variable"] = [f"Choose one element dimension: {', '.join(TESTABLE_DIMENSIONS)}."]
        raise ExperimentError(errors)
    try:
        base = base_request(ad)
    except VariationError as exc:
        raise ExperimentError({"base_ad_id": [str(exc)]}) from None
    control = as_value(ad.element_tags.get(variable))
    options = dimension_options(organization_id=brand.organization_id, brand_id=brand.pk, product_id=ad.ad_run.product_id)
    known = {option.value for option in options[variable]}
    values = [str(v).strip() if v is not None else "" for v in (treatment_values or [])]
    problems = []
    if not MIN_TREATMENTS <= len(values) <= MAX_TREATMENTS:
        problems.append(f"Choose {MIN_TREATMENTS} to {MAX_TREATMENTS} treatment values.")
    if len(set(values)) != len(values):
        problems.append("Each treatment value may appear once.")
    if control in values:
        problems.append(f"{value_label(options, variable, control)!r} is the control's value; a treatment must differ.")
    unknown = [v for v in values if v not in known]
    if unknown:
        problems.append(f"Not values of {variable} for this brand: {unknown}.")
    if not problems:
        for value in values:
            try:
                with_value(base, variable, value, organization_id=brand.organization_id)
            except VariationError as exc:
                problems.append(str(exc))
    if problems:
        errors["treatment_values"] = problems
    try:
        plan = experiment_plan_preview(brand=brand, arms=len(values) + 1 if problems == [] else 2,
                                       relative_mde=relative_mde, power=power, alpha=alpha,
                                       planned_days=planned_days, baseline_ctr=baseline_ctr)
    except ExperimentError as exc:
        errors.update(exc.errors)
    if errors:
        raise ExperimentError(errors)
    labels = [value_label(options, variable, v) for v in [control, *values]]
    with transaction.atomic():
        experiment = Experiment(
            brand=brand, product_id=ad.ad_run.product_id, base_ad=ad, hypothesis=hypothesis.strip(),
            variable=variable, base_parameters=base,
            hold_constant={d: as_value(ad.element_tags.get(d)) for d in held_dimensions(variable)},
            seed=secrets.randbits(62), created_by=user if getattr(user, "pk", None) else None,
            name=(name.strip() or f"{variable}: {labels[0]} vs {', '.join(labels[1:])}")[:200],
        )
        _apply_plan(experiment, plan)
        experiment.save()
        ExperimentArm.objects.bulk_create(
            [ExperimentArm(experiment=experiment, position=0, role=ExperimentArm.Role.CONTROL, value=control)]
            + [ExperimentArm(experiment=experiment, position=i, role=ExperimentArm.Role.TREATMENT, value=value)
               for i, value in enumerate(values, start=1)])
        refresh_readiness(experiment)
    return experiment


def _editable(experiment: Experiment, action: str) -> None:
    if experiment.status not in EDITABLE:
        raise ExperimentError.whole(f"The experiment is {experiment.get_status_display().lower()}; it can no longer "
                                    f"{action}.")


def experiment_replan(*, experiment: Experiment, user, relative_mde: float, power: float = 0.8, alpha: float = 0.05,
                      planned_days: int = 7, baseline_ctr: float | None = None) -> Experiment:
    """Plan again (before deployment). A changed budget needs confirming again."""
    require_editor(user=user, organization_id=experiment.brand.organization_id)
    _editable(experiment, "be planned again")
    plan = experiment_plan_preview(brand=experiment.brand, arms=experiment.arms.count(), relative_mde=relative_mde,
                                   power=power, alpha=alpha, planned_days=planned_days, baseline_ctr=baseline_ctr)
    with transaction.atomic():
        before = (experiment.budget_estimate, experiment.daily_budget)
        _apply_plan(experiment, plan)
        if (experiment.budget_estimate, experiment.daily_budget) != before:
            experiment.budget_confirmed_at, experiment.budget_confirmed_by = None, None
        experiment.save()
        refresh_readiness(experiment)
    return experiment


def experiment_confirm_budget(*, experiment: Experiment, user, budget_estimate: Decimal | None = None) -> Experiment:
    """The advertiser accepts the planned spend. `budget_estimate`: the figure they saw — when the
    plan changed since, nothing is confirmed (an unconfirmed budget never starts)."""
    require_editor(user=user, organization_id=experiment.brand.organization_id)
    _editable(experiment, "have its budget confirmed")
    if budget_estimate is not None and Decimal(budget_estimate) != experiment.budget_estimate:
        raise ExperimentError({"budget_estimate": [
            f"The plan now needs {experiment.budget_estimate} {experiment.currency}, not {budget_estimate}; "
            "review the new figure and confirm it."]})
    with transaction.atomic():
        experiment.budget_confirmed_at = timezone.now()
        experiment.budget_confirmed_by = user if getattr(user, "pk", None) else None
        experiment.save(update_fields=["budget_confirmed_at", "budget_confirmed_by", "updated_at"])
        refresh_readiness(experiment)
    return experiment


def readiness_reasons(experiment: Experiment, arms: list[ExperimentArm]) -> list[str]:
    """Why the experiment cannot be deployed yet; empty when it can."""
    reasons = []
    if not experiment.budget_confirmed:
        reasons.append(f"The budget ({experiment.budget_estimate} {experiment.currency}) is not confirmed.")
    for arm in arms:
        if arm.job_id is None:
            reasons.append(f"Arm {arm.key}: not generated yet.")
        elif arm.generated_ad_id is None and not arm.check_errors:
            reasons.append(f"Arm {arm.key}: its generation job has not made its ad yet (check the arms when it has).")
        reasons += [f"Arm {arm.key}: {error}" for error in arm.check_errors]
    return reasons


def refresh_readiness(experiment: Experiment) -> list[str]:
    """draft ↔ ready from the budget confirmation and the arms' last check."""
    if experiment.status not in EDITABLE:
        return list(experiment.blocking_reasons)
    reasons = readiness_reasons(experiment, list(experiment.arms.order_by("position")))
    status = Experiment.Status.DRAFT if reasons else Experiment.Status.READY
    if reasons != experiment.blocking_reasons or status != experiment.status:
        experiment.blocking_reasons, experiment.status = reasons, status
        experiment.save(update_fields=["blocking_reasons", "status", "updated_at"])
    return reasons


def experiment_stop(*, experiment: Experiment, user, reason: str = "") -> Experiment:
    """Stop before a verdict. A running experiment's effects so far are stored — never graded
    causal (it did not win) — and its simulated ads are paused."""
    from experiments.services.analysis import finish_experiment, latest_counts

    require_editor(user=user, organization_id=experiment.brand.organization_id)
    if experiment.is_finished:
        raise ExperimentError.whole(f"The experiment is already {experiment.get_status_display().lower()}.")
    with transaction.atomic():
        if experiment.status == Experiment.Status.RUNNING:
            finish_experiment(experiment, status=Experiment.Status.STOPPED, verdict=None, counts=latest_counts(experiment),
                              note=reason.strip() or "stopped by hand")
        else:
            experiment.status = Experiment.Status.STOPPED
            experiment.ended_at = timezone.now()
            experiment.verdict = {"status": "stopped", "reasons": [reason.strip() or "stopped by hand before deployment"]}
            experiment.save(update_fields=["status", "ended_at", "verdict", "updated_at"])
    return experiment
