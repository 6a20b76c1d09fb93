from django.contrib import admin

from adcreator.calls.models import ProviderCall


@admin.register(ProviderCall)
class ProviderCallAdmin(admin.ModelAdmin):
    list_display = ["id", "purpose", "provider", "model", "outcome", "latency_ms", "cost_usd", "organization", "brand",
                    "job_run", "ad", "created_at"]
    list_filter = ["purpose", "provider", "outcome", "organization"]
    search_fields = ["model", "error"]
    list_select_related = ["organization", "brand", "job_run"]
    readonly_fields = [f.name for f in ProviderCall._meta.fields]

    def has_add_permission(self, request):
        return False  # the ledger is written by the calls themselves, never by hand
