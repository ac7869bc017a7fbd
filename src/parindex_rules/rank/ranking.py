"""Ranking units: standard competition ranking (1, 2, 2, 4) within groups, high to low.

:class:`Ranking` is an explicit object, composed of a tie policy (what value is compared), the
tie-breakers (what is compared next among tied units, higher first), the grouping and the
classification bands. Ranking never depends on the order of sorting or on float noise: a
unit's rank is one more than the number of units of its group strictly ahead of it, comparing
exact decimals and fractions. Every tie is recorded (:class:`TieRecord`); a tie-breaker that
decides a tie says so, and ties that the declared tie-breakers leave standing are a warning.

Units that are not ranked (the ruleset or the facts say so, the result is withheld, or the unit
has no index) keep their reason and come after the ranked ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic
from parindex_rules.numbers import ZERO, Number, compare
from parindex_rules.rank.classes import Classifier
from parindex_rules.rank.statistics import GroupStatistics, group_statistics
from parindex_rules.rank.ties import RoundedTies, TieBreaker, TiePolicy

register_codes(
    Code(
        "PR607",
        "ties-remain",
        Severity.WARNING,
        "Units remain tied after every tie-breaker the ruleset declares; they share a rank.",
    ),
    Code(
        "PR608",
        "no-index-not-ranked",
        Severity.WARNING,
        "A unit to be ranked has no index (its score is incomplete); it is listed as not ranked.",
    ),
    Code(
        "PR609",
        "group-missing",
        Severity.WARNING,
        "The ruleset ranks within groups but a unit names no group; it is ranked with the other "
        "units without one.",
    ),
)

#: The group key of units ranked all together (``within: all``, or units with no group).
ALL = "all"

Where = tuple[str, int, int]


@dataclass(frozen=True)
class RankEntry:
    """What ranking needs of one unit; built from a unit result or a row of published scores."""

    unit: str
    name: str
    group: str | None
    index: Number | None
    ranked: bool = True
    reason: str | None = None
    evaluated: bool = True
    #: Indices of nodes (fields, criteria) by id, for tie-breakers and field statistics.
    nodes: Mapping[str, Number | None] = field(default_factory=dict)
    #: Where the unit is written (file, line, column), for diagnostics.
    where: Where | None = None


@dataclass
class TieRecord:
    """Units that compared equal on the index, and what (if anything) separated them."""

    group: str
    rank: int
    value: str
    units: list[str]
    broken_by: list[str] = field(default_factory=list)
    remaining: list[list[str]] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return not self.remaining

    def text(self) -> str:
        head = f"{', '.join(self.units)} tie at {self.value} (rank {self.rank}"
        head += f", group {self.group})" if self.group != ALL else ")"
        return "; ".join([head, *self.steps])

    def to_json(self) -> dict[str, object]:
        return {
            "group": self.group,
            "rank": self.rank,
            "index": self.value,
            "units": self.units,
            "broken_by": self.broken_by,
            "remaining": self.remaining,
            "note": self.text(),
        }


@dataclass
class RankedUnit:
    """One unit's place: its rank (None when not ranked), the reason, and its class."""

    entry: RankEntry
    group: str
    rank: int | None
    ranked: bool
    reason: str | None
    rank_class: str | None
    tie: TieRecord | None = None

    @property
    def unit(self) -> str:
        return self.entry.unit


@dataclass
class RankTable:
    """The outcome of ranking: units in rank order (not ranked last), ties, group statistics."""

    units: list[RankedUnit]
    ties: list[TieRecord]
    groups: dict[str, GroupStatistics]
    diagnostics: list[Diagnostic]
    ranking: Ranking

    def unit(self, unit_id: str) -> RankedUnit:
        for ranked in self.units:
            if ranked.unit == unit_id:
                return ranked
        raise KeyError(unit_id)

    def ranks(self) -> dict[str, int | None]:
        return {u.unit: u.rank for u in self.units}


