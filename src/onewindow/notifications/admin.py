"""Administration of the outbox: subscriptions (created through the service, the secret
shown once), events with their deliveries, failures with a resend action, every attempt."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from onewindow.core.errors import DomainError
from onewindow.notifications import models, services


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label="推送地址 Endpoint URL", max_length=400, assume_scheme="https")
    reason = forms.CharField(label="理由 Reason", max_length=300)

    class Meta:
        model = models.Subscription
        fields = ("department", "name", "url", "event_types", "timeout_seconds")


@admin.register(models.Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("department", "name", "url", "event_types", "is_active")
    list_filter = ("is_active", "department")
    actions = ("activate", "deactivate")
    form = SubscriptionForm

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        subscription, secret = services.create_subscription(
            department_code=data["department"].code,
            name=data["name"],
            url=data["url"],
            event_types=data["event_types"],
            timeout_seconds=data["timeout_seconds"],
            actor=f"user:{request.user.pk}",
            reason=data["reason"],
        )
        obj.pk = subscription.pk
        messages.warning(request, f"签名密钥（只显示一次）Signing secret (shown once): {secret}")

    def _set_active(self, request: HttpRequest, rows: QuerySet[Any], active: bool) -> None:
        for row in rows:
            services.set_subscription_active(
                subscription_id=row.pk,
                active=active,
                actor=f"user:{request.user.pk}",
                reason="管理员在后台操作 administrator action",
            )

    @admin.action(description="启用 Activate")
    def activate(self, request: HttpRequest, rows: QuerySet[Any]) -> None:
        self._set_active(request, rows, True)

    @admin.action(description="停用 Deactivate")
    def deactivate(self, request: HttpRequest, rows: QuerySet[Any]) -> None:
        self._set_active(request, rows, False)


class AttemptInline(ReadOnlyInline):
    model = models.DeliveryAttempt
    fields = (
        "number",
        "started_at",
        "outcome",
        "status_code",
        "error",
        "response_body",
        "duration_ms",
        "worker",
    )
    readonly_fields = fields


class DeliveryInline(ReadOnlyInline):
    model = models.Delivery
    fields = ("subscription", "status", "attempts", "next_attempt_at", "delivered_at", "last_error")
    readonly_fields = fields


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event_type", "subject", "event_id", "actor")
    list_filter = ("event_type",)
    search_fields = ("event_id", "subject")
    inlines = (DeliveryInline,)
    show_full_result_count = False


@admin.register(models.Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """The failures view: filter by status "failed", select, and resend."""

    list_display = ("event", "subscription", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "subscription__department")
    search_fields = ("event__event_id", "subject")
    inlines = (AttemptInline,)
    actions = ("resend",)
    show_full_result_count = False

    @admin.action(description="重新推送 Resend failed deliveries")
    def resend(self, request: HttpRequest, rows: QuerySet[Any]) -> None:
        done = 0
        for row in rows:
            try:
                services.resend_delivery(
                    delivery_id=row.pk,
                    actor=f"user:{request.user.pk}",
                    reason="管理员在失败列表中重新推送 resent from the failures view",
                )
                done += 1
            except DomainError as exc:
                messages.error(request, f"{row.pk}: {exc.message_zh} / {exc.message_en}")
        if done:
            messages.success(request, f"已重新推送 {done} 条 / {done} resent")


@admin.register(models.IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ("scope", "key", "created_at", "result")
    search_fields = ("key",)
