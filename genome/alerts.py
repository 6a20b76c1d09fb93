"""Monitoring rules (spec 13) as data, and a pure evaluator with persistence windows.

A rule's thresholds each say: the metric breached this bound in *every* one of the last
`periods` periods (days or weeks, as the rule says). "< 0.60 for 7 days" is the last 7 daily
values all measured and all below 0.60; a missing value (None: not measured that day) breaks
the run, because a breach that was not observed cannot be asserted. Thresholds are listed
critical first; the highest level that fires wins.

`evaluate(rule, series)` takes the metric's values oldest → newest, one per consecutive period
ending with the current one. `reconcile(open_alerts, evaluations)` keeps one alert per
(metric, scope) — scope is the brand, or None for deployment-wide metrics: it opens an alert
when a rule fires and none is open, changes the level of the open one when the level moves,
resolves it when the latest value is measured and no threshold fires, and keeps it as it is
when the latest value is not measured (no data is not a recovery).

Units: approval_rate, generation_success_rate and winner_rate are ratios in [0, 1];
prediction_accuracy a correlation; data_freshness days since the last successful meta_sync.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Level = Literal["warning", "critical"]
Action = Literal["open", "escalate", "deescalate", "resolve", "keep"]
_RANK = {"warning": 1, "critical": 2}


@dataclass(frozen=True)
class Threshold:
    level: Level
    op: Literal["<", ">"]
    bound: float
    periods: int = 1

    def breached(self, value: float) -> bool:
        return value < self.bound if self.op == "<" else value > self.bound

    def describe(self, period: str) -> str:
        window = f" for {self.periods} {period}s" if self.periods > 1 else ""
        return f"{self.op} {self.bound:g}{window}"


@dataclass(frozen=True)
class AlertRule:
    metric: str
    period: Literal["day", "week"]
    thresholds: tuple[Threshold, ...]    # critical first
    action: str


ALERT_RULES: tuple[AlertRule, ...] = (
    AlertRule("approval_rate", "day",
              (Threshold("critical", "<", 0.40, 3), Threshold("warning", "<", 0.60, 7)),
              "Check the Gemini API, review the prompts"),
    AlertRule("prediction_accuracy", "week",
              (Threshold("critical", "<", 0.10, 1), Threshold("warning", "<", 0.30, 2)),
              "Force a genome recompute"),
    AlertRule("generation_success_rate", "day",
              (Threshold("critical", "<", 0.60), Threshold("warning", "<", 0.80)),
              "Check API credentials and rate limits"),
    AlertRule("data_freshness", "day",
              (Threshold("critical", ">", 7), Threshold("warning", ">", 3)),
              "Check the meta_sync job status"),
    AlertRule("winner_rate", "week",
              (Threshold("warning", "<", 0.10, 3),),
              "Review the element scores"),
)
RULES_BY_METRIC: dict[str, AlertRule] = {rule.metric: rule for rule in ALERT_RULES}


@dataclass(frozen=True)
class Evaluation:
    metric: str
    scope: object
    level: Level | None
    latest: float | None          # the current period's value; None = not measured
    reason: str

    @property
    def measured(self) -> bool:
        return self.latest is not None


def evaluate(rule: AlertRule, series: Sequence[float | None], *, scope: object = None) -> Evaluation:
    """The level the rule fires at for this series (oldest → newest), or None."""
    latest = series[-1] if len(series) else None
    for threshold in rule.thresholds:
        window = list(series[-threshold.periods:])
        if len(window) == threshold.periods and all(v is not None and threshold.breached(v) for v in window):
            values = ", ".join(f"{v:.3g}" for v in window)
            return Evaluation(rule.metric, scope, threshold.level, latest,
                              f"{rule.metric} {threshold.describe(rule.period)} (last {values}): {rule.action}")
    if latest is None:
        return Evaluation(rule.metric, scope, None, None, f"{rule.metric} not measured this {rule.period}")
    return Evaluation(rule.metric, scope, None, latest, f"{rule.metric} {latest:.3g}: no threshold breached")


@dataclass(frozen=True)
class AlertChange:
    metric: str
    scope: object
    action: Action
    level: Level | None           # the alert's level after the change (None when resolved)
    reason: str


def reconcile(open_alerts: Mapping[tuple[str, object], Level],
              evaluations: Sequence[Evaluation]) -> list[AlertChange]:
    """What to do with the one alert per (metric, scope); open alerts not evaluated are left alone."""
    changes = []
    for ev in evaluations:
        current = open_alerts.get((ev.metric, ev.scope))
        if ev.level is not None:
            if current is None:
                action: Action = "open"
            elif current == ev.level:
                action = "keep"
            else:
                action = "escalate" if _RANK[ev.level] > _RANK[current] else "deescalate"
            changes.append(AlertChange(ev.metric, ev.scope, action, ev.level, ev.reason))
        elif current is not None:
            if ev.measured:
                changes.append(AlertChange(ev.metric, ev.scope, "resolve", None, f"recovered: {ev.reason}"))
            else:
                changes.append(AlertChange(ev.metric, ev.scope, "keep", current,
                                           f"kept open: {ev.reason} (no data is not a recovery)"))
    return changes
