"""The main job end to end: a real qcluster process runs ad_creation_v2 (PostgreSQL in CI)."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django_q.tasks import async_task
from PIL import Image

from adcreator.calls.models import ProviderCall
from adcreator.jobs.models import JobRun, RunStatus
from adcreator.jobs.services import TASK_PATH
from generation.models import AdStatus, GeneratedAd
from generation.services import ad_creation_submit
from tests.support.catalog import build_catalog
from tests.support.worker import running_qcluster, wait_for


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_worker_generates_twelve_ads_and_a_rerun_adds_none(org, tmp_path):
    cat = build_catalog(org)
    submission = ad_creation_submit(organization=org, user=None, parameters={
        "brand_id": cat.brand.pk, "product_id": cat.product.pk,
        "template_selection": {"mode": "manual", "template_ids": [t.pk for t in cat.templates[:2]]},
        "sizes": ["1:1", "4:5", "9:16"], "color_modes": ["original", "brand"],
    })
    run = submission.jobs[0].runs.get()
    finished = lambda: JobRun.objects.get(pk=run.pk).is_finished  # noqa: E731
    with running_qcluster(log_path=tmp_path / "qcluster.log"):
        wait_for(finished, timeout=120, message="the generation run")
        run.refresh_from_db()
        assert run.status == RunStatus.COMPLETED, (run.error, (tmp_path / "qcluster.log").read_text()[-3000:])
        ads = list(GeneratedAd.objects.filter(ad_run__job_run=run))
        assert len(ads) == 12
        assert {(a.canvas_size, a.color_mode) for a in ads} == {
            (s, c) for s in ("1080x1080", "1080x1350", "1080x1920") for c in ("original", "brand")
        }
        for ad in ads:
            # Every ad ends reviewed, in exactly one of the four review statuses (spec P2-1).
            assert ad.status in {AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED}
            assert ad.ai_status == ad.status and len(ad.review_check_scores) in (0, 15)
            with default_storage.open(ad.image.name, "rb") as fh:
                assert "%dx%d" % Image.open(BytesIO(fh.read())).size == ad.canvas_size
            assert ad.element_tags["canvas_size"] == ad.canvas_size and ad.prompt["task"]["canvas_size"] == ad.canvas_size
        image_calls = ProviderCall.objects.filter(job_run=run, purpose="image_generation").count()
        assert image_calls == 12

        # The same run delivered again (a redelivery after a crash looks like this).
        JobRun.objects.filter(pk=run.pk).update(status=RunStatus.PENDING)
        async_task(TASK_PATH, run.pk)
        wait_for(finished, timeout=60, message="the re-run")
    assert GeneratedAd.objects.filter(ad_run__job_run=run).count() == 12
    assert ProviderCall.objects.filter(job_run=run, purpose="image_generation").count() == image_calls
    assert JobRun.objects.get(pk=run.pk).status == RunStatus.COMPLETED
