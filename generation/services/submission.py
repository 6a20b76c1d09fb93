"""Use cases of generation: validate, estimate and submit ad creation jobs (spec 1, P1-2, 9b)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from pydantic import ValidationError

from adcreator.catalog.selectors import require_editor
from adcreator.catalog.models import BeliefAngle, Brand, Hook, OfferVariant, Organization, Persona, Product
from adcreator.jobs import registry
from adcreator.jobs.models import Job
from adcreator.jobs.services import job_create, job_run_enqueue
from adcreator.prompts.estimate import JobEstimate, JobPart, estimate_job, split_into_jobs
from generation.params import AdCreationParams, AdCreationRequest
from templates import selectors as template_selectors
from templates import services as template_services

JOB_TYPE = "ad_creation_v2"


class SubmissionError(ValueError):
    """Field-level errors, in the same shape as JobParametersError.errors."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


@dataclass
class Submission:
    jobs: list[Job]
    estimate: JobEstimate
    params: AdCreationParams
    parts: list[JobPart] = field(default_factory=list)
    selection: dict | None = None

    @property
    def was_split(self) -> bool:
        return len(self.jobs) > 1


def attempt_cap_for(organization: Organization) -> int:
    return organization.attempt_cap or settings.ADCREATOR_DEFAULT_ATTEMPT_CAP


def ad_creation_parse(*, parameters: dict | AdCreationRequest) -> AdCreationRequest:
    """The request every door sends, validated once (generation.params); a parsed request passes."""
    if isinstance(parameters, AdCreationRequest):
        return parameters
    try:
        return AdCreationRequest.model_validate(parameters)
    except ValidationError as exc:
        raise SubmissionError(registry.validation_errors(exc)) from exc


def _check_ownership(organization: Organization, params: AdCreationRequest) -> tuple[Brand, Product, Persona | None]:
    """Every referenced row must belong to this organization: another tenant's id is unknown."""
    errors: dict[str, list[str]] = {}
    brand = Brand.objects.filter(pk=params.brand_id, organization=organization).first()
    if brand is None:
        raise SubmissionError({"brand_id": ["no such brand in your organization"]})
    product = Product.objects.filter(pk=params.product_id, brand=brand).first()
    if product is None:
        errors["product_id"] = ["no such product for this brand"]
    persona = None
    if params.persona_id is not None:
        persona = Persona.objects.filter(pk=params.persona_id, brand=brand).first()
        if persona is None:
            errors["persona_id"] = ["no such persona for this brand"]
    if params.offer_variant_id is not None and product is not None:
        if not OfferVariant.objects.filter(pk=params.offer_variant_id, product=product).exists():
            errors["offer_variant_id"] = ["no such offer variant for this product"]
    if params.belief_angle_id is not None and not BeliefAngle.objects.filter(pk=params.belief_angle_id, brand=brand).exists():
        errors["belief_angle_id"] = ["no such belief angle for this brand"]
    if params.hook_ids:
        known = set(Hook.objects.filter(pk__in=params.hook_ids, brand=brand).values_list("pk", flat=True))
        unknown = [hid for hid in params.hook_ids if hid not in known]
        if unknown:
            errors["hook_ids"] = [f"unknown hooks for this brand: {unknown}"]
    ids = params.template_selection.template_ids
    if ids:
        visible = set(
            template_selectors.visible_templates(organization_id=organization.pk)
            .filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
        )
        unknown = [tid for tid in ids if tid not in visible]
        if unknown:
            errors["template_selection.template_ids"] = [f"unknown or inactive templates: {unknown}"]
    if errors:
        raise SubmissionError(errors)
    return brand, product, persona


def ad_creation_estimate(*, organization: Organization, params: AdCreationRequest) -> JobEstimate:
    return estimate_job(
        templates=params.template_count_hint,
        variations=len(params.effective_variations),
        sizes=len(params.sizes),
        colors=len(params.color_modes),
        cap=attempt_cap_for(organization),
    )


