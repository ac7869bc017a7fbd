"""Results of evaluating units: exact scores per node, with their explanations."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

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


class NodeResult:
    """One node's exact score and maximum at one stage, and its explanation.

    The engine records what the explanation needs while it evaluates, and makes the
    :class:`Explanation` itself (its texts included) the first time it is asked for: most
    results are ranked or summed, never read line by line.
    """

    __slots__ = (
        "_explanation",
        "id",
        "level",
        "max",
        "name",
        "origin",
        "provisional",
        "score",
        "status",
    )

    def __init__(
        self,
        id: str,
        name: str,
        level: str,
        origin: str,
        max: Number,
        score: Number | None,
        status: str,
        provisional: bool,
        explanation: Explanation | Callable[[], Explanation],
    ) -> None:
        """`explanation` is the record, or a function that makes it (called once, on demand)."""
        self.id = id
        self.name = name
        self.level = level
        self.origin = origin
        self.max = max
        self.score = score
        self.status = status
        self.provisional = provisional
        self._explanation = explanation

    @property
    def explanation(self) -> Explanation:
        explanation = self._explanation
        if not isinstance(explanation, Explanation):
            explanation = self._explanation = explanation()
        return explanation

    @explanation.setter
    def explanation(self, value: Explanation) -> None:
        self._explanation = value

    @property
    def index(self) -> Number | None:
        """score / max × 100, exact; None when the node has no maximum at this stage."""
        if self.score is None or self.max == 0:
            return None
        return mul(div(self.score, self.max), HUNDRED)

    def explain(self) -> Explanation:
        return self.explanation

    def _fields(self) -> tuple[object, ...]:
        return (
            self.id,
            self.name,
            self.level,
            self.origin,
            self.max,
            self.score,
            self.status,
            self.provisional,
            self.explanation,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, NodeResult)
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value (as a dataclass)

    def __repr__(self) -> str:
        names = ("id", "name", "level", "origin", "max", "score", "status", "provisional")
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"NodeResult({shown}, explanation={self.explanation!r})"


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
