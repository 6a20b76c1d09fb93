"""Each archetype's parts are in the rendered ad, where the layout says, on every canvas size.

The demo templates carry their archetype; the renderer reports where it drew each part and
these tests measure the pixels there (a star row has five star-coloured blobs, a tick is a
filled disc with a mark, a panel is one colour, a bubble is card-white with the words in it).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from scipy import ndimage

from adcreator.demo.render_cases import Case, case_prompt, templates
from adcreator.prompts.elements import ARCHETYPE_PARTS
from adcreator.prompts.models import CANVAS_SIZES
from adcreator.prompts import palette as pal
from adcreator.providers.local.render import RenderOutcome, render_ad_detailed
from adcreator.providers.local.archetypes.social import STAR_GOLD

ARCHETYPES = list(ARCHETYPE_PARTS)


@functools.lru_cache(maxsize=None)
def template_for(archetype: str):
    return next(t for t in templates() if t.elements.archetype == archetype)


@functools.lru_cache(maxsize=None)
def rendered(archetype: str, ratio: str) -> RenderOutcome:
    prompt, references = case_prompt(Case(template_for(archetype), ratio))
    return render_ad_detailed(prompt, references)


def crop(outcome: RenderOutcome, box) -> np.ndarray:
    return np.asarray(outcome.image.crop(box), dtype=np.float32)


def share_near(pixels: np.ndarray, colour: str, tolerance: float = 30.0) -> float:
    return float((np.linalg.norm(pixels - np.array(pal.parse_hex(colour), dtype=np.float32), axis=-1) < tolerance).mean())


def inside(inner, outer, slack: int = 1) -> bool:
    return inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack


def lines_of(outcome: RenderOutcome, role: str) -> list:
    return [line for line in outcome.lines if line.role == role]


@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
@pytest.mark.parametrize("archetype", ARCHETYPES)
def test_the_archetypes_parts_are_drawn_inside_the_canvas(archetype: str, ratio: str):
    outcome = rendered(archetype, ratio)
    width, height = outcome.image.size
    assert outcome.archetype == archetype
    assert set(ARCHETYPE_PARTS[archetype]) <= set(outcome.parts), outcome.notes
    for boxes in outcome.parts.values():
        for box in boxes:
            assert 0 <= box[0] < box[2] <= width and 0 <= box[1] < box[3] <= height
    assert outcome.product_box is not None


@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
def test_testimonial_stars_quote_and_reviewer(ratio: str):
    outcome = rendered("testimonial", ratio)
    (stars,) = outcome.parts["stars"]
    gold = share_near(crop(outcome, stars), STAR_GOLD, 40) > 0
    mask = np.linalg.norm(crop(outcome, stars) - np.array(pal.parse_hex(STAR_GOLD)), axis=-1) < 60
    blobs, count = ndimage.label(mask)
    sizes = np.bincount(blobs.ravel())[1:]
    assert gold and (sizes > 0.2 * sizes.max()).sum() == 5  # five stars, each a blob of its own
    quote_lines = lines_of(outcome, "headline")
    assert quote_lines[0].text.startswith("\u201c") and quote_lines[-1].text.endswith("\u201d")
    (quote,) = outcome.parts["quote"]
    assert all(inside(line.box, quote) for line in quote_lines)
    reviewer = lines_of(outcome, "reviewer")
    assert reviewer and reviewer[0].text.startswith("\u2014 Priya")
    assert stars[3] <= quote[1] <= reviewer[0].box[1]  # stars above the quote above the name


@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
@pytest.mark.parametrize("archetype", ["comparison", "benefits"])
def test_ticks_and_crosses_are_filled_discs_with_a_mark(archetype: str, ratio: str):
    outcome = rendered(archetype, ratio)
    kinds = ("tick", "cross") if archetype == "comparison" else ("icon",)
    for kind in kinds:
        boxes = outcome.parts[kind]
        assert len(boxes) >= 3
        for box in boxes:
            pixels = crop(outcome, box)
            h, w = pixels.shape[:2]
            ys, xs = np.mgrid[0:h, 0:w]
            ring = ((xs - w / 2) ** 2 + (ys - h / 2) ** 2 <= (0.45 * w) ** 2) & ((xs - w / 2) ** 2 + (ys - h / 2) ** 2 >= (0.38 * w) ** 2)
            fill = np.median(pixels[ring], axis=0)
            disc_share = (np.linalg.norm(pixels[ring] - fill, axis=-1) < 25).mean()
            centre = pixels[(ys - h / 2) ** 2 + (xs - w / 2) ** 2 <= (0.35 * w) ** 2]
            mark_share = (np.linalg.norm(centre - fill, axis=-1) > 80).mean()
            assert disc_share > 0.85 and 0.05 < mark_share < 0.6, (kind, box, disc_share, mark_share)
    if archetype == "comparison":
        (us,), (them,) = outcome.parts["column_us"], outcome.parts["column_them"]
        assert us[2] <= them[0] + 1  # "us" is the left column
        assert all(inside(box, us) for box in outcome.parts["tick"]) and all(inside(box, them) for box in outcome.parts["cross"])
        assert " ".join(line.text for line in lines_of(outcome, "them_label")) == "Other serums"
    else:
        for icon, benefit in zip(outcome.parts["icon"], outcome.parts["benefit"]):
            assert benefit[0] > icon[2] and icon[1] < (benefit[1] + benefit[3]) / 2 < icon[3]  # text right of its icon


@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
def test_before_and_after_are_two_labelled_panels_side_by_side(ratio: str):
    outcome = rendered("before_after", ratio)
    (before,), (after,) = outcome.parts["panel_before"], outcome.parts["panel_after"]
    assert before[2] <= after[0] and abs(before[1] - after[1]) <= 2 and abs(before[3] - after[3]) <= 2
    colours = [np.median(crop(outcome, b).reshape(-1, 3), axis=0) for b in (before, after)]
    assert np.linalg.norm(colours[0] - colours[1]) > 25  # two different panels, not one
    labels = {line.text for line in outcome.lines if line.role.startswith("label_")}
    assert labels == {"BEFORE", "AFTER"}
    assert inside(tuple(outcome.product_box), after)  # the product stands in the "after" panel
    assert any(line.role == "before_text" and inside(line.box, before) for line in outcome.lines)


@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
@pytest.mark.parametrize("archetype", ["ugc", "story"])
def test_a_post_has_an_avatar_a_handle_and_the_words_in_a_bubble(archetype: str, ratio: str):
    outcome = rendered(archetype, ratio)
    (avatar,) = outcome.parts["avatar"]
    (handle,) = outcome.parts["handle"]
    assert handle[0] > avatar[2] and avatar[1] <= (handle[1] + handle[3]) / 2 <= avatar[3]  # the name beside the face
    assert [line.text for line in lines_of(outcome, "handle")] == ["Priya"]
    bubbles = outcome.parts["comment_bubble"]
    comment = lines_of(outcome, "headline")
    assert comment and all(any(inside(line.box, bubble) for bubble in bubbles) for line in comment)
    for bubble in bubbles:
        assert share_near(crop(outcome, bubble), outcome.colors.card, 12) > 0.5
    if archetype == "story":
        (bars,) = outcome.parts["story_bars"]
        assert bars[3] <= 0.05 * outcome.image.height
        profile = crop(outcome, bars).mean(axis=(0, 2))
        ground = np.asarray(outcome.image.crop((bars[0], bars[3] + 2, bars[2], bars[3] + 8)), dtype=np.float32).mean()
        lit = profile > ground + 30
        assert (np.diff(lit.astype(int)) == 1).sum() + int(lit[0]) == 4  # four segments, lighter than the ground


@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
def test_the_offer_burst_carries_the_discount_beside_the_product(ratio: str):
    outcome = rendered("offer", ratio)
    (burst,) = outcome.parts["offer_burst"]
    assert " ".join(line.text for line in lines_of(outcome, "burst")) == "20% OFF"
    assert all(inside(line.box, burst) for line in outcome.lines if line.role.startswith("burst"))
    product = outcome.product_box
    overlap_w = max(0, min(burst[2], product[2]) - max(burst[0], product[0]))
    overlap_h = max(0, min(burst[3], product[3]) - max(burst[1], product[1]))
    assert overlap_w * overlap_h == 0  # the sticker never covers the product
    said = [line.role for line in outcome.lines if "20%" in line.text]
    assert said == ["burst"]  # and the offer is said there only


def test_a_template_without_an_archetype_falls_back_to_its_category_then_to_a_hero():
    template = template_for("benefits")
    elements = template.elements.model_copy(update={"archetype": None})
    prompt, references = case_prompt(Case(template, "1:1"))
    prompt = prompt.model_copy(update={"template_analysis": prompt.template_analysis.model_copy(update={"archetype": None})})
    assert render_ad_detailed(prompt, references).archetype == "benefits"  # from the category
    bare = prompt.template_analysis.model_copy(update={"archetype": None, "category": "lookbook"})
    outcome = render_ad_detailed(prompt.model_copy(update={"template_analysis": bare}), references)
    assert outcome.archetype == "product_hero" and any("default" in note for note in outcome.notes)
    assert elements.archetype is None


def test_missing_material_degrades_and_says_so():
    template = template_for("benefits")
    prompt, references = case_prompt(Case(template, "4:5"))
    bare = prompt.model_copy(update={"product": prompt.product.model_copy(update={"description": ""})})
    outcome = render_ad_detailed(bare, references)
    assert "icon" not in outcome.parts and any("no benefits in the product description" in note for note in outcome.notes)
    testimonial, references = case_prompt(Case(template_for("testimonial"), "1:1", source="offer_variant"))
    outcome = render_ad_detailed(testimonial, references)
    assert "stars" not in outcome.parts and any("no review is invented" in note for note in outcome.notes)
