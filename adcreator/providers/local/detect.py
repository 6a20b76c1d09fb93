"""The offline template analyzer: layout elements read from the pixels alone.

No model: it finds what simple image statistics can support and says what they cannot.
- background: a smooth colour surface fitted to the border (handles flat and gradient fills);
- text: small high-contrast edge strokes chained into lines and lines stacked into blocks;
- product: the largest solid blob that stands out from the background and is not text;
- logo: a small salient blob (or short wordmark) near a corner or the top edge, a guess;
- people, badges and the like are not recognisable this way and are listed in `not_detected`.
All work happens on a copy at most MAX_SIDE pixels on its long side, so a 1080x1350 template
is analysed in tens of milliseconds, and the same bytes always give the same elements.
"""

from __future__ import annotations


import numpy as np
from PIL import Image
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from adcreator.prompts.elements import Region, TemplateElements, TextArea
from adcreator.providers.base import TemplateAnalysisRequest, TemplateAnalysisResult, Usage
from adcreator.providers.local.detect_parts import find_archetype, to_parts
from adcreator.providers.local.pixels import decode_rgb, downscale

MAX_SIDE = 512  # detail beyond this adds time, not layout information
BORDER_FRACTION = 0.03  # the outer strip sampled as "background"
BORDER_SAMPLE_STEP = 4  # every 4th border pixel: plenty for a 6-term fit, a quarter the work
EDGE_STEP = 40  # channel step (0-255) between neighbours that counts as a stroke edge
SALIENCE = 60.0  # RGB distance from the background model that makes a pixel foreground
MIN_GLYPH_PX = 4  # smaller edge specks are noise or punctuation at this scale
MAX_GLYPH_HEIGHT = 0.15  # of image height: taller outlines are shapes, not letters
MIN_GLYPH_DENSITY = 0.12  # edge pixels per bbox pixel; letters are dense, big outlines sparse
MAX_COMPONENTS = 1500  # pairwise linking is quadratic; keep the biggest strokes on busy images
PRODUCT_MIN_AREA = 0.015  # of the image; smaller blobs are icons or decoration
LOGO_AREA = (0.0005, 0.03)
CHAR_WIDTH_EM = 0.52  # mean advance width of Latin text in ems
LINE_HEIGHT_EM = 0.8  # ink height of a mixed-case line, in ems
# What pixel statistics cannot tell: reported so nobody reads "none found" as "not there".
NOT_DETECTED = ["people", "person", "hand", "badge", "lifestyle", "texture"]


class LocalTemplateAnalyzer:
    """TemplateAnalyzer for the `local` provider."""

    provider_name = "local"
    model_name = "local-pixel-detector-v2"
    # v2: also the archetype and its parts (see detect_parts).
    detection_version = "local-pixels-v2"

    def analyze_template(self, request: TemplateAnalysisRequest) -> TemplateAnalysisResult:
        pixels = _decode_and_downscale(request.image)
        elements = _analyse_pixels(pixels)
        elements.detector = self.detection_version
        return TemplateAnalysisResult(elements=elements, model=self.model_name, usage=Usage())


def _decode_and_downscale(data: bytes) -> np.ndarray:
    # Box averaging when shrinking: fast, and thin strokes fade rather than alias into noise.
    return downscale(decode_rgb(data, "template image").image, MAX_SIDE)


