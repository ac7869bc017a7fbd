"""Formulas are untrusted input: generated expressions, allowed and forbidden, through the parser.

Properties (hypothesis; 10,000 examples each in CI's profile, a few hundred with
HYPOTHESIS_PROFILE=dev):

- the parser either compiles a formula or raises FormulaError listing located problems with
  catalogued codes; nothing else ever escapes it;
- whatever compiles uses only allow-listed syntax, checked by an independent walk of Python's
  own syntax tree (so a bug in the allow-list cannot hide behind itself);
- evaluating what compiles, with any values, gives a value of the formula's type (exact
  numbers, never floats) or raises one of our own evaluation signals; it stays within a
  bounded amount of memory and time (a hang detector with generous bounds, not a benchmark).
"""

from __future__ import annotations

import ast
import os
import random
import time
import tracemalloc
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex_rules import limits
from parindex_rules.codes import CATALOGUE
from parindex_rules.expr.functions import ABS, CLAMP, MAX, MIN, PERCENT, RATIO, ROUND
from parindex_rules.expr.nodes import Env, EvaluationSignal, Formula, MissingValue, Type
from parindex_rules.expr.parser import FormulaError, parse_formula
from parindex_rules.numbers import RoundingMode, format_exact, format_rounded

CI = os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci"
#: Examples per property: 10,000 in CI's profile (issue 9), few in dev runs.
EXAMPLES = 10_000 if CI else 300
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FUNCTIONS = {f.name: f for f in (ABS, CLAMP, MAX, MIN, PERCENT, RATIO, ROUND)}
SCOPE = {"a", "b", "c"}
#: Generous bounds: a compiled formula of at most 250 parts over 30-digit numbers needs far
#: less. Exceeding them means a hang or a blow-up, not a slow machine.
MAX_EVAL_SECONDS = 2.0
MAX_EVAL_BYTES = 8 * 1024 * 1024

# -- generated expressions: the allow-list's syntax and every kind of syntax it refuses.
# Built from a hypothesis-controlled random generator: a recursive strategy of this many
# productions costs ~15 ms an example, too slow for 10,000 of them on a shared machine.
# fmt: off
NAMES = ["a", "b", "c", "max", "x", "True", "False", "None", "__class__", "__builtins__", "eval",
         "open", "type", "object", "globals", "ratio", "min", "ｍａｘ", "а", "tỷ_lệ", "_", "__"]
NUMBERS = ["0", "0.5", "8", "9", "100", "1e3", "0x10", "0o7", "0b1", "1j", "1_000",
           "1" + "0" * 40, "00", ".5", "5.", "1E-2", "12.345", "999999", "3"]
TEXTS = ["'x'", '"a"', "b'x'", "f'{a}'", "f'{a.__class__}'", "'{0.__class__}'", "'\\='", "..."]
BINARY = ["+", "-", "*", "/", "**", "//", "%", "@", "<<", ">>", "&", "|", "^"]
COMPARE = ["<", "<=", ">", ">=", "==", "!=", "in", "not in", "is", "is not"]
CALLEES = ["min", "max", "clamp", "round", "abs", "ratio", "percent", "sum", "eval",
           "__import__", "getattr", "print", "len"]
UNARY = ["-", "+", "not ", "~"]
# fmt: on


def random_expression(rng: random.Random, depth: int = 0) -> str:
    """One expression; most productions are allowed, a good share are not."""
    if depth > 5 or rng.random() < 0.25 + depth * 0.1:
        kind = rng.random()
        if kind < 0.45:
            return rng.choice(NAMES[:4]) if rng.random() < 0.7 else rng.choice(NAMES)
        if kind < 0.9:
            return rng.choice(NUMBERS)
        return rng.choice(TEXTS)
    sub = lambda: random_expression(rng, depth + 1)  # noqa: E731
    production = rng.randrange(20)
    if production < 5:
        op = rng.choice(BINARY[:5]) if rng.random() < 0.8 else rng.choice(BINARY)
        return f"{sub()} {op} {sub()}"
    if production == 5:
        return f"{rng.choice(UNARY)}{sub()}"
    if production == 6:
        op = rng.choice(COMPARE[:6]) if rng.random() < 0.8 else rng.choice(COMPARE)
        return f"{sub()} {op} {sub()}"
    if production == 7:
        return f"{sub()} {rng.choice(['and', 'or'])} {sub()}"
    if production == 8:
        return f"{sub()} if {sub()} else {sub()}"
    if production in (9, 10):
        callee = rng.choice(CALLEES[:7]) if rng.random() < 0.8 else rng.choice(CALLEES)
        args = ", ".join(sub() for _ in range(rng.randrange(5)))
        return f"{callee}({args})"
    if production == 11:
        return f"({sub()})"
    if production == 12:
        return f"{sub()} ** {rng.choice(['0', '2', '8', '9', 'b', '-1', '0.5', '8 ** 8'])}"
    if production == 13:
        return f"round({sub()}, {rng.choice(['0', '2', '10', '11', 'a'])})"
    forbidden = [
        lambda: f"{sub()}.__class__",
        lambda: f"{sub()}.real",
        lambda: f"{sub()}[{sub()}]",
        lambda: f"lambda: {sub()}",
        lambda: f"[{sub()} for a in {sub()}]",
        lambda: f"({sub()}, {sub()})",
        lambda: f"{{{sub()}: {sub()}}}",
        lambda: f"(c := {sub()})",
        lambda: f"min(*{sub()})",
        lambda: f"round({sub()}, ndigits=2)",
    ]
    return rng.choice(forbidden)()


