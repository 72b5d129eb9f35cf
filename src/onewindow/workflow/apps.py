"""App configuration: registers the timer functions, the ledger subject and the jobs."""

from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "onewindow.workflow"
    label = "workflow"
    verbose_name = "流程引擎 Workflow"

    def ready(self) -> None:
        from onewindow.ledger.registry import register_subject
        from onewindow.workflow import snapshots, tasks, timers

        timers.register()
        register_subject(
            "process", snapshots.snapshot_by_id, snapshots.all_ids, snapshots.location_of
        )
        del tasks  # imported so that huey registers the jobs
