"""meta_sync of 2,000 ads × 28 days (56,000 daily rows) through the real SDK and the Graph stand-in,
against the SDK's own paging of the same rows, with the SQL statements per page.

Run: .venv/bin/python bench/meta_sync.py [--ads 2000] [--days 28] [--repeat 3]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/adcreator_bench .venv/bin/python bench/meta_sync.py

It makes a throwaway test database (SQLite by default, PostgreSQL when DATABASE_URL is set), a
brand connected to the stand-in (which runs in its own process), and times:
  (a) the SDK paging alone: AdAccount.get_insights iterated to the end (nothing converted or stored);
  (b) the whole sync (meta_sync_account): async report run, every page converted and bulk-upserted,
      the campaigns and their objectives, the call ledger, the name fallback — first run (inserts);
  (c) the same sync again (every row an update: Meta revises recent days);
and counts the SQL statements each page costs (they must not grow with the page's rows).
Target: (b) and (c) ≤ 1.5 × (a).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adcreator.settings")
os.environ.setdefault("ADCREATOR_META_PROVIDER", "graph")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.meta_paging import UNTIL, start_server  # noqa: E402
from tests.fakes.meta_graph_server import META_TEST_TOKEN  # noqa: E402


class StatementCounter:
    """Counts SQL statements by the page they were issued for."""

    def __init__(self):
        self.page = 0
        self.by_page: Counter[int] = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.by_page[self.page] += 1
        return execute(sql, params, many, context)


class Progress:
    def __init__(self, counter: StatementCounter):
        self.counter = counter

    def update(self, **fields):
        if "pages" in fields:
            self.counter.page = fields["pages"] + 1  # statements from here on belong to the next page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=2000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    process, base_url, account_id = start_server(args.ads, args.days)
    settings.META_GRAPH_BASE_URL = base_url
    settings.ADCREATOR_META_REPORT_POLL_SECONDS = 0.01
    try:
        run(args, base_url, account_id)
    finally:
        process.stdin.close()
        process.wait(timeout=10)
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args, base_url: str, account_id: str) -> None:
    from facebook_business.adobjects.adaccount import AdAccount
    from facebook_business.api import FacebookAdsApi
    from facebook_business.session import FacebookSession

    from adcreator.catalog.models import Brand, Organization
    from adcreator.providers.meta.parsing import INSIGHT_FIELDS
    from genome.models import AdPerformanceDay
    from genome.services.connection import meta_connection_set
    from genome.services import sync as sync_service

    since = UNTIL - timedelta(days=args.days - 1)
    org = Organization.objects.create(name="Bench", slug="bench")
    brand = Brand.objects.create(organization=org, name="Bench brand", slug="bench")
    account = meta_connection_set(brand=brand, ad_account_id=account_id, access_token=META_TEST_TOKEN, user=None)

    def sdk_alone() -> int:
        session = FacebookSession(access_token=META_TEST_TOKEN)
        session.GRAPH = base_url
        api = FacebookAdsApi(session)
        cursor = AdAccount(account_id, api=api).get_insights(
            fields=list(INSIGHT_FIELDS), params={"level": "ad", "time_increment": "1", "limit": 500,
                                                 "time_range": {"since": since.isoformat(), "until": UNTIL.isoformat()}})
        return sum(1 for _ in cursor)

    def timed(fn) -> tuple[float, float, object]:
        walls = []
        result = None
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = fn()
            walls.append(time.perf_counter() - started)
        return min(walls), statistics.median(walls), result

    print(f"{connection.vendor}: {args.ads} ads x {args.days} days; load average {os.getloadavg()}")
    sdk_min, sdk_median, rows = timed(sdk_alone)
    print(f"(a) SDK paging alone           wall min {sdk_min:6.2f} s  median {sdk_median:6.2f} s  rows {rows}")

    counter = StatementCounter()
    def one_sync(progress):
        account.refresh_from_db()
        return sync_service.meta_sync_account(account=account, job_run_id=None, progress=progress, lookback_days=args.days,
                                 until=UNTIL)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        first = one_sync(Progress(counter))
        first_wall = time.perf_counter() - started
    assert "error" not in first, first
    stored = AdPerformanceDay.objects.count()
    print(f"(b) meta_sync, first (inserts) wall {first_wall:6.2f} s  = {first_wall / sdk_min:4.2f} x (a); "
          f"{first['pages']} pages, {first['rows_upserted']} rows upserted, {stored} stored")
    page_statements = [counter.by_page[p] for p in range(2, first["pages"] + 1)]
    print(f"    SQL statements per page: min {min(page_statements)}, max {max(page_statements)} "
          f"(pages of up to 500 rows); before the first page {counter.by_page[0] + counter.by_page[1]}, "
          f"after the last {counter.by_page[first['pages'] + 1]}")
    resync_min, resync_median, again = timed(lambda: one_sync(Progress(StatementCounter())))
    assert AdPerformanceDay.objects.count() == stored, "a re-sync must not add rows"
    print(f"(c) meta_sync, re-sync (updates) wall min {resync_min:6.2f} s  median {resync_median:6.2f} s  "
          f"= {resync_min / sdk_min:4.2f} x (a); rows still {AdPerformanceDay.objects.count()}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