def ad_creation_submit(*, organization: Organization, user, parameters: dict | AdCreationRequest, name: str = "",
                       allow_split: bool = True) -> Submission:
    """Validate everything, draw the templates now (so the worker makes what was shown),
    apply the guardrails and create the job — or its sequential parts when over the cap.

    Raises SubmissionError with per-field messages; nothing is stored when it does.
    """
    require_editor(user=user, organization_id=organization.pk)
    request = ad_creation_parse(parameters=parameters)
    brand, product, persona = _check_ownership(organization, request)
    # The stored parameters are the request as validated: nothing below re-validates them.
    params = AdCreationParams.model_construct(**{name: getattr(request, name) for name in AdCreationRequest.model_fields})
    if params.genome_seed is None:  # stored, so the run's genome draws can be replayed
        params = params.model_copy(update={"genome_seed": secrets.randbits(63)})
    selection_json = None
    selection = params.template_selection
    if selection.mode != "manual" and not selection.template_ids:
        outcome = template_services.template_selection_run(
            product=product, mode=selection.mode, count=selection.count, category=selection.category,
            strictness=selection.strictness, persona=persona, awareness_stage=params.awareness_stage, seed=selection.seed,
        )
        if outcome.result.empty:
            raise SubmissionError({"template_selection": [outcome.result.reason or "no eligible templates"]})
        selection_json = outcome.as_json()
        params = params.model_copy(update={
            "template_selection": selection.model_copy(update={"template_ids": outcome.template_ids, "seed": outcome.seed})
        })
    estimate = ad_creation_estimate(organization=organization, params=params)
    cap = estimate.cap
    if estimate.tier == "over_cap" and not allow_split:
        raise SubmissionError({"__all__": [f"{estimate.attempts} attempts exceed the cap of {cap} per job"]})
    if (estimate.requires_confirmation or estimate.tier == "over_cap") and not params.confirmed:
        raise SubmissionError({"confirmed": [
            f"This will attempt ~{estimate.attempts} generations (~${estimate.total_usd} est.). Confirm to submit."]})

    with transaction.atomic():
        if estimate.tier != "over_cap":
            job = job_create(organization=organization, brand=brand, job_type=JOB_TYPE, parameters=params,
                             created_by=user, name=name or _job_name(product, params))
            return Submission(jobs=[job], estimate=estimate, params=params, selection=selection_json)
        parts = split_into_jobs(params.template_selection.template_ids, variations=params.variations,
                                sizes=params.sizes, colors=params.color_modes, cap=cap)
        jobs: list[Job] = []
        for index, part in enumerate(parts, start=1):
            part_params = params.model_copy(update={
                "template_selection": params.template_selection.model_copy(
                    update={"template_ids": list(part.template_ids)}),
                "sizes": list(part.sizes), "color_modes": list(part.colors),
                "variation_indices": list(part.variation_indices),
            })
            jobs.append(job_create(
                organization=organization, brand=brand, job_type=JOB_TYPE, parameters=part_params, created_by=user,
                name=f"{name or _job_name(product, params)} (part {index}/{len(parts)})",
                enqueue=index == 1, split_from=jobs[0] if jobs else None, split_index=index, split_total=len(parts),
            ))
    return Submission(jobs=jobs, estimate=estimate, params=params, parts=parts, selection=selection_json)


def _job_name(product: Product, params: AdCreationParams) -> str:
    templates = params.template_count_hint
    return (f"{product.name}: {templates} template{'' if templates == 1 else 's'} × {', '.join(params.sizes)} × "
            f"{', '.join(params.color_modes)}")


def ad_creation_enqueue_next_part(*, job: Job) -> Job | None:
    """Split parts run one after another: a finished part queues the next one once."""
    if job.split_total <= 1 or job.split_index >= job.split_total:
        return None
    root_id = job.split_from_id or job.pk
    next_part = Job.objects.filter(split_from_id=root_id, split_index=job.split_index + 1).first()
    if next_part is None or next_part.runs.exists():
        return None
    job_run_enqueue(job=next_part)
    return next_part
