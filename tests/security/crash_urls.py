"""The project's URLs (and its handler500) plus one view that crashes, for the 500 page test."""

from django.urls import path

from adcreator.urls import handler500  # noqa: F401  (handler500: the project's)
from adcreator.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise ZeroDivisionError("a bug")


urlpatterns = [path("crash/", crash), *project_urlpatterns]