def _analyse_pixels(pixels: np.ndarray) -> TemplateElements:
    height, width = pixels.shape[:2]
    background_model, background_hex, uniformity = _background(pixels)
    elements = TemplateElements(palette=_palette(pixels), background=background_hex,
                                not_detected=list(NOT_DETECTED))
    if min(height, width) < 16:
        return elements
    difference = pixels - background_model
    salience = np.sqrt(np.einsum("ijk,ijk->ij", difference, difference))
    foreground = ndimage.binary_opening(salience > SALIENCE, structure=np.ones((3, 3)))
    blob_labels, blob_count = ndimage.label(foreground, structure=np.ones((3, 3)))
    blobs = _boxes(ndimage.find_objects(blob_labels), blob_labels, blob_count)

    lines = _text_lines(pixels)
    blocks = _text_blocks(lines)
    text_mask = np.zeros((height, width), bool)
    for x0, y0, x1, y1 in lines[:, :4].astype(int):
        text_mask[y0:y1, x0:x1] = True
    text_pixels = np.bincount(blob_labels[text_mask], minlength=blob_count + 1)[1:]
    text_share = text_pixels / np.maximum(blobs[:, 4], 1)

    cta_index, cta_box, cta_blob = _find_cta(blocks, pixels, salience, blob_labels, blobs,
                                             (width, height))
    product = _find_product(blobs, text_share, cta_blob, (width, height), uniformity)
    product_box = blobs[product[0], :4] if product else None

    roles = _assign_roles(blocks, cta_index, product_box, height)
    logo = _find_logo(blobs, text_share, blocks, roles, {cta_blob, product[0] if product else -1},
                      (width, height))
    if logo and logo[2] is not None:
        roles.pop(logo[2], None)  # that short text block was the wordmark

    size = np.array([width, height, width, height], dtype=float)
    for index in sorted(roles, key=lambda i: (blocks[i, 1], blocks[i, 0])):
        box = cta_box if index == cta_index else _pad(blocks[index], width, height)
        elements.text_areas.append(TextArea(
            role=roles[index], box=_fraction(box, size), max_chars=_max_chars(blocks[index], box),
            align=_alignment(lines, blocks[index], width)))
    if product:
        elements.product_areas.append(
            Region(box=_fraction(product_box, size), confidence=product[1]))
        elements.required_assets.append("product")
    if logo:
        elements.logo_areas.append(Region(box=_fraction(logo[0], size), confidence=logo[1]))
        elements.optional_assets.append("logo")
    by_role = {roles[i]: (cta_box if i == cta_index else _pad(blocks[i], width, height)) for i in roles}
    found = find_archetype(pixels, lines, cta_box=tuple(int(v) for v in cta_box) if cta_box is not None else None,
                           product_box=product_box,
                           headline_box=_int_box(by_role.get("headline")), reviewer_box=_int_box(by_role.get("subheadline")))
    elements.archetype = found.archetype
    elements.parts = to_parts(found, (width, height))
    if found.archetype is None:
        elements.not_detected.append("archetype")
    return elements


def _int_box(box) -> tuple[int, int, int, int] | None:
    return None if box is None else tuple(int(round(float(v))) for v in box[:4])


