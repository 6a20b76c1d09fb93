"""Drawing primitives shared by the demo art: colours, anti-aliased shapes, shading, text.

Everything works on RGBA canvases and composites with `alpha_composite`, so cut-outs keep
clean edges (pasting onto transparent black would leave dark fringes).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from adcreator.providers.local.fonts import Family, Weight, load_font

RGB = tuple[int, int, int]
PixelBox = tuple[float, float, float, float]

# Shapes are drawn this many times larger and box-filtered down: cheap anti-aliasing that
# Pillow's ImageDraw does not do by itself.
SUPERSAMPLE = 4


def rgb(hex_colour: str) -> RGB:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def hex_of(colour: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))  # type: ignore[return-value]


def new_canvas(width: int, height: int, colour: RGB = (255, 255, 255)) -> Image.Image:
    return Image.new("RGBA", (width, height), colour + (255,))


class AAMask:
    """An L mask drawn at SUPERSAMPLE scale in final-pixel coordinates, then reduced."""

    def __init__(self, width: int, height: int, scale: int | None = None):
        self.size = (max(1, int(width)), max(1, int(height)))
        area = self.size[0] * self.size[1]
        # big masks get less supersampling: edges are a smaller share of their pixels
        self.scale = scale or (SUPERSAMPLE if area <= 400_000 else 3 if area <= 1_200_000 else 2)
        scale = self.scale
        self._big = Image.new("L", (self.size[0] * scale, self.size[1] * scale), 0)
        self.draw = ImageDraw.Draw(self._big)

    def _s(self, values) -> list[float]:
        return [v * self.scale for v in values]

    def ellipse(self, box: PixelBox, value: int = 255) -> "AAMask":
        self.draw.ellipse(self._s(box), fill=value)
        return self

    def rect(self, box: PixelBox, radius: float = 0, value: int = 255) -> "AAMask":
        if radius > 0:
            self.draw.rounded_rectangle(self._s(box), radius=radius * self.scale, fill=value)
        else:
            self.draw.rectangle(self._s(box), fill=value)
        return self

    def polygon(self, points: list[tuple[float, float]], value: int = 255) -> "AAMask":
        self.draw.polygon([(x * self.scale, y * self.scale) for x, y in points], fill=value)
        return self

    def line(self, points: list[tuple[float, float]], width: float, value: int = 255) -> "AAMask":
        scaled = [(x * self.scale, y * self.scale) for x, y in points]
        self.draw.line(scaled, fill=value, width=max(1, int(width * self.scale)), joint="curve")
        return self

    def arc(self, box: PixelBox, start: float, end: float, width: float, value: int = 255) -> "AAMask":
        self.draw.arc(self._s(box), start, end, fill=value, width=max(1, int(width * self.scale)))
        return self

    def mask(self) -> Image.Image:
        return self._big.reduce(self.scale)


def fill_mask(base: Image.Image, mask: Image.Image, fill: RGB | Image.Image,
              offset: tuple[int, int] = (0, 0), opacity: float = 1.0) -> None:
    """Composite a colour or an RGB(A) image through `mask` onto `base` at `offset`."""
    if isinstance(fill, Image.Image):
        layer = fill.convert("RGBA").resize(mask.size) if fill.size != mask.size else fill.convert("RGBA")
        layer = layer.copy()
    else:
        layer = Image.new("RGBA", mask.size, tuple(fill) + (255,))
    alpha = mask if opacity >= 1.0 else mask.point([int(v * opacity) for v in range(256)])
    if isinstance(fill, Image.Image) and fill.mode == "RGBA":
        alpha = Image.fromarray((np.asarray(alpha, np.uint16) * np.asarray(layer.getchannel("A"), np.uint16) // 255).astype(np.uint8))
    layer.putalpha(alpha)
    base.alpha_composite(layer, dest=(int(offset[0]), int(offset[1])))


def shape(base: Image.Image, box: PixelBox, fill: RGB | Image.Image, kind: str = "rect",
          radius: float = 0, opacity: float = 1.0) -> None:
    """Draw one anti-aliased rectangle / rounded rectangle / ellipse in its own small mask."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    local = AAMask(x1 - x0, y1 - y0)
    if kind == "ellipse":
        local.ellipse((0, 0, x1 - x0, y1 - y0))
    else:
        local.rect((0, 0, x1 - x0, y1 - y0), radius=radius)
    fill_mask(base, local.mask(), fill, (x0, y0), opacity)


