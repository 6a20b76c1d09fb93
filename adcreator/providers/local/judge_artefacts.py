"""Artefact measurements for the offline vision judge: blank, blur, noise, seams, banding.

Each is a standard no-reference statistic that needs no idea of what the ad should show,
so it applies equally to a local render and to a remote model's image.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field
from scipy import ndimage

from adcreator.prompts.vocabulary import SIZES
from adcreator.providers.local.judge_measures import rgb_to_lab
from adcreator.providers.local.pixels import grey_levels

BLANK_STD = 3.0  # grey-level standard deviation below which an image is blank
SEAM_SPAN = 0.9  # share of a row/column a compositing seam runs across
SEAM_STEP = (2.5, 24.0)  # ΔE of a seam: visible, yet too weak to be a designed colour block
BLOCK_EDGE_STEP = 40.0  # grey-level steps above this are designed edges, not block seams
BLOCK_MIN_STEP = 0.05  # mean step inside blocks below which an image is too flat to tell
BAR_DISTANCE = 10.0  # RGB distance from the border colour within which a row counts as empty
BAR_MIN_SHARE = 0.08  # each bar at least this share of the side: a fitted ad of another ratio
BAR_BALANCE = 0.03  # the two bars' shares differ by at most this: centred


class ArtefactMeasurement(BaseModel):
    grey_std: float  # spread of grey levels over the whole ad; ~0 means blank
    blank: bool
    blur: float | None  # Crete blur metric: 0 sharp … 1 blurred; None without edges
    noise_sigma: float  # estimated grey-level noise standard deviation
    seams: int = 0  # full-span weak discontinuities: a composite's joins
    band_edges: int = 0  # rows/columns of stepped gradient (posterisation)
    blockiness: float | None = None  # JPEG 8x8 grid: step across block edges over steps within; ~1 clean
    # Empty bars on opposite sides (share of the height top+bottom, of the width left+right):
    # an ad of another ratio fitted into the canvas instead of laid out again. 0 when none.
    bars: tuple[float, float] = (0.0, 0.0)
    details: list[str] = Field(default_factory=list)


def blur_metric(grey: np.ndarray) -> float | None:
    """No-reference blur (Crete et al., 2007): how little the image's neighbour differences
    shrink when it is blurred again. 0 is sharp, 1 is as blurry as a 9-pixel box blur can
    make it; it depends on edge width, not on how much contrast or how many edges there are.
    None when the image has no edges to judge."""
    total_variation, total_lost = 0.0, 0.0
    for axis in (0, 1):
        reblurred = ndimage.uniform_filter1d(grey, size=9, axis=axis, mode="nearest")
        original_steps = np.abs(np.diff(grey, axis=axis))
        reblurred_steps = np.abs(np.diff(reblurred, axis=axis))
        total_variation += float(original_steps.sum())
        total_lost += float(np.maximum(0.0, original_steps - reblurred_steps).sum())
    if total_variation < 1e-3 * grey.size:
        return None
    return round(1.0 - total_lost / total_variation, 3)


def noise_sigma(grey: np.ndarray) -> float:
    """Grey-level noise standard deviation (Immerkær 1996), with a median instead of a mean so
    the edges of flat artwork do not read as noise: the kernel cancels smooth shading and
    leaves 6σ of pixel noise."""
    kernel = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], dtype=np.float32)
    response = np.abs(ndimage.convolve(grey, kernel, mode="nearest"))
    return round(float(np.median(response)) / (0.6745 * 6), 2)


def _discontinuities(pixels_lab: np.ndarray) -> tuple[list[str], int]:
    """(seam descriptions, banding lines): rows/columns where the whole image shifts colour by
    the same small amount. One or two such lines are a composite's joins; three or more
    parallel ones are a gradient broken into bands (posterisation)."""
    seams: list[str] = []
    bands = 0
    for axis, name in ((0, "row"), (1, "column")):
        length = pixels_lab.shape[axis]
        if length < 5:
            continue
        # Over two pixels, so a join softened by resampling still shows as one step.
        forward = np.take(pixels_lab, range(2, length), axis=axis) - np.take(pixels_lab, range(0, length - 2), axis=axis)
        lines = np.moveaxis(forward, axis, 0)  # [line, position along it, Lab]
        typical = np.median(lines, axis=1)  # the shift each line makes, where it agrees
        size = np.linalg.norm(typical, axis=1)
        agree = np.linalg.norm(lines - typical[:, None], axis=2) < 0.5 * size[:, None] + 1.5
        candidate = (size >= SEAM_STEP[0]) & (size <= SEAM_STEP[1]) & (agree.mean(axis=1) >= SEAM_SPAN)
        # One step spans two adjacent two-pixel differences: keep the stronger of each pair.
        strongest = candidate & (size >= np.roll(size, 1)) & (size > np.roll(size, -1))
        found = np.flatnonzero(strongest)
        found = found[(found > 1) & (found < len(size) - 2)]  # a frame along the border is design
        if len(found) >= 3:
            bands += len(found)
        else:
            seams.extend(f"{name} seam at {(int(i) + 1) / length:.0%}" for i in found)
    return seams, bands


def blockiness(grey: np.ndarray) -> float | None:
    """How much more the image steps across the 8-pixel grid a JPEG codes in than elsewhere:
    the mean neighbour difference between pixels 8k+7 and 8k+8 over the mean at other
    positions, both directions, leaving out strong steps (designed edges, which flat artwork
    may well draw on the grid). A clean image scores ~1.0; heavy compression, which squares
    each block off, 1.5 and more. None when the image is too flat to tell. `grey` must be
    full size: the grid is in the image's own pixels."""
    ratios = []
    for axis in (0, 1):
        steps = np.abs(np.diff(grey, axis=axis))
        if steps.shape[axis] < 32:
            continue
        steps = np.where(steps > BLOCK_EDGE_STEP, 0.0, steps)
        position = np.arange(steps.shape[axis]) % 8 == 7  # between pixel 8k+7 and 8k+8
        across = np.take(steps, np.flatnonzero(position), axis=axis).mean()
        within = np.take(steps, np.flatnonzero(~position), axis=axis).mean()
        if within > BLOCK_MIN_STEP:
            ratios.append(across / within)
    return round(float(np.mean(ratios)), 3) if ratios else None


