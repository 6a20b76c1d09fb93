"""Winner evolution (spec 11): which modes apply to a winning ad, how many ads each would make
and at what cost, and the submission of a mode as ordinary generation jobs (worker-first).

Modes (spec letters): a iteration — one element changed, the element chosen by the genome's
information-gain-weighted Thompson sampling (`genome.sampling.choose_variable`, with the
causal knowledge base's grades) and its new value by the same draws; b amplification — the
adjacent awareness stages; c refresh — new surface (template of the same category, the other
colour modes, another hook of the same type) when the ad is fatiguing; d cross-size — every
size the winner has not run in; e rotation of belief angles, personas or offer variants on the
winning template; f competitive — more of the winning combination while competitors do not
use it, a counter-move (another hook type) once they copy it.

Limits, enforced here: 5 single-variable iterations per winner, 3 rounds below an ancestor.
Counted from the evolve requests, so they hold before the children's ads even exist.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import numpy as np
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from adcreator.catalog.models import Hook
from adcreator.catalog.selectors import require_editor
from adcreator.prompts.vocabulary import COLOR_MODES, SIZE_BY_CANVAS, SIZES
from experiments.creative import (
    VariationError, ad_value, base_request, dimension_options, value_label, with_value,
)
from experiments.fatigue import fatigue_check
from experiments.models_evolution import Evolution
from experiments.selectors import causal_grades_for, competitor_ads_for, evolution_of_ad
from experiments.services.errors import ExperimentError
from experiments.services.lineage import evolution_record_lineage
from experiments.vocabulary import (
    AWARENESS_STAGES, COMBINATION_DIMENSIONS, COMPETITOR_LOOKBACK_DAYS, EVOLUTION_MODES, MAX_ITERATIONS_PER_WINNER,
    MAX_ROTATIONS, MAX_ROUNDS_PER_ANCESTOR, ROTATION_DIMENSION, as_value,
)
from generation.services import SubmissionError, ad_creation_estimate, ad_creation_parse, ad_creation_submit
from genome.models import ElementScore
from genome.sampling import EVOLUTION_PRIORITY, DimensionArms, choose_variable
from genome.selectors import mapped_ad_ids, performance_days_for_ads, winner_checks_for_ads
from templates.selectors import visible_templates


class EvolutionError(ExperimentError):
    """An evolve request that is refused (not a winner, a limit reached, the mode does not apply)."""


@dataclass
class Variant:
    """One generation job of a mode."""

    request: dict
    variable: str
    from_value: str
    to_value: str  # "" when each child carries its own value (cross-size)
    label: str
    ads: int = 0
    cost_usd: Decimal = Decimal("0")


@dataclass
class ModeOption:
    mode: str
    applies: bool
    reasons: list[str]
    variants: list[Variant] = field(default_factory=list)
    blocked: str = ""   # a limit refuses it
    detail: dict = field(default_factory=dict)

    @property
    def letter(self) -> str:
        return EVOLUTION_MODES[self.mode][0]

    @property
    def title(self) -> str:
        return EVOLUTION_MODES[self.mode][1]

    @property
    def ads(self) -> int:
        return sum(v.ads for v in self.variants)

    @property
    def cost_usd(self) -> Decimal:
        return sum((v.cost_usd for v in self.variants), Decimal("0"))

    @property
    def available(self) -> bool:
        return self.applies and not self.blocked and bool(self.variants)


@dataclass
class EvolutionOptions:
    ad: object
    winner: object           # genome.winners.WinnerCheck
    round: int               # the children's round
    ancestor_id: int
    iterations_used: int
    modes: list[ModeOption]
    limit_message: str = ""

    def mode(self, name: str) -> ModeOption | None:
        return next((m for m in self.modes if m.mode == name), None)


def _ads():
    return apps.get_model("generation", "GeneratedAd")


def _seed(ad, step: int) -> int:
    """Stable per (ad, iteration step): the page shows the choice the submission will make."""
    digest = hashlib.blake2b(f"{ad.public_id}:{step}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % (2**62)


class _Context:
    """What the modes share for one ad: its request, the brand's options, scores and data."""

    def __init__(self, ad):
        self.ad = ad
        self.brand = ad.ad_run.brand
        self.organization = ad.ad_run.organization
        self.base = base_request(ad)
        self.options = dimension_options(organization_id=self.organization.pk, brand_id=self.brand.pk,
                                         product_id=ad.ad_run.product_id)
        self.scores = {(d, v): (a, b) for d, v, a, b in ElementScore.objects.filter(
            brand=self.brand, product__isnull=True).values_list("dimension", "value", "alpha", "beta")}
        self.days = performance_days_for_ads(ad_ids=[ad.pk]).get(ad.pk, [])

    def label(self, dimension: str, value: str) -> str:
        return value_label(self.options, dimension, value)

    def values(self, dimension: str) -> list[str]:
        return [o.value for o in self.options.get(dimension, []) if o.value != ""]

    def mean(self, dimension: str, value: str) -> float:
        a, b = self.scores.get((dimension, value), (1.0, 1.0))
        return a / (a + b)

    def variant(self, dimension: str, value: str, *, label: str | None = None) -> Variant:
        request = with_value(self.base, dimension, value, organization_id=self.organization.pk)
        return Variant(request=request, variable=dimension, from_value=ad_value(self.ad, dimension), to_value=value,
                       label=label or f"{dimension}: {self.label(dimension, ad_value(self.ad, dimension))} → "
                                      f"{self.label(dimension, value)}")


