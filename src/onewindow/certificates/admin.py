"""Read-only admin views: every change goes through `services` (ledger, history)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onewindow.certificates.models import (
    Certificate,
    CertificateStatusChange,
    CertificateType,
    SigningKey,
    VerificationLog,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    model = CertificateStatusChange
    extra = 0
    can_delete = False
    readonly_fields = [
        "event",
        "from_status",
        "to_status",
        "actor",
        "reason",
        "changed_at",
        "ledger_sequence",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnly):
    list_display = [
        "number",
        "certificate_type",
        "holder_name",
        "holder_code",
        "status",
        "valid_until",
    ]
    list_filter = ["status", "certificate_type"]
    search_fields = ["number", "holder_name", "holder_code"]
    inlines = [StatusChangeInline]
    exclude = ["payload"]


@admin.register(CertificateType)
class CertificateTypeAdmin(ReadOnly):
    list_display = ["code", "short_code", "kind", "name_zh", "carried_on_licence", "is_active"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnly):
    list_display = [
        "kid",
        "department",
        "algorithm",
        "purpose",
        "status",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["status", "purpose", "algorithm"]
    exclude = ["public_key"]


@admin.register(VerificationLog)
class VerificationLogAdmin(ReadOnly):
    list_display = ["checked_at", "channel", "is_valid", "reason", "certificate_number", "kid"]
    list_filter = ["is_valid", "reason", "channel"]
