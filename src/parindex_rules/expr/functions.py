"""Functions a formula may call.

Each is a :class:`FunctionSpec`, registered through the ``parindex_rules.functions`` entry-point
group exactly like a third-party function (see docs/plugins.md). A function receives the
evaluation environment (for the declared rounding mode), its own source text (for messages),
then its arguments, already evaluated and type-checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from parindex_rules import numbers as num
from parindex_rules.expr.nodes import Env, Type, Value, ZeroDenominator
from parindex_rules.numbers import Number


@dataclass(frozen=True)
class FunctionSpec:
    """A formula function: name, arity, argument types, result type and implementation."""

    name: str
    impl: Callable[..., Value]
    min_args: int
    max_args: int | None
    arg_types: tuple[Type, ...] = (Type.NUMBER,)
    returns: Type = Type.NUMBER
    doc: str = ""
    #: The plugin API version a third-party function targets (docs/plugins.md); the built-ins
    #: leave it None: they are the core's own.
    api_version: int | None = None
    # For a function whose trailing arguments must be literal constants (e.g. round's places).
    literal_args: tuple[int, ...] = field(default_factory=tuple)

    def arg_type(self, position: int) -> Type:
        if position < len(self.arg_types):
            return self.arg_types[position]
        return self.arg_types[-1]

    def signature(self) -> str:
        if self.max_args is None:
            return f"{self.name}(x, y, ...)"
        names = ["x", "y", "z", "w", "v"][: self.max_args]
        shown = [n if i < self.min_args else f"[{n}]" for i, n in enumerate(names)]
        return f"{self.name}({', '.join(shown)})"


def _num(value: Value) -> Number:
    assert not isinstance(value, bool)
    return value


def _min(env: Env, text: str, *values: Value) -> Value:
    best = _num(values[0])
    for value in values[1:]:
        if num.compare(_num(value), best) < 0:
            best = _num(value)
    return best


def _max(env: Env, text: str, *values: Value) -> Value:
    best = _num(values[0])
    for value in values[1:]:
        if num.compare(_num(value), best) > 0:
            best = _num(value)
    return best


def _clamp(env: Env, text: str, value: Value, low: Value, high: Value) -> Value:
    if num.compare(_num(value), _num(low)) < 0:
        return low
    if num.compare(_num(value), _num(high)) > 0:
        return high
    return value


def _round(env: Env, text: str, value: Value, places: Value = Decimal(0)) -> Value:
    return num.round_to(_num(value), int(_num(places)), env.rounding)


def _abs(env: Env, text: str, value: Value) -> Value:
    number = _num(value)
    return -number if number < 0 else number


def _ratio(env: Env, text: str, a: Value, b: Value, *if_zero: Value) -> Value:
    if _num(b) == 0:
        if if_zero:
            return if_zero[0]
        raise ZeroDenominator(text)
    return num.div(_num(a), _num(b))


def _percent(env: Env, text: str, a: Value, b: Value, *if_zero: Value) -> Value:
    if _num(b) == 0:
        if if_zero:
            return if_zero[0]
        raise ZeroDenominator(text)
    return num.mul(num.div(_num(a), _num(b)), num.HUNDRED)


MIN = FunctionSpec("min", _min, 1, None, doc="The smallest of its arguments.")
MAX = FunctionSpec("max", _max, 1, None, doc="The largest of its arguments.")
CLAMP = FunctionSpec("clamp", _clamp, 3, 3, doc="clamp(x, low, high): x kept within [low, high].")
ROUND = FunctionSpec(
    "round",
    _round,
    1,
    2,
    doc="round(x, places): x rounded with the ruleset's declared rounding mode.",
    literal_args=(1,),
)
ABS = FunctionSpec("abs", _abs, 1, 1, doc="The absolute value.")
RATIO = FunctionSpec(
    "ratio",
    _ratio,
    2,
    3,
    doc=(
        "ratio(a, b[, if_zero]): a / b. With b = 0 it gives `if_zero` when given; otherwise the"
        " rule's `on_zero_denominator` policy decides (e.g. 'không phát sinh')."
    ),
)
PERCENT = FunctionSpec(
    "percent",
    _percent,
    2,
    3,
    doc="percent(a, b[, if_zero]): a / b × 100, with the same zero rule as ratio.",
)
