"""Arranging an archetype's blocks on the canvas, differently for each shape of canvas.

- square and 4:5: one column (logo, copy, the visual large, the call to action), or, when the
  template sets its visual beside the copy, two columns;
- 9:16: the copy and the CTA in the band clear of the Stories interface, the visual below
  them running into the bottom zone (a visual there is fine; text is not);
- 16:9: two columns, the visual on the template's side, the copy beside it.
The visual takes the spare room first, then the type grows, then the gaps, so no large band
of the canvas is left empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adcreator.prompts.models import TemplateAnalysis
from adcreator.providers.local.archetypes.blocks import Block, disclaimer
from adcreator.providers.local.canvas import Kit
from adcreator.providers.local.layout import COMFORTABLE_TEXT_SCALE, PixelBox, solve_stack

VISUAL_COLUMN_SHARE = {"wide": 0.46, "square": 0.46, "portrait": 0.46, "tall": 0.5}


@dataclass(frozen=True)
class Hints:
    """What the template says about arrangement, read from its analysis."""

    visual_side: str  # "left" | "right"
    columns: bool  # the template sets its visual beside the copy
    align: str  # the copy's alignment
    logo_align: str


def hints_for(analysis: TemplateAnalysis) -> Hints:
    product = max(analysis.product_areas, key=lambda r: (r.box[2] - r.box[0]) * (r.box[3] - r.box[1]), default=None)
    headline = next((a for a in analysis.text_areas if a.role == "headline"), None)
    side = "right" if product is None or (product.box[0] + product.box[2]) / 2 >= 0.5 else "left"
    columns = False
    if product is not None and headline is not None:
        overlap = min(product.box[3], headline.box[3]) - max(product.box[1], headline.box[1])
        apart = product.box[0] >= headline.box[2] - 0.02 or product.box[2] <= headline.box[0] + 0.02
        columns = overlap > 0 and apart
    align = headline.align if headline is not None and headline.align in ("left", "center") else "center"
    logo = analysis.logo_areas[0].box if analysis.logo_areas else None
    logo_align = "center" if logo is None else ("left" if (logo[0] + logo[2]) / 2 < 0.4 else "right" if (logo[0] + logo[2]) / 2 > 0.6 else "center")
    return Hints(side, columns, align, logo_align)


@dataclass
class Arrangement:
    strategy: str  # "stacked" | "side_by_side"
    boxes: dict[str, PixelBox]
    scale: float
    visual_column: PixelBox | None = None
    copy_column: PixelBox | None = None
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def use_columns(kit: Kit, hints: Hints) -> bool:
    """Side by side on 16:9, and on 1:1 and 4:5 where the template sets its visual beside its copy."""
    return kit.frame.shape == "wide" or (kit.frame.shape in ("square", "portrait") and hints.columns)


def arrange(kit: Kit, blocks: list[Block | None], visual: Block | None, hints: Hints, *, visual_index: int | None = None,
            columns: bool | None = None) -> Arrangement:
    """Boxes for every block. `blocks` are the copy blocks in reading order (None skipped);
    the visual goes at `visual_index` among them in a single column (default: before the
    last block, the CTA), or in its own column."""
    frame = kit.frame
    blocks = [b for b in blocks if b is not None]
    note_block = disclaimer(kit)
    automatic = columns is None
    columns = use_columns(kit, hints) if columns is None else columns
    area = frame.text_safe if frame.shape == "tall" else frame.safe
    if note_block is not None and frame.shape != "tall":
        # A strip along the bottom edge carries the small print on every shape but 9:16,
        # where it sits under the CTA (the bottom band is the app's).
        height = note_block.item(kit).measure(area.width, 1.0)
        strip = PixelBox(area.x0, area.y1 - height, area.x1, area.y1)
        area = PixelBox(area.x0, area.y0, area.x1, strip.y0 - round(0.02 * frame.short))
        note_box = strip
    else:
        note_box = None
        if note_block is not None:
            blocks.append(note_block)
    if columns and visual is not None:
        arrangement = _columns(kit, blocks, visual, hints, area)
    elif frame.shape == "tall":
        arrangement = _tall(kit, blocks, visual)
    else:
        arrangement = _stacked(kit, blocks, visual, area, visual_index)
        if automatic and visual is not None and _cramped(kit, arrangement, visual):
            # One column leaves the visual or the type too small on this canvas: set them side by side.
            beside = _columns(kit, blocks, visual, hints, area)
            if beside.scale >= arrangement.scale:
                arrangement = beside
    if note_box is not None:
        arrangement.boxes["disclaimer"] = note_box
        arrangement.blocks.append(note_block)
    return arrangement


def _solve_dropping(kit: Kit, ordered: list[Block], area: PixelBox, valign: str = "center"):
    """Solve the stack; while it overflows, leave out the optional blocks (and say so)."""
    ordered = list(ordered)
    while True:
        items = [b.item(kit) for b in ordered]
        wanted = {item.key: item.flex_min for item in items if item.flexible}
        result = solve_stack(items, area, valign=valign)
        # The visual squeezed under its minimum is worse than a supporting line left out.
        squeezed = any(result.boxes[key].height < 0.98 * height for key, height in wanted.items() if key in result.boxes)
        optional = [b for b in ordered if b.optional]
        if (result.overflow <= 0 and not squeezed) or not optional:
            if result.overflow > 0:
                result.notes.append(f"the copy needs {result.overflow} px more than this canvas has")
            return result, ordered
        ordered.remove(optional[0])
        kit.outcome.notes.append(f"{optional[0].key} left out: no room for it beside a product of a size that reads")


def _stacked(kit: Kit, blocks: list[Block], visual: Block | None, area: PixelBox, visual_index: int | None) -> Arrangement:
    ordered = list(blocks)
    if visual is not None:
        index = visual_index if visual_index is not None else next((i for i, b in enumerate(ordered) if b.key == "cta"), len(ordered))
        ordered.insert(index, visual)
    result, ordered = _solve_dropping(kit, ordered, area)
    arrangement = Arrangement("stacked", result.boxes, result.scale, blocks=ordered)
    arrangement.notes = result.notes
    return arrangement


def _cramped(kit: Kit, arrangement: Arrangement, visual: Block) -> bool:
    wanted = visual.item(kit).flex_min
    box = arrangement.boxes.get(visual.key)
    return arrangement.scale < COMFORTABLE_TEXT_SCALE or box is None or box.height < 0.98 * wanted


def _columns(kit: Kit, blocks: list[Block], visual: Block, hints: Hints, area: PixelBox) -> Arrangement:
    frame = kit.frame
    gutter = round(0.05 * frame.short)
    share = VISUAL_COLUMN_SHARE[frame.shape]
    if hints.visual_side == "left":
        visual_column, copy_column = area.split_x(share, gutter)
    else:
        copy_column, visual_column = area.split_x(1 - share, gutter)
    boxes: dict[str, PixelBox] = {}
    copy_area = copy_column
    rest = list(blocks)
    if rest and rest[0].key == "logo":  # the logo heads the copy column, wherever the copy sits
        logo_item = rest.pop(0).item(kit)
        boxes["logo"] = PixelBox(copy_column.x0, copy_column.y0, copy_column.x0 + min(copy_column.width, logo_item.width or copy_column.width),
                                 copy_column.y0 + logo_item.height)
        copy_area = copy_column.with_y(boxes["logo"].y1 + logo_item.gap_after, copy_column.y1)
    result, rest = _solve_dropping(kit, rest, copy_area)
    blocks = [b for b in blocks if b in rest or b.key == "logo"]
    boxes |= {key: PixelBox(copy_column.x0, box.y0, copy_column.x1, box.y1) if key not in ("logo",) else box for key, box in result.boxes.items()}
    for block in rest:  # narrower items keep their width, aligned with the copy
        item = block.item(kit)
        if item.width and item.width < copy_column.width:
            box = boxes[block.key]
            x0 = copy_column.x0 if hints.align == "left" else copy_column.x0 + (copy_column.width - item.width) // 2
            boxes[block.key] = PixelBox(x0, box.y0, x0 + item.width, box.y1)
    visual_item = visual.item(kit)
    visual_item.gap_after = 0
    visual_result = solve_stack([visual_item], visual_column, valign="center")
    boxes["visual"] = visual_result.boxes["visual"]
    return Arrangement("side_by_side", boxes, result.scale, visual_column, copy_column, blocks=list(blocks) + [visual], notes=result.notes)


def _tall(kit: Kit, blocks: list[Block], visual: Block | None) -> Arrangement:
    """Copy in the interface-free band, the visual under it down to the bottom margin."""
    frame = kit.frame
    column = frame.text_safe.with_y(frame.text_safe.y0, frame.safe.y1)
    ordered = list(blocks) + ([visual] if visual is not None else [])
    result, ordered = _solve_dropping(kit, ordered, column)
    blocks = [b for b in blocks if b in ordered]
    boxes = dict(result.boxes)
    text_keys = [b.key for b in blocks if b.is_text]
    overflow = max((boxes[k].y1 for k in text_keys), default=0) - frame.text_safe.y1
    if overflow > 0:
        # The gaps grew the copy into the bottom band: pull it up (there is room above).
        room = min(overflow, min(boxes[k].y0 for k in text_keys) - frame.text_safe.y0)
        for key in text_keys:
            box = boxes[key]
            boxes[key] = PixelBox(box.x0, box.y0 - room, box.x1, box.y1 - room)
        if overflow > room:
            kit.outcome.notes.append("9:16: the copy runs into the bottom interface band")
    return Arrangement("stacked", boxes, result.scale, blocks=ordered, notes=result.notes)


def paint_blocks(kit: Kit, arrangement: Arrangement) -> None:
    kit.outcome.notes.extend(arrangement.notes)
    for block in arrangement.blocks:
        if block.key in arrangement.boxes:
            block.draw(kit, arrangement.boxes[block.key], arrangement.scale)
    if kit.badge_wanted is not None:
        kit.badge(*kit.badge_wanted)
