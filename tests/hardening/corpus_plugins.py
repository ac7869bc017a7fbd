"""Broken plugins for the corpus: what the registry and the engine meet in the wild.

Each is registered only inside its corpus case (see :mod:`tests.hardening.generated`).
"""

from __future__ import annotations

from typing import Any

from parindex_rules.methods.base import CompileContext, EvalContext, Outcome, ScoringMethod


class RaisesOnPrepare(ScoringMethod):
    """A method whose compile-time check has a bug."""

    summary = "raises while checking its settings"

    def prepare(self, ctx: CompileContext) -> None:
        raise KeyError("options")

    def evaluate(self, ctx: EvalContext) -> Outcome:  # pragma: no cover - never compiled
        raise AssertionError


class RaisesOnEvaluate(ScoringMethod):
    """A method that compiles but fails on every unit."""

    summary = "raises while scoring"

    def evaluate(self, ctx: EvalContext) -> Outcome:
        return Outcome(score=1 / 0)  # type: ignore[arg-type]


class FutureApi(RaisesOnEvaluate):
    """A method written for a plugin API this core does not implement."""

    api_version = 99


class BestIsFloat(ScoringMethod):
    """A method whose best() breaks the contract: a float where an exact number belongs."""

    api_version = 1
    summary = "best() returns a float"

    def best(self) -> Any:
        return 1.0

    def evaluate(self, ctx: EvalContext) -> Outcome:  # pragma: no cover - never compiled
        raise AssertionError


class Points(ScoringMethod):
    """A third-party method registered under a built-in's name (`points`)."""

    api_version = 1
    summary = "a second `points`"

    def evaluate(self, ctx: EvalContext) -> Outcome:  # pragma: no cover - the built-in wins
        raise AssertionError


class NotAMethod:
    """Declares the API version, but is not a scoring method."""

    api_version = 1

    def __repr__(self) -> str:
        return "<NotAMethod>"


NOT_A_METHOD: Any = NotAMethod()
