"""Batch-size guardrails and cost estimates shown before a job is submitted (spec P1-2, 9b).

The cap counts *attempts* (image-model calls), not approvals: attempts = T × V × S × C.
Money is `Decimal` so cost lines add up exactly; the line subtotals keep sub-cent precision
(a defect scan costs a fifth of a cent) and only the total is rounded, half-up, to cents.
Pure: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import product
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Spec P1-2 / section 1: default 50 attempts per job, configurable per organisation.
DEFAULT_ATTEMPT_CAP = 50
# UI tiers from the spec's Phase 5 checklist: up to 10 needs nothing, 11–30 shows the estimate,
# 31–cap needs a confirmation checkbox, over the cap is blocked (or split).
SMALL_TIER_MAX = 10
ESTIMATE_TIER_MAX = 30
# Spec 6a: stage 3 runs only on borderline stage-2 results; 30% is our planning assumption.
DEFAULT_SECOND_OPINION_RATE = 0.3

_CENT = Decimal("0.01")

Tier = Literal["small", "estimate", "confirm", "over_cap"]
Purpose = Literal["image_generation", "defect_scan", "rubric_review", "second_opinion", "text_call"]
TemplateKey = int | str


class CostTable(BaseModel):
    """Price per call in USD. Every default is an assumption to check against the provider's
    price page and override per deployment:
    - image_generation 0.039: Gemini 2.5 Flash Image list price for one ~1024px image
      (1290 output tokens at $30 per million) when this was written. The spec's own example
      ("~45 generations, ~$0.90") implies about $0.02 per attempt all-in, an older figure.
    - defect_scan 0.002, rubric_review 0.005, second_opinion 0.005: the spec's section 6a figures.
    - text_call 0.001: one short Flash-class text call (the congruence check of one hook).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    image_generation: Decimal = Field(default=Decimal("0.039"), ge=0)
    defect_scan: Decimal = Field(default=Decimal("0.002"), ge=0)
    rubric_review: Decimal = Field(default=Decimal("0.005"), ge=0)
    second_opinion: Decimal = Field(default=Decimal("0.005"), ge=0)
    text_call: Decimal = Field(default=Decimal("0.001"), ge=0)


class CostLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    purpose: Purpose
    # Expected number of calls; fractional for the conditional second opinion.
    calls: Decimal
    unit_price_usd: Decimal
    subtotal_usd: Decimal


class JobEstimate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    attempts: int
    cap: int
    lines: list[CostLine]
    total_usd: Decimal  # rounded half-up to cents
    tier: Tier
    requires_confirmation: bool
    blocked: bool
    message: str


def attempt_count(templates: int, variations: int, sizes: int, colors: int) -> int:
    """Image-model calls a job makes: templates × variations × sizes × colour modes."""
    counts = {"templates": templates, "variations": variations, "sizes": sizes, "colors": colors}
    for name, count in counts.items():
        if count < 0:
            raise ValueError(f"{name} must not be negative")
    return templates * variations * sizes * colors


def tier_for(attempts: int, *, cap: int = DEFAULT_ATTEMPT_CAP) -> Tier:
    # The cap wins over the fixed tiers, so an organisation with a cap below 31 never sees
    # "confirm" and one below 11 goes straight from "small" to "over_cap".
    if attempts > cap:
        return "over_cap"
    if attempts <= SMALL_TIER_MAX:
        return "small"
    if attempts <= ESTIMATE_TIER_MAX:
        return "estimate"
    return "confirm"


def estimate_job(
    *,
    templates: int,
    variations: int,
    sizes: int,
    colors: int,
    prices: CostTable | None = None,
    second_opinion_rate: float = DEFAULT_SECOND_OPINION_RATE,
    cap: int = DEFAULT_ATTEMPT_CAP,
) -> JobEstimate:
    """Attempts, expected cost per purpose and the guardrail tier for one job.

    Every attempt is assumed to get a defect scan and a rubric review: the defect scan skips
    the review for some rejects, but an estimate shown before spending should not
    under-promise. Text calls are one congruence check per hook, i.e. per template ×
    variation, because a hook is checked once and then rendered at every size and colour.
    Retries of rejected ads are not included; they are extra attempts the run records.
    """
    if not 0.0 <= second_opinion_rate <= 1.0:
        raise ValueError("second_opinion_rate must be within [0, 1]")
    if cap < 1:
        raise ValueError("cap must be at least 1")
    prices = prices or CostTable()
    attempts = attempt_count(templates, variations, sizes, colors)
    hooks = Decimal(templates * variations) if attempts else Decimal(0)
    per_attempt = Decimal(attempts)
    expected_calls: dict[Purpose, Decimal] = {
        "image_generation": per_attempt,
        "defect_scan": per_attempt,
        "rubric_review": per_attempt,
        "second_opinion": per_attempt * Decimal(str(second_opinion_rate)),
        "text_call": hooks,
    }
    lines = [
        CostLine(
            purpose=purpose,
            calls=calls,
            unit_price_usd=getattr(prices, purpose),
            subtotal_usd=calls * getattr(prices, purpose),
        )
        for purpose, calls in expected_calls.items()
    ]
    total = sum((line.subtotal_usd for line in lines), Decimal(0)).quantize(_CENT, rounding=ROUND_HALF_UP)
    tier = tier_for(attempts, cap=cap)
    return JobEstimate(
        attempts=attempts,
        cap=cap,
        lines=lines,
        total_usd=total,
        tier=tier,
        requires_confirmation=tier == "confirm",
        blocked=tier == "over_cap",
        message=_message(attempts, total, tier, cap),
    )


