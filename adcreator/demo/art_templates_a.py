"""Ad templates of fictional brands, part one: skincare, supplements, coffee, apparel, pets, fitness.

Each function draws one template at its native size and returns it with its exact layout.
"""

from __future__ import annotations

from PIL import Image

from adcreator.demo.art_common import RGB, AAMask, fill_mask, mix, radial_glow, vertical_gradient
from adcreator.demo.art_layout import DemoTemplate, Layout, TemplateMetadata, evaluation
from adcreator.demo.art_people import PersonStyle
from adcreator.demo.art_products import Label, can, dropper_bottle, jar, pouch, tshirt, tube

WHITE: RGB = (255, 255, 255)


def glow_testimonial() -> DemoTemplate:
    plum, blush = (64, 34, 46), (238, 200, 190)
    layout = Layout(1080, 1080, (251, 240, 234))
    layout.block((0.56, 0.06, 0.95, 0.94), blush, radius=36)
    layout.logo((0.07, 0.06, 0.36, 0.11), "Glow Co.", plum, (196, 98, 112))
    layout.stars(0.07, 0.2, 42, count=5)
    layout.text("headline", (0.07, 0.3, 0.53, 0.6), "\u201cMy skin has never looked this calm.\u201d", plum, "Lato", "Black", 78,
                part="quote")
    layout.text("subheadline", (0.07, 0.62, 0.53, 0.68), "Maya R., verified buyer", mix(plum, WHITE, 0.3), "Lato", "Regular", 34,
                part="reviewer")
    layout.cta((0.07, 0.8, 0.42, 0.88), "SHOP THE SERUM", plum, WHITE)
    bottle = dropper_bottle(700, Label("Glow Co.", "Calm Serum", "centella + niacinamide", "30 ml", plum, (196, 98, 112)),
                            glass=(226, 170, 168), cap=(250, 246, 242))
    layout.product(bottle, (0.6, 0.16, 0.91, 0.86))
    meta = TemplateMetadata("Glow Co. - review quote", "testimonial", "beauty", "skincare", 3, "female")
    return layout.finish(meta, "glow-co-testimonial-1x1.png", ["product"], ["logo"], evaluation(3, 2, 3, 2, 2))


def _price_burst(layout: Layout, centre: tuple[float, float], radius: float, fill: RGB, ink: RGB,
                 price: str, was: str) -> None:
    cx, cy = centre[0] * layout.width, centre[1] * layout.height
    layout.block(layout.frac((cx - radius, cy - radius, cx + radius, cy + radius)), fill, kind="ellipse")
    layout.part("offer_burst", layout.frac((cx - radius, cy - radius, cx + radius, cy + radius)), f"{price} {was}")
    layout.label(layout.frac((cx - radius, cy - radius * 0.62, cx + radius, cy + radius * 0.22)), price, ink, "Black",
                 int(radius * 0.7), align="center", valign="center")
    layout.label(layout.frac((cx - radius, cy + radius * 0.2, cx + radius, cy + radius * 0.55)), was, ink, "Bold",
                 int(radius * 0.3), align="center", valign="center")
    strike = AAMask(layout.width, layout.height).line([(cx - radius * 0.3, cy + radius * 0.42), (cx + radius * 0.3, cy + radius * 0.34)], width=4)
    fill_mask(layout.canvas, strike.mask(), ink)


