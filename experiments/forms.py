"""Forms of the experiments pages. Percentages on the page, ratios in the services: the form
converts once (a baseline CTR of 0.8 % is entered as 0.8 and passed on as 0.008)."""

from __future__ import annotations

from django import forms

from adcreator.web.fields import IdField
from experiments.vocabulary import MAX_PLANNED_DAYS, MAX_TREATMENTS, TESTABLE_DIMENSIONS


class StartForm(forms.Form):
    """Step 1: which ad the control reproduces and which element is tested."""

    ad = IdField(label="Base ad (the control)")
    variable = forms.ChoiceField(choices=[(d, d.replace("_", " ")) for d in TESTABLE_DIMENSIONS],
                                 label="Test variable (one element)")


class PlanForm(forms.Form):
    relative_mde_percent = forms.FloatField(min_value=1, max_value=500, initial=20,
                                            label="Smallest lift to detect (% of the baseline CTR)")
    power = forms.FloatField(min_value=0.5, max_value=0.99, initial=0.8, label="Power")
    alpha = forms.FloatField(min_value=0.001, max_value=0.2, initial=0.05, label="Alpha (false-positive rate)")
    planned_days = forms.IntegerField(min_value=1, max_value=MAX_PLANNED_DAYS, initial=7, label="Days to spread the budget over")
    baseline_ctr_percent = forms.FloatField(required=False, min_value=0.001, max_value=50,
                                            label="Baseline CTR (%)",
                                            help_text="Leave empty to use the brand's own (its last 28 days), or "
                                                      "an assumed 1 % without data.")

    def plan_inputs(self) -> dict:
        data = self.cleaned_data
        ctr = data.get("baseline_ctr_percent")
        return {"relative_mde": data["relative_mde_percent"] / 100, "power": data["power"], "alpha": data["alpha"],
                "planned_days": data["planned_days"], "baseline_ctr": ctr / 100 if ctr is not None else None}


class CreateForm(PlanForm):
    hypothesis = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                                 label="Hypothesis", help_text="What you expect, and why.")
    treatment_values = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label="Treatment values",
                                                 help_text=f"1 to {MAX_TREATMENTS}; each one is an arm.")
    name = forms.CharField(max_length=200, required=False, label="Name (optional)")

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatment_values"].choices = list(choices)

    def clean_treatment_values(self):
        values = self.cleaned_data["treatment_values"]
        if not 1 <= len(values) <= MAX_TREATMENTS:
            raise forms.ValidationError(f"Choose 1 to {MAX_TREATMENTS} treatment values.")
        return values


class DeployForm(forms.Form):
    page_id = forms.CharField(max_length=40, required=False, label="Facebook Page id",
                              help_text="The Page the ads run under (Meta only).")
    link_url = forms.URLField(max_length=500, required=False, label="Link", assume_scheme="https",
                              help_text="Where the ads link; default: the offer's or the brand's landing page.")
    countries = forms.CharField(max_length=200, initial="US", label="Countries",
                                help_text="Two-letter codes, comma-separated.")

    def deploy_inputs(self) -> dict:
        data = self.cleaned_data
        return {"page_id": data.get("page_id") or "", "link_url": data.get("link_url") or "",
                "countries": [c.strip() for c in data["countries"].split(",") if c.strip()]}


class StopForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False)


class EvolveForm(forms.Form):
    mode = forms.CharField(max_length=20)
