"""Evaluate a loaded decision: required decisions first, then the table's hit policy.

All cells run through one sandbox `Session` per call (one budget for the whole decision).
Hit policies follow DMN 1.3 §8.2.11: UNIQUE and ANY raise ``dmn.hit_policy_violated`` when
several rules match (ANY only when their outputs differ); FIRST takes the first match in rule
order; PRIORITY the match whose outputs come first in the outputs' ``outputValues`` lists;
RULE ORDER and OUTPUT ORDER return every match (OUTPUT ORDER sorted by that priority);
COLLECT returns every match, or with SUM/MIN/MAX/COUNT the aggregate of the single output.
When no rule matches the default output entries are used; without defaults the outputs are
None (single hit), [] (multiple hits) or None (aggregation; COUNT gives 0).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from onewindow.core.errors import DomainError
from onewindow.workflow.sandbox import SANDBOX_FUNCTIONS, Limits, Session

from .feel import INPUT, MATCH_FUNCTION
from .model import SINGLE_HIT, DecisionDefinition, DecisionResult, Rule
from .types import conform

DECISION_LIMITS = Limits(seconds=0.5, steps=200_000)


def in_or_equal(value: Any, expected: Any) -> bool:
    """A unary test written as a plain expression: equal to it, or in it if it is a list."""
    if isinstance(expected, (list, tuple, set, frozenset, range)) and not isinstance(
        value, (list, tuple)
    ):
        return value in expected
    return bool(value == expected)


_FUNCTIONS: Mapping[str, Any] = ChainMap({MATCH_FUNCTION: in_or_equal}, SANDBOX_FUNCTIONS)


def _located(
    error: DomainError, definition: DecisionDefinition, zh: str, en: str, **where: Any
) -> DomainError:
    details = dict(error.details or {}) | {"decision": definition.id, **where}
    return DomainError(
        error.code,
        f"决策 {definition.name} {zh}：{error.message_zh}",
        f"decision {definition.name} {en}: {error.message_en}",
        details=details,
        status=error.status,
    )


def evaluate(definition: DecisionDefinition, inputs: Mapping[str, Any]) -> DecisionResult:
    variables = {definition.names.python(str(k)): v for k, v in inputs.items()}
    with Session(DECISION_LIMITS, _FUNCTIONS) as session:
        return _evaluate(definition, variables, session, {})


def _evaluate(
    definition: DecisionDefinition,
    variables: dict[str, Any],
    session: Session,
    done: dict[str, DecisionResult],
) -> DecisionResult:
    required = []
    for dependency in definition.requires:
        if dependency.id not in done:
            done[dependency.id] = _evaluate(dependency, variables, session, done)
        result = done[dependency.id]
        required.append(result)
        variables[definition.names.python(dependency.variable)] = result.value
        if isinstance(result.outputs, dict):
            for name, value in result.outputs.items():
                variables.setdefault(definition.names.python(name), value)
    if definition.kind == "literalExpression":
        assert definition.expression is not None
        try:
            value = conform(session.run(definition.expression, variables), definition.type_ref)
        except DomainError as error:
            raise _located(error, definition, "字面表达式", "literal expression") from None
        return DecisionResult(
            definition.id,
            definition.name,
            None,
            None,
            {},
            [],
            [],
            {definition.variable: value},
            value,
            required,
        )
    return _table(definition, variables, session, required)


def _table(
    definition: DecisionDefinition,
    variables: dict[str, Any],
    session: Session,
    required: list[DecisionResult],
) -> DecisionResult:
    values = []
    seen: dict[str, Any] = {}
    for number, clause in enumerate(definition.inputs, 1):
        try:
            value = session.run(clause.expression, variables) if clause.expression else None
        except DomainError as error:
            raise _located(
                error, definition, f"输入 {number}", f"input {number}", input=number
            ) from None
        values.append(value)
        key = clause.label if clause.label not in seen else f"{clause.label} #{number}"
        seen[key] = value
    matched = _match(definition, variables, values, session)
    policy = definition.hit_policy or "UNIQUE"
    if policy == "FIRST":
        matched = matched[:1]
    rows = [(rule, _outputs(definition, rule, variables, session)) for rule in matched]
    outputs, value = _apply_policy(definition, policy, rows, variables, session)
    return DecisionResult(
        decision_id=definition.id,
        decision_name=definition.name,
        hit_policy=policy,
        aggregation=definition.aggregation,
        inputs=seen,
        matched_rules=[rule.id for rule, _ in rows],
        matched_indexes=[rule.index for rule, _ in rows],
        outputs=outputs,
        value=value,
        required=required,
    )


def _match(
    definition: DecisionDefinition, variables: dict[str, Any], values: list[Any], session: Session
) -> list[Rule]:
    cell = dict(variables)
    matched = []
    first_only = definition.hit_policy == "FIRST"
    for rule in definition.rules:
        for column, test in enumerate(rule.tests):
            if test is None:
                continue
            cell[INPUT] = values[column]
            try:
                if not session.run(test, cell):
                    break
            except DomainError as error:
                raise _located(
                    error,
                    definition,
                    f"规则 {rule.index} 输入 {column + 1}",
                    f"rule {rule.index} input {column + 1}",
                    rule=rule.id,
                    input=column + 1,
                ) from None
        else:
            matched.append(rule)
            if first_only:
                break
    return matched


def _outputs(
    definition: DecisionDefinition, rule: Rule, variables: dict[str, Any], session: Session
) -> dict[str, Any]:
    row = {}
    for column, (clause, expression) in enumerate(
        zip(definition.outputs, rule.outputs, strict=True), 1
    ):
        try:
            row[clause.name] = session.run(expression, variables) if expression else None
        except DomainError as error:
            raise _located(
                error,
                definition,
                f"规则 {rule.index} 输出 {column}",
                f"rule {rule.index} output {column}",
                rule=rule.id,
                output=column,
            ) from None
    return row


def _value(definition: DecisionDefinition, row: dict[str, Any]) -> Any:
    """A row as the decision's value: the single output itself, or the dict of outputs."""
    return next(iter(row.values())) if len(definition.outputs) == 1 else row


