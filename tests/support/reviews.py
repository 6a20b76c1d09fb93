"""Review an ad for real through review.staged with judges whose answers a test chooses, and store
the verdict and its reasons the way the pipeline does (review.services.review_reasons_record)."""

from __future__ import annotations

from adcreator.providers.base import DEFECT_TYPES, RUBRIC_CHECKS, CheckScore, DefectFinding, DefectScanResult, ReviewRequest, RubricResult
from adcreator.providers.retry import RetryPolicy
from generation.models import GeneratedAd
from review import services
from review.staged import review_staged
from tests.fakes.fixtures import sample_prompt


class ChosenJudge:
    """Answers what the test chose: the defects present, the check scores with their reasons and regions."""

    provider_name, model_name = "chosen", "chosen-1"

    def __init__(self, *, defects: dict | None = None, checks: dict | None = None, default: float = 8.5):
        self.defects = defects or {}   # defect → (evidence, region)
        self.checks = checks or {}     # check → (score, reason, region)
        self.default = default

    def defect_scan(self, request):
        return DefectScanResult(findings=[
            DefectFinding(defect=d, present=d in self.defects, evidence=self.defects.get(d, ("", None))[0],
                          region=self.defects.get(d, ("", None))[1], confidence=0.9) for d in DEFECT_TYPES])

    def rubric_review(self, request):
        answers = {c: self.checks.get(c, (self.default, "looks right", None)) for c in RUBRIC_CHECKS}
        return RubricResult(checks=[CheckScore(check=c, score=score, reason=reason, region=region)
                                    for c, (score, reason, region) in answers.items()])


def review_with(ad: GeneratedAd, judge: ChosenJudge, second: ChosenJudge | None = None) -> GeneratedAd:
    """Run the three stages on `ad` and store status, scores and reasons as the pipeline does."""
    config_row = services.quality_config_ensure_active(brand_id=ad.ad_run.brand_id)
    config = services.scoring_config(config_row)
    outcome = review_staged(request=ReviewRequest(image=b"png", prompt=sample_prompt()), config=config, judge=judge,
                            second_judge=second or judge, policy=RetryPolicy(max_attempts=1, base_delay=0.0))
    GeneratedAd.objects.filter(pk=ad.pk).update(
        status=outcome.status, ai_status=outcome.status,
        review=dict(outcome.as_json(), config_id=config_row.pk, config_version=config_row.version),
        defect_scan_result=outcome.defect_scan or {}, review_check_scores=outcome.check_scores or {},
        review_score=outcome.weighted_score)
    services.review_reasons_record(ad_id=ad.pk, outcome=outcome, config=config)
    ad.refresh_from_db()
    return ad
