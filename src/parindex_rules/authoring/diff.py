"""What changed between two rulesets: items added, removed, renamed, moved, re-weighted,
re-scored (``parindex diff OLD NEW``).

A new decision usually renumbers and rewords some criteria, drops some and adds others (the
Đắk Lắk training material lists exactly that against the previous index). Nodes are paired:

1. by the same id;
2. by a declared ``replaces: OLD_ID`` on the new node (a renumbered or moved item);
3. by the same name at the same level, when exactly one old and one new node match (reported as
   matched by name, so a reader knows it was not declared).

A paired node whose id changed is *moved*; whose name changed, *renamed*; and then its
maximum, origin, method, bands or options, rule text, inputs and provenance are compared.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parindex_rules.compile.compiled import ROOT_ID, CompiledNode
from parindex_rules.intervals import Interval
from parindex_rules.loader.extends import id_sort_key
from parindex_rules.numbers import format_exact

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset

#: Kinds of change, in the order they are listed.
KINDS = (
    "ruleset", "removed", "added", "moved", "renamed", "max", "origin", "method", "bands",
    "options", "scoring", "rule", "inputs", "provenance",
)  # fmt: skip

_LEVEL_WORDS = {
    "field": "lĩnh vực",
    "criterion": "tiêu chí",
    "subcriterion": "tiêu chí thành phần",
}


@dataclass(frozen=True)
class Change:
    """One difference. `id` is the node's id in the new ruleset (the old one when removed)."""

    kind: str
    id: str | None
    name: str
    old: Any = None
    new: Any = None
    old_id: str | None = None
    level: str | None = None
    matched_by: str | None = None
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.old_id is not None and self.old_id != self.id:
            data["old_id"] = self.old_id
        data["name"] = self.name
        if self.level is not None:
            data["level"] = self.level
        if self.matched_by is not None:
            data["matched_by"] = self.matched_by
        data["old"] = self.old
        data["new"] = self.new
        return data


@dataclass
class RulesetDiff:
    old_id: str
    new_id: str
    old_provisional: bool
    new_provisional: bool
    old_title: str
    new_title: str
    changes: list[Change] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, int]:
        return {kind: n for kind in KINDS if (n := len(self.of_kind(kind)))}

    def to_json(self) -> dict[str, Any]:
        """Top-level `ruleset` and `provisional` as every JSON output has (the new ruleset's;
        provisional when either is), and both rulesets under `old` and `new`."""
        return {
            "ruleset": self.new_id,
            "provisional": self.old_provisional or self.new_provisional,
            "old": {
                "ruleset": self.old_id,
                "title": self.old_title,
                "provisional": self.old_provisional,
            },
            "new": {
                "ruleset": self.new_id,
                "title": self.new_title,
                "provisional": self.new_provisional,
            },
            "counts": self.counts(),
            "changes": [c.to_json() for c in self.changes],
        }

    def to_text(self) -> str:
        lines = []  # what is provisional first: the first line of every text output says it
        for which, ruleset_id, provisional in (
            ("old", self.old_id, self.old_provisional),
            ("new", self.new_id, self.new_provisional),
        ):
            if provisional:
                lines.append(
                    f"PROVISIONAL — the {which} ruleset {ruleset_id} rests on content no source "
                    "states"
                )
        lines.append(f"diff {self.old_id} → {self.new_id}")
        if not self.changes:
            lines.append("no changes")
            return "\n".join(lines) + "\n"
        width = max(len(c.kind) for c in self.changes)
        id_width = max(len(c.id or "") for c in self.changes)
        for change in self.changes:
            text = one_line(change.text)
            lines.append(f"{change.kind:<{width}}  {change.id or '':<{id_width}}  {text}")
        summary = ", ".join(f"{n} {kind}" for kind, n in self.counts().items())
        lines.append(f"{len(self.changes)} changes: {summary}")
        return "\n".join(lines) + "\n"


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _pairs(
    old: dict[str, CompiledNode], new: dict[str, CompiledNode]
) -> tuple[list[tuple[CompiledNode, CompiledNode, str | None]], list[str], list[str]]:
    """Paired (old, new, matched_by), the old ids removed and the new ids added."""
    pairs: list[tuple[CompiledNode, CompiledNode, str | None]] = []
    old_left = [i for i in old if i != ROOT_ID and i not in new]
    new_left = [i for i in new if i != ROOT_ID and i not in old]
    for node_id in new:
        if node_id != ROOT_ID and node_id in old:
            pairs.append((old[node_id], new[node_id], None))
    for node_id in list(new_left):
        replaced = new[node_id].replaces
        if replaced is not None and replaced in old_left:
            pairs.append((old[replaced], new[node_id], "replaces"))
            old_left.remove(replaced)
            new_left.remove(node_id)
    by_name_old: dict[tuple[str, str], list[str]] = {}
    for node_id in old_left:
        by_name_old.setdefault((old[node_id].level, _fold(old[node_id].name)), []).append(node_id)
    by_name_new: dict[tuple[str, str], list[str]] = {}
    for node_id in new_left:
        by_name_new.setdefault((new[node_id].level, _fold(new[node_id].name)), []).append(node_id)
    for key, new_ids in by_name_new.items():
        old_ids = by_name_old.get(key, [])
        if len(new_ids) == 1 and len(old_ids) == 1:
            pairs.append((old[old_ids[0]], new[new_ids[0]], "name"))
            old_left.remove(old_ids[0])
            new_left.remove(new_ids[0])
    return pairs, old_left, new_left