class Ranking:
    """How a ruleset ranks its units. Compose it, or build it with ``from_ruleset``.

    >>> from decimal import Decimal as D
    >>> table = Ranking().rank([RankEntry("a", "A", None, D("90.004")),
    ...                         RankEntry("b", "B", None, D("89.996")),
    ...                         RankEntry("c", "C", None, D("80"))])
    >>> table.ranks()
    {'a': 1, 'b': 1, 'c': 3}
    """

    def __init__(
        self,
        ties: TiePolicy | None = None,
        *,
        within: Literal["group", "all"] = "group",
        tie_breakers: Sequence[TieBreaker] = (),
        classifier: Classifier | None = None,
        fields: Sequence[str] = (),
    ) -> None:
        self.ties = ties if ties is not None else RoundedTies()
        self.within = within
        self.tie_breakers = tuple(tie_breakers)
        self.classifier = classifier if classifier is not None else Classifier()
        self.fields = tuple(fields)

    def describe(self) -> str:
        parts = [
            "standard competition ranking (1, 2, 2, 4), high to low",
            "within each group" if self.within == "group" else "all units together",
            self.ties.describe(),
        ]
        if self.tie_breakers:
            parts.append("then " + ", then ".join(b.name for b in self.tie_breakers))
        return "; ".join(parts)

    def group_of(self, entry: RankEntry) -> str:
        if self.within == "all" or not entry.group:
            return ALL
        return entry.group

    # -- the ranking itself
    def rank(self, entries: Sequence[RankEntry]) -> RankTable:
        diagnostics: list[Diagnostic] = []
        groups: dict[str, list[RankEntry]] = {}
        if self.within == "group" and any(e.group for e in entries):
            for entry in entries:
                if not entry.group and entry.evaluated and entry.ranked:
                    diagnostics.append(
                        _diagnostic(
                            "PR609",
                            f"unit {entry.unit} names no group: it is ranked with the other "
                            "units without one",
                            entry,
                        )
                    )
        placed: dict[str, RankedUnit] = {}
        for entry in entries:
            groups.setdefault(self.group_of(entry), [])
            reason = self._not_ranked_reason(entry)
            if reason is None:
                groups[self.group_of(entry)].append(entry)
                continue
            if entry.evaluated and entry.ranked and entry.index is None:
                diagnostics.append(
                    _diagnostic(
                        "PR608",
                        f"unit {entry.unit} has no index (its score is incomplete): not ranked",
                        entry,
                    )
                )
            placed[entry.unit] = RankedUnit(
                entry,
                self.group_of(entry),
                None,
                False,
                reason,
                self._class_of(entry),
            )
        ordered: list[RankedUnit] = []
        ties: list[TieRecord] = []
        statistics: dict[str, GroupStatistics] = {}
        for group, members in groups.items():
            ranked, group_ties = self._rank_group(group, members)
            ordered.extend(ranked)
            ties.extend(group_ties)
            if members:
                statistics[group] = self._statistics(group, members)
        by_id = {e.unit: e for e in entries}
        for record in ties:
            if not (record.remaining and self.tie_breakers):
                continue
            where = f" in group {record.group}" if record.group != ALL else ""
            for units in record.remaining:
                diagnostics.append(
                    _diagnostic(
                        "PR607",
                        f"units {', '.join(units)} remain tied at {record.value}{where} after "
                        "every declared tie-breaker: they share a rank",
                        by_id[units[0]],
                    )
                )
        ordered.extend(placed[e.unit] for e in entries if e.unit in placed)
        return RankTable(ordered, ties, statistics, diagnostics, self)

    def _not_ranked_reason(self, entry: RankEntry) -> str | None:
        if not entry.evaluated:
            return entry.reason or "result withheld"
        if not entry.ranked:
            return entry.reason or "not ranked"
        if entry.index is None:
            return "no index: the unit's score is incomplete"
        return None

    def _class_of(self, entry: RankEntry) -> str | None:
        if not entry.evaluated or entry.index is None:
            return None
        return self.classifier.classify(self.ties.key(entry.index))

    def _keys(self, entry: RankEntry) -> tuple[Number | None, ...]:
        assert entry.index is not None
        return (
            self.ties.key(entry.index),
            *(breaker.value(entry.nodes) for breaker in self.tie_breakers),
        )

    def _rank_group(
        self, group: str, members: list[RankEntry]
    ) -> tuple[list[RankedUnit], list[TieRecord]]:
        keys = {e.unit: self._keys(e) for e in members}

        # Exact sort keys; a missing value sorts after any value. Reverse sorting is stable:
        # ties keep their input order.
        exact = {e.unit: _sort_key(keys[e.unit]) for e in members}
        order = sorted(members, key=lambda e: exact[e.unit], reverse=True)
        # Competition ranking: 1 + the number of units strictly ahead, i.e. the position of the
        # first unit of each run of equal keys.
        ranks: dict[str, int] = {}
        for position, entry in enumerate(order):
            previous = order[position - 1] if position else None
            if previous is not None and _equal(keys[previous.unit], keys[entry.unit]):
                ranks[entry.unit] = ranks[previous.unit]
            else:
                ranks[entry.unit] = position + 1
        # Ties on the compared index, and what separated them.
        records: list[TieRecord] = []
        by_unit: dict[str, TieRecord] = {}
        i = 0
        while i < len(order):
            j = i + 1
            while j < len(order) and _equal(keys[order[j].unit][:1], keys[order[i].unit][:1]):
                j += 1
            if j - i > 1:
                record = self._tie_record(group, order[i:j], keys, ranks)
                records.append(record)
                for entry in order[i:j]:
                    by_unit[entry.unit] = record
            i = j
        ranked = [
            RankedUnit(
                e,
                group,
                ranks[e.unit],
                True,
                None,
                self._class_of(e),
                by_unit.get(e.unit),
            )
            for e in order
        ]
        return ranked, records

    def _tie_record(
        self,
        group: str,
        tied: list[RankEntry],
        keys: dict[str, tuple[Number | None, ...]],
        ranks: dict[str, int],
    ) -> TieRecord:
        first = tied[0]
        assert first.index is not None
        record = TieRecord(
            group=group,
            rank=min(ranks[e.unit] for e in tied),
            value=self.ties.show(first.index),
            units=[e.unit for e in tied],
        )
        if not self.tie_breakers:
            record.remaining = [record.units]
            record.steps.append("no tie-breaker is declared: they share the rank")
            return record
        parts = [tied]
        for level, breaker in enumerate(self.tie_breakers, start=1):
            still: list[list[RankEntry]] = []
            for part in parts:
                values = ", ".join(
                    f"{e.unit} {_show(keys[e.unit][level], self.ties)}" for e in part
                )
                split = _split(part, [keys[e.unit][level] for e in part])
                if len(split) > 1:
                    if breaker.name not in record.broken_by:
                        record.broken_by.append(breaker.name)
                    placed = "; ".join(
                        "/".join(e.unit for e in sub) + f" rank {ranks[sub[0].unit]}"
                        for sub in split
                    )
                    record.steps.append(f"broken by {breaker.name}: {values} → {placed}")
                else:
                    record.steps.append(f"{breaker.name} is equal too: {values}")
                still.extend(sub for sub in split if len(sub) > 1)
            parts = still
            if not parts:
                break
        record.remaining = [[e.unit for e in part] for part in parts]
        if record.remaining:
            record.steps.append(
                "still tied after every declared tie-breaker: "
                + "; ".join(", ".join(units) for units in record.remaining)
                + " share a rank"
            )
        return record

    def _statistics(self, group: str, members: list[RankEntry]) -> GroupStatistics:
        indices = [e.index for e in members if e.index is not None]
        fields: dict[str, list[Number]] = {}
        for field_id in self.fields:
            fields[field_id] = [
                value for e in members if (value := e.nodes.get(field_id)) is not None
            ]
        return group_statistics(group, indices, fields)


