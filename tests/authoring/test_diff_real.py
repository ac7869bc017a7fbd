"""`parindex diff` on two real rulesets: Vĩnh Long 1877/QĐ-UBND (2023), sở set against huyện set.

What any faithful transcription must show, from rulebooks.md §1 (criteria / sub-criteria per
field, sở → huyện): 1: 8/10 → 9/12; 2: 4/11 → 4/11; 3: 5/15 → 5/16; 4: 3/12 → 3/11;
5: 6/18 → 6/18; 6: 3/14 → 3/14; 7: 3/14 → 4/17; 8: 2/5 → 4/9 (totals 34/99 → 38/108). The
eight fields have the same names in both sets, and both come from the same decision. So the
diff changes the level, adds or removes no field, renames no field, and per field the criteria
and sub-criteria added minus removed (moves counted where they land) are the differences above.
"""

from __future__ import annotations

from collections import Counter

import pytest

import parindex_rules as pr
from parindex_rules.authoring.diff import diff_rulesets
from parindex_rules.cli import main
from parindex_rules.loader.resolve import known_ids

NET = {
    "1": (1, 2),
    "2": (0, 0),
    "3": (0, 1),
    "4": (0, -1),
    "5": (0, 0),
    "6": (0, 0),
    "7": (1, 3),
    "8": (2, 4),
}

pytestmark = pytest.mark.skipif(
    not {"vinhlong-2023/so", "vinhlong-2023/huyen"} <= set(known_ids()),
    reason="the Vĩnh Long rulesets (rulesets branch) are not installed yet",
)


def test_so_to_huyen_lists_the_expected_items(capsys: pytest.CaptureFixture[str]) -> None:
    result = diff_rulesets(pr.load("vinhlong-2023/so"), pr.load("vinhlong-2023/huyen"))
    ruleset = {c.name: (c.old, c.new) for c in result.of_kind("ruleset")}
    assert ruleset["level"] == ("so", "huyen")
    assert "decision" not in ruleset and "year" not in ruleset
    for kind in ("added", "removed", "renamed", "moved"):
        assert [c.id for c in result.of_kind(kind) if "." not in (c.id or "")] == [], kind
    net: Counter[tuple[str, str]] = Counter()
    for change in result.changes:
        if change.kind in ("added", "moved"):
            net[change.id.split(".")[0], change.level or ""] += 1  # type: ignore[union-attr]
        if change.kind in ("removed", "moved"):
            old_id = change.old_id or change.id
            net[old_id.split(".")[0], change.level or ""] -= 1  # type: ignore[union-attr]
    for field, (criteria, subcriteria) in NET.items():
        assert net[field, "criterion"] == criteria, field
        assert net[field, "subcriterion"] == subcriteria, field
    assert main(["diff", "vinhlong-2023/so", "vinhlong-2023/huyen", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"ruleset": "vinhlong-2023/huyen"' in out and '"provisional": true' in out
