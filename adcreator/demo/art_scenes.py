"""Product photography, drawn: packshot, bathroom-shelf lifestyle, texture close-ups, hand shot."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageFilter

from adcreator.demo.art_brand import leaf_points
from adcreator.demo.art_common import (
    RGB,
    AAMask,
    cylinder_shading,
    fill_mask,
    marble,
    mix,
    paste_cutout,
    radial_glow,
    ring,
    shape,
    soft_shadow,
    vertical_gradient,
)
from adcreator.demo.art_people import hand_holding

PHOTO_SIZE = 1024  # product photos are square, like most catalog uploads


def fit_height(cutout: Image.Image, height: int) -> Image.Image:
    scale = height / cutout.height
    return cutout.resize((max(1, int(cutout.width * scale)), height), Image.LANCZOS)


def fit_within(cutout: Image.Image, width: float, height: float) -> Image.Image:
    scale = min(width / cutout.width, height / cutout.height)
    return cutout.resize((max(1, int(cutout.width * scale)), max(1, int(cutout.height * scale))), Image.LANCZOS)


def packshot(cutout: Image.Image, tint: RGB = (247, 243, 236)) -> Image.Image:
    """Studio sweep: light seamless background, floor tone, contact shadow, faint reflection."""
    size = PHOTO_SIZE
    canvas = radial_glow(size, size, (size * 0.5, size * 0.42), size * 0.9, (255, 253, 250), tint)
    floor = vertical_gradient(size, int(size * 0.3), mix(tint, (0, 0, 0), 0.03), mix(tint, (0, 0, 0), 0.08))
    floor_mask = Image.linear_gradient("L").resize((size, int(size * 0.3))).point(lambda v: min(255, v * 3))
    fill_mask(canvas, floor_mask, floor, (0, int(size * 0.7)))
    product = fit_within(cutout, size * 0.62, size * 0.66)
    bottom = size * 0.84
    reflection = product.transpose(Image.FLIP_TOP_BOTTOM).crop((0, 0, product.width, int(product.height * 0.25)))
    fade = Image.linear_gradient("L").rotate(180).resize(reflection.size).point(lambda v: int(v * 0.16))
    fill_mask(canvas, fade, reflection.convert("RGB"), (int(size / 2 - product.width / 2), int(bottom)))
    paste_cutout(canvas, product, size / 2, bottom, shadow=0.35)
    return canvas.convert("RGB")


def draw_plant(canvas: Image.Image, base_x: float, base_y: float, scale: float, seed: int,
               pot: RGB | None = (200, 100, 59)) -> None:
    """A potted leafy plant: terracotta pot, fan of leaves in two greens."""
    rng = np.random.default_rng(seed)
    leaves = AAMask(canvas.width, canvas.height)
    dark = AAMask(canvas.width, canvas.height)
    for index in range(15):
        angle = -75 + 150 * index / 14 + float(rng.normal(0, 6))
        length = scale * (0.55 + 0.35 * math.cos(math.radians(angle)) + float(rng.uniform(-0.06, 0.06)))
        target = leaves if index % 2 else dark
        target.polygon(leaf_points((base_x, base_y - scale * 0.25), length, length * 0.34, angle))
    fill_mask(canvas, dark.mask(), (52, 96, 66))
    fill_mask(canvas, leaves.mask(), (84, 130, 88))
    if pot is None:
        return
    pot_w, pot_h = scale * 0.5, scale * 0.42
    body = AAMask(canvas.width, canvas.height).polygon([
        (base_x - pot_w / 2, base_y - pot_h), (base_x + pot_w / 2, base_y - pot_h),
        (base_x + pot_w * 0.38, base_y), (base_x - pot_w * 0.38, base_y)])
    shading = cylinder_shading(canvas.width, canvas.height, pot, depth=0.3, highlight=0.1,
                               highlight_at=(base_x - pot_w * 0.2) / canvas.width * 2 - 1)
    fill_mask(canvas, body.mask(), shading)
    rim = AAMask(canvas.width, canvas.height).rect((base_x - pot_w * 0.54, base_y - pot_h - scale * 0.02,
                                                    base_x + pot_w * 0.54, base_y - pot_h + scale * 0.07), radius=scale * 0.015)
    fill_mask(canvas, rim.mask(), mix(pot, (255, 255, 255), 0.08))


def lifestyle(main: Image.Image, companion: Image.Image | None, seed: int,
              wall: RGB = (214, 223, 210)) -> Image.Image:
    """Bathroom shelf: painted wall with window light, marble counter, plant, soft cast shadows."""
    size = PHOTO_SIZE
    canvas = vertical_gradient(size, size, mix(wall, (255, 255, 255), 0.25), wall)
    light = Image.new("L", (size, size), 0)
    window = AAMask(size, size)
    for offset in (0.0, 0.26):  # two window panes thrown on the wall
        x = size * (0.3 + offset)
        window.polygon([(x, 0), (x + size * 0.2, 0), (x + size * 0.55, size * 0.7), (x + size * 0.35, size * 0.7)])
    light = window.mask().filter(ImageFilter.GaussianBlur(size * 0.02))
    fill_mask(canvas, light, (255, 250, 238), opacity=0.35)
    counter_top = int(size * 0.7)
    counter = marble(size, size - counter_top, seed)
    canvas.alpha_composite(counter, dest=(0, counter_top))
    edge = AAMask(size, size).rect((0, counter_top - 2, size, counter_top + 4))
    fill_mask(canvas, edge.mask(), (255, 255, 255), opacity=0.6)
    draw_plant(canvas, size * 0.2, counter_top + size * 0.08, size * 0.42, seed)
    # a blurred plant in the foreground corner gives the frame depth of field
    near = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw_plant(near, size * 0.98, size * 1.15, size * 0.7, seed + 1, pot=None)
    canvas.alpha_composite(near.filter(ImageFilter.GaussianBlur(size * 0.012)))
    bottom = counter_top + size * 0.13
    if companion is not None:
        side = fit_height(companion, int(size * 0.2))
        left = size * 0.3
        soft_shadow(canvas, (left, bottom - size * 0.06, left + side.width * 1.6, bottom - size * 0.01), size * 0.02, 0.22)
        paste_cutout(canvas, side, left + side.width / 2, bottom - size * 0.035)
    product = fit_within(main, size * 0.42, size * 0.5)
    cast = (size * 0.6, bottom - size * 0.04, size * 0.6 + product.width * 1.9, bottom + size * 0.025)
    soft_shadow(canvas, cast, size * 0.02, 0.22)
    paste_cutout(canvas, product, size * 0.66, bottom)
    return canvas.convert("RGB")


def _drop_shape(mask: AAMask, cx: float, cy: float, radius: float) -> None:
    mask.ellipse((cx - radius, cy - radius, cx + radius, cy + radius))
    mask.polygon([(cx - radius * 0.82, cy - radius * 0.55), (cx, cy - radius * 2.3), (cx + radius * 0.82, cy - radius * 0.55)])


def texture_serum(seed: int, amber: RGB = (196, 112, 40)) -> Image.Image:
    """Golden serum droplets on glass, one large drop in focus."""
    size = PHOTO_SIZE
    rng = np.random.default_rng(seed)
    canvas = radial_glow(size, size, (size * 0.45, size * 0.4), size * 0.95, (250, 226, 190), (214, 150, 92))
    for index in range(26):
        cx, cy = rng.uniform(0, size, 2)
        radius = float(rng.uniform(size * 0.01, size * 0.045))
        soft_shadow(canvas, (cx - radius, cy - radius * 0.4, cx + radius * 1.2, cy + radius * 1.2), radius * 0.3, 0.18, (120, 60, 20))
        shape(canvas, (cx - radius, cy - radius * 0.9, cx + radius, cy + radius * 0.9),
              mix(amber, (255, 200, 120), float(rng.uniform(0.1, 0.5))), kind="ellipse", opacity=0.85)
        shape(canvas, (cx - radius * 0.5, cy - radius * 0.6, cx - radius * 0.1, cy - radius * 0.3), (255, 255, 255),
              kind="ellipse", opacity=0.8)
    big = AAMask(size, size)
    cx, cy, radius = size * 0.52, size * 0.6, size * 0.17
    _drop_shape(big, cx, cy, radius)
    soft_shadow(canvas, (cx - radius * 0.9, cy + radius * 0.5, cx + radius * 1.3, cy + radius * 1.3), radius * 0.2, 0.3, (110, 50, 10))
    body = radial_glow(size, size, (cx + radius * 0.2, cy + radius * 0.3), radius * 1.6, (255, 190, 90), (150, 70, 15))
    fill_mask(canvas, big.mask(), body)
    shine = AAMask(size, size).ellipse((cx - radius * 0.6, cy - radius * 0.55, cx - radius * 0.15, cy - radius * 0.05))
    fill_mask(canvas, shine.mask().filter(ImageFilter.GaussianBlur(4)), (255, 255, 255), opacity=0.85)
    return canvas.convert("RGB")


def texture_cream(seed: int, cream: RGB = (250, 245, 236), ground: RGB = (214, 178, 150)) -> Image.Image:
    """A swirl of whipped cream seen from above: a coil of overlapping, shaded dabs."""
    size = PHOTO_SIZE
    rng = np.random.default_rng(seed)
    canvas = radial_glow(size, size, (size * 0.4, size * 0.35), size * 0.9, mix(ground, (255, 255, 255), 0.35), ground)
    cx, cy = size * 0.5, size * 0.52
    soft_shadow(canvas, (cx - size * 0.4, cy - size * 0.3, cx + size * 0.44, cy + size * 0.4), size * 0.03, 0.25, (110, 70, 45))
    steps = 360
    for step in range(steps):
        t = step / steps
        angle = t * math.pi * 2 * 3.2
        reach = size * 0.33 * (1 - t) ** 0.9
        x = cx + math.cos(angle) * reach
        y = cy + math.sin(angle) * reach * 0.85
        width = size * (0.07 * (1 - t) + 0.02) * (1 + 0.05 * float(rng.normal()))
        # a darker underside offset down-right reads as the fold between coils
        shape(canvas, (x - width * 0.85, y - width * 0.7, x + width * 1.15, y + width * 1.3),
              mix(cream, (170, 140, 115), 0.55), kind="ellipse", opacity=0.5)
        tone = mix(cream, (226, 210, 192), 0.5 + 0.5 * math.sin(angle + 2.2))
        shape(canvas, (x - width, y - width, x + width, y + width), tone, kind="ellipse")
        shape(canvas, (x - width * 0.6, y - width * 0.7, x + width * 0.3, y - width * 0.1), (255, 255, 255),
              kind="ellipse", opacity=0.55)
    return canvas.filter(ImageFilter.GaussianBlur(1.0)).convert("RGB")


def texture_foam(seed: int, ground: RGB = (176, 200, 180)) -> Image.Image:
    """Cleanser lather: clustered bubbles, bigger towards the middle."""
    size = PHOTO_SIZE
    rng = np.random.default_rng(seed)
    canvas = radial_glow(size, size, (size * 0.5, size * 0.5), size * 0.75, (250, 252, 248), ground)
    for _ in range(520):
        cx, cy = rng.normal(size * 0.5, size * 0.2, 2)
        centrality = math.exp(-(((cx - size / 2) ** 2 + (cy - size / 2) ** 2) / (2 * (size * 0.25) ** 2)))
        radius = float(size * (0.008 + 0.05 * centrality * rng.uniform(0.3, 1.0)))
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        shape(canvas, box, (255, 255, 255), kind="ellipse", opacity=0.75)
        shape(canvas, box, (255, 255, 255), kind="ellipse", opacity=0.8)
        ring(canvas, box, (132, 160, 140), width=max(1.5, radius * 0.1), opacity=0.75)
        shape(canvas, (cx - radius * 0.55, cy - radius * 0.6, cx - radius * 0.2, cy - radius * 0.3), (255, 255, 255), kind="ellipse")
    return canvas.convert("RGB")


def hand_shot(cutout: Image.Image, background: RGB = (232, 196, 170)) -> Image.Image:
    """A hand holding the product up against a warm seamless backdrop."""
    size = PHOTO_SIZE
    canvas = radial_glow(size, size, (size * 0.45, size * 0.35), size, mix(background, (255, 255, 255), 0.45), background)
    product = fit_height(cutout, int(size * 0.68))
    layer, _ = hand_holding(product, size)
    shadow = layer.getchannel("A").filter(ImageFilter.GaussianBlur(size * 0.02))
    fill_mask(canvas, shadow, (90, 50, 30), (int(size * 0.04), int(size * 0.02)), opacity=0.25)
    canvas.alpha_composite(layer)
    return canvas.convert("RGB")
