from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "adcreator.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from adcreator.api import pydantic_schema  # noqa: F401  (registers the request-schema extension)
        from adcreator.api import tokens

        tokens.connect_signals()
