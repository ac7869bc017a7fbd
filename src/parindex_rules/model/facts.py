"""The facts file: one ruleset, one year, many units (shared/interfaces.md, docs/facts-format.md).

The model checks shapes only. What a value means for its item (a choice label, a score on the
allowed steps, a count) is checked against the compiled ruleset when the unit is evaluated,
so that every problem names the unit, the item and the line.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from parindex_rules.model.common import IsoDate, NodeId, Strict


class Evidence(Strict):
    """A tài liệu kiểm chứng: at least one of number, title or link."""

    number: str | None = None
    date: IsoDate | None = None
    title: str | None = None
    link: str | None = None

    @model_validator(mode="after")
    def _identifies_something(self) -> Evidence:
        if not (self.number or self.title or self.link):
            raise ValueError("evidence needs a number, a title or a link")
        return self


class ItemFacts(Strict):
    """What a unit reports, and the council decides, for one leaf item."""

    self_: Any = Field(
        None,
        alias="self",
        description="Điểm tự đánh giá: points, an outcome label/key, true/false, a list of "
        "conditions met, or {input: value} for formula items.",
    )
    appraisal: list[Any] | None = Field(
        None,
        description="Điểm thẩm định by round, in order (lần 1, lần 2, ...); the last present "
        "round is final. Same forms as `self`.",
    )
    survey: dict[str, Any] | None = Field(
        None, description="Survey values by year: {'2023': '87.50'}."
    )
    evidence: list[Evidence] = Field(default_factory=list)
    explanation: str | None = Field(None, description="Giải trình.")
    applicable: bool = True
    reason: str | None = Field(None, description="Why the item is not applicable.")

    @field_validator("appraisal", mode="before")
    @classmethod
    def _one_round(cls, value: Any) -> Any:
        # A single appraisal value is one round.
        if value is None or isinstance(value, list):
            return value
        return [value]

    @field_validator("survey", mode="before")
    @classmethod
    def _year_keys(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value


class UnitFacts(Strict):
    """One unit (sở, UBND huyện, UBND xã) and its items."""

    unit: str = Field(min_length=1, description="Stable id, e.g. so-tai-chinh.")
    name: str = Field(min_length=1)
    group: str | None = Field(None, description="Ranking group (e.g. the district of a xã).")
    ranked: bool = True
    evaluated: bool = Field(
        True, description="false: excluded (neither evaluated nor ranked); the result is withheld."
    )
    reason: str | None = Field(None, description="Why the unit is not ranked or not evaluated.")
    type: str | None = None
    submitted: IsoDate | None = None
    items: dict[NodeId, ItemFacts] = Field(default_factory=dict)

    @field_validator("unit", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class FactsDocument(Strict):
    """A whole facts file."""

    ruleset: str
    year: int = Field(ge=1990, le=2100)
    synthetic: bool = Field(
        False, description="true when the values are made up (examples, tests)."
    )
    notes: str | None = None
    units: list[UnitFacts]
