"""DMN cell parsing: unary tests and expressions, translated for the sandbox."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.core.errors import DomainError
from onewindow.workflow.dmn.feel import NameTable, translate, unary_tests
from onewindow.workflow.dmn.parser import compile_cell
from onewindow.workflow.sandbox import Session

NAMES = NameTable.of(["Minimum Age", "Years of Service", "Pre-bureauRiskCategory", "age"])


def matches(cell: str, value: object, variables: dict | None = None) -> object:
    compiled = compile_cell(cell, unary=True, names=NAMES)
    if compiled is None:
        return True
    from onewindow.workflow.dmn.engine import _FUNCTIONS

    scope = {NAMES.python(k): v for k, v in (variables or {}).items()} | {"_in": value}
    with Session(functions=_FUNCTIONS) as session:
        return bool(session.run(compiled, scope))


@pytest.mark.parametrize(
    ("cell", "value", "expected"),
    [
        ("-", 5, True),
        ("", None, True),
        ("< 10", 9, True),
        ("< 10", 10, False),
        ("<=10", 10, True),
        ("> 10", None, False),  # null never compares
        (">= 2.5", 2.5, True),
        ("= 5", 5, True),
        ("5", 5.0, True),
        ("-5", -5, True),
        ("1.5e3", 1500, True),
        ("[1..5]", 1, True),
        ("[1..5]", 5, True),
        ("(1..5]", 1, False),
        ("]1..5[", 5, False),
        ("[1..5)", 5, False),
        ("[1.5..2.5]", 2, True),
        ('"a","b"', "b", True),
        ('"a","b"', "c", False),
        ('"a,b"', "a,b", True),
        ('not("x")', "y", True),
        ('not("x", "y")', "y", False),
        ("not(1, [5..9])", 7, False),
        ("not(-)", 7, False),
        ("<18, >=60", 70, True),
        ("<18, >=60", 30, False),
        ("true", True, True),
        ("false", True, False),
        ("null", None, True),
        ('!= "x"', "y", True),
        ('>= date("2024-01-01")', dt.date(2024, 3, 1), True),
        ("[date(2024, 1, 1)..date(2024, 12, 31)]", dt.date(2025, 1, 1), False),
        ("100 < ? <= 110", 110, True),
        ('"PEANUTS" not in ?', ["MILK"], True),
        ("? != 'x' and len(?) == 1", "y", True),
        ("[1, 2, 3]", 2, True),
        ("[1, 2, 3]", 4, False),
        ("range(1, 4)", 3, True),
        (">= Minimum Age", 18, True),
        ("< Years of Service * 2", 9, True),
        ("Pre-bureauRiskCategory", "HIGH", True),
    ],
)
def test_unary_tests(cell, value, expected):
    variables = {"Minimum Age": 18, "Years of Service": 5, "Pre-bureauRiskCategory": "HIGH"}
    assert matches(cell, value, variables) is expected


@pytest.mark.parametrize(
    ("cell", "python"),
    [
        (">=18", "_in >= (18)"),
        ('"Medium","Low"', '(_in == ("Medium")) or (_in == ("Low"))'),
        ("[15..30)", "((15) <= _in < (30))"),
        ('not("a")', 'not ((_in == ("a")))'),
        ("> Minimum Age", "(_in > (_n0))"),
    ],
)
def test_unary_translation(cell, python):
    translated = unary_tests(cell, NAMES)
    assert translated in (python, f"({python})")


@pytest.mark.parametrize(
    ("text", "python"),
    [
        ("Years of Service + 1", "_n2 + 1"),
        (
            'if age >= 18 then "adult" else "minor"',
            '((  "adult" ) if ( age >= 18 ) else ( "minor"))',
        ),
        ("a = null", "a == None"),
        ("x and true or false", "x and True or False"),
        ('"age" + " = " + "x"', '"age" + " = " + "x"'),
    ],
)
def test_expression_translation(text, python):
    assert translate(text, NAMES).replace("  ", " ") == python.replace("  ", " ")


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("{a: 1}", "dmn.cell_refused"),
        ("(1", "dmn.cell_refused"),
        ("1))) or ((1", "dmn.cell_refused"),
        ("x.__class__", "workflow.expression_refused"),
        ("open('/etc/passwd')", "workflow.expression_refused"),
        ("if " * 3000 + "1", "workflow.expression_refused"),
        ("1" * 10_001, "dmn.cell_refused"),
    ],
)
def test_bad_cells_are_refused(cell, code):
    with pytest.raises(DomainError) as caught:
        compile_cell(cell, unary=True, names=NAMES)
    assert caught.value.code == code


def test_deeply_nested_if_is_refused_not_crashed():
    cell = "if a then " * 500 + "1" + " else 2" * 500
    with pytest.raises(DomainError) as caught:
        compile_cell(cell, names=NAMES)
    assert caught.value.code in ("dmn.cell_refused", "workflow.expression_refused")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.booleans())
def test_cell_parser_raises_only_domain_errors(text, unary):
    try:
        compiled = compile_cell(text, unary=unary, names=NAMES)
    except DomainError:
        return
    if compiled is not None:
        with Session() as session, contextlib.suppress(DomainError):
            session.run(compiled, {"_in": 3, "age": 20})


_PIECES = st.sampled_from(
    ["<", ">=", "=", "!=", "[", "]", "(", ")", "..", ",", "-", "?", "not", "1", "2.5", '"a"',
     "true", "null", "Minimum Age", "and", "if", "then", "else", "{", "}", ":", "in",
     "date(\"2024-01-01\")"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=10).map("".join))
def test_unary_syntax_soup_raises_only_domain_errors(text):
    with contextlib.suppress(DomainError):
        matches(text, 2, {"Minimum Age": 18})
