from django.contrib import admin
from django.utils.html import format_html

from generation.models import AdRun, GeneratedAd, ProviderCall


@admin.register(AdRun)
class AdRunAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "brand", "product", "job_run", "pipeline_version", "created_at"]
    list_filter = ["organization", "brand", "pipeline_version"]
    search_fields = ["id", "product__name"]
    list_select_related = ["organization", "brand", "product", "job_run"]


@admin.register(GeneratedAd)
class GeneratedAdAdmin(admin.ModelAdmin):
    list_display = ["preview", "id", "ad_run", "prompt_index", "canvas_size", "color_mode", "status",
                    "template", "headline", "congruence_score", "created_at"]
    list_filter = ["status", "canvas_size", "color_mode", "ad_run__brand"]
    search_fields = ["headline", "id", "template__name"]
    list_select_related = ["ad_run", "template"]
    readonly_fields = ["prompt", "element_tags", "created_at", "updated_at"]

    @admin.display(description="Image")
    def preview(self, obj: GeneratedAd):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" style="height:64px;border-radius:4px">', obj.image.url)


@admin.register(ProviderCall)
class ProviderCallAdmin(admin.ModelAdmin):
    list_display = ["id", "purpose", "provider", "model", "outcome", "latency_ms", "cost_usd", "ad_run", "created_at"]
    list_filter = ["purpose", "provider", "outcome"]
    search_fields = ["model", "error"]
    list_select_related = ["ad_run"]
