"""Known sandbox-escape attempts: each is refused, at check time or at run time, quickly.

"refused" = ``workflow.expression_refused`` from the static check (nothing runs);
"failed" = ``workflow.expression_failed`` while running (the guard stopped it).
Every case must end within `QUICK` seconds (the expression limit is 0.25 s, scripts 0.5 s).
"""

from __future__ import annotations

import time

import pytest

from onewindow.core.errors import DomainError
from onewindow.workflow import sandbox

QUICK_EXPRESSION = 0.5
QUICK_SCRIPT = 0.8
REFUSED = "workflow.expression_refused"
FAILED = "workflow.expression_failed"

EXPRESSIONS = [
    # (expression, expected code, a word the English message must contain)
    ("().__class__.__bases__[0].__subclasses__()", REFUSED, "__subclasses__"),
    ("''.__class__.__mro__[1].__subclasses__()", REFUSED, "__subclasses__"),
    ("__import__('os').system('id')", REFUSED, "__import__"),
    ("open('/etc/passwd').read()", REFUSED, "'open' is not available"),
    ("getattr(x, '__globals__')", REFUSED, "'getattr' is not available"),
    ("type(x)", REFUSED, "'type' is not available"),
    ("type('X', (), {})", REFUSED, "'type' is not available"),
    ("'{0.__class__}'.format(x)", FAILED, "method 'format' is not available"),
    ("'{0.__init__.__globals__}'.format_map(x)", FAILED, "'format_map' is not available"),
    ("f'{x.__class__}'", REFUSED, "__class__"),
    ("f'{x:>999999999}'", REFUSED, "format specs"),
    ("f'{x:{y}}'", REFUSED, "format specs"),
    ("'%999999999d' % 1", FAILED, "% is not allowed"),
    ("'a' * 10**10", FAILED, "string length"),
    ("[0] * 10**9", FAILED, "number of items"),
    ("9**9**9", FAILED, "integer bit length"),
    ("10**10**10", FAILED, "integer bit length"),
    ("1 << 10**9", REFUSED, "bit shifts"),
    ("-" * 5000 + "1", REFUSED, "nested"),
    ("(" * 300 + "1" + ")" * 300, REFUSED, "nested"),
    ("[" * 150 + "]" * 150, REFUSED, "nested"),
    ("[x for x in range(10**9)]", FAILED, "range longer"),
    ("[a for a in range(10**5) for b in range(10**5)]", FAILED, "limit"),
    ("sum(range(10**12))", FAILED, "range longer"),
    ("(g for g in [1]).gi_frame", FAILED, "attribute 'gi_frame'"),
    ("[i for i in [1]].__class__", REFUSED, "__class__"),
    ("lambda: 0", REFUSED, "lambda"),
    ("(lambda f: f(f))(lambda f: f(f))", REFUSED, "only sandbox functions"),
    ("exec('import os')", REFUSED, "'exec' is not available"),
    ("eval('1+1')", REFUSED, "'eval' is not available"),
    ("compile('1', '', 'eval')", REFUSED, "'compile' is not available"),
    ("globals()", REFUSED, "'globals' is not available"),
    ("locals()", REFUSED, "'locals' is not available"),
    ("vars()", REFUSED, "'vars' is not available"),
    ("dir()", REFUSED, "'dir' is not available"),
    ("breakpoint()", REFUSED, "'breakpoint' is not available"),
    ("help()", REFUSED, "'help' is not available"),
    ("__builtins__", REFUSED, "__builtins__"),
    ("__builtins__['open']", REFUSED, "__builtins__"),
    ("().＿＿class＿＿", REFUSED, "syntax error"),  # full-width low lines are not identifiers
    ("().__𝒸𝓁𝒶𝓈𝓈__", REFUSED, "__class__"),  # NFKC folds to __class__
    ("𝓸𝓹𝓮𝓷('/etc/passwd')", REFUSED, "'open' is not available"),  # NFKC folds to open
    ("setattr(x, 'a', 1)", REFUSED, "'setattr' is not available"),
    ("delattr(x, 'a')", REFUSED, "'delattr' is not available"),
    ("memoryview(b'abc')", REFUSED, "memoryview"),
    ("bytearray(10**9)", REFUSED, "'bytearray' is not available"),
    ("b'abc'", REFUSED, "bytes literals"),
    ("x.keys.__self__", REFUSED, "__self__"),
    ("str.mro()", FAILED, "method 'mro' is not available"),
    ("len.__call__", REFUSED, "__call__"),
    ("sorted([3, 1], key=print)", FAILED, "'print' is not defined"),
    ("dict(**x)", REFUSED, "** unpacking"),
    ("[*range(3)]", REFUSED, "* unpacking"),
    ("(y := 1)", REFUSED, ":="),
    ("x @ x", REFUSED, "@"),
    ("round(1, -10**9)", FAILED, "round"),
    ("int('9' * 5000)", FAILED, "ValueError"),
    ("str(10**5000)", FAILED, "ValueError"),
    ("timedelta(days=10**10)", FAILED, "OverflowError"),
    ("Decimal('9') ** 10**9", FAILED, "exponent"),
    ("f\"{Decimal('1e999999999'):f}\"", FAILED, "magnitude"),
    ("f'{Decimal(10) ** 999999:f}'", FAILED, "too large to format"),
    ("x.update(a=1) or x.__dict__", REFUSED, "expressions cannot change values"),
    ("x.get(1) or x.__dict__", REFUSED, "__dict__"),
    ("await x", REFUSED, "await"),
    ("(yield)", REFUSED, "yield"),
    ("x" * 20_000, REFUSED, "longer than"),
]