def _iteration(ctx: _Context, used: int) -> ModeOption:
    tried = set(Evolution.objects.filter(parent_ad=ctx.ad, mode="iteration").values_list("variable", "to_value"))
    candidates: dict[str, DimensionArms] = {}
    for dimension in EVOLUTION_PRIORITY:
        current = ad_value(ctx.ad, dimension)
        alternatives = [v for v in ctx.values(dimension) if v != current and (dimension, v) not in tried]
        if not alternatives:
            continue
        values = ([current] if current else []) + alternatives
        arms = [ctx.scores.get((dimension, v), (1.0, 1.0)) for v in values]
        candidates[dimension] = DimensionArms(current=current or None, values=values,
                                              alpha=[a for a, _ in arms], beta=[b for _, b in arms])
    if not candidates:
        return ModeOption("iteration", False, ["no element has an untried alternative for this brand"])
    seed = _seed(ctx.ad, used)
    causal = causal_grades_for(brand_id=ctx.brand.pk)
    choice = choose_variable(candidates, causal=causal, seed=seed)
    dimension = choice.dimension
    arms = candidates[dimension]
    draws = np.asarray(choice.draws[dimension])
    alternatives = [i for i, v in enumerate(arms.values) if v != (arms.current or "")]
    value = arms.values[max(alternatives, key=lambda i: draws[i])]
    detail = {"seed": seed, "dimension": dimension, "value": value, "fallback": choice.fallback,
              "causal_grades": causal, "weights": choice.weights, "lifts": choice.lifts, "scores": choice.scores}
    why = (f"changes {dimension} (information-gain-weighted Thompson draw"
           f"{', by weight: no draw showed a lift' if choice.fallback else ''}"
           f"{'; causal knowledge: ' + causal[dimension] if dimension in causal else ''})")
    return ModeOption("iteration", True, [why], [ctx.variant(dimension, value)], detail=detail)


def _amplification(ctx: _Context) -> ModeOption:
    current = ad_value(ctx.ad, "awareness_stage")
    if not current:
        return ModeOption("amplification", False, ["the ad has no awareness stage (no persona or stage was set)"])
    stage = int(current)
    stages = [s for s in (stage - 1, stage + 1) if s in AWARENESS_STAGES]
    return ModeOption("amplification", True,
                      [f"won at stage {stage} ({AWARENESS_STAGES[stage]}): versions for the adjacent stages"],
                      [ctx.variant("awareness_stage", str(s)) for s in stages])


