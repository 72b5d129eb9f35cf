"""Restricted environment for the expressions and scripts that packs carry.

Gateway conditions, timer expressions, DMN cells and script-task bodies come from pack files
that an analyst writes; none of them runs through Python's ``eval``. Sources are parsed with
`ast`, checked against an allow-list (`sandbox_check`), compiled into closures
(`sandbox_compile`, `sandbox_script`) and run under a `Budget` of steps, wall-clock time and
allocation (`sandbox_runtime`). Only the functions in `SANDBOX_FUNCTIONS` and the methods in
`sandbox_functions.METHODS` can be called; there is no way to reach modules, files, the
network, dunder attributes or Python's builtins.

Public functions:
- `evaluate(expression, context)` → value of one expression.
- `execute(script, context)` → the variables after running a script-task body (the input
  mapping is not changed).
- `check_expression(expression)`, `check_script(script)` → static check at pack import;
  raise ``workflow.expression_refused`` naming the problem, line and column.
- `compile_expression(source, feel=..., reserved=..., functions=...)` → a reusable
  `CompiledExpression` (used by the DMN engine to pre-compile cells).
- `Session` → many compiled expressions under one budget (one DMN decision).
- `SANDBOX_FUNCTIONS`, `register_function(name, fn)` → the callable functions.

Failures while running raise ``workflow.expression_failed`` (never a raw Python exception).
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from onewindow.core.errors import DomainError, ValidationFailed

from .sandbox_check import Refusal, parse
from .sandbox_compile import Compiler, Env, Located, Node
from .sandbox_functions import bind_budget, default_functions, unbind_budget
from .sandbox_runtime import (
    EXPRESSION_LIMITS,
    SCRIPT_LIMITS,
    Budget,
    Limits,
    SandboxFailure,
)
from .sandbox_script import ScriptCompiler

__all__ = [
    "EXPRESSION_LIMITS",
    "SANDBOX_FUNCTIONS",
    "SCRIPT_LIMITS",
    "Budget",
    "CompiledExpression",
    "Limits",
    "Session",
    "check_expression",
    "check_script",
    "compile_expression",
    "evaluate",
    "execute",
    "register_function",
]

SANDBOX_FUNCTIONS: dict[str, Callable[..., Any]] = default_functions()

_FUNCTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$")
MAX_RESULT_DEPTH = 100
MAX_RESULT = 250_000  # nodes, shared parts counted each time; ~0.2 s to walk at worst


def register_function(name: str, fn: Callable[..., Any]) -> None:
    """Make `fn` callable from sandboxed code as ``name(...)`` (dotted names allowed).

    The function receives plain values and must itself be safe: bounded in time, without
    side effects on files or the network, returning data (not objects with behaviour).
    """
    if not _FUNCTION_NAME.match(name) or not callable(fn):
        raise ValueError(f"invalid sandbox function registration: {name!r}")
    SANDBOX_FUNCTIONS[name] = fn


def _refused(refusal: Refusal, source: str) -> ValidationFailed:
    return ValidationFailed(
        "workflow.expression_refused",
        f"表达式被拒绝：第 {refusal.line} 行第 {refusal.column} 列，{refusal.problem_zh}",
        f"Expression refused at line {refusal.line}, column {refusal.column}: {refusal.problem_en}",
        details={
            "line": refusal.line,
            "column": refusal.column,
            "problem": refusal.problem_en,
            "problem_zh": refusal.problem_zh,
            "source": source[:200],
        },
    )


def failure(error: BaseException, source: str, line: int = 1, column: int = 1) -> DomainError:
    """The ``workflow.expression_failed`` error for something that went wrong while running."""
    if isinstance(error, Located):
        return failure(error.error, source, error.line, error.column)
    if isinstance(error, DomainError):
        return error
    if isinstance(error, SandboxFailure):
        reason, zh, en = error.reason, error.message_zh, error.message_en
    else:
        reason = "error"
        text = str(error)[:300]
        zh = en = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return DomainError(
        "workflow.expression_failed",
        f"表达式执行失败：第 {line} 行第 {column} 列，{zh}",
        f"Expression failed at line {line}, column {column}: {en}",
        details={"line": line, "column": column, "reason": reason, "source": source[:200]},
    )


@dataclass(frozen=True)
class CompiledExpression:
    """A checked, compiled expression; `evaluate` may be called many times."""

    source: str
    feel: bool
    run: Node = field(repr=False)

    def evaluate(
        self,
        variables: Mapping[str, Any],
        *,
        budget: Budget | None = None,
        functions: Mapping[str, Any] | None = None,
    ) -> Any:
        budget = budget if budget is not None else Budget(EXPRESSION_LIMITS)
        env = Env(variables, SANDBOX_FUNCTIONS if functions is None else functions, budget)
        token = bind_budget(budget)
        try:
            return self.run(env)
        except DomainError:
            raise
        except Exception as error:  # every failure leaves as a DomainError
            raise failure(error, self.source) from None
        finally:
            unbind_budget(token)


class Session:
    """Several compiled expressions run under one budget (for example one DMN decision).

    Use as a context manager; `run` evaluates one `CompiledExpression` against `variables`.
    """

    def __init__(
        self, limits: Limits = EXPRESSION_LIMITS, functions: Mapping[str, Any] | None = None
    ) -> None:
        self.budget = Budget(limits)
        self.functions = SANDBOX_FUNCTIONS if functions is None else functions
        self._token: Any = None

    def __enter__(self) -> Session:
        self._token = bind_budget(self.budget)
        return self

    def __exit__(self, *exc_info: object) -> None:
        unbind_budget(self._token)

    def run(self, compiled: CompiledExpression, variables: Mapping[str, Any]) -> Any:
        try:
            return compiled.run(Env(variables, self.functions, self.budget))
        except DomainError:
            raise
        except Exception as error:  # every failure leaves as a DomainError
            raise failure(error, compiled.source) from None


def _parse(
    source: str, mode: Literal["eval", "exec"], reserved: frozenset[str], extra: frozenset[str]
) -> ast.AST:
    if not isinstance(source, str):
        raise ValidationFailed(
            "workflow.expression_refused",
            "表达式必须是文本",
            "Expression refused: the source must be text",
            details={"line": 1, "column": 1, "problem": "not text"},
        )
    names = SANDBOX_FUNCTIONS.keys() | extra
    try:
        return parse(source, mode, names, reserved)
    except Refusal as refusal:
        raise _refused(refusal, source) from None


@lru_cache(maxsize=4096)
def _compiled(
    source: str, feel: bool, reserved: frozenset[str], extra: frozenset[str]
) -> CompiledExpression:
    tree = _parse(source, "eval", reserved, extra)
    try:
        run = Compiler(feel=feel).expression(tree)
    except RecursionError:
        raise _refused(Refusal("嵌套过深", "nested too deeply", 1, 1), source) from None
    return CompiledExpression(source=source, feel=feel, run=run)


def compile_expression(
    source: str,
    *,
    feel: bool = False,
    reserved: frozenset[str] = frozenset(),
    functions: frozenset[str] = frozenset(),
) -> CompiledExpression:
    """Check and compile `source` once (cached).

    `reserved` lists underscore names the caller itself binds (the DMN engine's input
    value); `functions` lists extra function names the caller will pass to `evaluate`.
    """
    return _compiled(source, feel, reserved, functions)


def check_expression(expression: str) -> None:
    """Raise ``workflow.expression_refused`` unless `expression` may run in the sandbox."""
    compile_expression(expression)


@lru_cache(maxsize=1024)
def _script(source: str) -> Callable[[Env], None]:
    tree = _parse(source, "exec", frozenset(), frozenset())
    assert isinstance(tree, ast.Module)
    try:
        return ScriptCompiler().script(tree)
    except RecursionError:
        raise _refused(Refusal("嵌套过深", "nested too deeply", 1, 1), source) from None


def check_script(script: str) -> None:
    """Raise ``workflow.expression_refused`` unless `script` may run in the sandbox."""
    _script(script)


def evaluate(
    expression: str, context: Mapping[str, Any], *, limits: Limits = EXPRESSION_LIMITS
) -> Any:
    """Evaluate one expression against the variables in `context`."""
    return compile_expression(expression).evaluate(context, budget=Budget(limits))


def execute(
    script: str, context: Mapping[str, Any], *, limits: Limits = SCRIPT_LIMITS
) -> dict[str, Any]:
    """Run a script-task body; return all variables afterwards (`context` is left as it was)."""
    run = _script(script)
    variables = copy.deepcopy(dict(context))
    budget = Budget(limits)
    env = Env(variables, SANDBOX_FUNCTIONS, budget)
    token = bind_budget(budget)
    try:
        run(env)
        _check_result(variables)
    except DomainError:
        raise
    except Exception as error:  # every failure leaves as a DomainError
        raise failure(error, script) from None
    finally:
        unbind_budget(token)
    return variables


def _check_result(variables: dict[str, Any]) -> None:
    """Refuse results that are too big (shared parts counted each time), too deeply nested
    for the engine's serialiser, or that hold functions."""
    total, stack = 0, [(value, 1) for value in variables.values()]
    while stack:
        item, depth = stack.pop()
        total += 1 + (len(item) if isinstance(item, str) else 0)
        if total > MAX_RESULT or depth > MAX_RESULT_DEPTH:
            raise SandboxFailure(
                "size_limit",
                f"脚本结果超过 {MAX_RESULT} 项或嵌套超过 {MAX_RESULT_DEPTH} 层",
                f"script result larger than {MAX_RESULT} or nested deeper than {MAX_RESULT_DEPTH}",
            )
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in (*item.keys(), *item.values()))
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend((child, depth + 1) for child in item)
        elif callable(item):
            raise SandboxFailure(
                "refused_value", "变量中不能保存函数", "functions cannot be stored in variables"
            )
