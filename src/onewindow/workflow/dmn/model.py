"""Data classes of the DMN engine: a loaded decision, the result of one evaluation, a problem."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from onewindow.workflow.sandbox import CompiledExpression

from .feel import NameTable
from .types import UNCHECKED, TypeRef

HIT_POLICIES = ("UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT", "RULE ORDER", "OUTPUT ORDER")
SINGLE_HIT = ("UNIQUE", "FIRST", "PRIORITY", "ANY")
AGGREGATIONS = ("SUM", "MIN", "MAX", "COUNT")


@dataclass(frozen=True)
class InputClause:
    label: str
    text: str
    expression: CompiledExpression | None


@dataclass(frozen=True)
class OutputClause:
    name: str
    label: str
    priorities: tuple[Any, ...]  # the outputValues, highest priority first
    default: CompiledExpression | None


@dataclass(frozen=True)
class Rule:
    index: int  # 1-based, as an analyst counts rows
    id: str
    description: str
    tests: tuple[CompiledExpression | None, ...]  # None: "-" (any value)
    test_texts: tuple[str, ...]
    outputs: tuple[CompiledExpression | None, ...]


@dataclass(frozen=True)
class DecisionDefinition:
    """One decision of a DMN file, with its cells compiled for the sandbox.

    `kind` is ``decisionTable`` or ``literalExpression``; `requires` are the decisions whose
    results it reads (evaluated first, results added to the variables under their names).
    """

    id: str
    name: str
    variable: str
    kind: str
    hit_policy: str | None = None
    aggregation: str | None = None
    inputs: tuple[InputClause, ...] = ()
    outputs: tuple[OutputClause, ...] = ()
    rules: tuple[Rule, ...] = ()
    expression: CompiledExpression | None = None
    requires: tuple[DecisionDefinition, ...] = ()
    type_ref: TypeRef = UNCHECKED
    names: NameTable = field(default_factory=NameTable, repr=False, compare=False)


@dataclass(frozen=True)
class DecisionResult:
    """What one evaluation saw and decided, for the case timeline and the ledger.

    `outputs`: a dict (output name → value) for single-hit tables or literal expressions, a
    list of such dicts for multi-hit tables, the aggregated number for COLLECT with an
    aggregation; None when nothing matched and the table defines no default outputs.
    `value` is the decision's value as DMN defines it (what other decisions read).
    """

    decision_id: str
    decision_name: str
    hit_policy: str | None
    aggregation: str | None
    inputs: dict[str, Any]
    matched_rules: list[str]
    matched_indexes: list[int]
    outputs: Any
    value: Any
    required: list[DecisionResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-safe copy (decimals and dates as strings, tuples and sets as lists)."""
        return {
            "decision_id": self.decision_id,
            "decision_name": self.decision_name,
            "hit_policy": self.hit_policy,
            "aggregation": self.aggregation,
            "inputs": jsonable(self.inputs),
            "matched_rules": list(self.matched_rules),
            "matched_indexes": list(self.matched_indexes),
            "outputs": jsonable(self.outputs),
            "value": jsonable(self.value),
            "required": [r.as_dict() for r in self.required],
        }


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


@dataclass(frozen=True)
class DecisionProblem:
    """A problem found when checking a DMN file: where it is and what is wrong."""

    file: str
    line: int | None
    code: str
    problem: str
    problem_zh: str
    decision_id: str | None = None

    def __str__(self) -> str:
        return f"{self.file or '<dmn>'}:{self.line or '?'}: {self.problem}"
