"""Time reading 2,000 ads × 28 days (56,000 daily rows) of insights from the local Graph stand-in.

Run: .venv/bin/python bench/meta_paging.py [--ads 2000] [--days 28] [--limit 500] [--repeat 3]
Prints wall time (min and median of --repeat runs), this process's CPU time (the client's
share, steadier than wall time on a loaded machine), pages and rows/s of:
  (a) SDK paging alone: `AdAccount.get_insights` and iterating its Cursor, the SDK's own paging
      (it builds an AdsInsights object per row; nothing converted) — the baseline the full
      `meta_sync` is held against (target: sync <= 1.5x this);
  (b) the adapter, async report run (what a 28-day window uses): start, poll, every page read
      and converted into DailyAdInsight rows in our units;
  (c) the adapter, synchronous paging of the same range (mode="sync"), converted the same way;
  (d) the adapter's conversion alone (wire rows -> DailyAdInsight), without HTTP;
  (e) the simulated market answering the same 2,000 ads × 28 days.
The stand-in runs in its own process (on a 2-core machine it still competes for the CPU); the
load average is printed before and after, and the min of the runs is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facebook_business.adobjects.adaccount import AdAccount  # noqa: E402
from facebook_business.api import FacebookAdsApi  # noqa: E402
from facebook_business.session import FacebookSession  # noqa: E402

from adcreator.providers.meta.graph import GraphMetaSource  # noqa: E402
from adcreator.providers.meta.launches import InMemoryLaunchStore, new_launch  # noqa: E402
from adcreator.providers.meta.parsing import INSIGHT_FIELDS, insights_from_wire  # noqa: E402
from adcreator.providers.meta.simulated import SimulatedMetaSource  # noqa: E402
from tests.fakes.meta_accounts import FakeAdAccount  # noqa: E402
from tests.fakes.meta_graph_server import META_TEST_TOKEN  # noqa: E402

UNTIL = date(2026, 3, 28)


def timed(label: str, repeat: int, fn) -> None:
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    pages, rows = result
    best, median = min(walls), statistics.median(walls)
    print(f"{label:<36} wall min {best:6.2f} s  median {median:6.2f} s  client CPU min {min(cpus):6.2f} s  "
          f"pages {pages:4d}  rows {rows:6d}  {rows / best:7.0f} rows/s")


def start_server(ads: int, days: int) -> tuple[subprocess.Popen, str, str]:
    """The stand-in in its own process, so its JSON encoding does not share our GIL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.meta_graph_server", "--ads", str(ads), "--days", str(days)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline().split()  # type: ignore[union-attr]
    if not line or line[0] != "READY":
        process.kill()
        raise SystemExit(f"the stand-in did not start: {line}")
    return process, line[1], line[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=2000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    since = UNTIL - timedelta(days=args.days - 1)
    print(f"load average before: {os.getloadavg()}")
    started = time.perf_counter()
    process, base_url, account_id = start_server(args.ads, args.days)
    print(f"stand-in: {args.ads} ads x {args.days} days ready in {time.perf_counter() - started:.1f} s "
          f"(own process) at {base_url}; page limit {args.limit}")
    try:
        def sdk_alone():
            session = FacebookSession(access_token=META_TEST_TOKEN)
            session.GRAPH = base_url
            api = FacebookAdsApi(session)
            cursor = AdAccount(account_id, api=api).get_insights(
                fields=list(INSIGHT_FIELDS),
                params={"level": "ad", "time_increment": "1", "limit": args.limit,
                        "time_range": {"since": since.isoformat(), "until": UNTIL.isoformat()}})
            rows = sum(1 for _ in cursor)
            return api.get_num_requests_attempted(), rows

        def adapter(mode):
            def run():
                source = GraphMetaSource(META_TEST_TOKEN, base_url=base_url, page_limit=args.limit,
                                         report_poll_seconds=0.01)
                pages = list(source.iter_insight_pages(account_id, since, UNTIL, mode=mode))
                return len(pages), sum(len(page.rows) for page in pages)
            return run

        timed("(a) SDK paging alone (Cursor)", args.repeat, sdk_alone)
        timed("(b) adapter, async report run", args.repeat, adapter("async"))
        timed("(c) adapter, sync paging", args.repeat, adapter("sync"))
    finally:
        process.stdin.close()  # type: ignore[union-attr]
        process.wait(timeout=10)

    account = FakeAdAccount.generated(n_ads=args.ads, days=args.days, until=UNTIL)
    wire = [json.loads(account.row_json(i, None)) for i in range(len(account.rows))]
    timed("(d) conversion alone (no HTTP)", args.repeat, lambda: (0, len(insights_from_wire(wire)[0])))

    store = InMemoryLaunchStore(today=UNTIL + timedelta(days=1))
    for index in range(args.ads):
        campaign, ad = new_launch("act_1", ad_key=f"ad-{index}", ad_name=f"ad {index}", launched_on=since,
                                  element_tags={"hook_type": f"h{index % 7}", "color_mode": "brand",
                                                "canvas_size": "1080x1350", "template_category": f"c{index % 5}"})
        store.add_structure("act_1", campaign, [ad])
    simulated = SimulatedMetaSource(store, seed=1, page_size=args.limit)

    def market():
        pages = list(simulated.iter_insight_pages("act_1", since, UNTIL))
        return len(pages), sum(len(page.rows) for page in pages)

    timed("(e) simulated market", args.repeat, market)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
