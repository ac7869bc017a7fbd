"""`whole_steps(x, size)`: how many whole steps of `size` fit in `x` (rounded down).

Rules such as "cứ 10% số đơn vị được kiểm tra được 0,25 điểm" count whole steps only:
``min(whole_steps(ty_le, 10) * 0.25, max)``. Like the demo method, this shape is an
illustration, not a quotation of a decision we hold.
"""

from __future__ import annotations

import math
from decimal import Decimal

from parindex_rules.expr.functions import FunctionSpec
from parindex_rules.expr.nodes import Env, Value, ZeroDenominator
from parindex_rules.numbers import as_fraction


def _whole_steps(env: Env, text: str, x: Value, size: Value) -> Value:
    assert not isinstance(x, bool) and not isinstance(size, bool)  # checked at compile time
    if size == 0:
        raise ZeroDenominator(text)  # the rule's `on_zero_denominator` decides
    return Decimal(math.floor(as_fraction(x) / as_fraction(size)))


WHOLE_STEPS = FunctionSpec(
    "whole_steps",
    _whole_steps,
    2,
    2,
    doc="whole_steps(x, size): how many whole steps of size fit in x, rounded down (demo plugin).",
    api_version=1,
)
