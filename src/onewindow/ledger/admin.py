"""Read-only admin views of the ledger: nothing here can add, change or delete a row."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onewindow.ledger.models import (
    Checkpoint,
    CheckpointCosignature,
    LedgerCosignature,
    LedgerEntry,
    Witness,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "recorded_at", "event", "subject", "actor")
    list_filter = ("event",)
    search_fields = ("=subject", "=request_id", "=actor")
    readonly_fields = ("leaf_hash_base64",)
    exclude = ("leaf_hash",)
    show_full_result_count = False

    @admin.display(description="leaf hash")
    def leaf_hash_base64(self, obj: LedgerEntry) -> str:
        return base64.b64encode(bytes(obj.leaf_hash)).decode()


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("tree_size", "origin", "issued_at")
    exclude = ("root_hash",)


@admin.register(CheckpointCosignature)
class CheckpointCosignatureAdmin(ReadOnlyAdmin):
    list_display = ("checkpoint", "witness", "timestamp")


@admin.register(LedgerCosignature)
class LedgerCosignatureAdmin(ReadOnlyAdmin):
    list_display = ("entry", "witness", "timestamp")
    exclude = ("signature",)


@admin.register(Witness)
class WitnessAdmin(ReadOnlyAdmin):
    list_display = ("department_code", "name", "display_name", "is_active", "last_cosigned_size")
    exclude = ("public_key", "last_cosigned_root")
