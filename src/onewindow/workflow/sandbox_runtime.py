"""Run-time guards of the expression sandbox: budget, size limits and the safe operations.

Everything a sandboxed expression can do to a value goes through a function here, so that no
single step can run for long or allocate much: the budget counts loop iterations, calls and
statements against a step limit and a wall-clock deadline; operators that can build huge
values (``*``, ``**``, ``+`` on sequences) check the size of the result before computing it;
method calls and attribute reads are looked up in fixed tables keyed by the value's type and
never through ``getattr`` on an unknown object.

Errors raised here are `SandboxFailure` (a refusal with a Chinese and English message) or
plain Python exceptions from the operation itself; `onewindow.workflow.sandbox` turns both
into ``workflow.expression_failed``.
"""

from __future__ import annotations

import datetime as dt
import operator
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Bounds for one evaluation (one expression, one script run or one decision)."""

    seconds: float = 0.25
    steps: int = 200_000
    max_string: int = 200_000
    max_items: int = 100_000
    max_int_bits: int = 65_536
    max_allocation: int = 5_000_000


EXPRESSION_LIMITS = Limits()
SCRIPT_LIMITS = Limits(seconds=0.5, steps=1_000_000)


class SandboxFailure(Exception):
    """A run-time refusal with its own bilingual message."""

    def __init__(self, reason: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.reason = reason
        self.message_zh = message_zh
        self.message_en = message_en


class Budget:
    """Steps, time and allocation left for one evaluation."""

    __slots__ = ("allocation", "deadline", "limits", "steps")

    def __init__(self, limits: Limits = EXPRESSION_LIMITS) -> None:
        self.limits = limits
        self.steps = limits.steps
        self.allocation = limits.max_allocation
        self.deadline = time.monotonic() + limits.seconds

    def tick(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise SandboxFailure(
                "step_limit",
                f"超过步数上限（{self.limits.steps} 步）",
                f"step limit of {self.limits.steps} exceeded",
            )
        if time.monotonic() > self.deadline:
            raise SandboxFailure(
                "time_limit",
                f"超过时间上限（{self.limits.seconds} 秒）",
                f"time limit of {self.limits.seconds} s exceeded",
            )

    def charge(self, amount: int) -> None:
        """Count `amount` newly created items or characters against the allocation cap."""
        self.allocation -= amount
        if self.allocation < 0:
            raise SandboxFailure(
                "allocation_limit",
                f"创建的数据超过上限（{self.limits.max_allocation} 项）",
                f"more than {self.limits.max_allocation} items or characters created",
            )


def _too_large(what_zh: str, what_en: str, limit: int) -> SandboxFailure:
    return SandboxFailure(
        "size_limit", f"{what_zh}超过上限 {limit}", f"{what_en} would exceed the limit of {limit}"
    )


CONTAINERS = (list, tuple, dict, set, frozenset)
SIZED_RESULTS = (str, list, tuple, dict, set, frozenset)


def check_size(value: Any, budget: Budget) -> Any:
    """Charge and bound a freshly created string or container."""
    if isinstance(value, SIZED_RESULTS):
        size = len(value)
        limits = budget.limits
        if isinstance(value, str):
            if size > limits.max_string:
                raise _too_large("字符串长度", "string length", limits.max_string)
        elif size > limits.max_items:
            raise _too_large("元素个数", "number of items", limits.max_items)
        budget.charge(size)
    elif isinstance(value, int) and value.bit_length() > budget.limits.max_int_bits:
        raise _too_large("整数位数", "integer bit length", budget.limits.max_int_bits)
    return value


def measure(value: Any, cap: int) -> int:
    """Items and characters reachable from `value`, counting shared parts each time.

    Stops (raising) as soon as `cap` is passed, so the cost is O(cap) even for a list that
    holds itself or the same big list many times. Used before operations that walk a value
    deeply (str(), sorting, comparing containers) and on the variables a script returns.
    """
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        total += 1
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, CONTAINERS):
            stack.extend(item)
        if total > cap:
            raise _too_large("数据规模", "size of the value", cap)
    return total


def guard_deep(value: Any, budget: Budget) -> None:
    if isinstance(value, CONTAINERS):
        measure(value, budget.limits.max_items)


# --- binary operators -------------------------------------------------------------------


def _repeat(seq: Any, times: Any, budget: Budget) -> Any:
    if isinstance(times, bool) or not isinstance(times, int):
        return operator.mul(seq, times)
    limits = budget.limits
    count = max(times, 0)
    if isinstance(seq, str):
        if len(seq) * count > limits.max_string:
            raise _too_large("字符串长度", "string length", limits.max_string)
    elif len(seq) * count > limits.max_items:
        raise _too_large("元素个数", "number of items", limits.max_items)
    elif seq and count:
        measure(seq, limits.max_items // count)
    return check_size(seq * count, budget)


def safe_mul(left: Any, right: Any, budget: Budget) -> Any:
    if isinstance(left, (str, list, tuple)):
        return _repeat(left, right, budget)
    if isinstance(right, (str, list, tuple)):
        return _repeat(right, left, budget)
    bits = budget.limits.max_int_bits
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and (left.bit_length() + right.bit_length() > bits)
    ):
        raise _too_large("整数位数", "integer bit length", bits)
    return left * right


def safe_pow(base: Any, exponent: Any, budget: Budget) -> Any:
    limit = budget.limits.max_int_bits
    # bit_length x exponent over-estimates the result by at most a factor of two
    if (
        isinstance(base, int)
        and isinstance(exponent, int)
        and abs(base) > 1
        and base.bit_length() * exponent > limit
    ):
        raise _too_large("整数位数", "integer bit length", limit)
    trivial = isinstance(base, (int, float, Decimal)) and base in (0, 1, -1)
    huge = isinstance(exponent, (int, Decimal)) and not -(10**6) <= exponent <= 10**6
    if huge and not trivial:
        raise _too_large("指数", "exponent", 10**6)
    return base**exponent


def safe_add(left: Any, right: Any, budget: Budget) -> Any:
    if isinstance(left, (str, list, tuple)) and type(left) is type(right):
        limits = budget.limits
        limit = limits.max_string if isinstance(left, str) else limits.max_items
        if len(left) + len(right) > limit:
            raise _too_large("长度", "length", limit)
        return check_size(operator.add(left, right), budget)
    return left + right


def safe_mod(left: Any, right: Any, budget: Budget) -> Any:
    if isinstance(left, str):
        raise SandboxFailure(
            "refused_operation",
            "不允许用 % 格式化字符串，请使用 f-字符串",
            "string formatting with % is not allowed; use an f-string",
        )
    return left % right


def safe_or(left: Any, right: Any, budget: Budget) -> Any:
    return check_size(left | right, budget) if isinstance(left, CONTAINERS) else left | right


BINARY: dict[str, Callable[[Any, Any, Budget], Any]] = {
    "Add": safe_add,
    "Sub": lambda a, b, _: a - b,
    "Mult": safe_mul,
    "Div": lambda a, b, _: a / b,
    "FloorDiv": lambda a, b, _: a // b,
    "Mod": safe_mod,
    "Pow": safe_pow,
    "BitAnd": lambda a, b, _: a & b,
    "BitOr": safe_or,
    "BitXor": lambda a, b, _: a ^ b,
}


def compare(op: str, left: Any, right: Any, budget: Budget) -> Any:
    if isinstance(left, CONTAINERS) or isinstance(right, CONTAINERS):
        guard_deep(left, budget)
        guard_deep(right, budget)
    return COMPARE[op](left, right)


COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "Eq": operator.eq,
    "NotEq": operator.ne,
    "Lt": operator.lt,
    "LtE": operator.le,
    "Gt": operator.gt,
    "GtE": operator.ge,
    "Is": operator.is_,
    "IsNot": operator.is_not,
    "In": lambda a, b: a in b,
    "NotIn": lambda a, b: a not in b,
}


# --- attributes, subscripts, iteration ----------------------------------------------------

DATA_ATTRIBUTES: dict[type, frozenset[str]] = {
    dt.datetime: frozenset({"year", "month", "day", "hour", "minute", "second", "microsecond"}),
    dt.date: frozenset({"year", "month", "day"}),
    dt.timedelta: frozenset({"days", "seconds", "microseconds"}),
}


def get_attribute(value: Any, name: str) -> Any:
    """`value.name` for mappings (a key) and for the plain data fields of dates."""
    if isinstance(value, Mapping):
        if name not in value:
            raise KeyError(name)
        return value[name]
    for cls in type(value).__mro__:
        allowed = DATA_ATTRIBUTES.get(cls)
        if allowed is not None and name in allowed:
            return getattr(value, name)
    raise SandboxFailure(
        "refused_attribute",
        f"不允许读取 {type(value).__name__} 类型的属性 {name}",
        f"attribute {name!r} of a {type(value).__name__} value is not available",
    )


SUBSCRIPTABLE = (list, tuple, str, dict, range)
ITERABLE = (list, tuple, str, dict, set, frozenset, range)


def get_item(container: Any, key: Any) -> Any:
    if not isinstance(container, SUBSCRIPTABLE):
        raise SandboxFailure(
            "refused_subscript",
            f"不能对 {type(container).__name__} 类型取下标",
            f"a {type(container).__name__} value cannot be subscripted",
        )
    return container[key]


def set_item(container: Any, key: Any, value: Any, budget: Budget) -> None:
    if not isinstance(container, (list, dict)):
        raise SandboxFailure(
            "refused_subscript",
            f"不能对 {type(container).__name__} 类型赋值下标",
            f"items of a {type(container).__name__} value cannot be assigned",
        )
    container[key] = value
    if len(container) > budget.limits.max_items:
        raise _too_large("元素个数", "number of items", budget.limits.max_items)
    budget.charge(1)


def iterate(value: Any, budget: Budget) -> list[Any]:
    """A snapshot of the items of a bounded container (never an arbitrary iterator)."""
    if not isinstance(value, ITERABLE):
        raise SandboxFailure(
            "refused_iteration",
            f"不能遍历 {type(value).__name__} 类型的值",
            f"a {type(value).__name__} value cannot be iterated",
        )
    if len(value) > budget.limits.max_items:
        raise _too_large("元素个数", "number of items", budget.limits.max_items)
    items = list(value)
    budget.charge(len(items))
    return items


MAX_TUPLE_DEPTH = 32


def check_tuples(value: Any) -> Any:
    """Refuse tuples nested deeper than `MAX_TUPLE_DEPTH`.

    CPython hashes a tuple by recursing in C without a recursion guard, so hashing a tuple
    nested a hundred thousand deep (built in a loop with ``t = (t,)``) crashes the process.
    Every place the sandbox builds tuples from arbitrary values calls this.
    """
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (tuple, frozenset)):
            if depth >= MAX_TUPLE_DEPTH:
                raise SandboxFailure(
                    "size_limit",
                    f"元组嵌套超过 {MAX_TUPLE_DEPTH} 层",
                    f"tuples nested deeper than {MAX_TUPLE_DEPTH}",
                )
            stack.extend((child, depth + 1) for child in item)
    return value


def bounded_build(items: list[Any], budget: Budget, *, pairs: bool = False) -> Any:
    """A set (or dict from pairs) built one item at a time, watching the deadline.

    Python ints, floats and tuples hash predictably, so a list of keys chosen to collide
    makes one C-level ``set(...)`` call quadratic; inserting item by item keeps the deadline.
    """
    result: Any = {} if pairs else set()
    for index, item in enumerate(items):
        if pairs:
            key, value = item
            result[key] = value
        else:
            result.add(item)
        if index & 255 == 255 and time.monotonic() > budget.deadline:
            budget.tick()  # raises the time-limit failure
    return result
