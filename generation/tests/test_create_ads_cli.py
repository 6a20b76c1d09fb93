"""The create_ads command's words (issue 17 item 7): a large job names --yes once, the estimate
is printed once and says local providers are free."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from adcreator.jobs.models import Job
from tests.support.catalog import build_catalog

pytestmark = pytest.mark.django_db


def args_for(cat):
    # 4 templates × 4 variations × 2 sizes × 1 colour = 32 attempts: the confirmation tier.
    return ["create_ads", "--brand", cat.brand.slug, "--product", cat.product.slug, "--select", "roll_the_dice",
            "--count", "4", "--variations", "4", "--sizes", "1:1,4:5", "--colors", "original"]


def test_a_large_job_is_refused_once_naming_yes(org):
    cat = build_catalog(org, templates=4)
    with pytest.raises(CommandError) as refused:
        call_command(*args_for(cat), stdout=StringIO())
    text = str(refused.value)
    assert "--yes" in text and text.lower().count("confirm") == 0
    assert text.count("~32 generations") == 1 and "Run it again with --yes to submit it." in text
    assert not Job.objects.exists()


def test_with_yes_the_estimate_is_printed_once(org, settings):
    settings.ADCREATOR_IMAGE_PROVIDER = settings.ADCREATOR_REVIEW_PROVIDER = settings.ADCREATOR_TEXT_PROVIDER = "local"
    cat = build_catalog(org, templates=4)
    out = StringIO()
    call_command(*args_for(cat), "--yes", stdout=out)
    text = out.getvalue()
    assert text.count("Estimate:") == 1 and text.count("at list prices") == 1 and text.count("$") == 1
    assert "local providers: free" in text
    assert text.startswith("Submitted job ") and Job.objects.count() == 1
