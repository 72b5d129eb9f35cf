"""Check a pack's diagrams before import; every problem names its file, line and what is
wrong: bad XML or XML that is not BPMN 2.0, a diagram SpiffWorkflow cannot build, an unknown
connector id, a user task without a form schema (or with a broken one), an unknown role or
routing, a decision no DMN file defines, an expression or script the sandbox refuses, a call
activity that leads back to its own process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree

from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.workflow import definitions, engine, policies, sandbox
from onewindow.workflow.connectors import registry
from onewindow.workflow.engine.parser import CAMUNDA_NS, NAMESPACES, juel_to_python, literal_timer

SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    problem: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.problem}"
            if self.line
            else f"{self.file}: {self.problem}"
        )


def pack_code(pack_dir: Path) -> str:
    manifest = pack_dir / "pack.yaml"
    if manifest.is_file():
        data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
        return str(data.get("id") or pack_dir.name)
    return pack_dir.name


def as_error(problems: list[Problem]) -> ValidationFailed:
    listing = "; ".join(str(p) for p in problems[:20])
    return ValidationFailed(
        "workflow.pack_invalid",
        f"改革包流程有 {len(problems)} 处问题：{listing}",
        f"The pack's diagrams have {len(problems)} problem(s): {listing}",
        details={"problems": [p.__dict__ for p in problems]},
    )


def _properties(node: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for prop in node.xpath(
        "./bpmn:extensionElements/camunda:properties/camunda:property"
        "|./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property",
        namespaces=NAMESPACES,
    ):
        if prop.get("name"):
            found[prop.get("name")] = prop.get("value", "")
    return found


def _expression(check: Any, source: str | None, where: str, line: int | None) -> list[Problem]:
    if not source or not source.strip():
        return []
    try:
        check(source)
    except DomainError as error:
        return [Problem(where, line, f"{error.message_en} in: {source.strip()[:120]}")]
    return []


def _check_expressions(tree: Any, path: str) -> list[Problem]:
    problems: list[Problem] = []
    xpath = lambda q: tree.xpath(q, namespaces=NAMESPACES)  # noqa: E731
    for node in xpath(
        "//bpmn:conditionExpression|//bpmn:loopCardinality|//bpmn:completionCondition"
    ):
        problems += _expression(
            sandbox.check_expression, juel_to_python(node.text), path, node.sourceline
        )
    for node in xpath("//bpmn:timeDate|//bpmn:timeDuration|//bpmn:timeCycle"):
        problems += _expression(
            sandbox.check_expression, literal_timer(node.text), path, node.sourceline
        )
    for node in xpath(
        "//bpmn:scriptTask/bpmn:script|//spiffworkflow:preScript|//spiffworkflow:postScript"
    ):
        problems += _expression(sandbox.check_script, node.text, path, node.sourceline)
    for node in xpath("//spiffworkflow:messagePayload|//spiffworkflow:parameter"):
        source = node.text if node.tag.endswith("messagePayload") else node.get("value")
        problems += _expression(sandbox.check_expression, source, path, node.sourceline)
    for node in xpath("//*[bpmn:extensionElements]"):
        key = _properties(node).get("correlation_key")
        problems += _expression(sandbox.check_expression, key, path, node.sourceline)
    return problems


def _lanes(tree: Any) -> dict[str, str]:
    return {
        ref.text: ref.getparent().get("name") or ""
        for ref in tree.xpath("//bpmn:lane/bpmn:flowNodeRef", namespaces=NAMESPACES)
        if ref.text
    }


def _check_user_task(pack_dir: Path, path: str, node: Any, lane: str) -> list[Problem]:
    line, task_id = node.sourceline, node.get("id")
    props = _properties(node)
    problems = []
    role = policies.task_role(lane, props.get("role"))
    if role and role not in policies.KNOWN_ROLES:
        problems.append(Problem(path, line, f"user task {task_id}: unknown role '{role}'"))
    for routing in policies.unknown_routings(policies.task_routings(props.get("routing"), role)):
        problems.append(Problem(path, line, f"user task {task_id}: unknown routing '{routing}'"))
    reference = props.get("form")
    if not reference:
        return [
            *problems,
            Problem(path, line, f"user task {task_id}: no form schema (property 'form')"),
        ]
    form_file = definitions.form_path(path, reference)
    try:
        schema = definitions.read_form(pack_dir, form_file)
        Draft202012Validator.check_schema(schema)
    except DomainError as error:
        problems.append(Problem(path, line, f"user task {task_id}: {error.message_en}"))
    except SchemaError as error:
        problems.append(Problem(form_file, None, f"invalid JSON Schema: {error.message}"))
    return problems


def _check_service_task(path: str, node: Any) -> list[Problem]:
    operator = node.find(f"bpmn:extensionElements/{SPIFF}serviceTaskOperator", NAMESPACES)
    if operator is not None:
        connector_id, line = operator.get("id"), operator.sourceline
    else:
        connector_id, line = node.get(f"{{{CAMUNDA_NS}}}topic"), node.sourceline
    if not connector_id:
        return [Problem(path, line, f"service task {node.get('id')}: no connector id")]
    if registry.get(connector_id) is None:
        problem = f"service task {node.get('id')}: unknown connector id '{connector_id}'"
        return [Problem(path, line, problem)]
    return []


def _check_tasks(pack_dir: Path, tree: Any, path: str, decisions: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    lanes = _lanes(tree)
    for node in tree.xpath("//bpmn:userTask", namespaces=NAMESPACES):
        problems += _check_user_task(pack_dir, path, node, lanes.get(node.get("id"), ""))
    for node in tree.xpath("//bpmn:serviceTask", namespaces=NAMESPACES):
        problems += _check_service_task(path, node)
    for node in tree.xpath("//bpmn:businessRuleTask", namespaces=NAMESPACES):
        called = node.find(f"bpmn:extensionElements/{SPIFF}calledDecisionId", NAMESPACES)
        ref = called.text if called is not None else node.get(f"{{{CAMUNDA_NS}}}decisionRef")
        if ref not in decisions:
            line = called.sourceline if called is not None else node.sourceline
            problem = f"business rule task {node.get('id')}: unknown decision '{ref}'"
            problems.append(Problem(path, line, problem))
    return problems


def _check_dmn(pack_dir: Path, decisions: set[str]) -> list[Problem]:
    from onewindow.workflow import dmn

    problems = []
    for file in sorted((pack_dir / "decisions").glob("**/*.dmn")):
        path = file.relative_to(pack_dir).as_posix()
        data = file.read_bytes()
        try:
            decisions.update(engine.decision_ids(data))
        except etree.XMLSyntaxError as error:
            problems.append(Problem(path, error.lineno, f"bad XML: {error.msg}"))
            continue
        problems += [Problem(path, p.line, p.problem) for p in dmn.check_decision(data, path)]
    return problems


def _check_schema(tree: Any, path: str) -> list[Problem]:
    """The BPMN 2.0 schema (with SpiffWorkflow's extension schema), as SpiffArena checks it:
    what a modeller could not open is refused here."""
    from SpiffWorkflow.spiff.parser.process import VALIDATOR

    schema = VALIDATOR.validator
    if schema.validate(tree):
        return []
    return [
        Problem(path, error.line, f"not valid BPMN 2.0: {error.message}")
        for error in list(schema.error_log)[:10]
    ]


def _check_calls(trees: dict[str, Any]) -> list[Problem]:
    """A call activity that leads back to its own process would never stop."""
    calls: dict[str, list[tuple[str, str, int | None]]] = {}
    for path, tree in trees.items():
        for process in tree.xpath("//bpmn:process", namespaces=NAMESPACES):
            calls.setdefault(process.get("id"), [])
            for call in process.xpath(".//bpmn:callActivity", namespaces=NAMESPACES):
                calls[process.get("id")].append((call.get("calledElement"), path, call.sourceline))

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for called, _path, _line in calls.get(start, []):
            if called == target or (
                called not in seen and reaches(called, target, seen | {called})
            ):
                return True
        return False

    problems = []
    for process_id, outgoing in calls.items():
        for called, path, line in outgoing:
            if called == process_id or reaches(called, process_id, {called}):
                problem = (
                    f"call activity in {process_id} calls {called}, which leads back (recursion)"
                )
                problems.append(Problem(path, line, problem))
    return problems


def validate_pack(pack_dir: Path) -> list[Problem]:
    """Every problem of the pack's diagrams, decisions and task forms (empty: fine)."""
    decisions: set[str] = set()
    problems = _check_dmn(pack_dir, decisions)
    files, trees = {}, {}
    for file in sorted((pack_dir / "processes").glob("**/*.bpmn")):
        path = file.relative_to(pack_dir).as_posix()
        try:
            tree = etree.parse(str(file))
        except etree.XMLSyntaxError as error:
            problems.append(Problem(path, error.lineno, f"bad XML: {error.msg}"))
            continue
        files[path], trees[path] = file.read_text(encoding="utf-8"), tree
        problems += _check_schema(tree, path)
        problems += _check_expressions(tree, path)
        problems += _check_tasks(pack_dir, tree, path, decisions)
    problems += _check_calls(trees)
    if problems:
        return problems
    dmn_files = {p: t for p, t in definitions.pack_files(pack_dir).items() if p.endswith(".dmn")}
    try:
        for process_id in definitions.executable_process_ids(files):
            engine.parse_files({**files, **dmn_files}, process_id)
    except ValidationFailed as error:
        details = error.details if isinstance(error.details, dict) else {}
        problems.append(
            Problem(
                details.get("file") or "processes",
                details.get("line"),
                details.get("problem", error.message_en),
            )
        )
    return problems
