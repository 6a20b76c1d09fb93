import pytest
from pydantic import ValidationError

from generation.params import AdCreationParams

BASE = {"brand_id": 1, "product_id": 2, "template_selection": {"mode": "manual", "template_ids": [5]}}


def make(**over):
    return AdCreationParams.model_validate({**BASE, "sizes": ["1:1"], "color_modes": ["original"], **over})


def test_sizes_and_colours_are_deduplicated_in_request_order():
    p = make(sizes=["4:5", "1:1", "4:5"], color_modes=["brand", "original", "brand"])
    assert p.sizes == ["4:5", "1:1"]
    assert p.color_modes == ["brand", "original"]
    assert p.canvas_sizes == ["1080x1350", "1080x1080"]


def test_legacy_scalar_and_pixel_forms_are_normalised():
    p = AdCreationParams.model_validate({**BASE, "canvas_size": "1080x1920", "color_mode": "complementary"})
    assert p.sizes == ["9:16"] and p.color_modes == ["complementary"]
    p = make(sizes="1:1, 16:9", color_modes="Original,BRAND")
    assert p.sizes == ["1:1", "16:9"] and p.color_modes == ["original", "brand"]


@pytest.mark.parametrize("field,value", [
    ("sizes", ["2:3"]), ("sizes", []), ("color_modes", ["sepia"]), ("variations", 0), ("variations", 11),
    ("awareness_stage", 6), ("brand_id", 0),
])
def test_invalid_values_name_their_field(field, value):
    with pytest.raises(ValidationError) as excinfo:
        make(**{field: value})
    assert any(err["loc"][0] == field for err in excinfo.value.errors())


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        make(sizez=["1:1"])


def test_manual_selection_needs_ids_and_category_all_means_none():
    with pytest.raises(ValidationError, match="manual selection"):
        AdCreationParams.model_validate({**BASE, "template_selection": {"mode": "manual"}, "sizes": ["1:1"],
                                         "color_modes": ["brand"]})
    p = make(template_selection={"mode": "roll_the_dice", "count": 4, "category": "All"})
    assert p.template_selection.category is None and p.template_count_hint == 4


def test_attempts_count_templates_variations_sizes_colours():
    p = make(template_selection={"mode": "manual", "template_ids": [1, 2, 2, 3]}, variations=2,
             sizes=["1:1", "4:5"], color_modes=["original", "brand", "complementary"])
    assert p.template_selection.template_ids == [1, 2, 3]
    assert p.attempts == 3 * 2 * 2 * 3


def test_content_sources_need_their_inputs():
    with pytest.raises(ValidationError, match="offer_variant_id"):
        make(content_source="offer_variant")
    with pytest.raises(ValidationError, match="belief_angle_id"):
        make(content_source="belief_first")


def test_prompt_index_budget_is_enforced():
    with pytest.raises(ValidationError, match="at most 100"):
        make(template_selection={"mode": "manual", "template_ids": list(range(1, 21))}, variations=3,
             color_modes=["original", "brand"])
