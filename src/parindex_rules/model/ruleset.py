"""The ruleset document: what a ruleset author writes (docs/ruleset-format.md).

These models only describe shapes and types; rules that need the whole document (ids, sums,
counts, bands, names) are checked by :mod:`parindex_rules.compile`. A leaf's ``scoring`` block
is kept raw here and validated by its scoring method's own config model, because methods are
plugins and can come from other packages.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any, Generic, Literal, TypeVar

from pydantic import Field, model_validator

from parindex_rules.model.common import (
    Dec,
    IsoDate,
    Name,
    NodeId,
    RulesetId,
    Strict,
    normalise_name,
)
from parindex_rules.numbers import RoundingMode

T = TypeVar("T")


class Level(str, Enum):
    """Unit level (cấp): sở, huyện, xã."""

    SO = "so"
    HUYEN = "huyen"
    XA = "xa"


class Origin(str, Enum):
    """Where an item's points come from (shared/interfaces.md)."""

    ASSESSED = "assessed"
    SURVEY = "survey"
    APPRAISAL_ONLY = "appraisal_only"
    BONUS = "bonus"
    PENALTY = "penalty"

    @property
    def self_assessable(self) -> bool:
        """Units self-score assessed, bonus and penalty items; never survey or council items."""
        return self in (Origin.ASSESSED, Origin.BONUS, Origin.PENALTY)

    @property
    def adjustment(self) -> bool:
        """Bonus and penalty points sit outside their parent's maximum."""
        return self in (Origin.BONUS, Origin.PENALTY)


class Source(Strict):
    """Where a piece of content is stated: document, part, row or line, and the quoted words."""

    document: str = Field(description="Key of `documents`, e.g. qd1877.")
    part: str | None = Field(None, description="Part of the document, e.g. 'III.1.a'.")
    row: str | None = Field(None, description="Row of an annex table, e.g. '1.1.4'.")
    line: int | None = Field(None, description="Line in the source text.")
    quote: str | None = Field(None, description="The source's own words, verbatim.")

    @model_validator(mode="after")
    def _something_pointed(self) -> Source:
        if not (self.part or self.row or self.line or self.quote):
            raise ValueError("a source needs at least one of part, row, line or quote")
        return self


class Provenanced(Strict):
    """Either ``source`` or ``provisional`` (checked by the compiler, which knows the path)."""

    source: Source | None = None
    provisional: str | None = Field(
        None, description="Why this content is not stated by a source (placeholder, reading, ...)."
    )


