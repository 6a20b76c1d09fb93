"""Forms of the client pages: the create form and the results filters.

The create form is a door to `generation.params.AdCreationRequest`, not a second definition of
it: its choices come from the vocabulary, its bounds from the model, and `clean()` hands the
request to the same parse every door uses, putting each error next to its field.
"""

from __future__ import annotations

from django import forms
from pydantic import BaseModel

from adcreator.catalog.models import BeliefAngle, Brand, OfferVariant, Persona, Product
from adcreator.catalog.selectors import brands_for, products_for
from adcreator.prompts.vocabulary import COLOR_MODE_SPECS, SIZES
from adcreator.web.fields import BoundedDateField, BoundedModelChoiceField, IdListField, OffsetField, SeedField
from generation.models import AdStatus
from generation.params import AdCreationRequest, TemplateSelection
from generation.services import SubmissionError, ad_creation_parse

MODE_CHOICES = [
    ("manual", "Choose templates manually"),
    ("roll_the_dice", "Roll the dice — random templates, weighted toward unused"),
    ("smart_select", "Smart select — best-fit templates, scored"),
]
# Friendly labels of spec Phase 2 ("multiselect with friendly labels"), from the vocabulary.
SIZE_CHOICES = [(size.ratio, size.display) for size in SIZES]
COLOR_CHOICES = [(spec.value, spec.display) for spec in COLOR_MODE_SPECS]
CONTENT_CHOICES = [
    ("hooks", "Hooks — the brand's saved hooks"),
    ("belief_first", "Belief first — lead with a belief angle"),
    ("offer_variant", "Offer variant — the copy of one offer"),
]
STRICTNESS_CHOICES = [("default", "Default"), ("growth", "Growth"), ("premium", "Premium")]
SORT_CHOICES = [("newest", "Newest first"), ("oldest", "Oldest first")]
REVIEWED_STATUSES = [AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED,
                     AdStatus.GENERATED, AdStatus.GENERATION_FAILED, AdStatus.PENDING]


def model_bound(model: type[BaseModel], field: str, bound: str) -> int:
    """A numeric bound (`ge` / `le`) declared on the pydantic contract, for the HTML field."""
    for meta in model.model_fields[field].metadata:
        if hasattr(meta, bound):
            return getattr(meta, bound)
    raise LookupError(f"{model.__name__}.{field} declares no {bound}")


def draw_signature(*, mode: str, count, category: str, strictness: str, product_id, persona_id) -> str:
    """What a draw depends on: a draw made with other settings is stale and never submitted."""
    return "|".join(str(part or "") for part in (mode, count, category, strictness, product_id, persona_id))


