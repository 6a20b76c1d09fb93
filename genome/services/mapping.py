"""Which of our ads a Meta ad is (spec P1-5): explicit mappings first, ad names as the fallback.

A mapping comes from the API (bulk), a CSV upload, a simulated launch or an experiment
deployment. For a Meta ad no mapping covers, its name is searched for one of our ads' short
ids (8 hex digits with at least one letter — every short id has one, so a date like 20261201
is never taken for an id); exactly one match in the brand maps it, anything else leaves it
unmapped. The fallback never overrides a mapping.
"""

from __future__ import annotations

import re
from datetime import date

from django.apps import apps
from django.db import transaction

from adcreator.catalog.selectors import require_editor
from genome.models import AdAccount, AdMapping, AdPerformanceDay

SHORT_ID = re.compile(r"(?<![0-9a-f])([0-9a-f]{8})(?![0-9a-f])", re.IGNORECASE)
META_AD_ID = re.compile(r"^[0-9]{1,30}$")


def _ads():
    return apps.get_model("generation", "GeneratedAd")


def short_ids_in(name: str) -> list[str]:
    """Candidate short ids in an ad name: 8-hex tokens holding a letter (never an all-digit date)."""
    return [token.lower() for token in SHORT_ID.findall(name or "") if re.search(r"[a-f]", token, re.IGNORECASE)]


def attribute_by_name(*, account: AdAccount, since: date, until: date) -> int:
    """Map the window's unmapped Meta ads whose name carries exactly one of the brand's short ids."""
    mapped = AdMapping.objects.filter(meta_ad_id__in=AdPerformanceDay.objects.filter(
        account=account, date__range=(since, until)).values("meta_ad_id")).values_list("meta_ad_id", flat=True)
    names = dict(AdPerformanceDay.objects.filter(account=account, date__range=(since, until))
                 .exclude(meta_ad_id__in=mapped).values_list("meta_ad_id", "ad_name").distinct())
    wanted = {meta_ad_id: short_ids_in(name) for meta_ad_id, name in names.items()}
    candidates = {short for shorts in wanted.values() for short in shorts}
    if not candidates:
        return 0
    by_short: dict[str, list[int]] = {}
    brand_ads = _ads().objects.filter(ad_run__brand_id=account.brand_id).values_list("pk", "public_id")
    for pk, public_id in brand_ads.iterator():
        short = public_id.hex[:8]
        if short in candidates:
            by_short.setdefault(short, []).append(pk)
    new = []
    for meta_ad_id, shorts in wanted.items():
        matches = {pk for short in shorts for pk in by_short.get(short, [])}
        if len(matches) == 1:
            new.append(AdMapping(account=account, generated_ad_id=matches.pop(), meta_ad_id=meta_ad_id,
                                 origin=AdMapping.Origin.NAME))
    AdMapping.objects.bulk_create(new, ignore_conflicts=True)  # a mapping that appeared meanwhile wins
    return len(new)


class MappingError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def mappings_create(*, user, organization_ids: list[int], items: list[tuple[int, str]], origin: str) -> list[AdMapping]:
    """Map (our ad id, Meta ad id) pairs, all or nothing. Each ad must be one the user may see,
    of a brand with a Meta connection; a Meta ad already mapped to another ad is an error,
    the same mapping again is no change."""
    errors: dict[str, list[str]] = {}
    ad_ids = {ad_id for ad_id, _ in items}
    ads = {ad.pk: ad for ad in _ads().objects.filter(pk__in=ad_ids, ad_run__organization_id__in=organization_ids)
           .select_related("ad_run")}
    accounts = {account.brand_id: account for account in
                AdAccount.objects.filter(brand_id__in={ad.ad_run.brand_id for ad in ads.values()})}
    existing = dict(AdMapping.objects.filter(meta_ad_id__in=[meta for _, meta in items])
                    .values_list("meta_ad_id", "generated_ad_id"))
    rows, seen = [], {}
    for index, (ad_id, meta_ad_id) in enumerate(items):
        key = str(index)
        ad = ads.get(ad_id)
        if ad is None:
            errors.setdefault(f"{key}.generated_ad", []).append("No such ad in your organization.")
            continue
        if not isinstance(meta_ad_id, str) or not META_AD_ID.match(meta_ad_id):
            errors.setdefault(f"{key}.meta_ad_id", []).append("A Meta ad id is a number (digits only).")
            continue
        account = accounts.get(ad.ad_run.brand_id)
        if account is None:
            errors.setdefault(f"{key}.generated_ad", []).append("Connect this ad's brand to Meta first.")
            continue
        owner = existing.get(meta_ad_id, seen.get(meta_ad_id))
        if owner is not None and owner != ad_id:
            errors.setdefault(f"{key}.meta_ad_id", []).append(f"Meta ad {meta_ad_id} is already mapped to ad {owner}.")
            continue
        seen[meta_ad_id] = ad_id
        if meta_ad_id not in existing:
            rows.append(AdMapping(account=account, generated_ad=ad, meta_ad_id=meta_ad_id, origin=origin,
                                  created_by=user if getattr(user, "pk", None) else None))
    if errors:
        raise MappingError(errors)
    for organization_id in {ad.ad_run.organization_id for ad in ads.values()}:
        require_editor(user=user, organization_id=organization_id)
    with transaction.atomic():
        AdMapping.objects.bulk_create(rows)
    return rows


def resolve_ad_refs(*, brand, refs: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """CSV rows (line, our ad's id or short id, Meta ad id) → (ad id, Meta ad id) within the brand."""
    errors: dict[str, list[str]] = {}
    shorts = {ref.lower() for _, ref, _ in refs if re.fullmatch(r"[0-9a-fA-F]{8}", ref) and re.search(r"[a-fA-F]", ref)}
    by_short: dict[str, list[int]] = {}
    if shorts:
        for pk, public_id in _ads().objects.filter(ad_run__brand=brand).values_list("pk", "public_id").iterator():
            if public_id.hex[:8] in shorts:
                by_short.setdefault(public_id.hex[:8], []).append(pk)
    items = []
    for line, ref, meta_ad_id in refs:
        where = f"line {line}"
        if ref.lower() in shorts:
            matches = by_short.get(ref.lower(), [])
            if len(matches) != 1:
                errors.setdefault(where, []).append(
                    f"short id {ref!r} matches {len(matches) or 'no'} ads of {brand.name}")
                continue
            items.append((matches[0], meta_ad_id))
        elif re.fullmatch(r"[0-9]{1,18}", ref):
            items.append((int(ref), meta_ad_id))
        else:
            errors.setdefault(where, []).append(f"{ref[:30]!r} is neither an ad id nor an 8-character short id")
    if errors:
        raise MappingError(errors)
    return items