def _background(pixels: np.ndarray) -> tuple[np.ndarray, str, float]:
    """Fit a quadratic colour surface to the border: (model per pixel, hex, border uniformity)."""
    height, width = pixels.shape[:2]
    strip = max(1, round(BORDER_FRACTION * min(height, width)))
    border = np.zeros((height, width), bool)
    border[:strip], border[-strip:], border[:, :strip], border[:, -strip:] = True, True, True, True
    ys, xs = np.nonzero(border)
    ys, xs = ys[::BORDER_SAMPLE_STEP], xs[::BORDER_SAMPLE_STEP]
    colours = pixels[ys, xs]

    def design(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        u, v = x / max(width - 1, 1), y / max(height - 1, 1)
        return np.stack([np.ones_like(u), u, v, u * u, v * v, u * v], axis=-1)

    basis = design(xs.astype(np.float64), ys.astype(np.float64))
    colours = colours.astype(np.float64)
    keep = np.ones(len(colours), bool)
    for _ in range(2):  # refit once without the outliers (objects touching the border)
        # Normal equations of a 6-term fit: tiny, and ridge-damped so a flat border is stable.
        gram = basis[keep].T @ basis[keep] + 1e-6 * np.eye(6)
        coefficients = np.linalg.solve(gram, basis[keep].T @ colours[keep])
        residual = np.linalg.norm(basis @ coefficients - colours, axis=1)
        keep = residual < max(20.0, 2.0 * float(np.median(residual)))
    u = np.arange(width, dtype=np.float32)[:, None] / max(width - 1, 1)
    v = np.arange(height, dtype=np.float32)[:, None] / max(height - 1, 1)
    c = coefficients.astype(np.float32)
    # Separable evaluation: column terms + row terms + the one cross term.
    model = (c[0] + u * c[1] + u * u * c[3])[None] + (v * c[2] + v * v * c[4])[:, None]
    if np.abs(c[5]).max() > 0.5:  # the cross term is skipped when it moves no colour level
        model += (v[:, None] * u[None]) * c[5]
    uniformity = float(np.mean(residual < 25.0))
    # The hex is the commonest border colour (coarse bins), not the fit: a real pixel colour.
    coarse = (colours // 32).astype(np.int64)
    bins = coarse[:, 0] * 64 + coarse[:, 1] * 8 + coarse[:, 2]
    commonest = np.bincount(bins).argmax()
    return model, _hex(colours[bins == commonest].mean(axis=0)), uniformity


def _palette(pixels: np.ndarray, colours: int = 8) -> list[str]:
    """k-means on a thumbnail, seeded by an octree quantisation so it is deterministic.

    Merged near-duplicates, most frequent first; colours under 1% of the area are dropped.
    """
    thumbnail = Image.fromarray(pixels.astype(np.uint8))
    thumbnail.thumbnail((128, 128))
    seeds = thumbnail.quantize(colors=colours, method=Image.Quantize.FASTOCTREE)
    used = sorted(index for _, index in seeds.getcolors())
    centres = np.array(seeds.getpalette()[: 3 * (max(used) + 1)], float).reshape(-1, 3)[used]
    # Cluster the distinct colours weighted by frequency: flat artwork has few of them.
    flat = np.asarray(thumbnail, np.uint8).reshape(-1, 3)
    codes = flat.astype(np.int32) @ np.array([65536, 256, 1], dtype=np.int32)
    packed, weights = np.unique(codes, return_counts=True)
    samples = np.stack([packed // 65536, packed // 256 % 256, packed % 256], axis=1).astype(float)
    for _ in range(5):  # a few Lloyd steps pull octree cell colours onto the actual clusters
        nearest = np.argmin(((samples[:, None] - centres[None]) ** 2).sum(axis=2), axis=1)
        counts = np.bincount(nearest, weights, minlength=len(centres))
        sums = np.stack([np.bincount(nearest, weights * samples[:, c], len(centres))
                         for c in range(3)], 1)
        centres = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centres)
    merged: list[tuple[np.ndarray, int]] = []
    for index in np.argsort(-counts, kind="stable"):
        for i, (known, known_count) in enumerate(merged):
            if np.linalg.norm(known - centres[index]) < 24:  # indistinguishable at a glance
                merged[i] = (known, known_count + int(counts[index]))
                break
        else:
            merged.append((centres[index], int(counts[index])))
    ordered = sorted(merged, key=lambda item: -item[1])
    return [_hex(rgb) for rgb, count in ordered if count / len(flat) >= 0.01]


def _text_lines(pixels: np.ndarray) -> np.ndarray:
    """Rows (x0, y0, x1, y1, glyphs, glyph height) of chained letter-like edge components."""
    height, width = pixels.shape[:2]
    edges = np.zeros((height, width), bool)
    for axis, target in ((1, edges[:, 1:]), (0, edges[1:, :])):
        step = np.abs(np.diff(pixels, axis=axis))
        target |= np.maximum(np.maximum(step[..., 0], step[..., 1]), step[..., 2]) > EDGE_STEP
    labels, count = ndimage.label(edges, structure=np.ones((3, 3)))
    parts = _boxes(ndimage.find_objects(labels), labels, count)
    part_w, part_h = parts[:, 2] - parts[:, 0], parts[:, 3] - parts[:, 1]
    density = parts[:, 4] / np.maximum(part_w * part_h, 1)
    glyphs = parts[(part_h >= MIN_GLYPH_PX) & (part_h <= MAX_GLYPH_HEIGHT * height)
                   & (part_w <= 0.9 * width) & (density >= MIN_GLYPH_DENSITY)]
    if len(glyphs) > MAX_COMPONENTS:
        glyphs = glyphs[np.argsort(-glyphs[:, 4], kind="stable")[:MAX_COMPONENTS]]
    if len(glyphs) == 0:
        return np.zeros((0, 6))
    x0, y0, x1, y1 = glyphs[:, 0], glyphs[:, 1], glyphs[:, 2], glyphs[:, 3]
    h = y1 - y0
    overlap = np.minimum(y1[:, None], y1[None]) - np.maximum(y0[:, None], y0[None])
    shorter, taller = np.minimum(h[:, None], h[None]), np.maximum(h[:, None], h[None])
    gap = np.maximum(x0[:, None], x0[None]) - np.minimum(x1[:, None], x1[None])
    # Same baseline band, compatible sizes, and no farther apart than a wide word space.
    linked = (overlap >= 0.5 * shorter) & (taller <= 2.5 * shorter) & (gap <= 1.0 * taller)
    rows = []
    for members in _groups(linked):
        part = glyphs[members]
        box = [part[:, 0].min(), part[:, 1].min(), part[:, 2].max(), part[:, 3].max()]
        line_w, line_h = box[2] - box[0], box[3] - box[1]
        merged_word = len(members) == 1 and line_w >= 2.5 * line_h
        if (len(members) >= 2 or merged_word) and line_w >= 1.2 * line_h:
            rows.append([*box, len(members), float(np.median(part[:, 3] - part[:, 1]))])
    return np.array(rows, dtype=float).reshape(-1, 6)


def _text_blocks(lines: np.ndarray) -> np.ndarray:
    """Rows (x0, y0, x1, y1, line count, line height) of lines stacked into paragraphs."""
    if len(lines) == 0:
        return np.zeros((0, 6))
    x0, y0, x1, y1 = lines[:, 0], lines[:, 1], lines[:, 2], lines[:, 3]
    line_h = y1 - y0
    vertical_gap = np.maximum(y0[:, None], y0[None]) - np.minimum(y1[:, None], y1[None])
    horizontal_overlap = np.minimum(x1[:, None], x1[None]) - np.maximum(x0[:, None], x0[None])
    taller = np.maximum(line_h[:, None], line_h[None])
    shorter = np.minimum(line_h[:, None], line_h[None])
    linked = (vertical_gap <= 0.9 * taller) & (horizontal_overlap > 0) & (taller <= 1.5 * shorter)
    blocks = np.array([[lines[m, 0].min(), lines[m, 1].min(), lines[m, 2].max(), lines[m, 3].max(),
                        len(m), float(np.median(line_h[m]))] for m in _groups(linked)])
    return blocks[np.lexsort((blocks[:, 0], blocks[:, 1]))]  # top to bottom, then left to right


def _find_cta(blocks, pixels, salience, blob_labels, blobs, size):
    """(block index, button box, button blob index) of the lowest short text block sitting on
    a compact filled shape in the lower half, or (-1, None, -1)."""
    width, height = size
    best: tuple[float, int, np.ndarray, int] | None = None
    for index, (x0, y0, x1, y1, line_count, line_h) in enumerate(blocks):
        if line_count > 2 or (y0 + y1) / 2 < 0.5 * height:
            continue
        margin = max(2, round(0.3 * line_h))  # buttons pad their label by about this much
        ox0, oy0 = max(0, int(x0) - margin), max(0, int(y0) - margin)
        window = np.s_[oy0:min(height, int(y1) + margin), ox0:min(width, int(x1) + margin)]
        ring = np.ones(blob_labels[window].shape, bool)
        ring[int(y0) - oy0:int(y1) - oy0, int(x0) - ox0:int(x1) - ox0] = False
        if not ring.any():
            continue
        colours = pixels[window][ring]
        on_fill = np.linalg.norm(colours - np.median(colours, axis=0), axis=1) < 30
        if on_fill.mean() < 0.8 or np.median(salience[window][ring]) < SALIENCE:
            continue  # not on a uniform fill that differs from the background
        shape = np.bincount(blob_labels[window][ring], minlength=len(blobs) + 1)[1:]
        if not shape.any():
            continue
        shape_index = int(shape.argmax())
        shape_box = blobs[shape_index, :4]
        shape_w, shape_h = shape_box[2] - shape_box[0], shape_box[3] - shape_box[1]
        too_big = shape_w * shape_h > 0.08 * width * height
        if shape_w > 0.8 * width or shape_h > 4 * (y1 - y0) or too_big:
            continue  # a banner or a product carrying text, not a button
        score = (y0 + y1) / 2
        if best is None or score > best[0]:
            best = (score, index, shape_box, shape_index)
    return best[1:] if best else (-1, None, -1)


def _find_product(blobs, text_share, cta_blob, size, uniformity):
    """(blob index, confidence) of the largest salient non-text, non-panel blob, or None."""
    width, height = size
    area = blobs[:, 4] / (width * height)
    touches = ((blobs[:, 0] <= 1).astype(int) + (blobs[:, 1] <= 1) + (blobs[:, 2] >= width - 1)
               + (blobs[:, 3] >= height - 1))
    # Large uniform areas that reach two or more edges are panels/backdrops, not objects.
    candidate = (area >= PRODUCT_MIN_AREA) & (text_share < 0.5) & ~((touches >= 2) & (area > 0.2))
    if cta_blob >= 0:
        candidate[cta_blob] = False  # the button is a shape, but not the product
    if not candidate.any():
        return None
    index = int(np.argmax(np.where(candidate, blobs[:, 4], -1)))
    box_area = (blobs[index, 2] - blobs[index, 0]) * (blobs[index, 3] - blobs[index, 1])
    solidity = blobs[index, 4] / max(box_area, 1)
    evidence = 0.35 + 0.3 * min(1.0, area[index] / 0.1) + 0.2 * solidity
    # Salience is measured against the border's colour model: a busy border (a photo) makes
    # it unreliable. Capped below 1: a blob is only probably the product.
    return index, round(min(0.85, evidence * (0.4 + 0.6 * uniformity)), 3)


def _assign_roles(blocks, cta_index, product_box, height) -> dict[int, str]:
    roles: dict[int, str] = {}
    if cta_index >= 0:
        roles[cta_index] = "cta"
    free = [i for i in range(len(blocks)) if i != cta_index
            and not (product_box is not None and _inside(blocks[i, :4], product_box) > 0.7)]
    if not free:
        return roles

    def prominence(i: int) -> float:
        # The biggest type wins, nudged towards the top where headlines usually sit.
        centre_y = (blocks[i, 1] + blocks[i, 3]) / 2 / height
        return blocks[i, 5] * (1.2 - 0.4 * centre_y)

    headline = max(free, key=lambda i: (prominence(i), -i))
    roles[headline] = "headline"
    top, bottom, line_h = blocks[headline, 1], blocks[headline, 3], blocks[headline, 5]

    def distance(i: int) -> float:
        return min(abs(blocks[i, 1] - bottom), abs(top - blocks[i, 3]))

    near = [i for i in free if i != headline and blocks[i, 5] < line_h and distance(i) <= 3 * line_h
            and min(blocks[i, 2], blocks[headline, 2]) > max(blocks[i, 0], blocks[headline, 0])]
    if near:
        roles[min(near, key=lambda i: (distance(i), i))] = "subheadline"
    typical = float(np.median(blocks[free, 5]))
    for i in free:
        if i not in roles:
            small_at_bottom = blocks[i, 5] < 0.6 * typical and blocks[i, 1] > 0.85 * height
            roles[i] = "disclaimer" if small_at_bottom else "body"
    return roles


def _find_logo(blobs, text_share, blocks, roles, taken, size):
    """(box, confidence, wordmark block index or None) for a small mark near a corner/top."""
    width, height = size
    best: tuple[float, np.ndarray, float, int | None] | None = None

    def placement(box) -> float:
        cx, cy = (box[0] + box[2]) / 2 / width, (box[1] + box[3]) / 2 / height
        corner = min(np.hypot(cx - a, cy - b) for a in (0, 1) for b in (0, 1))
        return max(1.0 - corner / 0.3, 1.0 - cy / 0.2, 0.0)  # 1 at a corner/top edge, 0 inside

    for index, blob in enumerate(blobs):
        area = blob[4] / (width * height)
        if index in taken or not LOGO_AREA[0] <= area <= LOGO_AREA[1] or text_share[index] > 0.5:
            continue
        score = placement(blob[:4])
        if score > 0 and (best is None or score > best[0]):
            best = (score, blob[:4], round(0.25 + 0.3 * score, 3), None)
    for index, role in roles.items():
        block = blocks[index]
        if role == "body" and block[4] == 1 and _max_chars(block, block[:4]) <= 16:
            score = 0.9 * placement(block[:4])  # a wordmark is likelier plain copy than a shape is
            if score > 0 and (best is None or score > best[0]):
                best = (score, _pad(block, width, height), round(0.2 + 0.25 * score, 3), index)
    return best[1:] if best else None


def _groups(linked: np.ndarray) -> list[np.ndarray]:
    rows, cols = np.nonzero(linked)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=linked.shape)
    count, labels = connected_components(graph, directed=False)
    return [np.flatnonzero(labels == group) for group in range(count)]


def _boxes(slices, labels: np.ndarray, count: int) -> np.ndarray:
    """Rows (x0, y0, x1, y1, pixel count) for labelled components, exclusive ends."""
    counts = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    rows = [[s[1].start, s[0].start, s[1].stop, s[0].stop, counts[i]] for i, s in enumerate(slices)]
    return np.array(rows, dtype=float).reshape(-1, 5)


def _max_chars(block: np.ndarray, box) -> int:
    em = block[5] / LINE_HEIGHT_EM
    per_line = (box[2] - box[0]) / max(CHAR_WIDTH_EM * em, 1.0)
    return int(max(1, min(400, round(per_line * block[4]))))


def _alignment(lines: np.ndarray, block: np.ndarray, width: int) -> str:
    members = lines[(lines[:, 0] >= block[0]) & (lines[:, 2] <= block[2])
                    & (lines[:, 1] >= block[1]) & (lines[:, 3] <= block[3])]
    if len(members) >= 2:
        spreads = {"left": members[:, 0].std(), "right": members[:, 2].std(),
                   "center": ((members[:, 0] + members[:, 2]) / 2).std()}
        return min(spreads, key=lambda key: (spreads[key], key != "center"))
    centre = (block[0] + block[2]) / 2 / width
    return "center" if abs(centre - 0.5) < 0.08 else ("left" if centre < 0.5 else "right")


def _pad(block: np.ndarray, width: int, height: int) -> np.ndarray:
    pad = 0.25 * block[5]
    return np.array([max(0, block[0] - pad), max(0, block[1] - pad),
                     min(width, block[2] + pad), min(height, block[3] + pad)])


def _inside(box: np.ndarray, container: np.ndarray) -> float:
    """Share of `box` that lies within `container`."""
    w = max(0.0, min(box[2], container[2]) - max(box[0], container[0]))
    h = max(0.0, min(box[3], container[3]) - max(box[1], container[1]))
    return w * h / max((box[2] - box[0]) * (box[3] - box[1]), 1e-9)


def _fraction(box, size: np.ndarray) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in np.clip(np.asarray(box, float) / size, 0.0, 1.0).round(4))
    x0, y0 = min(x0, 0.9999), min(y0, 0.9999)
    return x0, y0, max(x1, x0 + 1e-4), max(y1, y0 + 1e-4)


def _hex(rgb) -> str:
    r, g, b = (int(max(0, min(255, round(float(v))))) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"
