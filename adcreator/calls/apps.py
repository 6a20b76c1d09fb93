from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "adcreator.calls"
    label = "calls"
    verbose_name = "Call ledger"
