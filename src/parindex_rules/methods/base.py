"""What a scoring method is: the contract built-in and third-party methods share.

A method is a class registered under a name in the ``parindex_rules.methods`` entry-point group.
It has a pydantic ``Config`` model (the settings written under a leaf's ``scoring:``), checks
its settings once at compile time (:meth:`ScoringMethod.prepare`), reads a unit's raw fact
(:meth:`ScoringMethod.read`) and scores it (:meth:`ScoringMethod.evaluate`), returning an
:class:`Outcome` that is the method's part of the explanation record.

The core never names a method: what it needs to know (which origins a method allows, whether
its facts come from the survey or from the assessment) is declared here as class attributes.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import ConfigDict

from parindex_rules.diagnostics import Path
from parindex_rules.expr.nodes import Env, Formula, Type
from parindex_rules.model.common import Strict, provisional_parts
from parindex_rules.model.ruleset import InputSpec, Origin
from parindex_rules.numbers import Number, RoundingMode
from parindex_rules.plugins import API_VERSION, one_line, registry

if TYPE_CHECKING:
    from parindex_rules.batch.contract import BatchContext, BatchOutcome


class MethodConfig(Strict):
    """Base of every method's settings. ``method`` names the method."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    method: str


class FactProblem(Exception):
    """A unit's fact does not fit the item (wrong type, off the allowed values, ...)."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class LeafInfo:
    """What a method may know of its leaf."""

    id: str
    name: str
    max: Decimal
    origin: Origin
    rule: str | None
    inputs: Mapping[str, InputSpec]


class CompileContext(ABC):
    """Given to :meth:`ScoringMethod.prepare`: parse formulas and report located problems.

    Paths are relative to the leaf's ``scoring`` block, e.g. ``("bands", 2, "below")``.
    """

    leaf: LeafInfo
    rounding: RoundingMode

    @abstractmethod
    def formula(self, text: str, path: Path, *, expect: Type = Type.NUMBER) -> Formula | None:
        """Parse `text`; problems are reported at `path`; None when it does not compile."""

    @abstractmethod
    def error(self, code: str, message: str, path: Path = (), hint: str | None = None) -> None:
        """Report a problem at `path`."""

    @abstractmethod
    def warning(self, code: str, message: str, path: Path = (), hint: str | None = None) -> None:
        """Report a warning at `path`."""

    @abstractmethod
    def has_name(self, name: str) -> bool:
        """Whether a formula may read `name` (an input, derived value or parameter)."""


class EvalContext(ABC):
    """Given to :meth:`ScoringMethod.evaluate` for one unit, one stage, one leaf."""

    leaf: LeafInfo
    stage: str
    year: int
    #: The fact read by :meth:`ScoringMethod.read` (None for methods scored from inputs).
    value: Any
    #: Where `value` came from, e.g. "appraisal round 2 (facts.yaml:40:15)".
    value_source: str
    #: For survey methods: the policy for a missing year ("none" or "previous_year").
    survey_fallback: str

    @abstractmethod
    def env(self) -> Env:
        """The environment formulas evaluate in (inputs, derived values, parameters, max)."""

    @abstractmethod
    def lookup(self, name: str) -> Number:
        """The value of an input, derived value or parameter; raises MissingValue."""


@dataclass
class Outcome:
    """A method's result for one leaf: the score and the method's part of the explanation."""

    score: Number
    matched: str | None = None
    steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    zero_reason: str | None = None
    caps: list[str] = field(default_factory=list)
    #: The method found the item not applicable (e.g. a zero denominator read as "không phát sinh").
    not_applicable: str | None = None
    #: Extra inputs the method read besides formula names: (name, value, where from).
    inputs: list[tuple[str, str, str]] = field(default_factory=list)


def outcome_problem(outcome: Any) -> str | None:
    """What breaks the contract in a value :meth:`ScoringMethod.evaluate` returned, or None.

    Scores must be exact (Decimal or Fraction): a float would bring its noise into every sum
    and ranking. The engine reports a problem as PR707 naming the method.
    """
    if not isinstance(outcome, Outcome):
        return f"evaluate() returned {type(outcome).__name__}, not an Outcome"
    if _well_formed(outcome):
        return None
    score = outcome.score
    if isinstance(score, bool) or not isinstance(score, (Decimal, Fraction)):
        return (
            f"the score is a {type(score).__name__} ({score!r}); scores must be exact "
            "(Decimal or Fraction)"
        )
    if isinstance(score, Decimal) and not score.is_finite():
        return f"the score is {score}"
    for name in ("steps", "notes", "caps"):
        value = getattr(outcome, name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"Outcome.{name} must be a list of texts"
    for name in ("matched", "zero_reason", "not_applicable"):
        if not isinstance(getattr(outcome, name), str | None):
            return f"Outcome.{name} must be a text or None"
    if not isinstance(outcome.inputs, list) or not all(
        isinstance(i, tuple) and len(i) == 3 and all(isinstance(p, str) for p in i)
        for i in outcome.inputs
    ):
        return "Outcome.inputs must be a list of (name, value, where from) texts"
    return None


def _well_formed(outcome: Outcome) -> bool:
    """The common case, checked in one pass: an exact finite score and plain texts."""
    score = outcome.score
    kind = type(score)
    if kind is Decimal:
        if not score.is_finite():  # type: ignore[union-attr]
            return False
    elif kind is not Fraction:
        return False
    for texts in (outcome.steps, outcome.notes, outcome.caps):
        if type(texts) is not list:
            return False
        for text in texts:
            if type(text) is not str:
                return False
    for optional in (outcome.matched, outcome.zero_reason, outcome.not_applicable):
        if optional is not None and type(optional) is not str:
            return False
    inputs = outcome.inputs
    if type(inputs) is not list:
        return False
    for entry in inputs:
        if type(entry) is not tuple or len(entry) != 3:
            return False
        for part in entry:
            if type(part) is not str:
                return False
    return True


class ScoringMethod(ABC):
    """Base class of scoring methods. Subclass it, set ``Config``, implement :meth:`evaluate`."""

    #: The plugin API version this method targets.
    api_version: ClassVar[int] = API_VERSION
    #: The settings model; its fields are the keys allowed under ``scoring:``.
    Config: ClassVar[type[MethodConfig]] = MethodConfig
    #: Origins a leaf using this method may have; the first default is ``default_origin``.
    allowed_origins: ClassVar[frozenset[Origin]] = frozenset(
        {Origin.ASSESSED, Origin.BONUS, Origin.PENALTY, Origin.SURVEY, Origin.APPRAISAL_ONLY}
    )
    default_origin: ClassVar[Origin] = Origin.ASSESSED
    #: Which facts the method reads: a score or outcome given for the item ("assessment": the
    #: self score, then appraisal rounds), the item's declared inputs ("inputs": {name: value}
    #: per round, read through :meth:`EvalContext.lookup`), or survey values by year ("survey").
    reads: ClassVar[Literal["assessment", "inputs", "survey"]] = "assessment"
    #: One-line description for `parindex list` and the docs.
    summary: ClassVar[str] = ""

    def __init__(self, config: MethodConfig, leaf: LeafInfo) -> None:
        self.config = config
        self.leaf = leaf

    @property
    def name(self) -> str:
        return self.config.method

    def prepare(self, ctx: CompileContext) -> None:  # noqa: B027 - optional hook
        """Check settings against the leaf and parse formulas, once, at compile time."""

    def names(self) -> set[str]:
        """Inputs, derived values and parameters the method reads (the graph's edges)."""
        return set()

    def best(self) -> Number | None:
        """The most points the rule can give, when known (checked against the maximum)."""
        return None

    def read(self, raw: Any) -> Any:
        """Turn a raw fact into the method's value; raise :class:`FactProblem` if it misfits."""
        return raw

    @abstractmethod
    def evaluate(self, ctx: EvalContext) -> Outcome:
        """Score one unit's leaf."""

    def evaluate_batch(self, batch: BatchContext) -> BatchOutcome | None:
        """Optionally score this leaf for many units at once (docs/scale.md).

        Columns in (``batch.values``, ``batch.lookup(name)``, ``batch.formula(f)``), exact
        values out: a :class:`~parindex_rules.batch.contract.BatchOutcome` of exact rationals,
        never floats. Return None (the default) to have the engine call :meth:`read` and
        :meth:`evaluate` unit by unit, for this item alone. Needs the ``batch`` extra (numpy).
        """
        return None

    def describe(self) -> str:
        """A short text of the rule as configured (for docs and explanations)."""
        return self.summary

    def provisional_readings(self) -> list[tuple[Path, str]]:
        """Parts of the rule that are readings of silent text, with why: every `provisional`
        set anywhere in the settings (a band, a zero-denominator rule, a plugin's own parts).

        They make the leaf's result provisional, like a provisional node.
        """
        return provisional_parts(self.config)


def _validate_method(name: str, obj: Any) -> str | None:
    """The checks a scoring method must pass before any ruleset can name it."""
    if not (isinstance(obj, type) and issubclass(obj, ScoringMethod)):
        return f"{obj!r} is not a ScoringMethod subclass"
    if inspect.isabstract(obj):
        missing = ", ".join(sorted(getattr(obj, "__abstractmethods__", ())))
        return f"{obj.__name__} does not implement {missing}"
    config = getattr(obj, "Config", None)
    if not (isinstance(config, type) and issubclass(config, MethodConfig)):
        return f"{obj.__name__}.Config is not a MethodConfig subclass"
    if config.model_config.get("extra") != "forbid":
        return (
            f"{obj.__name__}.Config must forbid unknown keys (extra='forbid'), or a misspelt "
            "setting would be ignored silently"
        )
    try:
        config.model_json_schema(by_alias=True)
    except Exception as exc:  # e.g. a field type pydantic cannot describe
        return f"{obj.__name__}.Config has no JSON Schema ({one_line(exc, 200)})"
    if obj.reads not in ("assessment", "inputs", "survey"):
        return f"{obj.__name__}.reads must be 'assessment', 'inputs' or 'survey'"
    origins = obj.allowed_origins
    if not origins or not all(isinstance(o, Origin) for o in origins):
        return f"{obj.__name__}.allowed_origins must be a non-empty set of Origin values"
    if obj.default_origin not in origins:
        return f"{obj.__name__}.default_origin is not one of its allowed_origins"
    return None


registry.set_validator("methods", _validate_method)


def get_method(name: str) -> type[ScoringMethod] | None:
    method: type[ScoringMethod] | None = registry.get("methods", name)
    return method


def method_names() -> list[str]:
    return registry.names("methods")
