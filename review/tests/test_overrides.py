"""Override history, the ad's status following the latest human decision, rates and calibration."""

from datetime import timedelta

import pytest
from django.utils import timezone

from adcreator.jobs.models import JobRun
from adcreator.jobs.services import job_create, job_run_execute
from generation.models import AdRun, GeneratedAd
from review import selectors, services
from review.decision import CHECKS
from review.models import AdReviewOverride, QualityScoringConfig


@pytest.fixture
def make_ad(product):
    run = AdRun.objects.create(organization=product.brand.organization, brand=product.brand, product=product)
    counter = iter(range(1, 101))

    def make(ai_status="approved", score=8.0, **scores):
        values = {c: score for c in CHECKS} | scores
        return GeneratedAd.objects.create(ad_run=run, prompt_index=next(counter), canvas_size="1080x1080",
                                          color_mode="original", status=ai_status, ai_status=ai_status,
                                          review_check_scores=values)
    return make


@pytest.mark.django_db
def test_history_is_kept_and_the_status_follows_the_latest_decision(make_ad, make_member, org):
    ad = make_ad("approved")
    alice = make_member(org, "alice")
    first = services.review_override_create(ad=ad, user=alice, action="override_reject", note="logo cut off",
                                            check_corrections={"V6": 2})
    ad.refresh_from_db()
    assert (ad.status, ad.ai_status) == ("rejected", "approved")
    second = services.review_override_create(ad=ad, user=alice, action="confirm")
    ad.refresh_from_db()
    assert ad.status == "approved"  # confirming restores the AI's decision
    first.refresh_from_db()
    assert first.superseded_by == second and second.superseded_by is None
    assert selectors.review_override_latest(ad_id=ad.pk) == second
    assert AdReviewOverride.objects.filter(ad=ad).count() == 2
    assert first.check_corrections == {"V6": 2.0}


@pytest.mark.django_db
@pytest.mark.parametrize("corrections", [{"X1": 3}, {"V1": 11}, {"V1": "high"}])
def test_bad_corrections_are_refused(make_ad, corrections):
    with pytest.raises(services.ReviewError):
        services.review_override_create(ad=make_ad(), user=None, action="override_reject", check_corrections=corrections)
    assert not AdReviewOverride.objects.exists()


@pytest.mark.django_db
def test_override_rate_over_30_days_by_hand(make_ad, brand):
    ads = [make_ad("approved") for _ in range(5)]
    services.review_override_create(ad=ads[0], user=None, action="override_reject")  # disagrees
    services.review_override_create(ad=ads[1], user=None, action="confirm")  # agrees
    services.review_override_create(ad=ads[2], user=None, action="override_approve")  # agrees (already approved)
    services.review_override_create(ad=ads[3], user=None, action="override_reject")
    services.review_override_create(ad=ads[3], user=None, action="confirm")  # latest agrees
    old = services.review_override_create(ad=ads[4], user=None, action="override_reject")
    AdReviewOverride.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    rate = selectors.override_rate(brand_id=brand.pk)
    assert rate == {"window_days": 30, "human_decisions": 4, "overrides": 1, "override_rate": 0.25}


@pytest.mark.django_db
def test_one_active_config_per_scope_and_activation_retires_the_previous(brand, make_member, org):
    base = services.quality_config_ensure_active(brand_id=brand.pk)
    assert base.brand_id is None and base.status == "active" and base.version == 1
    proposal = QualityScoringConfig.objects.create(brand=None, version=2, weights=base.weights, pass_threshold=7.5,
                                                   auto_reject=base.auto_reject)
    assert services.quality_config_diff(config=proposal, against=base) == [
        {"field": "pass_threshold", "old": 7.0, "new": 7.5}]
    admin = make_member(org, "staff")
    services.quality_config_activate(config=proposal, user=admin)
    base.refresh_from_db()
    assert base.status == "retired" and proposal.status == "active" and proposal.approved_by == admin
    assert selectors.quality_config_active(brand_id=brand.pk) == proposal
    own = QualityScoringConfig.objects.create(brand=brand, version=1, weights=base.weights)
    services.quality_config_activate(config=own, user=admin)
    assert selectors.quality_config_active(brand_id=brand.pk) == own
    assert selectors.quality_config_active(brand_id=None) == proposal
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        QualityScoringConfig.objects.create(brand=None, version=3, weights={}, status="active")


@pytest.mark.django_db
def test_calibration_job_proposes_and_never_activates(make_ad, brand, org):
    # Hand-built: 3 human approvals and 3 human rejections of ads the AI approved.
    for _ in range(3):
        services.review_override_create(ad=make_ad("approved", 8.0), user=None, action="confirm")
    for _ in range(3):
        services.review_override_create(ad=make_ad("approved", 8.0, V2=3.0), user=None, action="override_reject")
    job = job_create(organization=org, job_type="quality_calibration", parameters={}, enqueue=False)
    run = job_run_execute(run_id=JobRun.objects.create(job=job).pk)
    assert run.status == "completed", run.error
    proposal = QualityScoringConfig.objects.get(status="proposed")
    assert proposal.brand == brand and proposal.version == 1
    checks = proposal.rationale["checks"]
    # V2 < 7 exactly on the human rejects: FP 0/3, FN 0/3. V1 passes everything: FN 3/3.
    assert checks["V2"]["fn_rate"] == 0.0 and checks["V2"]["fp_rate"] == 0.0
    assert checks["V1"]["fn_rate"] == 1.0 and checks["V1"]["fp_rate"] == 0.0
    assert proposal.weights["V2"] > proposal.weights["V1"]
    # The AI approved all 3 bad ads: FN rate 1, FP rate 0 → the threshold rises by 1.0.
    assert proposal.pass_threshold == pytest.approx(8.0)
    assert selectors.quality_config_active(brand_id=brand.pk).status == "active"
    assert selectors.quality_config_active(brand_id=brand.pk).pk != proposal.pk
