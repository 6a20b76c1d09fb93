"""Pages of experiments and winner evolution: the list (with the causal knowledge base and the
evolution success metric), the create page with its power and budget calculator, an
experiment's page (arms, deployment, the daily P(best) chart, the verdict), and "Evolve this ad".
Thin: every action is one service call, the same the API makes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from adcreator.catalog.selectors import brands_for, organization_ids_for, require_editor
from adcreator.jobs.models import JobRun
from adcreator.jobs.services import job_create
from experiments import forms as f
from experiments.charts import prob_best_chart
from experiments.creative import VariationError, ad_value, base_request, dimension_options, value_label
from experiments.honesty import MEASURED
from experiments.models import Experiment
from experiments.selectors import (
    arms_of, causal_effects_visible_to, evolution_success, experiments_visible_to, lineage_of,
)
from experiments.services import (
    ExperimentError, evolution_options, evolution_record_lineage, evolution_submit, experiment_check_arms,
    experiment_confirm_budget, experiment_create, experiment_deploy, experiment_generate_arms, experiment_plan_preview,
    experiment_replan, experiment_stop,
)
from experiments.services.deploy import REQUIRES_META, paused_note
from experiments.stats import SHIPPED_RULE
from generation.selectors import ads_visible_to
from genome.models import AdAccount
from genome.selectors import ad_account_for


def _experiment(request, experiment_id: int) -> Experiment:
    return get_object_or_404(experiments_visible_to(request.user), pk=experiment_id)


def _flash_errors(request, exc: ExperimentError, prefix: str) -> None:
    for field, errors in exc.errors.items():
        where = "" if field in ("__all__", "non_field_errors") else f"{field.replace('_', ' ')}: "
        for error in errors:
            messages.error(request, f"{prefix}{where}{error}")


def _connection(brand) -> dict:
    account = ad_account_for(brand_id=brand.pk)
    active = account is not None and account.status == account.Status.ACTIVE
    return {"account": account, "connected": active, "simulated": active and account.source == "simulated",
            "requires_meta": REQUIRES_META}


@login_required
@require_GET
def experiment_list(request):
    organization_ids = organization_ids_for(request.user)
    for organization_id in organization_ids:
        evolution_record_lineage(organization_id=organization_id)
    experiments = list(experiments_visible_to(request.user).order_by("-created_at", "-id")[:200])
    brands = list(brands_for(request.user).order_by("name", "id"))
    connected = set(AdAccount.objects.filter(brand__in=brands, status=AdAccount.Status.ACTIVE)
                    .values_list("brand_id", flat=True))
    return render(request, "experiments/list.html", {
        "experiments": experiments, "brands": brands, "unconnected": [b for b in brands if b.pk not in connected],
        "effects": list(causal_effects_visible_to(request.user).order_by("-created_at", "id")[:50]),
        "success": evolution_success(organization_ids=organization_ids), "measured": MEASURED,
        "requires_meta": REQUIRES_META,
    })


def _start_ads(user):
    return (ads_visible_to(user).filter(status="approved", template__isnull=False)
            .select_related("ad_run__brand").order_by("-created_at", "-id")[:100])


@login_required
@require_http_methods(["GET", "POST"])
def experiment_new(request):
    start = f.StartForm(request.GET or None)
    context = {"start": start, "start_ads": _start_ads(request.user), "measured": MEASURED}
    if not start.is_valid():
        return render(request, "experiments/new.html", context, status=400 if request.GET else 200)
    ad = ads_visible_to(request.user).select_related("ad_run__brand", "ad_run__job_run__job").filter(
        pk=start.cleaned_data["ad"]).first()
    if ad is None:
        start.add_error("ad", "No such ad in your organizations.")
        return render(request, "experiments/new.html", context, status=400)
    variable = start.cleaned_data["variable"]
    brand = ad.ad_run.brand
    options = dimension_options(organization_id=brand.organization_id, brand_id=brand.pk, product_id=ad.ad_run.product_id)
    control = ad_value(ad, variable)
    choices = [(o.value, o.label) for o in options[variable] if o.value != control]
    form = f.CreateForm(request.POST or None, choices=choices)
    plan, status = None, 200
    try:
        base_request(ad)
    except VariationError as exc:
        messages.error(request, str(exc))
    if request.method == "POST":
        status = 400
        if form.is_valid():
            inputs = form.plan_inputs()
            try:
                if request.POST.get("action") == "create":
                    experiment = experiment_create(
                        user=request.user, organization_ids=organization_ids_for(request.user), base_ad_id=ad.pk,
                        variable=variable, treatment_values=form.cleaned_data["treatment_values"],
                        hypothesis=form.cleaned_data["hypothesis"], name=form.cleaned_data["name"], **inputs)
                    messages.success(request, f"Experiment “{experiment.name}” created: confirm its budget and "
                                              "generate its arms.")
                    return redirect("experiment-detail", experiment_id=experiment.pk)
                plan = experiment_plan_preview(brand=brand, arms=len(form.cleaned_data["treatment_values"]) + 1, **inputs)
                status = 200
            except ExperimentError as exc:
                for field, errors in exc.errors.items():
                    target = {"relative_mde": "relative_mde_percent", "baseline_ctr": "baseline_ctr_percent"}.get(field, field)
                    for error in errors:
                        form.add_error(target if target in form.fields else None, error)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
    context.update({"ad": ad, "variable": variable, "control_label": value_label(options, variable, control),
                    "form": form, "plan": plan, "connection": _connection(brand), "brand": brand})
    return render(request, "experiments/new.html", context, status=status)


def _arm_rows(experiment, arms, options) -> list[dict]:
    runs = {}
    for run in JobRun.objects.filter(job_id__in=[a.job_id for a in arms if a.job_id]).order_by("created_at", "id"):
        runs[run.job_id] = run
    return [{"arm": arm, "label": value_label(options, experiment.variable, arm.value), "run": runs.get(arm.job_id)}
            for arm in arms]


@login_required
@require_GET
def experiment_detail(request, experiment_id: int):
    experiment = _experiment(request, experiment_id)
    arms = arms_of(experiment)
    options = dimension_options(organization_id=experiment.brand.organization_id, brand_id=experiment.brand_id,
                                product_id=experiment.product_id)
    rows = _arm_rows(experiment, arms, options)
    days = list(experiment.days.order_by("day"))
    chart = ""
    if days:
        chart = mark_safe(prob_best_chart(  # noqa: S308 - built and escaped by experiments.charts
            [d.day for d in days], [[d.prob_best[i] for d in days] for i in range(len(arms))],
            [f"{row['arm'].key}: {row['label']}" for row in rows], max_day=SHIPPED_RULE.max_days,
            win_threshold=SHIPPED_RULE.win_threshold, futility_threshold=SHIPPED_RULE.futility_threshold))
    connection = _connection(experiment.brand)
    initial = {"relative_mde_percent": round(experiment.relative_mde * 100, 4), "power": experiment.power,
               "alpha": experiment.alpha, "planned_days": experiment.planned_days,
               "baseline_ctr_percent": (round(experiment.baseline_ctr * 100, 6)
                                        if experiment.baseline_source == "entered" else None)}
    return render(request, "experiments/detail.html", {
        "experiment": experiment, "rows": rows, "days": days, "chart": chart, "connection": connection,
        "paused_note": paused_note(experiment) if experiment.deployment.get("provider") == "graph" else "",
        "effects": [(effect, value_label(options, experiment.variable, effect.treatment_value))
                    for effect in experiment.effects.order_by("arm__position")],
        "plan_form": f.PlanForm(initial=initial),
        "mc_error": max(days[-1].mc_error) if days else None,
        "deploy_form": f.DeployForm(), "variable_label": experiment.variable.replace("_", " "),
        "hold_constant": sorted(experiment.hold_constant.items()), "measured": MEASURED, "rule": SHIPPED_RULE,
        "latest": days[-1] if days else None,
    })


def _act(request, experiment_id: int, action, success: str, prefix: str):
    experiment = _experiment(request, experiment_id)
    try:
        action(experiment)
    except ExperimentError as exc:
        _flash_errors(request, exc, prefix)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        if success:
            messages.success(request, success)
    return redirect("experiment-detail", experiment_id=experiment_id)


@login_required
@require_POST
def experiment_plan(request, experiment_id: int):
    form = f.PlanForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"Not planned — {field.replace('_', ' ')}: {error}")
        return redirect("experiment-detail", experiment_id=experiment_id)
    return _act(request, experiment_id, lambda e: experiment_replan(experiment=e, user=request.user, **form.plan_inputs()),
                "Planned again.", "Not planned — ")


@login_required
@require_POST
def experiment_confirm(request, experiment_id: int):
    shown = request.POST.get("budget_estimate") or None
    from decimal import Decimal, InvalidOperation

    try:
        figure = Decimal(shown) if shown else None
    except InvalidOperation:
        figure = None
    return _act(request, experiment_id,
                lambda e: experiment_confirm_budget(experiment=e, user=request.user, budget_estimate=figure),
                "Budget confirmed.", "Budget not confirmed — ")


@login_required
@require_POST
def experiment_generate(request, experiment_id: int):
    return _act(request, experiment_id, lambda e: experiment_generate_arms(experiment=e, user=request.user),
                "Generation jobs submitted, one per arm; check the arms when they have finished.", "Not generated — ")


@login_required
@require_POST
def experiment_check(request, experiment_id: int):
    def check(experiment):
        require_editor(user=request.user, organization_id=experiment.brand.organization_id)
        reasons = experiment_check_arms(experiment=experiment)
        if not reasons:
            messages.success(request, "Every arm is ready: the experiment can be deployed.")

    return _act(request, experiment_id, check, "", "")


@login_required
@require_POST
def experiment_deploy_view(request, experiment_id: int):
    form = f.DeployForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"Not deployed — {field.replace('_', ' ')}: {error}")
        return redirect("experiment-detail", experiment_id=experiment_id)
    return _act(request, experiment_id,
                lambda e: experiment_deploy(experiment=e, user=request.user, **form.deploy_inputs()),
                "Deployed.", "Not deployed — ")


@login_required
@require_POST
def experiment_analyse_now(request, experiment_id: int):
    experiment = _experiment(request, experiment_id)
    try:
        require_editor(user=request.user, organization_id=experiment.brand.organization_id)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("experiment-detail", experiment_id=experiment_id)
    job = job_create(organization=experiment.brand.organization, brand=experiment.brand, job_type="experiment_analysis",
                     parameters={"experiment_ids": [experiment.pk]}, created_by=request.user,
                     name=f"Analysis of {experiment.name}"[:200])
    return redirect("job-detail", job_id=job.pk)


@login_required
@require_POST
def experiment_stop_view(request, experiment_id: int):
    form = f.StopForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    return _act(request, experiment_id, lambda e: experiment_stop(experiment=e, user=request.user, reason=reason),
                "Stopped.", "Not stopped — ")


@login_required
@require_http_methods(["GET", "POST"])
def ad_evolve(request, ad_id: int):
    ad = get_object_or_404(ads_visible_to(request.user).select_related(
        "ad_run", "ad_run__brand", "ad_run__organization", "ad_run__job_run__job"), pk=ad_id)
    status = 200
    if request.method == "POST":
        form = f.EvolveForm(request.POST)
        mode = form.cleaned_data["mode"] if form.is_valid() else ""
        try:
            made = evolution_submit(ad_id=ad.pk, mode=mode, user=request.user,
                                    organization_ids=organization_ids_for(request.user))
        except ExperimentError as exc:
            _flash_errors(request, exc, "Not evolved — ")
            status = 400
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            status = 403
        else:
            messages.success(request, f"{len(made)} generation job(s) submitted; their ads join this ad's lineage.")
            return redirect("job-detail", job_id=made[0].job_id)
    evolution_record_lineage(organization_id=ad.ad_run.organization_id)
    return render(request, "experiments/evolve.html", {
        "ad": ad, "options": evolution_options(ad=ad), "lineage": lineage_of(ad_id=ad.pk),
    }, status=status)
