from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "onewindow.registries"
    label = "registries"
