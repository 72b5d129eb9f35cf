"""Statements of sandboxed scripts (BPMN script tasks), compiled to closures.

A script is a list of statements from the allowed set: assignment (to names, items, or a
tuple of those), augmented assignment, expression statements, ``if``, ``for`` over a bounded
container, ``break``/``continue``/``pass`` and ``del``. Each statement ticks the budget, so a
script with loops stops at the step limit or the deadline. Variables live in one dict, the
script's result.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from .sandbox_compile import Break, Compiler, Continue, Env, Node, bind, positioned
from .sandbox_runtime import BINARY, SandboxFailure, check_size, get_item, iterate, set_item

Statement = Callable[[Env], None]


def _unknown(name: str) -> SandboxFailure:
    return SandboxFailure("unknown_name", f"未定义的名称 {name}", f"name {name!r} is not defined")


class ScriptCompiler(Compiler):
    def script(self, module: ast.Module) -> Statement:
        return self.block(module.body)

    def block(self, statements: list[ast.stmt]) -> Statement:
        compiled = [self.statement(s) for s in statements]

        def run(env: Env) -> None:
            for statement in compiled:
                statement(env)

        return run

    def statement(self, node: ast.stmt) -> Statement:
        body: Statement = getattr(self, f"s_{type(node).__name__}")(node)

        def ticked(env: Env) -> None:
            env.budget.tick()
            body(env)

        return positioned(node, ticked)

    def s_Pass(self, node: ast.Pass) -> Statement:
        return lambda env: None

    def s_Break(self, node: ast.Break) -> Statement:
        def run(env: Env) -> None:
            raise Break

        return run

    def s_Continue(self, node: ast.Continue) -> Statement:
        def run(env: Env) -> None:
            raise Continue

        return run

    def s_Expr(self, node: ast.Expr) -> Statement:
        value = self.expression(node.value)

        def run(env: Env) -> None:
            value(env)

        return run

    def s_Assign(self, node: ast.Assign) -> Statement:
        value = self.expression(node.value)
        targets = [self._target(t) for t in node.targets]

        def run(env: Env) -> None:
            result = value(env)
            for assign in targets:
                assign(env, result)

        return run

    def _target(self, target: ast.expr) -> Callable[[Env, Any], None]:
        if isinstance(target, ast.Subscript):
            container, key = self.expression(target.value), self.expression(target.slice)
            return lambda env, v: set_item(container(env), key(env), v, env.budget)
        if isinstance(target, ast.Tuple | ast.List):
            parts = [self._target(t) for t in target.elts]

            def unpack(env: Env, value: Any) -> None:
                if not isinstance(value, (list, tuple)) or len(value) != len(parts):
                    raise ValueError(f"cannot unpack into {len(parts)} targets")
                for assign, item in zip(parts, value, strict=True):
                    assign(env, item)

            return unpack
        assert isinstance(target, ast.Name)
        return lambda env, v: bind(env.variables, target, v)

    def s_AugAssign(self, node: ast.AugAssign) -> Statement:
        value = self.expression(node.value)
        operation = BINARY[type(node.op).__name__]
        target = node.target

        def combine(env: Env, old: Any, new: Any) -> Any:
            if isinstance(old, list) and isinstance(node.op, ast.Add):
                checked = operation(old, new, env.budget)  # size checks, result discarded
                return operator.iadd(old, new) if checked is not None else old
            return check_size(operation(old, new, env.budget), env.budget)

        if isinstance(target, ast.Subscript):
            container, key = self.expression(target.value), self.expression(target.slice)

            def item(env: Env) -> None:
                holder, index = container(env), key(env)
                set_item(
                    holder, index, combine(env, get_item(holder, index), value(env)), env.budget
                )

            return item
        assert isinstance(target, ast.Name)
        name = target.id

        def named(env: Env) -> None:
            if name not in env.variables:
                raise _unknown(name)
            env.variables[name] = combine(env, env.variables[name], value(env))

        return named

    def s_Delete(self, node: ast.Delete) -> Statement:
        def deleter(target: ast.expr) -> Callable[[Env], None]:
            if isinstance(target, ast.Subscript):
                container, key = self.expression(target.value), self.expression(target.slice)

                def item(env: Env) -> None:
                    holder = container(env)
                    if not isinstance(holder, (list, dict)):
                        raise SandboxFailure(
                            "refused_subscript",
                            "只能删除列表或字典的项",
                            "only list or dict items can be deleted",
                        )
                    del holder[key(env)]

                return item
            assert isinstance(target, ast.Name)
            name = target.id

            def variable(env: Env) -> None:
                if name not in env.variables:
                    raise _unknown(name)
                del env.variables[name]

            return variable

        parts = [deleter(t) for t in node.targets]

        def run(env: Env) -> None:
            for part in parts:
                part(env)

        return run

    def s_If(self, node: ast.If) -> Statement:
        test, body, orelse = (
            self.expression(node.test),
            self.block(node.body),
            self.block(node.orelse),
        )

        def run(env: Env) -> None:
            (body if test(env) else orelse)(env)

        return run

    def s_For(self, node: ast.For) -> Statement:
        iterable: Node = self.expression(node.iter)
        body, orelse = self.block(node.body), self.block(node.orelse)
        target = node.target

        def run(env: Env) -> None:
            budget = env.budget
            for item in iterate(iterable(env), budget):
                budget.tick()
                bind(env.variables, target, item)
                try:
                    body(env)
                except Break:
                    return
                except Continue:
                    continue
            orelse(env)

        return run
