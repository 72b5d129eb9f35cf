"""DMN decisions for packs: decision tables and literal expressions, evaluated in the sandbox.

Public functions:
- `load_decision(xml, decision_id=None)` → `DecisionDefinition` (cells pre-compiled). Without
  an id, the file's only top-level decision (one no other decision requires).
- `evaluate_decision(definition, inputs)` → `DecisionResult` (inputs seen, rules matched,
  outputs, value, required decisions' results); `DecisionResult.as_dict()` is JSON-safe.
- `check_decision(xml, file="")` → list of `DecisionProblem` (file, line, problem) for pack
  validation; empty when every decision in the file loads.
- `decisions_in(xml)` → the decision ids in the file, in document order.

Errors: ``dmn.invalid`` (a decision that does not load, details list the problems),
``dmn.unknown_decision``, ``dmn.decision_ambiguous``, ``dmn.hit_policy_violated``,
``workflow.expression_failed`` (a cell failed at run time; details name the rule and column).
Cells are DMN unary tests / FEEL-subset or SpiffWorkflow-style Python expressions, translated
by `feel` and always run by `onewindow.workflow.sandbox` — never by Python's ``eval``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from onewindow.core.errors import DomainError, NotFound, ValidationFailed

from .engine import evaluate
from .model import DecisionDefinition, DecisionProblem, DecisionResult
from .parser import Document, read

__all__ = [
    "DecisionDefinition",
    "DecisionProblem",
    "DecisionResult",
    "check_decision",
    "decisions_in",
    "evaluate_decision",
    "load_decision",
]


def check_decision(xml: bytes, file: str = "") -> list[DecisionProblem]:
    """Every problem in a DMN file, with its line; empty when all its decisions load."""
    return list(read(xml, file).problems)


def decisions_in(xml: bytes) -> list[str]:
    """Ids of the decisions in a DMN file, in document order (empty if it does not parse)."""
    return list(read(xml).order)


def _invalid(document: Document, problems: list[DecisionProblem]) -> ValidationFailed:
    if not problems:  # not expected: every unbuilt decision records why
        problems = [
            DecisionProblem(document.file, None, "dmn.invalid", "does not load", "无法加载")
        ]
    first = problems[0]
    return ValidationFailed(
        "dmn.invalid",
        f"DMN 文件无法加载（第 {first.line} 行）：{first.problem_zh}",
        f"DMN file does not load (line {first.line}): {first.problem}",
        details=[
            {"file": p.file, "line": p.line, "code": p.code, "problem": p.problem} for p in problems
        ],
    )


def _closure(document: Document, decision_id: str) -> set[str]:
    """The decision and every decision it requires, directly or not."""
    namespace = f"{{{document.namespace}}}requiredDecision"
    found, stack = set(), [decision_id]
    while stack:
        current = stack.pop()
        if current in found or current not in document.elements:
            continue
        found.add(current)
        stack.extend(
            (r.get("href") or "").lstrip("#") for r in document.elements[current].iter(namespace)
        )
    return found


def _top_level(document: Document) -> str:
    required: set[str] = set()
    for decision_id in document.order:
        required |= _closure(document, decision_id) - {decision_id}
    tops = [d for d in document.order if d not in required]
    if len(tops) != 1:
        raise DomainError(
            "dmn.decision_ambiguous",
            f"文件中有多个顶层决策，请指定其一：{', '.join(tops)}",
            f"several top-level decisions in the file; name one of: {', '.join(tops)}",
            details={"decisions": tops},
        )
    return tops[0]


def load_decision(
    xml: bytes, decision_id: str | None = None, *, file: str = ""
) -> DecisionDefinition:
    """Load one decision (by id or name) with everything it requires, cells compiled."""
    document = read(xml, file)
    if not document.order:
        raise _invalid(document, document.problems)
    if decision_id is None:
        decision_id = _top_level(document)
    elif decision_id not in document.elements:
        by_name = [d for d in document.order if document.elements[d].get("name") == decision_id]
        if len(by_name) != 1:
            raise NotFound(
                "dmn.unknown_decision",
                f"DMN 文件中没有决策 {decision_id}",
                f"no decision {decision_id!r} in the DMN file",
                details={"decisions": document.order},
            )
        decision_id = by_name[0]
    closure = _closure(document, decision_id)
    problems = [p for p in document.problems if p.decision_id is None or p.decision_id in closure]
    if problems or decision_id not in document.decisions:
        raise _invalid(document, problems or document.problems)
    return document.decisions[decision_id]


def evaluate_decision(definition: DecisionDefinition, inputs: Mapping[str, Any]) -> DecisionResult:
    """Evaluate `definition` against `inputs` (variable name → value)."""
    return evaluate(definition, inputs)
