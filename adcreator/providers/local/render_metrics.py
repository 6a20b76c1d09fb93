"""Measurements of a rendered ad from its outcome record: what the issue's acceptance names.

- the largest empty band: the longest run of rows (and, on 16:9, of columns) that no
  element covers (text ink, product, logo, CTA, cards, panels, parts), as a share of the
  canvas height (width);
- the product's extent (its longer side over sqrt(width x height), the unit of
  `blocks.MIN_PRODUCT_EXTENT`) and its share of the canvas area (bounding box);
- the logo's contrast with what is right behind it;
- text, logo or CTA inside the 9:16 interface zones (Meta: top 14 %, bottom 20 %).
Pure: reads the outcome, no rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

from adcreator.providers.local.canvas import RenderOutcome
from adcreator.providers.local.layout import STORY_BOTTOM_SAFE, STORY_TOP_SAFE, largest_empty_band, shape_of

# The acceptance bar this renderer is held to: no band of the canvas this empty. 9:16 keeps
# its top 14 % free of text by Meta's rule, so its bar sits just above that.
MAX_EMPTY_BAND = 0.16


@dataclass(frozen=True)
class AdMetrics:
    empty_band: float  # share of the canvas height (rows)
    empty_band_columns: float  # share of the canvas width (columns)
    product_extent: float | None
    product_area_share: float | None
    logo_contrast: float | None
    interface_zone_violations: list[str]


def measure(outcome: RenderOutcome) -> AdMetrics:
    width, height = outcome.image.size
    boxes = list(outcome.content_boxes)
    rows = largest_empty_band(boxes, height, axis=1) / height
    columns = largest_empty_band(boxes, width, axis=0) / width
    extent = share = None
    if outcome.product_box is not None:
        x0, y0, x1, y1 = outcome.product_box
        extent = max(x1 - x0, y1 - y0) / (width * height) ** 0.5
        share = (x1 - x0) * (y1 - y0) / (width * height)
    violations: list[str] = []
    if shape_of(width, height) == "tall":
        top, bottom = STORY_TOP_SAFE * height, (1 - STORY_BOTTOM_SAFE) * height
        for line in outcome.lines:
            if line.box[1] < top - 1 or line.box[3] > bottom + 1:
                violations.append(f"{line.role} line {line.text!r} at y {line.box[1]}-{line.box[3]}")
        for name, box in (("cta", outcome.cta_button_box), ("logo", outcome.logo_box)):
            if box is not None and (box[1] < top - 1 or box[3] > bottom + 1):
                violations.append(f"{name} at y {box[1]}-{box[3]}")
    return AdMetrics(round(rows, 4), round(columns, 4), None if extent is None else round(extent, 4),
                     None if share is None else round(share, 4), outcome.logo_contrast, violations)
