from django import forms
from django.contrib import admin, messages

from genome.models import (
    AdAccount, AdMapping, AdPerformanceDay, AdReward, AttributionFinding, ElementScore, GenomeState, MetaCampaign,
    SystemAlert,
)
from genome.services.connection import MetaConnectionError, meta_connection_set


class AdAccountForm(forms.ModelForm):
    # Write-only: the stored token is never rendered, not even masked; leave empty to keep it.
    new_access_token = forms.CharField(required=False, max_length=2000, label="New access token",
                                       widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))

    class Meta:
        model = AdAccount
        fields = ["brand", "ad_account_id", "currency"]


@admin.register(AdAccount)
class AdAccountAdmin(admin.ModelAdmin):
    form = AdAccountForm
    list_display = ["brand", "ad_account_id", "source", "status", "has_token", "last_sync_at", "last_sync_ok"]
    list_filter = ["source", "status"]
    search_fields = ["brand__name", "ad_account_id"]
    list_select_related = ["brand"]
    readonly_fields = ["source", "status", "broken_reason", "broken_at", "token_set_at", "last_sync_at",
                       "last_sync_ok", "connected_by", "created_at", "updated_at"]

    @admin.display(boolean=True, description="Token set")
    def has_token(self, account: AdAccount) -> bool:
        return bool(account.access_token_encrypted)

    def save_model(self, request, obj, form, change):
        # Through the service: validation, encryption and the broken → active transition in one place.
        token = form.cleaned_data.get("new_access_token") or ""
        if change and not token and obj.access_token_encrypted:
            from genome.secrets import decrypt_token

            token = decrypt_token(obj.access_token_encrypted)
        try:
            account = meta_connection_set(brand=obj.brand, ad_account_id=obj.ad_account_id, access_token=token,
                                          user=request.user)
        except MetaConnectionError as exc:
            self.message_user(request, f"Not saved: {exc}", messages.ERROR)
            return
        obj.pk = account.pk
        if obj.currency != account.currency:
            AdAccount.objects.filter(pk=account.pk).update(currency=obj.currency)


@admin.register(MetaCampaign)
class MetaCampaignAdmin(admin.ModelAdmin):
    list_display = ["campaign_id", "name", "objective", "objective_raw", "status", "account", "synced_at"]
    list_filter = ["objective", "account"]
    search_fields = ["campaign_id", "name"]
    list_select_related = ["account__brand"]


@admin.register(AdPerformanceDay)
class AdPerformanceDayAdmin(admin.ModelAdmin):
    list_display = ["meta_ad_id", "date", "source", "impressions", "clicks", "ctr", "spend", "conversions", "roas",
                    "campaign_objective", "account"]
    list_filter = ["source", "campaign_objective", "account"]
    search_fields = ["meta_ad_id", "ad_name"]
    date_hierarchy = "date"
    list_select_related = ["account__brand"]


@admin.register(AdMapping)
class AdMappingAdmin(admin.ModelAdmin):
    list_display = ["generated_ad", "meta_ad_id", "origin", "account", "created_by", "created_at"]
    list_filter = ["origin", "account"]
    search_fields = ["meta_ad_id", "generated_ad__id"]
    raw_id_fields = ["generated_ad"]
    list_select_related = ["account__brand", "created_by"]


class _ReadOnly(admin.ModelAdmin):
    """Rebuilt by creative_genome_update / genome_validation: nothing here is edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdReward)
class AdRewardAdmin(_ReadOnly):
    list_display = ["generated_ad", "brand", "reward", "weight", "source", "launched", "objective", "impressions",
                    "ctr", "days_with_data", "computed_at"]
    list_filter = ["source", "launched", "objective", "brand"]
    search_fields = ["generated_ad__id"]
    list_select_related = ["brand"]


@admin.register(ElementScore)
class ElementScoreAdmin(_ReadOnly):
    list_display = ["brand", "product", "dimension", "value", "mean", "ci_low", "ci_high", "alpha", "beta",
                    "matured_ads", "updated_at"]
    list_filter = ["dimension", "brand"]
    search_fields = ["value"]
    list_select_related = ["brand", "product"]


@admin.register(AttributionFinding)
class AttributionFindingAdmin(_ReadOnly):
    list_display = ["brand", "dimension", "value", "effect", "pooled_effect", "strata_agreeing", "strata", "reported",
                    "simpson", "label"]
    list_filter = ["reported", "simpson", "dimension", "brand"]


@admin.register(GenomeState)
class GenomeStateAdmin(_ReadOnly):
    list_display = ["brand", "cold_start_level", "days_of_data", "matured_ads", "exploration_rate", "updated_at"]


@admin.register(SystemAlert)
class SystemAlertAdmin(admin.ModelAdmin):
    list_display = ["brand", "metric", "level", "status", "value", "threshold", "opened_at", "last_seen_at",
                    "resolved_at"]
    list_filter = ["status", "level", "metric", "brand"]
    readonly_fields = ["brand", "metric", "level", "status", "value", "threshold", "message", "action", "opened_at",
                       "last_seen_at", "resolved_at"]

    def has_add_permission(self, request):
        return False  # alerts are opened and resolved by genome_validation from the metrics
