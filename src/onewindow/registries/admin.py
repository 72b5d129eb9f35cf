"""Administration of the registries: read-only views of every source table and the
exchange log (changes come from loads and services), and file loads with a progress bar
and the row-level error report."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from onewindow.core.identifiers import mask_resident_id
from onewindow.registries import models
from onewindow.registries.loaders import KINDS, create_job


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.MarketEntity)
class MarketEntityAdmin(ReadOnlyAdmin):
    list_display = ("uscc", "name", "entity_type", "status", "registration_authority", "origin")
    list_filter = ("entity_type", "status", "origin")
    search_fields = ("uscc", "name")
    show_full_result_count = False
    exclude = ("legal_representative_id",)


@admin.register(models.EnterpriseName)
class EnterpriseNameAdmin(ReadOnlyAdmin):
    list_display = ("name", "status", "region_code", "industry_key", "trade_name", "trade_pinyin")
    list_filter = ("status",)
    search_fields = ("name",)
    show_full_result_count = False


@admin.register(models.IndustryCode)
class IndustryCodeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent_code", "section")
    list_filter = ("level", "section")
    search_fields = ("code", "name")


@admin.register(models.ScopeEntry)
class ScopeEntryAdmin(ReadOnlyAdmin):
    list_display = ("code", "wording", "kind", "permit_name", "approving_department")
    list_filter = ("kind", "department_code")
    search_fields = ("code", "wording", "permit_name")


@admin.register(models.AddressHost)
class AddressHostAdmin(ReadOnlyAdmin):
    list_display = ("uscc", "name", "is_active")
    search_fields = ("uscc", "name")


@admin.register(models.HostedAddress)
class HostedAddressAdmin(ReadOnlyAdmin):
    list_display = ("address", "host", "capacity", "occupied", "valid_until", "confirmed_at")
    search_fields = ("address", "host__name")


@admin.register(models.PropertyRecord)
class PropertyRecordAdmin(ReadOnlyAdmin):
    list_display = ("certificate_number", "address", "use")
    list_filter = ("use",)
    search_fields = ("certificate_number", "address")
    exclude = ("owner_identifier",)


@admin.register(models.ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ("kind", "name", "masked_identifier", "authority", "listed_on", "removed_on")
    list_filter = ("kind",)
    search_fields = ("identifier", "name", "document_number")

    @admin.display(description="证件号 Identifier")
    def masked_identifier(self, obj: models.ListEntry) -> str:
        return (
            mask_resident_id(obj.identifier)
            if obj.identifier_kind == "resident_id"
            else obj.identifier
        )


@admin.register(models.CreditRating)
class CreditRatingAdmin(ReadOnlyAdmin):
    list_display = ("identifier_kind", "grade", "rated_on", "authority")
    list_filter = ("grade", "identifier_kind")


@admin.register(models.VerifiedIdentity)
class VerifiedIdentityAdmin(ReadOnlyAdmin):
    list_display = ("name", "masked_id", "verified_on")
    exclude = ("resident_id", "photo_hash")

    @admin.display(description="公民身份号码 Resident ID")
    def masked_id(self, obj: models.VerifiedIdentity) -> str:
        return mask_resident_id(obj.resident_id)


@admin.register(models.UsccSequence)
class UsccSequenceAdmin(ReadOnlyAdmin):
    list_display = ("authority_division", "block", "last")


@admin.register(models.ExchangeRecord)
class ExchangeRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "queried_at",
        "source",
        "operation",
        "requester",
        "purpose",
        "subject",
        "outcome",
    )
    list_filter = ("source", "outcome", "source_department", "implementation")
    search_fields = ("subject", "requester", "reference", "purpose")
    date_hierarchy = "queried_at"
    show_full_result_count = False


class LoadForm(forms.ModelForm):
    file = forms.FileField(label="文件 File (CSV or xlsx)")
    source = forms.ChoiceField(label="数据 Kind", choices=[(k, k) for k in KINDS])

    class Meta:
        model = models.LoadJob
        fields = ("source", "reason")


@admin.register(models.LoadJob)
class LoadJobAdmin(admin.ModelAdmin):
    """Add = upload a file; the load runs as a job. The page shows its progress and errors."""

    list_display = (
        "created_at",
        "source",
        "filename",
        "status",
        "progress",
        "loaded_rows",
        "error_count",
    )
    list_filter = ("source", "status")
    readonly_fields = ("progress", "error_report")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = LoadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("source", "file", "reason")
        return (
            "source",
            "filename",
            "status",
            "progress",
            "loaded_rows",
            "error_count",
            "error_report",
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        upload = form.cleaned_data["file"]
        folder = Path(settings.STORAGE_PATH) / "registry-loads"
        folder.mkdir(parents=True, exist_ok=True)
        stored = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
        with stored.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job = create_job(
            kind=form.cleaned_data["source"],
            filename=upload.name,
            stored_path=str(stored),
            actor=f"user:{request.user.pk}",
            reason=form.cleaned_data["reason"],
        )
        obj.pk = job.pk
        from onewindow.registries.tasks import run_load

        run_load(job.pk)

    @admin.display(description="进度 Progress")
    def progress(self, obj: models.LoadJob) -> str:
        return format_html(
            '<progress max="100" value="{}" aria-label="{}">{}%</progress> {}%',
            obj.percent,
            "导入进度 load progress",
            obj.percent,
            obj.percent,
        )

    @admin.display(description="错误明细 Row errors")
    def error_report(self, obj: models.LoadJob) -> str:
        if not obj.errors:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td></tr>",
            (
                (e["row"], e["column"], e["code"], e["message_zh"], e["message_en"])
                for e in obj.errors
            ),
        )
        return format_html(
            "<table><thead><tr><th>行 Row</th><th>列 Column</th><th>代码 Code</th>"
            "<th>说明 Message</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )
