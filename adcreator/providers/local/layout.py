"""Where each element of the ad goes, in pixels, on a canvas of any supported size.

Boxes come from the template analysis (fractional boxes). When the canvas ratio is close
to or taller than the template's, the template's horizontal bands are stacked down the
canvas and the spare height goes to the product and the spacing; when the canvas is much
wider, the product moves beside a left-aligned text column. Pure geometry: text is
measured by the caller, so this module knows nothing of fonts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from adcreator.prompts.elements import TextArea
from adcreator.prompts.models import CANVAS_SIZES, TemplateAnalysis

# Beyond this canvas-to-template ratio a stacked layout leaves the sides empty; the product
# moves beside the text instead (e.g. a 1:1 or 4:5 template on a 16:9 canvas).
SIDE_BY_SIDE_RATIO = 1.45
# At or below this ratio (e.g. a 1:1 template on 9:16) a product beside the copy would leave
# the canvas mostly empty above and below; copy and product are stacked instead.
STACK_RATIO = 0.72
# Share of spare height (taller canvas) given to the product; the rest becomes spacing.
PRODUCT_SHARE_OF_SPARE_HEIGHT = 0.6
MARGIN_FRACTION = 0.045  # safe margin, of the short side: keeps text off phone UI edges

# Used when detection found no text areas: logo, headline, subheadline, product, CTA, centred.
DEFAULT_ELEMENTS: list[tuple[str, tuple[float, float, float, float], str]] = [
    ("logo", (0.30, 0.05, 0.70, 0.12), "center"),
    ("headline", (0.08, 0.14, 0.92, 0.33), "center"),
    ("subheadline", (0.12, 0.34, 0.88, 0.43), "center"),
    ("product", (0.18, 0.45, 0.82, 0.83), "center"),
    ("cta", (0.28, 0.85, 0.72, 0.94), "center"),
]


@dataclass(frozen=True)
class PixelBox:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    def as_tuple(self) -> tuple[int, int, int, int]:
        return self.x0, self.y0, self.x1, self.y1

    def clamp(self, outer: PixelBox) -> PixelBox | None:
        box = PixelBox(max(self.x0, outer.x0), max(self.y0, outer.y0), min(self.x1, outer.x1), min(self.y1, outer.y1))
        return box if box.width >= 8 and box.height >= 8 else None

    def union(self, other: PixelBox) -> PixelBox:
        return PixelBox(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))


@dataclass
class Layout:
    text: dict[str, PixelBox]
    align: dict[str, str]
    valign: dict[str, str]  # roles not listed are centred vertically in their box
    product: PixelBox | None
    logo: PixelBox | None
    disclaimer: PixelBox | None
    strategy: str
    notes: list[str]


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _template_ratio(analysis: TemplateAnalysis) -> float:
    label = analysis.native_aspect_ratio or "1:1"
    if label in CANVAS_SIZES:
        width, height = CANVAS_SIZES[label]
        return width / height
    for separator in (":", "x"):
        left, _, right = label.partition(separator)
        if left.strip().isdigit() and right.strip().isdigit() and int(right) > 0:
            return int(left) / int(right)
    return 1.0


def _template_elements(analysis: TemplateAnalysis, has_subheadline: bool, has_cta: bool, notes: list[str]) -> dict[str, list]:
    if not analysis.text_areas:
        notes.append("template analysis has no text areas: used the default centred layout")
        return {key: [list(box), align] for key, box, align in DEFAULT_ELEMENTS if key != "subheadline" or has_subheadline}
    by_role: dict[str, TextArea] = {}
    for area in sorted(analysis.text_areas, key=lambda a: -(a.box[2] - a.box[0]) * (a.box[3] - a.box[1])):
        by_role.setdefault(area.role, area)
    headline = by_role.get("headline") or by_role.get("subheadline") or by_role.get("body") or next(iter(by_role.values()))
    elements: dict[str, list] = {"headline": [list(headline.box), headline.align]}
    sub = next((by_role[r] for r in ("subheadline", "body") if r in by_role and by_role[r] is not headline), None)
    if has_subheadline:
        if sub is not None:
            elements["subheadline"] = [list(sub.box), sub.align]
        else:  # no area of its own: the lower third of the headline area carries it
            x0, y0, x1, y1 = headline.box
            split = y0 + (y1 - y0) * 0.66
            elements["headline"][0] = [x0, y0, x1, split]
            elements["subheadline"] = [[x0, split + (y1 - y0) * 0.03, x1, y1], headline.align]
    if analysis.logo_areas:
        elements["logo"] = [list(max(analysis.logo_areas, key=lambda r: r.confidence).box), ""]
    if analysis.product_areas:
        elements["product"] = [list(max(analysis.product_areas, key=lambda r: (r.box[2] - r.box[0]) * (r.box[3] - r.box[1])).box), "center"]
    if has_cta:
        if "cta" in by_role:
            elements["cta"] = [list(by_role["cta"].box), by_role["cta"].align]
        else:
            _synthesise_cta(elements, notes)
    for key, (box, align) in elements.items():
        if not align:  # logos align to the side of the canvas they sit on
            elements[key][1] = "left" if (box[0] + box[2]) / 2 < 0.4 else "right" if (box[0] + box[2]) / 2 > 0.6 else "center"
    return elements


def _synthesise_cta(elements: dict[str, list], notes: list[str]) -> None:
    """The template has no CTA area: put the button under the text, else at the bottom."""
    hx0, _, hx1, _ = elements["headline"][0]
    align = elements["headline"][1]
    text_bottom = max(elements[k][0][3] for k in ("headline", "subheadline") if k in elements)
    width = min(0.42, hx1 - hx0)
    x0 = {"left": hx0, "right": hx1 - width}.get(align, (hx0 + hx1 - width) / 2)
    blockers = [elements[k][0] for k in ("product", "logo") if k in elements]
    candidate = [x0, text_bottom + 0.02, x0 + width, text_bottom + 0.11]
    if candidate[3] <= 0.96 and not any(_overlaps(candidate, b) for b in blockers):
        elements["cta"] = [candidate, align]
        return
    candidate = [0.29, 0.85, 0.71, 0.94]
    if any(_overlaps(candidate, elements[k][0]) for k in ("headline", "subheadline") if k in elements):
        notes.append("template has no CTA area and no free space for one: CTA omitted")
        return
    if "product" in elements and _overlaps(candidate, elements["product"][0]):
        elements["product"][0][3] = max(elements["product"][0][1] + 0.15, 0.83)
    elements["cta"] = [candidate, "center"]


def _band_layout(elements: dict[str, list], content: PixelBox, template_ratio: float) -> dict[str, PixelBox]:
    """Stack the template's horizontal bands down the canvas, giving spare height to the product."""
    unit_h = content.width / template_ratio  # the template's height at this canvas width
    bands: list[list] = []  # [top, bottom, keys]
    for key, (box, _) in sorted(elements.items(), key=lambda item: item[1][0][1]):
        if bands and box[1] < bands[-1][1] - 0.01:
            bands[-1][1] = max(bands[-1][1], box[3])
            bands[-1][2].append(key)
        else:
            bands.append([box[1], box[3], [key]])
    heights = [(bottom - top) * unit_h for top, bottom, _ in bands]
    gaps = [bands[0][0]] + [max(0.0, bands[i][0] - bands[i - 1][1]) for i in range(1, len(bands))] + [max(0.0, 1 - bands[-1][1])]
    gaps = [g * unit_h for g in gaps]
    scales = [1.0] * len(bands)
    spare = content.height - sum(heights) - sum(gaps)
    scalable = [i for i, band in enumerate(bands) if "product" in band[2] and set(band[2]) <= {"product", "logo"}]
    if spare > 0:
        for i in scalable:
            product_w = (elements["product"][0][2] - elements["product"][0][0]) * content.width
            growth = min(spare * PRODUCT_SHARE_OF_SPARE_HEIGHT, heights[i] * (min(2.2, 0.92 * content.width / product_w) - 1))
            if growth > 0:
                scales[i] = (heights[i] + growth) / heights[i]
                spare -= growth
        weights = [0.6] + [1.0] * (len(gaps) - 2) + [0.6]
        gaps = [g + spare * w / sum(weights) for g, w in zip(gaps, weights)]
    elif spare < 0:
        taken = min(-spare, 0.6 * sum(gaps))
        gaps = [g * (1 - taken / sum(gaps)) for g in gaps] if taken else gaps
        remaining = -spare - taken
        for i in scalable:  # the product gives up room before the copy is squeezed
            cut = min(remaining, 0.35 * heights[i])
            scales[i], remaining = 1 - cut / heights[i], remaining - cut
        if remaining > 0:
            factor = max(0.2, 1 - remaining / sum(h * s for h, s in zip(heights, scales)))
            scales = [s * factor for s in scales]
    boxes: dict[str, PixelBox] = {}
    y = content.y0 + gaps[0]
    for index, (top, _, keys) in enumerate(bands):
        scale = scales[index]
        for key in keys:
            x0, y0, x1, y1 = elements[key][0]
            left, right = content.x0 + x0 * content.width, content.x0 + x1 * content.width
            if key == "product" and (index in scalable or spare < 0):
                half = (right - left) * scale / 2
                centre = min(max((left + right) / 2, content.x0 + half), content.x1 - half)
                left, right = centre - half, centre + half
            boxes[key] = PixelBox(round(left), round(y + (y0 - top) * unit_h * scale), round(right), round(y + (y1 - top) * unit_h * scale))
        y += heights[index] * scale + gaps[index + 1]
    return boxes


