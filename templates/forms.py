"""The own-template upload form: what a browser sends, turned into template_upload's arguments."""

from __future__ import annotations

from django import forms

from templates.models import ScrapedTemplate


class TemplateUploadForm(forms.Form):
    image = forms.FileField(label="Template image", help_text="PNG, JPEG or WebP: an ad layout you want to reuse.")
    name = forms.CharField(max_length=200)
    category = forms.CharField(max_length=60, help_text="“offer”, “testimonial”, “benefits”… (as in the library).",
                               widget=forms.TextInput(attrs={"list": "template-categories"}))
    industry = forms.CharField(max_length=80, required=False, label="Industry / niche",
                               help_text="“beauty / skincare”: smart select prefers templates of your product's industry.")
    awareness_level = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Awareness level",
                                             choices=[("", "Any"), *((n, str(n)) for n in range(1, 6))])
    target_sex = forms.ChoiceField(choices=[("", "Anyone"), *ScrapedTemplate.TargetSex.choices], required=False,
                                   label="Speaks to")

    def __init__(self, *args, organizations=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        if len(organizations) > 1:
            self.fields["organization"] = forms.TypedChoiceField(
                coerce=int, choices=[(o.pk, o.name) for o in organizations], label="Organization")
