"""What may vary, written as ``KIND:TARGET=±X[/STEP]`` (docs/scale.md).

- ``threshold:1.1.4=±5`` — every band threshold of item 1.1.4 shifts by the same δ in [-5, 5]
  (bounds keep their từ/trên/đến/dưới); ``threshold:1.1.4@90=±5`` shifts only the bounds at 90.
- ``max:8.1=±2`` — the maximum of item (or node) 8.1 varies by ±2 points; ``max:2=±10%`` by ±10
  % of itself. Its points scale with it (the item's index stays), and each parent's maximum is
  the sum of its children's in that replicate. A node's maximum scales every item under it.
- ``weight:survey=±20%`` — every survey item's maximum (and points) × (1 + δ); the target is an
  origin (assessed, survey, appraisal_only, bonus, penalty) or a node id (``weight:8=±20%``).

δ is drawn uniformly from the multiples of STEP in [-X, X]; STEP defaults to the last decimal
place X is written with (±5 → whole numbers, ±2.5 → tenths, ±20% → whole percents). ``+-`` may
be written for ±. Draws are exact decimals, so every replicate is scored exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from parindex_rules.compile.compiled import CompiledNode, CompiledRuleset
from parindex_rules.model.ruleset import Origin
from parindex_rules.numbers import NotADecimal, format_exact, parse_decimal

KINDS = ("threshold", "max", "weight")
_SPEC = re.compile(
    r"^(?P<kind>[a-z_]+):(?P<target>[^=@\s]+)(?:@(?P<at>[^=\s]+))?\s*=\s*"
    r"(?:±|\+-|\+/-)\s*(?P<amount>[0-9.,]+)\s*(?P<percent>%)?\s*(?:/\s*(?P<step>[0-9.,]+))?$"
)


class SpecError(ValueError):
    """A --vary specification that cannot be read or does not fit the ruleset."""


@dataclass(frozen=True)
class Parameter:
    """One varied parameter: what it targets and the values its δ takes."""

    text: str
    kind: str
    target: str
    at: Decimal | None
    amount: Decimal
    percent: bool
    step: Decimal
    #: The leaves it acts on.
    leaves: tuple[str, ...]

    @property
    def grid(self) -> list[Decimal]:
        """Every value δ can take, smallest first (0 is always one of them)."""
        if self.amount == 0:
            return [Decimal(0)]
        count = int(self.amount / self.step)
        return [self.step * k for k in range(-count, count + 1)]

    def factor(self, delta: Decimal, node: CompiledNode | None) -> Fraction:
        """The multiplier of the points and maximum of the leaves acted on (max, weight): a
        percentage, or (max + δ) / max of the node targeted."""
        if self.percent or node is None:
            return 1 + Fraction(delta) / 100
        return (Fraction(node.max) + Fraction(delta)) / Fraction(node.max)


def _last_place(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(min(0, exponent))


def parse(text: str, compiled: CompiledRuleset) -> Parameter:
    """Read one ``--vary`` specification against a ruleset; SpecError says what is wrong."""
    match = _SPEC.match(text.strip())
    if match is None:
        raise SpecError(
            f"cannot read {text!r}: write KIND:TARGET=±X, e.g. threshold:1.1.4=±5, "
            "max:8.1=±2, weight:survey=±20%"
        )
    kind, target = match["kind"], match["target"]
    if kind not in KINDS:
        raise SpecError(f"{text!r}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    try:
        amount = parse_decimal(match["amount"])
        step = parse_decimal(match["step"]) if match["step"] else _last_place(amount)
        at = parse_decimal(match["at"]) if match["at"] else None
    except NotADecimal as exc:
        raise SpecError(f"{text!r}: {exc}") from None
    percent = bool(match["percent"])
    if step <= 0 or (amount % step) != 0:
        raise SpecError(f"{text!r}: the step {step} must be positive and divide {amount}")
    if amount / step > 10_000:
        raise SpecError(f"{text!r}: more than 20,000 values; use a larger step")
    nodes = compiled.nodes
    if kind == "threshold":
        node = nodes.get(target)
        if node is None or not node.is_leaf or not hasattr(node.method, "intervals"):
            raise SpecError(f"{text!r}: {target} is not an item scored by bands")
        if percent:
            raise SpecError(f"{text!r}: thresholds shift by points of their value, not by %")
        _check_thresholds(text, node, at, amount)
        leaves: tuple[str, ...] = (target,)
    elif kind == "max":
        node = nodes.get(target)
        if node is None or node.id == "total":
            raise SpecError(f"{text!r}: no item or node {target!r}")
        if (not percent and amount >= node.max) or (percent and amount >= 100):
            raise SpecError(f"{text!r}: the maximum {format_exact(node.max)} would reach 0")
        if at is not None:
            raise SpecError(f"{text!r}: `@` belongs to thresholds")
        leaves = tuple(leaf.id for leaf in _leaves_under(compiled, node))
    else:
        if not percent:
            raise SpecError(f"{text!r}: a weight varies by a percentage, e.g. ±20%")
        if amount >= 100:
            raise SpecError(f"{text!r}: a weight cannot fall to 0 (X must be below 100%)")
        if at is not None:
            raise SpecError(f"{text!r}: `@` belongs to thresholds")
        if target in Origin._value2member_map_:
            origin = Origin(target)
            leaves = tuple(leaf.id for leaf in compiled.leaves() if leaf.origin is origin)
        elif target in nodes and target != "total":
            leaves = tuple(leaf.id for leaf in _leaves_under(compiled, nodes[target]))
        else:
            raise SpecError(f"{text!r}: {target!r} is neither an origin nor a node")
        if not leaves:
            raise SpecError(f"{text!r}: no item has origin {target!r}")
    return Parameter(text.strip(), kind, target, at, amount, percent, step, leaves)


def _leaves_under(compiled: CompiledRuleset, node: CompiledNode) -> list[CompiledNode]:
    if node.is_leaf:
        return [node]
    prefix = node.id + "."
    return [leaf for leaf in compiled.leaves() if leaf.id.startswith(prefix)]


def thresholds(node: CompiledNode) -> list[Decimal]:
    """The distinct band bounds of a bands item, inside its value's domain."""
    method = node.method
    domain = method.domain  # type: ignore[union-attr]
    values = set()
    for interval in method.intervals:  # type: ignore[union-attr]
        for bound in (interval.low, interval.high):
            if bound is None or bound == domain.low or bound == domain.high:
                continue
            values.add(bound)
    return sorted(values)


def _check_thresholds(text: str, node: CompiledNode, at: Decimal | None, amount: Decimal) -> None:
    found = thresholds(node)
    if not found:
        raise SpecError(f"{text!r}: item {node.id} has no threshold inside its domain")
    if at is None:
        return
    if at not in found:
        shown = ", ".join(format_exact(t) for t in found)
        raise SpecError(f"{text!r}: item {node.id} has no threshold at {at} (it has {shown})")
    others = [t for t in found if t != at]
    if others and amount >= min(abs(t - at) for t in others):
        raise SpecError(
            f"{text!r}: shifting {format_exact(at)} by up to {format_exact(amount)} would "
            "cross another threshold of the item; vary them together (no @) or take less"
        )
