"""Drive a pack's diagram in memory, for the unit test beside each diagram.

    run = DiagramRun(PACK, "r01_case_lifecycle", {"delivery_method": "post", ...})
    run.complete("review", {"action": "accept"})
    assert run.ready == ["decide"]
    assert run.path == ["start", ..., "review", ...]

Between steps the engine state is saved to JSON and restored (`states` keeps each one), as
the platform does between requests, so a diagram that only works in memory fails here. Form
data is validated against the task's JSON Schema. No database is needed unless the diagram
calls `working_days(...)` (the calendar) — then use the `db` fixture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from SpiffWorkflow.util.task import TaskState

from onewindow.catalog.policies import FORMATS
from onewindow.workflow import definitions, engine
from onewindow.workflow.constants import STATE_FORMAT
from onewindow.workflow.engine import serializer, view
from onewindow.workflow.engine.runtime import Run, properties_of


class DiagramRun:
    def __init__(self, pack_dir: Path, process_id: str, data: Mapping[str, Any] | None = None):
        files = definitions.pack_files(pack_dir)
        self.parsed = engine.parse_files(files, process_id)
        self.forms: dict[str, Any] = {}
        for bpmn_file, task in definitions.user_tasks(self.parsed):
            reference = properties_of(task).get("form")
            if reference:
                path = definitions.form_path(bpmn_file, reference)
                self.forms[task.bpmn_id] = definitions.read_form(pack_dir, path)
        self.decisions: list[Any] = []
        self.calls: list[Any] = []
        self.states: list[str] = []
        self.workflow = engine.new_workflow(self.parsed, dict(data or {}), self._run())
        self._advance()

    def _run(self) -> Run:
        return Run(decision_lookup=self.parsed.decision, subject="test")

    def _advance(self) -> None:
        run = self.workflow.script_engine.run
        engine.run_steps(self.workflow)
        self.decisions += run.decisions
        self.calls += run.calls
        state = serializer.dump(self.workflow)
        self.states.append(state)
        self.workflow = engine.restore(self.parsed, state, STATE_FORMAT, self._run())

    @property
    def ready(self) -> list[str]:
        return [view.step_id(t) for t in view.ready_user_tasks(self.workflow)]

    @property
    def completed(self) -> bool:
        return bool(self.workflow.completed)

    @property
    def variables(self) -> dict[str, Any]:
        return view.variables(self.workflow)

    @property
    def path(self) -> list[str]:
        """BPMN element ids of the steps done so far, in the order they were done."""
        done = [
            t
            for t in self.workflow.get_tasks(state=TaskState.COMPLETED)
            if getattr(t.task_spec, "bpmn_id", None)
        ]
        done.sort(key=lambda t: t.last_state_change)
        return [t.task_spec.bpmn_id for t in done]

    def complete(self, step: str, data: Mapping[str, Any] | None = None) -> None:
        """Complete the ready user task `step` with form data (validated), then run on."""
        data = dict(data or {})
        schema = self.forms.get(step, {"type": "object"})
        errors = list(Draft202012Validator(schema, format_checker=FORMATS).iter_errors(data))
        if errors:
            raise AssertionError(f"form data for {step} is invalid: {errors[0].message}")
        ready = [t for t in view.ready_user_tasks(self.workflow) if view.step_id(t) == step]
        if not ready:
            raise AssertionError(f"{step} is not ready; ready: {self.ready}")
        ready[0].data.update(data)
        ready[0].run()
        self._advance()

    def fire_timers(self) -> None:
        """Let due timers fire (use time_machine to move the clock first)."""
        self.workflow.refresh_timers()
        self._advance()

    def deliver(self, message: str, payload: Mapping[str, Any]) -> None:
        """Deliver a message to the catch events waiting for it."""
        for wait in view.waiting_messages(self.workflow):
            if wait.message_name == message:
                event = view.BpmnEvent(wait.definition, payload=dict(payload))
                wait.task.task_spec.catch(wait.task, event)
                wait.task.task_spec._update(wait.task)
        self._advance()

    def due_timers(self) -> list[dt.datetime]:
        return sorted(w.due_at for w in view.waiting_timers(self.workflow))