def _column_stack(keys: list[str], column: PixelBox, weights: dict[str, float], gap_fraction: float) -> dict[str, PixelBox]:
    """Stack slots down a column, heights in proportion to `weights`, centred vertically."""
    gap = gap_fraction * column.height
    total = sum(weights[k] for k in keys) * column.height + gap * (len(keys) - 1)
    shrink = min(1.0, column.height / total)
    y = column.y0 + (column.height - total * shrink) / 2
    boxes = {}
    for key in keys:
        height = weights[key] * column.height * shrink
        boxes[key] = PixelBox(column.x0, round(y), column.x1, round(y + height))
        y += height + gap * shrink
    return boxes


def _side_by_side_layout(elements: dict[str, list], safe: PixelBox) -> dict[str, PixelBox]:
    product = elements["product"][0]
    product_w, gutter = round(0.42 * safe.width), round(0.05 * safe.width)
    if (product[0] + product[2]) / 2 < 0.4:
        product_box = PixelBox(safe.x0, safe.y0, safe.x0 + product_w, safe.y1)
        column = PixelBox(safe.x0 + product_w + gutter, safe.y0, safe.x1, safe.y1)
    else:
        product_box = PixelBox(safe.x1 - product_w, safe.y0, safe.x1, safe.y1)
        column = PixelBox(safe.x0, safe.y0, safe.x1 - product_w - gutter, safe.y1)
    weights = {"logo": 0.11, "headline": 0.4, "subheadline": 0.17, "cta": 0.13}
    stack = [k for k in sorted(elements, key=lambda k: elements[k][0][1]) if k in weights]
    return _column_stack(stack, column, weights, 0.045) | {"product": product_box}


