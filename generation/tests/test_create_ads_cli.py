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


def test_the_terminal_bar_follows_the_job_pages_progress_model(org):
    """While ads are reviewed the bar is not full and says what the job page says (issue 17 item 3)."""
    from adcreator.jobs.models import RunStatus
    from generation.management.commands.create_ads import Command
    from tests.api.conftest import make_run_with_ads

    cat = build_catalog(org, templates=2)
    _, run, ad_run = make_run_with_ads(cat, ads=4, status="approved")
    ad_run.ads.filter(prompt_index__in=[3, 4]).update(status="generated", ai_status="")
    run.status = RunStatus.RUNNING
    run.metadata = {"stage": "review_ads", "ads_total": 4, "ads_attempted": 4, "current_template": "T1"}
    run.save()
    out = StringIO()
    command = Command(stdout=out)
    command._draw_progress(run)
    line = out.getvalue().strip("\r").rstrip()
    assert "Reviewing ads: 2 of 4 ads reviewed" in line, line
    bar = line[line.index("[") + 1:line.index("]")]
    assert 0 < bar.count("#") < len(bar), bar  # 6 of 8 units: moving, never full while running
    assert "now T1" not in line  # the ad being made is shown only while ads are made
