"""Use cases of the template app: selection with the 8h fallback, usage, element detection, uploads."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field, replace

import numpy as np
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from adcreator.calls.ledger import CallLedger
from adcreator.catalog.models import Organization, Persona, Product
from adcreator.catalog.selectors import require_editor
from adcreator.catalog.services import CatalogError, checked_upload
from adcreator.prompts.elements import TemplateElements
from adcreator.providers.base import TemplateAnalysisRequest, TemplateAnalyzer
from genome.selectors import template_scores as genome_template_scores
from templates import scoring, selectors
from templates.industry_first import select_industry_first
from templates.models import ProductTemplateUsage, ScrapedTemplate, product_organization_id
from templates.selection_config import PERFORMANCE_EVIDENCE_HALF, PERFORMANCE_FULL_WEIGHT

logger = logging.getLogger(__name__)


@dataclass
class SelectionOutcome:
    """A selection and how it was reached: the seed reproduces the draw exactly."""

    result: scoring.SelectionResult
    mode: str
    seed: int
    weights: dict[str, float]
    min_asset_score: float
    category: str | None
    steps: list[dict] = field(default_factory=list)
    # Scorers left out because there was nothing to measure: name → why (shown beside the scores).
    not_measured: dict[str, str] = field(default_factory=dict)

    @property
    def template_ids(self) -> list[int]:
        return [row["id"] for row in self.result.templates]

    @property
    def industry_note(self) -> str | None:
        return self.steps[-1].get("industry") if self.steps else None

    @property
    def relaxed(self) -> bool:
        return len(self.steps) > 1

    def as_json(self) -> dict:
        return {
            "mode": self.mode,
            "seed": self.seed,
            "template_ids": self.template_ids,
            "scores": self.result.scores,
            "empty": self.result.empty,
            "reason": self.result.reason,
            "weights": self.weights,
            "min_asset_score": self.min_asset_score,
            "category": self.category,
            "steps": self.steps,
            "not_measured": self.not_measured,
        }


def selection_context(*, product: Product, persona: Persona | None, category: str | None,
                      awareness_stage: int | None, seed: int = 0) -> scoring.SelectionContext:
    persona_dict = None
    if persona is not None:
        persona_dict = {"id": persona.pk, "target_sex": persona.target_sex or None,
                        "awareness_stage": persona.awareness_stage}
    return scoring.SelectionContext(
        product_id=product.pk,
        brand_id=product.brand_id,
        product_asset_tags=selectors.product_asset_tags(product=product),
        persona=persona_dict,
        requested_category=category or None,
        awareness_stage=awareness_stage if awareness_stage is not None else (persona.awareness_stage if persona else None),
        template_scores=_template_scores(product.brand_id, seed),
        product_industry=product.industry or None,
    )


def _template_scores(brand_id: int, seed: int) -> scoring.TemplateScores:
    ids, alpha, beta, evidence = genome_template_scores(brand_id=brand_id)
    return scoring.TemplateScores(ids=np.array(ids, dtype=np.int64), alpha=np.array(alpha, dtype=float),
                                  beta=np.array(beta, dtype=float), seed=seed, evidence=evidence)


def evidence_weighted(weights: dict[str, float], evidence: int, *, mode: str) -> dict[str, float]:
    """Smart select's PerformanceScorer weight, learned (spec 8d): 0 without rewarded ads, half of
    PERFORMANCE_FULL_WEIGHT at PERFORMANCE_EVIDENCE_HALF, → full with more. Roll the dice stays random."""
    if mode != "smart_select" or "performance" in weights:  # a brand override names its own weight
        return weights
    return dict(weights, performance=PERFORMANCE_FULL_WEIGHT * evidence / (evidence + PERFORMANCE_EVIDENCE_HALF))


def _without_evidence(weights: dict[str, float], mode: str) -> dict[str, str]:
    """Without rewarded ads the performance draw is pure noise: it is not run and not shown as a
    score (the scorers themselves say when they cannot measure, e.g. industry fit)."""
    if weights.get("performance", 0) > 0:
        return {}
    return {"performance": "no rewarded ads of this brand yet" if mode == "smart_select" else "not used by this mode"}


def template_selection_run(
    *,
    product: Product,
    mode: str,
    count: int,
    category: str | None = None,
    strictness: str | None = None,
    persona: Persona | None = None,
    awareness_stage: int | None = None,
    seed: int | None = None,
) -> SelectionOutcome:
    """Draw `count` templates with the mode's weights, following the spec 8h fallback.

    The candidate query runs once (with the category filter applied to its table, so removing
    the category does not cost a second query); Premium strictness never relaxes the gate.
    """
    weights, min_asset_score = scoring.resolve_selection_config(mode, product.brand.template_selection_config or {}, strictness)
    seed = seed if seed is not None else secrets.randbits(63)
    all_candidates = selectors.template_candidates(product_id=product.pk, organization_id=product.brand.organization_id)
    base_context = selection_context(product=product, persona=persona, category=category, awareness_stage=awareness_stage,
                                     seed=seed)
    weights = evidence_weighted(weights, base_context.template_scores.evidence, mode=mode)
    without_evidence = _without_evidence(weights, mode)
    scorers = [s for s in scoring.DEFAULT_SCORERS if s.name not in without_evidence]
    steps: list[dict] = []
    result = None
    for step_min_score, step_category, label in scoring.fallback_plan(min_asset_score, category or None):
        context = replace(base_context, requested_category=step_category)
        candidates = all_candidates.filter(lambda c: c == step_category) if step_category else all_candidates
        rng = np.random.default_rng(seed)
        if mode == "smart_select":
            draw = select_industry_first(candidates, context, scorers, weights, min_asset_score=step_min_score,
                                         count=count, rng=rng)
            result, industry_note = draw.result, draw.note
        else:  # Roll the dice stays a random draw across industries
            result, industry_note = scoring.select_templates(candidates, context, scorers, weights,
                                                             min_asset_score=step_min_score, count=count, rng=rng), None
        steps.append({"step": label, "min_asset_score": step_min_score, "category": step_category,
                      "candidates_before_gate": result.candidates_before_gate,
                      "candidates_after_gate": result.candidates_after_gate, "empty": result.empty,
                      "reason": result.reason, "industry": industry_note})
        if not result.empty:
            return SelectionOutcome(result, mode, seed, weights, step_min_score, step_category, steps,
                                    without_evidence | result.not_measured)
    assert result is not None
    reasons = "; ".join(f"{s['step']}: {s['reason']}" for s in steps)
    result.reason = f"No eligible templates after {len(steps)} attempt(s) — {reasons}"
    return SelectionOutcome(result, mode, seed, weights, min_asset_score, category or None, steps,
                            without_evidence | result.not_measured)


def template_usage_record(*, product_id: int, template_ids: list[int]) -> None:
    """Remember which templates made ads for this product (feeds UnusedBonusScorer, and the
    per-organization `times_used`, which counts these rows: selectors.times_used_by)."""
    unique_ids = sorted(set(template_ids))
    if not unique_ids:
        return
    organization_id = product_organization_id(product_id)
    with transaction.atomic():  # all rows or none (bulk_create may take several statements)
        ProductTemplateUsage.objects.bulk_create(
            [ProductTemplateUsage(product_id=product_id, template_id=tid, organization_id=organization_id)
             for tid in unique_ids]
        )


@dataclass
class DetectionOutcome:
    template_id: int
    ok: bool
    detection_version: str | None = None
    error: str = ""
    not_detected: list[str] = field(default_factory=list)
    elements: TemplateElements | None = None


def template_detect_elements(*, template: ScrapedTemplate, analyzer: TemplateAnalyzer, ledger: CallLedger,
                             image: bytes | None = None, overwrite: bool = True) -> DetectionOutcome:
    """Run element detection on one template and store what it found (spec 3, 8e).

    The call goes through the ledger (retries, one row per attempt). `overwrite=False` stores
    nothing over a detection that landed meanwhile (the pipeline's runtime analysis).
    """
    try:
        if image is None:
            with template.image.open("rb") as handle:
                image = handle.read()
    except OSError as exc:
        return DetectionOutcome(template.pk, ok=False, error=f"image unreadable: {exc}")
    analysis, error = ledger.call(lambda: analyzer.analyze_template(TemplateAnalysisRequest(image=image)),
                                  purpose="template_analysis", provider=analyzer.provider_name,
                                  model=analyzer.model_name)
    if error is not None:
        logger.warning("detection failed for template %s: %s", template.pk, error)
        return DetectionOutcome(template.pk, ok=False, error=str(error))
    elements = TemplateElements.model_validate(analysis.elements.model_dump())
    if template.pk is not None:
        rows = ScrapedTemplate.objects.filter(pk=template.pk)
        if not overwrite:
            rows = rows.filter(element_detection_version__isnull=True)
        rows.update(template_elements=elements.to_json(), element_detection_version=analyzer.detection_version)
    return DetectionOutcome(template.pk, ok=True, detection_version=analyzer.detection_version,
                            not_detected=list(elements.not_detected), elements=elements)


def template_set_active(*, template_ids: list[int], active: bool) -> int:
    """Curation: take templates out of (or back into) every selection."""
    return ScrapedTemplate.objects.filter(pk__in=template_ids).update(is_active=active)


def template_detection_queue(*, organization, template_ids: list[int], force: bool = True, user=None):
    """Queue a template_element_detection job for these templates (staff curation)."""
    from adcreator.jobs.services import job_create

    return job_create(organization=organization, job_type="template_element_detection",
                      parameters={"template_ids": sorted(template_ids), "force": force}, created_by=user,
                      name=f"Element detection of {len(template_ids)} template(s)")


# ------------------------------------------------------------------ own templates (spec P1-3)
# An organization uploads a template image: it is stored as that organization's private
# template and analysed at once (an element-detection job queued in the same transaction).
# Until the job has run, a job that uses the template analyses it itself (generation's
# AnalyzeTemplate step), so it is usable from the moment it is stored — in manual choice and in
# smart select, for that organization only (selectors.visible_templates).

class TemplateUploadError(CatalogError):
    """Refused input: {field: [messages]}."""


@dataclass
class TemplateUpload:
    template: ScrapedTemplate
    detection_job: object  # adcreator.jobs.models.Job


def template_upload(*, user, organization: Organization, image, name: str, category: str, industry: str = "",
                    awareness_level: int | None = None, target_sex: str | None = None) -> TemplateUpload:
    """Store the organization's own template and queue its element detection."""
    require_editor(user=user, organization_id=organization.pk,
                   message="Your role in this organization can use templates but not upload them.")
    try:
        checked = checked_upload(image)
    except CatalogError as exc:
        raise TemplateUploadError(exc.errors) from None
    template = ScrapedTemplate(
        organization=organization, source=ScrapedTemplate.Source.UPLOADED, image=image,
        name=(name or "").strip(), category=(category or "").strip().lower(), industry=(industry or "").strip(),
        awareness_level=awareness_level, target_sex=target_sex or None, width=checked.width, height=checked.height,
    )
    errors: dict[str, list[str]] = {}
    if any("\x00" in (value or "") for value in (name, category, industry)):
        errors["name"] = ["Must not contain a NUL character."]
    try:
        template.full_clean(exclude=["image", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault("non_field_errors" if field == NON_FIELD_ERRORS else field, []).extend(messages)
    if errors:
        raise TemplateUploadError(errors)
    with transaction.atomic():
        template.save()
        job = template_detection_queue(organization=organization, template_ids=[template.pk], force=False,
                                       user=user if getattr(user, "pk", None) else None)
    return TemplateUpload(template=template, detection_job=job)
