"""Compile a checked AST into nested Python closures that run under a `Budget`.

Only nodes allowed by `sandbox_check` reach this module. Each node becomes a closure
``f(env) -> value``; compiling once per source (the sandbox caches) keeps evaluation fast
(a DMN cell such as ``? >= 18`` costs about a microsecond). Loop iterations, calls and
statements tick the budget; every operator, attribute, subscript and call goes through
`sandbox_runtime` / `sandbox_functions`. Errors are wrapped in `Located` with the line and
column of the node that failed.

``feel=True`` gives the operators DMN/FEEL semantics: arithmetic and ordering with ``None``
(FEEL null) or with mismatched types yield ``None`` instead of failing, and ``and``/``or``/
``not`` use three-valued logic.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .sandbox_check import dotted_name
from .sandbox_functions import find_method
from .sandbox_runtime import (
    BINARY,
    Budget,
    SandboxFailure,
    bounded_build,
    check_size,
    check_tuples,
    compare,
    get_attribute,
    get_item,
    iterate,
    measure,
)

Node = Callable[["Env"], Any]
_FEEL_ERRORS = (TypeError, ArithmeticError, ValueError)


class Env:
    """Variables, comprehension scopes, functions and budget of one evaluation."""

    __slots__ = ("budget", "functions", "scopes", "variables")

    def __init__(self, variables: Any, functions: Mapping[str, Any], budget: Budget) -> None:
        self.variables = variables
        self.functions = functions
        self.budget = budget
        self.scopes: list[dict[str, Any]] = []


class Located(Exception):
    def __init__(self, error: Exception, line: int, column: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.line = line
        self.column = column


class LoopSignal(Exception):
    """`break` or `continue` unwinding to the enclosing for loop."""


class Break(LoopSignal):
    pass


class Continue(LoopSignal):
    pass


def positioned(node: ast.AST, run: Node) -> Node:
    line, column = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1

    def located(env: Env) -> Any:
        try:
            return run(env)
        except (Located, LoopSignal):
            raise
        except Exception as error:
            raise Located(error, line, column) from None

    return located


def _unknown_name(name: str) -> SandboxFailure:
    return SandboxFailure("unknown_name", f"未定义的名称 {name}", f"name {name!r} is not defined")


class Compiler:
    def __init__(self, *, feel: bool = False) -> None:
        self.feel = feel

    def expression(self, node: ast.AST) -> Node:
        method = getattr(self, f"e_{type(node).__name__}")
        compiled: Node = method(node)
        return compiled

    # --- leaves --------------------------------------------------------------------------

    def e_Expression(self, node: ast.Expression) -> Node:
        return self.expression(node.body)

    def e_Constant(self, node: ast.Constant) -> Node:
        value = node.value
        return lambda env: value

    def e_Name(self, node: ast.Name) -> Node:
        name = node.id

        def load(env: Env) -> Any:
            for scope in reversed(env.scopes):
                if name in scope:
                    return scope[name]
            variables = env.variables
            if name in variables:
                return variables[name]
            function = env.functions.get(name)
            if function is None:
                raise _unknown_name(name)
            return function

        return positioned(node, load)

    # --- operators -----------------------------------------------------------------------

    def e_BinOp(self, node: ast.BinOp) -> Node:
        left, right = self.expression(node.left), self.expression(node.right)
        operation = BINARY[type(node.op).__name__]
        if self.feel:

            def feel(env: Env) -> Any:
                a, b = left(env), right(env)
                if a is None or b is None:
                    return None
                try:
                    return check_size(operation(a, b, env.budget), env.budget)
                except _FEEL_ERRORS:
                    return None

            return positioned(node, feel)
        return positioned(
            node, lambda env: check_size(operation(left(env), right(env), env.budget), env.budget)
        )

    def e_UnaryOp(self, node: ast.UnaryOp) -> Node:
        operand = self.expression(node.operand)
        kind = type(node.op)
        if kind is ast.Not:
            if self.feel:
                return lambda env: None if (v := operand(env)) is None else not v
            return lambda env: not operand(env)
        apply: Callable[[Any], Any] = {
            ast.USub: lambda v: -v,
            ast.UAdd: lambda v: +v,
            ast.Invert: lambda v: ~v,
        }[kind]
        if self.feel:
            return positioned(node, lambda env: None if (v := operand(env)) is None else apply(v))
        return positioned(node, lambda env: apply(operand(env)))

    def e_BoolOp(self, node: ast.BoolOp) -> Node:
        values = [self.expression(v) for v in node.values]
        is_and = isinstance(node.op, ast.And)
        if self.feel:
            decisive = not is_and  # False decides an `and`, True decides an `or`

            def three_valued(env: Env) -> Any:
                unknown = False
                for value in values:
                    result = value(env)
                    if result is None:
                        unknown = True
                    elif bool(result) is decisive:
                        return decisive
                return None if unknown else not decisive

            return three_valued

        def short_circuit(env: Env) -> Any:
            result = None
            for value in values:
                result = value(env)
                if bool(result) is not is_and:
                    return result
            return result

        return short_circuit

    def e_Compare(self, node: ast.Compare) -> Node:
        first = self.expression(node.left)
        steps = [
            (type(op).__name__, self.expression(c))
            for op, c in zip(node.ops, node.comparators, strict=True)
        ]
        ordering = {"Lt", "LtE", "Gt", "GtE", "In", "NotIn"}
        feel = self.feel

        def run(env: Env) -> Any:
            left = first(env)
            result: Any = True
            for op, comparator in steps:
                right = comparator(env)
                if feel and op in ordering:
                    if left is None or right is None:
                        return None
                    try:
                        result = compare(op, left, right, env.budget)
                    except TypeError:
                        return None
                else:
                    result = compare(op, left, right, env.budget)
                if not result:
                    return result
                left = right
            return result

        return positioned(node, run)

    def e_IfExp(self, node: ast.IfExp) -> Node:
        test, body, orelse = map(self.expression, (node.test, node.body, node.orelse))
        return lambda env: body(env) if test(env) else orelse(env)

    # --- access and calls ----------------------------------------------------------------

    def e_Attribute(self, node: ast.Attribute) -> Node:
        value, name = self.expression(node.value), node.attr
        if self.feel:  # a FEEL path on null or a missing key is null

            def path(env: Env) -> Any:
                holder = value(env)
                if holder is None or (isinstance(holder, Mapping) and name not in holder):
                    return None
                return get_attribute(holder, name)

            return positioned(node, path)
        return positioned(node, lambda env: get_attribute(value(env), name))

    def e_Subscript(self, node: ast.Subscript) -> Node:
        value, key = self.expression(node.value), self.expression(node.slice)

        def run(env: Env) -> Any:
            index = key(env)
            item = get_item(value(env), index)
            return check_size(item, env.budget) if isinstance(index, slice) else item

        return positioned(node, run)

    def e_Slice(self, node: ast.Slice) -> Node:
        parts = [
            self.expression(p) if p is not None else None
            for p in (node.lower, node.upper, node.step)
        ]
        return lambda env: slice(*(p(env) if p is not None else None for p in parts))

    def e_Call(self, node: ast.Call) -> Node:
        args = [self.expression(a) for a in node.args]
        keywords = [(k.arg, self.expression(k.value)) for k in node.keywords]
        func = node.func
        name = func.id if isinstance(func, ast.Name) else dotted_name(func)

        def arguments(env: Env) -> tuple[list[Any], dict[str, Any]]:
            return [a(env) for a in args], {str(k): v(env) for k, v in keywords}

        if isinstance(func, ast.Attribute):
            receiver, method_name = self.expression(func.value), func.attr

            def call_method(env: Env) -> Any:
                if name is not None and name in env.functions:
                    target = env.functions[name]
                    positional, named = arguments(env)
                else:
                    obj = receiver(env)
                    method = find_method(obj, method_name)
                    positional, named = arguments(env)
                    positional.insert(0, obj)
                    target = method
                env.budget.tick()
                return check_size(target(*positional, **named), env.budget)

            return positioned(node, call_method)

        def call_function(env: Env) -> Any:
            target = env.functions.get(str(name))
            if target is None:
                raise SandboxFailure(
                    "unknown_function",
                    f"沙箱中没有函数 {name}",
                    f"function {name!r} is not available",
                )
            positional, named = arguments(env)
            env.budget.tick()
            return check_size(target(*positional, **named), env.budget)

        return positioned(node, call_function)

    # --- displays and comprehensions -----------------------------------------------------

    def e_List(self, node: ast.List) -> Node:
        items = [self.expression(e) for e in node.elts]
        return lambda env: check_size([i(env) for i in items], env.budget)

    def e_Tuple(self, node: ast.Tuple) -> Node:
        items = [self.expression(e) for e in node.elts]
        return positioned(
            node, lambda env: check_tuples(check_size(tuple(i(env) for i in items), env.budget))
        )

    def e_Set(self, node: ast.Set) -> Node:
        items = [self.expression(e) for e in node.elts]
        return positioned(node, lambda env: check_size({i(env) for i in items}, env.budget))

    def e_Dict(self, node: ast.Dict) -> Node:
        pairs = [
            (self.expression(k), self.expression(v))
            for k, v in zip(node.keys, node.values, strict=True)
            if k
        ]
        return positioned(
            node, lambda env: check_size({k(env): v(env) for k, v in pairs}, env.budget)
        )

    def e_ListComp(self, node: ast.ListComp) -> Node:
        element = self.expression(node.elt)
        loop = self._generators(node.generators)

        def run(env: Env) -> list[Any]:
            out: list[Any] = []
            loop(env, lambda: out.append(element(env)))
            return check_size(out, env.budget)

        return positioned(node, run)

    e_GeneratorExp = e_ListComp  # evaluated eagerly: a generator object never escapes

    def e_SetComp(self, node: ast.SetComp) -> Node:
        listed = self.e_ListComp(ast.ListComp(elt=node.elt, generators=node.generators))
        return positioned(
            node, lambda env: check_size(bounded_build(listed(env), env.budget), env.budget)
        )

    def e_DictComp(self, node: ast.DictComp) -> Node:
        key, value = self.expression(node.key), self.expression(node.value)
        loop = self._generators(node.generators)

        def run(env: Env) -> dict[Any, Any]:
            out: dict[Any, Any] = {}

            def emit() -> None:
                out[key(env)] = value(env)

            loop(env, emit)
            return check_size(out, env.budget)

        return positioned(node, run)

    def _generators(
        self, generators: list[ast.comprehension]
    ) -> Callable[[Env, Callable[[], None]], None]:
        compiled = [
            (g.target, self.expression(g.iter), [self.expression(c) for c in g.ifs])
            for g in generators
        ]

        def loop(env: Env, emit: Callable[[], None]) -> None:
            scope: dict[str, Any] = {}
            env.scopes.append(scope)
            try:
                _nested(env, scope, emit, 0)
            finally:
                env.scopes.pop()

        def _nested(env: Env, scope: dict[str, Any], emit: Callable[[], None], level: int) -> None:
            target, iterable, conditions = compiled[level]
            budget = env.budget
            for item in iterate(iterable(env), budget):
                budget.tick()
                bind(scope, target, item)
                if all(c(env) for c in conditions):
                    if level + 1 == len(compiled):
                        emit()
                        budget.charge(1)
                    else:
                        _nested(env, scope, emit, level + 1)

        return loop

    def e_JoinedStr(self, node: ast.JoinedStr) -> Node:
        parts: list[Node] = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                parts.append(self._formatted(part))
            else:
                parts.append(self.expression(part))
        return lambda env: check_size("".join(p(env) for p in parts), env.budget)

    def _formatted(self, node: ast.FormattedValue) -> Node:
        value = self.expression(node.value)
        spec = ""
        if isinstance(node.format_spec, ast.JoinedStr):
            spec = "".join(str(getattr(p, "value", "")) for p in node.format_spec.values)
        conversions: dict[int, Callable[[Any], str]] = {115: str, 114: repr, 97: ascii}
        conversion = conversions.get(node.conversion)

        def run(env: Env) -> str:
            raw = value(env)
            measure(raw, env.budget.limits.max_string)
            if isinstance(raw, Decimal) and raw.is_finite() and raw.adjusted() > 10_000:
                raise SandboxFailure(
                    "size_limit", "数值过大，无法格式化", "number too large to format"
                )
            converted = conversion(raw) if conversion is not None else raw
            return format(converted, spec)

        return positioned(node, run)


def bind(scope: Any, target: ast.AST, value: Any) -> None:
    """Assign a loop or assignment value to a name or a tuple of names."""
    if isinstance(target, ast.Name):
        scope[target.id] = value
        return
    assert isinstance(target, ast.Tuple | ast.List)
    if not isinstance(value, (list, tuple)) or len(value) != len(target.elts):
        raise ValueError(f"cannot unpack into {len(target.elts)} names")
    for name, item in zip(target.elts, value, strict=True):
        bind(scope, name, item)
