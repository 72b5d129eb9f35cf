"""Engine state to and from JSON with SpiffWorkflow's serializer (`BpmnWorkflowSerializer`).

The process spec is not stored with each instance (format 2): the instance pins its
definition by content hash and the spec is rebuilt from that definition, so a state is
~half the size and restores without re-reading the spec. States written in an older format
are upgraded by the numbered steps in `onewindow.workflow.state_migrations` before use.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.workflow import VERSION, BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from onewindow.workflow.constants import STATE_FORMAT
from onewindow.workflow.state_migrations import upgrade

VERSION_KEY = BpmnWorkflowSerializer.VERSION_KEY


class PinnedWorkflowConverter(BpmnWorkflowConverter):  # type: ignore[misc]
    """BpmnWorkflow without its spec; the spec is given back when restoring."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def restore_with_spec(
        self, dct: dict[str, Any], spec: Any, subprocess_specs: dict[str, Any]
    ) -> BpmnWorkflow:
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_REGISTRY = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
_SERIALIZER = BpmnWorkflowSerializer(_REGISTRY)
_CONVERTER = PinnedWorkflowConverter(BpmnWorkflow, _REGISTRY)


def dump(workflow: BpmnWorkflow) -> str:
    """The engine state in the current format (STATE_FORMAT), as compact JSON."""
    _REGISTRY._encoder_mode = True
    try:
        dct = _CONVERTER.to_dict(workflow)
        dct[VERSION_KEY] = VERSION
        return json.dumps(dct, cls=_SERIALIZER._encoder_cls, separators=(",", ":"))
    finally:
        _REGISTRY._encoder_mode = False


def dump_with_spec(workflow: BpmnWorkflow) -> str:
    """SpiffWorkflow's own full serialization with the spec inlined (format 1); kept to
    produce old-format states in the tests of the state migrations."""
    full = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    return str(full.serialize_json(workflow))


def load(
    state: str, state_format: int, spec: Any, subprocess_specs: dict[str, Any]
) -> BpmnWorkflow:
    """Restore a workflow, upgrading older state formats first."""
    dct = json.loads(state)
    if state_format != STATE_FORMAT:
        dct = upgrade(dct, state_format)
    version = dct.pop(VERSION_KEY, VERSION)
    if version != VERSION:
        dct[VERSION_KEY] = version
        _SERIALIZER.migrate(dct)
    return _CONVERTER.restore_with_spec(dct, spec, subprocess_specs)
