"""creative_genome_update over 10,000 ads × 30 days of performance: wall time and queries.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/adcreator_bench .venv/bin/python bench/genome_update.py
     [--ads 10000] [--days 30] [--repeat 3]          (SQLite without DATABASE_URL)

A throwaway test database gets one organization with two brands (one connected to the simulated
market), 10,000 tagged ads, a Meta mapping and 30 daily performance rows for each launched ad,
human decisions on some of the rest; then the update runs --repeat times. Prints the wall time
(target ≤ 10 s) and the number of queries — which must not depend on the number of ads: the
same update over a tenth of the ads is counted too.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adcreator.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

HOOKS = ("curiosity_gap", "social_proof", "problem_agitation", "benefit_led", "urgency", "authority", "question", "offer")
SIZES = ("1080x1080", "1080x1350", "1080x1920", "1920x1080")


def populate(n_ads: int, days: int, seed: int = 7) -> int:
    from django.utils import timezone

    from adcreator.catalog.models import Brand, Organization, Product
    from adcreator.jobs.models import Job, JobRun
    from generation.models import AdRun, GeneratedAd, new_public_id
    from genome.bulk import insert_columns
    from genome.models import AdMapping, AdPerformanceDay
    from genome.services.connection import meta_connection_set

    rng = random.Random(seed)
    org = Organization.objects.create(name="Bench", slug=f"bench-{n_ads}")
    brands = [Brand.objects.create(organization=org, name=f"Brand {i}", slug=f"b{i}", category="skincare") for i in (1, 2)]
    account = meta_connection_set(brand=brands[0], ad_account_id="act_1", access_token="", user=None)
    products = [Product.objects.create(brand=b, name=f"P{i}", slug=f"p{i}") for b in brands for i in range(3)]
    job = Job.objects.create(organization=org, job_type="ad_creation_v2", parameters={})
    now = timezone.now()
    columns: dict[str, list] = {name: [] for name in (
        "ad_run_id", "prompt_index", "canvas_size", "color_mode", "variation_index", "status", "ai_status",
        "element_tags", "public_id", "created_at", "updated_at", "generation_attempts", "retry_count", "headline",
        "original_headline", "error", "prompt", "prompt_version", "congruence", "defect_scan_result",
        "review_check_scores", "review", "reviewed_at", "pre_gen_score", "image")}
    per_run = 100 * len(SIZES)
    for start in range(0, n_ads, per_run):
        product = products[(start // per_run) % len(products)]
        run = JobRun.objects.create(job=job, status="completed")
        ad_run = AdRun.objects.create(organization=org, brand=product.brand, product=product, job_run=run)
        for k in range(min(per_run, n_ads - start)):
            status = rng.choice(("approved", "approved", "rejected", "flagged"))
            tags = {"hook_type": rng.choice(HOOKS), "color_mode": rng.choice(("original", "brand", "complementary")),
                    "canvas_size": SIZES[k % 4], "template_id": rng.randrange(1, 40), "awareness_stage": rng.randrange(1, 6),
                    "template_category": rng.choice(("offer", "testimonial", "ugc")), "persona_id": rng.randrange(1, 4),
                    "visual_style": rng.choice(("hero", "review", "comparison")), "prompt_version": "v2.1"}
            for name, value in (("ad_run_id", ad_run.pk), ("prompt_index", k // 4 + 1), ("canvas_size", SIZES[k % 4]),
                                ("color_mode", tags["color_mode"]), ("variation_index", 1), ("status", status),
                                ("ai_status", status), ("element_tags", tags), ("public_id", new_public_id()),
                                ("created_at", now), ("updated_at", now), ("generation_attempts", 1),
                                ("retry_count", 0), ("headline", "h"), ("original_headline", ""), ("error", ""),
                                ("prompt", {}), ("prompt_version", "v2.1"), ("congruence", {}),
                                ("defect_scan_result", {}), ("review_check_scores", {}), ("review", {}),
                                ("reviewed_at", now - timedelta(days=rng.randrange(30))),
                                ("pre_gen_score", rng.random()), ("image", "")):
                columns[name].append(value)
    insert_columns(GeneratedAd, columns)
    launched = list(GeneratedAd.objects.filter(ad_run__brand=brands[0]).values_list("pk", flat=True))
    insert_columns(AdMapping, {"account_id": [account.pk] * len(launched), "generated_ad_id": launched,
                               "meta_ad_id": [f"{seed}{10_000 + i}" for i in range(len(launched))],
                               "origin": ["launch"] * len(launched), "created_at": [now] * len(launched)})
    first_day = date(2026, 10, 1)
    perf: dict[str, list] = {name: [] for name in (
        "account_id", "meta_ad_id", "date", "source", "ad_name", "campaign_id", "adset_id", "campaign_objective",
        "currency", "impressions", "clicks", "reach", "frequency", "spend", "cpm", "ctr", "conversions",
        "conversion_value", "conversion_rate", "roas", "synced_at")}
    for i in range(len(launched)):
        base_ctr = rng.uniform(0.004, 0.02)
        for day in range(days):
            impressions = rng.randrange(200, 2000)
            clicks = int(impressions * base_ctr)
            for name, value in (("account_id", account.pk), ("meta_ad_id", f"{seed}{10_000 + i}"),
                                ("date", first_day + timedelta(days=day)), ("source", "simulated"), ("ad_name", ""),
                                ("campaign_id", "1"), ("adset_id", "1"), ("campaign_objective", "SALES"),
                                ("currency", "USD"), ("impressions", impressions), ("clicks", clicks),
                                ("reach", impressions), ("frequency", 1.0), ("spend", Decimal("10.00")),
                                ("cpm", Decimal("10")), ("ctr", clicks / impressions), ("conversions", clicks // 40),
                                ("conversion_value", Decimal(clicks // 40 * 30)), ("conversion_rate", None),
                                ("roas", None), ("synced_at", now)):
                perf[name].append(value)
    insert_columns(AdPerformanceDay, perf)
    return org.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from genome.services.update import genome_update_organization

        started = time.perf_counter()
        small = populate(args.ads // 10, args.days, seed=3)
        org = populate(args.ads, args.days)
        print(f"{connection.vendor}: populated {args.ads} + {args.ads // 10} ads × {args.days} days "
              f"in {time.perf_counter() - started:.1f} s; load average {os.getloadavg()}")
        genome_update_organization(organization_id=small)  # warm: state rows exist
        with CaptureQueriesContext(connection) as tenth:
            genome_update_organization(organization_id=small)
        walls, counted = [], None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                summary = genome_update_organization(organization_id=org)
                walls.append(time.perf_counter() - started)
            counted = len(queries)
        print(f"update of {args.ads} ads: wall min {min(walls):.2f} s, median {statistics.median(walls):.2f} s "
              f"(target ≤ 10 s); queries {counted} (with {args.ads // 10} ads: {len(tenth)})")
        for brand_id, brand in summary.items():
            print(f"  brand {brand_id}: {brand}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
