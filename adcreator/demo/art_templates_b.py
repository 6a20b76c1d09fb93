"""Ad templates of fictional brands, part two: reviews, landscape hero, bundles, UGC, comparisons."""

from __future__ import annotations

from adcreator.demo.art_common import RGB, mix, radial_glow, vertical_gradient
from adcreator.demo.art_layout import DemoTemplate, Layout, TemplateMetadata, evaluation
from adcreator.demo.art_people import PersonStyle
from adcreator.demo.art_products import Label, can, jar, pouch, tshirt, tube

WHITE: RGB = (255, 255, 255)


def brew_lab_testimonial() -> DemoTemplate:
    navy, gold = (22, 32, 60), (255, 206, 96)
    layout = Layout(1080, 1350, navy)
    layout.block((0.07, 0.06, 0.93, 0.5), WHITE, radius=32)
    layout.stars(0.12, 0.1, 40, gold)
    layout.text("headline", (0.12, 0.15, 0.88, 0.36), "\u201cSmoother than my cafe order, at a third of the price.\u201d", navy, "Lato", "Black", 64,
                part="quote")
    layout.person((0.12, 0.39, 0.2, 0.45), PersonStyle((170, 118, 86), (24, 20, 18), (120, 160, 220), "short"), backdrop=(226, 234, 248))
    layout.text("subheadline", (0.22, 0.395, 0.88, 0.445), "Dev K. on Brew Lab Cold Brew", mix(navy, WHITE, 0.3), "Lato", "Regular", 34, valign="center",
                part="reviewer")
    layout.logo((0.07, 0.525, 0.4, 0.565), "Brew Lab", WHITE, (70, 110, 200))
    layout.product(can(620, Label("Brew Lab", "Cold Brew", "oat milk latte", "12 fl oz", WHITE, gold), colour=(40, 64, 132)), (0.18, 0.57, 0.5, 0.885))
    layout.product(can(620, Label("Brew Lab", "Cold Brew", "black, no sugar", "12 fl oz", navy, (120, 70, 20)), colour=(236, 196, 120)), (0.5, 0.57, 0.82, 0.885))
    layout.cta((0.27, 0.9, 0.73, 0.96), "TRY A 12-PACK", gold, navy)
    meta = TemplateMetadata("Brew Lab - review card", "testimonial", "food & drink", "coffee", 4, "unisex")
    return layout.finish(meta, "brew-lab-testimonial-4x5.png", ["product"], ["person", "logo"], evaluation(3, 2, 2, 2, 2))


def north_thread_hero() -> DemoTemplate:
    olive, stone = (54, 60, 44), (222, 214, 200)
    layout = Layout(1920, 1080, stone)
    layout.canvas = radial_glow(1920, 1080, (560, 480), 900, (240, 234, 222), (206, 196, 178))
    layout.product(tshirt(760, (236, 230, 216), ""), (0.08, 0.12, 0.5, 0.92))
    layout.block((0.56, 0.0, 1.0, 1.0), olive)
    layout.logo((0.61, 0.08, 0.82, 0.14), "North Thread", WHITE, (160, 140, 90))
    layout.text("headline", (0.61, 0.24, 0.95, 0.55), "The last tee you'll need to buy.", WHITE, "Lato", "Black", 104)
    layout.text("subheadline", (0.61, 0.58, 0.95, 0.7), "Heavyweight organic cotton, cut to keep its shape for years.", (220, 224, 208), "Lato", "Regular", 42)
    layout.cta((0.61, 0.78, 0.8, 0.87), "SHOP THE TEE", (230, 214, 170), olive)
    meta = TemplateMetadata("North Thread - landscape hero", "product_hero", "apparel", "basics", 1, "male")
    return layout.finish(meta, "north-thread-hero-16x9.png", ["product", "packshot"], ["logo", "lifestyle"], evaluation(1, 2, 2, 1, 2))


def pure_hydrate_offer() -> DemoTemplate:
    deep, aqua = (8, 62, 92), (92, 214, 226)
    layout = Layout(1080, 1080, aqua)
    layout.canvas = vertical_gradient(1080, 1080, (150, 232, 238), (60, 190, 210))
    layout.block((0.3, 0.04, 0.7, 0.1), deep, radius=30)
    layout.part("offer_burst", (0.3, 0.04, 0.7, 0.1), "ENDS SUNDAY")
    layout.label((0.3, 0.04, 0.7, 0.1), "ENDS SUNDAY", WHITE, "Black", 34, "center", "center")
    layout.text("headline", (0.06, 0.12, 0.94, 0.3), "BUY 2, GET 1 FREE", deep, "Roboto", "Black", 132, "center", "center")
    flavours = (("Lemon Lime", (250, 214, 70)), ("Watermelon", (240, 96, 110)), ("Blue Raspberry", (70, 120, 230)))
    for index, (flavour, colour) in enumerate(flavours):
        left = 0.12 + index * 0.26
        layout.product(can(560, Label("Pure Hydrate", "Electrolytes", flavour, "16 fl oz", WHITE, WHITE), colour=colour),
                       (left, 0.33, left + 0.24, 0.78))
    layout.text("subheadline", (0.1, 0.8, 0.9, 0.86), "Zero sugar. Mix and match any flavour.", deep, "Roboto", "Regular", 40, "center")
    layout.cta((0.27, 0.88, 0.73, 0.95), "SHOP THE BUNDLE", deep, WHITE)
    meta = TemplateMetadata("Pure Hydrate - bundle deal", "offer", "food & drink", "hydration", 5, "unisex")
    return layout.finish(meta, "pure-hydrate-offer-1x1.png", ["product", "packshot"], ["logo"], evaluation(3, 3, 2, 3, 2))


