"""Alert rules with their persistence windows, and one alert per metric."""

import pytest

from genome.alerts import RULES_BY_METRIC, evaluate, reconcile

APPROVAL = RULES_BY_METRIC["approval_rate"]


def test_below_060_for_7_days_means_every_one_of_the_7():
    assert evaluate(APPROVAL, [0.7] + [0.55] * 6).level is None        # 6 days only
    assert evaluate(APPROVAL, [0.55] * 7).level == "warning"
    assert evaluate(APPROVAL, [0.55] * 3 + [0.61] + [0.55] * 3).level is None   # one day above breaks it
    assert evaluate(APPROVAL, [0.55] * 3 + [None] + [0.55] * 3).level is None   # a day not measured too


def test_critical_wins_over_warning():
    assert evaluate(APPROVAL, [0.7, 0.7, 0.35, 0.35, 0.35]).level == "critical"   # 3 days < 0.40
    assert evaluate(APPROVAL, [0.5] * 4 + [0.35] * 3).level == "critical"
    assert evaluate(APPROVAL, [0.5] * 5 + [0.35] * 2).level == "warning"          # 7 × < 0.60, 2 × < 0.40


def test_weekly_rules_and_single_period_rules():
    accuracy = RULES_BY_METRIC["prediction_accuracy"]
    assert evaluate(accuracy, [0.25]).level is None                    # < 0.3 needs 2 weeks
    assert evaluate(accuracy, [0.25, 0.2]).level == "warning"
    assert evaluate(accuracy, [0.4, 0.05]).level == "critical"         # < 0.1 for 1 week
    freshness = RULES_BY_METRIC["data_freshness"]
    assert [evaluate(freshness, [d]).level for d in (2, 3, 4, 7, 8)] == [None, None, "warning", "warning", "critical"]
    success = RULES_BY_METRIC["generation_success_rate"]
    assert [evaluate(success, [v]).level for v in (0.85, 0.79, 0.59)] == [None, "warning", "critical"]
    winners = RULES_BY_METRIC["winner_rate"]
    assert evaluate(winners, [0.05, 0.05, 0.05]).level == "warning"
    assert evaluate(winners, [0.0] * 10).level == "warning"           # there is no critical level


def test_reconcile_keeps_one_alert_per_metric_and_scope():
    brand = "b1"
    firing = evaluate(APPROVAL, [0.55] * 7, scope=brand)
    (opened,) = reconcile({}, [firing])
    assert (opened.action, opened.level) == ("open", "warning")
    (kept,) = reconcile({("approval_rate", brand): "warning"}, [firing])
    assert kept.action == "keep"
    worse = evaluate(APPROVAL, [0.3] * 7, scope=brand)
    assert reconcile({("approval_rate", brand): "warning"}, [worse])[0].action == "escalate"
    assert reconcile({("approval_rate", brand): "critical"}, [firing])[0].action == "deescalate"
    # Another brand's alert is its own.
    assert reconcile({("approval_rate", "b2"): "warning"}, [firing])[0].action == "open"


def test_recovered_resolves_but_no_data_does_not():
    open_alerts = {("approval_rate", None): "warning"}
    (resolved,) = reconcile(open_alerts, [evaluate(APPROVAL, [0.55] * 6 + [0.7])])
    assert (resolved.action, resolved.level) == ("resolve", None) and resolved.reason.startswith("recovered")
    (kept,) = reconcile(open_alerts, [evaluate(APPROVAL, [0.55] * 6 + [None])])
    assert (kept.action, kept.level) == ("keep", "warning")
    assert reconcile({}, [evaluate(APPROVAL, [0.9])]) == []


@pytest.mark.parametrize("metric", sorted(RULES_BY_METRIC))
def test_every_rule_lists_critical_first(metric):
    levels = [t.level for t in RULES_BY_METRIC[metric].thresholds]
    assert levels == sorted(levels)  # "critical" < "warning" alphabetically: critical first
