"""The demo art, assembled: Lumen & Leaf's product photos and brand assets, and the templates.

Everything is drawn with Pillow at run time from fixed seeds, so the same pixels come out on
every machine and nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from adcreator.catalog.photo_quality import measure_photo_quality
from adcreator.demo.art_brand import CREAM, DEEP_GREEN, TERRACOTTA, draw_badge, draw_logo
from adcreator.demo.art_layout import DemoTemplate
from adcreator.demo.art_products import Label, dropper_bottle, jar, tube
from adcreator.demo.art_scenes import hand_shot, lifestyle, packshot, texture_cream, texture_foam, texture_serum
from adcreator.demo.art_templates_a import TEMPLATES_A
from adcreator.demo.art_templates_b import TEMPLATES_B

ProductImage = tuple[str, Image.Image, list[str], float]


def _label(title: str, subtitle: str, note: str) -> Label:
    return Label("Lumen & Leaf", title, subtitle, note, ink=DEEP_GREEN, accent=TERRACOTTA, leaf_mark=True)


def serum_cutout() -> Image.Image:
    return dropper_bottle(900, _label("Night Repair Serum", "with bakuchiol", "30 ml · 1 fl oz"))


def moisturizer_cutout() -> Image.Image:
    return jar(520, _label("Daily Glow Moisturizer", "", "50 ml · 1.7 fl oz"), body=CREAM)


def cleanser_cutout() -> Image.Image:
    return tube(900, _label("Gentle Foam Cleanser", "", "150 ml · 5 fl oz"))


def _shots(slug: str) -> list[tuple[str, Callable[[], Image.Image], list[str]]]:
    if slug == "night-repair-serum":
        cutout = serum_cutout()
        return [
            ("night-repair-serum-packshot.png", lambda: packshot(cutout), ["product", "packshot"]),
            ("night-repair-serum-shelf.png", lambda: lifestyle(cutout, moisturizer_cutout(), seed=11), ["product", "lifestyle"]),
            ("night-repair-serum-drop.png", lambda: texture_serum(seed=12), ["texture"]),
            ("night-repair-serum-in-hand.png", lambda: hand_shot(cutout), ["product", "hand"]),
        ]
    if slug == "daily-glow-moisturizer":
        cutout = moisturizer_cutout()
        return [
            ("daily-glow-moisturizer-packshot.png", lambda: packshot(cutout, tint=(244, 238, 228)), ["product", "packshot"]),
            ("daily-glow-moisturizer-shelf.png", lambda: lifestyle(cutout, None, seed=21, wall=(232, 218, 204)), ["product", "lifestyle"]),
            ("daily-glow-moisturizer-swirl.png", lambda: texture_cream(seed=22), ["texture"]),
        ]
    if slug == "gentle-foam-cleanser":
        cutout = cleanser_cutout()
        return [
            ("gentle-foam-cleanser-packshot.png", lambda: packshot(cutout, tint=(236, 242, 234)), ["product", "packshot"]),
            ("gentle-foam-cleanser-shelf.png", lambda: lifestyle(cutout, serum_cutout(), seed=31, wall=(222, 228, 232)), ["product", "lifestyle"]),
            ("gentle-foam-cleanser-lather.png", lambda: texture_foam(seed=32), ["texture"]),
        ]
    raise KeyError(f"no demo product {slug!r}")


def product_images(product_slug: str) -> list[ProductImage]:
    """(filename, RGB image, asset tags, measured quality) for each photo of one product."""
    result = []
    for filename, render, tags in _shots(product_slug):
        image = render()
        # The same measure an upload gets (catalog.photo_quality), so demo photos rank as real ones.
        result.append((filename, image, tags, measure_photo_quality(image).score))
    return result


def brand_assets() -> list[tuple[str, str, Image.Image]]:
    """(asset_type, filename, RGBA image): asset types use the ASSET_TAGS words."""
    return [("logo", "lumen-and-leaf-logo.png", draw_logo(512)),
            ("badge", "dermatologist-tested-badge.png", draw_badge(512))]


def templates() -> list[DemoTemplate]:
    return [build() for build in TEMPLATES_A + TEMPLATES_B]
