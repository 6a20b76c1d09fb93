"""API routes of experiments and winner evolution (mounted under /api/v1/ by the project's urls)."""

from django.urls import path

from experiments import api

urlpatterns = [
    path("experiments/", api.ExperimentListCreateView.as_view(), name="experiments"),
    path("experiments/plan/", api.CalculatorView.as_view(), name="experiments-plan-preview"),
    path("experiments/<id:pk>/", api.ExperimentDetailView.as_view(), name="experiment-detail"),
    path("experiments/<id:pk>/plan/", api.ExperimentPlanView.as_view(), name="experiment-plan"),
    path("experiments/<id:pk>/confirm-budget/", api.ConfirmBudgetView.as_view(), name="experiment-confirm-budget"),
    path("experiments/<id:pk>/generate-arms/", api.GenerateArmsView.as_view(), name="experiment-generate-arms"),
    path("experiments/<id:pk>/check-arms/", api.CheckArmsView.as_view(), name="experiment-check-arms"),
    path("experiments/<id:pk>/deploy/", api.DeployView.as_view(), name="experiment-deploy"),
    path("experiments/<id:pk>/stop/", api.StopView.as_view(), name="experiment-stop"),
    path("experiments/<id:pk>/analyse/", api.AnalyseNowView.as_view(), name="experiment-analyse"),
    path("experiments/<id:pk>/arms/", api.ArmListView.as_view(), name="experiment-arms"),
    path("experiments/<id:pk>/analysis/", api.AnalysisListView.as_view(), name="experiment-analysis"),
    path("causal-effects/", api.CausalEffectListView.as_view(), name="causal-effects"),
    path("lineage/", api.LineageListView.as_view(), name="lineage"),
    path("evolution/success/", api.EvolutionSuccessView.as_view(), name="evolution-success"),
    path("ads/<id:pk>/evolve/", api.EvolveView.as_view(), name="ad-evolve-api"),
    path("ads/<id:pk>/edit-headline/", api.HeadlineEditView.as_view(), name="ad-edit-headline-api"),
]
