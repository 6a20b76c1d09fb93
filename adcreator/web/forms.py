"""Forms of the client pages: the create form (which builds ad_creation_v2 parameters) and the
results filters. Choices come from the user's scoped catalog; the service validates again."""

from __future__ import annotations

from django import forms

from adcreator.catalog.models import BeliefAngle, Brand, OfferVariant, Persona, Product
from adcreator.catalog.selectors import brands_for, products_for
from generation.models import AdStatus

MODE_CHOICES = [
    ("manual", "Choose templates manually"),
    ("roll_the_dice", "Roll the dice — random templates, weighted toward unused"),
    ("smart_select", "Smart select — best-fit templates, scored"),
]
# Friendly labels of spec Phase 2 ("multiselect with friendly labels").
SIZE_CHOICES = [
    ("1:1", "1:1 (1080×1080) — Feed posts"),
    ("4:5", "4:5 (1080×1350) — Feed, portrait"),
    ("9:16", "9:16 (1080×1920) — Stories & Reels"),
    ("16:9", "16:9 (1920×1080) — Landscape & in-stream"),
]
COLOR_CHOICES = [
    ("original", "Original — the template's own colours"),
    ("complementary", "Complementary — a contrasting palette"),
    ("brand", "Brand — your brand colours"),
]
CONTENT_CHOICES = [
    ("hooks", "Hooks — the brand's saved hooks"),
    ("belief_first", "Belief first — lead with a belief angle"),
    ("offer_variant", "Offer variant — the copy of one offer"),
]
STRICTNESS_CHOICES = [("default", "Default"), ("growth", "Growth"), ("premium", "Premium")]
SORT_CHOICES = [("newest", "Newest first"), ("oldest", "Oldest first")]
REVIEWED_STATUSES = [AdStatus.APPROVED, AdStatus.REJECTED, AdStatus.FLAGGED, AdStatus.REVIEW_FAILED,
                     AdStatus.GENERATED, AdStatus.GENERATION_FAILED, AdStatus.PENDING]


class IdListField(forms.Field):
    """Repeated `name=1&name=2` values as a list of distinct positive ints."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        ids: list[int] = []
        for raw in values:
            try:
                number = int(raw)
            except (TypeError, ValueError):
                raise forms.ValidationError(f"{raw!r} is not an id") from None
            if number < 1:
                raise forms.ValidationError(f"{raw!r} is not an id")
            if number not in ids:
                ids.append(number)
        return ids


def draw_signature(*, mode: str, count, category: str, strictness: str, product_id, persona_id) -> str:
    """What a draw depends on: a draw made with other settings is stale and never submitted."""
    return "|".join(str(part or "") for part in (mode, count, category, strictness, product_id, persona_id))


class CreateAdsForm(forms.Form):
    brand_id = forms.ModelChoiceField(queryset=Brand.objects.none(), label="Brand", empty_label=None)
    product_id = forms.ModelChoiceField(queryset=Product.objects.none(), label="Product", empty_label=None)
    mode = forms.ChoiceField(choices=MODE_CHOICES, initial="manual", widget=forms.RadioSelect, label="Template selection")
    template_ids = IdListField(required=False, label="Templates")
    count = forms.IntegerField(min_value=1, max_value=20, initial=3, label="How many templates")
    category = forms.ChoiceField(required=False, label="Category")
    strictness = forms.ChoiceField(choices=STRICTNESS_CHOICES, initial="default", label="Asset strictness")
    drawn_ids = IdListField(required=False)
    drawn_seed = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    drawn_for = forms.CharField(required=False, widget=forms.HiddenInput)
    sizes = forms.MultipleChoiceField(choices=SIZE_CHOICES, initial=["1:1"], widget=forms.CheckboxSelectMultiple,
                                      label="Sizes", error_messages={"required": "Choose at least one size."})
    color_modes = forms.MultipleChoiceField(choices=COLOR_CHOICES, initial=["original"], widget=forms.CheckboxSelectMultiple,
                                            label="Colour modes",
                                            error_messages={"required": "Choose at least one colour mode."})
    content_source = forms.ChoiceField(choices=CONTENT_CHOICES, initial="hooks", widget=forms.RadioSelect,
                                       label="Content source")
    persona_id = forms.ModelChoiceField(queryset=Persona.objects.none(), required=False, label="Persona",
                                        empty_label="No persona")
    offer_variant_id = forms.ModelChoiceField(queryset=OfferVariant.objects.none(), required=False,
                                              label="Offer variant", empty_label="Choose an offer variant")
    belief_angle_id = forms.ModelChoiceField(queryset=BeliefAngle.objects.none(), required=False,
                                             label="Belief angle", empty_label="Choose a belief angle")
    variations = forms.IntegerField(min_value=1, max_value=10, initial=1, label="Variations per template")
    confirmed = forms.BooleanField(required=False, label="I have seen the estimate and want to run it")
    split = forms.BooleanField(required=False, label="Split into sequential jobs under the cap")

    def __init__(self, *args, user, brand: Brand | None, product: Product | None, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
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
        mode = data.get("mode")
        if mode == "manual" and not data.get("template_ids"):
            self.add_error("template_ids", "Pick at least one template from the grid.")
        if mode in ("roll_the_dice", "smart_select") and data.get("drawn_ids"):
            if data.get("drawn_for") != self.signature(data):
                self.add_error("drawn_ids", "The draw no longer matches these settings: draw again.")
        source = data.get("content_source")
        if source == "offer_variant" and not data.get("offer_variant_id"):
            self.add_error("offer_variant_id", "Choose the offer variant to write from.")
        if source == "belief_first" and not data.get("belief_angle_id"):
            self.add_error("belief_angle_id", "Choose the belief angle to lead with.")
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
        data = self.cleaned_data
        params = {
            "brand_id": data["brand_id"].pk,
            "product_id": data["product_id"].pk,
            "template_selection": self.template_selection(data),
            "sizes": list(data["sizes"]),
            "color_modes": list(data["color_modes"]),
            "content_source": data["content_source"],
            "variations": data["variations"],
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


# Service error keys (pydantic locations) → the form field whose section shows them.
SERVICE_ERROR_FIELDS = {
    "brand_id": "brand_id", "product_id": "product_id", "sizes": "sizes", "color_modes": "color_modes",
    "variations": "variations", "persona_id": "persona_id", "offer_variant_id": "offer_variant_id",
    "belief_angle_id": "belief_angle_id", "confirmed": "confirmed", "content_source": "content_source",
    "template_selection": "template_ids", "template_selection.template_ids": "template_ids",
    "template_selection.count": "count", "template_selection.category": "category",
    "template_selection.strictness": "strictness",
}


def add_service_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    for key, messages in errors.items():
        field = SERVICE_ERROR_FIELDS.get(key)
        if field is None and key.startswith("template_selection"):
            field = "template_ids"
        for message in messages:
            form.add_error(field, message)


class ResultsFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        required=False, label="Status", widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in REVIEWED_STATUSES],
    )
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
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