def hush_tea_ugc() -> DemoTemplate:
    ink, lilac = (40, 34, 56), (214, 204, 236)
    layout = Layout(1080, 1350, lilac)
    layout.canvas = radial_glow(1080, 1350, (800, 1000), 1100, (240, 232, 250), (186, 172, 220))
    layout.block((0.06, 0.06, 0.94, 0.44), WHITE, radius=30)
    layout.part("comment_bubble", (0.06, 0.06, 0.94, 0.44))
    layout.person((0.1, 0.09, 0.2, 0.17), PersonStyle((236, 196, 170), (150, 90, 50), (120, 100, 180)), backdrop=(236, 228, 246))
    layout.part("avatar", (0.1, 0.09, 0.2, 0.17))
    layout.label((0.22, 0.1, 0.8, 0.13), "nightowl.nina", ink, "Black", 36)
    layout.part("handle", (0.22, 0.1, 0.8, 0.13), "nightowl.nina")
    layout.label((0.22, 0.135, 0.8, 0.16), "commented on Hush Sleep Tea", mix(ink, WHITE, 0.45), "Regular", 28)
    layout.text("headline", (0.1, 0.2, 0.9, 0.36), "ok this tea is the only reason I'm asleep before midnight now", ink, "Lato", "Bold", 60)
    layout.label((0.1, 0.38, 0.6, 0.41), "2,381 likes   \u00b7   Reply", mix(ink, WHITE, 0.45), "Bold", 28)
    layout.product(pouch(680, Label("Hush", "Sleep Tea", "chamomile · lavender", "20 sachets", WHITE, (255, 220, 160)),
                         colour=(88, 70, 150), valve=False), (0.46, 0.48, 0.9, 0.92))
    layout.text("subheadline", (0.07, 0.52, 0.44, 0.72), "Caffeine-free chamomile and lavender, one cup before bed.", ink, "Lato", "Regular", 42)
    layout.cta((0.07, 0.78, 0.44, 0.85), "SHOP HUSH", ink, WHITE)
    meta = TemplateMetadata("Hush - comment screenshot", "ugc", "wellness", "herbal tea", 2, "female")
    return layout.finish(meta, "hush-tea-ugc-4x5.png", ["product"], ["person", "lifestyle"], None)


def ironcore_before_after() -> DemoTemplate:
    charcoal, orange = (26, 26, 30), (255, 120, 40)
    layout = Layout(1080, 1080, charcoal)
    layout.block((0.0, 0.0, 0.5, 0.72), (120, 122, 128))
    layout.block((0.5, 0.0, 1.0, 0.72), (255, 170, 110))
    layout.part("panel_before", (0.0, 0.0, 0.5, 0.72))
    layout.part("panel_after", (0.5, 0.0, 1.0, 0.72))
    layout.person((0.02, 0.06, 0.48, 0.72), PersonStyle((176, 150, 136), (60, 56, 54), (96, 98, 104), "short"))
    layout.person((0.52, 0.06, 0.98, 0.72), PersonStyle((200, 146, 112), (40, 30, 24), (26, 26, 30), "short"))
    for left, word, fill in ((0.03, "DAY 1", charcoal), (0.53, "DAY 90", orange)):
        layout.block((left, 0.03, left + 0.17, 0.085), fill, radius=22)
        layout.part("panel_label", (left, 0.03, left + 0.17, 0.085), word)
        layout.label((left, 0.03, left + 0.17, 0.085), word, WHITE, "Black", 30, "center", "center")
    layout.text("headline", (0.06, 0.75, 0.94, 0.84), "90 days. 3 sessions a week.", WHITE, "Roboto", "Black", 70, "center")
    layout.cta((0.3, 0.87, 0.7, 0.94), "START FREE TRIAL", orange, WHITE)
    meta = TemplateMetadata("IronCore - day 1 vs day 90", "before_after", "fitness", "gym membership", 3, "male")
    # D6 false: the implied body-transformation promise fails the compliance check on purpose
    return layout.finish(meta, "ironcore-before-after-1x1.png", ["person"], ["logo"], evaluation(2, 2, 1, 2, 2, d6=False))


