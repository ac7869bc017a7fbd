"""A facts file's problems come all at once: problems of shape (an unknown key, a score of the
wrong type) together with the unit-level ones (a unit given twice, a unit not ranked without a
reason), each at its own line and column."""

from __future__ import annotations

import pytest

from parindex_rules.diagnostics import FactsError

from .helpers import facts_text

FACTS = """\
- unit: a
  name: A
  colour: đỏ
  items: {"1.1": {self: 2}}
- unit: a
  name: A bis
  items: {"1.1": {self: 1}}
- unit: c
  name: C
  ranked: false
  items: {"1.1": {self: 1}}
"""


def test_shape_and_unit_problems_are_reported_together() -> None:
    with pytest.raises(FactsError) as caught:
        facts_text(FACTS)
    found = sorted((d.code, d.line, d.column) for d in caught.value.diagnostics)
    # The facts text starts with three header lines (ruleset, year, `units:`) and indents the
    # units by two spaces: unit a's `colour` is on line 6, the second unit's id on line 8
    # (its value at column 11), unit c's `ranked: false` on line 13 (its value at column 13).
    by_code = {code: (line, column) for code, line, column in found}
    assert len(found) == 3
    assert by_code["PR501"] == (8, 11)
    assert by_code["PR514"] == (13, 13)
    shape = [d for d in caught.value.diagnostics if d.code not in ("PR501", "PR514")]
    assert len(shape) == 1 and shape[0].line == 6 and "colour" in shape[0].message


def test_a_clean_file_loads() -> None:
    """The same units without the three faults load, in order."""
    fixed = FACTS.replace("  colour: đỏ\n", "").replace(
        "unit: a\n  name: A bis", "unit: b\n  name: B"
    )
    fixed = fixed.replace("ranked: false", "ranked: false\n  reason: Đánh giá nhưng không xếp hạng")
    assert [u.unit for u in facts_text(fixed).units] == ["a", "b", "c"]


def test_a_number_id_given_twice_is_found_as_its_text() -> None:
    """`unit: 12` and `unit: "12"` are the same id (a bare number is read as text)."""
    units = '- {unit: 12, name: A, items: {}}\n- {unit: "12", name: B, items: {}}\n'
    with pytest.raises(FactsError) as caught:
        facts_text(units)
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("PR501", 5)]