def diff_rulesets(old: Ruleset, new: Ruleset) -> RulesetDiff:
    """Every difference between two compiled rulesets, in a fixed, readable order."""
    result = RulesetDiff(
        old_id=old.id,
        new_id=new.id,
        old_provisional=old.provisional,
        new_provisional=new.provisional,
        old_title=old.title,
        new_title=new.title,
    )
    changes = _ruleset_changes(old, new)
    pairs, removed, added = _pairs(old.nodes, new.nodes)
    for node_id in removed:
        node = old.nodes[node_id]
        changes.append(
            Change(
                "removed",
                node_id,
                node.name,
                old=_summary(node),
                level=node.level,
                text=f"{node.name} ({_LEVEL_WORDS[node.level]}, max {format_exact(node.max)})",
            )
        )
    for node_id in added:
        node = new.nodes[node_id]
        changes.append(
            Change(
                "added",
                node_id,
                node.name,
                new=_summary(node),
                level=node.level,
                text=f"{node.name} ({_LEVEL_WORDS[node.level]}, max {format_exact(node.max)})",
            )
        )
    for before, after, matched_by in pairs:
        changes.extend(_node_changes(before, after, matched_by))
    rank = {kind: i for i, kind in enumerate(KINDS)}
    changes.sort(key=lambda c: (rank[c.kind], id_sort_key(c.id) if c.id else ()))
    result.changes = changes
    return result


def _summary(node: CompiledNode) -> dict[str, Any]:
    return {
        "name": node.name,
        "max": format_exact(node.max),
        "origin": node.origin_label,
        "method": node.method.name if node.method is not None else None,
        "rule": node.rule,
    }


def _ruleset_changes(old: Ruleset, new: Ruleset) -> list[Change]:
    a, b = old.document, new.document
    values = {
        "id": (a.id, b.id),
        "title": (a.title, b.title),
        "province": (a.province, b.province),
        "level": (a.level.value, b.level.value),
        "year": (a.year, b.year),
        "decision": (a.decision.number, b.decision.number),
        "max": (format_exact(a.max), format_exact(b.max)),
        "rounding": (
            f"{a.rounding.places} {a.rounding.mode.value}",
            f"{b.rounding.places} {b.rounding.mode.value}",
        ),
    }
    for name in type(a.policies).model_fields:
        values[f"policies.{name}"] = (
            str(getattr(a.policies, name).value),
            str(getattr(b.policies, name).value),
        )
    values["ranking.ties"] = (a.ranking.ties, b.ranking.ties)
    values["ranking.within"] = (a.ranking.within, b.ranking.within)
    return [
        Change("ruleset", None, key, old=x, new=y, text=f"{key}: {x} → {y}")
        for key, (x, y) in values.items()
        if x != y
    ]


