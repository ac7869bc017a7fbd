"""The compiled form of a formula: small typed nodes that evaluate exactly.

A formula is parsed once (:mod:`parindex_rules.expr.parser`); each unit then only walks these
nodes. Every node knows its result type (number or true/false), checked at compile time, so
evaluation never meets a type it did not expect.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING

from parindex_rules import limits
from parindex_rules import numbers as num
from parindex_rules.numbers import Number, RoundingMode

if TYPE_CHECKING:
    from parindex_rules.expr.functions import FunctionSpec

Value = Number | bool


class Type(str, Enum):
    NUMBER = "number"
    BOOL = "true/false"


class EvaluationSignal(Exception):
    """Base of what evaluation may raise; every one is turned into a located diagnostic."""


class MissingValue(EvaluationSignal):
    """A name's value is not available for this unit (a missing fact, or a failed value)."""

    code = "PR509"

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class ZeroDenominator(EvaluationSignal):
    """A division or ratio by zero. The rule's declared zero-denominator policy decides."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ValueTooLarge(EvaluationSignal):
    """A value grew beyond :data:`limits.MAX_VALUE_DIGITS` digits."""


class FunctionFailed(EvaluationSignal):
    """A formula function raised, or returned what its declared type does not allow.

    Functions may come from plugins: their bugs become a diagnostic naming the function.
    """

    code = "PR704"


class Env:
    """What a formula may read: a name lookup and the declared rounding mode."""

    __slots__ = ("lookup", "rounding")

    def __init__(self, lookup: Callable[[str], Number], rounding: RoundingMode) -> None:
        self.lookup = lookup
        self.rounding = rounding


def _guard(value: Number) -> Number:
    if isinstance(value, Fraction):
        digits = len(str(abs(value.numerator))) + len(str(value.denominator))
    else:
        _, shown, exponent = value.as_tuple()
        digits = len(shown) + abs(int(exponent))
    if digits > limits.MAX_VALUE_DIGITS:
        raise ValueTooLarge(f"a value grew beyond {limits.MAX_VALUE_DIGITS} digits")
    return value


class Expr(ABC):
    """Base of compiled nodes. `text` is the node's own source, for explanations."""

    __slots__ = ("text", "type")

    def __init__(self, text: str, type_: Type) -> None:
        self.text = text
        self.type = type_

    @abstractmethod
    def evaluate(self, env: Env) -> Value:
        """The node's value in `env`."""

    def names(self) -> set[str]:
        return set()

    def functions(self) -> set[str]:
        return set()


class Literal(Expr):
    __slots__ = ("value",)

    def __init__(self, text: str, value: Value) -> None:
        super().__init__(text, Type.BOOL if isinstance(value, bool) else Type.NUMBER)
        self.value = value

    def evaluate(self, env: Env) -> Value:
        return self.value


class Name(Expr):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        super().__init__(name, Type.NUMBER)
        self.name = name

    def evaluate(self, env: Env) -> Value:
        return env.lookup(self.name)

    def names(self) -> set[str]:
        return {self.name}


class _Composite(Expr):
    __slots__ = ("parts",)

    def __init__(self, text: str, type_: Type, parts: Sequence[Expr]) -> None:
        super().__init__(text, type_)
        self.parts = tuple(parts)

    def names(self) -> set[str]:
        out: set[str] = set()
        for part in self.parts:
            out |= part.names()
        return out

    def functions(self) -> set[str]:
        out: set[str] = set()
        for part in self.parts:
            out |= part.functions()
        return out


def _number(value: Value) -> Number:
    assert not isinstance(value, bool)  # guaranteed by the compile-time type check
    return value


class Negate(_Composite):
    def evaluate(self, env: Env) -> Value:
        return -_number(self.parts[0].evaluate(env))


class Not(_Composite):
    def evaluate(self, env: Env) -> Value:
        return not self.parts[0].evaluate(env)