def _refresh(ctx: _Context) -> ModeOption:
    check = fatigue_check(ctx.days)
    detail = {"frequency_at_least": check.frequency_at_least, "ctr_last_week": check.ctr_last_week,
              "ctr_previous_week": check.ctr_previous_week, "ctr_decline": check.ctr_decline}
    if not ctx.days:
        return ModeOption("refresh", False, ["no performance data: fatigue is measured on Meta delivery"], detail=detail)
    if not check.fatigued:
        return ModeOption("refresh", False, ["not fatiguing: " + "; ".join(check.reasons)], detail=detail)
    request = dict(ctx.base)
    category = ad_value(ctx.ad, "template_category")
    other = (visible_templates(organization_id=ctx.organization.pk).filter(is_active=True, category=category)
             .exclude(pk=ctx.ad.template_id).order_by("id").values_list("pk", flat=True).first())
    if other:
        request["template_selection"] = {"mode": "manual", "template_ids": [other]}
    request["color_modes"] = [mode for mode in COLOR_MODES if mode != ctx.ad.color_mode]
    if ctx.ad.hook_id:
        same_type = (Hook.objects.filter(brand=ctx.brand, is_active=True, hook_type=ad_value(ctx.ad, "hook_type"))
                     .exclude(pk=ctx.ad.hook_id).order_by("id").values_list("pk", flat=True).first())
        if same_type:
            request["hook_ids"] = [same_type]
    changed = [name for name, yes in (("template", bool(other)), ("colour palette", True),
                                      ("headline (another hook of the same type)", request["hook_ids"] != ctx.base["hook_ids"]))
               if yes]
    return ModeOption("refresh", True, check.reasons + ["same belief, hook type and CTA; new " + ", ".join(changed)],
                      [Variant(request=request, variable="", from_value="", to_value="",
                               label="fresh coat of paint: " + ", ".join(changed))], detail=detail)


def _cross_size(ctx: _Context) -> ModeOption:
    siblings = dict(_ads().objects.filter(ad_run=ctx.ad.ad_run, prompt_index=ctx.ad.prompt_index)
                    .values_list("pk", "canvas_size"))
    ran = {siblings[pk] for pk in mapped_ad_ids(ad_ids=list(siblings))} | {ctx.ad.canvas_size}
    missing = [size for size in SIZES if size.canvas not in ran]
    if not missing:
        return ModeOption("cross_size", False, ["the ad has run in every size"])
    request = dict(ctx.base, sizes=[size.ratio for size in missing])
    unrun = sorted(size for pk, size in siblings.items() if size not in ran)
    reasons = [f"sizes it has not run in: {', '.join(s.ratio for s in missing)}"]
    if unrun:
        reasons.append(f"its brief already has ads in {', '.join(SIZE_BY_CANVAS[s].ratio for s in unrun)} that never "
                       "ran; launching those costs nothing")
    return ModeOption("cross_size", True, reasons, [Variant(
        request=request, variable="canvas_size", from_value=ctx.ad.canvas_size, to_value="",
        label="sizes " + ", ".join(s.ratio for s in missing))])


def _rotation(ctx: _Context, mode: str) -> ModeOption:
    dimension = ROTATION_DIMENSION[mode]
    current = ad_value(ctx.ad, dimension)
    alternatives = sorted((v for v in ctx.values(dimension) if v != current),
                          key=lambda v: (-ctx.mean(dimension, v), int(v)))[:MAX_ROTATIONS]
    noun = dimension.removesuffix("_id").replace("_", " ")
    if not alternatives:
        return ModeOption(mode, False, [f"the brand has no other {noun}"])
    variants = []
    for value in alternatives:
        try:
            variants.append(ctx.variant(dimension, value))
        except VariationError as exc:
            return ModeOption(mode, False, [str(exc)])
    return ModeOption(mode, True, [f"the winning template with {len(variants)} other {noun}(s), best genome score first"],
                      variants)


