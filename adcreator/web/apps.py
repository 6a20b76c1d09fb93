from django.apps import AppConfig


class WebConfig(AppConfig):
    """The shared web core: base template, login, static files, the API's error shape and auth.

    It imports no app; each app's pages and API views build on it."""

    name = "adcreator.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.urls import register_converter

        from adcreator.api import pydantic_schema  # noqa: F401  (registers the request-schema extension)
        from adcreator.web.fields import IdConverter

        # `<id:…>` in every app's URLs: digits within the primary-key range, else a 404.
        register_converter(IdConverter, "id")
