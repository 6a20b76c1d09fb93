"""Advance the simulated market's clock for a brand: its launched ads deliver for N more days."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from adcreator.catalog.models import Brand
from genome.market_store import market_advance
from genome.models import AdAccount, Source


class Command(BaseCommand):
    help = "Move a brand's simulated Meta account forward N days (its launched ads deliver meanwhile)."

    def add_arguments(self, parser):
        parser.add_argument("--brand", required=True, help="brand slug")
        parser.add_argument("--org", help="organization slug (when the brand slug is ambiguous)")
        parser.add_argument("--days", type=int, default=1, help="days to advance (1–365)")

    def handle(self, *args, **opts):
        if not 1 <= opts["days"] <= 365:
            raise CommandError("--days must be between 1 and 365")
        brands = Brand.objects.filter(slug=opts["brand"])
        if opts.get("org"):
            brands = brands.filter(organization__slug=opts["org"])
        found = list(brands[:2])
        if len(found) != 1:
            raise CommandError(f"brand {opts['brand']!r} matches {len(found) or 'no'} brands" +
                               (": pass --org" if found else ""))
        account = AdAccount.objects.filter(brand=found[0]).first()
        if account is None or account.source != Source.SIMULATED:
            raise CommandError(f"{found[0].name} has no simulated Meta connection (connect it on its Meta page)")
        today = market_advance(account=account, days=opts["days"])
        self.stdout.write(f"Simulated market of {found[0].name} ({account.ad_account_id}): today is {today:%Y-%m-%d}")
