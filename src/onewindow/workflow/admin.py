"""Admin pages: definitions, instances and inbox items are read-only (they change only through
the workflow services); incidents can be retried by a supervisor from the list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from onewindow.core.errors import DomainError
from onewindow.workflow import services
from onewindow.workflow.models import (
    DecisionRecord,
    Incident,
    ProcessDefinition,
    ProcessInstance,
    TaskItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(ReadOnlyAdmin):
    list_display = ("process_id", "name", "pack_code", "short_hash", "is_current", "imported_at")
    list_filter = ("is_current", "pack_code")
    search_fields = ("process_id", "content_hash")

    @admin.display(description="内容摘要 Hash")
    def short_hash(self, obj: ProcessDefinition) -> str:
        return obj.content_hash[:12]


@admin.register(ProcessInstance)
class ProcessInstanceAdmin(ReadOnlyAdmin):
    list_display = ("pk", "definition", "subject", "status", "version", "started_at", "updated_at")
    list_filter = ("status",)
    search_fields = ("subject", "business_key")
    exclude = ("state",)


@admin.register(TaskItem)
class TaskItemAdmin(ReadOnlyAdmin):
    list_display = ("name", "instance", "role", "jurisdiction_code", "centre", "status", "due_date")
    list_filter = ("status", "role")
    search_fields = ("instance__subject", "name")


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnlyAdmin):
    list_display = ("decision_id", "instance", "spec_id", "created_at", "ledger_sequence")
    search_fields = ("decision_id", "instance__subject")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "instance",
        "kind",
        "spec_id",
        "connector_id",
        "error_code",
        "status",
        "created_at",
    )
    list_filter = ("status", "kind")
    actions = ["retry_selected"]

    @admin.action(description="重试所选异常 Retry the selected incidents")
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[Incident]) -> None:
        for incident in queryset:
            try:
                services.retry_incident(
                    incident_id=incident.pk,
                    actor=request.user,  # type: ignore[arg-type]
                    reason="管理后台重试 Retried from the admin",
                )
            except DomainError as error:
                self.message_user(
                    request,
                    f"#{incident.pk}: {error.message_zh} / {error.message_en}",
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"#{incident.pk}: 已重试 retried", messages.SUCCESS)
