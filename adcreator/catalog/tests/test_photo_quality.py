"""The measured photo quality (no database): sharp above blurred, large above small."""

from PIL import Image, ImageFilter

from adcreator.catalog.photo_quality import measure_photo_quality, sharpness_from_blur
from tests.support.catalog import bottle_photo


def test_blur_lowers_sharpness_and_a_small_photo_loses_resolution():
    sharp = measure_photo_quality(bottle_photo(1024))
    soft = measure_photo_quality(bottle_photo(1024).filter(ImageFilter.GaussianBlur(4)))
    small = measure_photo_quality(bottle_photo(256))
    assert sharp.sharpness == 1.0 and sharp.resolution == 1.0 and sharp.score == 1.0
    assert soft.sharpness < 0.4 and soft.score < sharp.score
    assert small.resolution == 0.5 and small.score <= 0.5
    assert "blur metric" in soft.describe()


def test_a_flat_image_has_nothing_sharp_and_scores_zero():
    flat = measure_photo_quality(Image.new("RGB", (800, 800), (200, 200, 200)))
    assert flat.blur is None and flat.score == 0.0
    assert sharpness_from_blur(0.1) == 1.0 and sharpness_from_blur(0.95) == 0.0


def test_the_tiers_are_the_template_apps_asset_strictness():
    from adcreator.catalog.tiers import TIERS, config_with_tier, tier_of
    from templates.selection_config import ASSET_STRICTNESS

    assert TIERS == ASSET_STRICTNESS
    config = config_with_tier({"weights": {"asset_match": 2.0}}, "growth")
    assert config == {"weights": {"asset_match": 2.0}, "min_asset_score": 0.3} and tier_of(config) == "growth"
    assert tier_of({"min_asset_score": 0.55}) is None and tier_of({}) == "default"


def test_active_run_statuses_are_the_job_systems():
    from adcreator.catalog.selectors import ACTIVE_RUN_STATUSES
    from adcreator.jobs.models import RunStatus

    assert set(ACTIVE_RUN_STATUSES) == {RunStatus.PENDING, RunStatus.RUNNING}
