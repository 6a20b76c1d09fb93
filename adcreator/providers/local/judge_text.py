"""Text geometry for the offline vision judge: edge-found lines, ink/ground contrast, buttons.

Lines are found the way a glyph looks at a glance: small, dense edge strokes of similar height
in a row (a second source of text regions beside the OCR's detector, for small type). Inside a
line's box the pixels split into ink and ground by luminance (Otsu), and the WCAG contrast
between the two is measured, so the figure is what a reader sees, whatever colours were asked
for. What the text says is read in `judge_reading`.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from adcreator.providers.local.judge_measures import contrast_of_luminances, relative_luminance, to_hex
from adcreator.providers.local.pixels import downscale

TEXT_WORK_SHORT_SIDE = 640  # by the short side, so every ratio keeps a 16 px disclaimer ~9 px tall
EDGE_STEP = 22.0  # channel step between neighbours that counts as a stroke edge; low enough for faint text
MIN_GLYPH_PX = 4
MAX_GLYPH_HEIGHT = 0.15  # of image height: taller outlines are shapes, not letters
MIN_GLYPH_DENSITY = 0.12  # edge pixels per bbox pixel; letters are dense, big outlines sparse
MAX_GLYPH_ASPECT = 4.0  # width/height of one component: wider is a bar or a rule (or a merged word)
# Small type at the work size merges its letters into one component per word: a wide
# component this dense in edges is a word (a bar's edges are its outline only, a word's
# every stroke), so it counts as a glyph of the line.
WORD_MIN_DENSITY = 0.45
MAX_WORD_ASPECT = 14.0
MAX_WORD_HEIGHT_PX = 14  # work pixels: larger type keeps its letters apart
MIN_GLYPHS_PER_LINE = 3  # a word has letters; one or two blobs in a row are shapes
MAX_COMPONENTS = 2500  # pairwise linking is quadratic; keep the biggest strokes on busy images
MIN_INK_SHARE = 0.04  # of a line box: less ink than this is not text
# Button detection: the label's surroundings are one fill colour (within this RGB distance)
# that forms a closed shape no bigger than these multiples of the label.
BUTTON_FILL_TOLERANCE = 30.0
BUTTON_MAX_HEIGHT_LINES = 4.0
BUTTON_MAX_WIDTH_LABELS = 3.0


def _edge_map(pixels: np.ndarray) -> np.ndarray:
    height, width = pixels.shape[:2]
    channels = [pixels[..., c].astype(np.int16) for c in range(3)]
    edges = np.zeros((height, width), bool)
    for axis, target in ((1, edges[:, 1:]), (0, edges[1:, :])):
        steps = [np.abs(np.diff(channel, axis=axis)) for channel in channels]
        target |= np.maximum(np.maximum(steps[0], steps[1]), steps[2]) > EDGE_STEP
    return edges


def _without_long_rules(edges: np.ndarray) -> np.ndarray:
    """The edge map less straight vertical and horizontal runs longer than any glyph (a
    panel's or a photo's edge): a word crossing one would otherwise join it and be lost."""
    kept = edges.copy()
    longest = MAX_GLYPH_HEIGHT * edges.shape[0]
    for structure, axis in ((np.array([[0, 1, 0]] * 3), 0), (np.array([[0, 1, 0]] * 3).T, 1)):
        labels, count = ndimage.label(edges, structure=structure)
        if count == 0:
            continue
        spans = np.array([s[axis].stop - s[axis].start for s in ndimage.find_objects(labels)])
        long_runs = np.flatnonzero(spans > longest) + 1
        if len(long_runs):
            kept &= ~np.isin(labels, long_runs)
    return kept


def _components(edges: np.ndarray) -> np.ndarray:
    """Rows (x0, y0, x1, y1, edge pixels) of 8-connected edge components, exclusive ends."""
    labels, count = ndimage.label(edges, structure=np.ones((3, 3)))
    counts = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    rows = [[s[1].start, s[0].start, s[1].stop, s[0].stop, counts[i]] for i, s in enumerate(ndimage.find_objects(labels))]
    return np.array(rows, dtype=float).reshape(-1, 5)


def _groups(linked: np.ndarray) -> list[np.ndarray]:
    rows, cols = np.nonzero(linked)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=linked.shape)
    count, labels = connected_components(graph, directed=False)
    return [np.flatnonzero(labels == group) for group in range(count)]


def find_text_lines(pixels: np.ndarray) -> list[tuple[np.ndarray, int, float]]:
    """(box x0,y0,x1,y1 in work pixels, glyph count, median glyph height) per text-like line."""
    height, width = pixels.shape[:2]
    parts = _components(_without_long_rules(_edge_map(pixels)))
    if len(parts) == 0:
        return []
    part_w, part_h = parts[:, 2] - parts[:, 0], parts[:, 3] - parts[:, 1]
    density = parts[:, 4] / np.maximum(part_w * part_h, 1)
    letter = (part_w <= MAX_GLYPH_ASPECT * part_h) & (density >= MIN_GLYPH_DENSITY)
    word = (part_w <= MAX_WORD_ASPECT * part_h) & (density >= WORD_MIN_DENSITY) & (part_h <= MAX_WORD_HEIGHT_PX)
    glyphs = parts[(part_h >= MIN_GLYPH_PX) & (part_h <= MAX_GLYPH_HEIGHT * height) & (letter | word)]
    if len(glyphs) > MAX_COMPONENTS:
        glyphs = glyphs[np.argsort(-glyphs[:, 4], kind="stable")[:MAX_COMPONENTS]]
    if len(glyphs) < MIN_GLYPHS_PER_LINE:
        return []
    x0, y0, x1, y1 = glyphs[:, 0], glyphs[:, 1], glyphs[:, 2], glyphs[:, 3]
    h = y1 - y0
    overlap = np.minimum(y1[:, None], y1[None]) - np.maximum(y0[:, None], y0[None])
    shorter, taller = np.minimum(h[:, None], h[None]), np.maximum(h[:, None], h[None])
    gap = np.maximum(x0[:, None], x0[None]) - np.minimum(x1[:, None], x1[None])
    # Same baseline band, compatible sizes (ascenders and x-height), within a wide word space.
    linked = (overlap >= 0.5 * shorter) & (taller <= 2.5 * shorter) & (gap <= 1.0 * taller)
    lines = []
    for members in _groups(linked):
        if len(members) < MIN_GLYPHS_PER_LINE:
            continue
        part = glyphs[members]
        box = np.array([part[:, 0].min(), part[:, 1].min(), part[:, 2].max(), part[:, 3].max()])
        if box[2] - box[0] >= 1.5 * (box[3] - box[1]):
            lines.append((box, len(members), float(np.median(part[:, 3] - part[:, 1]))))
    return sorted(lines, key=lambda line: (line[0][1], line[0][0]))


def _otsu(values: np.ndarray) -> float:
    histogram, edges = np.histogram(values, bins=64)
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * centres)
    total_w, total_mean = weight[-1], mean[-1]
    between = (total_mean * weight - mean * total_w) ** 2 / np.maximum(weight * (total_w - weight), 1e-9)
    return float(centres[int(np.argmax(between[:-1]))])


# A line whose box outline falls this much into the class its ground is not lies on two
# grounds (a line set across a panel's edge): its contrast is measured piece by piece.
MIXED_OUTLINE_SHARE = 0.2
PIECE_HEIGHTS = 3.0  # a piece of such a line is this many line heights wide


def measure_line(full: np.ndarray, box: np.ndarray) -> tuple[float, str, str] | None:
    """(WCAG contrast, ink hex, ground hex) inside a line box, or None if it holds no ink.

    `full` is the full-size RGB image and `box` is in its pixels: thin strokes keep their
    true colour only at full size. The ground is the luminance class that owns the box's
    outline (text rarely touches it); the ink is the other. Anti-aliased stroke edges sit
    between the two, so the ink is taken at its core (the quartile furthest from the ground)
    and the ground at its median.

    A line across two grounds (a light copy panel and a darker product panel) splits by
    luminance into the two grounds rather than ink and ground: it is measured in pieces a few
    line heights wide, each on one ground, the ink's core pooled over the pieces (one piece
    holds too few stroke cores of small type), and its contrast is its weakest piece's.
    """
    whole = _split(full, box)
    if whole is None or whole[3] <= MIXED_OUTLINE_SHARE:
        return _contrast([whole]) if whole is not None else None
    x0, y0, x1, y1 = (float(v) for v in box)
    step = PIECE_HEIGHTS * max(1.0, y1 - y0)
    pieces = [_split(full, np.array([left, y0, min(x1, left + step), y1])) for left in np.arange(x0, x1, step)]
    pieces = [p for p in pieces if p is not None and p[3] <= MIXED_OUTLINE_SHARE]
    if not pieces:
        return _contrast([whole])
    results = [_contrast([p for p in pieces if p[2] == dark], index) for dark in (False, True)
               for index in range(sum(p[2] == dark for p in pieces))]
    return min(results, key=lambda r: r[0])


def _contrast(pieces: list, index: int = 0) -> tuple[float, str, str]:
    """The contrast of piece `index`'s ground with the ink core pooled over `pieces` (all on
    grounds of one polarity)."""
    ink_values = np.concatenate([p[0] for p in pieces])
    ground_is_dark = pieces[index][2]
    # Pooled over pieces, the ink class holds the anti-aliased rims of both grounds: its core
    # is nearer the extreme (measured on 16 px type across two panels: the 25th percentile
    # read 4.4:1 where the ink colour is 4.6:1 on the darker panel; the 10th read the ink).
    share = 25 if len(pieces) == 1 else 10
    ink = float(np.percentile(ink_values, 100 - share if ground_is_dark else share))
    return float(contrast_of_luminances(ink, pieces[index][1])), pieces[index][4], pieces[index][5]


def _split(full: np.ndarray, box: np.ndarray) -> tuple[np.ndarray, float, bool, float, str, str] | None:
    """(ink luminances, ground luminance, ground is dark, share of the outline not on the
    ground, ink hex, ground hex) of a box split into ink and ground, or None without ink."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    pad = max(1, round(0.15 * (y1 - y0)))
    height, width = full.shape[:2]
    x0, y0, x1, y1 = max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad)
    crop = full[y0:y1, x0:x1]
    window = relative_luminance(crop)
    colours = crop.astype(np.float32)
    if window.size < 16 or np.ptp(window) < 1e-4:
        return None
    perceptual = np.cbrt(window)  # thresholds in a perceptual scale split grey text better
    threshold = _otsu(perceptual.ravel())
    dark = perceptual <= threshold
    outline = np.concatenate([dark[0], dark[-1], dark[:, 0], dark[:, -1]])
    ground_is_dark = bool(outline.mean() > 0.5)
    mixed = float(min(outline.mean(), 1 - outline.mean()))
    ink_mask = ~dark if ground_is_dark else dark
    if ink_mask.mean() < MIN_INK_SHARE or ink_mask.all():
        return None
    ground = float(np.median(window[~ink_mask]))
    return (window[ink_mask], ground, ground_is_dark, mixed,
            to_hex(np.median(colours[ink_mask], axis=0)), to_hex(np.median(colours[~ink_mask], axis=0)))