def _competitive(ctx: _Context) -> ModeOption:
    since = timezone.localdate() - timedelta(days=COMPETITOR_LOOKBACK_DAYS)
    competitors = competitor_ads_for(brand_id=ctx.brand.pk, since=since)
    if not competitors:
        return ModeOption("competitive", False, [f"no competitor ads recorded for the brand in the last "
                                                 f"{COMPETITOR_LOOKBACK_DAYS} days (staff record them in the admin)"])
    combination = {d: ad_value(ctx.ad, d) for d in COMBINATION_DIMENSIONS if ad_value(ctx.ad, d)}
    copies = [c for c in competitors if combination and all(as_value(c.element_tags.get(d)) == v
                                                            for d, v in combination.items())]
    shown = ", ".join(f"{d} {ctx.label(d, v)}" for d, v in combination.items())
    detail = {"combination": combination, "competitor_ads": len(competitors),
              "copies": [{"competitor": c.competitor_name, "seen_at": c.seen_at.isoformat()} for c in copies]}
    hook_type = ad_value(ctx.ad, "hook_type")
    if not copies:
        hooks = list(Hook.objects.filter(brand=ctx.brand, is_active=True, hook_type=hook_type)
                     .exclude(pk=ctx.ad.hook_id).order_by("id").values_list("pk", flat=True)[:MAX_ROTATIONS])
        if not hooks:
            return ModeOption("competitive", False, [f"no competitor uses {shown}: double down — but the brand has no "
                                                     f"other {hook_type} hook to do it with (add some)"], detail=detail)
        request = dict(ctx.base, hook_ids=hooks, variations=len(hooks), content_source="hooks")
        return ModeOption("competitive", True, [f"none of {len(competitors)} competitor ads uses {shown}: double down "
                                                f"with {len(hooks)} more {hook_type} hook(s)"],
                          [Variant(request=request, variable="hook_id", from_value=as_value(ctx.ad.hook_id), to_value="",
                                   label=f"double down: {len(hooks)} more {hook_type} hook(s)")], detail=detail)
    used = Counter(as_value(competitor.element_tags.get("hook_type")) for competitor in competitors)
    others = [v for v in ctx.values("hook_type") if v != hook_type]
    if not others:
        return ModeOption("competitive", False, [f"{len(copies)} competitor ad{'' if len(copies) == 1 else 's'} copy {shown}, but the brand has no "
                                                 "other hook type to counter with"], detail=detail)
    counter = min(others, key=lambda v: (used.get(v, 0), -ctx.mean("hook_type", v), v))
    return ModeOption("competitive", True, [f"{len(copies)} competitor ad{'' if len(copies) == 1 else 's'} copy {shown}: counter with the hook type "
                                            f"they use least ({ctx.label('hook_type', counter)})"],
                      [ctx.variant("hook_type", counter)], detail=detail)


def _priced(ctx: _Context, option: ModeOption) -> ModeOption:
    """Each variant's ads and cost, from generation's own estimate; an invalid request is a reason."""
    for variant in option.variants:
        try:
            request = ad_creation_parse(parameters=variant.request)
        except SubmissionError as exc:
            option.applies = False
            option.reasons.append(f"{variant.label}: {exc}")
            continue
        estimate = ad_creation_estimate(organization=ctx.organization, params=request)
        variant.ads, variant.cost_usd = estimate.attempts, estimate.total_usd
    return option