def peak_protein_offer() -> DemoTemplate:
    lime, charcoal = (198, 242, 60), (24, 26, 32)
    layout = Layout(1080, 1350, charcoal)
    stripe = AAMask(1080, 1350).polygon([(0, 1350 * 0.62), (1080, 1350 * 0.5), (1080, 1350 * 0.78), (0, 1350 * 0.9)])
    fill_mask(layout.canvas, stripe.mask(), (44, 48, 58))
    layout.text("headline", (0.07, 0.06, 0.93, 0.24), "SAVE 30% ON YOUR FIRST TUB", WHITE, "Roboto", "Black", 104, "center")
    layout.text("subheadline", (0.1, 0.25, 0.9, 0.31), "25 g protein per scoop. Zero bloat.", (180, 186, 196), "Roboto", "Regular", 40, "center")
    tub = jar(640, Label("Peak", "Whey Isolate", "chocolate", "2 lb", charcoal, (120, 150, 20)), ratio=0.8, lid=(30, 30, 30),
              body=lime, lid_share=0.22)
    layout.product(tub, (0.22, 0.35, 0.68, 0.82))
    _price_burst(layout, (0.77, 0.44), 130, lime, charcoal, "$39", "$55")
    layout.cta((0.22, 0.87, 0.78, 0.94), "CLAIM 30% OFF", lime, charcoal)
    meta = TemplateMetadata("Peak - first order discount", "offer", "health", "supplements", 4, "male")
    return layout.finish(meta, "peak-protein-offer-4x5.png", ["product"], ["badge", "logo"], evaluation(2, 3, 2, 3, 2))


def _bean(layout: Layout, x: float, y: float, length: float, tilt: float) -> None:
    bean = AAMask(int(length) + 4, int(length) + 4)
    bean.ellipse((2, length * 0.18, length, length * 0.82))
    fill_mask(layout.canvas, bean.mask().rotate(tilt), (92, 56, 34), (int(x), int(y)))
    seam = AAMask(int(length) + 4, int(length) + 4).line([(length * 0.15, length * 0.5), (length * 0.9, length * 0.48)], width=length * 0.06)
    fill_mask(layout.canvas, seam.mask().rotate(tilt), (58, 34, 20), (int(x), int(y)))


def morning_ritual_hero() -> DemoTemplate:
    espresso = (62, 38, 24)
    layout = Layout(1080, 1350, (247, 231, 206))
    layout.canvas = radial_glow(1080, 1350, (540, 820), 900, (250, 238, 218), (226, 182, 134))
    layout.logo((0.36, 0.04, 0.64, 0.085), "Morning Ritual", espresso, (190, 120, 60))
    layout.text("headline", (0.08, 0.12, 0.92, 0.3), "Slow mornings, better coffee.", espresso, "Lato", "Black", 96, "center")
    layout.text("subheadline", (0.12, 0.31, 0.88, 0.37), "Small-batch beans, roasted every Monday.", mix(espresso, WHITE, 0.25), "Lato", "Regular", 40, "center")
    for x, y, length, tilt in ((120, 820, 70, 30), (880, 700, 60, -20), (830, 1010, 80, 65), (170, 1060, 56, -40), (940, 560, 44, 10)):
        _bean(layout, x, y, length, tilt)
    bag = pouch(720, Label("Morning Ritual", "House Blend", "medium roast · whole bean", "340 g", (250, 240, 222), (232, 170, 92)),
                colour=(52, 34, 26))
    layout.product(bag, (0.25, 0.4, 0.75, 0.86))
    layout.cta((0.24, 0.89, 0.76, 0.955), "TRY THE HOUSE BLEND", espresso, WHITE)
    meta = TemplateMetadata("Morning Ritual - hero bag", "product_hero", "food & drink", "coffee", 2, "unisex")
    return layout.finish(meta, "morning-ritual-hero-4x5.png", ["product", "packshot"], ["logo"], evaluation(2, 2, 3, 1, 2))


