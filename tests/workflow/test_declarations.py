"""Mistakes in a ruleset's ranking, classes and deadlines are reported when it compiles,
located in the ruleset file."""

from __future__ import annotations

import datetime as dt

import pytest

from parindex_rules.compile.workflow import deadline_date
from parindex_rules.diagnostics import RulesetError
from parindex_rules.model.ruleset import Deadline

from .helpers import TWO_FIELDS, ruleset


def problems(head: str) -> list[tuple[str, int, str]]:
    with pytest.raises(RulesetError) as caught:
        ruleset(TWO_FIELDS, head=head)
    return [(d.code, d.line, d.message) for d in caught.value.diagnostics if d.is_error]


def test_unknown_tie_breaker_node() -> None:
    found = problems('ranking:\n  tie_breakers: [{node: "3"}, {node: "2"}]\n')
    assert [(code, line) for code, line, _ in found] == [("PR620", 10)]
    assert "tie-breaker node '3' is not in the ruleset" in found[0][2]


def test_overlapping_and_repeated_classes() -> None:
    """A from 90; B from 80 to 90 (đến: 90 included) overlaps A at 90; C repeated."""
    head = (
        "classes:\n"
        "  - {label: A, from: 90, provisional: t}\n"
        "  - {label: B, from: 80, to: 90, provisional: t}\n"
        "  - {label: C, below: 80, provisional: t}\n"
        "  - {label: C, below: 50, provisional: t}\n"
    )
    found = problems(head)
    codes = sorted(code for code, _, _ in found)
    assert codes == ["PR214", "PR621", "PR621"]
    overlap = next(m for c, _, m in found if c == "PR621" and "'B'" in m)
    assert "both include 90%" in overlap


def test_class_gaps_are_allowed() -> None:
    """An index may fall in no class (below 80 here): not an error."""
    head = (
        "classes:\n  - {label: A, from: 90, provisional: t}\n"
        "  - {label: B, from: 80, below: 90, provisional: t}\n"
    )
    assert len(ruleset(TWO_FIELDS, head=head).document.classes) == 2


def test_bad_deadlines() -> None:
    head = (
        "workflow:\n"
        "  deadlines:\n"
        "    - {id: submission, what: x}\n"
        "    - {id: submission, what: x, day: '31/02'}\n"
        "    - {id: submission, what: x, day: '30/11', date: 2023-11-30}\n"
    )
    found = problems(head)
    assert [(code, line) for code, line, _ in found] == [
        ("PR622", 11),
        ("PR622", 12),
        ("PR622", 13),
    ]
    assert "'31/02' is not a day of 2023" in found[1][2]


def test_not_ranked_entry_names_a_unit() -> None:
    found = problems("ranking:\n  not_ranked: [{reason: x, provisional: t}]\n")
    assert [code for code, _, _ in found] == ["PR623"]


def test_deadline_dates() -> None:
    """ "30/11" of the evaluation year 2023; "15/01" of the next year; 29/02 exists in 2024."""
    assert deadline_date(Deadline(id="s", what="x", day="30/11"), 2023) == dt.date(2023, 11, 30)
    next_year = Deadline(id="s", what="x", day="15/01", year="next")
    assert deadline_date(next_year, 2023) == dt.date(2024, 1, 15)
    assert deadline_date(Deadline(id="s", what="x", day="29/02"), 2024) == dt.date(2024, 2, 29)
    assert deadline_date(Deadline(id="s", what="x", day="29/02"), 2023) is None
    assert deadline_date(Deadline(id="s", what="x", date="2023-12-15"), 2023) == dt.date(
        2023, 12, 15
    )
