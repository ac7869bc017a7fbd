"""When two units tie, and what may break the tie: explicit, composable objects.

A tie policy turns an index into the value ranking compares (:class:`RoundedTies`: the index
rounded to the declared places, as published tables show it; :class:`ExactTies`: the exact
index). A tie-breaker gives a further value to compare among tied units, higher first
(:class:`NodeIndexTieBreaker`: the index of a field or criterion). Both compare exact
decimals and fractions, never floats.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from parindex_rules.numbers import Number, RoundingMode, format_rounded, round_to


class TiePolicy(ABC):
    """What value of the index ranking compares."""

    #: Places used to show values (and, for rounded ties, to compare them).
    places: int
    mode: RoundingMode

    @abstractmethod
    def key(self, value: Number) -> Number:
        """The value compared: units tie when their keys are equal."""

    @abstractmethod
    def describe(self) -> str:
        """One line for explanations."""

    def show(self, value: Number) -> str:
        return format_rounded(value, self.places, self.mode)


@dataclass(frozen=True)
class RoundedTies(TiePolicy):
    """Units tie when their index, rounded to the declared places, is equal (the default)."""

    places: int = 2
    mode: RoundingMode = RoundingMode.HALF_UP

    def key(self, value: Number) -> Number:
        return round_to(value, self.places, self.mode)

    def describe(self) -> str:
        return f"ties judged on the index rounded to {self.places} places ({self.mode.value})"


@dataclass(frozen=True)
class ExactTies(TiePolicy):
    """Units tie only when their exact (unrounded) indices are equal."""

    places: int = 2
    mode: RoundingMode = RoundingMode.HALF_UP

    def key(self, value: Number) -> Number:
        return value

    def describe(self) -> str:
        return "ties judged on the exact, unrounded index"


class TieBreaker(ABC):
    """A further value to compare among tied units, higher first."""

    @property
    @abstractmethod
    def name(self) -> str:
        """What it compares, for explanations: "the index of 8 (Tác động ...)"."""

    @abstractmethod
    def value(self, nodes: Mapping[str, Number | None]) -> Number | None:
        """The unit's value (None when it has none: it then comes after those that do)."""


@dataclass(frozen=True)
class NodeIndexTieBreaker(TieBreaker):
    """The index of one node (a field or criterion), compared as the tie policy compares."""

    node: str
    label: str | None = None
    policy: TiePolicy = RoundedTies()

    @property
    def name(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"the index of {self.node}{label}"

    def value(self, nodes: Mapping[str, Number | None]) -> Number | None:
        raw = nodes.get(self.node)
        return None if raw is None else self.policy.key(raw)
