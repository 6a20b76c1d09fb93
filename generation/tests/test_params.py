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


def test_only_the_documented_spellings_are_accepted():
    # One contract: scalar fields, pixel sizes, comma-separated strings and other casings are
    # refused with a field error rather than guessed at (the product has no older payloads).
    for legacy in ({"canvas_size": "1080x1920"}, {"color_mode": "complementary"}):
        with pytest.raises(ValidationError) as excinfo:
            AdCreationParams.model_validate({**BASE, "sizes": ["1:1"], "color_modes": ["original"], **legacy})
        assert [err["loc"] for err in excinfo.value.errors()] == [tuple(legacy)]
    for field, value in (("sizes", "1:1, 16:9"), ("sizes", ["1080x1350"]), ("color_modes", ["BRAND"])):
        with pytest.raises(ValidationError) as excinfo:
            make(**{field: value})
        assert excinfo.value.errors()[0]["loc"][0] == field


def test_json_types_are_strict():
    for field, value in (("variations", "2"), ("variations", True), ("brand_id", 1.0), ("confirmed", "yes")):
        with pytest.raises(ValidationError) as excinfo:
            make(**{field: value})
        assert excinfo.value.errors()[0]["loc"] == (field,)


def test_ids_and_seeds_are_within_the_database_range():
    for over in ({"brand_id": 2**63}, {"template_selection": {"mode": "manual", "template_ids": [2**63]}},
                 {"template_selection": {"mode": "roll_the_dice", "seed": -1}}):
        with pytest.raises(ValidationError):
            make(**over)


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
