"""Hostile and broken input: fuzzed job parameters, broken images inside the pipeline."""

import pytest
from django.core.files.storage import default_storage
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from adcreator.catalog.models import ProductImage
from adcreator.jobs.models import Job, JobRun, RunStatus
from adcreator.jobs.services import job_run_execute
from generation.models import AdStatus, GeneratedAd
from generation.services import Submission, SubmissionError, ad_creation_submit
from tests.support.catalog import build_catalog
from tests.support.images import bomb_png

FINAL = {AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED, AdStatus.GENERATION_FAILED}

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                      st.text(max_size=20))
json_value = st.recursive(json_leaf, lambda children: st.one_of(st.lists(children, max_size=4),
                                                                st.dictionaries(st.text(max_size=8), children, max_size=4)),
                          max_leaves=12)
plausible = st.fixed_dictionaries({}, optional={
    "brand_id": st.one_of(st.integers(-3, 10**6), json_value),
    "product_id": st.one_of(st.integers(-3, 10**6), json_value),
    "template_selection": st.one_of(json_value, st.fixed_dictionaries({
        "mode": st.sampled_from(["manual", "roll_the_dice", "smart_select", "chaos"]),
        "template_ids": st.lists(st.integers(-5, 10**6), max_size=60),
        "count": st.integers(-5, 100), "category": st.one_of(st.none(), st.text(max_size=70)),
        "strictness": st.sampled_from([None, "default", "growth", "premium", "ultra"]),
        "seed": st.one_of(st.none(), st.integers(-1, 2**64))})),
    "sizes": st.one_of(json_value, st.lists(st.sampled_from(["1:1", "4:5", "9:16", "16:9", "2:3", "1080x1080", ""]))),
    "color_modes": st.one_of(json_value, st.lists(st.sampled_from(["original", "brand", "complementary", "neon"]))),
    "variations": st.one_of(st.integers(-2, 50), json_value),
    "content_source": st.one_of(st.sampled_from(["hooks", "belief_first", "offer_variant", "x"]), json_value),
    "confirmed": st.one_of(st.booleans(), json_value),
    "unexpected": json_value,
})


@pytest.mark.django_db
def test_fuzzed_parameters_give_a_submission_or_field_errors_and_nothing_partial(org):
    cat = build_catalog(org, templates=2)

    @hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
    @given(parameters=plausible)
    def check(parameters):
        jobs_before = Job.objects.count()
        try:
            submission = ad_creation_submit(organization=cat.org, user=None, parameters=parameters)
        except SubmissionError as exc:
            assert exc.errors and all(isinstance(v, list) and v for v in exc.errors.values())
            assert Job.objects.count() == jobs_before  # no partial state
        else:
            assert isinstance(submission, Submission) and submission.jobs
            assert Job.objects.count() == jobs_before + len(submission.jobs)

    check()


def _run(cat, **over):
    params = {"brand_id": cat.brand.pk, "product_id": cat.product.pk,
              "template_selection": {"mode": "manual", "template_ids": [cat.templates[0].pk]},
              "sizes": ["1:1", "4:5"], "color_modes": ["original"]} | over
    job = ad_creation_submit(organization=cat.org, user=None, parameters=params).jobs[0]
    return job_run_execute(run_id=job.runs.get().pk)


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["truncated", "bomb", "not_an_image"])
def test_a_broken_product_image_in_storage_never_aborts_the_run(org, damage):
    cat = build_catalog(org, templates=1)
    payload = {"truncated": None, "bomb": bomb_png(), "not_an_image": b"<svg onload=alert(1)>"}[damage]
    for image in ProductImage.objects.filter(product=cat.product):
        path = default_storage.path(image.image.name)
        data = open(path, "rb").read()
        open(path, "wb").write(payload if payload is not None else data[: len(data) // 3])
    run = _run(cat)
    assert run.status in (RunStatus.COMPLETED, RunStatus.FAILED)
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert ads.count() == 2 and set(ads.values_list("status", flat=True)) <= FINAL
    for ad in ads.filter(status=AdStatus.GENERATION_FAILED):
        assert ad.error  # a reason, not a silent failure
    if run.status == RunStatus.FAILED:
        assert "failed to generate" in run.error


@pytest.mark.django_db
def test_a_missing_template_file_fails_its_ads_with_a_reason(org):
    cat = build_catalog(org, templates=1)
    default_storage.delete(cat.templates[0].image.name)
    run = _run(cat)
    ads = GeneratedAd.objects.filter(ad_run__job_run=run)
    assert set(ads.values_list("status", flat=True)) == {AdStatus.GENERATION_FAILED}
    assert all("reference image unavailable" in ad.error for ad in ads)
    assert run.status == RunStatus.FAILED and "all 2 ads failed" in run.error
    assert JobRun.objects.get(pk=run.pk).finished_at is not None
