from django.contrib import admin, messages
from django.utils.html import format_html_join

from review import selectors, services
from review.models import AdReviewOverride, QualityScoringConfig


@admin.register(QualityScoringConfig)
class QualityScoringConfigAdmin(admin.ModelAdmin):
    list_display = ["__str__", "brand", "version", "status", "pass_threshold", "borderline_low", "borderline_high",
                    "approved_by", "approved_at", "created_at"]
    list_filter = ["status", "brand"]
    search_fields = ["brand__name"]
    list_select_related = ["brand", "approved_by"]
    readonly_fields = ["diff_against_active", "approved_by", "approved_at", "created_at", "based_on"]
    actions = ["approve_and_activate"]

    @admin.display(description="Changes against the active config")
    def diff_against_active(self, obj: QualityScoringConfig):
        if obj.pk is None:
            return "—"
        active = selectors.quality_config_active(brand_id=obj.brand_id)
        if active is None:
            return "No config is active in this scope yet."
        if active.pk == obj.pk:
            return "This is the active config."
        rows = services.quality_config_diff(config=obj, against=active)
        if not rows:
            return "No differences."
        return format_html_join("\n", "<div>{}: {} → {}</div>", ((r["field"], r["old"], r["new"]) for r in rows))

    @admin.action(description="Approve and activate (retires the scope's active config)")
    def approve_and_activate(self, request, queryset):
        for config in queryset:
            try:
                services.quality_config_activate(config=config, user=request.user)
            except services.ReviewError as exc:
                self.message_user(request, f"{config}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{config} is now active.", messages.SUCCESS)


@admin.register(AdReviewOverride)
class AdReviewOverrideAdmin(admin.ModelAdmin):
    list_display = ["id", "ad", "action", "ai_status", "resulting_status", "user", "superseded_by", "created_at"]
    list_filter = ["action", "ai_status", "resulting_status"]
    search_fields = ["note", "ad__id"]
    list_select_related = ["ad", "user", "superseded_by"]
    readonly_fields = ["ai_status", "resulting_status", "superseded_by", "created_at"]
