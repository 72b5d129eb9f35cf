"""core models: the working-day calendar's yearly schedules (data, not code: an administrator
adds next year's State Council notice in the admin, or with `manage.py load_holidays`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from onewindow.core.calendar.policy import YearSchedule, make_year_schedule
from onewindow.core.errors import DomainError


class HolidaySchedule(models.Model):
    year = models.PositiveSmallIntegerField("年份 Year", unique=True)
    off_days = models.JSONField(
        "放假日期 Days off",
        default=list,
        help_text="ISO dates (YYYY-MM-DD) of every day off in the notice, weekends included",
    )
    adjusted_working_days = models.JSONField(
        "调休上班日期 Adjusted working days",
        default=list,
        blank=True,
        help_text="ISO dates of weekend days declared working days (调休上班)",
    )
    notice_url = models.URLField("通知网址 Notice URL", max_length=500, blank=True)
    other_notice_urls = models.JSONField("其他通知网址 Other notice URLs", default=list, blank=True)
    updated_by = models.CharField("修改人 Updated by", max_length=150, blank=True)
    change_reason = models.CharField("修改原因 Reason", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间 Created", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间 Updated", auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日安排 Holiday schedule"
        verbose_name_plural = "节假日安排 Holiday schedules"

    def __str__(self) -> str:
        return f"{self.year}"

    def to_schedule(self) -> YearSchedule:
        return make_year_schedule(
            self.year,
            self.off_days,
            self.adjusted_working_days,
            self.notice_url,
            self.other_notice_urls,
        )

    def clean(self) -> None:
        for field in ("off_days", "adjusted_working_days", "other_notice_urls"):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationError({field: "必须是文本列表 Must be a list of strings"})
        try:
            self.to_schedule()
        except DomainError as error:
            raise ValidationError(error.message_zh + " / " + error.message_en) from error
