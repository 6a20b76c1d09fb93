"""Benchmark: a 48-attempt ad_creation_v2 job with a provider that answers after a fixed latency.

Prints, for each concurrency C: the job's wall time against the ideal ceil(48 / C) · L, the
overhead per ad outside the provider (the same job with a zero-latency provider, divided by
the number of ads), and SQL queries per ad.

    .venv/bin/python bench/pipeline.py [--latency 0.3] [--concurrency 1,4,8,16]

Runs on a throwaway SQLite database under a temporary folder (or on DATABASE_URL if set,
in a database of its own that it creates and drops).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ATTEMPTS = 48  # 4 templates × 1 variation × 4 sizes × 3 colour modes


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adcreator.settings")
    os.environ["ADCREATOR_VAR_DIR"] = str(workdir)
    os.environ["ADCREATOR_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


class CannedImageModel:
    """Answers after `latency` seconds with a pre-rendered PNG of the canvas size: the
    benchmark measures the pipeline around the model, not the renderer."""

    provider_name = "bench"
    model_name = "canned-latency"

    def __init__(self, latency: float):
        self.latency = latency
        self._cache: dict[tuple[int, int], bytes] = {}

    def generate(self, request):
        from io import BytesIO

        from PIL import Image

        from adcreator.providers.base import GeneratedImage, Usage

        width, height = request.canvas
        if (width, height) not in self._cache:
            buffer = BytesIO()
            Image.new("RGB", (width, height), (240, 236, 226)).save(buffer, format="PNG")
            self._cache[(width, height)] = buffer.getvalue()
        time.sleep(self.latency)
        return GeneratedImage(png=self._cache[(width, height)], width=width, height=height, model=self.model_name,
                              native_width=width, native_height=height, usage=Usage(images_out=1))


class CannedJudge:
    """A judge that passes every ad at once: the benchmark measures generation and the
    pipeline's own work, not the local pixel judge (about 0.2–0.3 s of CPU per ad)."""

    provider_name = "bench"
    model_name = "canned-judge"

    def defect_scan(self, request):
        from adcreator.providers.base import DEFECT_TYPES, DefectFinding, DefectScanResult

        return DefectScanResult(findings=[DefectFinding(defect=d, present=False) for d in DEFECT_TYPES])

    def rubric_review(self, request):
        from adcreator.providers.base import RUBRIC_CHECKS, CheckScore, RubricResult

        return RubricResult(checks=[CheckScore(check=c, score=9.0) for c in RUBRIC_CHECKS])


def run_job(org, cat, model, concurrency: int) -> tuple[float, int, int]:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from adcreator.jobs.services import job_run_execute
    from adcreator.providers import factory
    from generation.models import GeneratedAd
    from generation.services import ad_creation_submit

    settings.ADCREATOR_MAX_CONCURRENCY = concurrency
    factory.image_model = lambda name=None: model
    judge = CannedJudge()
    factory.vision_judge = lambda name=None: judge
    factory.second_opinion_judge = lambda: judge
    submission = ad_creation_submit(organization=org, user=None, parameters={
        "brand_id": cat.brand.pk, "product_id": cat.product.pk,
        "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates[:4]]},
        "sizes": ["1:1", "4:5", "9:16", "16:9"], "color_modes": ["original", "complementary", "brand"],
        "confirmed": True,
    })
    run = submission.jobs[0].runs.get()
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        job_run_execute(run_id=run.pk)
        wall = time.perf_counter() - started
    ads = GeneratedAd.objects.filter(ad_run__job_run=run, status="approved").count()
    return wall, len(ctx.captured_queries), ads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", default="1,4,8,16")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="adcreator-bench-"))
    setup_django(workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from adcreator.catalog.models import Organization
    from tests.support.catalog import build_catalog

    org = Organization.objects.create(slug="bench", name="Bench")
    cat = build_catalog(org, templates=4)

    # Overhead: the same job with a provider that answers at once.
    zero = CannedImageModel(0.0)
    run_job(org, cat, zero, 8)  # warm-up (imports, font and template caches)
    overheads, queries = [], []
    for _ in range(args.repeat):
        wall, query_count, ads = run_job(org, cat, zero, 8)
        assert ads == ATTEMPTS, ads
        overheads.append(wall / ATTEMPTS)
        queries.append(query_count / ATTEMPTS)
    print(f"{ATTEMPTS}-attempt job (4 templates × 4 sizes × 3 colours), {os.cpu_count()} CPU(s)")
    print(f"overhead per ad outside the provider: median {statistics.median(overheads) * 1000:.1f} ms "
          f"(min {min(overheads) * 1000:.1f} ms) — target ≤ 20 ms")
    print(f"SQL queries per ad (whole job / ads): {statistics.median(queries):.2f} — target ≤ 10")
    print(f"\nprovider latency L = {args.latency * 1000:.0f} ms")
    print(f"{'C':>3} {'wall s':>8} {'ideal s':>8} {'ratio':>6}")
    model = CannedImageModel(args.latency)
    for concurrency in [int(c) for c in args.concurrency.split(",")]:
        walls = []
        for _ in range(args.repeat):
            wall, _, ads = run_job(org, cat, model, concurrency)
            assert ads == ATTEMPTS, ads
            walls.append(wall)
        ideal = math.ceil(ATTEMPTS / concurrency) * args.latency
        wall = statistics.median(walls)
        target = "  (target ≤ 1.2)" if concurrency == 8 else ""
        print(f"{concurrency:>3} {wall:>8.2f} {ideal:>8.2f} {wall / ideal:>6.2f}{target}")


if __name__ == "__main__":
    main()
