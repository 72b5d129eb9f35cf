"""Read BPMN 2.0 files written in SpiffArena, Camunda Modeler or any bpmn.io-based modeller.

`OneWindowParser` is SpiffWorkflow's Spiff-dialect parser with these changes, so that models
from other modellers parse and extension attributes that do not matter are ignored:

* task properties come from `spiffworkflow:properties` and `camunda:properties` alike;
* service tasks become `ConnectorTask`s: the connector id is the Spiff `serviceTaskOperator`
  id, else the Camunda external-task `topic`, else a `camunda:` class/expression reference
  that no connector carries (the step then raises an incident instead of failing to parse);
* business rule tasks become `DecisionTask`s naming `spiffworkflow:calledDecisionId` or
  `camunda:decisionRef`, evaluated by `onewindow.workflow.dmn` (never SpiffWorkflow's DMN);
* a timer written as a bare ISO 8601 literal (`PT2H`, `R3/PT1H`, `2026-01-01T09:00`) is
  taken literally; anything else is an expression (e.g. `working_days(3)`);
* a Camunda condition in the simple JUEL subset (`${approved}`, `#{!ok}`, `${n > 5}`) is
  rewritten as the equivalent Python expression; richer JUEL is kept and fails clearly;
* multi-instance loops may use `camunda:collection` / `camunda:elementVariable`;
* a data store with no implementation parses; reading or writing it fails at run time.
"""

from __future__ import annotations

import re
from typing import Any

from SpiffWorkflow.bpmn.parser.BpmnParser import DEFAULT_NSMAP, full_tag
from SpiffWorkflow.bpmn.parser.util import first
from SpiffWorkflow.bpmn.specs.data_spec import BpmnDataStoreSpecification
from SpiffWorkflow.bpmn.specs.defaults import (
    BoundaryEvent,
    IntermediateCatchEvent,
    StartEvent,
)
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
)
from SpiffWorkflow.spiff.parser.event_parsers import (
    SpiffBoundaryEventParser,
    SpiffIntermediateCatchEventParser,
    SpiffStartEventParser,
)
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import SPIFFWORKFLOW_NSMAP, SpiffTaskParser
from SpiffWorkflow.spiff.specs.defaults import ScriptTask, UserTask

from onewindow.workflow.engine.specs import ConnectorTask, DecisionTask, ForeignScriptTask

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
NAMESPACES = {**DEFAULT_NSMAP, **SPIFFWORKFLOW_NSMAP, "camunda": CAMUNDA_NS}

_ISO_LITERAL = re.compile(
    r"^(R\d*/)?(P(?=\d|T\d)(\d+(\.\d+)?[YMWD])*(T(\d+(\.\d+)?[HMS])+)?"
    r"|\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)(/P[\dYMWDTHS.]+)?$"
)
_JUEL = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.S)
_JUEL_SIMPLE = re.compile(r"^[\w\s.'\"<>=!&|+\-*/%]*$")
_JUEL_WORDS = {
    "&&": " and ",
    "||": " or ",
    " eq ": " == ",
    " ne ": " != ",
    " lt ": " < ",
    " gt ": " > ",
    " le ": " <= ",
    " ge ": " >= ",
    "true": "True",
    "false": "False",
    "null": "None",
}


def literal_timer(text: str | None) -> str | None:
    """Quote a bare ISO 8601 timer literal so the expression evaluator returns it as is."""
    if text is None:
        return None
    stripped = text.strip()
    if _ISO_LITERAL.match(stripped):
        return repr(stripped)
    return stripped


def juel_to_python(text: str | None) -> str | None:
    """`${a > 1 && !b}` -> `a > 1 and not b`; method calls and bean paths are left alone."""
    if text is None:
        return None
    match = _JUEL.match(text)
    if not match:
        return text.strip() or None
    body = match.group(1).strip()
    if "(" in body or "." in re.sub(r"\d+\.\d+", "", body) or not _JUEL_SIMPLE.match(body):
        return text.strip()
    for word, python in _JUEL_WORDS.items():
        body = re.sub(rf"(?<![\w'\"]){re.escape(word.strip())}(?![\w'\"])", python, body)
    body = re.sub(r"!(?!=)", " not ", body)
    return " ".join(body.split())


def _camunda_properties(node: Any) -> dict[str, str]:
    found = node.xpath(
        "./bpmn:extensionElements/camunda:properties/camunda:property", namespaces=NAMESPACES
    )
    return {p.get("name"): p.get("value", "") for p in found if p.get("name")}


