"""The jobs page's filters: status, type, brand and dates, bounded like every page input."""

from __future__ import annotations

from django import forms

from adcreator.jobs import registry
from adcreator.jobs.models import JobType, RunStatus
from adcreator.jobs.progress import badge_of
from adcreator.jobs.selectors import JobFilters
from adcreator.web.fields import BoundedDateField
from adcreator.web.labels import humanize


class JobsFilterForm(forms.Form):
    status = forms.MultipleChoiceField(required=False, label="Status", widget=forms.CheckboxSelectMultiple,
                                       choices=[(s.value, badge_of(s.value)) for s in RunStatus])
    job_type = forms.ChoiceField(required=False, label="Type")
    brand = forms.TypedChoiceField(required=False, label="Brand", coerce=int, empty_value=None)
    date_from = BoundedDateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, brands, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        hidden = set() if staff else registry.staff_only_types()
        self.fields["job_type"].choices = [("", "All types")] + [
            (value, humanize(value)) for value in JobType.values if value not in hidden]
        self.fields["brand"].choices = [("", "All brands")] + [(b.pk, b.name) for b in brands]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filters(self) -> JobFilters:
        if not self.is_bound or not self.is_valid():
            return JobFilters()
        data = self.cleaned_data
        return JobFilters(statuses=tuple(data.get("status") or ()), job_type=data.get("job_type") or None,
                          brand_id=data.get("brand"), date_from=data.get("date_from"), date_to=data.get("date_to"))
