"""The URLconf the API tests use: the project's own (the API is mounted there)."""

from adcreator.urls import urlpatterns  # noqa: F401
