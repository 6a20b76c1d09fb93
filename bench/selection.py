"""Time one Smart-select draw (templates.scoring.select_templates) over synthetic candidates.

Run: .venv/bin/python bench/selection.py
Prints min, median and p95 in ms of:
  (a) one select_templates draw over a prebuilt CandidateTable, for 1k, 10k and 100k
      candidates: what the pipeline pays per draw (and per 8h fallback step) after the query;
  (b) CandidateTable.from_rows reading every column of 10k and 100k rows: the most a
      selection pays once after the query (the selector's table reads a column on first use,
      so Roll the dice reads only two cheap ones);
  (c) at 10k, select_templates given the list of row dicts (a one-off table that reads only
      the fields the draw needs), and the per-template Python loop over `score` as reference.
The machine's load average is printed before and after: on a shared machine the median and
p95 move with it (the min much less), as reading row dicts is bound by memory access.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from templates.candidates import CandidateTable  # noqa: E402
from templates.scoring import (  # noqa: E402
    DEFAULT_SCORERS,
    SMART_SELECT,
    SelectionContext,
    select_templates,
)

SIZES = (1_000, 10_000, 100_000)
ASSET_TAGS = ("product", "packshot", "lifestyle", "person", "hand", "texture", "logo", "badge")
CATEGORIES = ("skincare", "supplements", "apparel", "food", "home", "fitness", "pets", "beauty")
SEXES = ("female", "male", "unisex", None)
# Share of rows with each optional datum, roughly what a scraped library looks like.
DETECTED_SHARE = 0.8
EVALUATED_SHARE = 0.6
AWARENESS_KNOWN_SHARE = 0.7
NON_COMPLIANT_SHARE = 0.05


def synthetic_candidates(n: int, seed: int = 7) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        detected = rng.random() < DETECTED_SHARE
        required = [str(tag) for tag in rng.choice(ASSET_TAGS, size=rng.integers(0, 4), replace=False)] if detected else []
        evaluation = None
        if rng.random() < EVALUATED_SHARE:
            evaluation = {f"d{k}": int(rng.integers(0, 4)) for k in range(1, 6)}
            evaluation["d6"] = bool(rng.random() >= NON_COMPLIANT_SHARE)
        rows.append(
            {
                "id": i,
                "name": f"template-{i}",
                "image_url": f"https://example.invalid/t/{i}.png",
                "is_unused": bool(rng.random() < 0.6),
                "times_used": int(rng.integers(0, 50)),
                "has_detection": detected,
                "template_elements": {"required_assets": required, "optional_assets": []} if detected else {},
                "category": str(rng.choice(CATEGORIES)),
                "awareness_level": int(rng.integers(1, 6)) if rng.random() < AWARENESS_KNOWN_SHARE else None,
                "target_sex": SEXES[int(rng.integers(0, len(SEXES)))],
                "evaluation": evaluation,
            }
        )
    return rows


CONTEXT = SelectionContext(
    product_id="p-1",
    brand_id="b-1",
    product_asset_tags={"product", "packshot", "logo", "lifestyle"},
    persona={"target_sex": "female"},
    requested_category=None,
    awareness_stage=3,
)


def per_template_loop_select(candidates: list[dict], rng: np.random.Generator, count: int = 3) -> list[dict]:
    """The straightforward version: every scorer's `score` on every row, then the same draw."""
    w_total = sum(SMART_SELECT.get(s.name, 0.0) for s in DEFAULT_SCORERS)
    composites = []
    for row in candidates:
        weighted = sum(SMART_SELECT.get(s.name, 0.0) * s.score(row, CONTEXT) for s in DEFAULT_SCORERS)
        composites.append(weighted / w_total)
    total = sum(composites)
    p = [c / total for c in composites]
    picks = rng.choice(len(candidates), size=count, replace=False, p=p)
    return [candidates[i] for i in picks]


def timings_ms(run, repeats: int) -> tuple[float, float, float]:
    """Min, median and p95 in ms. The min is the figure least disturbed by other processes."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return samples[0], statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def smart_select(candidates: CandidateTable | list[dict], rng: np.random.Generator, min_asset_score: float = 0.0) -> None:
    select_templates(candidates, CONTEXT, DEFAULT_SCORERS, SMART_SELECT, min_asset_score, 3, rng)


def report(label: str, figures: tuple[float, float, float]) -> None:
    low, median, p95 = figures
    print(f"  {label:<44} min {low:8.2f}  median {median:8.2f}  p95 {p95:8.2f}  ms")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    rng = np.random.default_rng(2024)
    print(f"one select_templates call, SMART_SELECT, count=3, numpy {np.__version__}")
    print(f"load average (1, 5, 15 min) before: {load_average()} on {os.cpu_count()} CPUs")
    print("(a) one draw over a prebuilt CandidateTable")
    for n in SIZES:
        table = CandidateTable.from_rows(synthetic_candidates(n))
        repeats = 200 if n <= 10_000 else 50
        smart_select(table, rng)  # warm-up
        report(f"{n:,} candidates, gate off", timings_ms(lambda: smart_select(table, rng), repeats))
        report(f"{n:,} candidates, growth gate 0.3", timings_ms(lambda: smart_select(table, rng, 0.3), repeats))
    print("(b) reading every column of the query's rows (at most once per selection)")
    rows_10k, rows_100k = synthetic_candidates(10_000), synthetic_candidates(100_000)
    report("10,000 rows", timings_ms(lambda: CandidateTable.from_rows(rows_10k), 50))
    report("100,000 rows", timings_ms(lambda: CandidateTable.from_rows(rows_100k), 10))
    print("(c) at 10,000 candidates, from the list of row dicts")
    report("list of dicts, gate off", timings_ms(lambda: smart_select(rows_10k, rng), 50))
    report("list of dicts, growth gate 0.3", timings_ms(lambda: smart_select(rows_10k, rng, 0.3), 50))
    report("per-template loop (reference)", timings_ms(lambda: per_template_loop_select(rows_10k, rng), 30))
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
