"""Server-rendered charts of the genome as inline SVG: no JavaScript, no build step, nothing a
Content-Security-Policy would block. Pure: numbers in, SVG text out."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Interval:
    label: str
    mean: float       # in [0, 1]
    low: float
    high: float
    n: int            # rewarded ads behind it


def interval_chart(rows: list[Interval], *, width: int = 560, row_height: int = 26, label_width: int = 190) -> str:
    """One row per value: a dot at the posterior mean and a bar over the 90 % credible interval,
    on a 0–100 % axis with the 50 % line (reward ≥ 0.5 is a success)."""
    if not rows:
        return ""
    plot = width - label_width - 70
    height = row_height * len(rows) + 30

    def x(value: float) -> float:
        return label_width + max(0.0, min(1.0, value)) * plot

    parts = [f'<svg class="interval-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="Posterior mean and 90% credible interval per value">']
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        dash = ' stroke-dasharray="3 3"' if tick == 0.5 else ""
        parts.append(f'<line x1="{x(tick):.1f}" y1="4" x2="{x(tick):.1f}" y2="{height - 22}" stroke="#d8d4cc"{dash}/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
                     f'fill="#6b6760">{tick:.0%}</text>')
    for index, row in enumerate(rows):
        y = 12 + index * row_height
        parts.append(f'<text x="{label_width - 8}" y="{y + 4}" font-size="12" text-anchor="end" '
                     f'fill="#2b2823">{escape(row.label)}</text>')
        parts.append(f'<line x1="{x(row.low):.1f}" y1="{y}" x2="{x(row.high):.1f}" y2="{y}" stroke="#8c6fc4" '
                     f'stroke-width="6" stroke-linecap="round" opacity="0.45"/>')
        parts.append(f'<circle cx="{x(row.mean):.1f}" cy="{y}" r="5" fill="#5b2a9a"><title>{escape(row.label)}: '
                     f'{row.mean:.0%} (90% CI {row.low:.0%}–{row.high:.0%}, {row.n} ads)</title></circle>')
        parts.append(f'<text x="{label_width + plot + 10}" y="{y + 4}" font-size="11" fill="#6b6760">'
                     f'{row.mean:.0%} · {row.n} ads</text>')
    parts.append("</svg>")
    return "".join(parts)
