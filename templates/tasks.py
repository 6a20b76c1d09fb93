"""The template_element_detection job handler: thin, it calls the detection service per template."""

from __future__ import annotations

from pydantic import BaseModel, Field

from adcreator.calls.ledger import CallLedger, CallScope
from adcreator.jobs import registry
from adcreator.providers import factory
from templates import selectors
from templates.services import template_detect_elements


class DetectionParams(BaseModel):
    model_config = {"extra": "forbid"}

    # Empty: every active template of the library (and the organization's own) without detection.
    template_ids: list[int] = Field(default_factory=list, max_length=5000)
    # Re-run detection on templates that already have it (e.g. after a detector upgrade).
    force: bool = False


def run_detection(run, params: DetectionParams, progress) -> dict:
    templates = selectors.visible_templates(organization_id=run.job.organization_id).filter(is_active=True)
    if params.template_ids:
        templates = templates.filter(pk__in=params.template_ids)
    if not params.force:
        templates = templates.filter(element_detection_version__isnull=True)
    templates = list(templates.order_by("id"))
    analyzer = factory.template_analyzer()
    ledger = CallLedger(CallScope(organization_id=run.job.organization_id, job_run_id=run.pk))
    detected, failed = [], {}
    progress.update(templates_total=len(templates), templates_done=0, detector=analyzer.detection_version)
    for index, template in enumerate(templates, start=1):
        outcome = template_detect_elements(template=template, analyzer=analyzer, ledger=ledger)
        if outcome.ok:
            detected.append(template.pk)
        else:
            failed[str(template.pk)] = outcome.error
        progress.update(templates_done=index, current_template=template.name)
    result = {"detected": detected, "failed": failed}
    if templates and not detected:
        result["error"] = f"detection failed for all {len(templates)} templates"
    return result


def register() -> None:
    registry.register("template_element_detection", params_model=DetectionParams, handler=run_detection)