def stride_benefits() -> DemoTemplate:
    navy, paper = (28, 36, 58), (246, 244, 238)
    layout = Layout(1080, 1080, paper)
    layout.block((0, 0, 0.47, 1.0), navy)
    layout.logo((0.05, 0.05, 0.33, 0.1), "Stride", WHITE, (236, 98, 64))
    layout.product(tshirt(520, (236, 98, 64), "Stride", WHITE), (0.03, 0.22, 0.44, 0.78), shadow=0.0)
    layout.text("headline", (0.53, 0.08, 0.95, 0.34), "Built for the long run.", navy, "Roboto", "Black", 84)
    for index, benefit in enumerate(("Sweat-wicking recycled knit", "Zero-chafe flat seams", "Dries in 20 minutes")):
        top = 0.42 + index * 0.13
        layout.icon((0.575, top + 0.035), 26, (236, 98, 64), WHITE)
        layout.text("body", (0.63, top, 0.95, top + 0.08), benefit, navy, "Roboto", "Medium", 36, valign="center", part="benefit")
    layout.cta((0.53, 0.84, 0.9, 0.92), "SHOP MEN'S TEES", navy, WHITE)
    meta = TemplateMetadata("Stride - three benefits", "benefits", "apparel", "running apparel", 3, "male")
    return layout.finish(meta, "stride-benefits-1x1.png", ["product"], ["logo", "lifestyle"], None)


def _paw(layout: Layout, x: float, y: float, size: float, colour: RGB) -> None:
    paw = AAMask(int(size * 1.2), int(size * 1.2))
    paw.ellipse((size * 0.25, size * 0.45, size * 0.95, size * 1.05))
    for dx, dy in ((0.05, 0.25), (0.3, 0.02), (0.62, 0.02), (0.88, 0.25)):
        paw.ellipse((size * dx, size * dy, size * (dx + 0.26), size * (dy + 0.3)))
    fill_mask(layout.canvas, paw.mask(), colour, (int(x), int(y)), opacity=0.35)


def happy_paws_offer() -> DemoTemplate:
    sun, bark, red = (255, 212, 86), (54, 40, 30), (220, 68, 52)
    layout = Layout(1080, 1920, sun)
    layout.block((0, 0.6, 1.0, 1.0), (255, 248, 232))
    for x, y, size in ((80, 140, 120), (870, 300, 90), (120, 980, 100), (860, 1020, 130), (500, 60, 70)):
        _paw(layout, x, y, size, (200, 150, 40))
    layout.logo((0.33, 0.035, 0.67, 0.07), "Happy Paws", bark, red)
    layout.text("headline", (0.07, 0.1, 0.93, 0.27), "50% OFF YOUR FIRST BOX", bark, "Roboto", "Black", 150, "center")
    layout.text("subheadline", (0.1, 0.28, 0.9, 0.33), "Fresh, vet-designed meals delivered to your door.", bark, "Roboto", "Regular", 48, "center")
    bag = pouch(900, Label("Happy Paws", "Chicken & Rice", "fresh-cooked dog food", "2 kg", WHITE, sun), colour=(46, 120, 86), valve=False)
    layout.product(bag, (0.2, 0.36, 0.8, 0.78))
    layout.block((0.66, 0.42, 0.95, 0.49), red, radius=40)
    layout.part("offer_burst", (0.66, 0.42, 0.95, 0.49), "ONLY $19")
    layout.label((0.66, 0.42, 0.95, 0.49), "ONLY $19", WHITE, "Black", 64, align="center", valign="center")
    layout.cta((0.15, 0.83, 0.85, 0.885), "GET 50% OFF", red, WHITE)
    layout.text("disclaimer", (0.1, 0.93, 0.9, 0.96), "New customers only. Cancel anytime.", mix(bark, WHITE, 0.4), "Roboto", "Regular", 30, "center")
    meta = TemplateMetadata("Happy Paws - story discount", "offer", "pets", "pet food", 5, None)
    return layout.finish(meta, "happy-paws-offer-9x16.png", ["product"], ["logo", "badge"], evaluation(3, 3, 2, 3, 3))


def _blemishes(layout: Layout, panel: tuple[float, float, float, float]) -> None:
    """Red spots on the 'before' portrait, placed on the cheeks of `portrait`'s head."""
    x0, y0, x1, y1 = layout.px(panel)
    w, h = x1 - x0, y1 - y0
    spots = AAMask(layout.width, layout.height)
    for fx, fy, r in ((0.39, 0.43, 0.012), (0.43, 0.46, 0.008), (0.6, 0.44, 0.011), (0.57, 0.41, 0.007), (0.52, 0.36, 0.009), (0.63, 0.4, 0.006)):
        cx, cy = x0 + fx * w, y0 + fy * h
        spots.ellipse((cx - r * w, cy - r * w, cx + r * w, cy + r * w))
    fill_mask(layout.canvas, spots.mask(), (196, 84, 80), opacity=0.8)