def _node_changes(old: CompiledNode, new: CompiledNode, matched_by: str | None) -> list[Change]:
    out: list[Change] = []

    def add(kind: str, before: Any, after: Any, text: str) -> None:
        out.append(
            Change(
                kind,
                new.id,
                new.name,
                old=before,
                new=after,
                old_id=old.id,
                level=new.level,
                matched_by=matched_by,
                text=text,
            )
        )

    if old.id != new.id:
        how = "declared by `replaces`" if matched_by == "replaces" else "matched by its name"
        add(
            "moved",
            old.id,
            new.id,
            f"{old.id} → {new.id} ({how}; under {old.parent} → {new.parent})",
        )
    if old.name != new.name:
        add("renamed", old.name, new.name, f"{old.name} → {new.name}")
    if old.max != new.max:
        add(
            "max",
            format_exact(old.max),
            format_exact(new.max),
            f"{format_exact(old.max)} → {format_exact(new.max)}",
        )
    if old.origin_label != new.origin_label:
        add(
            "origin", old.origin_label, new.origin_label, f"{old.origin_label} → {new.origin_label}"
        )
    _scoring_changes(old, new, add)
    if (old.rule or "") != (new.rule or ""):
        add("rule", old.rule, new.rule, f"{old.rule or '(none)'} → {new.rule or '(none)'}")
    old_inputs = {k: v.model_dump(mode="json", exclude_none=True) for k, v in old.inputs.items()}
    new_inputs = {k: v.model_dump(mode="json", exclude_none=True) for k, v in new.inputs.items()}
    if old_inputs != new_inputs:
        add(
            "inputs",
            old_inputs,
            new_inputs,
            f"{', '.join(old_inputs) or '(none)'} → {', '.join(new_inputs) or '(none)'}",
        )
    was, now = old.provenance.is_provisional, new.provenance.is_provisional
    if was != now:
        add(
            "provenance",
            "provisional" if was else "sourced",
            "provisional" if now else "sourced",
            "now provisional: " + str(new.provenance.provisional)
            if now
            else "now sourced: " + new.provenance.text(),
        )
    return out


def _scoring_changes(old: CompiledNode, new: CompiledNode, add: Any) -> None:
    if old.method is None or new.method is None:
        if (old.method is None) != (new.method is None):
            before = old.method.name if old.method else "(parent)"
            after = new.method.name if new.method else "(parent)"
            add("method", before, after, f"{before} → {after}")
        return
    if old.method.name != new.method.name:
        add(
            "method",
            old.method.name,
            new.method.name,
            f"{old.method.name} → {new.method.name}: {new.method.describe()}",
        )
        return
    a = old.method.config.model_dump(mode="json", by_alias=True, exclude_none=True)
    b = new.method.config.model_dump(mode="json", by_alias=True, exclude_none=True)
    if a == b:
        return
    if "bands" in a and "bands" in b and _without(a, "bands") == _without(b, "bands"):
        add("bands", _bands(old), _bands(new), f"{_bands_text(old)} → {_bands_text(new)}")
    elif "options" in a and "options" in b and _without(a, "options") == _without(b, "options"):
        add("options", a["options"], b["options"], _options_text(a["options"], b["options"]))
    else:
        add("scoring", a, b, f"{old.method.describe()} → {new.method.describe()}")


def _without(settings: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in settings.items() if k != key}


def _bands(node: CompiledNode) -> list[dict[str, Any]]:
    assert node.method is not None
    settings = node.method.config.model_dump(mode="json", by_alias=True, exclude_none=True)
    bands: list[dict[str, Any]] = settings["bands"]
    return bands


def _bands_text(node: CompiledNode) -> str:
    method: Any = node.method
    unit = getattr(method, "unit", "")
    parts = []
    for band in method.config.bands:
        words = Interval.from_bounds(band).words(unit)
        parts.append(f"{words}: {format_exact(band.points)}")
    return " · ".join(parts)


def _options_text(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> str:
    """Outcomes paired by their words (then by key): added, removed, re-scored, reworded, and
    keys renamed (facts that name an outcome by its old key no longer find it)."""
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    left = list(old)
    added = []
    for option in new:
        match = next((o for o in left if _fold(o["label"]) == _fold(option["label"])), None)
        if match is None and option.get("key"):
            match = next((o for o in left if o.get("key") == option["key"]), None)
        if match is None:
            added.append(option)
            continue
        left.remove(match)
        pairs.append((match, option))
    parts = [f"+ {o['label']}: {o['points']}" for o in added]
    for before, after in pairs:
        if before["label"] != after["label"] or before["points"] != after["points"]:
            parts.append(
                f"~ {before['label']}: {before['points']} → {after['label']}: {after['points']}"
            )
        if before.get("key") != after.get("key"):
            parts.append(f"key {before.get('key')} → {after.get('key')} ({after['label']})")
    parts += [f"− {o['label']}: {o['points']}" for o in left]
    return " · ".join(parts)


def one_line(text: str) -> str:
    """Rule text of several lines, shown on one: lines joined by " / "."""
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())