# Width/height of the canvases an ad is made in: an ad of one of them fitted into another
# leaves its own proportions between the bars.
AD_ASPECTS = tuple(size.width / size.height for size in SIZES)
ASPECT_TOLERANCE = 0.03


def _uniform_run(lines: np.ndarray) -> int:
    """How many leading lines ([line, position, RGB]) are one colour, the first line's."""
    ground = np.median(lines[0], axis=0)
    uniform = (np.linalg.norm(lines - ground, axis=2) < BAR_DISTANCE).all(axis=1)
    return int(np.argmin(uniform)) if not uniform.all() else len(uniform)


def letterbox_bars(pixels: np.ndarray) -> tuple[float, float]:
    """(top+bottom, left+right) shares of the canvas taken by uniform bars on *both* opposite
    sides, each at least BAR_MIN_SHARE; (0, 0) when there are none. One empty margin is
    design; two framing everything else are a resize, when they are
    - of about equal size and one colour, the border's (a centred fit), or
    - each in its own colour, and what lies between the narrower one and its mirror has the
      proportions of another ad canvas: a fill in the ad's own edge colour merges with that
      edge's margin, so one bar reads longer than the other."""
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    ground = np.median(border, axis=0)
    flat = np.linalg.norm(pixels - ground, axis=2) < BAR_DISTANCE
    height, width = pixels.shape[:2]
    canvas = width / height
    shares = []
    for axis, rows in ((0, flat.all(axis=1)), (1, flat.all(axis=0))):  # top/bottom rows, left/right columns
        n = len(rows)
        lead = int(np.argmin(rows)) if not rows.all() else n
        trail = int(np.argmin(rows[::-1])) if not rows.all() else n
        low, high = sorted((lead / n, trail / n))
        if low >= BAR_MIN_SHARE and high - low <= BAR_BALANCE and lead < n:
            shares.append(round(lead / n + trail / n, 3))
            continue
        lines = pixels if axis == 0 else pixels.transpose(1, 0, 2)
        bar = min(_uniform_run(lines), _uniform_run(lines[::-1]))
        inner = (width / (height - 2 * bar)) if axis == 0 else ((width - 2 * bar) / height)
        other_canvas = any(abs(inner / aspect - 1) <= ASPECT_TOLERANCE and abs(canvas / aspect - 1) > ASPECT_TOLERANCE
                           for aspect in AD_ASPECTS)
        shares.append(round(2 * bar / n, 3) if bar / n >= BAR_MIN_SHARE and bar < n / 2 and other_canvas else 0.0)
    return shares[0], shares[1]


def artefacts(pixels: np.ndarray, fine: np.ndarray, full_grey: np.ndarray | None = None) -> ArtefactMeasurement:
    """Blank, blur, noise, seams and banding. `pixels` is the work-size copy; `fine` a larger
    one (noise and edge softness vanish when a copy is reduced four times)."""
    grey = grey_levels(pixels)
    grey_std = float(grey.std())
    blank = grey_std < BLANK_STD
    fine_grey = grey_levels(fine)
    blur = None if blank else blur_metric(fine_grey)
    seams, bands = _discontinuities(rgb_to_lab(pixels)) if not blank else ([], 0)
    blocks = None if blank or full_grey is None else blockiness(full_grey)
    return ArtefactMeasurement(grey_std=round(grey_std, 2), blank=blank, blur=blur, noise_sigma=noise_sigma(fine_grey),
                               seams=len(seams), band_edges=bands, details=seams[:4], blockiness=blocks,
                               bars=(0.0, 0.0) if blank else letterbox_bars(pixels))