def _message(attempts: int, total: Decimal, tier: Tier, cap: int) -> str:
    message = f"This will attempt ~{attempts} generations (~${total} est.)"
    if tier == "confirm":
        return message + "; confirm to submit."
    if tier == "over_cap":
        return message + f"; over the cap of {cap} attempts per job: reduce the selection or split it."
    return message + "."


# ---------------------------------------------------------------------------- splitting


class JobPart(BaseModel):
    """One sequential job: every combination of its templates, variations, sizes and colours."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    template_ids: list[TemplateKey]
    variation_indices: list[int]  # 1-based, out of the original job's variation count
    sizes: list[str]
    colors: list[str]

    @property
    def attempts(self) -> int:
        return len(self.template_ids) * len(self.variation_indices) * len(self.sizes) * len(self.colors)

    def attempt_keys(self) -> Iterator[tuple[TemplateKey, int, str, str]]:
        return product(self.template_ids, self.variation_indices, self.sizes, self.colors)


def split_into_jobs(
    template_ids: Sequence[TemplateKey],
    *,
    variations: int,
    sizes: Sequence[str],
    colors: Sequence[str],
    cap: int = DEFAULT_ATTEMPT_CAP,
) -> list[JobPart]:
    """Split a selection into parts of at most `cap` attempts that together cover every
    (template, variation, size, colour) exactly once.

    Templates are packed whole while one template fits under the cap. A template that alone
    exceeds the cap gets parts of its own, split by sizes, then colours, then variations,
    so every part stays a plain cross product. The part count is then not always the
    minimum (templates are not mixed across parts), which keeps each part easy to read.
    """
    if cap < 1:
        raise ValueError("cap must be at least 1")
    if variations < 0:
        raise ValueError("variations must not be negative")
    for name, values in (("template_ids", template_ids), ("sizes", sizes), ("colors", colors)):
        if len(set(values)) != len(values):
            raise ValueError(f"{name} has duplicates; each would be attempted twice")
    variation_indices = list(range(1, variations + 1))
    if not (template_ids and variation_indices and sizes and colors):
        return []

    per_template = len(variation_indices) * len(sizes) * len(colors)
    if per_template <= cap:
        return [
            JobPart(
                template_ids=chunk, variation_indices=variation_indices, sizes=list(sizes), colors=list(colors)
            )
            for chunk in _chunks(list(template_ids), cap // per_template)
        ]
    parts: list[JobPart] = []
    for template_id in template_ids:
        parts += _split_one_template(template_id, variation_indices, list(sizes), list(colors), cap)
    return parts


def _split_one_template(
    template_id: TemplateKey, variation_indices: list[int], sizes: list[str], colors: list[str], cap: int
) -> list[JobPart]:
    def part(part_sizes: list[str], part_colors: list[str], part_variations: list[int]) -> JobPart:
        return JobPart(
            template_ids=[template_id], variation_indices=part_variations, sizes=part_sizes, colors=part_colors
        )

    per_size = len(variation_indices) * len(colors)
    if per_size <= cap:
        return [part(chunk, colors, variation_indices) for chunk in _chunks(sizes, cap // per_size)]
    parts: list[JobPart] = []
    for size in sizes:
        if len(variation_indices) <= cap:
            colors_per_part = cap // len(variation_indices)
            parts += [part([size], chunk, variation_indices) for chunk in _chunks(colors, colors_per_part)]
            continue
        for color in colors:
            parts += [part([size], [color], chunk) for chunk in _chunks(variation_indices, cap)]
    return parts


def _chunks(values: list, size: int) -> list[list]:
    return [values[start : start + size] for start in range(0, len(values), size)]