class OneWindowNodeMixin:
    """Shared by every node parser: extensions from both dialects, JUEL conditions."""

    node: Any

    def parse_extensions(self, node: Any = None) -> dict[str, Any]:
        node = self.node if node is None else node
        extensions = SpiffTaskParser._parse_extensions(node)
        camunda = _camunda_properties(node)
        if camunda:
            extensions["properties"] = {**camunda, **extensions.get("properties", {})}
        return extensions

    def parse_condition(self, sequence_flow: Any) -> str | None:
        expression = first(
            sequence_flow.xpath(".//bpmn:conditionExpression", namespaces=NAMESPACES)
        )
        return juel_to_python(expression.text) if expression is not None else None


class TimerMixin(OneWindowNodeMixin):
    """Timer events: bare ISO literals are quoted; other text is an expression."""

    def parse_timer_event(self, event: Any) -> Any:
        name = self.node.get("name", self.node.get("id"))  # type: ignore[attr-defined]
        description = self.get_event_description(event)  # type: ignore[attr-defined]
        for tag, cls in (
            ("timeDate", TimeDateEventDefinition),
            ("timeDuration", DurationTimerEventDefinition),
            ("timeCycle", CycleTimerEventDefinition),
        ):
            found = first(event.xpath(f".//bpmn:{tag}", namespaces=NAMESPACES))
            if found is not None:
                return cls(name, literal_timer(found.text) or "None", description=description)
        return super().parse_timer_event(event)  # type: ignore[misc]


def _mixed(base: type, mixin: type = OneWindowNodeMixin) -> type:
    return type(f"OneWindow{base.__name__}", (mixin, base), {})


class ConnectorTaskParser(OneWindowNodeMixin, SpiffTaskParser):
    def create_task(self) -> ConnectorTask:
        extensions = self.parse_extensions()
        operator = extensions.get("serviceTaskOperator") or {}
        connector_id = operator.get("name") or self._camunda_reference()
        parameters = {
            name: param["value"] for name, param in (operator.get("parameters") or {}).items()
        }
        return ConnectorTask(
            self.spec,
            self.bpmn_id,
            connector_id=connector_id,
            parameters=parameters,
            result_variable=operator.get("resultVariable")
            or self.node.get(f"{{{CAMUNDA_NS}}}resultVariable"),
            prescript=extensions.get("preScript"),
            postscript=extensions.get("postScript"),
            **self.bpmn_attributes,
        )

    def _camunda_reference(self) -> str:
        for attribute in ("topic", "class", "delegateExpression", "expression"):
            value = self.node.get(f"{{{CAMUNDA_NS}}}{attribute}")
            if value:
                return value if attribute == "topic" else f"camunda:{attribute}:{value}"
        return ""


class ScriptTaskParser(OneWindowNodeMixin, SpiffTaskParser):
    """Reads `bpmn:script` (SpiffWorkflow's own reader trips over XML comments in a script
    task); a script in another language becomes a `ForeignScriptTask`."""

    def create_task(self) -> Any:
        language = (self.node.get("scriptFormat") or "python").strip()
        if language.lower() not in {"python", "text/x-python", "py"}:
            return ForeignScriptTask(self.spec, self.bpmn_id, language, **self.bpmn_attributes)
        script = first(self.node.xpath("./bpmn:script", namespaces=NAMESPACES))
        extensions = self.parse_extensions()
        return ScriptTask(
            self.spec,
            self.bpmn_id,
            script.text if script is not None else "",
            prescript=extensions.get("preScript"),
            postscript=extensions.get("postScript"),
            **self.bpmn_attributes,
        )


class DecisionTaskParser(OneWindowNodeMixin, SpiffTaskParser):
    @staticmethod
    def get_decision_ref(node: Any) -> str | None:
        extensions = SpiffTaskParser._parse_extensions(node)
        ref = extensions.get("calledDecisionId") or node.get(f"{{{CAMUNDA_NS}}}decisionRef")
        return str(ref) if ref else None

    def create_task(self) -> DecisionTask:
        extensions = self.parse_extensions()
        decision_ref = self.get_decision_ref(self.node)
        properties = extensions.get("properties", {})
        return DecisionTask(
            self.spec,
            self.bpmn_id,
            decision_ref=decision_ref,
            result_variable=properties.get("result_variable")
            or self.node.get(f"{{{CAMUNDA_NS}}}resultVariable"),
            prescript=extensions.get("preScript"),
            postscript=extensions.get("postScript"),
            **self.bpmn_attributes,
        )


