"""SpiffWorkflow's script engine, pointed at the restricted environment.

Every expression and script SpiffWorkflow evaluates — gateway conditions, script tasks and
pre/post scripts, timer expressions, multi-instance cardinalities and collections, message
payloads and correlation expressions, service-task parameters — goes through
`onewindow.workflow.sandbox`. SpiffWorkflow's own `eval`/`exec` environment is never built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine

from onewindow.core.errors import DomainError
from onewindow.workflow import sandbox

if TYPE_CHECKING:
    from onewindow.workflow.engine.runtime import Run


def _merged(context: Mapping[str, Any], external: Mapping[str, Any] | None) -> dict[str, Any]:
    merged = dict(external or {})
    merged.update(context)
    return merged


class SandboxEnvironment(BasePythonScriptEngineEnvironment):  # type: ignore[misc]
    """Evaluates and executes through the sandbox; nothing else is in scope."""

    def __init__(self) -> None:
        super().__init__({})

    def evaluate(
        self, expression: str, context: Mapping[str, Any], external_context: Any = None
    ) -> Any:
        return sandbox.evaluate(expression, _merged(context, external_context))

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        external = dict(external_context or {})
        updated = sandbox.execute(script, _merged(context, external))
        for name, value in external.items():
            if name not in context and updated.get(name) is value:
                updated.pop(name)
        context.clear()
        context.update(updated)
        return True

    def call_service(self, context: Any, **kwargs: Any) -> Any:
        raise DomainError(
            "workflow.service_unsupported",
            "服务调用只能通过已登记的连接器",
            "Services are called only through registered connectors",
        )


def script_failed(task: Any, source: str, exc: Exception) -> DomainError:
    spec = task.task_spec
    where = getattr(spec, "bpmn_id", None) or spec.name
    return DomainError(
        "workflow.script_failed",
        f"环节 {where} 的表达式或脚本出错：{type(exc).__name__}: {exc}",
        f"Expression or script failed in step {where}: {type(exc).__name__}: {exc}",
        details={"step": where, "source": source[:500], "error": type(exc).__name__},
        status=422,
    )


def _with_step(error: DomainError, task: Any) -> DomainError:
    spec = task.task_spec
    details = dict(error.details) if isinstance(error.details, Mapping) else {}
    details.setdefault("step", getattr(spec, "bpmn_id", None) or spec.name)
    error.details = details
    return error


class OneWindowScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """The script engine of every workflow the platform runs; carries the current `Run`."""

    def __init__(self, run: Run) -> None:
        super().__init__(environment=SandboxEnvironment())
        self.run = run

    def validate(self, expression: str) -> None:
        sandbox.check_expression(expression)

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except DomainError as error:
            raise _with_step(error, task) from None
        except Exception as exc:
            raise script_failed(task, expression, exc) from exc

    def execute(self, task: Any, script: str, external_context: Any = None) -> bool:
        try:
            return bool(self.environment.execute(script, task.data, external_context))
        except DomainError as error:
            raise _with_step(error, task) from None
        except Exception as exc:
            raise script_failed(task, script, exc) from exc
