"""Benchmark: the results dashboard and the ads list endpoint with 5,000 ads in the database.

    .venv/bin/python bench/web.py [--ads 5000] [--requests 30]

Prints median and p95 latency (in-process Django test client: the whole request/response
cycle without a network hop) and the query count of one request. Runs on a throwaway SQLite
database, or on DATABASE_URL's server in a database of its own (created and dropped).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.throwaway import throwaway_database  # noqa: E402
CHECKS = ("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "C1", "C2", "C3", "C4", "G1", "G2")


def populate(ads: int):
    import random

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from rest_framework.authtoken.models import Token

    from adcreator.catalog.models import Brand, Membership, Organization, Product
    from generation.models import AdRun, GeneratedAd
    from templates.models import ScrapedTemplate
    from tests.support.catalog import png_bytes, template_image

    rng = random.Random(5)
    org = Organization.objects.create(slug="bench", name="Bench")
    user = get_user_model().objects.create_user("bench", password="bench-password")
    Membership.objects.create(user=user, organization=org)
    brand = Brand.objects.create(organization=org, name="Bench", slug="bench")
    product = Product.objects.create(brand=brand, slug="p", name="Product")
    image = default_storage.save("bench/ad.png", ContentFile(png_bytes(template_image(270, 270))))
    templates = [ScrapedTemplate.objects.create(name=f"T{i}", category="offer", image=image) for i in range(20)]
    runs = [AdRun.objects.create(organization=org, brand=brand, product=product) for _ in range(ads // 24 + 1)]
    statuses = ["approved", "rejected", "flagged", "review_failed"]
    rows = []
    for i in range(ads):
        status = rng.choice(statuses)
        rows.append(GeneratedAd(
            ad_run=runs[i // 24], prompt_index=(i % 24) // 3 + 1, canvas_size=("1080x1080", "1080x1350", "1080x1920")[i % 3],
            color_mode="brand", template=templates[i % 20], headline=f"Headline {i}", image=image, status=status,
            ai_status=status, congruence_score=rng.random(), review_score=rng.uniform(3, 9.5),
            review_check_scores={c: round(rng.uniform(2, 10), 1) for c in CHECKS},
            defect_scan_result={"passed": status != "rejected", "defects": []},
        ))
    GeneratedAd.objects.bulk_create(rows, batch_size=1000)
    return user, Token.objects.create(user=user)


def measure(client, url: str, requests: int, **headers) -> tuple[float, float, int]:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        # A wrapper, not CaptureQueriesContext: each request resets the debug query log.
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))], len(executed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ads", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with throwaway_database("webbench") as vendor:
        from django.conf import settings
        from django.test import Client

        settings.ALLOWED_HOSTS = ["testserver"]
        user, token = populate(args.ads)
        client = Client()
        client.force_login(user)
        print(f"{args.ads} ads, {args.requests} requests each, database: {vendor}, "
              f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        for label, url, headers in (
            ("results dashboard /results/", "/results/", {}),
            ("results filtered (approved, newest)", "/results/?status=approved&sort=newest", {}),
            ("API /api/v1/ads/ (50 per page)", "/api/v1/ads/", {"HTTP_AUTHORIZATION": f"Token {token.key}"}),
        ):
            median, p95, queries = measure(client if not headers else Client(), url, args.requests, **headers)
            print(f"  {label:<40} median {median:7.1f} ms   p95 {p95:7.1f} ms   {queries} queries")


if __name__ == "__main__":
    main()
