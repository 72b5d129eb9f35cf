"""Registries jobs (huey): run an administrator's uploaded load in the background."""

from __future__ import annotations

from pathlib import Path

from huey.contrib.djhuey import db_task

from onewindow.registries.loaders import load_file
from onewindow.registries.models import LoadJob


@db_task(name="registries.load")
def run_load(job_id: int) -> None:
    job = LoadJob.objects.get(pk=job_id)
    load_file(
        kind=job.source, path=Path(job.stored_path), actor=job.actor, reason=job.reason, job=job
    )
