"""Launching approved ads into the simulated market (the offline stand-in for running them on Meta).

A launch creates the ad in the brand's simulated account (delivering from the market's today)
and the mapping from our ad to it — the same mapping an advertiser makes for a real Meta ad.
Launching is idempotent: the simulated ids come from our ad's public id.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from adcreator.catalog.selectors import require_editor
from adcreator.providers.meta.launches import new_launch
from genome.market_store import DbLaunchStore, market_today
from genome.models import AdAccount, AdMapping, Source


class LaunchError(ValueError):
    pass


def _ads():
    return apps.get_model("generation", "GeneratedAd")


def market_launch_ads(*, ad_ids: list[int], user, organization_ids: list[int]) -> list[AdMapping]:
    """Launch these approved ads into their brands' simulated accounts; all or nothing."""
    ads = list(_ads().objects.filter(pk__in=ad_ids, ad_run__organization_id__in=organization_ids)
               .select_related("ad_run", "ad_run__brand"))
    missing = sorted(set(ad_ids) - {ad.pk for ad in ads})
    if missing:
        raise LaunchError(f"no such ads in your organization: {missing}")
    not_approved = [ad.pk for ad in ads if ad.status != "approved"]
    if not_approved:
        raise LaunchError(f"only approved ads can be launched; not approved: {not_approved}")
    accounts = {a.brand_id: a for a in AdAccount.objects.filter(brand_id__in={ad.ad_run.brand_id for ad in ads})}
    for ad in ads:
        require_editor(user=user, organization_id=ad.ad_run.organization_id)
        account = accounts.get(ad.ad_run.brand_id)
        if account is None or account.status != AdAccount.Status.ACTIVE:
            raise LaunchError(f"ad {ad.pk}: connect {ad.ad_run.brand.name} to the simulated market first")
        if account.source != Source.SIMULATED:
            raise LaunchError(f"ad {ad.pk}: {ad.ad_run.brand.name} is connected to Meta; run the ad there and map it "
                              "(AdCreator does not upload to Meta)")
    mappings = []
    with transaction.atomic():
        for ad in ads:
            account = accounts[ad.ad_run.brand_id]
            campaign, launched = new_launch(account.ad_account_id, ad_key=str(ad.public_id),
                                            ad_name=f"{ad.headline[:60]} · {ad.short_id}",
                                            element_tags=ad.element_tags, launched_on=market_today(account))
            DbLaunchStore(account).add_structure(account.ad_account_id, campaign, [launched])
            mapping, _ = AdMapping.objects.get_or_create(
                meta_ad_id=launched.meta_ad_id,
                defaults={"account": account, "generated_ad": ad, "origin": AdMapping.Origin.LAUNCH,
                          "created_by": user if getattr(user, "pk", None) else None})
            mappings.append(mapping)
    return mappings
