"""Geometry for the renderer: pixel boxes, the canvas frame and its safe zones, and a stack
solver that fills a column with text, fixed parts and flexible visuals.

Pure geometry: text is measured by a callback the caller supplies, so this module knows
nothing of fonts. Every archetype composes its ad from a few stacks (one column on square
and tall canvases, two side by side on wide ones), so every size is re-composed rather than
scaled, and the spare room goes to the visual first, so no large band is left empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

# Safe margin, of the short side: keeps text off phone UI edges.
MARGIN_FRACTION = 0.055
# Meta's safe zones for 9:16 Stories/Reels placements: the top ~14 % (profile, progress
# bars) and the bottom ~20 % (reply bar, call-to-action sticker) are covered by the app's
# own interface, so no text, logo or CTA goes there. Visuals may run into them.
STORY_TOP_SAFE, STORY_BOTTOM_SAFE = 0.14, 0.20
Shape = Literal["square", "portrait", "tall", "wide"]


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

    def inset(self, dx: float, dy: float | None = None) -> PixelBox:
        dy = dx if dy is None else dy
        return PixelBox(round(self.x0 + dx), round(self.y0 + dy), round(self.x1 - dx), round(self.y1 - dy))

    def split_x(self, share: float, gutter: float = 0) -> tuple[PixelBox, PixelBox]:
        """Left and right parts: the left takes `share` of the width, a gutter between."""
        cut = self.x0 + (self.width - gutter) * share
        return PixelBox(self.x0, self.y0, round(cut), self.y1), PixelBox(round(cut + gutter), self.y0, self.x1, self.y1)

    def split_y(self, share: float, gutter: float = 0) -> tuple[PixelBox, PixelBox]:
        cut = self.y0 + (self.height - gutter) * share
        return PixelBox(self.x0, self.y0, self.x1, round(cut)), PixelBox(self.x0, round(cut + gutter), self.x1, self.y1)

    def with_y(self, y0: float, y1: float) -> PixelBox:
        return PixelBox(self.x0, round(y0), self.x1, round(y1))

    def with_x(self, x0: float, x1: float) -> PixelBox:
        return PixelBox(round(x0), self.y0, round(x1), self.y1)


@dataclass(frozen=True)
class Frame:
    """The canvas, its shape, and where things may go on it."""

    width: int
    height: int
    shape: Shape
    margin: int
    canvas: PixelBox
    safe: PixelBox  # everything inside the margins
    text_safe: PixelBox  # text, logo and CTA: also clear of the 9:16 interface zones

    @property
    def short(self) -> int:
        return min(self.width, self.height)


def shape_of(width: int, height: int) -> Shape:
    ratio = width / height
    if ratio >= 1.3:
        return "wide"
    if ratio <= 0.66:
        return "tall"
    if ratio <= 0.9:
        return "portrait"
    return "square"


def frame_for(width: int, height: int) -> Frame:
    shape = shape_of(width, height)
    margin = round(MARGIN_FRACTION * min(width, height))
    canvas = PixelBox(0, 0, width, height)
    safe = PixelBox(margin, margin, width - margin, height - margin)
    text_safe = safe
    if shape == "tall":
        text_safe = PixelBox(margin, max(margin, round(STORY_TOP_SAFE * height)), width - margin,
                             min(height - margin, round((1 - STORY_BOTTOM_SAFE) * height)))
    return Frame(width, height, shape, margin, canvas, safe, text_safe)


# ---------------------------------------------------------------------------- stacks


@dataclass
class Item:
    """One slot in a stack. Text items are measured (`measure(width, scale) -> height`);
    fixed items have a height; flexible items (visuals) take the spare room within bounds."""

    key: str
    measure: Callable[[int, float], int] | None = None
    height: int = 0
    flex_min: int = 0
    flex_max: int = 0
    weight: float = 1.0
    gap_after: int = 0  # the minimum space to the next item
    width: int | None = None  # narrower than the column, centred or aligned by the caller
    aspect: float | None = None  # a flexible visual of this width/height never needs more height than width/aspect

    @property
    def flexible(self) -> bool:
        return self.flex_max > 0


@dataclass
class StackResult:
    boxes: dict[str, PixelBox]
    scale: float  # the text scale the stack settled on
    notes: list[str] = field(default_factory=list)
    overflow: int = 0  # pixels the items still needed beyond the column, at the smallest scale


# Text may grow this much over its nominal size to fill a canvas, or shrink this far; below
# the comfortable scale the visuals give up some of their minimum first.
MAX_TEXT_SCALE, COMFORTABLE_TEXT_SCALE, MIN_TEXT_SCALE = 1.3, 0.82, 0.6
VISUAL_GIVE = 0.75
# A gap may stretch to this many times its minimum before the stack is centred instead.
MAX_GAP_STRETCH = 2.4


def solve_stack(items: list[Item], column: PixelBox, *, valign: str = "center", scale: float | None = None,
                stretch_gaps: bool = True) -> StackResult:
    """Place `items` top to bottom in `column`: text at the largest scale that fits, the
    flexible items between their bounds, then the gaps stretched; only what is still left
    becomes margin above and below (split by `valign`). A given `scale` is kept as it is."""
    notes: list[str] = []
    fixed_scale = scale is not None
    scale = scale or 1.0
    for item in items:
        if item.flexible and item.aspect:
            item.flex_max = max(item.flex_min, min(item.flex_max, round(column.width / item.aspect)))
    # Room is found in turn: type down to a comfortable size, then the visuals down to
    # VISUAL_GIVE of their minimum, then type down to its smallest.
    minimums = {item.key: item.flex_min for item in items if item.flexible}
    floors = (1.0,) if fixed_scale else (COMFORTABLE_TEXT_SCALE, MIN_TEXT_SCALE)
    for floor in floors:
        while True:
            heights = _heights(items, column.width, scale)
            fixed = sum(heights.values()) + sum(item.gap_after for item in items[:-1])
            flex_min = sum(minimums.values())
            if fixed + flex_min <= column.height or fixed_scale or scale <= floor:
                break
            scale = max(floor, scale * 0.92)
        if fixed + flex_min <= column.height or fixed_scale:
            break
        if floor == COMFORTABLE_TEXT_SCALE and minimums:
            wanted = column.height - fixed
            factor = max(VISUAL_GIVE, min(1.0, wanted / max(1, flex_min)))
            minimums = {key: round(value * factor) for key, value in minimums.items()}
            flex_min = sum(minimums.values())
            if fixed + flex_min <= column.height:
                break
    for item in items:
        if item.flexible:
            item.flex_min = minimums[item.key]
    spare = column.height - fixed - flex_min
    flex = {item.key: item.flex_min for item in items if item.flexible}
    overflow = 0
    if spare < 0:
        total = sum(flex.values())
        if total:
            notes.append("not everything fitted at the smallest text scale: visuals shrunk below their minimum")
        for key in flex:
            flex[key] = max(0, round(flex[key] + spare * flex[key] / max(1, total)))
        overflow = max(0, -spare - total)
        spare = 0
    else:
        spare = _grow_flex(items, flex, spare)
        if spare > 0 and scale == 1.0 and not fixed_scale:
            # Visuals are at their largest: larger type fills the room better than gaps do.
            base, best = sum(heights.values()), None
            for grown in (1.12, 1.24, MAX_TEXT_SCALE):
                trial = _heights(items, column.width, grown)
                extra = sum(trial.values()) - base
                if not 0 < extra <= spare:
                    break
                best = (trial, grown, extra)
            if best is not None:
                heights, scale, extra = best
                spare -= extra
    gaps = [item.gap_after for item in items[:-1]]
    if spare > 0 and gaps and stretch_gaps:
        stretch = min(spare, sum(g * (MAX_GAP_STRETCH - 1) for g in gaps))
        total = sum(gaps) or 1
        gaps = [g + stretch * g / total for g in gaps]
        spare -= stretch
    y = column.y0 + {"top": 0, "bottom": spare}.get(valign, spare / 2)
    boxes: dict[str, PixelBox] = {}
    for index, item in enumerate(items):
        height = flex[item.key] if item.flexible else heights[item.key]
        width = min(item.width or column.width, column.width)
        x0 = column.x0 + (column.width - width) / 2
        boxes[item.key] = PixelBox(round(x0), round(y), round(x0 + width), round(y + height))
        y += height + (gaps[index] if index < len(gaps) else 0)
    return StackResult(boxes, scale, notes, overflow)


def _heights(items: list[Item], width: int, scale: float) -> dict[str, int]:
    heights = {}
    for item in items:
        if item.flexible:
            continue
        heights[item.key] = item.measure(min(item.width or width, width), scale) if item.measure else item.height
    return heights


def _grow_flex(items: list[Item], flex: dict[str, int], spare: int) -> int:
    """Share `spare` among the flexible items by weight, none beyond its maximum."""
    open_items = [item for item in items if item.flexible]
    while spare > 0 and open_items:
        total = sum(item.weight for item in open_items)
        given = 0
        for item in list(open_items):
            share = round(spare * item.weight / total)
            room = item.flex_max - flex[item.key]
            take = min(share, room)
            flex[item.key] += take
            given += take
            if flex[item.key] >= item.flex_max:
                open_items.remove(item)
        spare -= given
        if given == 0:
            break
    return spare


def largest_empty_band(boxes: list[tuple[int, int, int, int]], length: int, axis: int) -> int:
    """The longest run of rows (axis 1) or columns (axis 0) of the canvas that no box covers."""
    covered = [False] * length
    for box in boxes:
        start, end = (box[1], box[3]) if axis == 1 else (box[0], box[2])
        for i in range(max(0, start), min(length, end)):
            covered[i] = True
    longest = run = 0
    for value in covered:
        run = 0 if value else run + 1
        longest = max(longest, run)
    return longest
