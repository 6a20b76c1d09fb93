"""The daily P(best) chart of an experiment as inline SVG, pure (no Django, no JavaScript).

Colours and lines are SVG presentation attributes, not style attributes, so the page keeps
to a Content-Security-Policy without 'unsafe-inline'. Every label is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

# Colour per arm position (control first): distinguishable, and dark enough on white.
ARM_COLOURS = ("#5d6877", "#1f77b4", "#c8643b", "#2f8f4e")
WIDTH, HEIGHT = 700, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 230, 16, 36


def _x(day: int, max_day: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * (day - 1) / (max_day - 1) if max_day > 1 else span / 2)


def _y(p: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - p)


def prob_best_chart(days: Sequence[int], series: Sequence[Sequence[float]], labels: Sequence[str], *,
                    max_day: int = 14, win_threshold: float = 0.90, futility_threshold: float = 0.05,
                    title: str = "Daily P(best) per arm") -> str:
    """`series[arm][i]` is the P(best) of `labels[arm]` on `days[i]` (ratios in [0, 1])."""
    if len(series) != len(labels):
        raise ValueError("one label per arm is needed")
    if any(len(points) != len(days) for points in series):
        raise ValueError("every arm needs one P(best) per day")
    max_day = max([max_day, *days]) if days else max_day
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
             f'aria-labelledby="pbest-title" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="pbest-title">{escape(title)}</title>']
    # Axes and grid: 0, the futility and win thresholds, 0.5 and 1.
    # The axis is labelled at 0, 0.5 and 1; the thresholds are named at the right end of their lines.
    for p, dash, axis_label, line_label in (
            (0.0, "", "0", ""), (futility_threshold, "4 3", "", f"futility {futility_threshold:.2f}"),
            (0.5, "2 4", "0.5", ""), (win_threshold, "4 3", "", f"win {win_threshold:.2f}"), (1.0, "", "1", "")):
        y = _y(p)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#c9ced6"'
                     f' stroke-width="1"{dash_attr}/>')
        if axis_label:
            parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#5d6877">'
                         f'{axis_label}</text>')
        if line_label:
            parts.append(f'<text x="{WIDTH - RIGHT - 2}" y="{y - 3:.1f}" text-anchor="end" font-size="10" '
                         f'fill="#5d6877">{line_label}</text>')
    for day in range(1, max_day + 1):
        if day == 1 or day % 2 == 0 or day == max_day:
            parts.append(f'<text x="{_x(day, max_day):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                         f'font-size="11" fill="#5d6877">{day}</text>')
    parts.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle" font-size="11" '
                 f'fill="#5d6877">day of the experiment</text>')
    for arm, (points, label) in enumerate(zip(series, labels)):
        colour = ARM_COLOURS[arm % len(ARM_COLOURS)]
        coords = " ".join(f"{_x(day, max_day):.1f},{_y(min(1.0, max(0.0, p))):.1f}" for day, p in zip(days, points))
        if len(days) > 1:
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5" '
                         'stroke-linejoin="round"/>')
        for day, p in zip(days, points):
            parts.append(f'<circle cx="{_x(day, max_day):.1f}" cy="{_y(min(1.0, max(0.0, p))):.1f}" r="3" '
                         f'fill="{colour}"><title>{escape(label)}, day {day}: P(best) {p:.3f}</title></circle>')
        legend_y = TOP + 14 + arm * 20
        parts.append(f'<line x1="{WIDTH - RIGHT + 14}" y1="{legend_y - 4}" x2="{WIDTH - RIGHT + 34}" '
                     f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="3"/>')
        shown = label if len(label) <= 26 else label[:25] + "…"
        last = f" · {points[-1]:.2f}" if points else ""
        parts.append(f'<text x="{WIDTH - RIGHT + 40}" y="{legend_y}" font-size="12" fill="#17202a">'
                     f'<title>{escape(label)}</title>{escape(shown)}{last}</text>')
    parts.append("</svg>")
    return "".join(parts)
