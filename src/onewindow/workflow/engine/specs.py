"""Task specs the platform adds to SpiffWorkflow: service tasks that call a registered
connector, and business rule tasks that evaluate a DMN decision with
`onewindow.workflow.dmn`. Both hand the work to the run attached to the script engine
(`engine.runtime.Run`), which also records what happened for the service layer to store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from SpiffWorkflow.spiff.specs.spiff_task import SpiffBpmnTask

if TYPE_CHECKING:
    from onewindow.workflow.engine.runtime import Run


def run_of(my_task: Any) -> Run:
    return my_task.workflow.script_engine.run  # type: ignore[no-any-return]


class ConnectorTask(SpiffBpmnTask):  # type: ignore[misc]
    """A BPMN service task bound to a connector id. Returns None (the task stays STARTED)
    while a retry is pending or an incident is open; see `Run.call_connector`."""

    def __init__(
        self,
        wf_spec: Any,
        bpmn_id: str,
        connector_id: str,
        parameters: dict[str, str],
        result_variable: str | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.connector_id = connector_id
        self.parameters = parameters
        self.result_variable = result_variable or f"{bpmn_id}_result"

    def _run_hook(self, my_task: Any) -> bool | None:
        return run_of(my_task).call_connector(my_task, self)


class DecisionTask(SpiffBpmnTask):  # type: ignore[misc]
    """A BPMN business rule task bound to a DMN decision id."""

    def __init__(
        self,
        wf_spec: Any,
        bpmn_id: str,
        decision_ref: str | None,
        result_variable: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.decision_ref = decision_ref
        self.result_variable = result_variable

    def _run_hook(self, my_task: Any) -> bool:
        run_of(my_task).take_decision(my_task, self)
        return True


class ForeignScriptTask(SpiffBpmnTask):  # type: ignore[misc]
    """A script task written in a language other than Python (Groovy, JavaScript, XSLT in
    Camunda models): it parses, and refuses to run with a clear error."""

    def __init__(self, wf_spec: Any, bpmn_id: str, language: str, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.language = language

    def _run_hook(self, my_task: Any) -> bool:
        from onewindow.core.errors import DomainError

        raise DomainError(
            "workflow.script_language",
            f"脚本语言 {self.language} 不能运行：流程脚本只能是（受限的）Python",
            f"A {self.language} script cannot run: scripts are (restricted) Python",
            details={"step": self.bpmn_id, "language": self.language},
            status=422,
        )