def evolution_options(*, ad) -> EvolutionOptions:
    """The winner check, the lineage position and every mode with whether it applies, its ads and cost."""
    winner = winner_checks_for_ads(ad_ids=[ad.pk])[ad.pk]
    parent_evolution = evolution_of_ad(ad_id=ad.pk)
    parent_round = parent_evolution.round if parent_evolution else 0
    ancestor_id = parent_evolution.ancestor_ad_id if parent_evolution else ad.pk
    used = Evolution.objects.filter(parent_ad=ad, mode="iteration").count()
    child_round = parent_round + 1
    limit = ""
    if child_round > MAX_ROUNDS_PER_ANCESTOR:
        limit = (f"Round limit reached: this ad is round {parent_round} below ancestor ad #{ancestor_id}; at most "
                 f"{MAX_ROUNDS_PER_ANCESTOR} rounds are evolved from one ancestor.")
    try:
        ctx = _Context(ad)
    except VariationError as exc:
        modes = [ModeOption(mode, False, [str(exc)]) for mode in EVOLUTION_MODES]
        return EvolutionOptions(ad, winner, child_round, ancestor_id, used, modes, limit)
    builders = {
        "iteration": lambda: _iteration(ctx, used), "amplification": lambda: _amplification(ctx),
        "refresh": lambda: _refresh(ctx), "cross_size": lambda: _cross_size(ctx),
        "rotate_belief": lambda: _rotation(ctx, "rotate_belief"), "rotate_persona": lambda: _rotation(ctx, "rotate_persona"),
        "rotate_offer": lambda: _rotation(ctx, "rotate_offer"), "competitive": lambda: _competitive(ctx),
    }
    modes = []
    for mode, build in builders.items():
        try:
            option = build()
        except VariationError as exc:
            option = ModeOption(mode, False, [str(exc)])
        option = _priced(ctx, option)
        if limit:
            option.blocked = limit
        elif mode == "iteration" and used >= MAX_ITERATIONS_PER_WINNER:
            option.blocked = (f"Iteration limit reached: this winner has had {used} single-variable iterations (at most "
                              f"{MAX_ITERATIONS_PER_WINNER} per winner); evolve one of its winning children instead.")
        modes.append(option)
    return EvolutionOptions(ad, winner, child_round, ancestor_id, used, modes, limit)


def evolution_submit(*, ad_id: int, mode: str, user, organization_ids: list[int]) -> list[Evolution]:
    """Submit one mode for a winning ad: one generation job per variant, each recorded as an
    evolve request (the lineage link). All or nothing; refused with a clear reason otherwise."""
    if mode not in EVOLUTION_MODES:
        raise EvolutionError({"mode": [f"Choose one of: {', '.join(EVOLUTION_MODES)}."]})
    with transaction.atomic():
        # Locks the parent: two concurrent requests cannot both take the fifth iteration.
        ad = (_ads().objects.select_for_update(of=("self",)).filter(pk=ad_id, ad_run__organization_id__in=organization_ids)
              .select_related("ad_run", "ad_run__brand", "ad_run__organization", "ad_run__job_run__job").first())
        if ad is None:
            raise EvolutionError({"ad": ["No such ad in your organizations."]})
        require_editor(user=user, organization_id=ad.ad_run.organization_id)
        options = evolution_options(ad=ad)
        if not options.winner.qualifies:
            raise EvolutionError.whole("This ad does not meet the winner criteria: " + "; ".join(options.winner.reasons))
        option = options.mode(mode)
        if option.blocked:
            raise EvolutionError.whole(option.blocked)
        if not option.available:
            raise EvolutionError.whole(f"{option.title} does not apply: " + "; ".join(option.reasons))
        made = []
        for variant in option.variants:
            try:
                submission = ad_creation_submit(organization=ad.ad_run.organization, user=user,
                                                parameters=dict(variant.request, confirmed=True),
                                                name=f"Evolve ad #{ad.pk} · {option.title}: {variant.label}"[:200],
                                                allow_split=False)
            except SubmissionError as exc:
                raise EvolutionError(exc.errors) from None
            made.append(Evolution.objects.create(
                organization=ad.ad_run.organization, brand=ad.ad_run.brand, parent_ad=ad,
                ancestor_ad_id=options.ancestor_id, round=options.round, mode=mode, variable=variant.variable,
                from_value=variant.from_value, to_value=variant.to_value, job=submission.jobs[0],
                seed=option.detail.get("seed"), created_by=user if getattr(user, "pk", None) else None,
                detail={"label": variant.label, "reasons": option.reasons,
                        **{k: v for k, v in option.detail.items() if k != "seed"}}))
    evolution_record_lineage(organization_id=ad.ad_run.organization_id)
    return made
