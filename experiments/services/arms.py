"""An experiment's arms: one ordinary generation job per arm, then the hold-constant check.

Every arm's request is the control's (`Experiment.base_parameters`) with only the variable set
to the arm's value, and the experiment's seed as the genome seed, so the arms differ in that one
element as far as the pipeline is concerned. What the ads really carry is checked afterwards
against their element tags (`experiments.checks`): a mismatch blocks deployment with a reason.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from adcreator.catalog.selectors import require_editor
from adcreator.jobs.models import Job, JobRun, RunStatus
from experiments.checks import ArmAd, hold_constant_errors
from experiments.creative import VariationError, with_value
from experiments.models import Experiment, ExperimentArm
from experiments.services.errors import ExperimentError
from experiments.services.experiments import EDITABLE, refresh_readiness
from generation.services import SubmissionError, ad_creation_submit

USABLE_STATUS = "approved"


def _ads():
    return apps.get_model("generation", "GeneratedAd")


def _latest_runs(job_ids: list[int]) -> dict[int, JobRun]:
    latest: dict[int, JobRun] = {}
    for run in JobRun.objects.filter(job_id__in=job_ids).order_by("created_at", "id"):
        latest[run.job_id] = run
    return latest


def arm_request(experiment: Experiment, arm: ExperimentArm) -> dict:
    """The generation request of one arm: the control's, with the variable set to the arm's value."""
    base = dict(experiment.base_parameters, genome_seed=experiment.seed)
    if arm.position == 0:
        return base
    return with_value(base, experiment.variable, arm.value, organization_id=experiment.brand.organization_id)


def experiment_generate_arms(*, experiment: Experiment, user) -> list[Job]:
    """Submit a generation job for every arm that has no usable ad and no job in progress; all
    or nothing. Arms already generated keep their ads (generating one again makes a new ad)."""
    require_editor(user=user, organization_id=experiment.brand.organization_id)
    if experiment.status not in EDITABLE:
        raise ExperimentError.whole("Arms can only be generated before the experiment is deployed.")
    arms = list(experiment.arms.select_related("generated_ad").order_by("position"))
    latest = _latest_runs([arm.job_id for arm in arms if arm.job_id])
    todo = []
    for arm in arms:
        run = latest.get(arm.job_id) if arm.job_id else None
        if run is not None and not run.is_finished:
            continue  # its job is still working
        if arm.generated_ad is not None and arm.generated_ad.status == USABLE_STATUS and not arm.check_errors:
            continue
        todo.append(arm)
    if not todo:
        raise ExperimentError.whole("Every arm has an approved ad or a generation job in progress.")
    jobs = []
    with transaction.atomic():
        for arm in todo:
            try:
                request = arm_request(experiment, arm)
                submission = ad_creation_submit(organization=experiment.brand.organization, user=user,
                                                parameters=request, name=f"{experiment.name} · arm {arm.key}"[:200],
                                                allow_split=False)
            except VariationError as exc:
                raise ExperimentError({f"arms.{arm.key}": [str(exc)]}) from None
            except SubmissionError as exc:
                raise ExperimentError({f"arms.{arm.key}.{field}": messages
                                       for field, messages in exc.errors.items()}) from None
            arm.job, arm.generated_ad, arm.check_errors = submission.jobs[0], None, []
            arm.save(update_fields=["job", "generated_ad", "check_errors"])
            jobs.append(submission.jobs[0])
        refresh_readiness(experiment)
    return jobs


def experiment_check_arms(*, experiment: Experiment) -> list[str]:
    """Find each arm's ad in its job, and check the set against the plan: the arm's value of the
    variable, every held dimension equal to the control's, the ad approved. Returns (and stores)
    what still blocks deployment. Idempotent; run by the page, the daily job and deployment."""
    if experiment.status not in EDITABLE:
        return list(experiment.blocking_reasons)
    arms = list(experiment.arms.select_related("job").order_by("position"))
    latest = _latest_runs([arm.job_id for arm in arms if arm.job_id])
    ads_by_job: dict[int, list] = {}
    for ad in (_ads().objects.filter(ad_run__job_run__job_id__in=[arm.job_id for arm in arms if arm.job_id])
               .select_related("ad_run__job_run").order_by("prompt_index", "canvas_size", "id")):
        ads_by_job.setdefault(ad.ad_run.job_run.job_id, []).append(ad)
    checked: list[tuple[ExperimentArm, object]] = []
    for arm in arms:
        arm.check_errors = []
        run = latest.get(arm.job_id) if arm.job_id else None
        if run is None:
            arm.generated_ad = None
            continue
        ads = ads_by_job.get(arm.job_id, [])
        approved = [ad for ad in ads if ad.status == USABLE_STATUS]
        arm.generated_ad = (approved or ads or [None])[0]
        if not run.is_finished:
            arm.generated_ad = None
            continue
        if run.status == RunStatus.FAILED and not ads:
            arm.check_errors = [f"its generation job failed ({run.error[:200] or 'no detail'}); generate it again"]
        elif arm.generated_ad is None:
            arm.check_errors = ["its generation job made no ad; generate it again"]
        elif not approved:
            arm.check_errors = [f"its ad #{arm.generated_ad.pk} is not approved (status "
                                f"{arm.generated_ad.get_status_display().lower()}); approve it or generate the arm again"]
        checked.append((arm, arm.generated_ad))
    with_ads = [(arm, ad) for arm, ad in checked if ad is not None]
    if with_ads and with_ads[0][0].position == 0:
        errors = hold_constant_errors(experiment.variable, [ArmAd(arm.key, arm.value, ad.element_tags or {})
                                                            for arm, ad in with_ads])
        for arm, _ in with_ads:
            arm.check_errors += errors.get(arm.key, [])
    with transaction.atomic():
        ExperimentArm.objects.bulk_update(arms, ["generated_ad", "check_errors"])
        return refresh_readiness(experiment)
