"""Explanation records: why a node has its score, produced by the evaluation itself.

Each record names the method, the rule text, every input with its value and where it came
from, the band or outcome matched, caps applied, why something scored 0, and the rule's place
in the ruleset file. Records nest like the hierarchy and render as text or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parindex_rules.numbers import Number, RoundingMode, format_exact, format_rounded


@dataclass(frozen=True)
class InputRecord:
    """One value a rule read: its name, exact value and where it came from."""

    name: str
    value: str
    source: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "value": self.value, "source": self.source}


@dataclass
class Explanation:
    """Why one node of one unit has its score, at one stage."""

    node: str
    name: str
    level: str
    stage: str
    origin: str
    status: str
    score: Number | None
    max: Number
    places: int
    rounding: RoundingMode
    location: str
    provenance: str
    provisional: bool
    method: str | None = None
    rule: str | None = None
    formula: str | None = None
    inputs: list[InputRecord] = field(default_factory=list)
    matched: str | None = None
    steps: list[str] = field(default_factory=list)
    caps: list[str] = field(default_factory=list)
    zero_reason: str | None = None
    notes: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    children: list[Explanation] = field(default_factory=list)

    @property
    def index(self) -> Number | None:
        from parindex_rules.numbers import HUNDRED, div, mul

        if self.score is None or self.max == 0:
            return None
        return mul(div(self.score, self.max), HUNDRED)

    # -- rendering
    def score_text(self) -> str:
        if self.score is None:
            return "—"
        return format_rounded(self.score, self.places, self.rounding)

    def index_text(self) -> str:
        index = self.index
        return "—" if index is None else format_rounded(index, self.places, self.rounding)

    def headline(self) -> str:
        label = "Tổng" if self.level == "total" else self.node
        text = f"{label} {self.name} — {self.score_text()} / {format_exact(self.max)}"
        if self.index is not None:
            text += f" ({self.index_text()}%)"
        tags = []
        if self.method:
            tags.append(self.method)
        if self.origin not in ("assessed", "mixed", self.method):
            tags.append(self.origin)
        if self.status != "scored":
            tags.append(self.status.replace("_", " "))
        if self.provisional:
            tags.append("PROVISIONAL")
        if tags:
            text += "  [" + ", ".join(tags) + "]"
        return text

    def to_text(self, *, depth: int | None = None, indent: str = "") -> str:
        """A readable tree; `depth` limits how many levels below this one are shown."""
        lines = [indent + self.headline()]
        pad = indent + "    "
        if self.rule:
            lines.append(f"{pad}rule: {_one_line(self.rule)}")
        if self.formula:
            lines.append(f"{pad}formula: {self.formula}")
        for record in self.inputs:
            lines.append(f"{pad}input {record.name} = {record.value}  ← {record.source}")
        if self.matched:
            lines.append(f"{pad}matched: {self.matched}")
        for step in self.steps:
            lines.append(f"{pad}{step}")
        for cap in self.caps:
            lines.append(f"{pad}cap: {cap}")
        if self.zero_reason and (self.score is None or self.score == 0):
            lines.append(f"{pad}why 0: {self.zero_reason}")
        for note in self.notes:
            lines.append(f"{pad}note: {note}")
        for ref in self.evidence:
            lines.append(f"{pad}evidence: {ref}")
        lines.append(f"{pad}defined at {self.location} · {self.provenance}")
        if depth is None or depth > 0:
            for child in self.children:
                lines.append(child.to_text(depth=None if depth is None else depth - 1, indent=pad))
        return "\n".join(lines)

    def to_json(self, *, depth: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "node": self.node,
            "name": self.name,
            "level": self.level,
            "stage": self.stage,
            "origin": self.origin,
            "status": self.status,
            "score": None if self.score is None else self.score_text(),
            "score_exact": None if self.score is None else format_exact(self.score),
            "max": format_exact(self.max),
            "index": None if self.index is None else self.index_text(),
            "method": self.method,
            "rule": self.rule,
            "formula": self.formula,
            "inputs": [r.to_json() for r in self.inputs],
            "matched": self.matched,
            "steps": self.steps,
            "caps": self.caps,
            "zero_reason": self.zero_reason,
            "notes": self.notes,
            "evidence": self.evidence,
            "location": self.location,
            "provenance": self.provenance,
            "provisional": self.provisional,
        }
        if depth is None or depth > 0:
            data["children"] = [
                c.to_json(depth=None if depth is None else depth - 1) for c in self.children
            ]
        return data

    def find(self, node: str) -> Explanation | None:
        if self.node == node:
            return self
        for child in self.children:
            found = child.find(node)
            if found is not None:
                return found
        return None


def _one_line(text: str) -> str:
    return " ".join(text.split())
