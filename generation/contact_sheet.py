"""A contact sheet: every ad of a run on one PNG, labelled, to look at a run at a glance. Pure Pillow."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageDraw

from adcreator.providers.local.fonts import load_font

THUMB_HEIGHT = 300
GAP = 24
LABEL_HEIGHT = 54
BACKGROUND = (246, 244, 239)
INK = (29, 35, 43)
MUTED = (91, 102, 117)
STATUS_COLORS = {
    "approved": (30, 122, 60), "rejected": (179, 38, 30), "flagged": (168, 107, 0),
    "review_failed": (120, 60, 140), "generated": (31, 77, 58), "generation_failed": (179, 38, 30),
}


@dataclass
class SheetItem:
    image_bytes: bytes | None
    title: str
    subtitle: str
    status: str


def contact_sheet(items: list[SheetItem], *, title: str, columns: int = 6) -> bytes:
    """Lay the thumbnails out in rows (same height, natural widths) and return PNG bytes."""
    thumbs: list[Image.Image] = []
    for item in items:
        if item.image_bytes:
            img = Image.open(BytesIO(item.image_bytes)).convert("RGB")
            img.thumbnail((THUMB_HEIGHT * 2, THUMB_HEIGHT))
        else:
            img = Image.new("RGB", (THUMB_HEIGHT * 4 // 5, THUMB_HEIGHT), (225, 225, 225))
            ImageDraw.Draw(img).text((12, THUMB_HEIGHT // 2), "no image", fill=MUTED, font=load_font("Lato", "Bold", 22))
        thumbs.append(img)
    rows = [list(range(i, min(i + columns, len(items)))) for i in range(0, len(items), columns)] or [[]]
    row_widths = [sum(thumbs[i].width for i in row) + GAP * (len(row) + 1) for row in rows]
    width = max([*row_widths, 900])
    header = 90
    height = header + len(rows) * (THUMB_HEIGHT + LABEL_HEIGHT + GAP) + GAP
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    draw.text((GAP, 24), title, fill=INK, font=load_font("Lato", "Black", 36))
    small = load_font("Lato", "Regular", 17)
    bold = load_font("Lato", "Bold", 18)
    y = header
    for row in rows:
        x = GAP
        for i in row:
            thumb, item = thumbs[i], items[i]
            sheet.paste(thumb, (x, y + THUMB_HEIGHT - thumb.height))
            color = STATUS_COLORS.get(item.status, MUTED)
            draw.rectangle([x, y + THUMB_HEIGHT + 4, x + thumb.width, y + THUMB_HEIGHT + 8], fill=color)
            draw.text((x, y + THUMB_HEIGHT + 12), _clip(item.title, draw, bold, thumb.width), fill=INK, font=bold)
            draw.text((x, y + THUMB_HEIGHT + 33), _clip(item.subtitle, draw, small, thumb.width), fill=MUTED, font=small)
            x += thumb.width + GAP
        y += THUMB_HEIGHT + LABEL_HEIGHT + GAP
    out = BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _clip(text: str, draw: ImageDraw.ImageDraw, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"