def bark_bone_testimonial() -> DemoTemplate:
    brown, cream, rust = (70, 44, 30), (250, 242, 228), (204, 96, 56)
    layout = Layout(1080, 1350, cream)
    layout.block((0.55, 0.5, 1.25, 1.1), (244, 214, 182), kind="ellipse")
    layout.person((0.36, 0.05, 0.64, 0.27), PersonStyle((120, 84, 60), (30, 24, 20), rust, "long"), backdrop=(244, 214, 182))
    layout.stars(0.32, 0.3, 52)
    layout.text("headline", (0.08, 0.35, 0.92, 0.53), "\u201cOur picky eater finishes every bowl now.\u201d", brown, "Lato", "Black", 78, "center",
                part="quote")
    layout.text("subheadline", (0.15, 0.54, 0.85, 0.585), "Alana, mum to Biscuit (4)", mix(brown, WHITE, 0.3), "Lato", "Regular", 36, "center",
                part="reviewer")
    layout.product(pouch(660, Label("Bark & Bone", "Salmon Bites", "grain-free kibble", "1.5 kg", cream, (250, 200, 120)),
                         colour=(40, 92, 110), valve=False), (0.52, 0.61, 0.92, 0.97))
    layout.logo((0.08, 0.64, 0.46, 0.69), "Bark & Bone", brown, rust)
    layout.cta((0.08, 0.76, 0.46, 0.83), "TRY A BAG", rust, WHITE)
    meta = TemplateMetadata("Bark & Bone - owner review", "testimonial", "pets", "pet food", 3, None)
    return layout.finish(meta, "bark-bone-testimonial-4x5.png", ["product"], ["person", "logo"], evaluation(2, 2, 2, 2, 2))


def sol_hero() -> DemoTemplate:
    dusk = (94, 34, 40)
    layout = Layout(1080, 1920, (255, 190, 120))
    layout.canvas = vertical_gradient(1080, 1920, (255, 214, 150), (236, 104, 86))
    layout.block((0.15, 0.3, 0.85, 0.69), (255, 232, 170), kind="ellipse", opacity=0.75)
    layout.logo((0.4, 0.035, 0.6, 0.07), "Sol", dusk, (236, 104, 86))
    layout.text("headline", (0.08, 0.1, 0.92, 0.24), "Sunscreen you'll actually want to wear.", dusk, "Lato", "Black", 100, "center")
    layout.text("subheadline", (0.12, 0.245, 0.88, 0.285), "SPF 50, invisible on every skin tone.", dusk, "Lato", "Regular", 46, "center")
    layout.product(tube(1100, Label("Sol", "Daily SPF 50", "invisible fluid", "50 ml", dusk, (236, 104, 86)),
                        body=(255, 246, 232), cap=(236, 104, 86)), (0.3, 0.32, 0.7, 0.84))
    layout.cta((0.22, 0.88, 0.78, 0.93), "FIND YOUR SPF", dusk, WHITE)
    meta = TemplateMetadata("Sol - sunset hero story", "product_hero", "beauty", "suncare", 1, "unisex")
    return layout.finish(meta, "sol-hero-9x16.png", ["product", "packshot"], ["logo", "texture"], evaluation(2, 2, 3, 1, 3))


def rest_well_comparison() -> DemoTemplate:
    midnight, moon = (30, 34, 72), (244, 226, 170)
    layout = Layout(1080, 1350, midnight)
    layout.text("headline", (0.07, 0.05, 0.93, 0.18), "Why people switch to Rest Well", WHITE, "Lato", "Black", 78, "center")
    layout.block((0.47, 0.2, 0.73, 0.84), (52, 58, 110), radius=28)
    layout.part("column_us", (0.47, 0.2, 0.73, 0.84), "Rest Well")
    layout.part("column_them", (0.74, 0.2, 0.97, 0.84), "Melatonin gummies")
    bottle = jar(420, Label("Rest Well", "Sleep", "magnesium", "60 caps", midnight, (120, 110, 200)), ratio=0.62,
                 lid=moon, body=(250, 248, 240), lid_share=0.22, lid_width=0.7)
    layout.product(bottle, (0.52, 0.21, 0.68, 0.37), shadow=0.0)
    layout.label((0.74, 0.3, 0.97, 0.36), "Melatonin gummies", (190, 194, 220), "Bold", 30, "center", "center")
    rows = ("Non-habit forming", "No morning grogginess", "Magnesium + L-theanine", "Third-party tested")
    for index, row in enumerate(rows):
        top = 0.4 + index * 0.105
        layout.text("body", (0.06, top, 0.45, top + 0.08), row, WHITE, "Lato", "Bold", 38, valign="center")
        layout.icon((0.6, top + 0.04), 30, moon, midnight, "check", part="tick")
        layout.icon((0.855, top + 0.04), 30, (80, 84, 120), (200, 204, 226), "cross", part="cross")
    layout.cta((0.25, 0.88, 0.75, 0.945), "SLEEP BETTER TONIGHT", moon, midnight)
    meta = TemplateMetadata("Rest Well - us vs them", "comparison", "health", "sleep supplements", 4, "unisex")
    return layout.finish(meta, "rest-well-comparison-4x5.png", ["product"], ["logo"], None)


TEMPLATES_B = (brew_lab_testimonial, north_thread_hero, pure_hydrate_offer, hush_tea_ugc, ironcore_before_after,
               bark_bone_testimonial, sol_hero, rest_well_comparison)
