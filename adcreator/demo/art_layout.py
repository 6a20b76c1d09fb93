"""A layout recorder for drawn ad templates: every element drawn is also written down.

The ground truth (`TemplateElements`) comes from the same fractional boxes the drawing
used, so the seed data's layout is exact rather than detected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageChops

from adcreator.demo.art_common import (
    LINE_HEIGHT,
    RGB,
    AAMask,
    draw_text,
    fill_mask,
    hex_of,
    mix,
    paste_cutout,
    shape,
)
from adcreator.demo.art_people import PersonStyle, portrait
from adcreator.demo.art_scenes import fit_within
from adcreator.prompts.elements import Archetype, Region, TemplateElements, TemplatePart, TextArea
from adcreator.providers.local.fonts import Family, Weight

FracBox = tuple[float, float, float, float]
DETECTOR = "seed-layout"
# Average Lato/Roboto glyph advance is about half the font size; used to turn a box and
# the size its text was set at into a character budget.
AVERAGE_GLYPH_WIDTH = 0.52


@dataclass(frozen=True)
class TemplateMetadata:
    name: str
    category: str
    industry: str
    niche: str
    awareness_level: int  # 1 unaware .. 5 most aware
    target_sex: str | None  # female | male | unisex | None (not targeted)


@dataclass(frozen=True)
class DemoTemplate:
    image: Image.Image
    filename: str
    metadata: TemplateMetadata
    elements: TemplateElements
    # D1-D5 belief-clarity scores (0-3) and D6 compliance (bool); None = not evaluated yet.
    evaluation: dict[str, int | bool] | None


def evaluation(d1: int, d2: int, d3: int, d4: int, d5: int, d6: bool = True) -> dict[str, int | bool]:
    return {"d1": d1, "d2": d2, "d3": d3, "d4": d4, "d5": d5, "d6": d6}


class Layout:
    def __init__(self, width: int, height: int, background: RGB):
        self.width, self.height = width, height
        self.background = background
        self.canvas = Image.new("RGBA", (width, height), background + (255,))
        self.text_areas: list[TextArea] = []
        self.logo_areas: list[Region] = []
        self.product_areas: list[Region] = []
        self.people: list[Region] = []
        self.parts: list[TemplatePart] = []

    def px(self, box: FracBox) -> tuple[float, float, float, float]:
        return (box[0] * self.width, box[1] * self.height, box[2] * self.width, box[3] * self.height)

    def frac(self, box: tuple[float, float, float, float]) -> FracBox:
        x0, y0, x1, y1 = box
        return (round(max(0.0, x0 / self.width), 4), round(max(0.0, y0 / self.height), 4),
                round(min(1.0, x1 / self.width), 4), round(min(1.0, y1 / self.height), 4))

    # ---- recorded elements ------------------------------------------------------------

    def text(self, role: str, box: FracBox, text: str, colour: RGB, family: Family = "Lato",
             weight: Weight = "Bold", max_size: int = 80, align: str = "left", valign: str = "top",
             part: str | None = None) -> None:
        pixel_box = self.px(box)
        size, _ = draw_text(self.canvas, pixel_box, text, colour, family, weight, max_size, align, valign)
        self._record_text(role, box, size, align)
        if part:
            self.part(part, box, text)

    def part(self, kind: str, box: FracBox, text: str = "") -> None:
        """Record a structural part of the template (a star row, a panel, a tick)."""
        clipped = (max(0.0, box[0]), max(0.0, box[1]), min(1.0, box[2]), min(1.0, box[3]))
        self.parts.append(TemplatePart(kind=kind, box=tuple(round(v, 4) for v in clipped), text=text))

    def _record_text(self, role: str, box: FracBox, size: int, align: str) -> None:
        x0, y0, x1, y1 = self.px(box)
        per_line = max(1, int((x1 - x0) / (size * AVERAGE_GLYPH_WIDTH)))
        lines = max(1, int((y1 - y0) / (size * LINE_HEIGHT)))
        self.text_areas.append(TextArea(role=role, box=box, max_chars=min(400, per_line * lines), align=align))

    def cta(self, box: FracBox, text: str, fill: RGB, ink: RGB, radius: float | None = None) -> None:
        x0, y0, x1, y1 = self.px(box)
        shape(self.canvas, (x0, y0, x1, y1), fill, radius=(y1 - y0) / 2 if radius is None else radius)
        size, _ = draw_text(self.canvas, (x0 + (y1 - y0) * 0.4, y0, x1 - (y1 - y0) * 0.4, y1), text, ink,
                            "Lato", "Black", max_size=int((y1 - y0) * 0.4), align="center", valign="center")
        self._record_text("cta", box, size, "center")

    def product(self, cutout: Image.Image, box: FracBox, shadow: float = 0.3) -> None:
        x0, y0, x1, y1 = self.px(box)
        fitted = fit_within(cutout, x1 - x0, y1 - y0)
        placed = paste_cutout(self.canvas, fitted, (x0 + x1) / 2, y1, shadow=shadow)
        self.product_areas.append(Region(box=self.frac(placed)))

    def person(self, box: FracBox, style: PersonStyle, backdrop: RGB | None = None) -> None:
        x0, y0, x1, y1 = (int(v) for v in self.px(box))
        if backdrop is not None:
            shape(self.canvas, (x0, y0, x1, y1), backdrop, kind="ellipse")
        figure = portrait(x1 - x0, y1 - y0, style)
        if backdrop is not None:  # keep the shoulders inside the round backdrop
            circle = AAMask(x1 - x0, y1 - y0).ellipse((0, 0, x1 - x0, y1 - y0)).mask()
            figure.putalpha(ImageChops.darker(figure.getchannel("A"), circle))
        self.canvas.alpha_composite(figure, dest=(x0, y0))
        self.people.append(Region(box=self.frac((x0, y0, x1, y1))))

    def logo(self, box: FracBox, name: str, colour: RGB, accent: RGB) -> None:
        """A generic brand lockup for the fictional brands: monogram disc + wordmark."""
        x0, y0, x1, y1 = self.px(box)
        height = y1 - y0
        shape(self.canvas, (x0, y0, x0 + height, y1), accent, kind="ellipse")
        draw_text(self.canvas, (x0, y0, x0 + height, y1), name[0], mix(accent, (255, 255, 255), 0.9), "Lato",
                  "Black", max_size=int(height * 0.6), align="center", valign="center")
        draw_text(self.canvas, (x0 + height * 1.25, y0, x1, y1), name, colour, "Lato", "Black",
                  max_size=int(height * 0.55), valign="center")
        self.logo_areas.append(Region(box=box))

    # ---- decoration (not recorded: not slots a generator fills) -----------------------

    def stars(self, left: float, top: float, size: float, colour: RGB = (246, 176, 40), count: int = 5) -> None:
        width = size * (1.2 * (count - 1) + 1)
        self.part("stars", (left, top, left + width / self.width, top + size / self.height))
        mask = AAMask(int(size * count * 1.2) + 2, int(size) + 2)
        for index in range(count):
            cx, cy = size / 2 + index * size * 1.2, size / 2
            points = []
            for k in range(10):
                radius = size / 2 if k % 2 == 0 else size / 4.6
                angle = math.pi / 5 * k - math.pi / 2
                points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle) + size * 0.04))
            mask.polygon(points)
        fill_mask(self.canvas, mask.mask(), colour, (int(left * self.width), int(top * self.height)))

    def icon(self, centre: tuple[float, float], radius: float, fill: RGB, ink: RGB, kind: str = "check",
             part: str = "icon") -> None:
        cx, cy = centre[0] * self.width, centre[1] * self.height
        self.part(part, self.frac((cx - radius, cy - radius, cx + radius, cy + radius)))
        shape(self.canvas, (cx - radius, cy - radius, cx + radius, cy + radius), fill, kind="ellipse")
        mark = AAMask(int(radius * 2), int(radius * 2))
        r = radius
        if kind == "check":
            mark.line([(r * 0.55, r * 1.02), (r * 0.88, r * 1.35), (r * 1.48, r * 0.7)], width=r * 0.22)
        else:
            mark.line([(r * 0.62, r * 0.62), (r * 1.38, r * 1.38)], width=r * 0.2)
            mark.line([(r * 1.38, r * 0.62), (r * 0.62, r * 1.38)], width=r * 0.2)
        fill_mask(self.canvas, mark.mask(), ink, (int(cx - r), int(cy - r)))

    def block(self, box: FracBox, fill: RGB, kind: str = "rect", radius: float = 0, opacity: float = 1.0) -> None:
        shape(self.canvas, self.px(box), fill, kind=kind, radius=radius, opacity=opacity)

    def label(self, box: FracBox, text: str, colour: RGB, weight: Weight = "Bold", max_size: int = 40,
              align: str = "left", valign: str = "top", family: Family = "Lato") -> None:
        draw_text(self.canvas, self.px(box), text, colour, family, weight, max_size, align, valign)

    def fill_image(self, image: Image.Image, box: FracBox) -> None:
        x0, y0, x1, y1 = (int(v) for v in self.px(box))
        self.canvas.alpha_composite(image.convert("RGBA").resize((x1 - x0, y1 - y0), Image.LANCZOS), dest=(x0, y0))

    # ---- output --------------------------------------------------------------------------

    def palette(self, count: int = 5) -> list[str]:
        small = self.canvas.convert("RGB").resize((96, int(96 * self.height / self.width)), Image.BILINEAR)
        quantised = small.quantize(count, method=Image.Quantize.MEDIANCUT)
        lookup = quantised.getpalette() or []
        ranked = sorted(quantised.getcolors() or [], key=lambda pair: (-pair[0], pair[1]))
        return [hex_of(tuple(lookup[3 * index:3 * index + 3])) for _, index in ranked]

    def finish(self, metadata: TemplateMetadata, filename: str, required: list[str], optional: list[str],
               scores: dict[str, int | bool] | None, archetype: Archetype | None = None) -> DemoTemplate:
        elements = TemplateElements(
            required_assets=required, optional_assets=optional, text_areas=self.text_areas,
            logo_areas=self.logo_areas, product_areas=self.product_areas, people=self.people,
            palette=self.palette(), background=hex_of(self.background), detector=DETECTOR,
            archetype=archetype or metadata.category, parts=self.parts)
        return DemoTemplate(self.canvas.convert("RGB"), filename, metadata, elements, scores)

