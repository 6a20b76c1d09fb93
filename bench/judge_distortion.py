"""How often the local judge's PRODUCT_DISTORTION check is right, on renders of the demo data.

Run: .venv/bin/python bench/judge_distortion.py [--outline-only]

Renders each demo packshot (3 products) into each detected demo template at 1:1 and 9:16 with
the local renderer, then asks the local judge for a defect scan of (a) the faithful render
and (b) the render with its product squashed or stretched horizontally (0.7, 0.8, 1.25,
1.4). Prints false alarms on (a) and catches on (b), over the renders where the judge found
the product confidently enough to measure it. --outline-only measures with the product
outline alone, as the judge did before it also fitted the source onto the ad (judge_fit).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FACTORS = (0.7, 0.8, 1.25, 1.4)
RATIOS = ("1:1", "9:16")


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def packshots() -> dict[str, bytes]:
    from adcreator.demo.art import cleanser_cutout, moisturizer_cutout, packshot, serum_cutout

    return {
        "serum": png(packshot(serum_cutout())),
        "moisturizer": png(packshot(moisturizer_cutout(), tint=(244, 238, 228))),
        "cleanser": png(packshot(cleanser_cutout(), tint=(236, 242, 234))),
    }


def analysis_of(template):
    from adcreator.prompts.models import TemplateAnalysis

    elements = template.elements
    return TemplateAnalysis(template_id=1, name=template.filename, palette=elements.palette or ["#ffffff"],
                            background=elements.background or "#ffffff", native_aspect_ratio="1:1",
                            text_areas=elements.text_areas, logo_areas=elements.logo_areas,
                            product_areas=elements.product_areas)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outline-only", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adcreator.settings")
    import django

    django.setup()
    from adcreator.demo import catalog
    from adcreator.providers.base import ReferenceImage, ReviewRequest
    from adcreator.providers.local import judge_product
    from adcreator.providers.local.judge import LocalVisionJudge
    from adcreator.providers.local.render import render_ad_detailed
    from adcreator.providers.local.tests.test_judge import squashed_product
    from adcreator.providers.local.tests.test_render import build_prompt, logo_png

    if args.outline_only:
        judge_product.FIT_MIN_CORRELATION = float("inf")  # no fit is ever good enough
    judge = LocalVisionJudge()

    def verdict(image, prompt, product: bytes) -> bool | None:
        scan = judge.defect_scan(ReviewRequest(image=png(image), prompt=prompt, product_images=[product]))
        finding = next(f for f in scan.findings if f.defect == "PRODUCT_DISTORTION")
        return None if finding.evidence.startswith("not measured") else finding.present

    renders = false_alarms = measured_faithful = 0
    caught = {factor: 0 for factor in FACTORS}
    measured = {factor: 0 for factor in FACTORS}
    started = time.perf_counter()
    for template in (t for t in catalog.templates() if t.elements):
        for name, product in packshots().items():
            for ratio in RATIOS:
                prompt = build_prompt(ratio, "original", analysis=analysis_of(template))
                references = [ReferenceImage(role="product", data=product, asset_tags=["product", "packshot"]),
                              ReferenceImage(role="logo", data=logo_png(), asset_tags=["logo"])]
                outcome = render_ad_detailed(prompt, references)
                renders += 1
                faithful = verdict(outcome.image, prompt, product)
                if faithful is not None:
                    measured_faithful += 1
                    false_alarms += faithful
                    if faithful:
                        print(f"  false alarm: {template.filename} {name} {ratio}")
                if outcome.product_box is None:
                    continue
                for factor in FACTORS:
                    result = verdict(squashed_product(outcome, factor), prompt, product)
                    if result is not None:
                        measured[factor] += 1
                        caught[factor] += result
    print(f"{'outline only' if args.outline_only else 'outline + fit'}: {renders} faithful renders, "
          f"{measured_faithful} measured, {false_alarms} falsely flagged as distorted")
    for factor in FACTORS:
        print(f"  product at {factor:.2f}x its width: caught {caught[factor]} of {measured[factor]} measured")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
