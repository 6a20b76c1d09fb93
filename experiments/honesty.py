"""What the shipped decision rule was measured to do, for the pages (issue 15: "the figure shown
on the page"). These are measurements, not computations: `bench/experiment_aa.py` produced them
with the command below; re-run it and update them whenever the rule (experiments.decision) changes.
"""

MEASURED = {
    "command": ".venv/bin/python bench/experiment_aa.py",
    "experiments": 2000,
    "aa_false_winner_rate": 0.0145,      # A/A, 2 arms, ~5,000 impressions/arm/day, daily looks over 14 days
    "aa_false_winner_ci": (0.0101, 0.0207),
    "spec_rule_alone": 0.322,             # P(best) > 0.90 at any counted look, the spec's test on its own
    "power_20_percent": 0.837,            # the same traffic, a true +20 % relative lift (2 arms)
    "power_ci": (0.8202, 0.8525),
}
