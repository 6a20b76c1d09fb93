"""Decisions and findings for the ads reviewed before 0002, rebuilt from their stored review."""

from django.db import migrations

BATCH = 500


def backfill(apps, schema_editor):
    from review.backfill import rebuild
    from review.decision import ScoringConfig

    Ad = apps.get_model("generation", "GeneratedAd")
    Config = apps.get_model("review", "QualityScoringConfig")
    Decision = apps.get_model("review", "AdReviewDecision")
    Finding = apps.get_model("review", "AdReviewFinding")
    configs = {}
    for row in Config.objects.all():
        try:
            configs[row.pk] = ScoringConfig(weights=dict(row.weights), pass_threshold=row.pass_threshold,
                                            borderline_low=row.borderline_low, borderline_high=row.borderline_high,
                                            auto_reject=dict(row.auto_reject or {}))
        except ValueError:
            continue
    pending = (Ad.objects.exclude(ai_status="").filter(review_decision__isnull=True, review_findings__isnull=True)
               .order_by("pk").values_list("pk", "review"))
    last = 0
    while True:
        rows = list(pending.filter(pk__gt=last)[:BATCH])
        if not rows:
            return
        decisions, findings = [], []
        for ad_id, review in rows:
            if not isinstance(review, dict) or not review.get("status"):
                continue
            decision, found = rebuild(review, configs.get(review.get("config_id")))
            if decision is not None:
                decisions.append(Decision(ad_id=ad_id, status=decision.status, rule=decision.rule, stage=decision.stage,
                                          code=decision.code, score=decision.score, limit=decision.limit,
                                          reason=decision.reason[:5000],
                                          region=list(decision.region) if decision.region else None))
            findings += [Finding(ad_id=ad_id, **f) for f in found]
        Decision.objects.bulk_create(decisions, ignore_conflicts=True)
        Finding.objects.bulk_create(findings, ignore_conflicts=True)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("review", "0002_review_reasons")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