def button_around(pixels: np.ndarray, box: np.ndarray) -> tuple[np.ndarray, str, str, float] | None:
    """(button box, fill hex, surround hex, fill/surround contrast) if the label sits on a closed
    shape of one fill colour (a pill or a button), else None."""
    height, width = pixels.shape[:2]
    x0, y0, x1, y1 = box
    line_h, line_w = y1 - y0, x1 - x0
    margin = max(2, round(0.35 * line_h))
    ring_box = (int(max(0, x0 - margin)), int(max(0, y0 - margin)), int(min(width, x1 + margin)), int(min(height, y1 + margin)))
    ring = np.ones((ring_box[3] - ring_box[1], ring_box[2] - ring_box[0]), bool)
    ring[int(y0) - ring_box[1]:int(y1) - ring_box[1], int(x0) - ring_box[0]:int(x1) - ring_box[0]] = False
    colours = pixels[ring_box[1]:ring_box[3], ring_box[0]:ring_box[2]][ring]
    if len(colours) == 0:
        return None
    fill = np.median(colours, axis=0)
    if (np.linalg.norm(colours - fill, axis=1) < BUTTON_FILL_TOLERANCE).mean() < 0.8:
        return None
    # The fill region containing the label, searched in a window a little larger than the
    # biggest button allowed: if it reaches the window's edge it is the background, not a shape.
    reach_x, reach_y = BUTTON_MAX_WIDTH_LABELS * line_w / 2, BUTTON_MAX_HEIGHT_LINES * line_h / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    wx0, wy0 = int(max(0, cx - reach_x)), int(max(0, cy - reach_y))
    wx1, wy1 = int(min(width, cx + reach_x)), int(min(height, cy + reach_y))
    window = pixels[wy0:wy1, wx0:wx1]
    similar = np.linalg.norm(window - fill, axis=2) < BUTTON_FILL_TOLERANCE
    # The label's own box counts as inside the shape, so the letters do not split it.
    similar[int(y0) - wy0:int(y1) - wy0, int(x0) - wx0:int(x1) - wx0] = True
    labels, _ = ndimage.label(similar)
    label = labels[int(cy) - wy0, int(cx) - wx0]
    if label == 0:
        return None
    ys, xs = np.nonzero(labels == label)
    shape = np.array([xs.min() + wx0, ys.min() + wy0, xs.max() + 1 + wx0, ys.max() + 1 + wy0])
    touches_window = (shape[0] <= wx0 and wx0 > 0) or (shape[1] <= wy0 and wy0 > 0) or (shape[2] >= wx1 and wx1 < width) or (shape[3] >= wy1 and wy1 < height)
    if touches_window or shape[0] <= 0 or shape[1] <= 0 or shape[2] >= width or shape[3] >= height:
        return None
    # The ground around the button: a thin ring just outside the shape's box.
    gap = max(2, round(0.25 * line_h))
    ox0, oy0, ox1, oy1 = max(0, shape[0] - 2 * gap), max(0, shape[1] - 2 * gap), min(width, shape[2] + 2 * gap), min(height, shape[3] + 2 * gap)
    outer = np.ones((oy1 - oy0, ox1 - ox0), bool)
    outer[shape[1] - oy0 + 0:shape[3] - oy0 + gap, shape[0] - ox0:shape[2] - ox0] = False  # skip a drop shadow below
    surround = np.median(pixels[oy0:oy1, ox0:ox1][outer], axis=0)
    contrast = float(contrast_of_luminances(relative_luminance(fill), relative_luminance(surround)))
    return shape, to_hex(fill), to_hex(surround), contrast


def text_work_pixels(image: Image.Image) -> np.ndarray:
    scale = TEXT_WORK_SHORT_SIDE / min(image.size)
    return downscale(image, round(max(image.size) * scale)) if scale < 1 else np.asarray(image.convert("RGB"), dtype=np.float32)