class UserTaskParser(OneWindowNodeMixin, SpiffTaskParser):
    def create_task(self) -> UserTask:
        extensions = self.parse_extensions()
        return UserTask(
            self.spec,
            self.bpmn_id,
            variable=extensions.get("variableName"),
            prescript=extensions.get("preScript"),
            postscript=extensions.get("postScript"),
            **self.bpmn_attributes,
        )


class CamundaLoopMixin:
    """`camunda:collection="items" camunda:elementVariable="item"` on a multi-instance loop."""

    node: Any

    def _add_multiinstance_task(self, loop_characteristics: Any) -> None:
        collection = loop_characteristics.get(f"{{{CAMUNDA_NS}}}collection")
        has_standard = loop_characteristics.xpath(
            "./bpmn:loopCardinality|./bpmn:loopDataInputRef", namespaces=NAMESPACES
        )
        if collection and not has_standard:
            element = loop_characteristics.get(f"{{{CAMUNDA_NS}}}elementVariable")
            ns = NAMESPACES["bpmn"]
            from lxml import etree

            ref = etree.SubElement(loop_characteristics, f"{{{ns}}}loopDataInputRef")
            ref.text = juel_to_python(collection)
            if element:
                item = etree.SubElement(loop_characteristics, f"{{{ns}}}inputDataItem")
                item.set("id", element)
                item.set("name", element)
        super()._add_multiinstance_task(loop_characteristics)  # type: ignore[misc]


class UnavailableDataStore(BpmnDataStoreSpecification):
    """A data store the diagram names but this platform does not provide."""

    def get(self, my_task: Any, **kwargs: Any) -> None:
        raise LookupError(f"data store '{self.bpmn_name}' is not available on this platform")

    def set(self, my_task: Any, **kwargs: Any) -> None:
        raise LookupError(f"data store '{self.bpmn_name}' is not available on this platform")


def _override_classes() -> dict[str, tuple[type, type]]:
    overrides: dict[str, tuple[type, type]] = {}
    for tag, (parser_class, spec_class) in SpiffBpmnParser.PARSER_CLASSES.items():
        overrides[tag] = (_mixed(parser_class), spec_class)  # gateways and the like
    for tag, (parser_class, spec_class) in SpiffBpmnParser.OVERRIDE_PARSER_CLASSES.items():
        overrides[tag] = (_mixed(_mixed(parser_class), CamundaLoopMixin), spec_class)
    overrides[full_tag("userTask")] = (_mixed(UserTaskParser, CamundaLoopMixin), UserTask)
    overrides[full_tag("scriptTask")] = (_mixed(ScriptTaskParser, CamundaLoopMixin), ScriptTask)
    overrides[full_tag("serviceTask")] = (
        _mixed(ConnectorTaskParser, CamundaLoopMixin),
        ConnectorTask,
    )
    overrides[full_tag("businessRuleTask")] = (
        _mixed(DecisionTaskParser, CamundaLoopMixin),
        DecisionTask,
    )
    for tag, parser_class, spec_class in (
        ("startEvent", SpiffStartEventParser, StartEvent),
        ("intermediateCatchEvent", SpiffIntermediateCatchEventParser, IntermediateCatchEvent),
        ("boundaryEvent", SpiffBoundaryEventParser, BoundaryEvent),
    ):
        overrides[full_tag(tag)] = (_mixed(parser_class, TimerMixin), spec_class)
    return overrides


class OneWindowParser(SpiffBpmnParser):
    """The only BPMN parser the platform uses (no XSD validation: modellers add extensions)."""

    OVERRIDE_PARSER_CLASSES = _override_classes()

    def __init__(self) -> None:
        super().__init__(namespaces=NAMESPACES, validator=None)

    def _add_data_stores(self, bpmn: Any) -> None:
        for store in bpmn.xpath(".//bpmn:dataStore", namespaces=self.namespaces):
            store_id, name = store.get("id"), store.get("name") or store.get("id")
            if store_id is None:
                continue
            cls = self.DATA_STORE_CLASSES.get(name, UnavailableDataStore)
            self.data_stores[store_id] = cls(
                store_id, name, store.get("capacity"), store.get("isUnlimited")
            )
