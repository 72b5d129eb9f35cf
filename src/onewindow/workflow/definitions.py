"""Process definitions from packs: gather the files one process uses, hash them, store them
(`ProcessDefinition`), and keep the parsed spec of each hash in memory.

Pack layout: `processes/*.bpmn` (any number of processes per file), `decisions/*.dmn`, and
task form schemas referenced from a user task's `form` property, relative to its BPMN file
(e.g. `form = forms/review.schema.json` -> `processes/forms/review.schema.json`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.ledger.services import append_entry
from onewindow.workflow import engine
from onewindow.workflow.engine.runtime import properties_of
from onewindow.workflow.engine.specs import DecisionTask
from onewindow.workflow.models import ProcessDefinition

_CACHE_SIZE = 64
_cache: OrderedDict[str, engine.ParsedDefinition] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class Bundle:
    """Everything one process needs, as imported: texts by pack-relative path, form schemas
    by task id."""

    process_id: str
    name: str
    source_file: str
    files: dict[str, str]
    forms: dict[str, Any]

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(
            {"process_id": self.process_id, "files": self.files, "forms": self.forms},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def pack_files(pack_dir: Path) -> dict[str, str]:
    """The BPMN and DMN texts of a pack, by pack-relative POSIX path."""
    found = [*sorted((pack_dir / "processes").glob("**/*.bpmn"))]
    found += sorted((pack_dir / "decisions").glob("**/*.dmn"))
    return {p.relative_to(pack_dir).as_posix(): p.read_text(encoding="utf-8") for p in found}


def user_tasks(parsed: engine.ParsedDefinition) -> list[tuple[str, Any]]:
    """(BPMN file, task spec) of every user or manual task the definition may run."""
    return [
        (str(spec.file or ""), t)
        for spec in engine.all_specs(parsed)
        for t in spec.task_specs.values()
        if getattr(t, "manual", False) and getattr(t, "bpmn_id", None)
    ]


def decision_tasks(parsed: engine.ParsedDefinition) -> list[tuple[str, DecisionTask]]:
    return [
        (str(spec.file or ""), t)
        for spec in engine.all_specs(parsed)
        for t in spec.task_specs.values()
        if isinstance(t, DecisionTask)
    ]


def form_path(bpmn_file: str, reference: str) -> str:
    return (PurePosixPath(bpmn_file).parent / reference).as_posix()


def read_form(pack_dir: Path, path: str) -> Any:
    target = (pack_dir / path).resolve()
    if pack_dir.resolve() not in target.parents or not target.is_file():
        raise ValidationFailed(
            "workflow.form_missing",
            f"未找到表单定义 {path}",
            f"Form schema {path} not found",
            details={"file": path},
        )
    try:
        return json.loads(target.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValidationFailed(
            "workflow.form_invalid_json",
            f"{path} 不是有效的 JSON：{exc}",
            f"{path} is not valid JSON: {exc}",
            details={"file": path},
        ) from exc


def bundle_of(pack_dir: Path, files: dict[str, str], process_id: str) -> Bundle:
    """The bundle of one process: the BPMN files it uses, the DMN files of the decisions it
    calls, the form schemas of its user tasks."""
    parsed = engine.parse_files(files, process_id)
    used = {path: files[path] for path in parsed.files_used}
    for _file, task in decision_tasks(parsed):
        path = parsed.decision_files.get(task.decision_ref or "")
        if path is not None:
            used[path] = files[path]
    forms: dict[str, Any] = {}
    for bpmn_file, task in user_tasks(parsed):
        reference = properties_of(task).get("form")
        if reference:
            forms[task.bpmn_id] = read_form(pack_dir, form_path(bpmn_file, reference))
    return Bundle(
        process_id=process_id,
        name=str(parsed.spec.description or ""),
        source_file=str(parsed.spec.file or ""),
        files=used,
        forms=forms,
    )


def executable_process_ids(files: dict[str, str]) -> list[str]:
    parser = engine.OneWindowParser()
    for path, text in sorted(files.items()):
        if path.endswith(".bpmn"):
            try:
                parser.add_bpmn_str(text.encode("utf-8"), filename=path)
            except Exception as error:
                raise engine.parse_error(error, path) from error
    return sorted(parser.get_process_ids())


@transaction.atomic
def store_bundle(bundle: Bundle, *, pack_code: str, actor: str, reason: str) -> ProcessDefinition:
    """Store a bundle (once per content hash) and make it the current one for its process."""
    content_hash = bundle.content_hash
    definition = ProcessDefinition.objects.filter(content_hash=content_hash).first()
    if definition is not None and definition.is_current:
        return definition
    if definition is None:
        definition = ProcessDefinition.objects.create(
            process_id=bundle.process_id,
            name=bundle.name[:200],
            pack_code=pack_code,
            source_file=bundle.source_file,
            content_hash=content_hash,
            files=bundle.files,
            forms=bundle.forms,
            is_current=True,
            imported_at=timezone.now(),
            imported_by=actor,
        )
    ProcessDefinition.objects.filter(process_id=bundle.process_id).exclude(pk=definition.pk).update(
        is_current=False
    )
    if not definition.is_current:
        definition.is_current = True
        definition.save(update_fields=["is_current"])
    append_entry(
        actor=actor,
        event="process_definition_imported",
        subject=f"process_definition:{content_hash}",
        reason=reason,
        payload={
            "process_id": bundle.process_id,
            "pack": pack_code,
            "files": sorted(bundle.files),
            "forms": sorted(bundle.forms),
        },
    )
    return definition


def parsed(definition: ProcessDefinition) -> engine.ParsedDefinition:
    """The parsed spec of a stored definition (never re-read from the pack)."""
    key = definition.content_hash
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    files = ProcessDefinition.objects.filter(pk=definition.pk).values_list("files", flat=True)
    result = engine.parse_files(files.get(), definition.process_id)
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


_rows: dict[tuple[int, str], ProcessDefinition] = {}


def forget_current() -> None:
    _rows.clear()


def current(process_id: str) -> ProcessDefinition:
    """The definition new instances of `process_id` start on. One small SQL query; the row
    itself (immutable: same id, same hash) is kept in memory after its first read."""
    table = ProcessDefinition._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, content_hash FROM {table} WHERE process_id = %s AND is_current = %s "  # noqa: S608 (table name from the model)
            "ORDER BY imported_at DESC, id DESC LIMIT 1",
            [process_id, True],
        )
        row = cursor.fetchone()
    if row is None:
        return _current_from_database(process_id)  # raises workflow.definition_not_found
    key = (int(row[0]), str(row[1]))
    found = _rows.get(key)
    if found is None:
        if len(_rows) > _CACHE_SIZE:
            _rows.clear()
        found = _rows[key] = ProcessDefinition.objects.defer("files", "forms").get(pk=key[0])
    return found


def _current_from_database(process_id: str) -> ProcessDefinition:
    # The files and forms (all the BPMN text) are read only when not cached already.
    definition = (
        ProcessDefinition.objects.filter(process_id=process_id, is_current=True)
        .defer("files", "forms")
        .order_by("-imported_at", "-pk")
        .first()
    )
    if definition is None:
        raise NotFound(
            "workflow.definition_not_found",
            f"流程 {process_id} 尚未导入",
            f"Process {process_id} has not been imported",
            details={"process_id": process_id},
        )
    return definition
