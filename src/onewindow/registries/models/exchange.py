"""The data-exchange log (every query to shared data) and administrator file loads."""

from __future__ import annotations

from django.db import models

from onewindow.registries.constants import ExchangeOutcome, LoadStatus, Source


class ExchangeRecord(models.Model):
    """One query to a source: who asked, why, under which legal basis, about whom, and a
    digest of the answer (the answer itself is not kept)."""

    source = models.CharField("数据源 Source", max_length=20, choices=Source.choices)
    operation = models.CharField("操作 Operation", max_length=40)
    implementation = models.CharField("实现 Implementation", max_length=10)
    requester = models.CharField("请求者 Requester", max_length=200)
    requester_department = models.CharField("请求部门 Requesting department", max_length=40)
    source_department = models.CharField(
        "数据所属部门 Data-owning department", max_length=40, db_index=True
    )
    purpose = models.CharField("用途 Purpose", max_length=200)
    legal_basis = models.CharField("法律依据 Legal basis", max_length=300)
    subject = models.CharField("查询对象 Subject", max_length=200, db_index=True)
    reference = models.CharField("关联办件 Reference", max_length=60, blank=True)
    outcome = models.CharField("结果 Outcome", max_length=10, choices=ExchangeOutcome.choices)
    answer_digest = models.CharField("答复摘要 Answer digest (SHA-256)", max_length=64)
    duration_us = models.PositiveIntegerField("耗时 Duration (µs)")
    queried_at = models.DateTimeField("查询时间 Queried at", db_index=True)
    request_id = models.CharField("请求编号 Request id", max_length=64, blank=True)
    ledger_sequence = models.BigIntegerField("存证序号 Ledger sequence", null=True)

    class Meta:
        verbose_name = "数据交换记录 Exchange record"
        verbose_name_plural = "数据交换日志 Data-exchange log"
        ordering = ["-queried_at", "-pk"]
        indexes = [models.Index(fields=["source_department", "-queried_at"])]

    def __str__(self) -> str:
        return f"{self.source}.{self.operation} {self.subject}"


class LoadJob(models.Model):
    """An administrator's load of a CSV or Excel file into one source's local tables."""

    source = models.CharField("数据源 Source", max_length=20, choices=Source.choices)
    filename = models.CharField("文件名 File name", max_length=200)
    stored_path = models.CharField("存储路径 Stored file", max_length=400, blank=True)
    file_sha256 = models.CharField("文件摘要 File SHA-256", max_length=64, blank=True)
    status = models.CharField(
        "状态 Status", max_length=10, choices=LoadStatus.choices, default=LoadStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField("总行数 Rows", default=0)
    processed_rows = models.PositiveIntegerField("已处理 Processed", default=0)
    loaded_rows = models.PositiveIntegerField("已导入 Loaded", default=0)
    error_count = models.PositiveIntegerField("错误行数 Rows with errors", default=0)
    errors = models.JSONField("错误明细 Row errors (first 1,000)", default=list, blank=True)
    actor = models.CharField("操作者 Actor", max_length=200)
    reason = models.CharField("理由 Reason", max_length=300)
    created_at = models.DateTimeField("创建时间 Created at")
    finished_at = models.DateTimeField("完成时间 Finished at", null=True, blank=True)

    class Meta:
        verbose_name = "数据导入 Load job"
        verbose_name_plural = "数据导入 Load jobs"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.filename}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
