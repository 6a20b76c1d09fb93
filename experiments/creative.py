"""An ad as a generation request, and that request with one element changed.

Experiments (every arm) and winner evolution (every child) make their ads through ordinary
generation jobs. The request that reproduces an existing ad is `base_request(ad)`: its
template, size, colour mode, hook, persona, offer variant, belief angle, content source and
awareness stage, one variation. `with_value(...)` changes one element dimension of it —
which request fields that takes is decided here, once:

| dimension | request change |
| hook_type | the first active hook of that type (content source "hooks") |
| belief_angle_id / persona_id / offer_variant_id | that id ("" = none) |
| awareness_stage | that stage (always explicit, so a persona change does not move it) |
| color_mode | that colour mode |
| canvas_size | that size |
| template_id | that template |
| visual_style / template_category | another visible template with that value, preferring one that keeps the other template dimension |

Reads the catalog and the template library; writes nothing.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Q

from adcreator.catalog.models import BeliefAngle, Hook, OfferVariant, Persona
from adcreator.prompts.vocabulary import COLOR_MODE_SPECS, SIZE_BY_CANVAS, SIZES
from experiments.vocabulary import AWARENESS_STAGES, TESTABLE_DIMENSIONS, as_value
from generation.pipeline.ad_prompts import visual_style_of
from templates.selectors import visible_templates


class VariationError(ValueError):
    """The requested value cannot be made into a request (no such hook type, no such template …)."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def base_request(ad) -> dict:
    """The AdCreationRequest (as JSON) that makes this ad again: one template, size, colour, hook."""
    tags = ad.element_tags or {}
    job = getattr(getattr(ad.ad_run, "job_run", None), "job", None)
    stored = (job.parameters if job is not None else {}) or {}
    size = SIZE_BY_CANVAS.get(ad.canvas_size)
    if ad.template_id is None or size is None:
        raise VariationError(f"ad {ad.pk} has no template or an unknown size; it cannot be made again")
    content_source = tags.get("content_source") or stored.get("content_source") or "hooks"

    def tag_id(name: str) -> int | None:
        value = tags.get(name, stored.get(name))
        return int(value) if value not in (None, "") else None

    awareness = tags.get("awareness_stage")
    return {
        "brand_id": ad.ad_run.brand_id, "product_id": ad.ad_run.product_id,
        "template_selection": {"mode": "manual", "template_ids": [ad.template_id]},
        "sizes": [size.ratio], "color_modes": [ad.color_mode], "content_source": content_source,
        "hook_ids": [ad.hook_id] if ad.hook_id and content_source == "hooks" else [],
        "persona_id": tag_id("persona_id"), "offer_variant_id": tag_id("offer_variant_id"),
        "belief_angle_id": tag_id("belief_angle_id"),
        "awareness_stage": int(awareness) if awareness not in (None, "") else None,
        "variations": 1, "confirmed": True,
    }


def template_visual_style(category: str, archetype: str | None, detected: bool) -> str:
    """A template row's visual style, by the pipeline's own definition (visual_style_of)."""
    elements = SimpleNamespace(archetype=archetype) if detected else None
    return visual_style_of(SimpleNamespace(elements=elements, category=category))


def _templates(organization_id: int) -> list[tuple[int, str, str, str]]:
    """(id, name, category, visual style) of the active templates this organization may use."""
    rows = (visible_templates(organization_id=organization_id).filter(is_active=True).order_by("id")
            .values_list("id", "name", "category", "template_elements__archetype", "element_detection_version"))
    return [(tid, name, category, template_visual_style(category, archetype, version is not None))
            for tid, name, category, archetype, version in rows]


def _hooks(brand_id: int, product_id: int):
    return (Hook.objects.filter(Q(product__isnull=True) | Q(product_id=product_id), brand_id=brand_id, is_active=True)
            .order_by("id"))


