"""The learning demo's chart as a PNG, drawn with Pillow (no plotting library to install)."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw

from adcreator.providers.local.fonts import load_font

PALETTE = ("#5b2a9a", "#1d7a5f", "#c2571a", "#1d4f91", "#9a2a55", "#6b6b2a", "#2a8a9a", "#8a6b2a")


def learning_chart(history: list[dict], *, best: str, hook_types: list[str], width: int = 1100, height: int = 520) -> bytes:
    """Left: share of each week's ads with the truly best hook type. Right: each hook type's
    posterior mean by week (the best one thick)."""
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    title, small = load_font("Lato", "Bold", 20), load_font("Lato", "Regular", 14)
    draw.text((24, 14), "The genome learning on the simulated market", font=title, fill="#222222")
    panels = [(60, 80, width // 2 - 30, height - 60), (width // 2 + 50, 80, width - 200, height - 60)]
    weeks = [h["week"] for h in history]
    for (x0, y0, x1, y1), label in zip(panels, ("Share of the week's ads with the best hook type",
                                                 "Hook-type score by week (posterior mean; correlational)")):
        draw.text((x0, y0 - 28), label, font=small, fill="#444444")
        draw.rectangle((x0, y0, x1, y1), outline="#cccccc")
        for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = y1 - tick * (y1 - y0)
            draw.line((x0, y, x1, y), fill="#eeeeee")
            draw.text((x0 - 40, y - 8), f"{tick:.0%}", font=small, fill="#777777")
        for i, week in enumerate(weeks):
            x = x0 + (i + 0.5) / max(len(weeks), 1) * (x1 - x0)
            draw.text((x - 10, y1 + 6), f"w{week}", font=small, fill="#777777")

    def point(panel, i, value):
        x0, y0, x1, y1 = panel
        return (x0 + (i + 0.5) / max(len(weeks), 1) * (x1 - x0), y1 - max(0.0, min(1.0, value)) * (y1 - y0))

    share = [point(panels[0], i, h["share_best"]) for i, h in enumerate(history)]
    if len(share) > 1:
        draw.line(share, fill=PALETTE[0], width=4)
    for p in share:
        draw.ellipse((p[0] - 5, p[1] - 5, p[0] + 5, p[1] + 5), fill=PALETTE[0])
    for index, hook_type in enumerate(hook_types):
        points = [point(panels[1], i, h["means"][hook_type]) for i, h in enumerate(history) if hook_type in h["means"]]
        colour = PALETTE[index % len(PALETTE)]
        if len(points) > 1:
            draw.line(points, fill=colour, width=5 if hook_type == best else 2)
        for p in points:
            draw.ellipse((p[0] - 3, p[1] - 3, p[0] + 3, p[1] + 3), fill=colour)
        draw.text((width - 190, 90 + index * 22), hook_type + (" (best)" if hook_type == best else ""), font=small, fill=colour)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
