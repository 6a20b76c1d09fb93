"""The labelled set of bench/judge_quality.py: demo cases (template, product, size, colour
mode, copy), their prompts and renders, and the ways each is broken (`break_ad`)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

KINDS = ("garbled_text", "misspelt_text", "wrong_label", "stretched", "squashed", "missing_product", "wrong_product",
         "clipped_text", "faded_text", "wrong_colours", "blank", "blurred", "over_compressed", "resized")
RATIOS = ("1:1", "4:5", "9:16", "16:9")
MODES = ("original", "complementary", "brand")
CTAS = ("Shop now", "Get yours", "Try it tonight", "Claim your offer", "Learn more")
SHORT_SUBHEADLINE = 40
def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- the demo material -----------------------------------------------------------------------

def product_art(slug: str, label_title: str | None = None) -> Image.Image:
    """A demo packshot; `label_title` prints another title on its label (a wrong label)."""
    from adcreator.demo import art
    from adcreator.demo.art_products import Label, dropper_bottle, jar, tube
    from adcreator.demo.art_scenes import packshot

    if label_title is None:
        cutout = {"serum": art.serum_cutout, "moisturizer": art.moisturizer_cutout, "cleanser": art.cleanser_cutout}[slug]()
    else:
        label = Label("Lumen & Leaf", label_title, "", "", ink=art.DEEP_GREEN, accent=art.TERRACOTTA, leaf_mark=True)
        cutout = {"serum": lambda: dropper_bottle(900, label), "moisturizer": lambda: jar(520, label, body=art.CREAM),
                  "cleanser": lambda: tube(900, label)}[slug]()
    tint = {"serum": (247, 243, 236), "moisturizer": (244, 238, 228), "cleanser": (236, 242, 234)}[slug]
    return packshot(cutout, tint=tint)


PRODUCTS = {"serum": "night-repair-serum", "moisturizer": "daily-glow-moisturizer", "cleanser": "gentle-foam-cleanser"}
_art_cache: dict[tuple, bytes] = {}


def product_png(slug: str, label_title: str | None = None) -> bytes:
    key = (slug, label_title)
    if key not in _art_cache:
        _art_cache[key] = png(product_art(slug, label_title))
    return _art_cache[key]


def logo_png() -> bytes:
    from adcreator.demo.art import brand_assets

    if "logo" not in _art_cache:
        _art_cache["logo"] = png(next(image for kind, _, image in brand_assets() if kind == "logo"))
    return _art_cache["logo"]


@dataclass
class Case:
    seed: int
    template: object
    product: str
    ratio: str
    mode: str
    headline: str
    subheadline: str
    cta: str
    template_png: bytes | None = None


def analysis_of(template):
    from adcreator.prompts.models import TemplateAnalysis

    e = template.elements
    return TemplateAnalysis(template_id=1, name=template.filename, palette=e.palette or ["#ffffff"], background=e.background or "#ffffff",
                            native_aspect_ratio=template.filename.rsplit("-", 1)[-1].removesuffix(".png").replace("x", ":"),
                            text_areas=e.text_areas, logo_areas=e.logo_areas, product_areas=e.product_areas)


def build_prompt(case: Case, *, ratio: str | None = None, mode: str | None = None, headline: str | None = None,
                 subheadline: str | None = None, cta: str | None = None):
    from adcreator.demo import catalog
    from adcreator.prompts.models import (CANVAS_SIZES, AdGenerationPrompt, AssetContext, ContentConfig, GenerationRules,
                                          HeadlineConfig, ImageConfig, ProductContext, StyleConfig, SubheadlineConfig,
                                          TaskConfig)
    from adcreator.prompts.palette import palette_for_mode

    ratio, mode = ratio or case.ratio, mode or case.mode
    width, height = CANVAS_SIZES[ratio]
    analysis = analysis_of(case.template)
    product = next(p for p in catalog.PRODUCTS if p.slug == PRODUCTS[case.product])
    brand = catalog.BRAND
    return AdGenerationPrompt(
        task=TaskConfig(variation_index=1, total_variations=1, canvas_size=f"{width}x{height}", aspect_ratio=ratio, color_mode=mode),
        product=ProductContext(name=product.name, brand_name=brand.name, current_offer=product.current_offer,
                               prohibited_claims=list(brand.prohibited_claims), required_disclaimers=list(brand.required_disclaimers)),
        content=ContentConfig(headline=HeadlineConfig(text=headline if headline is not None else case.headline),
                              subheadline=SubheadlineConfig(text=subheadline if subheadline is not None else case.subheadline),
                              cta=cta if cta is not None else case.cta),
        style=StyleConfig(color_mode=mode, palette=palette_for_mode(mode, analysis.palette, list(brand.colours.values()))),
        images=ImageConfig(canvas_width=width, canvas_height=height, aspect_ratio=ratio),
        template_analysis=analysis,
        asset_context=AssetContext(template_requires_logo=bool(analysis.logo_areas), brand_has_logo=True),
        rules=GenerationRules(),
    )


def render(case: Case, prompt, product: bytes | None):
    from adcreator.providers.base import ReferenceImage
    from adcreator.providers.local.render import render_ad_detailed

    references = [ReferenceImage(role="logo", data=logo_png(), asset_tags=["logo"])]
    if product is not None:
        references.insert(0, ReferenceImage(role="product", data=product, asset_tags=["product", "packshot"]))
    return render_ad_detailed(prompt, references)


def make_case(seed: int, index: int, templates: list) -> Case:
    from adcreator.demo import catalog
    from adcreator.providers.local.text_model import truncate_on_word_boundary

    rng = random.Random(seed * 1000 + index)
    # Good ads walk every template x size x colour mode; the rest is drawn.
    template = templates[index % len(templates)]
    ratio = RATIOS[(index // len(templates)) % len(RATIOS)]
    mode = MODES[(index // (len(templates) * len(RATIOS)) + seed) % len(MODES)]
    product = rng.choice(sorted(PRODUCTS))
    slug = PRODUCTS[product]
    hooks = [h.text for h in catalog.HOOKS if h.product_slug in (slug, None)] or [h.text for h in catalog.HOOKS]
    item = next(p for p in catalog.PRODUCTS if p.slug == slug)
    subheads = [item.current_offer, item.description.split(". ")[0].rstrip(".") + ".", f"{item.name}, {item.price}."]
    # Copy is fitted to its slot upstream (generation truncates to the template's budget), so
    # a good ad carries copy its template can hold.
    limits = {area.role: area.max_chars for area in template.elements.text_areas}
    headline = truncate_on_word_boundary(rng.choice(hooks), limits.get("headline"))
    # A template without a subheadline slot gets a short one (the renderer finds it room).
    subheadline = truncate_on_word_boundary(rng.choice(subheads), limits.get("subheadline") or limits.get("body") or SHORT_SUBHEADLINE)
    return Case(seed, template, product, ratio, mode, headline, subheadline, rng.choice(CTAS))


# --- breaking an ad ------------------------------------------------------------------------

def _gibberish(text: str, rng: random.Random) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join("".join(rng.choice(letters) for _ in word) if word.isalpha() or len(word) > 2 else word for word in text.split())


def _misspell(text: str, rng: random.Random) -> str:
    words = text.split()
    candidates = [i for i, w in enumerate(words) if sum(ch.isalpha() for ch in w) >= 4]
    if not candidates:
        return text + "x"
    i = rng.choice(candidates)
    word = list(words[i])
    positions = [p for p, ch in enumerate(word) if ch.isalpha()]
    p = rng.choice(positions[1:-1] or positions)
    kind = rng.choice(("substitute", "swap", "drop", "double"))
    if kind == "substitute":
        word[p] = rng.choice([c for c in "abcdefghkmnprstuvwyz" if c != word[p].lower()])
    elif kind == "swap" and p + 1 < len(word) and word[p + 1].isalpha() and word[p + 1] != word[p]:
        word[p], word[p + 1] = word[p + 1], word[p]
    elif kind == "drop":
        del word[p]
    else:
        word.insert(p, rng.choice("aeiourst"))
    words[i] = "".join(word)
    return " ".join(words)


def _ground(image: Image.Image, box) -> tuple[int, ...]:
    x0, y0, x1, y1 = box
    pixels = np.asarray(image.convert("RGB"))
    ring = np.concatenate([pixels[max(0, y0 - 3), x0:x1], pixels[min(pixels.shape[0] - 1, y1 + 2), x0:x1]])
    return tuple(int(v) for v in np.median(ring, axis=0))


def _copy_box(outcome, rng: random.Random, roles=("headline", "subheadline", "cta")):
    boxes = [(role, box) for role, box in outcome.text_boxes.items() if role in roles and box[2] > box[0] and box[3] > box[1]]
    return rng.choice(boxes) if boxes else None


def _resize_product(outcome, factor: float, rng: random.Random) -> Image.Image:
    image = outcome.image.copy()
    x0, y0, x1, y1 = outcome.product_box
    product = image.crop((x0, y0, x1, y1))
    ground = _ground(image, (max(0, x0 - 8), y0, max(1, x0 - 2), y1)) if x0 > 10 else _ground(image, (x1 + 2, y0, x1 + 8, y1))
    ImageDraw.Draw(image).rectangle((x0, y0, x1 - 1, y1 - 1), fill=ground)
    w, h = x1 - x0, y1 - y0
    wide, tall = (max(4, round(w * factor)), h), (w, max(4, round(h / factor)))  # the same change of proportions
    size = wide if rng.random() < 0.5 else tall
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    # A product grown past the canvas edge would be a cut product as well as a distorted one:
    # the axis that shrinks is changed instead, so the defect is the proportions alone.
    width, height = image.size
    if cx - size[0] // 2 < 0 or cx + size[0] - size[0] // 2 > width or cy - size[1] // 2 < 0 or cy + size[1] - size[1] // 2 > height:
        size = tall if size == wide else wide
    image.paste(product.resize(size, Image.Resampling.LANCZOS), (cx - size[0] // 2, cy - size[1] // 2))
    return image


def break_ad(kind: str, case: Case, rng: random.Random):
    """(broken image, what was done) or None when this case cannot be broken this way."""
    prompt = build_prompt(case)
    product = product_png(case.product)
    if kind == "garbled_text":
        role = rng.choice(("headline", "subheadline", "cta"))
        text = {"headline": case.headline, "subheadline": case.subheadline, "cta": case.cta}[role]
        broken = _gibberish(text, rng)
        return render(case, build_prompt(case, **{role: broken}), product).image, f"{role} drawn as {broken!r}"
    if kind == "misspelt_text":
        role = rng.choice(("headline", "subheadline", "cta"))
        text = {"headline": case.headline, "subheadline": case.subheadline, "cta": case.cta}[role]
        broken = _misspell(text, rng)
        if broken == text:
            return None
        return render(case, build_prompt(case, **{role: broken}), product).image, f"{role} drawn as {broken!r}"
    if kind == "wrong_label":
        from adcreator.demo import catalog

        if render(case, prompt, product).product_box is None:  # a layout without a product has no label
            return None

        names = [p.name for p in catalog.PRODUCTS if p.slug != PRODUCTS[case.product]]
        own = next(p.name for p in catalog.PRODUCTS if p.slug == PRODUCTS[case.product])
        title = rng.choice([rng.choice(names), _misspell(own, rng), _gibberish(own, rng), rng.choice(("Ultra Firming Cream", "Vitamin C Booster", "Sleep Tonic"))])
        return render(case, prompt, product_png(case.product, label_title=title)).image, f"label printed {title!r}"
    outcome = render(case, prompt, product)
    if kind in ("stretched", "squashed"):
        if outcome.product_box is None:
            return None
        factor = rng.uniform(1.25, 1.6) if kind == "stretched" else rng.uniform(0.6, 0.8)
        return _resize_product(outcome, factor, rng), f"product proportions x{factor:.2f}"
    if kind == "missing_product":
        if outcome.product_box is None:
            return None
        if rng.random() < 0.5:
            return render(case, prompt, None).image, "rendered without the product"
        image = outcome.image.copy()
        x0, y0, x1, y1 = outcome.product_box
        ImageDraw.Draw(image).rectangle((x0, y0, x1, y1), fill=_ground(image, (x0, max(0, y0 - 4), x1, max(1, y0 - 1))))
        return image, "product painted out"
    if kind == "wrong_product":
        if outcome.product_box is None:  # a layout without a product shows neither
            return None
        other = rng.choice([p for p in PRODUCTS if p != case.product])
        return render(case, prompt, product_png(other)).image, f"shows the {other} instead"
    if kind == "clipped_text":
        picked = _copy_box(outcome, rng)
        if picked is None:
            return None
        role, (x0, y0, x1, y1) = picked
        image = outcome.image.copy()
        width, height = image.size
        if rng.random() < 0.5:  # pushed over the canvas edge
            share = rng.uniform(0.2, 0.5)
            if rng.random() < 0.5:
                dx = -round(x0 + share * (x1 - x0))
            else:
                dx = round(width - x1 + share * (x1 - x0))
            shifted = Image.new("RGB", image.size, _ground(image, (0, 0, width, 2)))
            shifted.paste(image, (dx, 0))
            return shifted, f"{role} pushed {share:.0%} over the {'left' if dx < 0 else 'right'} edge"
        share = rng.uniform(0.3, 0.6)  # covered by another element
        from_left = rng.random() < 0.5
        cut = round(share * (x1 - x0))
        colour = rng.choice(prompt.style.palette)
        rect = (x0, y0 - 4, x0 + cut, y1 + 4) if from_left else (x1 - cut, y0 - 4, x1, y1 + 4)
        ImageDraw.Draw(image).rectangle(rect, fill=colour)
        return image, f"{role} {share:.0%} covered by a {colour} block"
    if kind == "faded_text":
        picked = _copy_box(outcome, rng, ("headline", "subheadline"))
        if picked is None:
            return None
        role, box = picked
        target = rng.uniform(1.05, 1.5)
        return fade(outcome.image, box, target), f"{role} faded to {target:.2f}:1"
    if kind == "wrong_colours":
        other = rng.choice([m for m in MODES if m != case.mode])
        wrong = build_prompt(case, mode=other)
        # Another mode's palette is a wrong colour only where it differs (a grey template's
        # complementary palette is the same greys): else the hue is rotated.
        if rng.random() < 0.5 and palette_gap(wrong.style.palette, prompt.style.palette) >= MIN_PALETTE_GAP:
            return render(case, wrong, product).image, f"drawn in the {other} palette"
        degrees = rng.uniform(60, 300)
        return hue_rotate(outcome.image, degrees), f"hue rotated {degrees:.0f} degrees"
    if kind == "blank":
        colour = tuple(rng.randrange(256) for _ in range(3))
        image = Image.new("RGB", outcome.image.size, colour)
        if rng.random() < 0.5:
            noise = np.random.default_rng(rng.randrange(10**6)).normal(0, rng.uniform(0.5, 2.0), (image.height, image.width, 1))
            image = Image.fromarray(np.clip(np.asarray(image) + noise, 0, 255).astype(np.uint8))
        return image, f"blank {colour}"
    if kind == "blurred":
        radius = rng.uniform(3, 12)
        return outcome.image.filter(ImageFilter.GaussianBlur(radius)), f"Gaussian blur {radius:.1f} px"
    if kind == "over_compressed":
        quality = rng.randrange(3, 11)
        buffer = io.BytesIO()
        outcome.image.save(buffer, format="JPEG", quality=quality)
        return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"), f"JPEG quality {quality}"
    if kind == "resized":
        source_ratio = rng.choice([r for r in RATIOS if r != case.ratio])
        source = render(case, build_prompt(case, ratio=source_ratio), product).image
        size = outcome.image.size
        how = rng.choice(("stretched", "letterboxed", "cropped"))
        if how == "stretched":
            return source.resize(size, Image.Resampling.LANCZOS), f"{source_ratio} ad stretched to {case.ratio}"
        scale = (min if how == "letterboxed" else max)(size[0] / source.width, size[1] / source.height)
        fitted = source.resize((max(1, round(source.width * scale)), max(1, round(source.height * scale))), Image.Resampling.LANCZOS)
        canvas = Image.new("RGB", size, _ground(source, (0, 0, source.width, 2)) if how == "letterboxed" else (0, 0, 0))
        canvas.paste(fitted, ((size[0] - fitted.width) // 2, (size[1] - fitted.height) // 2))
        return canvas, f"{source_ratio} ad {how} to {case.ratio}"
    raise ValueError(kind)


def fade(image: Image.Image, box, target: float) -> Image.Image:
    """The box's pixels blended towards their ground until the ink reaches `target` contrast."""
    from adcreator.providers.local.judge_measures import contrast_of_luminances, relative_luminance

    x0, y0, x1, y1 = (int(round(v)) for v in box)
    pixels = np.asarray(image.convert("RGB"), dtype=np.float64).copy()
    crop = pixels[y0:y1, x0:x1]
    ground = np.median(np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]]), axis=0)
    distance = np.linalg.norm(crop - ground, axis=2)
    ink = crop[distance >= np.percentile(distance, 97)].mean(axis=0)
    low, high = 0.0, 1.0  # the share of the ink's difference from the ground that is kept
    for _ in range(30):
        keep = (low + high) / 2
        c = contrast_of_luminances(relative_luminance(ground + keep * (ink - ground)), relative_luminance(ground))
        low, high = (keep, high) if c < target else (low, keep)
    pixels[y0:y1, x0:x1] = ground + low * (crop - ground)
    return Image.fromarray(np.clip(np.round(pixels), 0, 255).astype(np.uint8))


MIN_PALETTE_GAP = 15.0  # mean CIELAB ΔE between two palettes' colours for them to count as different


def palette_gap(a: list[str], b: list[str]) -> float:
    """Mean ΔE from each colour of `a` to the nearest of `b` (both ways, averaged)."""
    from adcreator.providers.local.judge_measures import parse_hex, rgb_to_lab

    la = rgb_to_lab(np.array([parse_hex(c) for c in a], float))
    lb = rgb_to_lab(np.array([parse_hex(c) for c in b], float))
    distances = np.linalg.norm(la[:, None] - lb[None], axis=2)
    return float((distances.min(axis=1).mean() + distances.min(axis=0).mean()) / 2)


def hue_rotate(image: Image.Image, degrees: float) -> Image.Image:
    hsv = np.asarray(image.convert("HSV"), dtype=np.int16).copy()
    hsv[..., 0] = (hsv[..., 0] + round(degrees / 360 * 256)) % 256
    return Image.fromarray(hsv.astype(np.uint8), "HSV").convert("RGB")