class Sourced(Provenanced, Generic[T]):
    """A policy or option that may carry its provenance.

    Written either plainly, ``evidence: required``, or with its source,
    ``evidence: {value: required, source: {...}}``.
    """

    value: T

    @model_validator(mode="before")
    @classmethod
    def _wrap_plain(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return value
        return {"value": value}


class DocumentRef(Strict):
    """A source document the ruleset quotes (keyed in `documents`)."""

    title: str
    number: str | None = None
    date: IsoDate | None = None
    issuer: str | None = None
    link: str | None = None
    note: str | None = None


class Decision(Strict):
    """The issuing decision (quyết định)."""

    number: str
    date: IsoDate | None = None
    issuer: str | None = None
    title: str | None = None
    replaces: list[str] = Field(default_factory=list)
    amends: list[str] = Field(default_factory=list)
    note: str | None = None


class Rounding(Provenanced):
    places: int = Field(2, ge=0, le=10)
    mode: RoundingMode = RoundingMode.HALF_UP


class Declared(Provenanced):
    """Counts and point split as the decision states them; the compiler checks them."""

    fields: int | None = Field(None, ge=0)
    criteria: int | None = Field(None, ge=0)
    subcriteria: int | None = Field(None, ge=0)
    points_by_origin: dict[Origin, Dec] | None = None


class FieldCounts(Provenanced):
    criteria: int | None = Field(None, ge=0)
    subcriteria: int | None = Field(None, ge=0)


EvidencePolicy = Literal["required", "explanation", "none"]
MissingPolicy = Literal["error", "zero"]


class Policies(Strict):
    """How the decision treats the cases that differ between provinces."""

    not_applicable: Sourced[Literal["fixed", "applicable_maximum"]] = Field(
        default_factory=lambda: Sourced[Literal["fixed", "applicable_maximum"]](value="fixed"),
        description="fixed: the denominator stays the declared maximum; applicable_maximum: "
        "items not applicable come off the unit's maximum.",
    )
    missing: Sourced[MissingPolicy] = Field(
        default_factory=lambda: Sourced[MissingPolicy](value="error"),
        description="A value needed to score an item is missing: error, or score 0.",
    )
    evidence: Sourced[EvidencePolicy] = Field(
        default_factory=lambda: Sourced[EvidencePolicy](value="none"),
        description="required: no evidence scores 0; explanation: no evidence needs a written "
        "explanation, else the item is flagged; none.",
    )
    unappraised: Sourced[Literal["self", "missing"]] = Field(
        default_factory=lambda: Sourced[Literal["self", "missing"]](value="self"),
        description="An assessed item with no appraisal round: the self score stands, or the "
        "item is missing.",
    )
    survey_fallback: Sourced[Literal["none", "previous_year"]] = Field(
        default_factory=lambda: Sourced[Literal["none", "previous_year"]](value="none"),
        description="previous_year: a survey value missing for the year assessed is taken from "
        "the year before, and the explanation says so.",
    )
    clamp_total: Sourced[bool] = Field(
        default_factory=lambda: Sourced[bool](value=True),
        description="Keep a node's score within [0, maximum] after bonus and penalty points.",
    )


class Bounds(Strict):
    """An interval written as the decision words it: từ (from) / trên (above), đến (to) / dưới
    (below); `equals` for a single value."""

    from_: Dec | None = Field(None, alias="from", description="từ: lower bound, included.")
    above: Dec | None = Field(None, description="trên: lower bound, excluded.")
    to: Dec | None = Field(None, description="đến: upper bound, included.")
    below: Dec | None = Field(None, description="dưới: upper bound, excluded.")
    equals: Dec | None = Field(None, description="exactly this value.")


class ClassBand(Bounds, Provenanced):
    """A classification band on the index (e.g. ≥ 90 % group A; Tốt / Khá / ...)."""

    label: str


class TieBreaker(Strict):
    node: NodeId = Field(description="Node whose index breaks ties, higher first.")
    source: Source | None = None
    provisional: str | None = None


class NotRanked(Provenanced):
    """A unit the decision evaluates but does not rank: matched by unit id (exactly) or by name
    (compared after :func:`~parindex_rules.model.common.normalise_name`)."""

    unit: str | None = None
    name: str | None = None
    reason: str

    def matches(self, unit: str, name: str | None) -> bool:
        """Whether this entry names the unit with id `unit` and name `name`."""
        if self.unit is not None and self.unit == unit:
            return True
        return (
            self.name is not None
            and name is not None
            and normalise_name(self.name) == normalise_name(name)
        )


class Ranking(Provenanced):
    ties: Literal["rounded", "exact"] = Field(
        "rounded",
        description="rounded: units tie when their index rounded to the declared places is "
        "equal (as published tables show); exact: on the unrounded index.",
    )
    within: Literal["group", "all"] = Field(
        "group", description="Rank within each unit's `group` (default), or all units together."
    )
    tie_breakers: list[TieBreaker] = Field(default_factory=list)
    not_ranked: list[NotRanked] = Field(default_factory=list)
    exclusion: Sourced[bool] = Field(
        default_factory=lambda: Sourced[bool](value=False),
        description="Whether a unit may be excluded (neither evaluated nor ranked, result "
        "withheld), e.g. for dishonest evidence.",
    )


class Deadline(Provenanced):
    id: str = Field(description="e.g. submission, appraisal, result.")
    what: str
    applies_to: str | None = None
    date: IsoDate | None = None
    day: str | None = Field(
        None, pattern=r"^\d{1,2}/\d{1,2}$", description="A yearly day, '30/11'."
    )
    year: Literal["evaluation", "next"] = "evaluation"
    inclusive: Sourced[bool] = Field(
        default_factory=lambda: Sourced[bool](value=True),
        description="Whether the deadline day itself is still allowed: `inclusive: true`, or "
        "with its own provenance when the words leave it open ('trước ngày 30/11'): "
        "`{value: false, provisional: ...}`.",
    )
    locks: bool = Field(False, description="Whether the scoring software locks after it.")


class AppraisalBody(Provenanced):
    body: str
    convened_by: str | None = None
    applies_to: str | None = None
    note: str | None = None


class Period(Provenanced):
    start: IsoDate
    end: IsoDate
    estimated_to: IsoDate | None = None


class Workflow(Strict):
    deadlines: list[Deadline] = Field(default_factory=list)
    appraisal: list[AppraisalBody] = Field(default_factory=list)
    data_period: Period | None = None
    reports_to: Sourced[str] | None = None


class InputSpec(Strict):
    """A raw figure a unit reports for an item (e.g. so_dung_han)."""

    label: str
    kind: Literal["number", "count", "percent", "ratio"] = Field(
        "number",
        description="count: whole number ≥ 0; percent: 0–100; ratio: 0–1; number: any.",
    )
    min: Dec | None = None
    max: Dec | None = None
    unit: str | None = None


class Parameter(Provenanced):
    value: Dec
    label: str | None = None


class Derived(Provenanced):
    """A named intermediate value used by several leaves; a node of the graph."""

    formula: str
    label: str | None = None


class NodeBase(Provenanced):
    """What every node of the hierarchy has; leaf keys apply only to nodes without children."""

    id: NodeId
    name: str = Field(description="The decision's own wording, verbatim.")
    max: Dec = Field(description="Điểm tối đa.")
    origin: Origin | None = Field(
        None, description="Inherited by the node's descendants; default from the method."
    )
    notes: str | None = Field(None, description="Ghi chú.")
    basis: str | None = Field(None, description="How the points are determined (survey items).")
    excerpt_of: Dec | None = Field(
        None, description="This node is an excerpt: the decision gives it this maximum."
    )
    replaces: str | None = Field(None, description="Id of the node this one renames or moves.")
    # -- leaf keys
    rule: str | None = Field(None, description="The rule text, verbatim (cách chấm điểm).")
    scoring: dict[str, Any] | None = Field(
        None, description="`method:` and that method's settings."
    )
    inputs: dict[Name, InputSpec] | None = None
    evidence: Sourced[EvidencePolicy] | None = None
    evidence_documents: str | None = Field(None, description="Tài liệu kiểm chứng.")
    missing: MissingPolicy | None = None
    may_be_not_applicable: bool = True


class SubCriterion(NodeBase):
    """Tiêu chí thành phần: always a leaf."""


class Criterion(NodeBase):
    """Tiêu chí: a leaf, or the parent of sub-criteria."""

    subcriteria: list[SubCriterion] = Field(default_factory=list)


class FieldNode(NodeBase):
    """Lĩnh vực (nội dung)."""

    criteria: list[Criterion] = Field(default_factory=list)
    declared: FieldCounts | None = None


class ProvenanceNotes(Strict):
    notes: list[str] = Field(default_factory=list)
    provisional_rule: str | None = Field(
        None, description="The one rule by which provisional content was made (see README)."
    )


class Extends(Strict):
    """``extends:`` — this ruleset is another one with changes (docs/authoring.md).

    The base's content is taken as it is; this file's nodes are merged into it by id (the keys
    given replace the base's), new ids are added in the decision's order, and `remove` drops
    nodes with everything under them.
    """

    ruleset: str = Field(description="The base: an installed id, or a path relative to this file.")
    remove: list[NodeId] = Field(
        default_factory=list, description="Ids of base nodes to drop, with their descendants."
    )


class RulesetDocument(Provenanced):
    """A whole ruleset file."""

    extends: Extends | str | None = Field(
        None,
        description="Base this ruleset on another (an installed id or a relative path); "
        "expanded when loading.",
    )
    id: RulesetId = Field(description="<province>-<year>/<set>, e.g. vinhlong-2023/so.")
    title: str
    province: str
    level: Level
    year: int = Field(ge=1990, le=2100, description="Evaluation year.")
    decision: Decision
    max: Dec = Field(description="Total maximum as declared (100 in every decision we hold).")
    excerpt_of: Dec | None = None
    declared: Declared | None = None
    rounding: Rounding = Field(default_factory=Rounding)
    policies: Policies = Field(default_factory=Policies)
    ranking: Ranking = Field(default_factory=Ranking)
    classes: list[ClassBand] = Field(default_factory=list)
    workflow: Workflow = Field(default_factory=Workflow)
    documents: dict[str, DocumentRef] = Field(default_factory=dict)
    provenance: ProvenanceNotes = Field(default_factory=ProvenanceNotes)
    parameters: dict[Name, Parameter] = Field(default_factory=dict)
    derived: dict[Name, Derived] = Field(default_factory=dict)
    fields: list[FieldNode]


def decimal_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
