"""Every decision says which rule decided (review.decision.decide), and the reasons are stored."""

import pytest

from review.decision import CHECKS, ScoringConfig, combine, decide, opinion
from review.models import AdReviewDecision, AdReviewFinding
from tests.support.catalog import build_catalog
from tests.support.reviews import ChosenJudge, review_with
from tests.web import make_ad, make_run

CONFIG = ScoringConfig(weights={c: 1.0 for c in CHECKS}, auto_reject={"V1": 3.0, "V9": 3.0})


def scores(value=8.0, **over):
    return {c: value for c in CHECKS} | over


def test_a_floor_decides_even_when_the_average_passes():
    s = scores(8.5, V1=2.0, V9=2.5)
    decision = decide(opinion(s, CONFIG), None, config=CONFIG, first_scores=s)
    assert decision.status == "rejected" and decision.rule == "floor"
    assert decision.code == "V1" and decision.score == 2.0 and decision.limit == 3.0  # furthest below its floor
    assert "V1 scored 2.0, below its auto-reject floor of 3.0" in decision.reason


@pytest.mark.parametrize("value,status,rule", [(8.0, "approved", "pass_threshold"), (3.0, "rejected", "below_threshold")])
def test_the_weighted_score_decides_without_a_floor(value, status, rule):
    s = scores(value)
    decision = decide(opinion(s, CONFIG), None, config=CONFIG, first_scores=s)
    assert (decision.status, decision.rule, decision.limit) == (status, rule, 7.0)


def test_second_opinion_rules():
    borderline = scores(6.0)
    first = opinion(borderline, CONFIG)
    approving = scores(8.0)
    by_second = decide(first, opinion(approving, CONFIG), config=CONFIG, first_scores=borderline, second_scores=approving)
    assert (by_second.status, by_second.rule, by_second.stage) == ("approved", "second_opinion", 3)
    flagged = decide(first, opinion(borderline, CONFIG), config=CONFIG, first_scores=borderline, second_scores=borderline)
    assert (flagged.status, flagged.rule) == ("flagged", "both_borderline")
    floored = scores(6.0, V9=1.0)
    second_floor = decide(first, opinion(floored, CONFIG), config=CONFIG, first_scores=borderline, second_scores=floored)
    assert (second_floor.status, second_floor.rule, second_floor.code, second_floor.stage) == ("rejected", "floor", "V9", 3)


@pytest.mark.parametrize("first,second", [(8.0, None), (3.0, None), (6.0, 6.0), (6.0, 8.0), (6.0, 2.0), (6.5, 4.9)])
def test_decide_always_agrees_with_combine(first, second):
    a = opinion(scores(first), CONFIG)
    b = opinion(scores(second), CONFIG) if second is not None else None
    assert decide(a, b, config=CONFIG, first_scores=scores(first),
                  second_scores=scores(second) if second is not None else None).status == combine(a, b)


@pytest.mark.django_db
def test_a_floor_rejection_stores_its_reason_region_and_every_finding(org):
    ad = make_ad(make_run(build_catalog(org)))
    judge = ChosenJudge(checks={"V1": (1.5, "no region carries the product's colour signature", (0.1, 0.2, 0.5, 0.9)),
                                "V3": (4.0, "layout drifts from the template", None)})
    ad = review_with(ad, judge)
    assert ad.status == "rejected"
    decision = AdReviewDecision.objects.get(ad=ad)
    assert decision.rule == "floor" and decision.code == "V1" and decision.stage == 2
    assert "no region carries the product's colour signature" in decision.reason
    assert decision.region == [0.1, 0.2, 0.5, 0.9]
    findings = AdReviewFinding.objects.filter(ad=ad)
    assert findings.filter(stage=1).count() == 5 and findings.filter(stage=2).count() == 15
    assert set(findings.filter(failed=True).values_list("code", flat=True)) == {"V1", "V3"}
    assert list(findings.filter(decisive=True).values_list("code", flat=True)) == ["V1"]


@pytest.mark.django_db
def test_a_defect_rejection_and_a_re_review_replace_the_reasons(org):
    ad = make_ad(make_run(build_catalog(org)))
    review_with(ad, ChosenJudge(defects={"TEXT_GARBLED": ("read 'Smoo7her skn'", (0.1, 0.05, 0.9, 0.2))}))
    decision = AdReviewDecision.objects.get(ad=ad)
    assert decision.rule == "defect" and decision.code == "TEXT_GARBLED" and "Smoo7her" in decision.reason
    assert decision.region == [0.1, 0.05, 0.9, 0.2]
    assert AdReviewFinding.objects.get(ad=ad, decisive=True).code == "TEXT_GARBLED"
    review_with(ad, ChosenJudge())
    decision = AdReviewDecision.objects.get(ad=ad)
    assert (decision.status, decision.rule) == ("approved", "pass_threshold")
    assert AdReviewFinding.objects.filter(ad=ad).count() == 20 and not AdReviewFinding.objects.filter(ad=ad, failed=True).exists()


@pytest.mark.django_db
def test_the_pipeline_stores_the_reasons_of_each_review_and_of_the_retry(org, monkeypatch):
    from generation.models import GeneratedAd
    from generation.tests.test_review_integration import RuleAwareJudge, run_with

    run = run_with(build_catalog(org), monkeypatch, RuleAwareJudge())
    for ad in GeneratedAd.objects.filter(ad_run__job_run=run):
        # Rejected for PRODUCT_DISTORTION first, regenerated, approved: the retry's reasons replace the first.
        assert ad.status == "approved"
        assert AdReviewDecision.objects.get(ad=ad).rule == "pass_threshold"
        assert AdReviewFinding.objects.filter(ad=ad).count() == 20
        assert ad.review["decision"]["rule"] == "pass_threshold"


@pytest.mark.django_db
@pytest.mark.parametrize("judge,second", [
    (ChosenJudge(checks={"V1": (1.5, "product missing", None)}), None),                       # a floor
    (ChosenJudge(defects={"PRODUCT_DISTORTION": ("stretched 1.4×", (0.2, 0.2, 0.8, 0.8))}), None),  # a defect
    (ChosenJudge(default=6.0), ChosenJudge(default=6.0)),                                      # both borderline
    (ChosenJudge(default=6.0), ChosenJudge(default=8.5)),                                      # the second approves
])
def test_the_backfill_rebuilds_the_decision_of_an_ad_reviewed_before_reasons_were_stored(org, judge, second):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("review.migrations.0003_backfill_reasons").backfill
    ad = review_with(make_ad(make_run(build_catalog(org))), judge, second)
    stored = AdReviewDecision.objects.get(ad=ad)
    AdReviewDecision.objects.all().delete()
    AdReviewFinding.objects.all().delete()
    backfill(apps, None)
    rebuilt = AdReviewDecision.objects.get(ad=ad)
    assert (rebuilt.status, rebuilt.rule, rebuilt.stage, rebuilt.code, rebuilt.score, rebuilt.limit) == (
        stored.status, stored.rule, stored.stage, stored.code, stored.score, stored.limit)
    assert stored.reason.startswith(rebuilt.reason)  # the check's own sentence was not kept before
    assert AdReviewFinding.objects.filter(ad=ad).count() == (5 if stored.stage == 1 else 20 if stored.stage == 2 else 35)
    backfill(apps, None)  # idempotent: an ad with reasons is left alone
    assert AdReviewDecision.objects.filter(ad=ad).count() == 1