def clearskin_before_after() -> DemoTemplate:
    ink, teal = (30, 48, 56), (42, 140, 140)
    layout = Layout(1080, 1350, (240, 246, 246))
    layout.text("headline", (0.06, 0.035, 0.94, 0.12), "4 weeks. Same lighting.", ink, "Lato", "Black", 86, "center")
    skin = (222, 172, 140)
    before_panel, after_panel = (0.04, 0.15, 0.49, 0.66), (0.51, 0.15, 0.96, 0.66)
    layout.block(before_panel, (200, 204, 206), radius=28)
    layout.block(after_panel, (190, 228, 224), radius=28)
    layout.part("panel_before", before_panel)
    layout.part("panel_after", after_panel)
    for panel, style in ((before_panel, PersonStyle(mix(skin, (150, 150, 150), 0.35), (70, 60, 56), (150, 150, 156))),
                         (after_panel, PersonStyle(skin, (58, 38, 28), (42, 140, 140)))):
        layout.person((panel[0] + 0.02, panel[1] + 0.05, panel[2] - 0.02, panel[3]), style)
    _blemishes(layout, (before_panel[0] + 0.02, before_panel[1] + 0.05, before_panel[2] - 0.02, before_panel[3]))
    for panel, word, colour in ((before_panel, "BEFORE", (110, 116, 120)), (after_panel, "AFTER", teal)):
        layout.block((panel[0] + 0.025, panel[1] + 0.02, panel[0] + 0.2, panel[1] + 0.065), colour, radius=20)
        layout.part("panel_label", (panel[0] + 0.025, panel[1] + 0.02, panel[0] + 0.2, panel[1] + 0.065), word)
        layout.label((panel[0] + 0.025, panel[1] + 0.02, panel[0] + 0.2, panel[1] + 0.065), word, WHITE, "Black", 30, "center", "center")
    gel = tube(520, Label("Clearskin", "Clear Gel", "2% salicylic acid", "50 ml", ink, teal), body=(236, 246, 246), cap=teal)
    layout.product(gel, (0.06, 0.69, 0.26, 0.97))
    layout.text("subheadline", (0.3, 0.7, 0.95, 0.8), "Clear Gel with 2% salicylic acid, used every night.", ink, "Lato", "Regular", 40)
    layout.cta((0.3, 0.83, 0.74, 0.9), "SEE THE RESULTS", teal, WHITE)
    layout.text("disclaimer", (0.3, 0.925, 0.95, 0.955), "Individual results vary. Unretouched photos.", mix(ink, WHITE, 0.45), "Lato", "Regular", 26)
    meta = TemplateMetadata("Clearskin - 4 week before/after", "before_after", "beauty", "acne care", 2, "female")
    return layout.finish(meta, "clearskin-before-after-4x5.png", ["person", "product"], ["logo"], evaluation(3, 2, 2, 2, 3))


