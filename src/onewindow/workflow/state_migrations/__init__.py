"""Numbered upgrades of the stored engine state, one module per format change.

Each module `mNNNN_<what>.py` names `FROM_FORMAT` and defines `upgrade(state: dict) -> dict`
returning the state in format FROM_FORMAT + 1. `upgrade(state, from_format)` applies them in
order up to `constants.STATE_FORMAT`. Add a module (never edit an old one) when the format
changes, and bump STATE_FORMAT.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from onewindow.core.errors import DomainError
from onewindow.workflow.constants import STATE_FORMAT

Step = Callable[[dict[str, Any]], dict[str, Any]]


def steps() -> dict[int, Step]:
    found: dict[int, Step] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("m"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[int(module.FROM_FORMAT)] = module.upgrade
    return found


def upgrade(state: dict[str, Any], from_format: int) -> dict[str, Any]:
    available = steps()
    current = from_format
    while current < STATE_FORMAT:
        step = available.get(current)
        if step is None:
            raise DomainError(
                "workflow.state_format_unknown",
                f"无法升级引擎状态格式 {current}",
                f"No upgrade from engine-state format {current}",
                details={"format": current, "current": STATE_FORMAT},
                status=500,
            )
        state = step(state)
        current += 1
    if current != STATE_FORMAT:
        raise DomainError(
            "workflow.state_format_unknown",
            f"引擎状态格式 {from_format} 比本程序更新",
            f"Engine-state format {from_format} is newer than this program",
            details={"format": from_format, "current": STATE_FORMAT},
            status=500,
        )
    return state