def _sort_key(values: tuple[Number | None, ...]) -> tuple[tuple[int, Number], ...]:
    """Decimals and fractions compare exactly with each other in Python (Decimal converts a
    Fraction exactly for comparisons), so they sort as they are; never through floats."""
    return tuple((0, ZERO) if v is None else (1, v) for v in values)


def _compare_keys(a: tuple[Number | None, ...], b: tuple[Number | None, ...]) -> int:
    """Lexicographic and exact; a missing value (None) comes after any value."""
    for x, y in zip(a, b, strict=True):
        if x is None and y is None:
            continue
        if x is None:
            return -1
        if y is None:
            return 1
        c = compare(x, y)
        if c:
            return c
    return 0


def _equal(a: tuple[Number | None, ...], b: tuple[Number | None, ...]) -> bool:
    return _compare_keys(a, b) == 0


def _split(part: list[RankEntry], values: list[Number | None]) -> list[list[RankEntry]]:
    """Consecutive runs of equal values (the part is already in rank order)."""
    runs: list[list[RankEntry]] = []
    previous: Number | None = None
    for i, entry in enumerate(part):
        if runs and _equal((previous,), (values[i],)):
            runs[-1].append(entry)
        else:
            runs.append([entry])
        previous = values[i]
    return runs


def _show(value: Number | None, policy: TiePolicy) -> str:
    return "none" if value is None else policy.show(value)


def _diagnostic(code: str, message: str, entry: RankEntry) -> Diagnostic:
    file, line, column = entry.where or ("<ranking>", 0, 0)
    return Diagnostic.make(code, message, file=file, line=line, column=column)
