"""One advance of one workflow: the context the custom task specs need (clock, subject,
decision lookup) and the record of what they did (decisions taken, connector calls), which
the service layer stores in the same transaction as the new engine state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from onewindow.core.errors import DomainError
from onewindow.workflow import policies
from onewindow.workflow.connectors import registry
from onewindow.workflow.connectors.base import (
    ConnectorRequest,
    RetryableError,
    TerminalError,
)


@dataclass(frozen=True)
class DecisionOutcome:
    task_id: str
    spec_id: str
    decision_id: str
    inputs: Mapping[str, Any]
    matched_rules: list[Any]
    outputs: Any


@dataclass(frozen=True)
class ConnectorOutcome:
    task_id: str
    spec_id: str
    connector_id: str
    purpose: str
    attempt: int
    outcome: str  # "ok" | "retry" | "failed"
    error_code: str = ""
    message: str = ""


def plain(value: Any) -> Any:
    """Decision values as process data: decimals become int or float, dates ISO text, sets
    and tuples lists — what later conditions and the JSON state can hold."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def properties_of(spec: Any) -> dict[str, str]:
    extensions = getattr(spec, "extensions", None) or {}
    return dict(extensions.get("properties") or {})


def step_id(task: Any) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_id", None) or spec.name)


@dataclass
class Run:
    decision_lookup: Callable[[str], Any]
    subject: str = ""
    now: dt.datetime = field(default_factory=timezone.now)
    decisions: list[DecisionOutcome] = field(default_factory=list)
    calls: list[ConnectorOutcome] = field(default_factory=list)

    def take_decision(self, task: Any, spec: Any) -> None:
        from onewindow.workflow import dmn

        if not spec.decision_ref:
            raise DomainError(
                "workflow.decision_missing",
                f"业务规则环节 {step_id(task)} 未指定决策表",
                f"Business rule task {step_id(task)} names no decision",
                details={"step": step_id(task)},
            )
        definition = self.decision_lookup(spec.decision_ref)
        result = dmn.evaluate_decision(definition, dict(task.data))
        outputs = plain(result.outputs)
        if spec.result_variable:
            task.data[spec.result_variable] = outputs
        elif isinstance(outputs, Mapping):
            task.data.update(outputs)
        else:
            task.data[spec.decision_ref] = outputs
        self.decisions.append(
            DecisionOutcome(
                task_id=str(task.id),
                spec_id=step_id(task),
                decision_id=spec.decision_ref,
                inputs=plain(dict(result.inputs)),
                matched_rules=list(result.matched_rules),
                outputs=outputs,
            )
        )

    def call_connector(self, task: Any, spec: Any) -> bool | None:
        internal = task.internal_data
        if internal.get("incident_open"):
            return None
        attempt = int(internal.get("attempts", 0)) + 1
        engine = task.workflow.script_engine
        parameters = (
            {name: engine.evaluate(task, source) for name, source in spec.parameters.items()}
            if spec.parameters
            else dict(task.data)
        )
        purpose = properties_of(spec).get("purpose") or spec.bpmn_name or step_id(task)
        request = ConnectorRequest(
            connector_id=spec.connector_id,
            parameters=parameters,
            purpose=purpose,
            subject=self.subject,
            step=step_id(task),
            attempt=attempt,
        )
        record = {
            "task_id": str(task.id),
            "spec_id": step_id(task),
            "connector_id": spec.connector_id,
            "purpose": purpose,
            "attempt": attempt,
        }
        try:
            result = registry.call(request)
        except RetryableError as error:
            internal["attempts"] = attempt
            connector = registry.get(spec.connector_id)
            if connector is not None and attempt < connector.max_attempts:
                delay = policies.backoff_seconds(connector.backoff_seconds, attempt)
                internal["retry_at"] = (self.now + dt.timedelta(seconds=delay)).isoformat()
                self.calls.append(
                    ConnectorOutcome(
                        **record, outcome="retry", error_code=error.code, message=error.message
                    )
                )
                return None
            self._fail(internal, record, error.code, f"{error.message} (retries exhausted)")
            return None
        except TerminalError as error:
            internal["attempts"] = attempt
            self._fail(internal, record, error.code, error.message)
            return None
        for key in ("attempts", "retry_at", "incident_open"):
            internal.pop(key, None)
        task.data[spec.result_variable] = result
        self.calls.append(ConnectorOutcome(**record, outcome="ok"))
        return True

    def _fail(
        self, internal: dict[str, Any], record: dict[str, Any], code: str, message: str
    ) -> None:
        internal.pop("retry_at", None)
        internal["incident_open"] = True
        internal["error"] = {"code": code, "message": message[:1000]}
        self.calls.append(
            ConnectorOutcome(**record, outcome="failed", error_code=code, message=message)
        )
        return None