class CreateAdsForm(forms.Form):
    brand_id = BoundedModelChoiceField(queryset=Brand.objects.none(), label="Brand", empty_label=None)
    product_id = BoundedModelChoiceField(queryset=Product.objects.none(), label="Product", empty_label=None)
    mode = forms.ChoiceField(choices=MODE_CHOICES, initial="manual", widget=forms.RadioSelect, label="Template selection")
    template_ids = IdListField(required=False, label="Templates")
    count = forms.IntegerField(min_value=model_bound(TemplateSelection, "count", "ge"),
                               max_value=model_bound(TemplateSelection, "count", "le"), initial=3,
                               label="How many templates")
    category = forms.ChoiceField(required=False, label="Category")
    strictness = forms.ChoiceField(choices=STRICTNESS_CHOICES, initial="default", label="Asset strictness")
    drawn_ids = IdListField(required=False)
    drawn_seed = SeedField(required=False, widget=forms.HiddenInput)
    drawn_for = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    sizes = forms.MultipleChoiceField(choices=SIZE_CHOICES, initial=["1:1"], widget=forms.CheckboxSelectMultiple,
                                      label="Sizes", error_messages={"required": "Choose at least one size."})
    color_modes = forms.MultipleChoiceField(choices=COLOR_CHOICES, initial=["original"], widget=forms.CheckboxSelectMultiple,
                                            label="Colour modes",
                                            error_messages={"required": "Choose at least one colour mode."})
    content_source = forms.ChoiceField(choices=CONTENT_CHOICES, initial="hooks", widget=forms.RadioSelect,
                                       label="Content source")
    persona_id = BoundedModelChoiceField(queryset=Persona.objects.none(), required=False, label="Persona",
                                         empty_label="No persona")
    offer_variant_id = BoundedModelChoiceField(queryset=OfferVariant.objects.none(), required=False,
                                               label="Offer variant", empty_label="Choose an offer variant")
    belief_angle_id = BoundedModelChoiceField(queryset=BeliefAngle.objects.none(), required=False,
                                              label="Belief angle", empty_label="Choose a belief angle")
    variations = forms.IntegerField(min_value=model_bound(AdCreationRequest, "variations", "ge"),
                                    max_value=model_bound(AdCreationRequest, "variations", "le"), initial=1,
                                    label="Variations per template")
    confirmed = forms.BooleanField(required=False, label="I have seen the estimate and want to run it")
    split = forms.BooleanField(required=False, label="Split into sequential jobs under the cap")

    # The request's errors in the page's words, where the page offers its own way to fix them.
    PAGE_WORDING = {"template_selection": "Pick at least one template from the grid."}

    def __init__(self, *args, user, brand: Brand | None, product: Product | None, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.request_model: AdCreationRequest | None = None
        self.fields["brand_id"].queryset = brands_for(user).order_by("name", "id")
        products = products_for(user).order_by("name", "id")
        self.fields["product_id"].queryset = products.filter(brand=brand) if brand else products.none()
        self.fields["persona_id"].queryset = Persona.objects.filter(brand=brand).order_by("name") if brand else Persona.objects.none()
        self.fields["belief_angle_id"].queryset = (BeliefAngle.objects.filter(brand=brand).order_by("name")
                                                   if brand else BeliefAngle.objects.none())
        self.fields["offer_variant_id"].queryset = (OfferVariant.objects.filter(product=product).order_by("name")
                                                    if product else OfferVariant.objects.none())
        self.fields["category"].choices = [("", "All categories")] + [(c, c.replace("_", " ").title()) for c in categories]

    def signature(self, data: dict) -> str:
        return draw_signature(mode=data.get("mode"), count=data.get("count"), category=data.get("category"),
                              strictness=data.get("strictness") if data.get("mode") == "smart_select" else "",
                              product_id=getattr(data.get("product_id"), "pk", None),
                              persona_id=getattr(data.get("persona_id"), "pk", None))

    def clean(self):
        data = super().clean()
        if data.get("mode") in ("roll_the_dice", "smart_select") and data.get("drawn_ids"):
            if data.get("drawn_for") != self.signature(data):
                self.add_error("drawn_ids", "The draw no longer matches these settings: draw again.")
        if data.get("brand_id") is None or data.get("product_id") is None:
            return data
        # The request's rules run even when some field already failed, so every problem shows
        # at once; a field with its own error keeps only that one.
        try:
            request = ad_creation_parse(parameters=self.parameters())
        except SubmissionError as exc:
            failed = set(self.errors)
            add_service_errors(self, {key: messages for key, messages in exc.errors.items()
                                      if SERVICE_ERROR_FIELDS.get(key, key) not in failed}, wording=self.PAGE_WORDING)
        else:
            self.request_model = None if self.errors else request
        return data

    def template_selection(self, data: dict) -> dict:
        mode = data.get("mode") or "manual"
        if mode == "manual":
            return {"mode": "manual", "template_ids": data.get("template_ids") or []}
        selection = {"mode": mode, "count": data.get("count") or 3, "category": data.get("category") or None}
        if mode == "smart_select":
            selection["strictness"] = data.get("strictness") or "default"
        drawn = data.get("drawn_ids") or []
        if drawn and data.get("drawn_for") == self.signature(data):
            # Submit exactly what was shown: the drawn ids and the seed that drew them.
            selection.update(template_ids=drawn, count=min(max(len(drawn), 1), 20), seed=data.get("drawn_seed"))
        return selection

    def parameters(self) -> dict:
        """The cleaned fields as an AdCreationRequest's JSON (what the API would send)."""
        data = self.cleaned_data
        params = {
            "brand_id": data["brand_id"].pk,
            "product_id": data["product_id"].pk,
            "template_selection": self.template_selection(data),
            "sizes": list(data.get("sizes") or []),
            "color_modes": list(data.get("color_modes") or []),
            "content_source": data.get("content_source") or "hooks",
            "variations": data.get("variations") or 1,
            "confirmed": bool(data.get("confirmed") or data.get("split")),
        }
        for name in ("persona_id", "offer_variant_id", "belief_angle_id"):
            if data.get(name) is not None:
                params[name] = data[name].pk
        if params["content_source"] != "offer_variant":
            params.pop("offer_variant_id", None)
        if params["content_source"] != "belief_first":
            params.pop("belief_angle_id", None)
        return params


# Request error keys (pydantic locations) → the form field whose section shows them.
SERVICE_ERROR_FIELDS = {
    "brand_id": "brand_id", "product_id": "product_id", "sizes": "sizes", "color_modes": "color_modes",
    "variations": "variations", "persona_id": "persona_id", "offer_variant_id": "offer_variant_id",
    "belief_angle_id": "belief_angle_id", "confirmed": "confirmed", "content_source": "content_source",
    "template_selection": "template_ids", "template_selection.template_ids": "template_ids",
    "template_selection.count": "count", "template_selection.category": "category",
    "template_selection.strictness": "strictness", "template_selection.seed": "drawn_ids",
}


def add_service_errors(form: forms.Form, errors: dict[str, list[str]], *, wording: dict[str, str] | None = None) -> None:
    """A request's {dotted.path: [messages]} on the form fields that show them ("__all__" on top)."""
    for key, messages in errors.items():
        field = SERVICE_ERROR_FIELDS.get(key)
        if field is None:
            field = "template_ids" if key.startswith("template_selection") else (
                key.split(".")[0] if key.split(".")[0] in form.fields else None)
        for message in messages:
            form.add_error(field, (wording or {}).get(key, message))


class ResultsFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        required=False, label="Status", widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in REVIEWED_STATUSES],
    )
    date_from = BoundedDateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    run = forms.TypedChoiceField(required=False, label="Ad run", coerce=int, empty_value=None)
    brand = forms.TypedChoiceField(required=False, label="Brand", coerce=int, empty_value=None)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label="Sort")

    def __init__(self, *args, runs, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = [("", "All runs")] + [
            (run.pk, f"Run #{run.pk} · {run.product.name} · {run.created_at:%b %d, %H:%M}") for run in runs
        ]
        self.fields["brand"].choices = [("", "All brands")] + [(b.pk, b.name) for b in brands]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data


OVERRIDE_ACTIONS = [("override_approve", "Approve"), ("override_reject", "Reject"), ("confirm", "Confirm")]


class OverrideForm(forms.Form):
    action = forms.ChoiceField(choices=OVERRIDE_ACTIONS)
    note = forms.CharField(required=False, max_length=5000)  # Django's CharField refuses NUL bytes


class BulkOverrideForm(forms.Form):
    action = forms.ChoiceField(choices=OVERRIDE_ACTIONS[:2])
    ad_ids = IdListField()
    # "1": the person saw how many ads change (review.services.BULK_CONFIRM_ABOVE).
    confirm = forms.ChoiceField(choices=[("", "not confirmed"), ("1", "confirmed")], required=False)


class GridQueryForm(forms.Form):
    """The manual grid's query string: filters and the "Load more" offset."""

    offset = OffsetField(required=False)
    filter_category = forms.CharField(required=False, max_length=60)
    filter_awareness = forms.IntegerField(required=False, min_value=1, max_value=5)
    filter_industry = forms.CharField(required=False, max_length=80)
    filter_audience = forms.CharField(required=False, max_length=8)
    template_ids = IdListField(required=False)
