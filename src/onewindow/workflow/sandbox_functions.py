"""The functions and methods a sandboxed expression may call, each bounded in cost.

`default_functions()` builds the initial `SANDBOX_FUNCTIONS` table (name → callable; dotted
names such as ``datetime.date`` are matched against the whole dotted call). `METHODS` maps a
value type to the methods callable on it; the sandbox calls the table's function with the
value as first argument, so a subclass cannot substitute its own method. Anything that
consumes a collection first checks its size against the current evaluation's `Budget`
(`current_budget()`), so no single call runs long or builds a huge value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from .sandbox_runtime import (
    EXPRESSION_LIMITS,
    Budget,
    SandboxFailure,
    bounded_build,
    check_size,
    check_tuples,
    guard_deep,
    iterate,
    measure,
)

_budget: ContextVar[Budget | None] = ContextVar("sandbox_budget", default=None)


def current_budget() -> Budget:
    budget = _budget.get()
    return budget if budget is not None else Budget(EXPRESSION_LIMITS)


def bind_budget(budget: Budget) -> Any:
    return _budget.set(budget)


def unbind_budget(token: Any) -> None:
    _budget.reset(token)


def _refuse(reason: str, zh: str, en: str) -> SandboxFailure:
    return SandboxFailure(reason, zh, en)


def _items(value: Any) -> list[Any]:
    return iterate(value, current_budget())


def _key(key: Any) -> Any:
    from .sandbox import SANDBOX_FUNCTIONS

    if key is not None and not any(key is fn for fn in SANDBOX_FUNCTIONS.values()):
        raise _refuse(
            "refused_call", "key 参数只能是沙箱函数", "key= must be one of the sandbox functions"
        )
    return key


def safe_str(value: Any = "") -> str:
    budget = current_budget()
    measure(value, budget.limits.max_string)
    return str(value)


def safe_int(value: Any = 0, *base: int) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() > 4000:
        raise _refuse("size_limit", "数值过大", "number too large to convert to int")
    return int(value, *base)


def safe_round(value: Any, ndigits: int | None = None) -> Any:
    if ndigits is not None and abs(ndigits) > 30:
        raise _refuse("size_limit", "round 的位数超过 30", "round() digits beyond 30")
    return round(value, ndigits) if ndigits is not None else round(value)


def safe_range(*args: int) -> range:
    result = range(*args)
    if len(result) > current_budget().limits.max_items:
        limit = current_budget().limits.max_items
        raise _refuse("size_limit", f"range 超过 {limit} 项", f"range longer than {limit} items")
    return result


def _deep_items(values: tuple[Any, ...]) -> list[Any]:
    items = _items(values[0]) if len(values) == 1 else list(values)
    guard_deep(items, current_budget())
    return items


def safe_min(*values: Any, key: Any = None, **kwargs: Any) -> Any:
    return min(_deep_items(values), key=_key(key), **kwargs)


def safe_max(*values: Any, key: Any = None, **kwargs: Any) -> Any:
    return max(_deep_items(values), key=_key(key), **kwargs)


def safe_sum(values: Any, start: Any = 0) -> Any:
    items = _items(values)
    numbers = (int, float, Decimal)
    if not isinstance(start, numbers) or not all(isinstance(v, numbers) for v in items):
        raise _refuse("refused_call", "sum 只能对数字求和", "sum() adds numbers only")
    return sum(items, start)


def safe_sorted(values: Any, *, key: Any = None, reverse: bool = False) -> list[Any]:
    items = _items(values)
    guard_deep(items, current_budget())
    return sorted(items, key=_key(key), reverse=bool(reverse))


def safe_dict(*args: Any, **kwargs: Any) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    if args:
        source = args[0]
        if isinstance(source, dict):
            result = dict(source)
        else:
            pairs = _items(source)
            if not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in pairs):
                raise TypeError("dict() takes a mapping or (key, value) pairs")
            result = bounded_build(pairs, current_budget(), pairs=True)
    result.update(kwargs)
    return result


def _set(values: Any) -> set[Any]:
    if isinstance(values, (set, frozenset)):
        return set(values)
    built: set[Any] = bounded_build(_items(values), current_budget())
    return built


def _tuples(rows: list[Any]) -> list[Any]:
    for row in rows:
        check_tuples(row)
    return rows


_SET_OPERATIONS = [
    "difference",
    "intersection",
    "isdisjoint",
    "issubset",
    "issuperset",
    "symmetric_difference",
]


def _with_sets(method: Callable[..., Any]) -> Callable[..., Any]:
    """A set operation whose other operands are first made sets without quadratic hashing."""

    def call(target: Any, *others: Any) -> Any:
        return method(target, *map(_set, others))

    return call


def _parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def make_date(*args: Any) -> dt.date:
    """``date(2024, 1, 31)``, or ``date("2024-01-31")`` as in FEEL."""
    if len(args) == 1 and isinstance(args[0], str):
        return _parse_date(args[0])
    if len(args) == 1 and isinstance(args[0], dt.datetime):
        return args[0].date()
    if len(args) == 1 and isinstance(args[0], dt.date):
        return args[0]
    return dt.date(*args)


def make_datetime(*args: Any) -> dt.datetime:
    if len(args) == 1 and isinstance(args[0], str):
        return dt.datetime.fromisoformat(args[0])
    return dt.datetime(*args)


def make_decimal(value: Any = "0") -> Decimal:
    if isinstance(value, str) and len(value) > 1000:
        raise _refuse("size_limit", "数值文本过长", "number text too long")
    number = Decimal(value)
    # a string like "1e999999999" is exact and unbounded; printed with :f it is a gigabyte
    if number.is_finite() and abs(number.adjusted()) > 10_000:
        raise _refuse("size_limit", "数值的数量级超过 10000", "number magnitude beyond 1e10000")
    return number


def default_functions() -> dict[str, Callable[..., Any]]:
    functions: dict[str, Callable[..., Any]] = {
        "abs": abs,
        "all": lambda values: all(_items(values)),
        "any": lambda values: any(_items(values)),
        "bool": bool,
        "count": lambda values: len(_items(values)),
        "date": make_date,
        "datetime": make_datetime,
        "Decimal": make_decimal,
        "dict": safe_dict,
        "enumerate": lambda values, start=0: _tuples(list(enumerate(_items(values), start))),
        "float": float,
        "int": safe_int,
        "len": len,
        "list": lambda values=(): _items(values),
        "max": safe_max,
        "min": safe_min,
        "range": safe_range,
        "reversed": lambda values: _items(values)[::-1],
        "round": safe_round,
        "set": lambda values=(): _set(values),
        "sorted": safe_sorted,
        "str": safe_str,
        "sum": safe_sum,
        "timedelta": dt.timedelta,
        "today": dt.date.today,
        "tuple": lambda values=(): check_tuples(tuple(_items(values))),
        "zip": lambda *values: _tuples(list(zip(*(_items(v) for v in values), strict=False))),
    }
    functions["datetime.date"] = dt.date
    functions["datetime.datetime"] = dt.datetime
    functions["datetime.timedelta"] = dt.timedelta
    functions["decimal.Decimal"] = make_decimal
    return functions


# --- methods -------------------------------------------------------------------------------


def _join(separator: str, values: Any) -> str:
    items = _items(values)
    limit = current_budget().limits.max_string
    total = len(separator) * max(len(items) - 1, 0)
    for item in items:
        if not isinstance(item, str):
            raise TypeError("join() takes strings only")
        total += len(item)
    if total > limit:
        raise _refuse("size_limit", f"字符串长度超过 {limit}", f"string longer than {limit}")
    return separator.join(items)


def _replace(text: str, old: str, new: str, count: int = -1) -> str:
    hits = text.count(old) if count < 0 else min(count, text.count(old))
    if old == "":
        hits = len(text) + 1
    limit = current_budget().limits.max_string
    if len(text) + hits * (len(new) - len(old)) > limit:
        raise _refuse("size_limit", f"字符串长度超过 {limit}", f"string longer than {limit}")
    return text.replace(old, new, count)


def _padded(method: Callable[..., str]) -> Callable[..., str]:
    def pad(text: str, width: int, *fill: str) -> str:
        limit = current_budget().limits.max_string
        if width > limit:
            raise _refuse("size_limit", f"字符串长度超过 {limit}", f"string longer than {limit}")
        return method(text, width, *fill)

    return pad


def _extend(target: list[Any], values: Any) -> None:
    items = _items(values)
    if len(target) + len(items) > current_budget().limits.max_items:
        limit = current_budget().limits.max_items
        raise _refuse("size_limit", f"元素个数超过 {limit}", f"more than {limit} items")
    target.extend(items)


def _grow(method: Callable[..., Any]) -> Callable[..., Any]:
    """A mutating method whose container must stay within the item limit."""

    def call(target: Any, *args: Any) -> Any:
        result = method(target, *args)
        budget = current_budget()
        check_size(target, budget)
        return result

    return call


def _sort(target: list[Any], *, key: Any = None, reverse: bool = False) -> None:
    guard_deep(target, current_budget())
    target.sort(key=_key(key), reverse=bool(reverse))


def _update(target: dict[Any, Any], *args: Any, **kwargs: Any) -> None:
    target.update(safe_dict(*args, **kwargs))
    check_size(target, current_budget())


def _plain(cls: type, names: Iterable[str]) -> dict[str, Callable[..., Any]]:
    return {name: getattr(cls, name) for name in names}


_STR_PLAIN = [
    "capitalize",
    "casefold",
    "count",
    "endswith",
    "find",
    "isalnum",
    "isalpha",
    "isdecimal",
    "isdigit",
    "islower",
    "isnumeric",
    "isspace",
    "istitle",
    "isupper",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "rfind",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "upper",
]

METHODS: dict[type, dict[str, Callable[..., Any]]] = {
    str: {
        **_plain(str, _STR_PLAIN),
        "join": _join,
        "replace": _replace,
        "zfill": _padded(str.zfill),
        "ljust": _padded(str.ljust),
        "rjust": _padded(str.rjust),
        "center": _padded(str.center),
    },
    list: {
        **_plain(list, ["copy", "count", "index", "pop", "remove", "reverse", "clear"]),
        "append": _grow(list.append),
        "insert": _grow(list.insert),
        "extend": _extend,
        "sort": _sort,
    },
    tuple: _plain(tuple, ["count", "index"]),
    dict: {
        **_plain(dict, ["get", "pop", "setdefault", "copy", "clear"]),
        "keys": lambda d: list(d.keys()),
        "values": lambda d: list(d.values()),
        "items": lambda d: _tuples(list(d.items())),
        "update": _update,
        "setdefault": _grow(dict.setdefault),
    },
    set: {
        **_plain(set, ["copy", "discard", "remove", "clear"]),
        **{name: _with_sets(getattr(set, name)) for name in _SET_OPERATIONS},
        "add": _grow(set.add),
        "union": _with_sets(set.union),
    },
    frozenset: {name: _with_sets(getattr(frozenset, name)) for name in (*_SET_OPERATIONS, "union")},
    dt.datetime: _plain(dt.datetime, ["date", "isoformat", "weekday", "isoweekday", "replace"]),
    dt.date: _plain(dt.date, ["isoformat", "weekday", "isoweekday", "replace"]),
    dt.timedelta: _plain(dt.timedelta, ["total_seconds"]),
}


def find_method(value: Any, name: str) -> Callable[..., Any]:
    for cls in type(value).__mro__:
        table = METHODS.get(cls)
        if table is not None and name in table:
            return table[name]
    raise SandboxFailure(
        "refused_method",
        f"{type(value).__name__} 类型没有可用的方法 {name}",
        f"method {name!r} is not available on a {type(value).__name__} value",
    )
