"""Formulas evaluated for many units at once, exactly, with the single-unit path's semantics.

The compiled nodes of :mod:`parindex_rules.expr.nodes` are walked once per batch instead of
once per unit; each node computes a whole column of exact rationals
(:class:`~parindex_rules.batch.exact.Rationals`). What the single-unit evaluation raises
becomes a per-row signal, and the order of evaluation is kept: the operands of an operation and
the arguments of a call are evaluated left to right, ``and``/``or`` and comparison chains stop at
the first false part, and ``a if c else b`` evaluates only the branch taken — so a row gets the
signal the exact path would raise, or none when that path would not reach the failing part.

Functions are vectorised here when their implementation is the built-in one; a formula calling
any other function marks its rows INEXACT, so they are scored by the exact path.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import numpy as np

from parindex_rules.batch.exact import (
    INEXACT,
    OK,
    ZERO_DENOMINATOR,
    Rationals,
    Truths,
    first_signal,
)
from parindex_rules.expr import functions as builtin
from parindex_rules.expr.nodes import (
    Arithmetic,
    BoolOp,
    Call,
    Compare,
    Expr,
    IfElse,
    Literal,
    Name,
    Negate,
    Not,
)
from parindex_rules.numbers import RoundingMode

Value = Rationals | Truths
Lookup = Callable[[str], Rationals]


class BatchEnv:
    """What a formula reads, for every row: a name lookup and the declared rounding mode."""

    def __init__(self, lookup: Lookup, rounding: RoundingMode, n: int) -> None:
        self.lookup = lookup
        self.rounding = rounding
        self.n = n


def evaluate(expr: Expr, env: BatchEnv) -> Value:
    """Evaluate a compiled formula for every row of the batch."""
    handler = _HANDLERS.get(type(expr))
    if handler is None:  # a node kind this module does not know: the exact path decides
        return Rationals.inexact(env.n)
    return handler(expr, env)


def _literal(expr: Literal, env: BatchEnv) -> Value:
    if isinstance(expr.value, bool):
        return Truths.constant(expr.value, env.n)
    return Rationals.constant(expr.value, env.n)


def _name(expr: Name, env: BatchEnv) -> Value:
    return env.lookup(expr.name)


def _number(value: Value, n: int) -> Rationals:
    if isinstance(value, Rationals):
        return value
    return Rationals.inexact(n)  # cannot happen after the compile-time type check


def _truth(value: Value, n: int) -> Truths:
    if isinstance(value, Truths):
        return value
    return Truths(np.zeros(n, np.bool_), np.full(n, INEXACT, np.int8))


def _negate(expr: Negate, env: BatchEnv) -> Value:
    return -_number(evaluate(expr.parts[0], env), env.n)


def _not(expr: Not, env: BatchEnv) -> Value:
    value = _truth(evaluate(expr.parts[0], env), env.n)
    return Truths(~value.value, value.signal)


def _arithmetic(expr: Arithmetic, env: BatchEnv) -> Value:
    a = _number(evaluate(expr.parts[0], env), env.n)
    b = _number(evaluate(expr.parts[1], env), env.n)
    if expr.op == "+":
        return a + b
    if expr.op == "-":
        return a - b
    if expr.op == "*":
        return a * b
    if expr.op == "/":
        return a.divide(b)
    # "**": the exponent is a small whole-number literal (checked at compile time)
    exponent = expr.parts[1]
    if not isinstance(exponent, Literal) or isinstance(exponent.value, bool):
        return Rationals.inexact(env.n)
    result = Rationals.constant(1, env.n).with_signal(first_signal(a.signal, b.signal))
    for _ in range(int(exponent.value)):
        result = result * a
    return result


_CHECKS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
    "==": lambda c: c == 0,
    "!=": lambda c: c != 0,
}


def _compare_pair(left: Value, right: Value, op: str, n: int) -> Truths:
    if isinstance(left, Truths) and isinstance(right, Truths):
        same = left.value == right.value
        outcome = same if op == "==" else ~same
        return Truths(outcome, first_signal(left.signal, right.signal))
    if isinstance(left, Truths) or isinstance(right, Truths):
        return Truths(np.zeros(n, np.bool_), np.full(n, INEXACT, np.int8))
    sign, signal = left.compare(right)
    return Truths(_CHECKS[op](sign), signal)


def _compare(expr: Compare, env: BatchEnv) -> Value:
    """A chain ``a < b <= c``: stops at the first false comparison, like the exact path."""
    left = evaluate(expr.parts[0], env)
    signal = left.signal.copy()
    active = signal == OK  # rows still evaluating: no signal yet, every comparison so far true
    result = np.zeros(env.n, np.bool_)
    for op, part in zip(expr.ops, expr.parts[1:], strict=False):
        right = evaluate(part, env)
        pair = _compare_pair(left, right, op, env.n)
        raised = active & (pair.signal != OK)
        signal[raised] = pair.signal[raised]
        active &= ~raised
        active &= pair.value
        left = right
    result[active] = True
    return Truths(result, signal)


def _bool_op(expr: BoolOp, env: BatchEnv) -> Value:
    """``and`` stops at the first false part, ``or`` at the first true one."""
    decided_value = expr.op != "and"  # the value once a part decides: False for and, True for or
    signal = np.zeros(env.n, np.int8)
    active = np.ones(env.n, np.bool_)
    result = np.full(env.n, not decided_value, np.bool_)
    for part in expr.parts:
        value = _truth(evaluate(part, env), env.n)
        raised = active & (value.signal != OK)
        signal[raised] = value.signal[raised]
        active &= ~raised
        decides = active & (value.value == decided_value)
        result[decides] = decided_value
        active &= ~decides
    return Truths(result, signal)


def _if_else(expr: IfElse, env: BatchEnv) -> Value:
    test = _truth(evaluate(expr.parts[0], env), env.n)
    body = evaluate(expr.parts[1], env)
    orelse = evaluate(expr.parts[2], env)
    choose = test.value
    if isinstance(body, Truths) and isinstance(orelse, Truths):
        value = np.where(choose, body.value, orelse.value)
        branch_signal = np.where(choose, body.signal, orelse.signal).astype(np.int8)
        return Truths(value, first_signal(test.signal, branch_signal))
    chosen = _number(body, env.n).where(choose, _number(orelse, env.n))
    return chosen.with_signal(first_signal(test.signal, chosen.signal))


# -- functions -------------------------------------------------------------------------------


def _fn_min(env: BatchEnv, args: list[Value]) -> Value:
    return _pick_extreme(env, args, lambda sign: sign < 0)


def _fn_max(env: BatchEnv, args: list[Value]) -> Value:
    return _pick_extreme(env, args, lambda sign: sign > 0)


def _pick_extreme(
    env: BatchEnv, args: list[Value], better: Callable[[np.ndarray], np.ndarray]
) -> Value:
    best = _number(args[0], env.n)
    for arg in args[1:]:
        value = _number(arg, env.n)
        sign, signal = value.compare(best)
        best = value.where(better(sign), best).with_signal(signal)
    return best


def _fn_clamp(env: BatchEnv, args: list[Value]) -> Value:
    x, low, high = (_number(a, env.n) for a in args)
    below, s1 = x.compare(low)
    above, s2 = x.compare(high)
    out = low.where(below < 0, high.where(above > 0, x))
    return out.with_signal(first_signal(s1, s2))


def _fn_round(env: BatchEnv, args: list[Value]) -> Value:
    x = _number(args[0], env.n)
    places = 0
    if len(args) > 1:
        p = _number(args[1], env.n)
        if not (p.den == 1).all() or len(set(p.num.tolist())) > 1:
            return Rationals.inexact(env.n)
        places = int(p.num[0]) if len(p.num) else 0
        x = x.with_signal(first_signal(x.signal, p.signal))
    return x.round(places, env.rounding)


def _fn_abs(env: BatchEnv, args: list[Value]) -> Value:
    return abs(_number(args[0], env.n))


def _ratio_like(env: BatchEnv, args: list[Value], hundred: bool) -> Value:
    a = _number(args[0], env.n)
    b = _number(args[1], env.n)
    signal = first_signal(a.signal, b.signal, *(_number(x, env.n).signal for x in args[2:]))
    zero = b.num == 0
    safe_b = b.where(~zero, Rationals.constant(1, env.n))
    quotient = a.with_signal(np.zeros(env.n, np.int8)).divide(
        safe_b.with_signal(np.zeros(env.n, np.int8))
    )
    if hundred:
        quotient = quotient * Rationals.constant(Decimal(100), env.n)
    if len(args) > 2:
        if_zero = _number(args[2], env.n)
        quotient = if_zero.where(zero, quotient)
    else:
        quotient = quotient.with_signal(
            np.where(zero & (quotient.signal == OK), ZERO_DENOMINATOR, quotient.signal).astype(
                np.int8
            )
        )
    return quotient.with_signal(first_signal(signal, quotient.signal))


def _fn_ratio(env: BatchEnv, args: list[Value]) -> Value:
    return _ratio_like(env, args, hundred=False)


def _fn_percent(env: BatchEnv, args: list[Value]) -> Value:
    return _ratio_like(env, args, hundred=True)


#: Vectorised forms of the built-in functions, keyed by their implementation, so that a plugin
#: registered under a built-in name (with another implementation) is never mistaken for it.
VECTORISED: dict[object, Callable[[BatchEnv, list[Value]], Value]] = {
    builtin.MIN.impl: _fn_min,
    builtin.MAX.impl: _fn_max,
    builtin.CLAMP.impl: _fn_clamp,
    builtin.ROUND.impl: _fn_round,
    builtin.ABS.impl: _fn_abs,
    builtin.RATIO.impl: _fn_ratio,
    builtin.PERCENT.impl: _fn_percent,
}


def _call(expr: Call, env: BatchEnv) -> Value:
    args = [evaluate(part, env) for part in expr.parts]
    vectorised = VECTORISED.get(expr.spec.impl)
    if vectorised is None:
        return Rationals.inexact(env.n)
    result = vectorised(env, args)
    arg_signal = first_signal(*(a.signal for a in args)) if args else None
    if arg_signal is None:
        return result
    if isinstance(result, Truths):
        return Truths(result.value, first_signal(arg_signal, result.signal))
    return result.with_signal(first_signal(arg_signal, result.signal))


_HANDLERS: dict[type, Callable[..., Value]] = {
    Literal: _literal,
    Name: _name,
    Negate: _negate,
    Not: _not,
    Arithmetic: _arithmetic,
    Compare: _compare,
    BoolOp: _bool_op,
    IfElse: _if_else,
    Call: _call,
}
