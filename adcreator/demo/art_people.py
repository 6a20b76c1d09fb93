"""Flat, editorial-style people: a head-and-shoulders portrait and a hand holding a product.

Deliberately stylised (no faces to get wrong): closed-eye arcs and a small smile read as
calm and friendly at thumbnail size, the way illustrated DTC ads draw people.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from adcreator.demo.art_common import RGB, AAMask, fill_mask, mix


@dataclass(frozen=True)
class PersonStyle:
    skin: RGB = (224, 172, 138)
    hair: RGB = (58, 38, 28)
    shirt: RGB = (200, 100, 60)
    hair_style: str = "long"  # long | bun | short


def portrait(width: int, height: int, style: PersonStyle) -> Image.Image:
    """Head and shoulders filling a width x height box (transparent RGBA)."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    w, h = width, height
    cx = w / 2
    head_w, head_h = w * 0.34, h * 0.36
    head_top = h * 0.14
    head = (cx - head_w / 2, head_top, cx + head_w / 2, head_top + head_h)
    shade_skin = mix(style.skin, (90, 40, 30), 0.22)
    if style.hair_style == "long":
        back = AAMask(w, h).ellipse((cx - head_w * 0.72, head_top - h * 0.04, cx + head_w * 0.72, head_top + head_h * 1.05))
        back.rect((cx - head_w * 0.72, head_top + head_h * 0.45, cx + head_w * 0.72, head_top + head_h * 1.55), radius=w * 0.08)
        fill_mask(img, back.mask(), style.hair)
    if style.hair_style == "bun":
        fill_mask(img, AAMask(w, h).ellipse((cx - head_w * 0.28, head_top - h * 0.11, cx + head_w * 0.28, head_top + h * 0.07)).mask(), style.hair)
    shoulders = AAMask(w, h).rect((w * 0.08, h * 0.6, w * 0.92, h * 1.25), radius=w * 0.2)
    neck = AAMask(w, h).rect((cx - head_w * 0.2, head_top + head_h * 0.7, cx + head_w * 0.2, h * 0.66), radius=w * 0.03)
    fill_mask(img, neck.mask(), shade_skin)
    fill_mask(img, shoulders.mask(), style.shirt)
    neckline = AAMask(w, h).ellipse((cx - head_w * 0.32, h * 0.54, cx + head_w * 0.32, h * 0.72))
    fill_mask(img, neckline.mask(), shade_skin)
    collar_cover = AAMask(w, h).rect((w * 0.08, h * 0.67, w * 0.92, h * 1.25), radius=w * 0.05)
    fill_mask(img, collar_cover.mask(), style.shirt)
    ears = AAMask(w, h)
    ears.ellipse((head[0] - head_w * 0.07, head_top + head_h * 0.42, head[0] + head_w * 0.1, head_top + head_h * 0.64))
    ears.ellipse((head[2] - head_w * 0.1, head_top + head_h * 0.42, head[2] + head_w * 0.07, head_top + head_h * 0.64))
    fill_mask(img, ears.mask(), shade_skin)
    fill_mask(img, AAMask(w, h).ellipse(head).mask(), style.skin)
    fringe = AAMask(w, h)
    if style.hair_style == "short":
        fringe.ellipse((head[0] - head_w * 0.04, head_top - h * 0.035, head[2] + head_w * 0.04, head_top + head_h * 0.45))
        fringe.rect((head[0] - head_w * 0.04, head_top + head_h * 0.1, head[0] + head_w * 0.1, head_top + head_h * 0.5), radius=w * 0.02)
    else:
        fringe.ellipse((head[0] - head_w * 0.06, head_top - h * 0.03, head[2] + head_w * 0.02, head_top + head_h * 0.42))
        fringe.ellipse((head[0] - head_w * 0.08, head_top + head_h * 0.05, head[0] + head_w * 0.22, head_top + head_h * 0.75))
    fill_mask(img, fringe.mask(), style.hair)
    face = AAMask(w, h)
    eye_y = head_top + head_h * 0.55
    for side in (-1, 1):
        ex = cx + side * head_w * 0.2
        face.arc((ex - head_w * 0.08, eye_y - head_h * 0.05, ex + head_w * 0.08, eye_y + head_h * 0.05), 20, 160, width=w * 0.008)
    face.arc((cx - head_w * 0.11, head_top + head_h * 0.66, cx + head_w * 0.11, head_top + head_h * 0.8), 25, 155, width=w * 0.009)
    fill_mask(img, face.mask(), mix(style.skin, (40, 20, 15), 0.6))
    cheeks = AAMask(w, h)
    for side in (-1, 1):
        ex = cx + side * head_w * 0.28
        cheeks.ellipse((ex - head_w * 0.08, eye_y + head_h * 0.07, ex + head_w * 0.08, eye_y + head_h * 0.15))
    fill_mask(img, cheeks.mask(), (230, 110, 100), opacity=0.35)
    return img


