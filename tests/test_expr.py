"""The formula language: allow-listed syntax, types checked at compile time, exact evaluation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from parindex_rules.expr.nodes import Env, MissingValue, ZeroDenominator
from parindex_rules.expr.parser import FormulaError, parse_formula
from parindex_rules.numbers import Number, RoundingMode
from parindex_rules.plugins import registry

SCOPE = {"a", "b", "so_dung_han", "tong_so"}


def functions(name: str):  # type: ignore[no-untyped-def]
    return registry.get("functions", name)


def compile_(text: str, **kw: object):  # type: ignore[no-untyped-def]
    return parse_formula(
        text,
        functions=functions,
        scope=SCOPE,
        function_names=registry.names("functions"),
        **kw,  # type: ignore[arg-type]
    )


def run(text: str, values: dict[str, Number], maximum: str = "20") -> object:
    formula = compile_(text)

    def lookup(name: str) -> Number:
        if name == "max":
            return Decimal(maximum)
        if name not in values:
            raise MissingValue(name)
        return values[name]

    return formula.evaluate(Env(lookup, RoundingMode.HALF_UP))


def problems(text: str, **kw: object) -> list[tuple[str, int]]:
    with pytest.raises(FormulaError) as info:
        compile_(text, **kw)
    return [(p.code, p.offset) for p in info.value.problems]


def test_ratio_times_maximum() -> None:
    """'Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa' with a = 3, b = 4, max 20 → 15."""
    assert run("ratio(a, b) * max", {"a": Decimal(3), "b": Decimal(4)}) == Decimal(15)


def test_arithmetic_is_exact() -> None:
    assert run("0.1 + 0.2", {}) == Decimal("0.3")
    assert run("a / b * b", {"a": Decimal(1), "b": Decimal(3)}) == Decimal(1)
    assert run("a / b", {"a": Decimal(2), "b": Decimal(3)}) == Fraction(2, 3)
    assert run("a ** 2 - b", {"a": Decimal("1.5"), "b": Decimal("0.25")}) == Decimal(2)
    assert run("-a + +b", {"a": Decimal(1), "b": Decimal(3)}) == Decimal(2)


def test_comparisons_conditionals_and_booleans() -> None:
    values = {"a": Decimal(85), "b": Decimal(0)}
    assert run("2 if a > 90 else (1 if 70 <= a <= 90 else 0)", values) == Decimal(1)
    assert run("1 if a >= 80 and not b > 0 else 0", values) == Decimal(1)
    assert run("1 if a > 90 or b == 0 else 0", values) == Decimal(1)


def test_only_the_branch_taken_is_evaluated() -> None:
    assert run("0 if b == 0 else a / b", {"a": Decimal(1), "b": Decimal(0)}) == Decimal(0)


def test_functions() -> None:
    values = {"a": Decimal("7.5"), "b": Decimal(2)}
    assert run("min(a, b, 3)", values) == Decimal(2)
    assert run("max(a, b)", values) == Decimal("7.5")
    assert run("clamp(a, 0, 5)", values) == Decimal(5)
    assert run("abs(b - a)", values) == Decimal("5.5")
    assert run("round(a / b, 1)", values) == Decimal("3.8")  # 3.75 half-up
    assert run("percent(b, a)", values) == Fraction(80, 3)
    assert run("ratio(a, 0, 1)", values) == Decimal(1)


def test_zero_denominator_is_a_signal_not_a_crash() -> None:
    with pytest.raises(ZeroDenominator) as info:
        run("ratio(a, b) * max", {"a": Decimal(0), "b": Decimal(0)})
    assert info.value.text == "ratio(a, b)"
    with pytest.raises(ZeroDenominator):
        run("a / b", {"a": Decimal(1), "b": Decimal(0)})


def test_missing_value_names_the_name() -> None:
    with pytest.raises(MissingValue) as info:
        run("a + b", {"a": Decimal(1)})
    assert info.value.name == "b"


def test_names_and_functions_are_collected() -> None:
    formula = compile_("ratio(so_dung_han, tong_so) * max")
    assert formula.names == {"so_dung_han", "tong_so", "max"}
    assert formula.functions == {"ratio"}


@pytest.mark.parametrize(
    ("text", "code", "offset"),
    [
        ("a +", "PR301", 3),
        ("a.real", "PR302", 0),
        ("a[0]", "PR302", 0),
        ("'x' + a", "PR306", 0),
        ("c + a", "PR303", 0),
        ("a + ratoi(a, b)", "PR304", 4),
        ("ratio(a)", "PR305", 0),
        ("a ** b", "PR308", 0),
        ("a ** 99", "PR308", 0),
        ("a // b", "PR302", 0),
        ("a if a else b", "PR306", 5),
        ("(a > b) + 1", "PR306", 1),
        ("__import__('os')", "PR302", 0),
        ("min(a, b=1)", "PR302", 0),
        ("lambda: 1", "PR302", 0),
        ("[x for x in a]", "PR302", 0),
        ("round(a, b)", "PR306", 9),
        ("0x10 + a", "PR302", 0),
        ("1e999", "PR302", 0),
    ],
)
def test_refused_with_code_and_offset(text: str, code: str, offset: int) -> None:
    assert problems(text)[0] == (code, offset)


def test_unknown_name_suggests() -> None:
    with pytest.raises(FormulaError) as info:
        compile_("so_dung_hn / tong_so")
    assert info.value.problems[0].hint == "did you mean 'so_dung_han'?"


def test_every_problem_is_reported() -> None:
    found = problems("c + d + ratoi(a)")
    assert [code for code, _ in found] == ["PR303", "PR303", "PR304"]


def test_limits_stop_before_python_parses() -> None:
    assert problems("(" * 40 + "a" + ")" * 40)[0][0] == "PR307"
    assert problems("a + " * 300 + "a")[0][0] == "PR307"
    assert problems("1" * 40)[0][0] == "PR307"


def test_result_type_is_checked() -> None:
    assert problems("a > b")[0][0] == "PR306"
    assert compile_("a > b", expect=None).type.value == "true/false"
