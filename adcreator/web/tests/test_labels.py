import pytest

from adcreator.web.labels import humanize


@pytest.mark.parametrize("name, shown", [
    ("image_generation", "Image generation"), ("defect_scan", "Defect scan"), ("offer_variant", "Offer variant"),
    ("product_hero", "Product hero"), ("Product_Hero", "Product hero"), ("before_after", "Before / after"),
    ("ugc", "UGC"), ("Ugc", "UGC"), ("cta_button", "CTA button"), ("meta_sync", "Meta sync"),
    ("ai_status", "AI status"), ("testimonial", "Testimonial"), ("Night Serum", "Night Serum"),
    ("", ""), (None, ""),
])
def test_machine_names_read_as_words(name, shown):
    assert humanize(name) == shown
