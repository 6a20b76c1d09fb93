"""How often the offline judge gets it right, on a labelled set of good and broken ads.

Run (one core, as a review runs in the pipeline):
    taskset -c 0 .venv/bin/python bench/judge_quality.py [--seeds 40] [--first-seed 100] [--split report|tune|all] [-v]

The cases and the ways of breaking them live in bench/judge_cases.py.

Good ads: the local renderer's ads of the demo catalog — every demo template, every canvas
size and every colour mode, with the demo products, hooks and brand rules. Broken ads: the
same ads broken in each way spec 6a names, each at a random strength in a random place
(drawn from the case's seed), so no threshold can be fitted to one fixed picture:

  garbled_text, misspelt_text     the copy drawn wrong (random letters; one random edit)
  wrong_label                     the product's label printed with other words
  stretched, squashed             the product resized on one axis by a random factor
  missing_product, wrong_product  product painted out / left out; another product shown
  clipped_text                    a copy line pushed over the canvas edge or half covered
  faded_text                      a copy line faded to 1.05-1.5:1 contrast
  wrong_colours                   hue rotated, or drawn in another colour mode's palette
  blank, blurred, over_compressed whole-image failures (random colour, radius, quality)
  resized                         an ad of another ratio stretched, letterboxed or cropped

Every case reviews the broken image against the *intended* prompt and product images through
the staged review (stage 3 on the local judge too, as with no API key) with the default
scoring config. "Caught" is rejected or flagged; a good ad not approved is a false alarm.
Seeds split in two: even seeds are for tuning the judge's thresholds, odd seeds are reported
(`--split report`, the default); a threshold must never be chosen on the reported half.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PIL import Image  # noqa: E402

from judge_cases import KINDS, Case, break_ad, build_prompt, make_case, png, product_png, render  # noqa: E402


# The OCR's added install: the packages the project installs for it alone (the model wheel is
# installed without its dependencies; six also comes with facebook-business, so it is not counted).
OCR_DISTRIBUTIONS = ("rapidocr-onnxruntime", "onnxruntime", "flatbuffers", "protobuf")


# --- reviewing -----------------------------------------------------------------------------

def review(image: Image.Image, case: Case):
    from adcreator.providers.base import ReviewRequest
    from adcreator.providers.local.judge import LocalVisionJudge
    from adcreator.providers.retry import RetryPolicy
    from review.decision import ScoringConfig
    from review.models import DEFAULT_AUTO_REJECT, DEFAULT_WEIGHTS
    from review.staged import review_staged

    request = ReviewRequest(image=png(image), prompt=build_prompt(case), product_images=[product_png(case.product)],
                            template_image=case.template_png)
    judge = LocalVisionJudge()  # a fresh cache: the time is one review's
    config = ScoringConfig(weights=dict(DEFAULT_WEIGHTS), auto_reject=dict(DEFAULT_AUTO_REJECT))
    started = time.perf_counter()
    outcome = review_staged(request=request, config=config, judge=judge, second_judge=judge, policy=RetryPolicy(max_attempts=1))
    return outcome, time.perf_counter() - started


def status_with_floors(outcome, floors: dict[str, float]) -> str:
    """The status the same review gets when the config also has these auto-reject floors
    (the local judge answers stage 3 as it did stage 2, so its opinion stands for both)."""
    from review.decision import ScoringConfig, combine, needs_second_opinion, opinion
    from review.models import DEFAULT_AUTO_REJECT, DEFAULT_WEIGHTS

    if outcome.status in ("review_failed",) or outcome.stage_reached == 1 or outcome.check_scores is None:
        return outcome.status
    first = opinion(outcome.check_scores, ScoringConfig(weights=dict(DEFAULT_WEIGHTS), auto_reject={**DEFAULT_AUTO_REJECT, **floors}))
    return combine(first, first if needs_second_opinion(first) else None)


def why(outcome) -> str:
    scan = outcome.defect_scan or {}
    found = [f"{f['defect']}: {f['evidence'][:110]}" for f in scan.get("findings", []) if f.get("present")]
    if found:
        return "; ".join(found)
    scores = outcome.check_scores or {}
    low = sorted(((s, c) for c, s in scores.items() if s is not None and s < 7))
    return f"weighted {outcome.weighted_score:.2f}; low: " + ", ".join(f"{c} {s:.1f}" for s, c in low[:5]) if outcome.weighted_score else outcome.error


def install_size() -> list[tuple[str, float]]:
    from importlib import metadata

    rows = []
    for name in OCR_DISTRIBUTIONS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        rows.append((f"{name} {dist.version}", sum(f.size or 0 for f in dist.files or ()) / 1e6))
    return rows


def time_tall_reviews(count: int, templates: list, template_pngs: dict[str, bytes]) -> None:
    from adcreator.providers.base import ReviewRequest
    from adcreator.providers.local.judge import LocalVisionJudge

    requests = []
    for index in range(count):
        case = make_case(900, index, templates)
        case.ratio = "9:16"
        requests.append(ReviewRequest(image=png(render(case, build_prompt(case), product_png(case.product)).image), prompt=build_prompt(case),
                                      product_images=[product_png(case.product)], template_image=template_pngs[case.template.filename]))
    LocalVisionJudge().defect_scan(requests[0])  # the OCR loads once per process, as in a worker
    times = []
    for request in requests:
        judge = LocalVisionJudge()
        started = time.perf_counter()
        judge.defect_scan(request)
        judge.rubric_review(request)
        times.append(time.perf_counter() - started)
    print(f"1080x1920 review (defect scan + rubric), {count} ads: median {statistics.median(times):.2f} s, "
          f"mean {statistics.mean(times):.2f} s, max {max(times):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=40, help="how many seeds, from --first-seed; even ones tune, odd ones report")
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("--split", choices=("report", "tune", "all"), default="report")
    parser.add_argument("--good-per-seed", type=int, default=6)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss and false alarm with its reasons")
    parser.add_argument("--timing", type=int, default=0, metavar="N",
                        help="only time N reviews of 1080x1920 ads (OCR loaded first, as in a worker) and exit")
    parser.add_argument("--floors", default="V2=3,V4=3,V5=3,V7=3",
                        help="extra auto-reject floors for the second column, CHECK=FLOOR,... ('' for none)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adcreator.settings")
    import django

    django.setup()
    from adcreator.demo import catalog

    templates = [t for t in catalog.templates() if t.elements]
    template_pngs = {t.filename: png(t.image) for t in templates}
    if args.timing:
        time_tall_reviews(args.timing, templates, template_pngs)
        return
    seeds = [s for s in range(args.first_seed, args.first_seed + args.seeds) if args.split == "all" or (s % 2 == 0) == (args.split == "tune")]
    floors = {part.split("=")[0]: float(part.split("=")[1]) for part in args.floors.split(",") if part}
    results: dict[str, list[bool]] = {"good": []}
    floored: dict[str, list[bool]] = {"good": []}
    times, tall_times = [], []
    started = time.perf_counter()
    index = 0
    for seed in seeds:
        for _ in range(args.good_per_seed):  # good ads, walking templates x sizes x modes
            case = make_case(seed, index, templates)
            case.template_png = template_pngs[case.template.filename]
            index += 1
            outcome, elapsed = review(render(case, build_prompt(case), product_png(case.product)).image, case)
            times.append(elapsed)
            if case.ratio == "9:16":
                tall_times.append(elapsed)
            results["good"].append(outcome.status == "approved")
            floored["good"].append(status_with_floors(outcome, floors) == "approved")
            if args.verbose and outcome.status != "approved":
                print(f"  FALSE ALARM seed {seed} {case.template.filename} {case.product} {case.ratio} {case.mode}: {outcome.status}: {why(outcome)}")
        for k, kind in enumerate(KINDS):
            rng = random.Random(f"{seed}-{kind}")
            case = make_case(seed, rng.randrange(10**6), templates)
            case.template_png = template_pngs[case.template.filename]
            broken = break_ad(kind, case, rng)
            if broken is None:
                continue
            image, done = broken
            outcome, elapsed = review(image, case)
            times.append(elapsed)
            if case.ratio == "9:16":
                tall_times.append(elapsed)
            caught = outcome.status in ("rejected", "flagged")
            results.setdefault(kind, []).append(caught)
            floored.setdefault(kind, []).append(status_with_floors(outcome, floors) in ("rejected", "flagged"))
            if args.verbose and not caught:
                print(f"  MISSED {kind} seed {seed} {case.template.filename} {case.product} {case.ratio} {case.mode} ({done}): "
                      f"{outcome.status}: {why(outcome)}")

    print(f"\nsplit: {args.split} (seeds {seeds[0]}..{seeds[-1]}, {len(seeds)} seeds)")
    print(f"caught = rejected or flagged; second pair of columns: the same reviews with extra floors {floors or 'none'}")
    print(f"{'kind':<18}{'ads':>5}{'caught':>8}{'rate':>7}{'caught':>9}{'rate':>7}")
    totals = [0, 0, 0]
    for kind in KINDS:
        outcomes, other = results.get(kind, []), floored.get(kind, [])
        if outcomes:
            totals = [totals[0] + len(outcomes), totals[1] + sum(outcomes), totals[2] + sum(other)]
            print(f"{kind:<18}{len(outcomes):>5}{sum(outcomes):>8}{sum(outcomes) / len(outcomes):>7.0%}{sum(other):>9}{sum(other) / len(other):>7.0%}")
    n = max(1, totals[0])
    print(f"{'all broken':<18}{totals[0]:>5}{totals[1]:>8}{totals[1] / n:>7.0%}{totals[2]:>9}{totals[2] / n:>7.0%}")
    good, good_floored = results["good"], floored["good"]
    alarms, alarms_floored = len(good) - sum(good), len(good_floored) - sum(good_floored)
    print(f"{'good: false alarm':<18}{len(good):>5}{alarms:>8}{alarms / max(1, len(good)):>7.0%}{alarms_floored:>9}{alarms_floored / max(1, len(good)):>7.0%}")
    print(f"\ntime per review: mean {statistics.mean(times):.2f} s, p95 {sorted(times)[int(0.95 * (len(times) - 1))]:.2f} s over {len(times)}; "
          f"1080x1920: mean {statistics.mean(tall_times) if tall_times else float('nan'):.2f} s, "
          f"max {max(tall_times) if tall_times else float('nan'):.2f} s over {len(tall_times)}")
    sizes = install_size()
    print(f"OCR install size: {sum(s for _, s in sizes):.0f} MB (" + ", ".join(f"{n} {s:.0f} MB" for n, s in sizes) + ")")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

