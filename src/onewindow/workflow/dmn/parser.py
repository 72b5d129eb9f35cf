"""Read DMN 1.1–1.3 XML into `DecisionDefinition`s, compiling every cell for the sandbox.

The XML parser resolves no entities, loads no DTD and touches no network. Every problem
(bad XML, unknown hit policy, a cell the sandbox refuses, a missing required decision, a
boxed expression the engine does not run) is collected with its line, so that pack
validation can list them all; vendor extension attributes (``camunda:``, ``biodi:``, …) are
ignored.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.workflow.sandbox import CompiledExpression, Session, compile_expression

from .feel import MATCH_FUNCTION, FeelError, NameTable, split_top_level, translate, unary_tests
from .model import (
    AGGREGATIONS,
    HIT_POLICIES,
    DecisionDefinition,
    DecisionProblem,
    InputClause,
    OutputClause,
    Rule,
)
from .types import TypeRef, item_definitions, resolve

NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
}
MAX_XML_BYTES = 5_000_000
MAX_CELL_CHARS = 10_000
_META = {
    "variable", "informationRequirement", "knowledgeRequirement", "authorityRequirement",
    "description", "extensionElements", "question", "allowedAnswers", "supportedObjective",
    "impactedPerformanceIndicator", "decisionMaker", "decisionOwner", "usingProcess",
    "usingTask",
}  # fmt: skip
_FUNCTIONS = frozenset({MATCH_FUNCTION})


def compile_cell(
    text: str, *, unary: bool = False, names: NameTable | None = None
) -> CompiledExpression | None:
    """Translate one cell and compile it for the sandbox; None for an empty cell (or "-").

    Raises only `DomainError`: ``dmn.cell_refused`` for text that cannot be translated,
    ``workflow.expression_refused`` for a translation the sandbox refuses.
    """
    names = names if names is not None else NameTable()
    try:
        if len(text) > MAX_CELL_CHARS:
            raise FeelError(
                f"longer than {MAX_CELL_CHARS} characters", f"超过 {MAX_CELL_CHARS} 个字符"
            )
        source = unary_tests(text, names) if unary else (translate(text, names) or None)
    except RecursionError:
        source, error = None, FeelError("nested too deeply", "嵌套过深")
    except FeelError as refused:
        source, error = None, refused
    else:
        if source is None:
            return None
        try:
            return compile_expression(
                source, feel=True, reserved=names.reserved, functions=_FUNCTIONS
            )
        except DomainError as refused:  # positions in the translation would only mislead
            details = refused.details if isinstance(refused.details, dict) else {}
            raise ValidationFailed(
                refused.code,
                f"表达式被拒绝：{details.get('problem_zh', refused.message_zh)}",
                f"Expression refused: {details.get('problem', refused.message_en)}",
                details={"text": text[:200], "problem": details.get("problem")},
            ) from None
    raise ValidationFailed(
        "dmn.cell_refused",
        f"单元格无法解析：{error.message_zh}",
        f"cell cannot be read: {error}",
        details={"text": text[:200]},
    )


class _Broken(Exception):
    """A decision that cannot be built; its problems are already recorded."""


@dataclass
class Document:
    file: str
    version: str = ""
    order: list[str] = field(default_factory=list)
    elements: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, DecisionDefinition] = field(default_factory=dict)
    problems: list[DecisionProblem] = field(default_factory=list)
    names: NameTable = field(default_factory=NameTable)
    namespace: str = ""
    broken: set[str] = field(default_factory=set)
    types: dict[str, TypeRef] = field(default_factory=dict)

    def problem(self, element: Any, code: str, en: str, zh: str, decision: str | None) -> None:
        line = getattr(element, "sourceline", None)
        self.problems.append(DecisionProblem(self.file, line, code, en, zh, decision))


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def read(xml: bytes, file: str = "") -> Document:
    """Parse a DMN document and build every decision in it (problems are collected)."""
    document = Document(file)
    if len(xml) > MAX_XML_BYTES:
        document.problem(None, "dmn.too_large", "file larger than 5 MB", "文件超过 5 MB", None)
        return document
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno
        document.problems.append(
            DecisionProblem(
                file, line, "dmn.bad_xml", f"bad XML: {error.msg}", f"XML 格式错误：{error.msg}"
            )
        )
        return document
    namespace = etree.QName(root).namespace or ""
    if _local(root) != "definitions" or namespace not in NAMESPACES:
        document.problem(
            root,
            "dmn.unsupported_version",
            f"not a DMN 1.1–1.3 document (root {root.tag})",
            f"不是 DMN 1.1–1.3 文档（根元素 {root.tag}）",
            None,
        )
        return document
    document.version, document.namespace = NAMESPACES[namespace], namespace
    document.types = item_definitions(root)
    names: list[str] = []
    for element in root.iter():
        if _local(element) in ("inputData", "decision", "businessKnowledgeModel", "variable"):
            names.append(element.get("name") or "")
        if _local(element) == "decision":
            decision_id = element.get("id") or element.get("name") or ""
            document.order.append(decision_id)
            document.elements[decision_id] = element
    document.names = NameTable.of(names)
    if not document.order:
        document.problem(root, "dmn.no_decision", "no decision in the file", "文件中没有决策", None)
    for decision_id in document.order:
        with suppress(_Broken):  # its problems are recorded
            _build(document, decision_id, ())
    return document


def _build(document: Document, decision_id: str, path: tuple[str, ...]) -> DecisionDefinition:
    """Build a decision after the decisions it requires (memoised; broken ones remembered)."""
    if decision_id in document.decisions:
        return document.decisions[decision_id]
    if decision_id in document.broken:
        raise _Broken
    try:
        definition = _build_one(document, decision_id, path)
    except _Broken:
        document.broken.add(decision_id)
        raise
    document.decisions[decision_id] = definition
    return definition


def _build_one(document: Document, decision_id: str, path: tuple[str, ...]) -> DecisionDefinition:
    element = document.elements[decision_id]
    if decision_id in path:
        document.problem(
            element,
            "dmn.cycle",
            f"decision {decision_id} requires itself",
            f"决策 {decision_id} 循环依赖",
            decision_id,
        )
        raise _Broken
    requires: list[DecisionDefinition] = []
    for requirement in element.iter(f"{{{document.namespace}}}requiredDecision"):
        target = (requirement.get("href") or "").lstrip("#")
        if target not in document.elements:
            document.problem(
                requirement,
                "dmn.missing_decision",
                f"decision {decision_id} requires unknown decision {target!r}",
                f"决策 {decision_id} 依赖的决策 {target!r} 不存在",
                decision_id,
            )
            raise _Broken
        if target not in {r.id for r in requires}:
            requires.append(_build(document, target, (*path, decision_id)))
    return _Builder(document, decision_id, element).build(tuple(requires))


class _Builder:
    def __init__(self, document: Document, decision_id: str, element: Any) -> None:
        self.document = document
        self.decision_id = decision_id
        self.element = element
        self.ns = f"{{{document.namespace}}}"
        self.broken = False

    def fail(self, element: Any, code: str, en: str, zh: str) -> None:
        self.broken = True
        label = self.element.get("name") or self.decision_id
        self.document.problem(
            element,
            code,
            f"decision {label!r}: {en}",
            f"决策 {label}：{zh}",
            self.decision_id,
        )

    def text(self, element: Any, path: str) -> tuple[str, Any]:
        node = element.find(f"{self.ns}{path}") if path else element
        if node is None:
            return "", element
        text_node = node.find(f"{self.ns}text")
        return ((text_node.text or "") if text_node is not None else ""), (
            text_node if text_node is not None else node
        )

    def translated(
        self, text: str, where: Any, what: str, *, unary: bool = False
    ) -> CompiledExpression | None:
        try:
            return compile_cell(text, unary=unary, names=self.document.names)
        except DomainError as error:
            self.fail(
                where, error.code, f"{what}: {error.message_en}", f"{what}：{error.message_zh}"
            )
            return None

    def build(self, requires: tuple[DecisionDefinition, ...]) -> DecisionDefinition:
        element = self.element
        name = element.get("name") or self.decision_id
        variable_node = element.find(f"{self.ns}variable")
        variable = (variable_node.get("name") if variable_node is not None else None) or name
        bodies = [c for c in element if _local(c) and _local(c) not in _META]
        kind = _local(bodies[0]) if bodies else ""
        common: dict[str, Any] = {
            "id": self.decision_id,
            "name": name,
            "variable": variable,
            "kind": kind,
        }
        type_ref = variable_node.get("typeRef") if variable_node is not None else None
        common.update(requires=requires, names=self.document.names)
        common["type_ref"] = resolve(type_ref, self.document.types)
        if kind == "decisionTable":
            definition = self.table(bodies[0], common)
        elif kind == "literalExpression":
            text, where = self.text(bodies[0], "")
            if not text.strip():
                self.fail(
                    where, "dmn.empty_expression", "empty literal expression", "字面表达式为空"
                )
            expression = self.translated(text, where, "literal expression")
            definition = DecisionDefinition(**common, expression=expression)
        else:
            self.fail(
                bodies[0] if bodies else element,
                "dmn.unsupported_expression",
                f"{kind or 'no'} decision logic; only decision tables and literal expressions run",
                f"不支持的决策逻辑 {kind or '（无）'}；只运行决策表和字面表达式",
            )
        if self.broken:
            raise _Broken
        return definition

    def table(self, table: Any, common: dict[str, Any]) -> DecisionDefinition:
        ns = self.ns
        policy = (table.get("hitPolicy") or "UNIQUE").upper().replace("_", " ")
        aggregation = (table.get("aggregation") or "").upper() or None
        if policy not in HIT_POLICIES:
            self.fail(
                table, "dmn.hit_policy", f"unknown hit policy {policy}", f"未知的命中策略 {policy}"
            )
        outputs_xml = table.findall(f"{ns}output")
        if aggregation and (
            policy != "COLLECT" or aggregation not in AGGREGATIONS or len(outputs_xml) != 1
        ):
            self.fail(
                table,
                "dmn.aggregation",
                f"aggregation {aggregation} needs COLLECT and one output",
                f"聚合 {aggregation} 只能用于单输出的 COLLECT 表",
            )
        inputs = tuple(
            self.input_clause(i, n) for n, i in enumerate(table.findall(f"{ns}input"), 1)
        )
        outputs = tuple(
            self.output_clause(o, n, common["variable"], len(outputs_xml))
            for n, o in enumerate(outputs_xml, 1)
        )
        rules = tuple(
            self.rule(r, n, len(inputs), len(outputs))
            for n, r in enumerate(table.findall(f"{ns}rule"), 1)
        )
        return DecisionDefinition(
            **common,
            hit_policy=policy,
            aggregation=aggregation,
            inputs=inputs,
            outputs=outputs,
            rules=rules,
        )

    def input_clause(self, element: Any, number: int) -> InputClause:
        text, where = self.text(element, "inputExpression")
        label = element.get("label") or text.strip() or f"input {number}"
        source = text if text.strip() else (element.get("label") or "")
        if not source.strip():
            self.fail(
                element,
                "dmn.empty_expression",
                f"input {number} has no expression",
                f"输入 {number} 没有表达式",
            )
        expression = self.translated(source, where, f"input {number} expression")
        return InputClause(label=label, text=source.strip(), expression=expression)

    def output_clause(self, element: Any, number: int, variable: str, count: int) -> OutputClause:
        name = element.get("name") or (variable if count == 1 else f"output {number}")
        values_text, where = self.text(element, "outputValues")
        priorities: list[Any] = []
        for part in split_top_level(values_text, ",") if values_text.strip() else []:
            compiled = self.translated(part, where, f"output {number} value {part.strip()!r}")
            if compiled is not None:
                try:
                    with Session() as session:
                        priorities.append(session.run(compiled, {}))
                except DomainError as error:
                    self.fail(where, "dmn.output_values", error.message_en, error.message_zh)
        default_text, default_where = self.text(element, "defaultOutputEntry")
        default = (
            self.translated(default_text, default_where, f"output {number} default")
            if default_text.strip()
            else None
        )
        return OutputClause(
            name=name,
            label=element.get("label") or name,
            priorities=tuple(priorities),
            default=default,
        )

    def rule(self, element: Any, number: int, inputs: int, outputs: int) -> Rule:
        ns = self.ns
        rule_id = element.get("id") or f"rule-{number}"
        entries = element.findall(f"{ns}inputEntry")
        results = element.findall(f"{ns}outputEntry")
        if len(entries) != inputs or len(results) != outputs:
            self.fail(
                element,
                "dmn.rule_shape",
                f"rule {number} has {len(entries)} input and {len(results)} output entries, "
                f"expected {inputs} and {outputs}",
                f"规则 {number} 有 {len(entries)} 个输入项和 {len(results)} 个输出项，"
                f"应为 {inputs} 和 {outputs}",
            )
        texts, tests, values = [], [], []
        for column, entry in enumerate(entries, 1):
            text, where = self.text(entry, "")
            texts.append(text.strip())
            tests.append(
                self.translated(
                    text, where, f"rule {number} input {column} {text.strip()!r}", unary=True
                )
            )
        for column, entry in enumerate(results, 1):
            text, where = self.text(entry, "")
            values.append(
                self.translated(text, where, f"rule {number} output {column} {text.strip()!r}")
                if text.strip()
                else None
            )
        description = (element.findtext(f"{ns}description") or "").strip()
        return Rule(number, rule_id, description, tuple(tests), tuple(texts), tuple(values))
