"""Benchmark: the shipped experiment decision rule on simulated A/A and A/B experiments.

Each simulated experiment runs up to 14 days with one look per day through
`experiments.stats.replay` (the shipped rule, the same code the daily job calls) and stops at
its first final verdict. Traffic: every day the experiment gets Poisson(Gamma-varying) total
impressions (mean `--daily` per arm, day-to-day coefficient of variation 25 %), split among the
arms multinomially by the intended equal split, clicks binomial at each arm's CTR. The planned
minimum impressions per arm come from `required_impressions(baseline, 0.20)` (80 % power,
α = 0.05, Bonferroni over the treatment arms when there are more than one).

Prints, per scenario: the false-winner rate (A/A) or the power (the true-best arm wins, A/B)
with a 95 % Wilson interval, the share of futile / inconclusive / SRM-blocked endings and the
mean day of the verdict; for A/A also the rate of the spec's test alone (P(best) > 0.90 at any
look after the planned sample) for comparison. Sensitivity scenarios (half as many experiments,
at least 500): 4× the traffic, 4 arms, and daily CTRs that swing beyond binomial noise. Then
times `prob_best` for 4 arms × 10,000 draws. On a shared machine the timing moves with the load
(printed); for one quiet core: OPENBLAS_NUM_THREADS=1 taskset -c 1 .venv/bin/python bench/experiment_aa.py

    .venv/bin/python bench/experiment_aa.py [--experiments 2000] [--daily 5000] [--seed 7] [--quick] [--timing-only]
                                            [--budget-delivery]

`--budget-delivery` runs instead the delivery experiments are deployed with: each arm its own
ad set with an equal budget, so its impressions carry their own CPM noise (σ 9 % per arm-day,
4× the traffic) — the sample-ratio check with and without its delivery correction.

Targets: A/A false-winner rate ≤ 5 %; prob_best(4 arms × 10,000 draws) ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from experiments.stats import SHIPPED_RULE, prob_best, replay, required_impressions  # noqa: E402

BASELINE_CTR = 0.01
LIFT = 0.20
DAYS = SHIPPED_RULE.max_days
VOLUME_CV = 0.25


@dataclass(frozen=True)
class Scenario:
    name: str
    ctrs: tuple[float, ...]
    daily_per_arm: int
    overdispersion: float = 0.0   # lognormal σ of an arm-day CTR multiplier (0 = binomial only)
    experiments: int | None = None  # None: the --experiments figure
    # > 0: arms bought with equal budgets (ad sets, as experiments deploy), not a random split:
    # each arm-day's impressions carry their own lognormal CPM/spend noise of this σ.
    budget_noise: float = 0.0
    rule: object = SHIPPED_RULE


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def simulate_history(rng: np.random.Generator, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    arms = len(scenario.ctrs)
    shape = 1 / VOLUME_CV ** 2
    day_volume = rng.gamma(shape, 1 / shape, DAYS)
    if scenario.budget_noise:
        noise = rng.lognormal(-scenario.budget_noise ** 2 / 2, scenario.budget_noise, (DAYS, arms))
        impressions = rng.poisson(scenario.daily_per_arm * day_volume[:, None] * noise)
    else:
        impressions = rng.multinomial(rng.poisson(scenario.daily_per_arm * arms * day_volume), np.full(arms, 1 / arms))
    ctr = np.broadcast_to(np.asarray(scenario.ctrs), (DAYS, arms))
    if scenario.overdispersion:
        ctr = ctr * rng.lognormal(-scenario.overdispersion ** 2 / 2, scenario.overdispersion, (DAYS, arms))
    clicks = rng.binomial(impressions, np.clip(ctr, 0, 1))
    return impressions, clicks


def run(scenario: Scenario, n: int, seed: int) -> dict:
    arms = len(scenario.ctrs)
    planned = required_impressions(BASELINE_CTR, LIFT, alpha=0.05 / max(1, arms - 1))
    rng = np.random.default_rng(seed)
    aa = len(set(scenario.ctrs)) == 1
    best_arm = int(np.argmax(scenario.ctrs))
    endings = {"winner": 0, "right_winner": 0, "futile": 0, "inconclusive": 0, "blocked": 0, "other": 0}
    spec_only = 0
    verdict_days = []
    started = time.perf_counter()
    for index in range(n):
        impressions, clicks = simulate_history(rng, scenario)
        looks = replay(impressions, clicks, min_impressions=planned, seed=seed * 1_000_003 + index,
                       stop_at_final=not aa, rule=scenario.rule)
        final = next((v for v in looks if v.final), looks[-1])
        verdict_days.append(final.day)
        if final.status == "winner":
            endings["winner"] += 1
            endings["right_winner"] += final.winner == best_arm
        else:
            endings[final.status if final.status in endings else "other"] += 1
        if aa and any(v.counted_looks and not v.srm.blocks and max(v.prob_best) > scenario.rule.win_threshold
                      for v in looks):
            spec_only += 1
    elapsed = time.perf_counter() - started
    return {"endings": endings, "spec_only": spec_only, "n": n, "planned": planned, "aa": aa,
            "mean_day": statistics.fmean(verdict_days), "seconds": elapsed}


def report(scenario: Scenario, result: dict) -> None:
    n, e = result["n"], result["endings"]
    print(f"\n{scenario.name}")
    print(f"  arms {len(scenario.ctrs)}, CTRs {list(scenario.ctrs)}, ~{scenario.daily_per_arm:,} impressions/arm/day, "
          f"planned minimum {result['planned']:,}/arm, {n:,} experiments ({result['seconds']:.0f} s)")
    if result["aa"]:
        lo, hi = wilson(e["winner"], n)
        print(f"  false-winner rate (shipped rule): {e['winner'] / n:.2%}  (95 % CI {lo:.2%}–{hi:.2%})")
        lo, hi = wilson(result["spec_only"], n)
        print(f"  the spec's P(best) > 0.90 alone at any counted look: {result['spec_only'] / n:.2%}  "
              f"(95 % CI {lo:.2%}–{hi:.2%})")
    else:
        lo, hi = wilson(e["right_winner"], n)
        print(f"  power (the truly best arm declared winner): {e['right_winner'] / n:.2%}  (95 % CI {lo:.2%}–{hi:.2%});"
              f" wrong winner {(e['winner'] - e['right_winner']) / n:.2%}")
    print(f"  endings: futile {e['futile'] / n:.1%}, inconclusive {e['inconclusive'] / n:.1%}, "
          f"SRM-blocked {e['blocked'] / n:.1%}; mean verdict day {result['mean_day']:.1f}")


def time_prob_best(repeats: int = 300) -> None:
    arms = [(700, 70_000), (720, 70_000), (760, 70_000), (690, 70_000)]
    prob_best(arms, seed=0)  # warm up
    timings = []
    for repeat in range(repeats):
        started = time.perf_counter()
        prob_best(arms, draws=10_000, seed=repeat)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * len(timings)) - 1]
    print(f"\nprob_best, 4 arms × 10,000 draws, {repeats} runs: min {timings[0]:.2f} ms, "
          f"median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms  (target ≤ 5 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experiments", type=int, default=2000)
    parser.add_argument("--daily", type=int, default=5000, help="mean impressions per arm per day")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="only the two target scenarios")
    parser.add_argument("--timing-only", action="store_true", help="only time prob_best")
    parser.add_argument("--budget-delivery", action="store_true",
                        help="only arms bought with equal budgets (±9 %% CPM noise per arm-day), with and without "
                             "the sample-ratio check's delivery correction")
    args = parser.parse_args()
    if args.timing_only:
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        time_prob_best(1000)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return
    lifted = BASELINE_CTR * (1 + LIFT)
    if args.budget_delivery:
        from dataclasses import replace

        raw = replace(SHIPPED_RULE, delivery_dispersion_prior_df=None)
        scenarios = [
            Scenario("A/A, 2 arms on equal budgets, delivery correction on (shipped)", (BASELINE_CTR, BASELINE_CTR),
                     4 * args.daily, budget_noise=0.09),
            Scenario("A/B, 2 arms on equal budgets, +20 %, delivery correction on (shipped)", (BASELINE_CTR, lifted),
                     4 * args.daily, budget_noise=0.09),
            Scenario("A/B, 2 arms on equal budgets, +20 %, raw sample-ratio check", (BASELINE_CTR, lifted),
                     4 * args.daily, budget_noise=0.09, rule=raw),
        ]
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        for number, scenario in enumerate(scenarios):
            report(scenario, run(scenario, scenario.experiments or args.experiments, args.seed + number))
        return
    scenarios = [
        Scenario("A/A, 2 arms (target: false winners ≤ 5 %)", (BASELINE_CTR, BASELINE_CTR), args.daily),
        Scenario("A/B, 2 arms, true +20 % relative lift (power)", (BASELINE_CTR, lifted), args.daily),
    ]
    if not args.quick:
        sensitivity = max(500, args.experiments // 2)
        scenarios += [
            Scenario("A/A, 2 arms, 4× the traffic (planned sample by day 3: 12 counted looks)",
                     (BASELINE_CTR, BASELINE_CTR), 4 * args.daily, experiments=sensitivity),
            Scenario("A/A, 4 arms", (BASELINE_CTR,) * 4, args.daily, experiments=sensitivity),
            Scenario("A/B, 4 arms, one treatment +20 % (power)", (BASELINE_CTR,) * 3 + (lifted,), args.daily,
                     experiments=sensitivity),
            Scenario("A/A, 2 arms, daily CTR swinging beyond binomial noise (lognormal σ = 0.10 per arm-day)",
                     (BASELINE_CTR, BASELINE_CTR), args.daily, overdispersion=0.10, experiments=sensitivity),
            Scenario("A/B, 2 arms, +20 % with the same daily swing (power)", (BASELINE_CTR, lifted), args.daily,
                     overdispersion=0.10, experiments=sensitivity),
        ]
    print(f"Shipped rule: {SHIPPED_RULE}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for number, scenario in enumerate(scenarios):
        report(scenario, run(scenario, scenario.experiments or args.experiments, args.seed + number))
    time_prob_best()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
