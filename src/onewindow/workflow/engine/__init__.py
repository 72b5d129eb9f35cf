"""The SpiffWorkflow integration, free of the ORM: parse a definition's files, start or restore
a workflow with the restricted script engine, and dump its state.

* `parse_files(files, process_id) -> ParsedDefinition` — BPMN and DMN texts by path.
* `new_workflow(parsed, data, run)` / `restore(parsed, state, state_format, run)`.
* `serializer.dump(workflow)`; `view` reads what a workflow waits for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.workflow.engine import serializer
from onewindow.workflow.engine.parser import OneWindowParser
from onewindow.workflow.engine.runtime import Run
from onewindow.workflow.engine.scripting import OneWindowScriptEngine


@dataclass
class ParsedDefinition:
    process_id: str
    spec: Any
    subprocess_specs: dict[str, Any]
    decision_sources: Mapping[str, bytes]
    """DMN decision id -> the XML of the file that defines it."""
    decision_files: Mapping[str, str]
    """DMN decision id -> the path of that file."""
    files_used: list[str]
    decisions: dict[str, Any] = field(default_factory=dict)
    """Loaded `dmn.DecisionDefinition`s by id, filled on first use."""

    def decision(self, decision_id: str) -> Any:
        from onewindow.workflow import dmn

        if decision_id not in self.decisions:
            source = self.decision_sources.get(decision_id)
            if source is None:
                source = next(
                    (x for x in self.decision_sources.values() if decision_id in _names(x)), None
                )
            if source is None:
                raise ValidationFailed(
                    "workflow.decision_unknown",
                    f"未找到决策表 {decision_id}",
                    f"No DMN decision '{decision_id}' in this definition",
                    details={"decision": decision_id, "known": sorted(self.decision_sources)},
                )
            self.decisions[decision_id] = dmn.load_decision(source, decision_id)
        return self.decisions[decision_id]


def _names(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return [str(d.get("name")) for d in root.xpath("//*[local-name()='decision']")]


def decision_ids(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return [str(d.get("id")) for d in root.xpath("//*[local-name()='decision']") if d.get("id")]


def parse_error(error: Exception, path: str | None = None) -> ValidationFailed:
    """A BPMN problem as a domain error naming the file, line and problem."""
    file_name = getattr(error, "file_name", None) or path or ""
    line = getattr(error, "line_number", None) or getattr(error, "sourceline", None)
    problem = str(getattr(error, "msg", None) or error).strip()
    where = f"{file_name}:{line}" if line else file_name
    return ValidationFailed(
        "workflow.bpmn_invalid",
        f"{where}：{problem}",
        f"{where}: {problem}",
        details={"file": file_name, "line": line, "problem": problem},
    )


def all_specs(parsed: ParsedDefinition) -> list[Any]:
    """The main process spec and the specs of every process it calls or embeds."""
    return [parsed.spec, *[s for s in parsed.subprocess_specs.values() if s is not None]]


def parse_files(files: Mapping[str, str], process_id: str) -> ParsedDefinition:
    """Parse the BPMN and DMN texts of a definition and build the spec of `process_id`."""
    parser = OneWindowParser()
    sources: dict[str, bytes] = {}
    decision_files: dict[str, str] = {}
    for path in sorted(files):
        data = files[path].encode("utf-8")
        try:
            if path.endswith(".dmn"):
                for decision_id in decision_ids(data):
                    sources[decision_id] = data
                    decision_files[decision_id] = path
            else:
                parser.add_bpmn_str(data, filename=path)
        except (ValidationException, etree.XMLSyntaxError) as error:
            raise parse_error(error, path) from error
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as error:
        raise parse_error(error) from error
    used = {parser.get_process_parser(process_id).filename}
    for name in subprocess_specs:
        sub = parser.get_process_parser(name)
        if sub is not None:
            used.add(sub.filename)
    return ParsedDefinition(
        process_id=process_id,
        spec=spec,
        subprocess_specs=subprocess_specs,
        decision_sources=sources,
        decision_files=decision_files,
        files_used=sorted(u for u in used if u),
    )


MAX_STEPS = 5000
MAX_SUBPROCESSES = 200
"""Engine steps one advance may take. A diagram that loops without ever waiting (a cycle of
script tasks and gateways, a call activity calling itself) would otherwise hold the worker
forever; it fails with `workflow.too_many_steps` instead."""


def run_steps(workflow: BpmnWorkflow, limit: int = MAX_STEPS) -> None:
    """`do_engine_steps`, bounded: run every automatic step until the workflow waits."""
    count = 0

    def counted(task: Any) -> None:
        nonlocal count
        count += 1
        if count > limit or len(workflow.subprocesses) > MAX_SUBPROCESSES:
            step = getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
            raise DomainError(
                "workflow.too_many_steps",
                f"流程在环节 {step} 附近运行超过 {limit} 步仍未停下（可能是无等待的循环）",
                f"The process ran more than {limit} steps without waiting, near step {step} "
                "(a loop with no wait, or a call activity calling itself)",
                details={"step": step, "limit": limit},
                status=422,
            )

    workflow.do_engine_steps(will_complete_task=counted)


def parse_collaboration(files: Mapping[str, str], collaboration_id: str) -> ParsedDefinition:
    """A collaboration (pools talking by messages) as one workflow whose participants run as
    sub-processes; used to run multi-participant models (conformance)."""
    parser = OneWindowParser()
    for path in sorted(files):
        if path.endswith(".bpmn"):
            try:
                parser.add_bpmn_str(files[path].encode("utf-8"), filename=path)
            except (ValidationException, etree.XMLSyntaxError) as error:
                raise parse_error(error, path) from error
    try:
        spec, subprocess_specs = parser.get_collaboration(collaboration_id)
    except (ValidationException, KeyError) as error:
        raise parse_error(error) from error
    return ParsedDefinition(
        process_id=collaboration_id,
        spec=spec,
        subprocess_specs=subprocess_specs,
        decision_sources={},
        decision_files={},
        files_used=sorted(f for f in files if f.endswith(".bpmn")),
    )


def _attach(workflow: BpmnWorkflow, run: Run) -> BpmnWorkflow:
    workflow.script_engine = OneWindowScriptEngine(run)
    return workflow


def new_workflow(parsed: ParsedDefinition, data: Mapping[str, Any], run: Run) -> BpmnWorkflow:
    """A fresh workflow whose start data is `data` (nothing has run yet)."""
    workflow = BpmnWorkflow(
        parsed.spec, parsed.subprocess_specs, script_engine=OneWindowScriptEngine(run)
    )
    workflow.task_tree.data.update(data)
    for task in workflow.task_tree.children:
        task.data.update(data)
    return workflow


def restore(parsed: ParsedDefinition, state: str, state_format: int, run: Run) -> BpmnWorkflow:
    workflow = serializer.load(state, state_format, parsed.spec, parsed.subprocess_specs)
    return _attach(workflow, run)
