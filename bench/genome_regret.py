"""Regret of the shipped Thompson policy on the simulated market, against uniform choice and the oracle.

Run: .venv/bin/python bench/genome_regret.py [--ads 2000] [--weeks 10] [--seeds 3]

Each week a batch of ads is made (2,000 over 10 weeks by default). The policy chooses what the
product lets the genome choose — the hook type (8 values) and the template (16) — while the
user's explicit choices (colour mode, size, awareness stage) are random. Every ad is launched
into the simulated market (genome's own SimulatedMetaSource over an in-memory launch store),
delivers for 7 days, and is read back only as insight rows, like meta_sync reads them; rewards
(genome.rewards, objective SALES), element scores (genome.beta) and the Thompson draws with the
exploration schedule (genome.advice / genome.sampling) are the product's own functions.

Regret is measured with the market's hidden truth (its oracle, which no product code reads): per
ad, the true expected purchase value per 1,000 impressions of the best hook type × template
minus that of the chosen ones, everything else equal. Printed: cumulative regret of Thompson,
uniform and the oracle (0 by definition), Thompson's share of uniform's regret (target ≤ 50 %),
and the share of each week's ads that got the best value per dimension.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adcreator.providers.meta.launches import InMemoryLaunchStore, new_launch  # noqa: E402
from adcreator.providers.meta.market import MarketModel  # noqa: E402
from adcreator.providers.meta.simulated import SimulatedMetaSource  # noqa: E402
from genome.beta import score_elements  # noqa: E402
from genome.objectives import Objective  # noqa: E402
from genome.rewards import performance_rewards  # noqa: E402
from genome.sampling import thompson_select  # noqa: E402

ACCOUNT = "act_900100"
HOOK_TYPES = ("curiosity_gap", "social_proof", "problem_agitation", "benefit_led", "urgency", "authority", "question",
              "offer")
TEMPLATES = tuple(str(100 + i) for i in range(16))
CHOSEN = {"hook_type": HOOK_TYPES, "template_id": TEMPLATES}
EXPLICIT = {"color_mode": ("original", "complementary", "brand"), "canvas_size": ("1080x1080", "1080x1350", "1080x1920"),
            "awareness_stage": (2, 3, 4)}
RUN_DAYS = 7
START = date(2026, 1, 5)


def true_value(market: MarketModel, tags: dict) -> float:
    return market.ground_truth(ACCOUNT, tags).value_per_1000_impressions


def best_values(market: MarketModel, explicit: dict) -> dict:
    """The oracle's choice for the policy's dimensions (the effects add up, so per dimension)."""
    best = {}
    for dimension, values in CHOSEN.items():
        best[dimension] = max(values, key=lambda v: true_value(market, {**explicit, dimension: v}))
    return best


def run(policy: str, *, seed: int, ads: int, weeks: int) -> dict:
    market = MarketModel(seed)
    store = InMemoryLaunchStore(today=START)
    source = SimulatedMetaSource(store, seed=seed)
    rng = np.random.default_rng(seed * 7919 + (policy == "uniform"))
    per_week = ads // weeks
    launched: list[tuple[str, dict]] = []
    regret_by_week, best_share = [], defaultdict(list)
    for week in range(weeks):
        today = START + timedelta(days=7 * week)
        scores, matured = _scores(source, launched, today) if week else ({}, 0)
        week_regret, hits = 0.0, defaultdict(int)
        for index in range(per_week):
            explicit = {d: values[rng.integers(len(values))] for d, values in EXPLICIT.items()}
            tags = dict(explicit)
            for dimension, values in CHOSEN.items():
                if policy == "oracle":
                    tags[dimension] = best_values(market, explicit)[dimension]
                elif policy == "uniform":
                    tags[dimension] = values[rng.integers(len(values))]
                else:  # the shipped Thompson policy: one draw per ad, exploration in the draw
                    alpha = [scores.get((dimension, v), (1.0, 1.0))[0] for v in values]
                    beta = [scores.get((dimension, v), (1.0, 1.0))[1] for v in values]
                    pick = thompson_select(alpha, beta, matured_ads=matured, seed=int(rng.integers(2**62)))
                    tags[dimension] = values[pick.chosen[0]]
            best = best_values(market, explicit)
            week_regret += true_value(market, {**explicit, **best}) - true_value(market, tags)
            for dimension in CHOSEN:
                hits[dimension] += tags[dimension] == best[dimension]
            key = f"{policy}-{seed}-{week}-{index}"
            campaign, ad = new_launch(ACCOUNT, ad_key=key, ad_name=key, element_tags=tags, launched_on=today)
            store.add_structure(ACCOUNT, campaign, [ad.model_copy(update={"paused_on": today + timedelta(days=RUN_DAYS)})])
            launched.append((ad.meta_ad_id, tags))
        regret_by_week.append(week_regret)
        for dimension in CHOSEN:
            best_share[dimension].append(hits[dimension] / per_week)
        store.advance(ACCOUNT, 7)
    return {"regret": float(np.sum(regret_by_week)), "by_week": regret_by_week, "best_share": best_share}


def _scores(source: SimulatedMetaSource, launched, today: date) -> tuple[dict, int]:
    """What the genome knows at `today`: rewards from the insight rows read so far, then Beta scores."""
    totals: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0.0, 0.0, set()])
    for page in source.iter_insight_pages(ACCOUNT, START, today - timedelta(days=1)):
        for row in page.rows:
            entry = totals[row.meta_ad_id]
            entry[0] += row.impressions or 0
            entry[1] += row.clicks or 0
            entry[2] += row.conversions or 0
            entry[3] += float(row.conversion_value or 0)
            entry[4] += float(row.spend or 0)
            entry[5].add(row.date)
    rows = [(ad_id, tags, totals[ad_id]) for ad_id, tags in launched if ad_id in totals]
    if not rows:
        return {}, 0
    perf = np.array([[t[0], t[1], t[2], t[3], t[4], len(t[5])] for _, _, t in rows], dtype=float)
    rewards = performance_rewards(impressions=perf[:, 0], clicks=perf[:, 1], conversions=perf[:, 2],
                                  conversion_value=perf[:, 3], spend=perf[:, 4], days_with_data=perf[:, 5],
                                  objective=int(Objective.SALES), brand=1, organization=1)
    tags = {d: [tags[d] for _, tags, _ in rows] for d in CHOSEN}
    scores = score_elements(tags, rewards.reward)
    return scores.lookup(), int(rewards.has_reward.sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    results = {policy: [run(policy, seed=seed, ads=args.ads, weeks=args.weeks) for seed in range(1, args.seeds + 1)]
               for policy in ("thompson", "uniform", "oracle")}
    print(f"{args.ads} ads in {args.weeks} weekly batches of {args.ads // args.weeks}, {args.seeds} market seeds, "
          f"{time.perf_counter() - started:.0f} s")
    print("cumulative regret (true purchase value per 1,000 impressions, summed over ads; mean over seeds):")
    mean = {p: statistics.mean(r["regret"] for r in runs) for p, runs in results.items()}
    for policy in ("thompson", "uniform", "oracle"):
        print(f"  {policy:<9} {mean[policy]:10.1f}   per seed: "
              + ", ".join(f"{r['regret']:.1f}" for r in results[policy]))
    ratios = [t["regret"] / u["regret"] for t, u in zip(results["thompson"], results["uniform"]) if u["regret"]]
    print(f"Thompson's regret / uniform's: {mean['thompson'] / mean['uniform']:.1%} "
          f"(per seed {', '.join(f'{r:.0%}' for r in ratios)}; target ≤ 50 %)")
    for dimension in CHOSEN:
        weeks = np.mean([r["best_share"][dimension] for r in results["thompson"]], axis=0)
        uniform = np.mean([r["best_share"][dimension] for r in results["uniform"]], axis=0)
        print(f"share of ads with the best {dimension} by week, Thompson: "
              + " ".join(f"{w:.0%}" for w in weeks) + f"   (uniform ≈ {np.mean(uniform):.0%})")


if __name__ == "__main__":
    main()
