"""API endpoints of experiments and winner evolution. Thin: every one calls the service the pages
call. Lookups start from the user's organizations: another tenant's object is a 404."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from adcreator.api.errors import error_responses, field_errors
from adcreator.api.views import ApiView
from adcreator.catalog.selectors import brands_for, organization_ids_for
from adcreator.jobs.services import job_create
from experiments import serializers as s
from experiments.selectors import (
    causal_effects_visible_to, evolution_success, experiments_visible_to, lineage_visible_to,
)
from experiments.services import (
    ExperimentError, ad_headline_edit, evolution_options, evolution_record_lineage, evolution_submit, experiment_check_arms,
    experiment_confirm_budget, experiment_create, experiment_deploy, experiment_generate_arms, experiment_plan_preview,
    experiment_replan, experiment_stop,
)
from generation.selectors import ads_visible_to

TAGS = ["experiments"]


def _experiments(request):
    return experiments_visible_to(request.user).prefetch_related("arms")


def _answer(experiment, code=status.HTTP_200_OK) -> Response:
    experiment = type(experiment).objects.prefetch_related("arms").get(pk=experiment.pk)
    return Response(s.ExperimentSerializer(experiment).data, status=code)


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except ExperimentError as exc:
        raise field_errors(exc.errors) from None


class ExperimentListCreateView(ApiView):
    serializer_class = s.ExperimentSerializer

    @extend_schema(operation_id="experiments_list", summary="Experiments of your organizations, newest first.",
                   parameters=[s.ExperimentFilterSerializer],
                   responses={200: s.ExperimentSerializer(many=True), **error_responses(400, 401, 404)}, tags=TAGS)
    def get(self, request):
        filters = s.ExperimentFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = _experiments(request)
        if filters.validated_data.get("brand"):
            rows = rows.filter(brand_id=filters.validated_data["brand"])
        if filters.validated_data.get("status"):
            rows = rows.filter(status=filters.validated_data["status"])
        return self.paginated(rows.order_by("-created_at", "-id"), s.ExperimentSerializer)

    @extend_schema(operation_id="experiments_create",
                   summary="Create a draft experiment on one element of an ad: its value is the control, each "
                           "treatment value an arm; planned at once (power and budget).",
                   request=s.ExperimentCreateSerializer,
                   responses={201: s.ExperimentSerializer, **error_responses(400, 401, 403)}, tags=TAGS)
    def post(self, request):
        body = s.ExperimentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        experiment = _call(experiment_create, user=request.user, organization_ids=organization_ids_for(request.user),
                           **body.validated_data)
        return _answer(experiment, status.HTTP_201_CREATED)


class CalculatorView(ApiView):
    serializer_class = s.PlanSerializer

    @extend_schema(operation_id="experiments_plan_preview",
                   summary="Power and budget for a brand: impressions per arm and the spend at its CPM; nothing stored.",
                   request=s.CalculatorInputSerializer, responses={200: s.PlanSerializer, **error_responses(400, 401)},
                   tags=TAGS)
    def post(self, request):
        body = s.CalculatorInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        brand = brands_for(request.user).filter(pk=data.pop("brand_id")).first()
        if brand is None:
            raise field_errors({"brand_id": ["No such brand in your organizations."]})
        plan = _call(experiment_plan_preview, brand=brand, arms=data.pop("treatments") + 1, **data)
        return Response(s.PlanSerializer(plan.as_json()).data)


class ExperimentDetailView(ApiView):
    serializer_class = s.ExperimentSerializer

    @extend_schema(operation_id="experiments_retrieve", summary="One experiment with its arms, plan and verdict.",
                   responses={200: s.ExperimentSerializer, **error_responses(401, 404)}, tags=TAGS)
    def get(self, request, pk: int):
        return _answer(self.scoped_object(_experiments(request), pk))


class _ExperimentAction(ApiView):
    serializer_class = s.ExperimentSerializer
    body_serializer = None

    def body(self, request) -> dict:
        if self.body_serializer is None:
            return {}
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)


def _action(operation_id: str, summary: str, body=None, codes=(400, 401, 403, 404)):
    return extend_schema(operation_id=operation_id, summary=summary, request=body,
                         responses={200: s.ExperimentSerializer, **error_responses(*codes)}, tags=TAGS)


class ExperimentPlanView(_ExperimentAction):
    body_serializer = s.PlanInputSerializer

    @_action("experiments_plan", "Plan again before deployment; a changed budget must be confirmed again.",
             s.PlanInputSerializer)
    def post(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        return _answer(_call(experiment_replan, experiment=experiment, user=request.user, **self.body(request)))


class ConfirmBudgetView(_ExperimentAction):
    body_serializer = s.ConfirmBudgetSerializer

    @_action("experiments_confirm_budget", "Confirm the planned spend (an unconfirmed budget never starts).",
             s.ConfirmBudgetSerializer)
    def post(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        return _answer(_call(experiment_confirm_budget, experiment=experiment, user=request.user, **self.body(request)))


class GenerateArmsView(_ExperimentAction):
    @_action("experiments_generate_arms", "Submit one generation job per arm still without an approved ad.")
    def post(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        _call(experiment_generate_arms, experiment=experiment, user=request.user)
        return _answer(experiment)


class CheckArmsView(_ExperimentAction):
    @_action("experiments_check_arms", "Find the arms' ads and check the hold-constant set; reports what blocks.")
    def post(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        from adcreator.catalog.selectors import require_editor

        require_editor(user=request.user, organization_id=experiment.brand.organization_id)
        experiment_check_arms(experiment=experiment)
        return _answer(experiment)


class DeployView(_ExperimentAction):
    body_serializer = s.DeployInputSerializer

    @_action("experiments_deploy", "Create the paused CBO campaign, one ad set and one ad per arm, on the brand's "
                                   "Meta account (the simulated market switches them on).", s.DeployInputSerializer)
    def post(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        return _answer(_call(experiment_deploy, experiment=experiment, user=request.user, **self.body(request)))


class StopView(_ExperimentAction):
    body_serializer = s.StopInputSerializer

    @_action("experiments_stop", "Stop the experiment before a verdict (its effects are never graded causal).",
             s.StopInputSerializer)
    def post(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        return _answer(_call(experiment_stop, experiment=experiment, user=request.user, **self.body(request)))


class AnalyseNowView(ApiView):
    serializer_class = s.JobRefSerializer

    @extend_schema(operation_id="experiments_analyse", summary="Queue the experiment's analysis now (a job).",
                   request=None, responses={201: s.JobRefSerializer, **error_responses(401, 403, 404)}, tags=TAGS)
    def post(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        from adcreator.catalog.selectors import require_editor

        require_editor(user=request.user, organization_id=experiment.brand.organization_id)
        job = job_create(organization=experiment.brand.organization, brand=experiment.brand,
                         job_type="experiment_analysis", parameters={"experiment_ids": [experiment.pk]},
                         created_by=request.user, name=f"Analysis of {experiment.name}"[:200])
        return Response({"job": job.pk}, status=status.HTTP_201_CREATED)


class ArmListView(ApiView):
    serializer_class = s.ArmSerializer

    @extend_schema(operation_id="experiments_arms", summary="The experiment's arms in position order (control first).",
                   responses={200: s.ArmSerializer(many=True), **error_responses(401, 404)}, tags=TAGS)
    def get(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        return Response(s.ArmSerializer(experiment.arms.order_by("position"), many=True).data)


class AnalysisListView(ApiView):
    serializer_class = s.ExperimentDaySerializer

    @extend_schema(operation_id="experiments_analysis",
                   summary="The decision rule's daily looks: P(best) per arm (position order), its Monte Carlo error, "
                           "the sample-ratio p-value, the decision and its reasons.",
                   responses={200: s.ExperimentDaySerializer(many=True), **error_responses(400, 401, 404)}, tags=TAGS)
    def get(self, request, pk: int):
        experiment = self.scoped_object(_experiments(request), pk)
        return self.paginated(experiment.days.order_by("day"), s.ExperimentDaySerializer)


class CausalEffectListView(ApiView):
    serializer_class = s.CausalEffectSerializer

    @extend_schema(operation_id="causal_effects_list",
                   summary="The causal knowledge base: every finished experiment's effects, graded.",
                   parameters=[s.BrandFilterSerializer],
                   responses={200: s.CausalEffectSerializer(many=True), **error_responses(400, 401, 404)}, tags=TAGS)
    def get(self, request):
        filters = s.BrandFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = causal_effects_visible_to(request.user)
        if filters.validated_data.get("brand"):
            rows = rows.filter(brand_id=filters.validated_data["brand"])
        return self.paginated(rows.order_by("-created_at", "id"), s.CausalEffectSerializer)


class LineageListView(ApiView):
    serializer_class = s.LineageSerializer

    @extend_schema(operation_id="lineage_list", summary="Evolved ads and their parents and ancestors (ad_lineage).",
                   parameters=[s.LineageFilterSerializer],
                   responses={200: s.LineageSerializer(many=True), **error_responses(400, 401, 404)}, tags=TAGS)
    def get(self, request):
        filters = s.LineageFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        for organization_id in organization_ids_for(request.user):
            evolution_record_lineage(organization_id=organization_id)
        rows = lineage_visible_to(request.user)
        wanted = filters.validated_data
        if wanted.get("brand"):
            rows = rows.filter(evolution__brand_id=wanted["brand"])
        if wanted.get("ad"):
            ad = wanted["ad"]
            rows = rows.filter(Q(child_ad_id=ad) | Q(parent_ad_id=ad) | Q(ancestor_ad_id=ad))
        return self.paginated(rows.order_by("-created_at", "-id"), s.LineageSerializer)


class EvolveView(ApiView):
    serializer_class = s.EvolutionOptionsSerializer

    @extend_schema(operation_id="ads_evolve_options",
                   summary="Whether the ad is a winner, and each evolution mode: applies or not (why), the ads it "
                           "would make and their estimated cost.",
                   responses={200: s.EvolutionOptionsSerializer, **error_responses(401, 404)}, tags=TAGS)
    def get(self, request, pk: int):
        ad = self.scoped_object(ads_visible_to(request.user).select_related(
            "ad_run", "ad_run__brand", "ad_run__organization", "ad_run__job_run__job"), pk)
        return Response(s.EvolutionOptionsSerializer(evolution_options(ad=ad)).data)

    @extend_schema(operation_id="ads_evolve",
                   summary="Evolve a winning ad with one mode: one ordinary generation job per variant (worker-first).",
                   request=s.EvolveInputSerializer,
                   responses={201: s.EvolutionSerializer(many=True), **error_responses(400, 401, 403, 404)}, tags=TAGS)
    def post(self, request, pk: int):
        ad = self.scoped_object(ads_visible_to(request.user), pk)
        body = s.EvolveInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = _call(evolution_submit, ad_id=ad.pk, mode=body.validated_data["mode"], user=request.user,
                     organization_ids=organization_ids_for(request.user))
        return Response(s.EvolutionSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


class HeadlineEditView(ApiView):
    serializer_class = s.EvolutionSerializer

    @extend_schema(operation_id="ads_edit_headline",
                   summary="Regenerate one ad with a new headline: an ordinary generation job of the same brief, "
                           "size and colour; the new ad keeps this one as its parent (mode edit).",
                   request=s.HeadlineEditInputSerializer,
                   responses={201: s.EvolutionSerializer, **error_responses(400, 401, 403, 404)}, tags=["ads"])
    def post(self, request, pk: int):
        ad = self.scoped_object(ads_visible_to(request.user), pk)
        body = s.HeadlineEditInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = _call(ad_headline_edit, ad_id=ad.pk, headline=body.validated_data["headline"], user=request.user,
                     organization_ids=organization_ids_for(request.user))
        return Response(s.EvolutionSerializer(made).data, status=status.HTTP_201_CREATED)


class EvolutionSuccessView(ApiView):
    serializer_class = s.EvolutionSuccessSerializer

    @extend_schema(operation_id="evolution_success",
                   summary="Evolved ads against their parents at equal maturity (the spec 11 success metric).",
                   parameters=[s.BrandFilterSerializer],
                   responses={200: s.EvolutionSuccessSerializer, **error_responses(400, 401)}, tags=TAGS)
    def get(self, request):
        filters = s.BrandFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        organization_ids = organization_ids_for(request.user)
        for organization_id in organization_ids:
            evolution_record_lineage(organization_id=organization_id)
        result = evolution_success(organization_ids=organization_ids, brand_id=filters.validated_data.get("brand"))
        return Response(s.EvolutionSuccessSerializer(result).data)