expressions = st.randoms(use_true_random=False).map(random_expression)

# -- the independent oracle: what the allow-list promises, read off Python's own tree
_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_CMPOPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
_UNARY = (ast.USub, ast.UAdd, ast.Not)


def allowed_syntax(text: str) -> bool:
    if not text.isascii():
        return False
    tree = ast.parse("(" + text.strip() + "\n)", mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.Load):
            continue
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, _BINOPS):
                return False
            if isinstance(node.op, ast.Pow) and not (
                isinstance(node.right, ast.Constant)
                and type(node.right.value) is int
                and 0 <= node.right.value <= limits.MAX_POWER_EXPONENT
            ):
                return False
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, _UNARY):
                return False
        elif isinstance(
            node, (ast.BoolOp, ast.IfExp, ast.And, ast.Or, *_BINOPS, *_CMPOPS, *_UNARY)
        ):
            continue
        elif isinstance(node, ast.Compare):
            if not all(isinstance(op, _CMPOPS) for op in node.ops):
                return False
        elif isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
                return False
            if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
                return False
        elif isinstance(node, ast.Name):
            if node.id not in SCOPE | {"max"} | set(FUNCTIONS):
                return False
        elif isinstance(node, ast.Constant):
            if type(node.value) not in (int, float, bool):
                return False
        else:
            return False
    return True


def compile_formula(text: str) -> Formula | None:
    try:
        return parse_formula(
            text, functions=FUNCTIONS.get, scope=SCOPE, function_names=list(FUNCTIONS)
        )
    except FormulaError as exc:
        assert exc.problems, "a FormulaError lists its problems"
        for problem in exc.problems:
            assert problem.code in CATALOGUE, problem.code
            assert problem.code.startswith("PR3"), problem
            assert 0 <= problem.offset <= max(len(text), 1), (problem, len(text))
            assert problem.message
        return None


values = st.one_of(
    st.sampled_from([Decimal(0), Decimal(1), Decimal(-1), Decimal("0.5"), Decimal(100)]),
    st.sampled_from([Decimal(10) ** 29, -(Decimal(10) ** 29), Decimal("1e-29"), Decimal(3)]),
    st.decimals(-(10**20), 10**20, places=6, allow_nan=False, allow_infinity=False),
    st.none(),  # a missing value
)


def evaluate_bounded(formula: Formula, env: dict[str, Decimal | None]) -> None:
    def lookup(name: str) -> Decimal:
        if name == "max":
            return Decimal(10)
        value = env.get(name)
        if value is None:
            raise MissingValue(name)
        return value

    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = formula.evaluate(Env(lookup, RoundingMode.HALF_UP))
    except EvaluationSignal:
        return  # our own errors: each becomes a located diagnostic for its unit
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert elapsed < MAX_EVAL_SECONDS, f"{formula.text!r} took {elapsed:.1f} s"
        assert peak < MAX_EVAL_BYTES, f"{formula.text!r} used {peak} bytes"
    if formula.type is Type.BOOL:
        assert isinstance(result, bool)
    else:
        assert isinstance(result, Decimal | Fraction) and not isinstance(result, bool)
        # What explanations and reports then do with the value must not fail either.
        assert format_exact(result)
        assert format_rounded(result, 10, RoundingMode.HALF_UP)


@FUZZ
@given(expressions, st.fixed_dictionaries({"a": values, "b": values, "c": values}))
def test_generated_expressions(text: str, env: dict[str, Decimal | None]) -> None:
    formula = compile_formula(text)
    if formula is None:
        return
    assert allowed_syntax(text), f"compiled outside the allow-list: {text!r}"
    assert formula.names <= SCOPE | {"max"}
    assert formula.functions <= set(FUNCTIONS)
    evaluate_bounded(formula, env)


ALPHABET = "abcx019.,+-*/%()[]{}<>=!:;'\"_ \n\t\\#@&|^~`$?ｍа\x00"


@FUZZ
@given(st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=30))
def test_arbitrary_text(text: str) -> None:
    """Any text at all: compiled (and then within the allow-list), or refused with our codes."""
    formula = compile_formula(text)
    if formula is not None:
        assert allowed_syntax(text), f"compiled outside the allow-list: {text!r}"


def test_large_values_round_and_show() -> None:
    """(10^20 · 10^20)^8 has 321 digits, within the 400-digit limit: rounding it to 2 places
    and showing it exactly used to raise InvalidOperation (a 200-digit context)."""
    formula = compile_formula("round((a * b) ** 8, 2)")
    assert formula is not None
    big = Decimal(10) ** 20
    value = formula.evaluate(Env(lambda name: big, RoundingMode.HALF_UP))
    assert value == Decimal(10) ** 320
    assert format_exact(value) == "1" + "0" * 320
    assert format_rounded(value, 2, RoundingMode.HALF_UP) == "1" + "0" * 320 + ".00"


def test_sums_past_eighty_digits_stay_exact() -> None:
    """a ** 8 + a with a = 10^29 has 233 digits: found by the fuzzing above, it raised
    decimal.Inexact (a fraction turned back into a decimal in an 80-digit context)."""
    formula = compile_formula("a ** 8 + a")
    assert formula is not None
    a = Decimal(10) ** 29
    value = formula.evaluate(Env(lambda name: a, RoundingMode.HALF_UP))
    assert value == Decimal(10**232 + 10**29)
