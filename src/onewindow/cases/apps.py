from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    label = "cases"
    verbose_name = "办件 Cases"

    def ready(self) -> None:
        from onewindow.cases import snapshots
        from onewindow.cases.process import CaseProcessHandler
        from onewindow.ledger.registry import register_subject
        from onewindow.workflow.hooks import register_subject_handler

        register_subject(
            "case", snapshots.snapshot_by_number, snapshots.all_numbers, snapshots.location_of
        )
        register_subject_handler("case", CaseProcessHandler())
