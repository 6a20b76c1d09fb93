"""The offline renderer's figures: speed, layout measurements, the judge's verdict, a contact sheet.

Run (one core, as the target is stated):
  OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python bench/render.py [--mode original]
      [--sheet var/bench/render-contact-sheet.png] [--repeat 15] [--no-judge]
Prints:
  (a) the time to render one 1080x1920 ad (a benefits ad from the demo library): the first
      render (the product photo cut out on the way), then min / median / p90 of --repeat
      warm renders, and the same through LocalImageModel.generate (PNG encoding included).
      Target: <= 0.5 s on one core;
  (b) over every demo template x every size (the --mode colour mode, hooks source): the
      largest empty band (rows; columns on 16:9) against render_metrics.MAX_EMPTY_BAND, the
      product's extent against its archetype's minimum and its share of the canvas area,
      the logo's contrast (>= 3:1 wanted), copy/logo/CTA in the 9:16 interface zones, and
      how often the local detector reads the archetype back from the rendered ad;
  (c) unless --no-judge: the current local judge's staged review of every ad (defect scan,
      rubric, second opinion) with the default scoring weights, and the approval share;
  (d) the contact sheet: every demo template (its own image first) and the four sizes, one
      row per template, written to --sheet.
The machine's load average is printed first: on a shared machine the timings move with it.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def timing(repeat: int) -> None:
    from adcreator.demo.render_cases import Case, case_prompt, templates
    from adcreator.providers.base import ImageRequest
    from adcreator.providers.local.cutout import prepare_reference
    from adcreator.providers.local.image_model import LocalImageModel
    from adcreator.providers.local.render import render_ad_detailed

    template = next(t for t in templates() if t.elements.archetype == "benefits")
    prompt, references = case_prompt(Case(template, "9:16"))
    prepare_reference.cache_clear()
    started = time.perf_counter()
    render_ad_detailed(prompt, references)
    first = time.perf_counter() - started
    renders, generates = [], []
    model = LocalImageModel()
    for _ in range(repeat):
        started = time.perf_counter()
        render_ad_detailed(prompt, references)
        renders.append(time.perf_counter() - started)
        started = time.perf_counter()
        model.generate(ImageRequest(prompt=prompt, references=references))
        generates.append(time.perf_counter() - started)
    print(f"(a) one 1080x1920 ad ({template.metadata.name}): first render {_ms(first)} (includes the cut-out)")
    for name, values in (("render_ad_detailed", renders), ("LocalImageModel.generate (+PNG)", generates)):
        values.sort()
        p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
        print(f"    {name:32s} min {_ms(values[0])}  median {_ms(statistics.median(values))}  p90 {_ms(p90)}  (n={len(values)})")


def measurements(mode: str, judge: bool, sheet: Path, verbose: bool = False) -> None:
    from adcreator.demo.render_cases import Case, case_prompt, product_sources, templates
    from adcreator.prompts.models import CANVAS_SIZES
    from adcreator.providers.base import TemplateAnalysisRequest
    from adcreator.providers.local.archetypes.blocks import MIN_PRODUCT_EXTENT
    from adcreator.providers.local.detect import LocalTemplateAnalyzer
    from adcreator.providers.local.render import render_ad_detailed
    from adcreator.providers.local.render_metrics import MAX_EMPTY_BAND, measure
    from generation.contact_sheet import SheetItem, contact_sheet

    analyzer = LocalTemplateAnalyzer()
    rows, items, verdicts, render_times = [], [], Counter(), []
    reasons: Counter = Counter()
    reviewer = _reviewer(reasons, verbose) if judge else None
    for template in templates():
        items.append(SheetItem(_png(template.image), template.metadata.name, "the template", "generated"))
        for position, ratio in enumerate(CANVAS_SIZES):
            prompt, references = case_prompt(Case(template, ratio, mode=mode, position=position))
            started = time.perf_counter()
            outcome = render_ad_detailed(prompt, references)
            render_times.append(time.perf_counter() - started)
            png = _png(outcome.image)
            metrics = measure(outcome)
            detected = analyzer.analyze_template(TemplateAnalysisRequest(image=png)).elements.archetype
            status = reviewer(png, prompt, _png(template.image), product_sources()) if reviewer else "generated"
            verdicts[status] += 1
            rows.append((template.metadata.name, ratio, outcome.archetype, metrics, detected))
            subtitle = f"{outcome.archetype} · band {metrics.empty_band:.0%} · product {metrics.product_extent:.2f}"
            items.append(SheetItem(png, f"{ratio} {status if reviewer else ''}".strip(), subtitle, status))
    print(f"\n(b) every demo template x size, mode {mode!r}: {len(rows)} ads, render median {_ms(statistics.median(render_times))}")
    bands = [m.empty_band for *_, m, _ in rows]
    columns = [m.empty_band_columns for _, ratio, _, m, _ in rows if ratio == "16:9"]
    print(f"    largest empty band (rows): max {max(bands):.1%}  median {statistics.median(bands):.1%}  "
          f"over {MAX_EMPTY_BAND:.0%}: {sum(b > MAX_EMPTY_BAND for b in bands)}")
    print(f"    largest empty band (columns, 16:9): max {max(columns):.1%}  over {MAX_EMPTY_BAND:.0%}: {sum(c > MAX_EMPTY_BAND for c in columns)}")
    extents = [(m.product_extent / MIN_PRODUCT_EXTENT[a], m.product_extent, m.product_area_share, n, r) for n, r, a, m, _ in rows]
    worst = min(extents)
    print(f"    product extent / archetype minimum: min {worst[0]:.2f} ({worst[3]} {worst[4]}), "
          f"median {statistics.median(e[0] for e in extents):.2f}; extent median {statistics.median(e[1] for e in extents):.2f}; "
          f"area share min {min(e[2] for e in extents):.1%} median {statistics.median(e[2] for e in extents):.1%}")
    logos = [m.logo_contrast for *_, m, _ in rows if m.logo_contrast is not None]
    print(f"    logo contrast: min {min(logos):.2f}:1 median {statistics.median(logos):.2f}:1 over {len(logos)} ads with a logo "
          f"(the others' templates show none); below 3:1: {sum(c < 3 for c in logos)}")
    print(f"    9:16 interface-zone violations (copy, logo, CTA in the top 14 % / bottom 20 %): "
          f"{sum(len(m.interface_zone_violations) for *_, m, _ in rows)}")
    agree = sum(d == a for _, _, a, _, d in rows)
    print(f"    archetype read back by the local detector from the rendered ad: {agree}/{len(rows)} ({agree / len(rows):.0%})")
    by_archetype = Counter(a for _, _, a, _, d in rows if d != a)
    if by_archetype:
        print(f"      misread: {dict(by_archetype)}")
    if reviewer:
        total = sum(verdicts.values())
        print(f"\n(c) current local judge, staged review with the default weights: approved "
              f"{verdicts['approved']}/{total} ({verdicts['approved'] / total:.0%}); {dict(verdicts)}")
        if reasons:
            print(f"    what decided the others (rule and check): {dict(reasons.most_common())}")
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_bytes(contact_sheet(items, title=f"Offline renderer: every demo template x size, colour mode {mode}", columns=5))
    print(f"\n(d) contact sheet: {sheet}")


def _reviewer(reasons: Counter, verbose: bool):
    """The staged review (defect scan, rubric, second opinion) on the local judge."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adcreator.settings")
    import django

    django.setup()
    from adcreator.providers.base import ReviewRequest
    from adcreator.providers.local.judge import LocalVisionJudge
    from adcreator.providers.retry import RetryPolicy
    from review.decision import ScoringConfig
    from review.models import DEFAULT_AUTO_REJECT, DEFAULT_WEIGHTS
    from review.staged import review_staged

    judge, config = LocalVisionJudge(), ScoringConfig(weights=DEFAULT_WEIGHTS, auto_reject=DEFAULT_AUTO_REJECT)
    policy = RetryPolicy(max_attempts=1, base_delay=0.0)

    def review(png: bytes, prompt, template_png: bytes, products: list[bytes]) -> str:
        request = ReviewRequest(image=png, prompt=prompt, template_image=template_png, product_images=products)
        outcome = review_staged(request=request, config=config, judge=judge, second_judge=judge, policy=policy)
        if outcome.status != "approved" and outcome.decision is not None:
            reasons[outcome.decision.rule + " " + outcome.decision.code] += 1
            if verbose:
                print(f"      {outcome.status}: {outcome.decision.code} {outcome.decision.reason[:160]}")
        return outcome.status

    return review


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", default="original", choices=("original", "complementary", "brand"))
    parser.add_argument("--sheet", type=Path, default=Path("var/bench/render-contact-sheet.png"))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-judge", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the decisive reason of every ad not approved")
    parser.add_argument("--timing-only", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    timing(args.repeat)
    if not args.timing_only:
        measurements(args.mode, not args.no_judge, args.sheet, args.verbose)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
