from django.contrib import admin, messages
from django.utils.html import format_html

from generation.models import AdRun, GeneratedAd
from review.models import AdReviewOverride
from review.services import ReviewError, review_override_bulk


class OverrideHistoryInline(admin.TabularInline):
    model = AdReviewOverride
    fk_name = "ad"
    extra = 0
    fields = ["created_at", "action", "ai_status", "resulting_status", "user", "note", "check_corrections",
              "superseded_by"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AdRun)
class AdRunAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "brand", "product", "job_run", "pipeline_version", "created_at"]
    list_filter = ["organization", "brand", "pipeline_version"]
    search_fields = ["id", "product__name"]
    list_select_related = ["organization", "brand", "product", "job_run"]


@admin.register(GeneratedAd)
class GeneratedAdAdmin(admin.ModelAdmin):
    list_display = ["preview", "id", "ad_run", "prompt_index", "canvas_size", "color_mode", "status", "ai_status",
                    "review_score", "template", "headline", "congruence_score", "created_at"]
    list_filter = ["status", "ai_status", "canvas_size", "color_mode", "ad_run__brand"]
    search_fields = ["headline", "id", "template__name"]
    list_select_related = ["ad_run", "template"]
    readonly_fields = ["prompt", "element_tags", "ai_status", "review", "defect_scan_result", "review_check_scores",
                       "created_at", "updated_at"]
    inlines = [OverrideHistoryInline]
    actions = ["override_approve", "override_reject", "confirm"]

    def _decide(self, request, queryset, action: str) -> None:
        try:
            # Ticking the rows and choosing the action in the admin is the confirmation.
            count = review_override_bulk(ads=list(queryset), user=request.user, action=action, confirmed=True)
        except ReviewError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"Recorded {count} decision(s); unreviewed ads were skipped.", messages.SUCCESS)

    @admin.action(description="Override: approve")
    def override_approve(self, request, queryset):
        self._decide(request, queryset, "override_approve")

    @admin.action(description="Override: reject")
    def override_reject(self, request, queryset):
        self._decide(request, queryset, "override_reject")

    @admin.action(description="Confirm the AI's decision")
    def confirm(self, request, queryset):
        self._decide(request, queryset, "confirm")

    @admin.display(description="Image")
    def preview(self, obj: GeneratedAd):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" height="64">', obj.image.url)
