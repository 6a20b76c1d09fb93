"""A customer's review used as the hook is quoted as written: neither the persona adaptation
nor the congruence rewrite rewords it (the quickstart's review template came out as "Meet
Night Repair Serum." for a persona at awareness stage 3)."""

import pytest

from adcreator.catalog.models import Hook
from adcreator.jobs.models import RunStatus
from generation.models import GeneratedAd
from generation.tests.test_pipeline import run_job, submit
from tests.support.catalog import build_catalog

REVIEW = "“Never looked this rested.” - Priya"


@pytest.mark.django_db
def test_a_review_hook_keeps_its_words_with_a_persona_and_an_offer(org):
    cat = build_catalog(org, templates=1)
    review = Hook.objects.create(brand=cat.brand, product=cat.product, text=REVIEW, hook_type="social_proof")
    job = submit(cat, template_selection={"mode": "manual", "template_ids": [cat.templates[0].pk]},
                 sizes=["1:1"], color_modes=["original"], hook_ids=[review.pk])
    run = run_job(job)
    assert run.status == RunStatus.COMPLETED, run.error
    ad = GeneratedAd.objects.get(ad_run__job_run=run)
    assert ad.headline == REVIEW and not ad.original_headline, (ad.headline, ad.original_headline)
    # Measured all the same: the score is kept, only the words are not rewritten.
    assert ad.congruence_score is not None