def _stacked_layout(elements: dict[str, list], safe: PixelBox) -> dict[str, PixelBox]:
    """Tall canvas from a template with the product beside the copy: copy above, product below."""
    weights = {"logo": 0.07, "headline": 0.2, "subheadline": 0.1, "product": 0.42, "cta": 0.085}
    stack = [k for k in ("logo", "headline", "subheadline", "product", "cta") if k in elements]
    return _column_stack(stack, safe, weights, 0.028)


def compute_layout(analysis: TemplateAnalysis, canvas: tuple[int, int], *, has_subheadline: bool, has_cta: bool, measure_disclaimer: Callable[[int, int], int] | None) -> Layout:
    """`measure_disclaimer(width, max_height)` is the height of the fitted disclaimer text, None without one."""
    width, height = canvas
    margin = round(MARGIN_FRACTION * min(width, height))
    notes: list[str] = []
    elements = _template_elements(analysis, has_subheadline, has_cta, notes)
    ratio = _template_ratio(analysis) if analysis.text_areas else 1.0
    disclaimer, bottom = None, height
    if measure_disclaimer is not None:  # disclaimers always sit in a strip along the bottom edge
        strip = measure_disclaimer(width - 2 * margin, height // 8)
        disclaimer = PixelBox(margin, height - round(0.6 * margin) - strip, width - margin, height - round(0.6 * margin))
        bottom = disclaimer.y0 - round(0.3 * margin)
    content = PixelBox(0, 0, width, bottom)
    safe = PixelBox(margin, margin, width - margin, bottom - (margin if disclaimer is None else 0))
    align = {key: value[1] for key, value in elements.items()}
    relative_ratio = (content.width / content.height) / ratio
    product_beside_copy = "product" in elements and _overlaps(
        [0, elements["product"][0][1], 1, elements["product"][0][3]], [0, elements["headline"][0][1], 1, elements["headline"][0][3]]
    )
    valign: dict[str, str] = {}
    if "product" in elements and relative_ratio >= SIDE_BY_SIDE_RATIO:
        strategy = "side_by_side"
        boxes = _side_by_side_layout(elements, safe)
        align = {key: "left" for key in align} | {"product": "center"}
        valign = {"headline": "bottom", "subheadline": "top"}
    elif product_beside_copy and relative_ratio <= STACK_RATIO:
        strategy = "stacked"
        boxes = _stacked_layout(elements, safe)
        valign = {"headline": "bottom", "subheadline": "top"}
    else:
        strategy = "bands"
        boxes = _band_layout(elements, content, ratio)
    clamped: dict[str, PixelBox] = {}
    for key, box in boxes.items():
        inside = box.clamp(safe)
        if inside is None:
            notes.append(f"{key} area fell outside the safe area of this canvas: omitted")
        else:
            clamped[key] = inside
    text = {k: clamped[k] for k in ("headline", "subheadline", "cta") if k in clamped}
    return Layout(text, align, valign, clamped.get("product"), clamped.get("logo"), disclaimer, strategy, notes)
