"""Benchmark: jobs per minute with one and with two qcluster processes on a Redis broker.

Each job is a real ad_creation_v2 run with the local providers (1 template × 2 sizes ×
1 colour: two rendered, reviewed ads). Needs PostgreSQL and Redis:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/scaleout.py [--jobs 12]

It creates a throwaway database next to the one in DATABASE_URL and drops it at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=12)
    args = parser.parse_args()
    base_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (base_url and base_url.startswith("postgres") and redis_url):
        sys.exit("set DATABASE_URL (PostgreSQL) and REDIS_URL")
    import psycopg

    db_name = f"adcreator_bench_{os.getpid()}"
    parsed = urlparse(base_url)
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    url = urlunparse(parsed._replace(path=f"/{db_name}"))
    workdir = Path(tempfile.mkdtemp(prefix="adcreator-scaleout-"))
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "MEDIA_ROOT": str(workdir / "media"),
           "ADCREATOR_VAR_DIR": str(workdir), "ADCREATOR_WORKERS": "1", "LOG_LEVEL": "WARNING",
           "ADCREATOR_QUEUE_NAME": f"bench-{os.getpid()}"}
    os.environ.update(env)
    try:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adcreator.settings")
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        import redis

        redis.Redis.from_url(redis_url).flushdb()
        from adcreator.catalog.models import Organization
        from tests.support.catalog import build_catalog

        cat = build_catalog(Organization.objects.create(slug="bench", name="Bench"), templates=2)
        print(f"{args.jobs} jobs per round, each 1 template × 2 sizes × 1 colour, local providers, "
              f"{os.cpu_count()} CPU(s)")
        for processes in (1, 2):
            rate = run_round(cat, args.jobs, processes, env)
            print(f"{processes} qcluster process(es): {rate:.1f} jobs/minute")
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def run_round(cat, jobs: int, processes: int, env: dict) -> float:
    from adcreator.jobs.models import JobRun, RunStatus
    from adcreator.jobs.services import job_create

    run_ids = []
    for index in range(jobs):
        job = job_create(organization=cat.org, brand=cat.brand, job_type="ad_creation_v2", enqueue=False, parameters={
            "brand_id": cat.brand.pk, "product_id": cat.product.pk,
            "template_selection": {"mode": "manual", "template_ids": [cat.templates[index % 2].pk]},
            "sizes": ["1:1", "4:5"], "color_modes": ["original"],
        })
        run_ids.append(JobRun.objects.create(job=job).pk)
    workers = [subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
               for _ in range(processes)]
    try:
        time.sleep(3)  # let the clusters start, so start-up is not counted
        started = time.monotonic()
        subprocess.run([sys.executable, "manage.py", "requeue_pending_runs"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        while JobRun.objects.filter(pk__in=run_ids, status__in=[RunStatus.PENDING, RunStatus.RUNNING]).exists():
            time.sleep(0.25)
        elapsed = time.monotonic() - started
    finally:
        import signal

        for worker in workers:
            os.killpg(worker.pid, signal.SIGINT)
        for worker in workers:
            worker.wait(timeout=30)
    failed = JobRun.objects.filter(pk__in=run_ids).exclude(status=RunStatus.COMPLETED).count()
    if failed:
        print(f"  ({failed} run(s) did not complete)")
    return jobs / elapsed * 60


if __name__ == "__main__":
    main()