class Arithmetic(_Composite):
    __slots__ = ("op",)

    def __init__(self, text: str, op: str, left: Expr, right: Expr) -> None:
        super().__init__(text, Type.NUMBER, (left, right))
        self.op = op

    def evaluate(self, env: Env) -> Value:
        a = _number(self.parts[0].evaluate(env))
        b = _number(self.parts[1].evaluate(env))
        if self.op == "+":
            return _guard(num.add(a, b))
        if self.op == "-":
            return _guard(num.sub(a, b))
        if self.op == "*":
            return _guard(num.mul(a, b))
        if self.op == "/":
            if b == 0:
                raise ZeroDenominator(self.text)
            return _guard(num.div(a, b))
        # "**": the exponent is a small whole-number literal (checked at compile time).
        exponent = int(_number(self.parts[1].evaluate(env)))
        result: Number = num.ONE
        for _ in range(exponent):
            result = _guard(num.mul(result, a))
        return result


_COMPARE: dict[str, Callable[[int], bool]] = {
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
    "==": lambda c: c == 0,
    "!=": lambda c: c != 0,
}


class Compare(_Composite):
    """A chain such as ``0 <= x < 100``; numbers compare exactly."""

    __slots__ = ("ops",)

    def __init__(self, text: str, ops: Sequence[str], operands: Sequence[Expr]) -> None:
        super().__init__(text, Type.BOOL, operands)
        self.ops = tuple(ops)

    def evaluate(self, env: Env) -> Value:
        left = self.parts[0].evaluate(env)
        for op, part in zip(self.ops, self.parts[1:], strict=False):
            right = part.evaluate(env)
            if isinstance(left, bool) or isinstance(right, bool):
                outcome = (left == right) if op == "==" else (left != right)
            else:
                outcome = _COMPARE[op](num.compare(left, right))
            if not outcome:
                return False
            left = right
        return True


class BoolOp(_Composite):
    __slots__ = ("op",)

    def __init__(self, text: str, op: str, values: Sequence[Expr]) -> None:
        super().__init__(text, Type.BOOL, values)
        self.op = op

    def evaluate(self, env: Env) -> Value:
        if self.op == "and":
            return all(part.evaluate(env) for part in self.parts)
        return any(part.evaluate(env) for part in self.parts)


class IfElse(_Composite):
    """``a if condition else b``: only the branch taken is evaluated."""

    def evaluate(self, env: Env) -> Value:
        test, body, orelse = self.parts
        return body.evaluate(env) if test.evaluate(env) else orelse.evaluate(env)


class Call(_Composite):
    __slots__ = ("spec",)

    def __init__(self, text: str, spec: FunctionSpec, args: Sequence[Expr]) -> None:
        super().__init__(text, spec.returns, args)
        self.spec = spec

    def evaluate(self, env: Env) -> Value:
        values = [part.evaluate(env) for part in self.parts]
        try:
            result = self.spec.impl(env, self.text, *values)
        except EvaluationSignal:
            raise
        except Exception as exc:  # a plugin function's bug, reported with its name
            text = " ".join(str(exc).split())[:200]
            raise FunctionFailed(
                f"function {self.spec.name!r} raised {type(exc).__name__}: {text} in {self.text}"
            ) from None
        if isinstance(result, Decimal) and self.spec.returns is Type.NUMBER and result.is_finite():
            return _guard(result)  # the common case
        if self.spec.returns is Type.BOOL:
            if isinstance(result, bool):
                return result
        elif isinstance(result, int) and not isinstance(result, bool):
            return Decimal(result)
        elif isinstance(result, Fraction) or (isinstance(result, Decimal) and result.is_finite()):
            return _guard(num.normalize(result))
        raise FunctionFailed(
            f"function {self.spec.name!r} returned {type(result).__name__} {result!r} in "
            f"{self.text}; it must return a {self.spec.returns.value} "
            "(numbers as Decimal or Fraction, exact)"
        )

    def functions(self) -> set[str]:
        return {self.spec.name} | super().functions()


@dataclass(frozen=True)
class Formula:
    """A parsed, checked formula: its text, root node, and the names and functions it uses."""

    text: str
    root: Expr
    names: frozenset[str]
    functions: frozenset[str]

    @property
    def type(self) -> Type:
        return self.root.type

    def evaluate(self, env: Env) -> Value:
        return self.root.evaluate(env)
