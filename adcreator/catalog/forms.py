"""The catalog pages' forms: they only turn what a browser sends into the services' `data`.

Every rule lives in adcreator.catalog.services (the API's and the admin's too); a form's own
checks are the browser-side shapes (a number is a number, one line per list item), and the
service's field errors are put back on the form's fields.
"""

from __future__ import annotations

from django import forms

from adcreator.catalog.models import BrandAsset, Hook, TargetSex
from adcreator.catalog.tiers import TIER_LABELS
from adcreator.prompts.elements import ASSET_TAGS
from adcreator.web.labels import humanize


class LinesField(forms.CharField):
    """A list of texts, one per line (colours may also be separated by commas)."""

    def __init__(self, *, commas: bool = False, **kwargs):
        self.commas = commas
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        if self.commas:
            text = text.replace(",", "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]


class CatalogForm(forms.Form):
    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)

    def take_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's field errors, on the fields they name (others on the whole form)."""
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class BrandForm(CatalogForm):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=80, required=False, help_text="Made from the name if left blank.")
    category = forms.CharField(max_length=80, required=False, help_text="What the brand sells: “skincare”.")
    colors = LinesField(commas=True, label="Colours", help_text="#rrggbb codes, most prominent first.",
                        widget=forms.TextInput())
    voice = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    prohibited_claims = LinesField(help_text="One per line: claims an ad must never make.")
    required_disclaimers = LinesField(help_text="One per line: lines every ad must carry.")
    template_selection_tier = forms.ChoiceField(choices=list(TIER_LABELS.items()), label="Template-selection tier",
                                                help_text="How many of a template's required assets smart select "
                                                          "insists your product has.")


class ProductForm(CatalogForm):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=80, required=False, help_text="Made from the name if left blank.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    current_offer = forms.CharField(max_length=300, required=False)
    industry = forms.CharField(max_length=80, required=False, label="Industry / niche",
                               help_text="As on templates: “beauty / skincare”. Smart select prefers templates "
                                         "of this industry.")


_TAG_CHOICES = [(tag, humanize(tag)) for tag in ASSET_TAGS]


class PhotoTagsForm(CatalogForm):
    asset_tags = forms.MultipleChoiceField(choices=_TAG_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
                                           label="Asset tags", help_text="What the photo shows: templates that "
                                                                         "require it can then be chosen.")


class PhotoUploadForm(PhotoTagsForm):
    image = forms.FileField(label="Photo", help_text="PNG, JPEG or WebP, each side at least 64 px.")


class BrandAssetForm(CatalogForm):
    asset_type = forms.ChoiceField(choices=BrandAsset.AssetType.choices, label="Kind")


class BrandAssetUploadForm(BrandAssetForm):
    image = forms.FileField(help_text="PNG (transparent for logos), JPEG or WebP.")


class PersonaForm(CatalogForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    awareness_stage = forms.TypedChoiceField(coerce=int, choices=[(1, "1 — unaware"), (2, "2 — problem aware"),
                                                                  (3, "3 — solution aware"), (4, "4 — product aware"),
                                                                  (5, "5 — most aware")])
    target_sex = forms.ChoiceField(choices=[("", "Anyone"), *TargetSex.choices], required=False, label="Speaks to")
    age_min = forms.IntegerField(min_value=0, max_value=120, required=False, label="Youngest age")
    age_max = forms.IntegerField(min_value=0, max_value=120, required=False, label="Oldest age")


class OfferVariantForm(CatalogForm):
    name = forms.CharField(max_length=200)
    core_message = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    pain_points = LinesField(help_text="One per line.")
    landing_page_url = forms.CharField(max_length=500, required=False, label="Landing page URL")


class LandingPageForm(CatalogForm):
    url = forms.CharField(max_length=500, label="URL")
    hero_headline = forms.CharField(max_length=300)
    hero_subhead = forms.CharField(max_length=500, required=False)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class BeliefAngleForm(CatalogForm):
    name = forms.CharField(max_length=200)
    belief_statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class HookForm(CatalogForm):
    text = forms.CharField(max_length=300)
    hook_type = forms.ChoiceField(choices=Hook.HookType.choices, label="Kind")
    product_id = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Product",
                                        choices=[("", "Every product")])
    is_active = forms.BooleanField(required=False, initial=True, label="Active (drawn into new jobs)")

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_id"].choices = [("", "Every product"), *((p.pk, p.name) for p in products)]
