"""What the sandbox does allow: the expression language, scripts, functions and errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.core.errors import DomainError
from onewindow.workflow import sandbox


@pytest.mark.parametrize(
    ("expression", "context", "expected"),
    [
        (
            "amount >= 10000 and region in ('420102', '420111')",
            {"amount": 12000, "region": "420111"},
            True,
        ),
        ("not approved or score < 60", {"approved": True, "score": 75}, False),
        ("a if a > b else b", {"a": 2, "b": 7}, 7),
        ("1 < x <= 5", {"x": 5}, True),
        ("x is None", {"x": None}, True),
        (
            "[m['code'] for m in materials if m['present']]",
            {"materials": [{"code": "A", "present": True}, {"code": "B", "present": False}]},
            ["A"],
        ),
        ("{k: v * 2 for k, v in d.items()}", {"d": {"a": 1}}, {"a": 2}),
        ("sum(x for x in [1, 2, 3])", {}, 6),
        ("len(name.strip().upper())", {"name": "  ab "}, 2),
        ("firm.credit.level == 'A'", {"firm": {"credit": {"level": "A"}}}, True),
        ("applicant['name'][0:2]", {"applicant": {"name": "王小明"}}, "王小"),
        ("f'{n:03d}-{city}'", {"n": 7, "city": "武汉"}, "007-武汉"),
        ("f'{amount:,.2f}'", {"amount": 1234.5}, "1,234.50"),
        ("date(2024, 2, 29) + timedelta(days=1)", {}, dt.date(2024, 3, 1)),
        ("date('2024-05-01').weekday()", {}, 2),
        ("datetime.date(2024, 1, 31).year", {}, 2024),
        ("Decimal('0.1') + Decimal('0.2')", {}, Decimal("0.3")),
        ("max([3, 9, 4]) - min(3, 1)", {}, 8),
        ("sorted(['b', 'C', 'a'], key=str, reverse=True)", {}, ["b", "a", "C"]),
        ("round(2.675, 2)", {}, 2.67),
        ("'、'.join(['甲', '乙'])", {}, "甲、乙"),
        ("any([False, 0, 'x']) and all([])", {}, True),
        ("list(zip([1, 2], 'ab'))", {}, [(1, "a"), (2, "b")]),
        ("2 ** 10 // 3 % 7", {}, 5),
        ("{1, 2} | {3}", {}, {1, 2, 3}),
        ("count(items)", {"items": [1, 2]}, 2),
    ],
)
def test_expressions_evaluate(expression, context, expected):
    assert sandbox.evaluate(expression, context) == expected


def test_script_updates_and_returns_variables_without_touching_the_input():
    context = {"items": [3, 1, 2], "meta": {"n": 0}}
    script = (
        "total = 0\n"
        "for i, x in enumerate(items):\n"
        "    if x == 1:\n"
        "        continue\n"
        "    total += x\n"
        "else:\n"
        "    done = True\n"
        "items.sort()\n"
        "meta['n'] = len(items)\n"
        "first, last = items[0], items[-1]\n"
        "del context_only\n"
    )
    result = sandbox.execute(script, {**context, "context_only": 1})
    assert result == {
        "items": [1, 2, 3],
        "meta": {"n": 3},
        "total": 5,
        "i": 2,
        "x": 2,
        "done": True,
        "first": 1,
        "last": 3,
    }
    assert context == {"items": [3, 1, 2], "meta": {"n": 0}}


def test_break_skips_the_else_branch():
    result = sandbox.execute(
        "for x in [1, 2, 3]:\n    if x == 2:\n        break\nelse:\n    x = 0", {}
    )
    assert result == {"x": 2}


def test_runtime_errors_become_domain_errors_with_position():
    with pytest.raises(DomainError) as caught:
        sandbox.execute("a = 1\nb = a / 0", {})
    assert caught.value.code == "workflow.expression_failed"
    assert caught.value.details["line"] == 2
    assert "ZeroDivisionError" in caught.value.message_en
    assert "第 2 行" in caught.value.message_zh
    with pytest.raises(DomainError) as caught:
        sandbox.evaluate("missing + 1", {})
    assert "'missing' is not defined" in caught.value.message_en


def test_check_names_the_problem_and_position():
    with pytest.raises(DomainError) as caught:
        sandbox.check_script("x = 1\nif x:\n    y = x.__class__")
    error = caught.value
    assert error.code == "workflow.expression_refused"
    assert (error.details["line"], error.details["column"]) == (3, 9)
    assert error.message_en == (
        "Expression refused at line 3, column 9: access to the attribute '__class__' is not allowed"
    )
    assert error.message_zh == "表达式被拒绝：第 3 行第 9 列，不允许以下划线开头的属性：__class__"
    sandbox.check_expression("a + 1")  # a good one passes silently
    sandbox.check_script("a = 1\nfor i in range(3):\n    a += i")


def test_registered_function_is_callable_and_checked():
    with pytest.raises(DomainError):
        sandbox.check_expression("triple(2)")
    sandbox.register_function("triple", lambda n: n * 3)
    try:
        assert sandbox.evaluate("triple(2) + 1", {}) == 7
    finally:
        del sandbox.SANDBOX_FUNCTIONS["triple"]
    with pytest.raises(ValueError):
        sandbox.register_function("__evil", len)


def test_domain_errors_from_registered_functions_pass_through():
    def refuse(_):
        raise DomainError("calendar.out_of_range", "年份未知", "unknown year")

    sandbox.register_function("working_days_probe", refuse)
    try:
        with pytest.raises(DomainError) as caught:
            sandbox.evaluate("working_days_probe(1)", {})
        assert caught.value.code == "calendar.out_of_range"
    finally:
        del sandbox.SANDBOX_FUNCTIONS["working_days_probe"]


def test_expression_methods_are_looked_up_by_type_not_by_getattr():
    class Sneaky(str):
        def upper(self):  # never called: the sandbox calls str.upper
            raise AssertionError("subclass method reached")

    assert sandbox.evaluate("s.upper()", {"s": Sneaky("ab")}) == "AB"


def test_expressions_cannot_change_values():
    context = {"items": [1]}
    with pytest.raises(DomainError) as caught:
        sandbox.evaluate("items.append(2) or True", context)
    assert caught.value.code == "workflow.expression_refused"
    assert "use a script task" in caught.value.message_en
    assert context == {"items": [1]}
    assert sandbox.execute("items.append(2)", context) == {"items": [1, 2]}


def test_compiled_expressions_are_cached_and_reusable():
    first = sandbox.compile_expression("x * 2")
    assert sandbox.compile_expression("x * 2") is first
    assert [first.evaluate({"x": n}) for n in (1, 2)] == [2, 4]


_TOKENS = st.sampled_from(
    [
        "x", "y", "1", "0", "'a'", "+", "-", "*", "**", "/", "%", "(", ")", "[", "]", "{", "}",
        ",", ":", ".", "==", "<", "and", "or", "not", "in", "for", "if", "else", "range",
        "len", "sum", "str", "upper", "keys", "__class__", "lambda", "9", "10", "**9",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, max_size=14).map(" ".join))
def test_token_soup_never_leaks_a_python_exception(source):
    try:
        sandbox.evaluate(source, {"x": [1, 2], "y": {"k": "v"}})
    except DomainError as error:
        assert error.code in ("workflow.expression_refused", "workflow.expression_failed")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_leaks_a_python_exception(source):
    for run in (lambda: sandbox.evaluate(source, {}), lambda: sandbox.execute(source, {})):
        try:
            run()
        except DomainError as error:
            assert error.code in ("workflow.expression_refused", "workflow.expression_failed")


def test_reference_page_lists_every_function_method_and_escape_count():
    import re
    from pathlib import Path

    from onewindow.workflow.sandbox_functions import METHODS, default_functions

    from .test_sandbox_escapes import EXPRESSIONS, SCRIPTS

    page = (Path(__file__).resolve().parents[4] / "docs/reference/sandbox.md").read_text()
    words = set(re.findall(r"[A-Za-z_.]+", page))
    assert set(default_functions()) <= words
    assert {name for table in METHODS.values() for name in table} <= words
    assert f"runs {len(EXPRESSIONS)} hostile expressions and {len(SCRIPTS)}" in page