def fitfuel_ugc() -> DemoTemplate:
    ink = (18, 18, 22)
    layout = Layout(1080, 1920, (60, 40, 90))
    layout.canvas = vertical_gradient(1080, 1920, (92, 62, 140), (234, 120, 96))
    for index in range(4):
        layout.block((0.03 + index * 0.24, 0.02, 0.25 + index * 0.24, 0.024), WHITE, radius=3, opacity=0.9 if index == 0 else 0.45)
    layout.part("story_bars", (0.03, 0.02, 0.97, 0.024))
    layout.person((0.0, 0.14, 1.0, 1.0), PersonStyle((196, 140, 106), (30, 22, 20), (30, 30, 36), "bun"))
    layout.block((0.04, 0.045, 0.11, 0.084), (236, 120, 96), kind="ellipse")
    layout.part("avatar", (0.04, 0.045, 0.11, 0.084))
    layout.label((0.13, 0.045, 0.7, 0.067), "jess.moves", WHITE, "Bold", 36)
    layout.part("handle", (0.13, 0.045, 0.7, 0.067), "jess.moves")
    layout.label((0.13, 0.068, 0.7, 0.086), "Paid partnership with FitFuel", (236, 232, 240), "Regular", 26)
    layout.block((0.07, 0.6, 0.93, 0.69), WHITE, radius=22)
    layout.part("comment_bubble", (0.07, 0.6, 0.93, 0.69))
    layout.text("headline", (0.1, 0.61, 0.9, 0.68), "I drank FitFuel before every workout for 30 days", ink, "Roboto", "Bold", 52, "center", "center")
    layout.block((0.17, 0.7, 0.83, 0.745), WHITE, radius=18)
    layout.part("comment_bubble", (0.17, 0.7, 0.83, 0.745))
    layout.text("subheadline", (0.19, 0.705, 0.81, 0.74), "here's what actually changed", ink, "Roboto", "Regular", 40, "center", "center")
    energy = can_for("FitFuel", "Pre-Workout", "berry blast", (232, 60, 96))
    layout.product(energy, (0.06, 0.77, 0.28, 0.97))
    layout.cta((0.34, 0.86, 0.94, 0.92), "SHOP FITFUEL", WHITE, ink)
    meta = TemplateMetadata("FitFuel - creator 30-day story", "ugc", "fitness", "pre-workout drinks", 3, "unisex")
    return layout.finish(meta, "fitfuel-ugc-9x16.png", ["person"], ["product", "lifestyle"], evaluation(2, 1, 2, 2, 1),
                         archetype="story")


def can_for(brand: str, title: str, subtitle: str, colour: RGB) -> Image.Image:
    return can(600, Label(brand, title, subtitle, "12 fl oz", WHITE, (255, 226, 120)), colour=colour)


def verde_benefits() -> DemoTemplate:
    forest, sage = (34, 70, 46), (216, 230, 204)
    layout = Layout(1080, 1080, sage)
    layout.block((0.0, 0.36, 0.52, 0.88), (232, 240, 222), kind="ellipse")
    layout.logo((0.66, 0.05, 0.95, 0.1), "Verde", forest, (120, 170, 80))
    layout.text("headline", (0.06, 0.05, 0.6, 0.27), "Your daily greens, sorted.", forest, "Lato", "Black", 84)
    tub = jar(560, Label("Verde", "Daily Greens", "75 whole-food nutrients", "30 servings", WHITE, (230, 246, 200)),
              ratio=0.78, lid=(240, 236, 226), body=(64, 130, 80), lid_share=0.2)
    layout.product(tub, (0.06, 0.32, 0.46, 0.93))
    for index, benefit in enumerate(("Steady energy, no crash", "Gut-friendly prebiotics", "75 whole-food nutrients")):
        top = 0.34 + index * 0.14
        layout.icon((0.56, top + 0.04), 28, forest, sage)
        layout.text("body", (0.61, top, 0.95, top + 0.09), benefit, forest, "Lato", "Bold", 40, valign="center", part="benefit")
    layout.cta((0.54, 0.82, 0.93, 0.9), "START YOUR RITUAL", forest, WHITE)
    meta = TemplateMetadata("Verde - greens benefits", "benefits", "health", "supplements", 4, "female")
    return layout.finish(meta, "verde-benefits-1x1.png", ["product"], ["logo", "texture"], evaluation(2, 3, 3, 2, 2))


TEMPLATES_A = (glow_testimonial, peak_protein_offer, morning_ritual_hero, stride_benefits, happy_paws_offer,
               clearskin_before_after, fitfuel_ugc, verde_benefits)
