from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from pydantic import TypeAdapter, ValidationError

from adcreator.catalog.models import Organization
from adcreator.prompts.elements import ARCHETYPES, PART_KINDS, TemplatePart
from templates import services
from templates.models import ProductTemplateUsage, ScrapedTemplate, TemplateEvaluation


class EvaluationInline(admin.StackedInline):
    model = TemplateEvaluation
    extra = 0


class DetectionFilter(admin.SimpleListFilter):
    title = "element detection"
    parameter_name = "detected"

    def lookups(self, request, model_admin):
        return [("yes", "Detected"), ("no", "Not detected")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(element_detection_version__isnull=False)
        if self.value() == "no":
            return queryset.filter(element_detection_version__isnull=True)
        return queryset


_PARTS = TypeAdapter(list[TemplatePart])


class ScrapedTemplateForm(forms.ModelForm):
    """The template's archetype and parts, edited inside its stored `template_elements`."""

    archetype = forms.ChoiceField(
        choices=[("", "not known")] + [(a, a.replace("_", " ")) for a in ARCHETYPES], required=False,
        help_text="The creative structure the renderer rebuilds (stored with the detected elements).")
    parts = forms.JSONField(
        required=False, widget=forms.Textarea(attrs={"rows": 6, "cols": 90}),
        help_text='A list of {"kind": ..., "box": [x0, y0, x1, y1]} with boxes as fractions of the template; '
                  f"kinds: {', '.join(PART_KINDS)}.")

    class Meta:
        model = ScrapedTemplate
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        elements = self.instance.template_elements or {}
        self.fields["archetype"].initial = elements.get("archetype") or ""
        self.fields["parts"].initial = elements.get("parts", [])
        if not self.instance.has_detection:
            # Detection writes the whole of template_elements: an edit before it would be lost.
            for name in ("archetype", "parts"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Run element detection first; the archetype is stored with its result."

    def clean_parts(self):
        value = self.cleaned_data.get("parts") or []
        try:
            return [part.model_dump(mode="json") for part in _PARTS.validate_python(value)]
        except ValidationError as error:
            raise forms.ValidationError(f"not a list of parts: {error.errors()[0]['msg']}") from error

    def save(self, commit=True):
        template = super().save(commit=False)
        if template.has_detection:
            template.template_elements = dict(template.template_elements or {}) | {
                "archetype": self.cleaned_data.get("archetype") or None, "parts": self.cleaned_data.get("parts") or []}
        if commit:
            template.save()
            self.save_m2m()
        return template


@admin.register(ScrapedTemplate)
class ScrapedTemplateAdmin(admin.ModelAdmin):
    form = ScrapedTemplateForm
    list_display = ["preview", "name", "category", "industry", "awareness_level", "target_sex",
                    "element_detection_version", "uses_all_organizations", "is_active", "organization"]
    list_filter = ["is_active", "category", "awareness_level", "target_sex", DetectionFilter, "organization"]
    search_fields = ["name", "category", "industry"]
    list_select_related = ["organization"]
    inlines = [EvaluationInline]
    readonly_fields = ["large_preview", "element_detection_version", "uses_by_organization", "created_at"]
    actions = ["activate", "deactivate", "queue_detection"]

    def get_queryset(self, request):
        # Staff see every tenant's usage; the tenants' own pages and API count only their own.
        return super().get_queryset(request).annotate(uses=Count("usage", distinct=True))

    @admin.display(description="Times used (all organizations)", ordering="uses")
    def uses_all_organizations(self, obj: ScrapedTemplate) -> int:
        return obj.uses

    @admin.display(description="Times used, per organization")
    def uses_by_organization(self, obj: ScrapedTemplate):
        rows = (ProductTemplateUsage.objects.filter(template=obj)
                .values_list("organization__name").annotate(n=Count("pk")).order_by("-n"))
        if not rows:
            return "Never used"
        return format_html_join(", ", "{} ({})", rows)

    @admin.display(description="Preview")
    def large_preview(self, obj: ScrapedTemplate):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" height="420">', obj.image.url)

    @admin.action(description="Activate (eligible for selection)")
    def activate(self, request, queryset):
        count = services.template_set_active(template_ids=list(queryset.values_list("pk", flat=True)), active=True)
        self.message_user(request, f"Activated {count} template(s).", messages.SUCCESS)

    @admin.action(description="Deactivate (never selected)")
    def deactivate(self, request, queryset):
        count = services.template_set_active(template_ids=list(queryset.values_list("pk", flat=True)), active=False)
        self.message_user(request, f"Deactivated {count} template(s).", messages.SUCCESS)

    @admin.action(description="Queue element detection")
    def queue_detection(self, request, queryset):
        by_org: dict[int | None, list[int]] = {}
        for pk, org_id in queryset.values_list("pk", "organization_id"):
            by_org.setdefault(org_id, []).append(pk)
        for org_id, ids in by_org.items():
            # Library templates run under the staff member's first organization (jobs need one).
            organization = Organization.objects.filter(pk=org_id).first() if org_id else (
                Organization.objects.filter(memberships__user=request.user).order_by("id").first()
                or Organization.objects.order_by("id").first())
            if organization is None:
                self.message_user(request, "No organization exists to own the detection job.", messages.ERROR)
                return
            job = services.template_detection_queue(organization=organization, template_ids=ids, user=request.user)
            self.message_user(request, f"Queued detection job {job.pk} for {len(ids)} template(s).", messages.SUCCESS)

    @admin.display(description="Image")
    def preview(self, obj: ScrapedTemplate):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" height="64">', obj.image.url)


@admin.register(ProductTemplateUsage)
class ProductTemplateUsageAdmin(admin.ModelAdmin):
    list_display = ["product", "template", "used_at"]
    list_filter = ["product__brand"]
    search_fields = ["product__name", "template__name"]
    list_select_related = ["product", "template"]
