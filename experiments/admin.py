"""Admin: experiments (read-mostly; actions call the services), the causal knowledge base (read
only: it is what experiments found, never edited by hand), lineage, and the competitor ads that
staff record for counter-creative."""

from __future__ import annotations

from django.contrib import admin, messages

from experiments.models import CausalEffect, Experiment, ExperimentArm, ExperimentDay
from experiments.models_evolution import AdLineage, CompetitorAd, Evolution
from experiments.services import ExperimentError, experiment_check_arms, experiments_analyse_organization


class ArmInline(admin.TabularInline):
    model = ExperimentArm
    extra = 0
    can_delete = False
    fields = ["position", "role", "value", "job", "generated_ad", "check_errors", "meta_adset_id", "meta_ad_id"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "variable", "status", "planned_impressions_per_arm", "budget_estimate",
                    "budget_confirmed_at", "started_on", "ended_at"]
    list_filter = ["status", "variable"]
    search_fields = ["name", "brand__name", "hypothesis"]
    list_select_related = ["brand"]
    inlines = [ArmInline]
    actions = ["check_arms", "analyse_now"]
    # Design, plan and outcome come from the services; only the wording may be edited here.
    readonly_fields = [f.name for f in Experiment._meta.fields if f.name not in ("name", "hypothesis")]

    def has_add_permission(self, request) -> bool:
        return False  # created from an ad on the Experiments page or the API (one service)

    @admin.action(description="Check the arms (hold-constant set, approval)")
    def check_arms(self, request, queryset):
        for experiment in queryset:
            reasons = experiment_check_arms(experiment=experiment)
            self.message_user(request, f"{experiment}: {'ready' if not reasons else '; '.join(reasons)}",
                              messages.SUCCESS if not reasons else messages.WARNING)

    @admin.action(description="Analyse now (running experiments)")
    def analyse_now(self, request, queryset):
        for organization_id in sorted({e.brand.organization_id for e in queryset}):
            ids = [e.pk for e in queryset if e.brand.organization_id == organization_id]
            try:
                result = experiments_analyse_organization(organization_id=organization_id, experiment_ids=ids)
            except ExperimentError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, f"Analysed: {result['experiments']}", messages.SUCCESS)


@admin.register(ExperimentDay)
class ExperimentDayAdmin(admin.ModelAdmin):
    list_display = ["experiment", "day", "date", "decision", "final", "srm_p_value"]
    list_filter = ["decision"]
    readonly_fields = [f.name for f in ExperimentDay._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CausalEffect)
class CausalEffectAdmin(admin.ModelAdmin):
    list_display = ["brand", "dimension", "control_value", "treatment_value", "ate_relative", "ate_relative_low",
                    "ate_relative_high", "grade", "experiment_status", "created_at"]
    list_filter = ["grade", "dimension"]
    search_fields = ["brand__name", "dimension", "treatment_value"]
    list_select_related = ["brand"]
    readonly_fields = [f.name for f in CausalEffect._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CompetitorAd)
class CompetitorAdAdmin(admin.ModelAdmin):
    list_display = ["competitor_name", "brand", "seen_at", "element_tags"]
    list_filter = ["seen_at"]
    search_fields = ["competitor_name", "brand__name", "notes"]
    list_select_related = ["brand"]
    fields = ["brand", "competitor_name", "seen_at", "element_tags", "notes"]
    readonly_fields = []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Evolution)
class EvolutionAdmin(admin.ModelAdmin):
    list_display = ["parent_ad", "mode", "variable", "from_value", "to_value", "round", "job", "created_at"]
    list_filter = ["mode"]
    readonly_fields = [f.name for f in Evolution._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AdLineage)
class AdLineageAdmin(admin.ModelAdmin):
    list_display = ["child_ad", "parent_ad", "ancestor_ad", "round", "mode", "variable", "from_value", "to_value"]
    list_filter = ["mode", "round"]
    readonly_fields = [f.name for f in AdLineage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
