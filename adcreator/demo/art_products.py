"""Product cut-outs (transparent RGBA): bottles, jars, tubes, pouches, cans, a t-shirt.

Each drawer takes a height in pixels and a `Label` and returns a tight RGBA image, lit
from the front left so every product in a scene agrees about where the light is.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops

from adcreator.demo.art_brand import draw_leaf_mark
from adcreator.demo.art_common import (
    RGB,
    AAMask,
    cylinder_shading,
    draw_text,
    draw_tracked,
    fill_mask,
    mix,
)
from adcreator.providers.local.fonts import load_font


@dataclass(frozen=True)
class Label:
    brand: str
    title: str
    subtitle: str = ""
    note: str = ""  # volume / count line, smallest type
    ink: RGB = (30, 30, 30)
    accent: RGB = (200, 100, 60)
    leaf_mark: bool = False  # the Lumen & Leaf mark above the brand line


def _draw_label(canvas: Image.Image, box: tuple[float, float, float, float], label: Label) -> None:
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2
    y = y0 + height * 0.08
    if label.leaf_mark:
        mark = height * 0.2
        draw_leaf_mark(canvas, cx, y, mark, leaf=label.ink, sun=label.accent, vein=(244, 237, 225))
        y += mark * 1.08
    brand_font = load_font("Lato", "Bold", max(6, int(min(height * 0.075, width * 0.075))))
    draw_tracked(canvas, cx, y, label.brand.upper(), brand_font, label.accent, tracking=brand_font.size * 0.25)
    y += brand_font.size * 1.9
    _, bottom = draw_text(canvas, (x0 + width * 0.04, y, x1 - width * 0.04, y + height * 0.34), label.title.upper(),
                          label.ink, "Lato", "Black", max_size=int(height * 0.16), align="center", min_size=6)
    y = bottom + height * 0.03
    if label.subtitle:
        draw_text(canvas, (x0 + width * 0.08, y, x1 - width * 0.08, y + height * 0.14), label.subtitle,
                  label.ink, "Lato", "Regular", max_size=int(height * 0.07), align="center", min_size=6)
    if label.note:
        note_font = load_font("Lato", "Regular", max(6, int(height * 0.055)))
        draw_tracked(canvas, cx, y1 - height * 0.14, label.note, note_font, label.ink, tracking=note_font.size * 0.1)


def _shade(layer: Image.Image, box: tuple[int, int, int, int], depth: float = 0.28) -> None:
    """Darken a flat-printed region by a cylinder profile so labels wrap around the body."""
    x0, y0, x1, y1 = box
    region = layer.crop(box)
    profile = cylinder_shading(x1 - x0, y1 - y0, (255, 255, 255), depth=depth, highlight=0.0)
    shaded = ImageChops.multiply(region.convert("RGB"), profile.convert("RGB")).convert("RGBA")
    shaded.putalpha(region.getchannel("A"))
    layer.paste(shaded, (x0, y0))


def _gloss(canvas: Image.Image, box: tuple[float, float, float, float], strength: float = 0.35) -> None:
    """A thin vertical window reflection on glossy glass or plastic."""
    x0, y0, x1, y1 = box
    width = x1 - x0
    streak = AAMask(canvas.width, canvas.height)
    streak.rect((x0 + width * 0.13, y0 + (y1 - y0) * 0.04, x0 + width * 0.19, y1 - (y1 - y0) * 0.06), radius=width * 0.03)
    fill_mask(canvas, streak.mask(), (255, 255, 255), opacity=strength)


def dropper_bottle(height: int, label: Label, glass: RGB = (148, 72, 22), cap: RGB = (28, 28, 28),
                   label_paper: RGB = (244, 237, 225)) -> Image.Image:
    """Amber (or any tint) glass dropper bottle with a wrapped paper label."""
    width = int(height * 0.42)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    cx = width / 2
    body = (width * 0.02, height * 0.36, width * 0.98, height * 0.995)
    shape = AAMask(width, height).rect((body[0], height * 0.43, body[2], body[3]), radius=width * 0.1)
    shape.ellipse((body[0], body[1], body[2], height * 0.52))  # domed shoulder
    fill_mask(img, shape.mask(), cylinder_shading(width, height, glass, depth=0.55, highlight=0.35))
    # the liquid line: glass above it is lighter because nothing fills it
    empty = AAMask(width, height).ellipse((body[0], body[1], body[2], height * 0.52))
    empty.rect((body[0], height * 0.43, body[2], height * 0.47))
    fill_mask(img, empty.mask(), (255, 220, 170), opacity=0.18)
    neck = AAMask(width, height).rect((cx - width * 0.2, height * 0.31, cx + width * 0.2, height * 0.4), radius=width * 0.04)
    fill_mask(img, neck.mask(), cylinder_shading(width, height, mix(glass, (0, 0, 0), 0.15), depth=0.5))
    collar = AAMask(width, height).rect((cx - width * 0.27, height * 0.17, cx + width * 0.27, height * 0.33), radius=width * 0.035)
    fill_mask(img, collar.mask(), cylinder_shading(width, height, cap, depth=0.5, highlight=0.25))
    ribs = AAMask(width, height)
    for i in range(1, 12):
        x = cx - width * 0.27 + i * width * 0.54 / 12
        ribs.line([(x, height * 0.18), (x, height * 0.32)], width=max(1, width * 0.008))
    fill_mask(img, ribs.mask(), (0, 0, 0), opacity=0.35)
    bulb = AAMask(width, height).rect((cx - width * 0.15, height * 0.005, cx + width * 0.15, height * 0.19), radius=width * 0.15)
    bulb.rect((cx - width * 0.19, height * 0.15, cx + width * 0.19, height * 0.185), radius=width * 0.02)
    fill_mask(img, bulb.mask(), cylinder_shading(width, height, mix(cap, (60, 60, 60), 0.3), depth=0.6, highlight=0.3))
    label_box = (int(width * 0.02), int(height * 0.55), int(width * 0.98), int(height * 0.92))
    paper = AAMask(width, height).rect(label_box)
    fill_mask(img, paper.mask(), label_paper)
    _draw_label(img, (label_box[0] + width * 0.04, label_box[1], label_box[2] - width * 0.04, label_box[3]), label)
    _shade(img, label_box)
    _gloss(img, body)
    return img


def jar(height: int, label: Label, ratio: float = 1.3, lid: RGB = (31, 77, 58), body: RGB = (246, 242, 234),
        lid_share: float = 0.34, lid_width: float = 1.0, label_band: RGB | None = None) -> Image.Image:
    """A cylinder with a screw lid: cream jars, supplement tubs, pill bottles (narrow lid)."""
    width = int(height * ratio)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    cx = width / 2
    body_box = (width * 0.02, height * (lid_share - 0.02), width * 0.98, height * 0.995)
    fill_mask(img, AAMask(width, height).rect(body_box, radius=width * 0.06).mask(),
              cylinder_shading(width, height, body, depth=0.2, highlight=0.45))
    half_lid = width * 0.5 * lid_width
    lid_box = (cx - half_lid, height * 0.005, cx + half_lid, height * lid_share)
    fill_mask(img, AAMask(width, height).rect(lid_box, radius=min(width, height) * 0.03).mask(),
              cylinder_shading(width, height, lid, depth=0.5, highlight=0.3))
    rim = AAMask(width, height).rect((lid_box[0], lid_box[3] - height * 0.025, lid_box[2], lid_box[3]), radius=2)
    fill_mask(img, rim.mask(), (0, 0, 0), opacity=0.25)
    label_box = (int(width * 0.02), int(height * (lid_share + 0.06)), int(width * 0.98), int(height * 0.93))
    if label_band is not None:
        fill_mask(img, AAMask(width, height).rect(label_box).mask(), label_band)
    inset = width * (0.14 if ratio > 1 else 0.08)
    _draw_label(img, (label_box[0] + inset, label_box[1], label_box[2] - inset, label_box[3]), label)
    _shade(img, (int(body_box[0]), int(body_box[1]), int(body_box[2]), int(body_box[3])), depth=0.08)
    return img


def tube(height: int, label: Label, body: RGB = (220, 230, 217), cap: RGB = (31, 77, 58)) -> Image.Image:
    """A squeeze tube standing on its cap, crimped seal at the top."""
    width = int(height * 0.36)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    cx = width / 2
    outline = [(width * 0.02, height * 0.05), (width * 0.98, height * 0.05), (width * 0.94, height * 0.72),
               (width * 0.78, height * 0.84), (width * 0.22, height * 0.84), (width * 0.06, height * 0.72)]
    fill_mask(img, AAMask(width, height).polygon(outline).mask(), cylinder_shading(width, height, body, depth=0.38))
    crimp = AAMask(width, height).rect((0, 0, width, height * 0.065), radius=width * 0.02)
    fill_mask(img, crimp.mask(), mix(body, (0, 0, 0), 0.08))
    lines = AAMask(width, height)
    for i in range(1, 14):
        x = i * width / 14
        lines.line([(x, height * 0.008), (x, height * 0.055)], width=max(1, width * 0.006))
    fill_mask(img, lines.mask(), (0, 0, 0), opacity=0.15)
    cap_box = (cx - width * 0.3, height * 0.83, cx + width * 0.3, height * 0.995)
    fill_mask(img, AAMask(width, height).rect(cap_box, radius=width * 0.05).mask(),
              cylinder_shading(width, height, cap, depth=0.5, highlight=0.3))
    _draw_label(img, (width * 0.12, height * 0.16, width * 0.88, height * 0.7), label)
    return img


def pouch(height: int, label: Label, colour: RGB = (60, 40, 30), valve: bool = True,
          band: RGB | None = None) -> Image.Image:
    """A stand-up pouch (coffee, pet food, powders): heat-sealed top, gusseted bottom."""
    width = int(height * 0.72)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    outline = [(width * 0.04, height * 0.02), (width * 0.96, height * 0.02), (width * 0.985, height * 0.96),
               (width * 0.5, height * 0.995), (width * 0.015, height * 0.96)]
    fill_mask(img, AAMask(width, height).polygon(outline).mask(),
              cylinder_shading(width, height, colour, depth=0.35, highlight=0.18))
    seal = AAMask(width, height).rect((width * 0.04, height * 0.02, width * 0.96, height * 0.1))
    fill_mask(img, seal.mask(), (0, 0, 0), opacity=0.18)
    notch = AAMask(width, height).polygon([(width * 0.04, height * 0.1), (width * 0.07, height * 0.115), (width * 0.04, height * 0.13)])
    fill_mask(img, notch.mask(), (0, 0, 0), opacity=0.4)
    if band is not None:
        fill_mask(img, AAMask(width, height).rect((width * 0.03, height * 0.34, width * 0.97, height * 0.8)).mask(), band)
    if valve:
        ring = AAMask(width, height).ellipse((width * 0.44, height * 0.15, width * 0.56, height * 0.15 + width * 0.12))
        fill_mask(img, ring.mask(), (0, 0, 0), opacity=0.3)
    _draw_label(img, (width * 0.12, height * 0.32, width * 0.88, height * 0.86), label)
    return img


def can(height: int, label: Label, colour: RGB = (230, 90, 70)) -> Image.Image:
    """A slim drinks can: aluminium rims top and bottom, printed body."""
    width = int(height * 0.42)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    metal = (200, 202, 206)
    fill_mask(img, AAMask(width, height).rect((width * 0.08, 0, width * 0.92, height * 0.07), radius=width * 0.05).mask(),
              cylinder_shading(width, height, metal, depth=0.5, highlight=0.5))
    fill_mask(img, AAMask(width, height).rect((0, height * 0.05, width, height * 0.96), radius=width * 0.06).mask(),
              cylinder_shading(width, height, colour, depth=0.5, highlight=0.4))
    fill_mask(img, AAMask(width, height).rect((width * 0.06, height * 0.94, width * 0.94, height * 0.995), radius=width * 0.05).mask(),
              cylinder_shading(width, height, metal, depth=0.5, highlight=0.5))
    _draw_label(img, (width * 0.1, height * 0.2, width * 0.9, height * 0.85), label)
    return img


def tshirt(height: int, colour: RGB, print_text: str = "", ink: RGB = (255, 255, 255)) -> Image.Image:
    """A flat-lay crew-neck tee."""
    width = int(height * 1.05)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    w, h = width, height
    body = [(w * 0.30, h * 0.04), (w * 0.41, h * 0.02), (w * 0.5, h * 0.07), (w * 0.59, h * 0.02), (w * 0.70, h * 0.04),
            (w * 0.98, h * 0.22), (w * 0.88, h * 0.40), (w * 0.76, h * 0.34), (w * 0.77, h * 0.99),
            (w * 0.23, h * 0.99), (w * 0.24, h * 0.34), (w * 0.12, h * 0.40), (w * 0.02, h * 0.22)]
    fill_mask(img, AAMask(w, h).polygon(body).mask(), cylinder_shading(w, h, colour, depth=0.22, highlight=0.1))
    collar = AAMask(w, h).arc((w * 0.40, h * -0.05, w * 0.60, h * 0.09), 0, 180, width=h * 0.022)
    fill_mask(img, collar.mask(), mix(colour, (0, 0, 0), 0.25))
    folds = AAMask(w, h)
    folds.line([(w * 0.24, h * 0.34), (w * 0.30, h * 0.30)], width=h * 0.006)
    folds.line([(w * 0.76, h * 0.34), (w * 0.70, h * 0.30)], width=h * 0.006)
    fill_mask(img, folds.mask(), (0, 0, 0), opacity=0.18)
    if print_text:
        draw_text(img, (w * 0.33, h * 0.2, w * 0.67, h * 0.36), print_text.upper(), ink, "Roboto", "Black",
                  max_size=int(h * 0.07), align="center", valign="center")
    return img
