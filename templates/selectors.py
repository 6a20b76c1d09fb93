"""Reads for template selection: the single candidate query of spec 8c and the asset tags."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from adcreator.catalog.models import BrandAsset, Product, ProductImage
from templates.candidates import CandidateTable
from templates.models import ProductTemplateUsage, ScrapedTemplate

_EVALUATION_FIELDS = ("d1", "d2", "d3", "d4", "d5", "d6")


def visible_templates(*, organization_id: int | None = None, organization_ids: list[int] | None = None):
    """The shared library plus the given organizations' own uploads; nothing of other tenants."""
    ids = list(organization_ids or []) + ([organization_id] if organization_id is not None else [])
    scope = Q(organization__isnull=True)
    if ids:
        scope |= Q(organization_id__in=ids)
    return ScrapedTemplate.objects.filter(scope)


def template_candidates(
    *, product_id: int, organization_id: int | None, category: str | None = None, template_ids: list[int] | None = None
) -> CandidateTable:
    """Every active template with what the scorers need, in ONE query (spec 8c).

    Returned as a CandidateTable, a read-only sequence of the row dicts whose columns are read
    on first use and kept, so every draw from these candidates (the 8h fallback steps) reuses
    them, and a mode that needs few fields (Roll the dice) reads only those.

    `is_unused` is per product (usage joined by template id, spec P0-3), `has_detection`
    comes from `element_detection_version` (an empty `template_elements` cannot tell "never
    analysed" from "nothing found"), and the D1–D6 evaluation is joined in.
    """
    used_for_product = ProductTemplateUsage.objects.filter(template_id=OuterRef("pk"), product_id=product_id)
    qs = visible_templates(organization_id=organization_id).filter(is_active=True)
    if category:
        qs = qs.filter(category=category)
    if template_ids is not None:
        qs = qs.filter(pk__in=template_ids)
    rows = (
        qs.annotate(is_used=Exists(used_for_product))
        .values(
            "id", "name", "image", "width", "height", "category", "industry", "awareness_level", "target_sex",
            "template_elements", "element_detection_version", "times_used", "is_used",
            *(f"evaluation__{field}" for field in _EVALUATION_FIELDS),
        )
        .order_by("id")
    )
    candidates = []
    for row in rows:
        evaluation = None
        if row["evaluation__d1"] is not None:
            evaluation = {field: row.pop(f"evaluation__{field}") for field in _EVALUATION_FIELDS}
        else:
            for field in _EVALUATION_FIELDS:
                row.pop(f"evaluation__{field}")
        row["evaluation"] = evaluation
        row["is_unused"] = not row.pop("is_used")
        row["has_detection"] = row["element_detection_version"] is not None
        row["template_elements"] = row["template_elements"] or {}
        candidates.append(row)
    return CandidateTable.from_rows(candidates, read_now=False)


def product_asset_tags(*, product: Product) -> set[str]:
    """Tags of the product's images plus the brand's logo/badge assets (two queries, always)."""
    tags: set[str] = set()
    for image_tags in ProductImage.objects.filter(product_id=product.pk).values_list("asset_tags", flat=True):
        tags.update(image_tags or [])
    for asset_type in BrandAsset.objects.filter(brand_id=product.brand_id).values_list("asset_type", flat=True).distinct():
        # logo_dark counts as a logo; the vocabulary word is the part before the underscore.
        tags.add(asset_type.split("_", 1)[0])
    return tags


def template_filter_options(*, organization_id: int | None) -> dict[str, list]:
    """Distinct values for the manual grid's filters."""
    qs = visible_templates(organization_id=organization_id).filter(is_active=True)
    return {
        "categories": sorted(set(qs.values_list("category", flat=True))),
        "industries": sorted(set(filter(None, qs.values_list("industry", flat=True)))),
        "awareness_levels": sorted(set(filter(None, qs.values_list("awareness_level", flat=True)))),
        "target_sexes": sorted(set(filter(None, qs.values_list("target_sex", flat=True)))),
    }
