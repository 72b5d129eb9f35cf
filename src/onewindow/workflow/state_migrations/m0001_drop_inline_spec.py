"""Format 1 -> 2: SpiffWorkflow's serializer inlines the whole process spec in every state;
the platform pins the definition by hash instead, so the spec copies are dropped."""

from __future__ import annotations

from typing import Any

FROM_FORMAT = 1


def upgrade(state: dict[str, Any]) -> dict[str, Any]:
    state = dict(state)
    state.pop("spec", None)
    state.pop("subprocess_specs", None)
    return state
