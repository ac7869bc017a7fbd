"""Results of evaluating units: exact scores per node, with their explanations."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import overload

from parindex_rules.diagnostics import Diagnostic, ParindexError
from parindex_rules.evaluate.explanation import Explanation
from parindex_rules.numbers import (
    HUNDRED,
    Number,
    RoundingMode,
    div,
    format_exact,
    format_rounded,
    mul,
)

#: What happened to a node: scored; not applicable; a needed value is missing; not part of the
#: stage (survey and council items at the self stage); a fact did not fit (error); the unit's
#: result is withheld; or a parent with a missing or failed child (incomplete).
STATUSES = (
    "scored",
    "not_applicable",
    "missing",
    "not_in_stage",
    "error",
    "withheld",
    "incomplete",
)


class UnknownNode(ParindexError, KeyError):
    """No node has the id asked for."""


@dataclass(frozen=True)
class Deduction:
    """Points taken off a unit's maximum (an item not applicable, under applicable_maximum)."""

    item: str
    name: str
    points: Decimal
    reason: str | None


class _MadeOnFirstUse:
    """A node's explanation: given as the record, or as a function that makes it, called the
    first time the record is asked for (then kept)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    @overload
    def __get__(self, result: None, owner: type) -> _MadeOnFirstUse: ...

    @overload
    def __get__(self, result: NodeResult, owner: type) -> Explanation: ...

    def __get__(self, result: NodeResult | None, owner: type) -> Explanation | _MadeOnFirstUse:
        if result is None:
            raise AttributeError(self.slot)  # no default: the dataclass field is required
        explanation: Explanation | Callable[[], Explanation] = result.__dict__[self.slot]
        if not isinstance(explanation, Explanation):
            explanation = result.__dict__[self.slot] = explanation()
        return explanation

    def __set__(self, result: NodeResult, value: Explanation | Callable[[], Explanation]) -> None:
        result.__dict__[self.slot] = value


@dataclass
class NodeResult:
    """One node's exact score and maximum at one stage, and its explanation.

    The engine records what the explanation needs while it evaluates, and makes the
    :class:`Explanation` itself (its texts included) the first time it is asked for: most
    results are ranked or summed, never read line by line.
    """

    id: str
    name: str
    level: str
    origin: str
    max: Number
    score: Number | None
    status: str
    provisional: bool
    explanation: _MadeOnFirstUse = _MadeOnFirstUse()

    @property
    def index(self) -> Number | None:
        """score / max × 100, exact; None when the node has no maximum at this stage."""
        if self.score is None or self.max == 0:
            return None
        return mul(div(self.score, self.max), HUNDRED)

    def explain(self) -> Explanation:
        return self.explanation

    def __getstate__(self) -> dict[str, object]:
        # Copied or pickled with its explanation made: what the engine recorded to make it
        # belongs to the engine (and holds objects that do not pickle).
        state = dict(self.__dict__)
        state["_explanation"] = self.explanation
        return state


@dataclass
class UnitResult:
    """One unit's result at one stage. Scores are exact; round with :meth:`rounded`."""

    ruleset: str
    unit: str
    name: str
    group: str | None
    stage: str
    evaluated: bool
    ranked: bool
    reason: str | None
    places: int
    rounding: RoundingMode
    provisional: bool
    nodes: dict[str, NodeResult] = field(default_factory=dict)
    deductions: list[Deduction] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rank: int | None = None
    rank_class: str | None = None
    type: str | None = None

    @property
    def total(self) -> NodeResult | None:
        return self.nodes.get("total")

    @property
    def score(self) -> Number | None:
        return None if self.total is None else self.total.score

    @property
    def max(self) -> Number | None:
        return None if self.total is None else self.total.max

    @property
    def index(self) -> Number | None:
        return None if self.total is None else self.total.index

    @property
    def ok(self) -> bool:
        """No error diagnostic: every number can be trusted."""
        return not any(d.is_error for d in self.diagnostics)

    def node(self, node_id: str) -> NodeResult:
        try:
            return self.nodes[node_id]
        except KeyError:
            close = difflib.get_close_matches(node_id, list(self.nodes), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UnknownNode(f"no node {node_id!r} in the result{hint}") from None

    def explain(self, node_id: str = "total") -> Explanation:
        return self.node(node_id).explanation

    def rounded(self, value: Number | None) -> str | None:
        """A value as published: rounded once with the ruleset's places and mode."""
        return None if value is None else format_rounded(value, self.places, self.rounding)

    def exact(self, value: Number | None) -> str | None:
        return None if value is None else format_exact(value)
