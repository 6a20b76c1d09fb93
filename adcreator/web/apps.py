from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "adcreator.web"
    label = "web"
    verbose_name = "Web"
