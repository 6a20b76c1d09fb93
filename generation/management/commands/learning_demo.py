"""The learning loop, several simulated weeks end to end: generate → launch into the simulated
market → let the week pass → meta_sync → creative_genome_update, printing how the hook-type
scores converge and how the share of the best hook type grows; a chart PNG at the end.

Every step is the product's own job (run in this process, so no worker is needed): the
generation job with the hooks left to the genome, the launch, the sync that reads the market
only as Meta insight rows, the genome update. The market's hidden truth is printed once, as
the yardstick — this demo is the only code that shows it.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from adcreator.jobs.cli import find_brand
from adcreator.jobs.models import JobRun
from adcreator.jobs.services import job_create, job_run_execute
from adcreator.providers.meta.market import MarketModel
from genome.charts_png import learning_chart
from genome.market_store import market_advance, market_today
from genome.models import AdAccount, ElementScore
from genome.services.connection import meta_connection_set
from genome.services.market import market_launch_ads


class Command(BaseCommand):
    help = "Run several simulated weeks of the learning loop for a brand and show the genome converging."

    def add_arguments(self, parser):
        parser.add_argument("--brand", default="demo", help="brand slug (default: the demo brand)")
        parser.add_argument("--product", help="product slug (default: the brand's first)")
        parser.add_argument("--weeks", type=int, default=6)
        parser.add_argument("--templates", type=int, default=5, help="templates per weekly job (smart select)")
        parser.add_argument("--variations", type=int, default=3)
        parser.add_argument("--chart", default="var/learning-demo.png", help="where to write the chart PNG")

    def handle(self, *args, **opts):
        if not 1 <= opts["weeks"] <= 20:
            raise CommandError("--weeks must be between 1 and 20")
        if settings.ADCREATOR_META_PROVIDER != "simulated":
            raise CommandError("the learning demo runs on the simulated market (ADCREATOR_META_PROVIDER=simulated)")
        brand = find_brand(opts["brand"])
        product = (brand.products.filter(slug=opts["product"]).first() if opts.get("product")
                   else brand.products.order_by("id").first())
        if product is None:
            raise CommandError(f"no product {opts.get('product') or ''!r} for {brand.name}")
        account = AdAccount.objects.filter(brand=brand).first()
        if account is None or account.status != AdAccount.Status.ACTIVE or account.source != "simulated":
            account = meta_connection_set(brand=brand, ad_account_id=f"act_{9000 + brand.pk}", access_token="", user=None)
            self.stdout.write(f"Connected {brand.name} to the simulated market as {account.ad_account_id}.")
        hook_types = sorted(set(brand.hooks.filter(is_active=True).values_list("hook_type", flat=True)))
        market = MarketModel(settings.ADCREATOR_SIMULATED_MARKET_SEED)
        truth = {t: market.effect("hook_type", t).ctr_log_lift for t in hook_types}
        best = max(truth, key=truth.get)
        self.stdout.write("The simulated market's hidden hook-type effects on CTR (shown by this demo only): "
                          + ", ".join(f"{t} {v:+.2f}" for t, v in sorted(truth.items(), key=lambda kv: -kv[1])))
        history = []
        for week in range(1, opts["weeks"] + 1):
            started = time.perf_counter()
            ads = self._generate(brand, product, opts)
            approved = [ad_id for ad_id, status in ads if status == "approved"]
            if approved:
                market_launch_ads(ad_ids=approved, user=None, organization_ids=[brand.organization_id])
            week_types = [hook_type for hook_type in self._hook_types([ad_id for ad_id, _ in ads])]
            today = market_advance(account=account, days=7)
            self._run("meta_sync", brand, {"brand_id": brand.pk})
            self._run("creative_genome_update", brand, {"brand_ids": [brand.pk]})
            scores = {row.value: row for row in ElementScore.objects.filter(brand=brand, product__isnull=True,
                                                                             dimension="hook_type")}
            share = week_types.count(best) / len(week_types) if week_types else 0.0
            history.append({"week": week, "share_best": share,
                            "means": {t: scores[t].mean for t in hook_types if t in scores}})
            self.stdout.write(f"\nWeek {week} (market day {today:%Y-%m-%d}, {time.perf_counter() - started:.0f} s): "
                              f"{len(ads)} ads, {len(approved)} approved and launched; "
                              f"{share:.0%} of this week's ads used the best hook type ({best})")
            self.stdout.write("  Simulated market data. Hook-type scores are correlational (what the ads that used "
                              "each type earned), not an experiment's causal effect:")
            for hook_type in sorted(hook_types, key=lambda t: -(scores[t].mean if t in scores else 0)):
                row = scores.get(hook_type)
                self.stdout.write(f"  {hook_type:<18} " + (f"mean {row.mean:.2f}  90% CI {row.ci_low:.2f}–{row.ci_high:.2f}"
                                                            f"  ({row.matured_ads} rewarded ads)" if row else "no score yet")
                                  + ("   ← best in truth" if hook_type == best else ""))
        path = Path(opts["chart"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(learning_chart(history, best=best, hook_types=hook_types))
        self.stdout.write(f"\nChart: {path.resolve()} (the market's clock is at {market_today(account):%Y-%m-%d})")

    def _generate(self, brand, product, opts) -> list[tuple[int, str]]:
        from generation.models import GeneratedAd
        from generation.services import ad_creation_submit

        submission = ad_creation_submit(organization=brand.organization, user=None, parameters={
            "brand_id": brand.pk, "product_id": product.pk,
            "template_selection": {"mode": "smart_select", "count": opts["templates"]},
            "sizes": ["1:1"], "color_modes": ["original", "brand"], "variations": opts["variations"], "confirmed": True,
        }, name="Learning demo")
        job_ids = [job.pk for job in submission.jobs]
        for job in submission.jobs:
            run = JobRun.objects.filter(job=job).order_by("-id").first() or JobRun.objects.create(job=job)
            job_run_execute(run_id=run.pk)  # here, or nothing when a running worker took the run first
            self._wait_finished(run.pk)
        return list(GeneratedAd.objects.filter(ad_run__job_run__job_id__in=job_ids).values_list("pk", "status"))

    @staticmethod
    def _wait_finished(run_id: int, timeout_seconds: float = 900.0) -> None:
        deadline = time.monotonic() + timeout_seconds
        while not JobRun.objects.get(pk=run_id).is_finished:
            if time.monotonic() > deadline:
                raise CommandError(f"run {run_id} did not finish within {timeout_seconds:.0f} s")
            time.sleep(0.5)

    def _hook_types(self, ad_ids: list[int]) -> list[str]:
        from generation.models import GeneratedAd

        return [tags.get("hook_type") for tags in GeneratedAd.objects.filter(pk__in=ad_ids)
                .values_list("element_tags", flat=True)]

    def _run(self, job_type: str, brand, parameters: dict) -> None:
        job = job_create(organization=brand.organization, brand=brand, job_type=job_type, parameters=parameters,
                         enqueue=False, name=f"Learning demo: {job_type}")
        run = job_run_execute(run_id=JobRun.objects.create(job=job).pk)
        if run.status != "completed":
            raise CommandError(f"{job_type} failed: {run.error}")
