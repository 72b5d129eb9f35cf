from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onewindow.core"
    label = "core"
    verbose_name = "核心 Core"

    def ready(self) -> None:
        from django.core import checks

        from onewindow.core.checks import calendar_coverage

        checks.register(calendar_coverage, checks.Tags.database)
