"""Admin for the working-day calendar: next year's State Council notice is entered here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from onewindow.core import services
from onewindow.core.models import HolidaySchedule


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(admin.ModelAdmin):
    list_display = ("year", "notice_url", "updated_at", "updated_by")
    fields = (
        "year",
        "off_days",
        "adjusted_working_days",
        "notice_url",
        "other_notice_urls",
        "change_reason",
        "updated_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("updated_by", "created_at", "updated_at")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "notice_url":
            kwargs["assume_scheme"] = "https"  # gov.cn notices are served over https
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A schedule belongs to its year; to move it, delete it and add the other year.
        return (*self.readonly_fields, "year") if obj is not None else self.readonly_fields

    def save_model(
        self, request: HttpRequest, obj: HolidaySchedule, form: Any, change: bool
    ) -> None:
        # Through the service, so the cached calendar is dropped (the form already ran clean()).
        saved = services.save_holiday_schedule(
            year=obj.year,
            off_days=obj.off_days,
            adjusted_working_days=obj.adjusted_working_days,
            notice_url=obj.notice_url,
            other_notice_urls=obj.other_notice_urls,
            actor=request.user.get_username(),
            reason=obj.change_reason or ("admin change" if change else "admin add"),
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: HolidaySchedule) -> None:
        services.delete_holiday_schedule(
            year=obj.year, actor=request.user.get_username(), reason="admin delete"
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HolidaySchedule]) -> None:
        for year in list(queryset.values_list("year", flat=True)):
            services.delete_holiday_schedule(
                year=year, actor=request.user.get_username(), reason="admin delete"
            )
