"""Pages of experiments and winner evolution."""

from django.urls import path

from experiments import views, views_edit

urlpatterns = [
    path("experiments/", views.experiment_list, name="experiments"),
    path("experiments/new/", views.experiment_new, name="experiment-new"),
    path("experiments/<id:experiment_id>/", views.experiment_detail, name="experiment-detail"),
    path("experiments/<id:experiment_id>/plan/", views.experiment_plan, name="experiment-plan"),
    path("experiments/<id:experiment_id>/confirm-budget/", views.experiment_confirm, name="experiment-confirm"),
    path("experiments/<id:experiment_id>/generate-arms/", views.experiment_generate, name="experiment-generate"),
    path("experiments/<id:experiment_id>/check-arms/", views.experiment_check, name="experiment-check"),
    path("experiments/<id:experiment_id>/deploy/", views.experiment_deploy_view, name="experiment-deploy"),
    path("experiments/<id:experiment_id>/analyse/", views.experiment_analyse_now, name="experiment-analyse"),
    path("experiments/<id:experiment_id>/stop/", views.experiment_stop_view, name="experiment-stop"),
    path("ads/<id:ad_id>/evolve/", views.ad_evolve, name="ad-evolve"),
    path("ads/<id:ad_id>/edit-headline/", views_edit.ad_edit_headline, name="ad-edit-headline"),
]
