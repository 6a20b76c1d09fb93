"""The genome's recurring jobs: a daily sync per connected brand, weekly update and validation per organization."""

from __future__ import annotations

import pytest

from adcreator.catalog.models import Brand
from adcreator.jobs.models import Job
from genome.models import AdAccount
from genome.schedules import (enqueue_daily_meta_syncs, enqueue_weekly_genome_updates,
                              enqueue_weekly_genome_validations)
from genome.services.connection import meta_connection_set


@pytest.fixture
def brands(org, make_org, settings):
    settings.ADCREATOR_META_PROVIDER = "simulated"
    other_org = make_org("globex")
    connected = Brand.objects.create(organization=org, name="Connected", slug="connected")
    broken = Brand.objects.create(organization=org, name="Broken", slug="broken")
    Brand.objects.create(organization=org, name="Never connected", slug="never")
    elsewhere = Brand.objects.create(organization=other_org, name="Elsewhere", slug="elsewhere")
    for brand in (connected, broken, elsewhere):
        meta_connection_set(brand=brand, ad_account_id="act_1234567", access_token="simulated-token", user=None)
    AdAccount.objects.filter(brand=broken).update(status=AdAccount.Status.BROKEN)
    return connected, broken, elsewhere


@pytest.mark.django_db
def test_daily_sync_queues_one_per_active_connection_and_never_a_second_while_one_waits(brands, django_capture_on_commit_callbacks):
    connected, broken, elsewhere = brands
    assert enqueue_daily_meta_syncs() == 2
    synced = set(Job.objects.filter(job_type="meta_sync").values_list("brand_id", flat=True))
    assert synced == {connected.pk, elsewhere.pk}  # not the broken one, not the never-connected one
    # Yesterday's runs are still pending (no worker here): nothing new is queued.
    assert enqueue_daily_meta_syncs() == 0
    assert Job.objects.filter(job_type="meta_sync").count() == 2


@pytest.mark.django_db
def test_weekly_jobs_are_one_per_organization_with_meta_data(brands):
    assert enqueue_weekly_genome_updates() == 2
    assert enqueue_weekly_genome_validations() == 2
    for job_type in ("creative_genome_update", "genome_validation"):
        jobs = Job.objects.filter(job_type=job_type)
        assert sorted(jobs.values_list("organization__slug", flat=True)) == ["acme", "globex"]
        assert all(job.brand_id is None for job in jobs)