def _priority(definition: DecisionDefinition, row: dict[str, Any]) -> tuple[int, ...]:
    key = []
    for clause in definition.outputs:
        if clause.priorities:
            value = row.get(clause.name)
            key.append(
                clause.priorities.index(value)
                if value in clause.priorities
                else len(clause.priorities)
            )
    return tuple(key)


def _violated(
    definition: DecisionDefinition, policy: str, rows: list[tuple[Rule, dict[str, Any]]]
) -> DomainError:
    numbers = ", ".join(str(rule.index) for rule, _ in rows)
    return DomainError(
        "dmn.hit_policy_violated",
        f"决策 {definition.name} 的命中策略 {policy} 不允许同时命中规则 {numbers}",
        f"decision {definition.name}: hit policy {policy} does not allow rules {numbers} "
        "to match together",
        details={
            "decision": definition.id,
            "hit_policy": policy,
            "matched_rules": [r.id for r, _ in rows],
        },
    )


def _defaults(
    definition: DecisionDefinition, variables: dict[str, Any], session: Session
) -> dict[str, Any] | None:
    if not any(clause.default for clause in definition.outputs):
        return None
    return {
        c.name: session.run(c.default, variables) if c.default else None for c in definition.outputs
    }


def _apply_policy(
    definition: DecisionDefinition,
    policy: str,
    rows: list[tuple[Rule, dict[str, Any]]],
    variables: dict[str, Any],
    session: Session,
) -> tuple[Any, Any]:
    if not rows:
        default = _defaults(definition, variables, session)
        if policy in SINGLE_HIT:
            return default, None if default is None else _value(definition, default)
        if definition.aggregation:
            fallback = _value(definition, default) if default is not None else None
            fallback = 0 if fallback is None and definition.aggregation == "COUNT" else fallback
            return fallback, fallback
        return ([default] if default else []), ([_value(definition, default)] if default else [])
    if policy == "UNIQUE" and len(rows) > 1:
        raise _violated(definition, policy, rows)
    if policy == "ANY" and any(row != rows[0][1] for _, row in rows):
        raise _violated(definition, policy, rows)
    if policy == "PRIORITY":
        rows = [min(rows, key=lambda item: _priority(definition, item[1]))]
    if policy in SINGLE_HIT:
        return rows[0][1], _value(definition, rows[0][1])
    if policy == "OUTPUT ORDER":
        rows = sorted(rows, key=lambda item: _priority(definition, item[1]))
    outputs = [row for _, row in rows]
    if definition.aggregation:
        aggregated = _aggregate(definition, [_value(definition, row) for row in outputs])
        return aggregated, aggregated
    return outputs, [_value(definition, row) for row in outputs]


def _aggregate(definition: DecisionDefinition, values: list[Any]) -> Any:
    if definition.aggregation == "COUNT":
        return len(values)
    present = [v for v in values if v is not None]
    if not present:
        return None
    try:
        if definition.aggregation == "SUM":
            return sum(present[1:], present[0])
        return min(present) if definition.aggregation == "MIN" else max(present)
    except TypeError as error:
        raise DomainError(
            "dmn.aggregation_failed",
            f"决策 {definition.name} 无法聚合 {definition.aggregation}：{error}",
            f"decision {definition.name}: cannot aggregate {definition.aggregation}: {error}",
            details={"decision": definition.id},
        ) from None
