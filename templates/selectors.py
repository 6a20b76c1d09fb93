"""Reads for template selection: the single candidate query of spec 8c and the asset tags."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast, Coalesce

from adcreator.catalog.models import BrandAsset, Product, ProductImage
from adcreator.catalog.selectors import organization_ids_for
from templates.candidates import CandidateTable
from templates.models import ProductTemplateUsage, ScrapedTemplate

_EVALUATION_FIELDS = ("d1", "d2", "d3", "d4", "d5", "d6")


def visible_templates(*, organization_id: int | None = None, organization_ids: list[int] | None = None):
    """The shared library plus the given organizations' own uploads; nothing of other tenants.

    The one scope of templates: `templates_visible_to(user)` applies it to a person."""
    ids = list(organization_ids or []) + ([organization_id] if organization_id is not None else [])
    scope = Q(organization__isnull=True)
    if ids:
        scope |= Q(organization_id__in=ids)
    return ScrapedTemplate.objects.filter(scope)


def times_used_by(organization_ids: list[int]):
    """An annotation: how many times these organizations made ads with the template.

    Usage is counted per organization (its products' usage rows), never across tenants:
    a shared library template used by another organization stays unused here. Zero, not
    NULL, for a template these organizations never used.
    """
    usage = (ProductTemplateUsage.objects
             .filter(organization_id__in=list(organization_ids), template_id=OuterRef("pk"))
             .order_by().values("template_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(usage, output_field=IntegerField()), Value(0), output_field=IntegerField())


# The candidate query's columns, in order. The JSON is fetched as text: decoding every row's
# template_elements took about three quarters of the query's time at 10k templates. Only the
# drawn rows' elements are ever decoded, and the required-asset lists once per distinct list.
CANDIDATE_FIELDS = (
    "id", "name", "image", "width", "height", "category", "industry", "awareness_level", "target_sex",
    "element_detection_version", "times_used", "is_unused", "has_detection",
    "elements_json", "required_assets_json", "belief_total",
    "evaluation__d1", "evaluation__d2", "evaluation__d3", "evaluation__d4", "evaluation__d5", "evaluation_d6",
)
_COLUMN = {name: index for index, name in enumerate(CANDIDATE_FIELDS)}
_EVALUATION_COLUMNS = tuple(_COLUMN[name] for name in CANDIDATE_FIELDS if name.startswith("evaluation"))
# The leading fields that go into a row dict unchanged.
_PLAIN_ROW_FIELDS = CANDIDATE_FIELDS[: _COLUMN["elements_json"]]


class _AsFetched(Field):
    """Output type of the candidate query's scoring expressions: Django converts nothing per row.

    The default converters (bool() of SQLite's 0/1, int() of a CASE) ran per row per field and
    took ~30% of the query's time at 10k templates on SQLite; numpy reads 0/1 and ints as they
    come, and `_candidate_row` converts the few rows that become dicts.
    """

    def get_internal_type(self) -> str:
        return "AsFetchedField"


# BeliefClarityScorer's total (8f) in SQL, so the table reads one number per row instead of six:
# D1-D5 summed, 0 when D6 says "not compliant", NULL for a template never evaluated. The tests
# hold it equal to the scorer's per-row formula over the same rows.
_BELIEF_TOTAL = Case(
    When(evaluation__isnull=True, then=Value(None)),
    When(evaluation__d6=False, then=Value(0)),
    default=F("evaluation__d1") + F("evaluation__d2") + F("evaluation__d3") + F("evaluation__d4") + F("evaluation__d5"),
    output_field=_AsFetched(),
)


def _candidate_row(record: tuple) -> dict:
    """One candidate's 8c row dict, built only for rows someone reads (the drawn ones)."""
    row = dict(zip(_PLAIN_ROW_FIELDS, record))
    # Fetched without conversion (see _AsFetched): SQLite gives 0/1 for these.
    row["is_unused"], row["has_detection"] = bool(row["is_unused"]), bool(row["has_detection"])
    elements_json = record[_COLUMN["elements_json"]]
    row["template_elements"] = json.loads(elements_json) if elements_json else {}
    evaluation = dict(zip(_EVALUATION_FIELDS, (record[index] for index in _EVALUATION_COLUMNS)))
    if evaluation["d1"] is None:  # a LEFT JOIN without a match: never evaluated
        row["evaluation"] = None
    else:
        row["evaluation"] = evaluation | {"d6": bool(evaluation["d6"])}
    return row


def template_candidates(
    *, product_id: int, organization_id: int | None, category: str | None = None, template_ids: list[int] | None = None
) -> CandidateTable:
    """Every active template with what the scorers need, in ONE query (spec 8c).

    Returned as a CandidateTable over the query's tuples: a draw reads numpy columns, and a
    row dict (the 8c keys: id, is_unused, times_used, has_detection, template_elements,
    category, awareness_level, target_sex, evaluation, plus name, image, width, height,
    industry, element_detection_version) is built only for a row that is read. Columns are
    kept once read, so every draw from these candidates (the 8h fallback steps) reuses them.

    `is_unused` is per product (usage joined by template id, spec P0-3), `times_used` counts
    the product's organization's usage only (another tenant's activity never shows), `has_detection`
    comes from `element_detection_version` (an empty `template_elements` cannot tell "never
    analysed" from "nothing found"), and the D1–D6 evaluation is joined in.
    """
    used_for_product = ProductTemplateUsage.objects.filter(template_id=OuterRef("pk"), product_id=product_id)
    qs = visible_templates(organization_id=organization_id).filter(is_active=True)
    if category:
        qs = qs.filter(category=category)
    if template_ids is not None:
        qs = qs.filter(pk__in=template_ids)
    records = list(
        qs.annotate(
            times_used=times_used_by([organization_id] if organization_id is not None else []),
            is_unused=ExpressionWrapper(~Exists(used_for_product), output_field=_AsFetched()),
            has_detection=ExpressionWrapper(Q(element_detection_version__isnull=False), output_field=_AsFetched()),
            evaluation_d6=ExpressionWrapper(F("evaluation__d6"), output_field=_AsFetched()),
            elements_json=Cast("template_elements", TextField()),
            required_assets_json=Cast(KeyTransform("required_assets", "template_elements"), TextField()),
            belief_total=_BELIEF_TOTAL,
        )
        .values_list(*CANDIDATE_FIELDS)
        .order_by("id")
    )
    return candidate_table(records)


def candidate_table(records: list[tuple]) -> CandidateTable:
    """The table over the candidate query's tuples (fields in CANDIDATE_FIELDS order)."""
    return CandidateTable.from_records(records, fields=CANDIDATE_FIELDS,
                                       row_at=lambda position: _candidate_row(records[position]))


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


def templates_visible_to(user):
    """The shared library plus the uploads of any of the user's organizations."""
    return visible_templates(organization_ids=organization_ids_for(user))


def templates_for_ids(template_ids: list[int], *, organization_id: int) -> dict[int, ScrapedTemplate]:
    """The drawn templates in one query, limited to what the organization may see."""
    rows = visible_templates(organization_id=organization_id).filter(pk__in=template_ids)
    return {row.pk: row for row in rows}


# --- the manual template grid (spec Phase 2.5) -----------------------------------------------

# The manual grid shows this many templates per "Load more".
GRID_PAGE_SIZE = 30


@dataclass(frozen=True)
class GridFilters:
    category: str = ""
    awareness_level: int | None = None
    industry: str = ""
    target_sex: str = ""

    def as_query(self) -> dict:
        return {"category": self.category, "awareness_level": self.awareness_level or "",
                "industry": self.industry, "target_sex": self.target_sex}


@dataclass
class GridPage:
    templates: list[ScrapedTemplate]
    pinned: list[ScrapedTemplate]
    offset: int
    total: int
    has_more: bool
    next_offset: int

    @property
    def remaining(self) -> int:
        return self.total - self.next_offset


def template_grid_page(*, organization_id: int, filters: GridFilters, offset: int = 0,
                       selected_ids: list[int] | None = None) -> GridPage:
    """One "Load more" page of the manual grid. Selected templates are pinned above the first
    page (whatever the filters) so changing a filter never silently drops a selection."""
    selected_ids = selected_ids or []
    active = visible_templates(organization_id=organization_id).filter(is_active=True)
    qs = active
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.awareness_level:
        qs = qs.filter(awareness_level=filters.awareness_level)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.target_sex:
        qs = qs.filter(target_sex=filters.target_sex)
    # The organization's own uploads first: they are what it came to use, not page 3 of the library.
    qs = qs.exclude(pk__in=selected_ids).order_by(F("organization_id").asc(nulls_last=True), "id")
    total = qs.count()
    page = list(qs[offset:offset + GRID_PAGE_SIZE])
    pinned = list(active.filter(pk__in=selected_ids).order_by("id")) if offset == 0 and selected_ids else []
    next_offset = offset + len(page)
    return GridPage(page, pinned, offset, total, next_offset < total, next_offset)
