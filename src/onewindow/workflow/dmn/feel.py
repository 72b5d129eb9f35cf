"""Translate DMN cell text into sandbox Python: a FEEL subset plus SpiffWorkflow's Python cells.

Nothing here evaluates anything: the output is Python source that `onewindow.workflow.sandbox`
checks and compiles. What is understood:

- FEEL literals ``true``/``false``/``null``, ``=`` as equality, ``if c then a else b``,
  ``not(...)``, and names containing spaces or punctuation (``Years of Service``,
  ``Pre-bureauRiskCategory``) when the model declares them (input data, decisions).
- Unary tests in input entries: ``-`` or empty (any value), comparisons (``< 10``,
  ``>= date("2024-01-01")``, ``!= "x"``), intervals (``[1..5]``, ``(1..5]``, ``]1..5[``),
  lists of tests (``"a","b"``), ``not(...)``, and a boolean expression over the input value
  written ``?`` (``100 < ? <= 110``, ``"PEANUTS" not in ?``). Any other expression ``e`` matches
  when the input equals ``e`` or, if ``e`` is a list or range, is in it.

Everything else is passed to the sandbox as Python, which refuses what it does not allow.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

INPUT = "_in"
MATCH_FUNCTION = "dmn_in_or_equal"

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
   |(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
   |(?P<num>(?:\d+(?:\.\d+)?(?!\.\d)|\.\d+)(?:[eE][+-]?\d+)?)
   |(?P<name>[^\W\d]\w*)
   |(?P<op>\*\*|==|!=|<=|>=|\.\.|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_LITERALS = {"true": "True", "false": "False", "null": "None"}
_OPENING, _CLOSING = "([{", ")]}"


@dataclass
class NameTable:
    """DMN names that are not Python identifiers, each mapped to a reserved `_nN` name."""

    mapping: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, names: Iterable[str]) -> NameTable:
        table = cls()
        for name in sorted({n.strip() for n in names if n and n.strip()}):
            if not is_plain_name(name):
                table.mapping[name] = f"_n{len(table.mapping)}"
        return table

    @property
    def reserved(self) -> frozenset[str]:
        return frozenset(self.mapping.values()) | {INPUT}

    def python(self, name: str) -> str:
        return self.mapping.get(name, name)

    def longest_first(self) -> list[str]:
        return sorted(self.mapping, key=len, reverse=True)


def is_plain_name(name: str) -> bool:
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in _LITERALS
    )


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def tokens(text: str, names: NameTable) -> list[tuple[str, str]]:
    """Split `text` into (kind, python text) tokens; declared special names become one token."""
    special = names.longest_first()
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        for name in special:
            end = position + len(name)
            if (
                text.startswith(name, position)
                and (position == 0 or not _is_word(text[position - 1]))
                and (end == len(text) or not _is_word(text[end]) or not _is_word(name[-1]))
            ):
                out.append(("name", names.mapping[name]))
                position = end
                break
        else:
            match = _TOKEN.match(text, position)
            assert match is not None  # the last alternative matches any character
            kind = match.lastgroup or "op"
            value = match.group()
            position = match.end()
            if kind == "name":
                value = _LITERALS.get(value, value)
            elif kind == "num" and re.match(r"0+\d", value):  # FEEL allows 01; Python does not
                value = value.lstrip("0")
                value = "0" + value if value.startswith((".", "e", "E")) else value
            elif kind == "op":
                value = {"=": "==", "?": INPUT}.get(value, value)
                kind = "name" if value == INPUT else kind
            out.append((kind, value))
    return out


class FeelError(ValueError):
    """Cell text that cannot be translated (for example unbalanced brackets)."""

    def __init__(self, message_en: str, message_zh: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh


def translate(text: str, names: NameTable) -> str:
    """Python source for a FEEL-or-Python expression (whitespace folded to single spaces)."""
    if not _balanced(text):
        raise FeelError(f"unbalanced brackets in {text!r}", f"括号不配对：{text!r}")
    found = [("ws", " ") if kind == "ws" else (kind, value) for kind, value in tokens(text, names)]
    _refuse_contexts(found)
    _refuse_feel_functions(found)
    return "".join(value for _, value in _rewrite_if(found)).strip()


_FEEL_FUNCTIONS_WITH_SPACES = [
    "substring before", "substring after", "string length", "upper case", "lower case",
    "string join", "starts with", "ends with", "list contains", "insert before",
    "index of", "distinct values", "get value", "get entries", "day of week", "day of year",
    "week of year", "month of year", "date and time", "years and months duration",
    "is defined", "instance of",
]  # fmt: skip


def _refuse_feel_functions(found: list[tuple[str, str]]) -> None:
    """Name FEEL built-ins the engine lacks instead of failing with a Python syntax error."""
    words = " ".join(value if kind == "name" else "|" for kind, value in found if kind != "ws")
    for function in _FEEL_FUNCTIONS_WITH_SPACES:
        if re.search(rf"(^| ){function}( |$)", words):
            raise FeelError(
                f"the FEEL function or operator {function!r} is not supported",
                f"不支持 FEEL 函数或运算符 {function!r}",
            )


def _refuse_contexts(found: list[tuple[str, str]]) -> None:
    """Refuse ``{key: value}`` unless every key is a quoted string or a number.

    FEEL contexts use bare names as keys (``{a: 1, b: a + 1}``); as Python they would read
    variables instead, so they are refused rather than silently mistranslated.
    """
    stack: list[list[tuple[str, str]]] = []  # for each open bracket: tokens since `{` or `,`
    opened: list[str] = []
    for kind, value in found:
        if kind == "ws":
            continue
        if kind == "op" and value in _OPENING:
            opened.append(value)
            stack.append([])
            continue
        if kind == "op" and value in _CLOSING:
            if opened:
                opened.pop()
                stack.pop()
            continue
        if not opened:
            continue
        if opened[-1] == "{" and value == ",":
            stack[-1] = []
        elif opened[-1] == "{" and value == ":":
            key = stack[-1]
            if len(key) != 1 or key[0][0] not in ("str", "num"):
                raise FeelError(
                    "FEEL contexts are not supported: dictionary keys must be quoted strings",
                    "不支持 FEEL 上下文：字典的键必须是带引号的字符串",
                )
            stack[-1] = []
        else:
            stack[-1].append((kind, value))


def _rewrite_if(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """FEEL ``if c then a else b`` → Python ``((a) if (c) else (b))``."""
    out: list[tuple[str, str]] = []
    index = 0
    while index < len(items):
        if items[index] == ("name", "if"):
            then = _find(items, index + 1, "then")
            otherwise = _find(items, then + 1, "else") if then >= 0 else -1
            if otherwise >= 0:
                end = _group_end(items, otherwise + 1)
                condition = _rewrite_if(items[index + 1 : then])
                branch = _rewrite_if(items[then + 1 : otherwise])
                rest = _rewrite_if(items[otherwise + 1 : end])
                out += [("op", "(("), *branch, ("op", ") if ("), *condition]
                out += [("op", ") else ("), *rest, ("op", "))")]
                index = end
                continue
        out.append(items[index])
        index += 1
    return out


def _find(items: list[tuple[str, str]], start: int, word: str) -> int:
    """Index of `word` at the same bracket depth, skipping nested FEEL ifs; -1 if absent."""
    depth = nested = 0
    for index in range(start, len(items)):
        kind, value = items[index]
        if kind == "op" and value in _OPENING:
            depth += 1
        elif kind == "op" and value in _CLOSING:
            depth -= 1
            if depth < 0:
                return -1
        elif depth == 0 and kind == "name":
            if value == "if":
                nested += 1
            elif value == word and nested == 0:
                return index
            elif value == "else" and nested:
                nested -= 1
    return -1


def _group_end(items: list[tuple[str, str]], start: int) -> int:
    depth = 0
    for index in range(start, len(items)):
        kind, value = items[index]
        if kind == "op" and value in _OPENING:
            depth += 1
        elif kind == "op" and value in _CLOSING:
            depth -= 1
            if depth < 0:
                return index
        elif kind == "op" and value == "," and depth == 0:
            return index
    return len(items)


def split_top_level(text: str, separator: str) -> list[str]:
    """Split on `separator` outside strings and brackets."""
    parts: list[str] = []
    depth, start, index, quote = 0, 0, 0, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    parts.append(text[start:])
    return parts


_COMPARISON = re.compile(r"^(<=|>=|!=|==|<|>|=)(?!=)")
_NEGATION = re.compile(r"^not\s*\((.*)\)$", re.DOTALL)


def unary_tests(text: str, names: NameTable) -> str | None:
    """Python source of a boolean test of the input value `_in`; None means "any value"."""
    stripped = text.strip()
    if stripped in ("", "-"):
        return None
    negation = _NEGATION.match(stripped)
    if negation and _balanced(negation.group(1)):
        inner = unary_tests(negation.group(1), names)
        return f"not ({inner})" if inner is not None else "False"
    tests = [_positive(part.strip(), names) for part in split_top_level(stripped, ",")]
    return " or ".join(f"({test})" for test in tests)


def _positive(text: str, names: NameTable) -> str:
    comparison = _COMPARISON.match(text)
    if comparison:
        operator = "==" if comparison.group(1) == "=" else comparison.group(1)
        return f"{INPUT} {operator} ({translate(text[comparison.end() :], names)})"
    interval = _interval(text, names)
    if interval is not None:
        return interval
    found = [t for t in tokens(text, names) if t[0] != "ws"]
    if ("name", INPUT) in found:
        return translate(text, names)
    if _is_literal(found):
        return f"{INPUT} == ({translate(text, names)})"
    return f"{MATCH_FUNCTION}({INPUT}, ({translate(text, names)}))"


def _is_literal(found: list[tuple[str, str]]) -> bool:
    if found[:1] == [("op", "-")]:
        found = found[1:]
    return len(found) == 1 and (found[0][0] in ("str", "num") or found[0][1] in _LITERALS.values())


def _balanced(text: str) -> bool:
    """True when brackets in `text` (outside strings) never close more than they opened."""
    depth = 0
    for kind, value in tokens(text, NameTable()):
        if kind == "op" and value in _OPENING:
            depth += 1
        elif kind == "op" and value in _CLOSING:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _interval(text: str, names: NameTable) -> str | None:
    if len(text) < 5 or text[0] not in "[(]" or text[-1] not in "[])":
        return None
    bounds = split_top_level(text[1:-1], "..")
    if len(bounds) != 2:
        return None
    low = "<=" if text[0] == "[" else "<"
    high = "<=" if text[-1] == "]" else "<"
    first, last = (translate(b, names) for b in bounds)
    return f"({first}) {low} {INPUT} {high} ({last})"