@pytest.mark.parametrize(("expression", "code", "word"), EXPRESSIONS)
def test_escape_attempt_is_refused_quickly(expression: str, code: str, word: str) -> None:
    started = time.perf_counter()
    with pytest.raises(DomainError) as caught:
        sandbox.evaluate(expression, {"x": {}, "y": 3})
    elapsed = time.perf_counter() - started
    assert caught.value.code == code
    assert word in caught.value.message_en
    assert caught.value.message_zh  # a Chinese message too
    assert elapsed < QUICK_EXPRESSION


@pytest.mark.parametrize(
    ("expression", "code"), [(e, c) for e, c, _ in EXPRESSIONS if c == REFUSED]
)
def test_refused_expressions_fail_the_static_check(expression: str, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        sandbox.check_expression(expression)
    assert caught.value.code == REFUSED
    assert caught.value.details["line"] >= 1
    assert caught.value.details["column"] >= 1


SCRIPTS = [
    ("import os", REFUSED, "import"),
    ("from os import system", REFUSED, "import"),
    ("while True:\n    pass", REFUSED, "while"),
    ("def f():\n    return f()\nf()", REFUSED, "defining functions"),
    ("class A:\n    pass", REFUSED, "defining classes"),
    ("global x\nx = 1", REFUSED, "global"),
    ("try:\n    1 / 0\nexcept Exception as e:\n    t = e.__traceback__", REFUSED, "try"),
    ("with open('f') as f:\n    pass", REFUSED, "with"),
    ("raise SystemExit", REFUSED, "raise"),
    ("a, *b = [1, 2]", REFUSED, "only names and items"),
    ("x.attr = 1", REFUSED, "only names and items"),
    ("del x.attr", REFUSED, "only names and items can be deleted"),
    ("break", REFUSED, "outside a loop"),
    ("async def f():\n    pass", REFUSED, "defining functions"),
    ("l = [0]\nfor i in range(40):\n    l = l + l", FAILED, "length"),
    ("l = [0]\nfor i in range(40):\n    l.extend(l)", FAILED, "items"),
    ("s = 'ab'\nfor i in range(40):\n    s = s + s", FAILED, "length"),
    ("n = 3\nfor i in range(40):\n    n = n * n", FAILED, "integer bit length"),
    ("a = [0] * 100000\nb = [a] * 100000", FAILED, "size of the value"),
    ("a = [0] * 50000\nb = []\nfor i in range(1000):\n    b.append(a)\nc = str(b)", FAILED, "size"),
    ("for i in range(100000):\n    for j in range(100000):\n        pass", FAILED, "limit"),
    ("l = []\nfor i in range(100000):\n    l.append([0] * 1000)", FAILED, "created"),
    ("x = len", FAILED, "functions cannot be stored"),
    ("l = [1]\nl.append(l)\ns = str(l)", FAILED, "size of the value"),
    ("d = {}\nd['a'] = d", FAILED, "script result larger"),
    ("x = 1\nfor i in range(3):\n    x = x + 'a'", FAILED, "TypeError"),
    ("t = ()\nfor i in range(100000):\n    t = (t,)\ns = {t}", FAILED, "tuples nested deeper"),
    (
        "t = [()]\nfor i in range(100000):\n    t = list(zip(t))\ns = set(t)",
        FAILED,
        "tuples nested",
    ),
    ("l = []\nfor i in range(1000):\n    l = [l]", FAILED, "nested deeper than 100"),
    (
        "keys = [i * (2**61 - 1) for i in range(100000)]\ns = set(keys)",
        FAILED,
        "time limit",
    ),
    (
        "keys = [i * (2**61 - 1) for i in range(100000)]\nd = dict(zip(keys, keys))",
        FAILED,
        "time limit",
    ),
]


@pytest.mark.parametrize(("script", "code", "word"), SCRIPTS)
def test_hostile_script_is_stopped_quickly(script: str, code: str, word: str) -> None:
    context = {"x": {"keep": 1}}
    started = time.perf_counter()
    with pytest.raises(DomainError) as caught:
        sandbox.execute(script, context)
    elapsed = time.perf_counter() - started
    assert caught.value.code == code
    assert word in caught.value.message_en
    assert elapsed < QUICK_SCRIPT
    assert context == {"x": {"keep": 1}}  # the caller's variables are untouched


def test_hostile_expression_stops_at_the_deadline() -> None:
    limits = sandbox.Limits(seconds=0.1, steps=10**9)
    started = time.perf_counter()
    with pytest.raises(DomainError) as caught:
        sandbox.evaluate("[a * b for a in range(10**5) for b in range(10**5)]", {}, limits=limits)
    elapsed = time.perf_counter() - started
    assert caught.value.details["reason"] == "time_limit"
    assert 0.1 <= elapsed < 0.3


def test_step_budget_stops_before_the_deadline() -> None:
    limits = sandbox.Limits(seconds=10, steps=1000)
    with pytest.raises(DomainError) as caught:
        sandbox.execute("t = 0\nfor i in range(5000):\n    t += i", {}, limits=limits)
    assert caught.value.details["reason"] == "step_limit"
    assert caught.value.details["line"] == 3  # the statement inside the loop


def test_escape_count_is_at_least_twenty_five() -> None:
    assert len(EXPRESSIONS) + len(SCRIPTS) >= 25