def dimension_options(*, organization_id: int, brand_id: int, product_id: int) -> dict[str, list[Option]]:
    """The values each testable dimension can take for this brand and product (labels for pages)."""
    hook_types = dict(Hook.HookType.choices)
    templates = _templates(organization_id)
    options: dict[str, list[Option]] = {
        "hook_type": [Option(t, hook_types.get(t, t)) for t in
                      dict.fromkeys(_hooks(brand_id, product_id).values_list("hook_type", flat=True))],
        "belief_angle_id": [Option(str(pk), name) for pk, name in
                            BeliefAngle.objects.filter(brand_id=brand_id).order_by("id").values_list("id", "name")],
        "persona_id": [Option(str(pk), name) for pk, name in
                       Persona.objects.filter(brand_id=brand_id).order_by("id").values_list("id", "name")],
        "offer_variant_id": [Option(str(pk), name) for pk, name in
                             OfferVariant.objects.filter(product_id=product_id).order_by("id").values_list("id", "name")],
        "color_mode": [Option(spec.value, spec.name) for spec in COLOR_MODE_SPECS],
        "canvas_size": [Option(size.canvas, f"{size.ratio} ({size.width}×{size.height})") for size in SIZES],
        "awareness_stage": [Option(str(stage), f"{stage} · {name}") for stage, name in AWARENESS_STAGES.items()],
        "template_id": [Option(str(tid), f"{name} (#{tid})") for tid, name, _, _ in templates],
        "template_category": [Option(c, c) for c in sorted({category for _, _, category, _ in templates})],
        "visual_style": [Option(s, s) for s in sorted({style for _, _, _, style in templates})],
    }
    assert set(options) == set(TESTABLE_DIMENSIONS), "every testable dimension needs its options"
    for dimension in ("persona_id", "belief_angle_id", "offer_variant_id", "awareness_stage"):
        options[dimension].insert(0, Option("", "none"))
    return options


def value_label(options: dict[str, list[Option]], dimension: str, value: str) -> str:
    for option in options.get(dimension, []):
        if option.value == value:
            return option.label
    return value or "none"


def with_value(base: dict, dimension: str, value: str, *, organization_id: int) -> dict:
    """`base` with one element dimension set to `value` (a string, "" = none); everything else held."""
    if dimension not in TESTABLE_DIMENSIONS:
        raise VariationError(f"{dimension!r} is not an element dimension that can be varied")
    request = deepcopy(base)
    brand_id, product_id = request["brand_id"], request["product_id"]
    if dimension == "hook_type":
        hook = _hooks(brand_id, product_id).filter(hook_type=value).first()
        if hook is None:
            raise VariationError(f"the brand has no active hook of type {value!r}")
        request.update(content_source="hooks", hook_ids=[hook.pk])
    elif dimension in ("belief_angle_id", "persona_id", "offer_variant_id", "awareness_stage"):
        if value and not value.isdigit():
            raise VariationError(f"{dimension} takes an id, not {value!r}")
        request[dimension] = int(value) if value else None
        source_needs = {"belief_angle_id": "belief_first", "offer_variant_id": "offer_variant"}
        if not value and request.get("content_source") == source_needs.get(dimension):
            raise VariationError(f"the control's copy comes from its {dimension.removesuffix('_id').replace('_', ' ')}; "
                                 "it cannot be left out")
    elif dimension == "color_mode":
        request["color_modes"] = [value]
    elif dimension == "canvas_size":
        size = SIZE_BY_CANVAS.get(value)
        if size is None:
            raise VariationError(f"unknown canvas size {value!r}")
        request["sizes"] = [size.ratio]
    elif dimension == "template_id":
        if not value.isdigit():
            raise VariationError(f"template_id takes an id, not {value!r}")
        request["template_selection"] = {"mode": "manual", "template_ids": [int(value)]}
    else:  # visual_style / template_category: another template
        request["template_selection"] = {"mode": "manual", "template_ids": [
            _template_with(base, dimension, value, organization_id=organization_id)]}
    return request


def _template_with(base: dict, dimension: str, value: str, *, organization_id: int) -> int:
    templates = _templates(organization_id)
    current_id = base["template_selection"]["template_ids"][0]
    current = next((t for t in templates if t[0] == current_id), None)
    index = {"template_category": 2, "visual_style": 3}
    other = "visual_style" if dimension == "template_category" else "template_category"
    matching = [t for t in templates if t[index[dimension]] == value]
    if not matching:
        raise VariationError(f"no active template has {dimension} {value!r}")
    if current is not None:  # keep the other template dimension when a template allows it
        matching.sort(key=lambda t: (t[index[other]] != current[index[other]], t[0]))
    return matching[0][0]


def ad_value(ad, dimension: str) -> str:
    return as_value((ad.element_tags or {}).get(dimension))
