from django.contrib import admin

from onewindow.cases.models import Case, CaseEvent, Material


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("created_at", "name", "actor_label", "reason", "status_after", "ledger_sequence")
    readonly_fields = fields


class MaterialInline(ReadOnlyInline):
    model = Material
    fields = ("material_type", "original_name", "content_type", "size", "sha256", "superseded")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the case services (timeline + ledger)."""

    list_display = (
        "number",
        "service_item",
        "status",
        "home_jurisdiction_name",
        "intake_centre",
        "submitted_at",
        "promised_date",
    )
    list_filter = ("status", "home_jurisdiction_name", "intake_mode")
    search_fields = ("number", "applicant__name")
    inlines = [CaseEventInline, MaterialInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