def vertical_gradient(width: int, height: int, top: RGB, bottom: RGB) -> Image.Image:
    t = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    pixels = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    return Image.fromarray(np.broadcast_to(pixels, (height, width, 3)).astype(np.uint8), "RGB").convert("RGBA")


def radial_glow(width: int, height: int, centre: tuple[float, float], radius: float,
                inner: RGB, outer: RGB) -> Image.Image:
    # computed at a quarter of the size and upscaled: the gradient is smooth, so nothing is lost
    step = 4
    small_w, small_h = max(2, width // step), max(2, height // step)
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32) * step
    distance = np.sqrt((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2) / radius
    t = np.clip(distance, 0, 1)[..., None] ** 1.5
    pixels = np.array(inner, np.float32) * (1 - t) + np.array(outer, np.float32) * t
    small = Image.fromarray(pixels.astype(np.uint8), "RGB")
    return small.resize((width, height), Image.BILINEAR).convert("RGBA")


def cylinder_shading(width: int, height: int, base: RGB, depth: float = 0.45,
                     highlight: float = 0.55, highlight_at: float = -0.5) -> Image.Image:
    """A vertical cylinder lit from the front left: darker rims, one soft specular band."""
    t = np.linspace(-1.0, 1.0, max(width, 2), dtype=np.float32)
    light = 1.0 - depth * np.abs(t) ** 2.2
    band = highlight * np.exp(-(((t - highlight_at) / 0.13) ** 2))
    rim = 0.18 * np.exp(-(((t - 0.82) / 0.06) ** 2))  # faint bounce light on the far edge
    colour = np.array(base, np.float32)[None, :] * light[:, None]
    colour = colour + (255.0 - colour) * (band + rim)[:, None]
    row = np.clip(colour, 0, 255).astype(np.uint8)[None, :width, :]
    return Image.fromarray(np.repeat(row, height, axis=0), "RGB").convert("RGBA")


def soft_shadow(base: Image.Image, box: PixelBox, blur: float, opacity: float,
                colour: RGB = (0, 0, 0), kind: str = "ellipse") -> None:
    """A blurred ellipse/rectangle under an object (contact or cast shadow)."""
    pad = int(blur * 3)
    x0, y0, x1, y1 = (int(v) for v in box)
    mask = Image.new("L", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), 0)
    draw = ImageDraw.Draw(mask)
    inner = (pad, pad, pad + x1 - x0, pad + y1 - y0)
    if kind == "ellipse":
        draw.ellipse(inner, fill=255)
    else:
        draw.rounded_rectangle(inner, radius=(y1 - y0) // 6, fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(blur))
    fill_mask(base, mask, colour, (x0 - pad, y0 - pad), opacity)


def paste_cutout(base: Image.Image, cutout: Image.Image, centre_x: float, bottom_y: float,
                 shadow: float = 0.35) -> tuple[int, int, int, int]:
    """Stand a product cut-out on a surface with a contact shadow; returns its pixel box."""
    w, h = cutout.size
    x0, y0 = int(centre_x - w / 2), int(bottom_y - h)
    if shadow > 0:
        soft_shadow(base, (x0 - w * 0.08, bottom_y - h * 0.035, x0 + w * 1.08, bottom_y + h * 0.03),
                    blur=max(4, h * 0.02), opacity=shadow)
        soft_shadow(base, (x0 + w * 0.05, bottom_y - h * 0.012, x0 + w * 0.95, bottom_y + h * 0.01),
                    blur=max(2, h * 0.006), opacity=shadow)
    base.alpha_composite(cutout, dest=(x0, y0))
    return x0, y0, x0 + w, y0 + h


def fractal_noise(width: int, height: int, rng: np.random.Generator, octaves: int = 4,
                  base_cells: int = 4) -> np.ndarray:
    """Smooth value noise in [0, 1] from bicubically upscaled random grids."""
    total = np.zeros((height, width), np.float32)
    amplitude, weight = 1.0, 0.0
    for octave in range(octaves):
        cells = base_cells * 2 ** octave
        grid = rng.random((cells + 1, cells + 1)).astype(np.float32)
        layer = Image.fromarray(grid, "F").resize((width, height), Image.BICUBIC)
        total += amplitude * np.asarray(layer)
        weight += amplitude
        amplitude *= 0.5
    total /= weight
    return (total - total.min()) / max(1e-6, float(total.max() - total.min()))


def marble(width: int, height: int, seed: int, light: RGB = (246, 244, 240),
           vein: RGB = (168, 164, 160)) -> Image.Image:
    rng = np.random.default_rng(seed)
    noise = fractal_noise(width, height, rng, octaves=5, base_cells=3)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    phase = (xs * 0.9 + ys * 0.45) / max(width, height) * 9.0 + noise * 7.5
    veins = np.abs(np.sin(phase)) ** 0.22  # near zero only on thin lines
    strength = (1 - veins)[..., None] * 0.55 + (noise[..., None] - 0.5) * 0.1
    strength = np.clip(strength, 0, 1)
    pixels = np.array(light, np.float32) * (1 - strength) + np.array(vein, np.float32) * strength
    return Image.fromarray(pixels.astype(np.uint8), "RGB").convert("RGBA")


# ---- text -----------------------------------------------------------------------------


def wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if current and font.getlength(candidate) > max_width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


LINE_HEIGHT = 1.18  # of the font size; tight enough for display type, loose enough for body


def fit_text(text: str, width: float, height: float, family: Family, weight: Weight,
             max_size: int, min_size: int = 12) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    size = max_size
    while True:
        font = load_font(family, weight, size)
        lines = wrap(text, font, width)
        fits_width = all(font.getlength(line) <= width for line in lines)
        if (fits_width and len(lines) * size * LINE_HEIGHT <= height) or size <= min_size:
            return font, lines
        size = max(min_size, int(size * 0.93))


def draw_text(base: Image.Image, box: PixelBox, text: str, colour: RGB, family: Family = "Lato",
              weight: Weight = "Bold", max_size: int = 80, align: str = "left",
              valign: str = "top", min_size: int = 12) -> tuple[int, float]:
    """Fit `text` inside `box` (wrapping, shrinking), draw it; returns (font size, bottom y)."""
    x0, y0, x1, y1 = box
    font, lines = fit_text(text, x1 - x0, y1 - y0, family, weight, max_size, min_size)
    size = font.size
    block = len(lines) * size * LINE_HEIGHT
    top = y0 if valign == "top" else y0 + (y1 - y0 - block) / 2 if valign == "center" else y1 - block
    draw = ImageDraw.Draw(base)
    for index, line in enumerate(lines):
        line_width = font.getlength(line)
        x = x0 if align == "left" else x1 - line_width if align == "right" else (x0 + x1 - line_width) / 2
        draw.text((x, top + index * size * LINE_HEIGHT), line, font=font, fill=colour + (255,))
    return size, top + block


def draw_tracked(base: Image.Image, centre_x: float, top: float, text: str,
                 font: ImageFont.FreeTypeFont, colour: RGB, tracking: float) -> float:
    """Letter-spaced caps (labels, wordmarks), centred on `centre_x`; returns the width."""
    widths = [font.getlength(ch) for ch in text]
    total = sum(widths) + tracking * (len(text) - 1)
    x = centre_x - total / 2
    draw = ImageDraw.Draw(base)
    for ch, w in zip(text, widths):
        draw.text((x, top), ch, font=font, fill=colour + (255,))
        x += w + tracking
    return total


def ring(base: Image.Image, box: PixelBox, colour: RGB, width: float, opacity: float = 1.0) -> None:
    """An anti-aliased circle outline drawn in its own small mask."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    local = AAMask(x1 - x0 + 2, y1 - y0 + 2).arc((1, 1, x1 - x0, y1 - y0), 0, 360, width=width)
    fill_mask(base, local.mask(), colour, (x0 - 1, y0 - 1), opacity)
