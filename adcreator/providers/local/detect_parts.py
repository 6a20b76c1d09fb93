"""The template's archetype, read from the shapes its parts leave in the pixels.

No model and no OCR: the image is quantised to a few flat colours and cut into single-colour
shapes, and the parts are patterns among those shapes:
- stars: four or more star-shaped shapes of one colour and size in an evenly spaced row;
- icons: discs of one colour and size stacked in a column; two such columns on the same
  rows are a comparison's ticks and crosses, one column beside lines of text a benefit list;
- panels: two large shapes side by side, of equal height, each with a small label pill;
- a post: a light card holding a small disc (the avatar) with a line of text beside it;
- story bars: thin segments in a row along the very top;
- an offer burst: a compact, saturated shape carrying large type that is not the CTA.
What these cannot tell (a quote mark, the words of an offer) is left to the text areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from adcreator.prompts.elements import TemplatePart

QUANT_COLOURS = 14
MIN_SHAPE_PX = 8
SHAPES_SIDE = 384  # parts are found at this size: stars and icons are still a dozen pixels


@dataclass(frozen=True)
class Shape:
    colour: int
    x0: int
    y0: int
    x1: int
    y1: int
    area: int  # pixels of the shape itself
    holed: bool = False  # encloses background (an "O", a ring); stars and discs do not

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def solidity(self) -> float:
        return self.area / max(1, self.width * self.height)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def box(self) -> tuple[int, int, int, int]:
        return self.x0, self.y0, self.x1, self.y1


@dataclass
class Found:
    archetype: str | None
    parts: list[tuple[str, tuple[float, float, float, float], float]]  # kind, pixel box, confidence


def shapes_of(pixels: np.ndarray) -> tuple[list[Shape], np.ndarray]:
    """Single-colour connected shapes after quantising, and the quantised colours (RGB)."""
    image = Image.fromarray(pixels.astype(np.uint8))
    # The palette by median cut on a thumbnail (it keeps a large flat area its own colour,
    # where octree merges near neighbours), then every pixel mapped to it without dither.
    thumbnail = image.copy()
    thumbnail.thumbnail((160, 160))
    palette_image = thumbnail.quantize(colors=QUANT_COLOURS, method=Image.Quantize.MEDIANCUT)
    quantised = image.quantize(palette=palette_image, dither=Image.Dither.NONE)
    indices = np.asarray(quantised)
    palette = np.array(quantised.getpalette()[: 3 * QUANT_COLOURS], dtype=np.float32).reshape(-1, 3)
    small = 0.004 * indices.size
    shapes: list[Shape] = []
    for colour in np.unique(indices):
        labels, count = ndimage.label(indices == colour, structure=np.ones((3, 3)))
        if count == 0:
            continue
        areas = np.bincount(labels.ravel(), minlength=count + 1)[1:]
        objects = ndimage.find_objects(labels)
        for index in np.flatnonzero(areas >= MIN_SHAPE_PX):
            ys, xs = objects[index]
            area = int(areas[index])
            width, height = xs.stop - xs.start, ys.stop - ys.start
            holed = False
            # Only a small, squarish, part-filled shape can be a star: test those for holes.
            if area <= small and 0.75 * height <= width <= 1.35 * height and 0.3 <= area / (width * height) <= 0.62:
                mask = labels[objects[index]] == index + 1
                holed = int(ndimage.binary_fill_holes(mask).sum()) > area * 1.08
            shapes.append(Shape(int(colour), xs.start, ys.start, xs.stop, ys.stop, area, holed))
    return shapes, palette


def _touches(shape: Shape, width: int, height: int) -> int:
    return int(shape.x0 <= 1) + int(shape.y0 <= 1) + int(shape.x1 >= width - 1) + int(shape.y1 >= height - 1)


def _regular(values: list[float], tolerance: float) -> bool:
    steps = np.diff(sorted(values))
    return len(steps) > 0 and float(steps.min()) > 0 and float(steps.std()) <= tolerance * float(steps.mean())


def find_stars(shapes: list[Shape], size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    width, height = size
    area = width * height
    candidates = [s for s in shapes if 0.00003 * area <= s.area <= 0.004 * area and 0.3 <= s.solidity <= 0.62
                  and 0.75 <= s.width / max(1, s.height) <= 1.35 and s.width >= 5 and not s.holed]
    best = None
    for seed in candidates:
        # Stars are identical: letters of a word that pass the shape test differ in size.
        row = [s for s in candidates if s.colour == seed.colour and abs(s.cy - seed.cy) <= 0.25 * seed.height
               and 0.88 <= s.area / seed.area <= 1.14 and abs(s.width - seed.width) <= max(1, 0.12 * seed.width)]
        row.sort(key=lambda s: s.cx)
        if len(row) < 4 or not _regular([s.cx for s in row], 0.25):
            continue
        if (row[-1].cx - row[0].cx) / (len(row) - 1) > 2.2 * seed.width:
            continue
        if best is None or len(row) > len(best):
            best = row
    if best is None:
        return None
    return min(s.x0 for s in best), min(s.y0 for s in best), max(s.x1 for s in best), max(s.y1 for s in best)


def _disc_like(shape: Shape, area: int) -> bool:
    ratio = shape.width / max(1, shape.height)
    return 0.00015 * area <= shape.width * shape.height <= 0.02 * area and 0.8 <= ratio <= 1.25 and 0.45 <= shape.solidity <= 0.86


def find_icon_columns(shapes: list[Shape], size: tuple[int, int]) -> list[list[Shape]]:
    """Columns of three or more equal discs, left to right."""
    area = size[0] * size[1]
    discs = [s for s in shapes if _disc_like(s, area)]
    columns: list[list[Shape]] = []
    used: set[int] = set()
    for seed in sorted(discs, key=lambda s: (s.cx, s.cy)):
        if id(seed) in used:
            continue
        column = [s for s in discs if s.colour == seed.colour and abs(s.cx - seed.cx) <= 0.3 * seed.width
                  and 0.7 <= s.width / seed.width <= 1.4]
        column.sort(key=lambda s: s.cy)
        if len(column) >= 3 and _regular([s.cy for s in column], 0.3):
            columns.append(column)
            used.update(id(s) for s in column)
    # A disc whose mark is another colour leaves two shapes; keep one column per position.
    merged: list[list[Shape]] = []
    for column in sorted(columns, key=lambda c: -len(c)):
        if not any(abs(np.mean([s.cx for s in column]) - np.mean([s.cx for s in other])) < column[0].width for other in merged):
            merged.append(column)
    return sorted(merged, key=lambda c: c[0].cx)


def find_panels(shapes: list[Shape], size: tuple[int, int]) -> tuple[Shape, Shape] | None:
    width, height = size
    area = width * height
    # Halves of a two-tone background reach three edges; panels reach at most two.
    big = [s for s in shapes if s.width * s.height >= 0.07 * area and 0.35 <= s.width / max(1, s.height) <= 1.4
           and not (s.x0 <= 1 and s.x1 >= width - 1) and s.solidity >= 0.25 and _touches(s, width, height) <= 2]
    best = None
    for left in big:
        for right in big:
            if right is left or right.colour == left.colour or right.x0 < left.x1 - 0.02 * width:
                continue
            overlap = min(left.y1, right.y1) - max(left.y0, right.y0)
            if overlap < 0.8 * min(left.height, right.height) or right.x0 - left.x1 > 0.1 * width:
                continue
            if not (0.75 <= left.height / right.height <= 1.33 and 0.7 <= left.width / right.width <= 1.43):
                continue
            # Panels are laid out as a pair: tops and bottoms aligned, spanning much of the width.
            if max(abs(left.y0 - right.y0), abs(left.y1 - right.y1)) > 0.025 * height or right.x1 - left.x0 < 0.45 * width:
                continue
            score = left.width * left.height + right.width * right.height
            if best is None or score > best[0]:
                best = (score, left, right)
    return (best[1], best[2]) if best else None


def find_pills(shapes: list[Shape], within: Shape, size: tuple[int, int]) -> Shape | None:
    """A label pill in the top quarter of a panel."""
    candidates = [s for s in shapes if s is not within and s.x0 >= within.x0 - 2 and s.x1 <= within.x1 + 2
                  and s.y0 >= within.y0 - 2 and s.cy <= within.y0 + 0.3 * within.height and s.width >= 2.0 * s.height
                  and s.solidity >= 0.55 and s.width >= 0.08 * within.width and s.width <= 0.7 * within.width]
    return max(candidates, key=lambda s: s.area, default=None)


def find_story_bars(shapes: list[Shape], size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    width, height = size
    bars = [s for s in shapes if s.cy <= 0.06 * height and s.height <= max(4, 0.012 * height) and s.width >= 0.12 * width]
    bars.sort(key=lambda s: s.x0)
    row = [s for s in bars if abs(s.cy - bars[0].cy) <= 3] if bars else []
    if len(row) < 3:
        return None
    return min(s.x0 for s in row), min(s.y0 for s in row), max(s.x1 for s in row), max(s.y1 for s in row)


def _lines_right_of(lines: np.ndarray, disc: Shape, reach: float) -> np.ndarray:
    if len(lines) == 0:
        return lines
    centre = (lines[:, 1] + lines[:, 3]) / 2
    # The line may start at the disc itself: its mark chains with the letters into one line.
    starts = (lines[:, 0] >= disc.x0 - 2) & (lines[:, 0] <= disc.x1 + reach) & (lines[:, 2] >= disc.x1 + disc.width)
    return lines[starts & (np.abs(centre - disc.cy) <= 0.8 * disc.height)]


def find_post(shapes: list[Shape], palette: np.ndarray, lines: np.ndarray, size: tuple[int, int], *, in_card: bool = True):
    """(card or None, avatar, handle line box) of a post header: a disc with a text line beside it."""
    width, height = size
    area = width * height
    light = {i for i, rgb in enumerate(palette) if rgb.mean() >= 225}
    cards = [s for s in shapes if s.colour in light and s.width * s.height >= 0.05 * area and _touches(s, width, height) <= 1
             and s.width >= 0.4 * width] if in_card else [None]
    for card in cards:
        for disc in shapes:
            ratio = disc.width / max(1, disc.height)
            if disc is card or not (0.6 <= ratio <= 1.6 and 0.025 * width <= disc.width <= 0.16 * width and disc.solidity >= 0.3):
                continue
            if card is not None and not (disc.x0 >= card.x0 and disc.x1 <= card.x0 + 0.3 * card.width
                                         and disc.y0 >= card.y0 and disc.y1 <= card.y0 + 0.45 * card.height):
                continue
            if card is None and disc.cy > 0.2 * height:
                continue
            beside = _lines_right_of(lines, disc, 0.6 * disc.width)
            if len(beside):
                handle = beside[np.argmin(beside[:, 1])]
                return card, disc, tuple(int(v) for v in handle[:4])
    return None


def find_burst(shapes: list[Shape], palette: np.ndarray, lines: np.ndarray, size: tuple[int, int], avoid: list[tuple]) -> Shape | None:
    width, height = size
    area = width * height
    rgb = palette
    saturation = (rgb.max(axis=1) - rgb.min(axis=1)) / np.maximum(rgb.max(axis=1), 1)
    best = None
    for shape in shapes:
        box_area = shape.width * shape.height
        if not (0.006 * area <= box_area <= 0.09 * area and shape.solidity >= 0.5 and saturation[shape.colour] >= 0.3):
            continue
        if _touches(shape, width, height) or any(_overlap(shape.box(), other) > 0.3 for other in avoid):
            continue
        inside = lines[(lines[:, 0] >= shape.x0) & (lines[:, 2] <= shape.x1) & (lines[:, 1] >= shape.y0) & (lines[:, 3] <= shape.y1)] if len(lines) else lines
        if len(inside) == 0 or float((inside[:, 3] - inside[:, 1]).max()) < 0.022 * height:
            continue
        if best is None or box_area > best.width * best.height:
            best = shape
    return best


def _overlap(a, b) -> float:
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    return w * h / max(1, (a[2] - a[0]) * (a[3] - a[1]))


def _scaled_shapes(pixels: np.ndarray) -> tuple[list[Shape], np.ndarray]:
    """Shapes found at SHAPES_SIDE, with boxes in the coordinates of `pixels`."""
    height, width = pixels.shape[:2]
    factor = SHAPES_SIDE / max(height, width)
    if factor >= 1:
        return shapes_of(pixels)
    small = Image.fromarray(pixels.astype(np.uint8)).resize((max(1, round(width * factor)), max(1, round(height * factor))), Image.BOX)
    shapes, palette = shapes_of(np.asarray(small, dtype=np.float32))
    up = 1 / factor
    return [Shape(s.colour, round(s.x0 * up), round(s.y0 * up), round(s.x1 * up), round(s.y1 * up), round(s.area * up * up), s.holed)
            for s in shapes], palette


def find_archetype(pixels: np.ndarray, lines: np.ndarray, *, cta_box, product_box, headline_box, reviewer_box) -> Found:
    """The archetype and its parts (pixel boxes at the analysed size), strongest evidence first."""
    height, width = pixels.shape[:2]
    size = (width, height)
    shapes, palette = _scaled_shapes(pixels)
    parts: list[tuple[str, tuple, float]] = []

    bars = find_story_bars(shapes, size)
    story_post = find_post(shapes, palette, lines, size, in_card=False) if bars else None
    if bars and story_post:
        _, disc, handle = story_post
        parts += [("story_bars", bars, 0.7), ("avatar", disc.box(), 0.6), ("handle", handle, 0.5)]
        parts += [("comment_bubble", s.box(), 0.5) for s in _bubbles(shapes, palette, lines, size)]
        return Found("story", parts)
    stars = find_stars(shapes, size)
    if stars is not None:
        parts.append(("stars", stars, 0.7))
        if headline_box is not None:
            parts.append(("quote", headline_box, 0.5))
        if reviewer_box is not None:
            parts.append(("reviewer", reviewer_box, 0.4))
        return Found("testimonial", parts)
    panels = find_panels(shapes, size)
    if panels is not None:
        before, after = panels
        parts += [("panel_before", before.box(), 0.6), ("panel_after", after.box(), 0.6)]
        parts += [("panel_label", pill.box(), 0.5) for pill in (find_pills(shapes, p, size) for p in panels) if pill is not None]
        return Found("before_after", parts)
    columns = find_icon_columns(shapes, size)
    if len(columns) >= 2:
        us, them = columns[-2], columns[-1]
        rows = [s for s in us if any(abs(s.cy - t.cy) <= 0.4 * s.height for t in them)]
        if len(rows) >= 3:
            parts += [("tick", s.box(), 0.6) for s in us] + [("cross", s.box(), 0.6) for s in them]
            parts.append(("column_us", _column_box(us, shapes), 0.5))
            parts.append(("column_them", _column_box(them, []), 0.5))
            return Found("comparison", parts)
    for column in columns:
        texts = [_lines_right_of(lines, disc, 2.5 * disc.width) for disc in column]
        if sum(len(t) > 0 for t in texts) >= 3:
            parts += [("icon", disc.box(), 0.6) for disc in column]
            for found in texts:
                if len(found):
                    parts.append(("benefit", (int(found[:, 0].min()), int(found[:, 1].min()), int(found[:, 2].max()), int(found[:, 3].max())), 0.5))
            return Found("benefits", parts)
    post = find_post(shapes, palette, lines, size)
    if post is not None:
        card, disc, handle = post
        parts += [("comment_bubble", card.box(), 0.6), ("avatar", disc.box(), 0.5), ("handle", handle, 0.5)]
        return Found("ugc", parts)
    avoid = [box for box in (cta_box, headline_box) if box is not None]
    burst = find_burst(shapes, palette, lines, size, avoid)
    if burst is not None:
        return Found("offer", [("offer_burst", burst.box(), 0.45)])
    return Found("product_hero" if product_box is not None else None, [])


def _column_box(column: list[Shape], shapes: list[Shape]) -> tuple[int, int, int, int]:
    """The column of icons, grown to the panel behind them when one encloses the column."""
    box = (min(s.x0 for s in column), min(s.y0 for s in column), max(s.x1 for s in column), max(s.y1 for s in column))
    enclosing = [s for s in shapes if s.x0 <= box[0] and s.y0 <= box[1] and s.x1 >= box[2] and s.y1 >= box[3]
                 and s.width <= 4 * (box[2] - box[0]) and s.colour not in {c.colour for c in column}]
    panel = min(enclosing, key=lambda s: s.width * s.height, default=None)
    return panel.box() if panel is not None else box


def _bubbles(shapes: list[Shape], palette: np.ndarray, lines: np.ndarray, size: tuple[int, int]) -> list[Shape]:
    width, height = size
    light = {i for i, rgb in enumerate(palette) if rgb.mean() >= 225}
    found = []
    for shape in shapes:
        if shape.colour not in light or shape.width < 0.25 * width or shape.height > 0.3 * height or shape.solidity < 0.5:
            continue
        if len(lines) and ((lines[:, 0] >= shape.x0) & (lines[:, 2] <= shape.x1) & (lines[:, 1] >= shape.y0) & (lines[:, 3] <= shape.y1)).any():
            found.append(shape)
    return found


def to_parts(found: Found, size: tuple[int, int]) -> list[TemplatePart]:
    width, height = size
    parts = []
    for kind, (x0, y0, x1, y1), confidence in found.parts:
        box = (max(0.0, x0 / width), max(0.0, y0 / height), min(1.0, x1 / width), min(1.0, y1 / height))
        if box[2] > box[0] and box[3] > box[1]:
            parts.append(TemplatePart(kind=kind, box=tuple(round(v, 4) for v in box), confidence=confidence))
    return parts
