"""Drawing primitives for the renderer's parts: cards, stars, ticks and crosses, bursts,
avatars, pills, story bars and a soft contact shadow. Anti-aliased by drawing a mask at a
few times the size and scaling it down; each returns the pixel box it painted.
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw, ImageFilter

from adcreator.providers.local.layout import PixelBox

SUPERSAMPLE = 3


def _mask(size: tuple[int, int], paint) -> Image.Image:
    """An "L" mask of `size` drawn by `paint(draw, factor)` at SUPERSAMPLE times the size."""
    width, height = max(1, size[0]), max(1, size[1])
    big = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
    paint(ImageDraw.Draw(big), SUPERSAMPLE)
    return big.resize((width, height), Image.LANCZOS)


def fill_mask(image: Image.Image, mask: Image.Image, colour: str, origin: tuple[int, int], opacity: float = 1.0) -> None:
    if opacity < 1.0:
        mask = mask.point(lambda v: round(v * opacity))
    image.paste(Image.new("RGB", mask.size, colour), origin, mask)


def rounded_panel(image: Image.Image, box: PixelBox, colour: str, radius: float, *, shadow: str | None = None, opacity: float = 1.0) -> PixelBox:
    """A rounded rectangle; with `shadow`, a soft shadow under it lifts it off the ground."""
    if shadow is not None:
        blur = max(4.0, 0.035 * min(box.width, box.height))
        pad = int(blur * 3)
        patch = Image.new("L", (box.width + 2 * pad, box.height + 2 * pad), 0)
        ImageDraw.Draw(patch).rounded_rectangle((pad, pad + blur * 0.6, pad + box.width, pad + box.height + blur * 0.6), radius=radius, fill=70)
        patch = patch.filter(ImageFilter.GaussianBlur(blur))
        image.paste(Image.new("RGB", patch.size, shadow), (box.x0 - pad, box.y0 - pad), patch)
    mask = _mask((box.width, box.height), lambda d, f: d.rounded_rectangle((0, 0, box.width * f - 1, box.height * f - 1), radius=radius * f, fill=255))
    fill_mask(image, mask, colour, (box.x0, box.y0), opacity)
    return box


def disc(image: Image.Image, box: PixelBox, colour: str, opacity: float = 1.0) -> PixelBox:
    mask = _mask((box.width, box.height), lambda d, f: d.ellipse((0, 0, box.width * f - 1, box.height * f - 1), fill=255))
    fill_mask(image, mask, colour, (box.x0, box.y0), opacity)
    return box


def _star_points(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for k in range(10):
        radius = outer if k % 2 == 0 else inner
        angle = math.pi / 5 * k - math.pi / 2
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def star_row(image: Image.Image, box: PixelBox, colour: str, count: int = 5, align: str = "left") -> PixelBox:
    """`count` five-point stars as tall as the box, spaced a fifth of a star apart."""
    size = box.height
    pitch = size * 1.18
    width = round(pitch * (count - 1) + size)
    if width > box.width:  # narrow box: smaller stars
        size = box.width / (1.18 * (count - 1) + 1)
        pitch, width = size * 1.18, box.width
    x0 = {"left": box.x0, "right": box.x1 - width}.get(align, box.x0 + (box.width - width) // 2)
    y0 = box.y0 + (box.height - round(size)) // 2

    def paint(draw, f):
        for index in range(count):
            cx, cy = (index * pitch + size / 2) * f, (size / 2 + size * 0.04) * f
            draw.polygon(_star_points(cx, cy, size / 2 * f, size / 4.6 * f), fill=255)

    fill_mask(image, _mask((width, round(size)), paint), colour, (round(x0), y0))
    return PixelBox(round(x0), y0, round(x0) + width, y0 + round(size))


def mark_disc(image: Image.Image, centre: tuple[float, float], radius: float, fill: str, ink: str, kind: str) -> PixelBox:
    """A round icon with a tick (`kind="tick"`) or a cross in it."""
    r = radius
    side = round(2 * r)
    x0, y0 = round(centre[0] - r), round(centre[1] - r)
    box = PixelBox(x0, y0, x0 + side, y0 + side)
    disc(image, box, fill)

    def paint(draw, f):
        width = round(r * (0.2 if kind == "tick" else 0.18) * f)
        if kind == "tick":
            points = [(r * 0.55 * f, r * 1.02 * f), (r * 0.88 * f, r * 1.35 * f), (r * 1.48 * f, r * 0.68 * f)]
            draw.line(points, fill=255, width=width, joint="curve")
            for x, y in (points[0], points[-1]):
                draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=255)
        else:
            for a, b in (((0.66, 0.66), (1.34, 1.34)), ((1.34, 0.66), (0.66, 1.34))):
                draw.line([(a[0] * r * f, a[1] * r * f), (b[0] * r * f, b[1] * r * f)], fill=255, width=width)

    fill_mask(image, _mask((side, side), paint), ink, (x0, y0))
    return box


def burst(image: Image.Image, box: PixelBox, colour: str, points: int = 16, depth: float = 0.1, rotation: float = 0.0) -> PixelBox:
    """A starburst ("sale" sticker): a circle with `points` shallow peaks around it."""
    side = min(box.width, box.height)
    x0, y0 = box.x0 + (box.width - side) // 2, box.y0 + (box.height - side) // 2

    def paint(draw, f):
        r, c = side / 2 * f, side / 2 * f
        outline = []
        for k in range(points * 2):
            radius = r if k % 2 == 0 else r * (1 - depth)
            angle = math.pi / points * k + rotation
            outline.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
        draw.polygon(outline, fill=255)

    fill_mask(image, _mask((side, side), paint), colour, (x0, y0))
    return PixelBox(x0, y0, x0 + side, y0 + side)


def story_bars(image: Image.Image, box: PixelBox, active: str, idle: str, count: int = 4) -> PixelBox:
    """The progress segments along the top of a story frame, the first one filled."""
    gap = max(4, round(box.width * 0.012))
    segment = (box.width - gap * (count - 1)) / count
    for index in range(count):
        x = box.x0 + index * (segment + gap)
        rounded_panel(image, PixelBox(round(x), box.y0, round(x + segment), box.y1), active if index == 0 else idle, box.height / 2,
                      opacity=1.0 if index == 0 else 0.55)
    return box


def contact_shadow(image: Image.Image, foot: PixelBox, colour: str, opacity: float = 0.28) -> None:
    """A soft flat ellipse under an object's foot: grounded, not floating, no slab."""
    width, height = foot.width, max(4, foot.height)
    blur = max(3.0, height * 0.35)
    pad = int(blur * 3)
    patch = Image.new("L", (width + 2 * pad, height + 2 * pad), 0)
    ImageDraw.Draw(patch).ellipse((pad, pad, pad + width, pad + height), fill=round(255 * opacity))
    patch = patch.filter(ImageFilter.GaussianBlur(blur))
    image.paste(Image.new("RGB", patch.size, colour), (foot.x0 - pad, foot.y0 - pad), patch)
