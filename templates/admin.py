from django.contrib import admin
from django.utils.html import format_html

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


@admin.register(ScrapedTemplate)
class ScrapedTemplateAdmin(admin.ModelAdmin):
    list_display = ["preview", "name", "category", "industry", "awareness_level", "target_sex",
                    "element_detection_version", "times_used", "is_active", "organization"]
    list_filter = ["is_active", "category", "awareness_level", "target_sex", DetectionFilter, "organization"]
    search_fields = ["name", "category", "industry"]
    list_select_related = ["organization"]
    inlines = [EvaluationInline]

    @admin.display(description="Image")
    def preview(self, obj: ScrapedTemplate):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" style="height:64px;border-radius:4px">', obj.image.url)


@admin.register(ProductTemplateUsage)
class ProductTemplateUsageAdmin(admin.ModelAdmin):
    list_display = ["product", "template", "used_at"]
    list_filter = ["product__brand"]
    search_fields = ["product__name", "template__name"]
    list_select_related = ["product", "template"]
