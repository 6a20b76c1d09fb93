from django.urls import path

from templates import views

urlpatterns = [
    path("templates/<id:template_id>/image/", views.template_thumbnail, name="template-image"),
    path("templates/own/", views.own_templates, name="own-templates"),
]