def hand_holding(product: Image.Image, canvas_size: int, skin: RGB = (226, 178, 146),
                 sleeve: RGB = (244, 237, 225)) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """An open palm presenting the product, thumb resting against it, forearm from the bottom right.

    The product stands on the palm so its label stays fully visible. Returns the transparent
    layer and the product's pixel box inside it.
    """
    size = canvas_size
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pw, ph = product.size
    px0, py0 = int(size * 0.44 - pw / 2), int(size * 0.08)
    floor = py0 + ph * 0.985
    under = mix(skin, (120, 60, 40), 0.28)
    arm = AAMask(size, size).polygon([(px0 + pw * 0.7, floor + ph * 0.06), (px0 + pw * 1.45, floor - ph * 0.01),
                                      (size * 0.98, size * 1.02), (size * 0.6, size * 1.02)])
    fill_mask(layer, arm.mask(), mix(skin, (120, 60, 40), 0.12))
    cuff = AAMask(size, size).polygon([(size * 0.6, size * 0.93), (size * 0.9, size * 0.86), (size * 0.99, size * 1.02), (size * 0.64, size * 1.02)])
    fill_mask(layer, cuff.mask(), sleeve)
    palm = AAMask(size, size)
    palm.rect((px0 - pw * 0.42, floor - ph * 0.03, px0 + pw * 1.5, floor + ph * 0.12), radius=ph * 0.06)
    palm.ellipse((px0 - pw * 0.5, floor - ph * 0.075, px0 - pw * 0.12, floor + ph * 0.05))  # curled fingertips
    fill_mask(layer, palm.mask(), skin)
    belly = AAMask(size, size).rect((px0 - pw * 0.3, floor + ph * 0.08, px0 + pw * 1.45, floor + ph * 0.12), radius=ph * 0.02)
    fill_mask(layer, belly.mask(), under, opacity=0.7)
    creases = AAMask(size, size)
    for index in range(3):
        x = px0 - pw * (0.32 - 0.1 * index)
        creases.line([(x, floor - ph * 0.01), (x + pw * 0.03, floor + ph * 0.045)], width=max(1, size * 0.003))
    fill_mask(layer, creases.mask(), under, opacity=0.6)
    shadow = AAMask(size, size).ellipse((px0 - pw * 0.05, floor - ph * 0.025, px0 + pw * 1.05, floor + ph * 0.02))
    fill_mask(layer, shadow.mask(), under, opacity=0.6)
    layer.alpha_composite(product, dest=(px0, py0))
    thumb_w = ph * 0.085
    base_pt = (px0 + pw * 1.12, floor + ph * 0.02)
    tip_pt = (px0 + pw * 0.9, floor - ph * 0.2)
    thumb = AAMask(size, size).line([base_pt, tip_pt], width=thumb_w)
    thumb.ellipse((tip_pt[0] - thumb_w / 2, tip_pt[1] - thumb_w / 2, tip_pt[0] + thumb_w / 2, tip_pt[1] + thumb_w / 2))
    fill_mask(layer, thumb.mask(), skin)
    nail = AAMask(size, size).ellipse((tip_pt[0] - thumb_w * 0.32, tip_pt[1] - thumb_w * 0.35, tip_pt[0] + thumb_w * 0.12, tip_pt[1] + thumb_w * 0.3))
    fill_mask(layer, nail.mask(), mix(skin, (255, 235, 225), 0.5))
    return layer, (px0, py0, px0 + pw, py0 + ph)
