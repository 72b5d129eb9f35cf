"""Loading a source's local tables from a CSV or Excel file: every row validated, bad rows
reported with their row number, column, code and message (and skipped), good rows inserted
or updated in batches, progress reported after each batch, one ledger entry per load.

Public: `load_file(*, kind, path, actor, reason, job=None, progress=None) -> LoadJob`,
`KINDS` (what can be loaded), `create_job(...)` for a load to run later (admin upload).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.ledger.services import append_entry
from onewindow.registries.constants import LoadStatus
from onewindow.registries.loaders import fields
from onewindow.registries.loaders.readers import RowReader
from onewindow.registries.loaders.specs import SPECS, LoadSpec
from onewindow.registries.models import LoadJob

KINDS = tuple(SPECS)
BATCH = 2000
MAX_REPORTED_ERRORS = 1000
NULLABLE = {fields.date, fields.decimal}
Progress = Callable[[int, int], None]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def create_job(*, kind: str, filename: str, stored_path: str, actor: str, reason: str) -> LoadJob:
    if kind not in SPECS:
        raise ValidationFailed(
            "load.unknown_kind",
            f"不能导入“{kind}”",
            f"Unknown load kind {kind}",
            details={"kinds": list(KINDS)},
        )
    return LoadJob.objects.create(
        source=kind,
        filename=filename[:200],
        stored_path=stored_path,
        actor=actor,
        reason=reason,
        created_at=timezone.now(),
    )


def _columns(spec: LoadSpec, header: list[str]) -> dict[str, str]:
    """field -> header used in this file; missing required columns are an error."""
    present = {h.strip().lower(): h for h in header}
    found, missing = {}, []
    for column in spec.columns:
        match = next((present[h.lower()] for h in column.headers if h.lower() in present), None)
        if match is not None:
            found[column.field] = match
        elif column.required:
            missing.append(f"{column.headers[0]}（{column.headers[1]}）")
    if missing:
        raise ValidationFailed(
            "load.missing_columns",
            f"文件缺少列：{'、'.join(missing)}",
            f"The file lacks columns: {', '.join(missing)}",
            details={"missing": missing},
        )
    return found


def _parse_row(spec: LoadSpec, used: dict[str, str], raw: dict[str, str]) -> dict[str, Any]:
    """Parsed values, or `RowProblem` whose message starts with the column name."""
    row: dict[str, Any] = {}
    for column in spec.columns:
        text = raw.get(used.get(column.field, ""), "").strip()
        if not text:
            if column.required:
                raise fields.RowProblem("load.required", "必填", "required").at(column)
            row[column.field] = None if column.parse in NULLABLE else ""
            continue
        try:
            row[column.field] = column.parse(text)
        except fields.RowProblem as problem:
            raise problem.at(column) from None
    return spec.check_row(row)


class _Run:
    """State of one load: counts, reported errors, keys seen (duplicates in the file)."""

    def __init__(self, job: LoadJob, spec: LoadSpec, progress: Progress | None) -> None:
        self.job, self.spec, self.progress = job, spec, progress
        self.seen: set[tuple[Any, ...]] = set()
        self.batch: list[dict[str, Any]] = []

    def error(self, number: int, problem: fields.RowProblem) -> None:
        self.job.error_count += 1
        if len(self.job.errors) < MAX_REPORTED_ERRORS:
            self.job.errors.append(
                {
                    "row": number,
                    "column": problem.column,
                    "code": problem.code,
                    "message_zh": problem.message_zh,
                    "message_en": problem.message_en,
                }
            )

    def take(self, number: int, row: dict[str, Any]) -> None:
        key = tuple(row.get(k) for k in self.spec.key)
        if key in self.seen:
            problem = fields.RowProblem("load.duplicate_key", "与前面的行重复", "repeats a row")
            problem.column = ",".join(self.spec.key)
            self.error(number, problem)
            return
        self.seen.add(key)
        self.batch.append(row)

    def flush(self) -> None:
        if self.batch:
            with transaction.atomic():
                self.job.loaded_rows += self.spec.write(self.batch)
            self.batch = []
        LoadJob.objects.filter(pk=self.job.pk).update(
            processed_rows=self.job.processed_rows,
            loaded_rows=self.job.loaded_rows,
            error_count=self.job.error_count,
        )
        if self.progress:
            self.progress(self.job.processed_rows, self.job.total_rows)


def load_file(
    *,
    kind: str,
    path: Path,
    actor: str,
    reason: str,
    job: LoadJob | None = None,
    progress: Progress | None = None,
) -> LoadJob:
    """Load `path` into the tables of `kind`; returns the finished job with its report.
    Bad rows do not stop the load; a bad file (unknown kind, missing columns) does."""
    job = job or create_job(
        kind=kind, filename=path.name, stored_path=str(path), actor=actor, reason=reason
    )
    spec = SPECS[job.source]
    job.status, job.file_sha256 = LoadStatus.RUNNING, _sha256(path)
    try:
        reader = RowReader(path)
        job.total_rows = reader.total
        job.save(update_fields=["status", "file_sha256", "total_rows"])
        header, rows = reader.headers_and_rows()
        used = _columns(spec, header)
        run = _Run(job, spec, progress)
        for number, raw in rows:
            job.processed_rows += 1
            try:
                run.take(number, _parse_row(spec, used, raw))
            except fields.RowProblem as problem:
                run.error(number, problem)
            if len(run.batch) >= BATCH:
                run.flush()
        run.flush()
        job.status = LoadStatus.FINISHED
    except DomainError as exc:
        job.status = LoadStatus.FAILED
        job.errors.append(
            {
                "row": 0,
                "column": "",
                "code": exc.code,
                "message_zh": exc.message_zh,
                "message_en": exc.message_en,
            }
        )
        job.error_count += 1
    _finish(job)
    from onewindow.registries.names.lookup import mark_stale

    mark_stale()
    return job


def _finish(job: LoadJob) -> None:
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save()
        append_entry(
            actor=job.actor,
            event="registry_loaded"
            if job.status == LoadStatus.FINISHED
            else "registry_load_failed",
            subject=f"load:{job.pk}",
            reason=job.reason,
            payload={
                "kind": job.source,
                "file": job.filename,
                "file_sha256": job.file_sha256,
                "rows": job.total_rows,
                "loaded": job.loaded_rows,
                "errors": job.error_count,
            },
        )
