"""Static check of sandboxed expressions and scripts: parse with `ast`, allow listed nodes only.

What is refused before anything runs, each with its line and column: imports, function and
class definitions, lambda, ``while``, ``try``/``with``/``raise``, ``global``/``nonlocal``,
``*``/``**`` unpacking, ``:=``, bit shifts, bytes literals, any name or attribute or keyword
beginning with an underscore (Python folds identifiers to NFKC, so full-width ``＿＿class＿＿``
is caught as ``__class__``), calls to anything but the sandbox functions or a method on a
value, assignment to attributes, f-string format specs other than a short constant, sources
longer than the limit and nesting deeper than `MAX_DEPTH`.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Container
from typing import Literal

MAX_EXPRESSION_CHARS = 10_000
MAX_SCRIPT_CHARS = 100_000
MAX_DEPTH = 100
MUTATING_METHODS = frozenset(
    [
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "sort",
        "reverse",
        "update",
        "setdefault",
        "add",
        "discard",
    ]
)

# fill, align, sign, #, 0, width <= 99, grouping, precision <= 99, type
_FORMAT_SPEC = re.compile(r"^(.?[<>=^])?[+\- ]?#?0?\d{0,2}[,_]?(\.\d{1,2})?[bcdeEfFgGnosxX%]?$")

_PLAIN = {
    ast.Expression, ast.Constant, ast.Name, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare,
    ast.IfExp, ast.Call, ast.Attribute, ast.Subscript, ast.Slice, ast.List, ast.Tuple,
    ast.Dict, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
    ast.comprehension, ast.JoinedStr, ast.FormattedValue, ast.keyword,
    ast.Load, ast.Store, ast.Del, ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd, ast.Invert,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.BitAnd, ast.BitOr, ast.BitXor,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn,
}  # fmt: skip
_STATEMENTS = {
    ast.Module, ast.Assign, ast.AugAssign, ast.Expr, ast.If, ast.For, ast.Break,
    ast.Continue, ast.Pass, ast.Delete,
}  # fmt: skip

_NAMED_REFUSALS: dict[type, tuple[str, str]] = {
    ast.Import: ("不允许 import", "import is not allowed"),
    ast.ImportFrom: ("不允许 import", "import is not allowed"),
    ast.Lambda: ("不允许 lambda", "lambda is not allowed"),
    ast.FunctionDef: ("不允许定义函数", "defining functions is not allowed"),
    ast.AsyncFunctionDef: ("不允许定义函数", "defining functions is not allowed"),
    ast.ClassDef: ("不允许定义类", "defining classes is not allowed"),
    ast.While: ("不允许 while 循环，请用 for 遍历列表", "while loops are not allowed; use for"),
    ast.Global: ("不允许 global", "global is not allowed"),
    ast.Nonlocal: ("不允许 nonlocal", "nonlocal is not allowed"),
    ast.Try: ("不允许 try", "try is not allowed"),
    ast.With: ("不允许 with", "with is not allowed"),
    ast.Raise: ("不允许 raise", "raise is not allowed"),
    ast.Assert: ("不允许 assert", "assert is not allowed"),
    ast.Starred: ("不允许 * 解包", "* unpacking is not allowed"),
    ast.NamedExpr: ("不允许 := 运算符", "the := operator is not allowed"),
    ast.Yield: ("不允许 yield", "yield is not allowed"),
    ast.YieldFrom: ("不允许 yield", "yield is not allowed"),
    ast.Await: ("不允许 await", "await is not allowed"),
    ast.LShift: ("不允许移位运算", "bit shifts are not allowed"),
    ast.RShift: ("不允许移位运算", "bit shifts are not allowed"),
    ast.MatMult: ("不允许 @ 运算符", "the @ operator is not allowed"),
}


class Refusal(Exception):
    """A source the sandbox will not run, with the position of the problem (1-based)."""

    def __init__(self, problem_zh: str, problem_en: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {problem_en}")
        self.problem_zh = problem_zh
        self.problem_en = problem_en
        self.line = line
        self.column = column


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attribute reads on a plain name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def parse(
    source: str,
    mode: Literal["eval", "exec"],
    functions: Container[str],
    reserved: Container[str] = (),
) -> ast.AST:
    """Parse and check `source`; raise `Refusal` naming the first problem found."""
    limit = MAX_EXPRESSION_CHARS if mode == "eval" else MAX_SCRIPT_CHARS
    if len(source) > limit:
        raise Refusal(f"长度超过 {limit} 个字符", f"longer than {limit} characters", 1, 1)
    try:
        with warnings.catch_warnings():  # e.g. SyntaxWarning for "1in": the refusal says enough
            warnings.simplefilter("ignore")
            tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except SyntaxError as error:
        raise Refusal(
            f"语法错误：{error.msg}",
            f"syntax error: {error.msg}",
            error.lineno or 1,
            error.offset or 1,
        ) from None
    except (RecursionError, MemoryError):
        raise Refusal("嵌套过深", "nested too deeply", 1, 1) from None
    except ValueError as error:  # e.g. NUL characters in the source
        raise Refusal(f"无法解析：{error}", f"cannot be parsed: {error}", 1, 1) from None
    _Checker(mode, functions, reserved).visit(tree, 0, 0)
    return tree


class _Checker:
    def __init__(self, mode: str, functions: Container[str], reserved: Container[str]) -> None:
        self.allowed = _PLAIN | (_STATEMENTS if mode == "exec" else set())
        self.expression_only = mode == "eval"
        self.functions = functions
        self.reserved = reserved

    def refuse(self, node: ast.AST, zh: str, en: str) -> Refusal:
        line = getattr(node, "lineno", 1)
        column = getattr(node, "col_offset", 0) + 1
        return Refusal(zh, en, line, column)

    def visit(self, node: ast.AST, depth: int, loops: int) -> None:
        if depth > MAX_DEPTH:
            raise self.refuse(node, f"嵌套超过 {MAX_DEPTH} 层", f"nested deeper than {MAX_DEPTH}")
        kind = type(node)
        if kind not in self.allowed:
            zh, en = _NAMED_REFUSALS.get(
                kind, (f"不允许 {kind.__name__}", f"{kind.__name__} is not allowed")
            )
            raise self.refuse(node, zh, en)
        special = getattr(self, f"check_{kind.__name__}", None)
        if special is not None and special(node, depth, loops):
            return  # the special check visited the children itself
        for child in ast.iter_child_nodes(node):
            self.visit(child, depth + 1, loops)

    def _underscore(self, node: ast.AST, name: str, what_zh: str, what_en: str) -> None:
        if name.startswith("_") and name not in self.reserved:
            raise self.refuse(
                node, f"不允许以下划线开头的{what_zh}：{name}", f"{what_en} {name!r} is not allowed"
            )

    def check_Name(self, node: ast.Name, depth: int, loops: int) -> bool:
        self._underscore(node, node.id, "名称", "the name")
        return False

    def check_Attribute(self, node: ast.Attribute, depth: int, loops: int) -> bool:
        self._underscore(node, node.attr, "属性", "access to the attribute")
        if not isinstance(node.ctx, ast.Load):
            raise self.refuse(
                node, "不允许给属性赋值或删除属性", "assigning attributes is not allowed"
            )
        return False

    def check_keyword(self, node: ast.keyword, depth: int, loops: int) -> bool:
        if node.arg is None:
            raise self.refuse(node, "不允许 ** 解包", "** unpacking is not allowed")
        self._underscore(node, node.arg, "参数名", "the keyword argument")
        return False

    def check_Constant(self, node: ast.Constant, depth: int, loops: int) -> bool:
        if node.value is not None and type(node.value) not in (int, float, str, bool):
            kind = type(node.value).__name__
            raise self.refuse(node, f"不允许 {kind} 常量", f"{kind} literals are not allowed")
        return False

    def check_Dict(self, node: ast.Dict, depth: int, loops: int) -> bool:
        if any(key is None for key in node.keys):
            raise self.refuse(node, "不允许 ** 解包", "** unpacking is not allowed")
        return False

    def check_comprehension(self, node: ast.comprehension, depth: int, loops: int) -> bool:
        if node.is_async:
            raise self.refuse(
                node.target, "不允许异步推导式", "async comprehensions are not allowed"
            )
        self._plain_target(node.target)
        return False

    def check_For(self, node: ast.For, depth: int, loops: int) -> bool:
        self._plain_target(node.target)
        self.visit(node.target, depth + 1, loops)
        self.visit(node.iter, depth + 1, loops)
        for statement in node.body:
            self.visit(statement, depth + 1, loops + 1)
        for statement in node.orelse:
            self.visit(statement, depth + 1, loops)
        return True

    def _plain_target(self, target: ast.AST) -> None:
        names = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        for name in names:
            if not isinstance(name, ast.Name):
                raise self.refuse(name, "循环变量只能是名称", "loop targets must be plain names")

    def check_Assign(self, node: ast.Assign, depth: int, loops: int) -> bool:
        for target in node.targets:
            for item in target.elts if isinstance(target, ast.Tuple | ast.List) else [target]:
                if not isinstance(item, ast.Name | ast.Subscript):
                    raise self.refuse(
                        item, "只能给名称或下标赋值", "only names and items can be assigned"
                    )
        return False

    def check_AugAssign(self, node: ast.AugAssign, depth: int, loops: int) -> bool:
        if not isinstance(node.target, ast.Name | ast.Subscript):
            raise self.refuse(node, "只能给名称或下标赋值", "only names and items can be assigned")
        return False

    def check_Delete(self, node: ast.Delete, depth: int, loops: int) -> bool:
        for target in node.targets:
            if not isinstance(target, ast.Name | ast.Subscript):
                raise self.refuse(
                    target, "只能删除名称或下标", "only names and items can be deleted"
                )
        return False

    def check_Break(self, node: ast.AST, depth: int, loops: int) -> bool:
        if not loops:
            raise self.refuse(node, "break/continue 必须在循环内", "break/continue outside a loop")
        return False

    check_Continue = check_Break

    def check_FormattedValue(self, node: ast.FormattedValue, depth: int, loops: int) -> bool:
        spec = node.format_spec
        if spec is not None:
            parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
            constant = all(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts)
            text = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
            if not constant or not _FORMAT_SPEC.match(text):
                raise self.refuse(
                    node,
                    "格式说明只能是简短的常量（宽度与精度不超过 99）",
                    "format specs must be short constants (width and precision up to 99)",
                )
        self.visit(node.value, depth + 1, loops)
        return True

    def check_Call(self, node: ast.Call, depth: int, loops: int) -> bool:
        func = node.func
        name = dotted_name(func)
        if isinstance(func, ast.Name):
            self._underscore(func, func.id, "函数", "the function")
            if func.id not in self.functions:
                raise self.refuse(
                    func, f"沙箱中没有函数 {func.id}", f"function {func.id!r} is not available"
                )
        elif name is not None and name in self.functions:
            pass  # a dotted sandbox function such as datetime.date
        elif isinstance(func, ast.Attribute):
            if self.expression_only and func.attr in MUTATING_METHODS:
                raise self.refuse(
                    func,
                    f"表达式不能修改数据（{func.attr}），请用脚本任务",
                    f"expressions cannot change values ({func.attr}); use a script task",
                )
            self.visit(func, depth + 1, loops)  # a method call on a value: x.lower()
        else:
            raise self.refuse(
                node,
                "只能调用沙箱函数或值的方法",
                "only sandbox functions and methods can be called",
            )
        for child in (*node.args, *node.keywords):
            self.visit(child, depth + 1, loops)
        return True
