"""Each provisional ruleset follows the one rule written in its README and provenance.

The rule is re-implemented here from its wording (not from the YAML), so a hand edit that
breaks it is caught. When the real annex replaces a ruleset's provisional content, the test for
that ruleset goes: the official figures are then checked by test_rulebooks.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ._support import HANOI, PROVINCE_IDS, QUANGTRI, VINHLONG, ruleset
from .test_rulebooks import VL_COUNTS

STEP = Decimal("0.25")
PLACEHOLDER = "chưa có bản chính thức"


def spread(total: int, parts: int) -> list[int]:
    """`total` over `parts` as evenly as possible, the remainder to the first ones."""
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


def spread_points(points: Decimal, parts: int) -> list[Decimal]:
    """`points` over `parts` in steps of 0.25, the remainder (0.25 each) to the first ones."""
    return [n * STEP for n in spread(int(points / STEP), parts)]


@pytest.mark.parametrize("ruleset_id", VINHLONG)
def test_vinhlong_rule(ruleset_id: str) -> None:
    set_ = ruleset_id.split("/")[1]
    annex = {"so": "I", "huyen": "II", "xa": "III"}[set_]
    survey_fields = {"xa": (5, 6, 7)}.get(set_, (2, 4, 5, 6, 7))
    assessed_total, survey_total = {"xa": (79, 21)}.get(set_, (66, 34))
    rs = ruleset(ruleset_id)
    leaves: list[tuple[str, str]] = []  # (id, origin) in the decision's order
    for f, (criteria, subcriteria) in enumerate(VL_COUNTS[set_], start=1):
        field_leaves = []
        for k, n in enumerate(spread(subcriteria, criteria), start=1):
            cid = f"{f}.{k}"
            criterion = rs.node(cid)
            assert [rs.node(c).id for c in criterion.children] == [
                f"{cid}.{j}" for j in range(1, n + 1)
            ]
            if cid == "8.1":
                assert criterion.name == "Kết quả chỉ số hài lòng (SIPAS)"
            else:
                assert (
                    criterion.name
                    == f"Tiêu chí {cid} (nội dung theo Phụ lục {annex} — {PLACEHOLDER})"
                )
            ids = [f"{cid}.{j}" for j in range(1, n + 1)] or [cid]
            field_leaves += [[i, "survey" if cid == "8.1" else "assessed"] for i in ids]
        if f in survey_fields:
            field_leaves[-1][1] = "survey"
        leaves += [(i, o) for i, o in field_leaves]
    assert [leaf.id for leaf in rs.compiled.leaves()] == [i for i, _ in leaves]
    for origin, points in (("assessed", assessed_total), ("survey", survey_total)):
        ids = [i for i, o in leaves if o == origin]
        expected = dict(zip(ids, spread_points(Decimal(points), len(ids)), strict=True))
        actual = {i: rs.node(i).max for i in ids}
        assert actual == expected
        assert all(rs.node(i).origin.value == origin for i in ids)
    for leaf in rs.compiled.leaves():
        if not leaf.id.startswith("8.1") and leaf.level == "subcriterion":
            assert leaf.name == (
                f"Tiêu chí thành phần {leaf.id} (nội dung theo Phụ lục {annex} — {PLACEHOLDER})"
            )


@pytest.mark.parametrize("ruleset_id", HANOI)
def test_hanoi_rule(ruleset_id: str) -> None:
    rs = ruleset(ruleset_id)
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert rs.compiled.root.children == roman
    assert rs.node("I").children == [f"I.{j}" for j in range(1, 9)]
    for fid in roman[1:]:
        assert rs.node(fid).children == [f"{fid}.1", f"{fid}.2"]
        assert rs.node(f"{fid}.1").origin.value == "assessed"
        assert rs.node(f"{fid}.2").origin.value == "survey"
        assert rs.node(fid).name == f"Nội dung {fid} (tên theo QĐ 4190 — {PLACEHOLDER})"
    leaves = rs.compiled.leaves()
    assert all(leaf.level == "criterion" for leaf in leaves)  # no sub-criteria
    council = [leaf for leaf in leaves if leaf.origin.value != "survey"]
    survey = [leaf for leaf in leaves if leaf.origin.value == "survey"]
    assert [leaf.max for leaf in council] == spread_points(Decimal(70), len(council))
    assert [leaf.max for leaf in survey] == spread_points(Decimal(30), len(survey))


@pytest.mark.parametrize("ruleset_id", QUANGTRI)
def test_quangtri_rule(ruleset_id: str) -> None:
    rs = ruleset(ruleset_id)
    fields = rs.compiled.root.children
    assert fields == [str(i) for i in range(1, 8)]
    assert [len(rs.node(f).children) for f in fields] == spread(42, 7)
    leaves = rs.compiled.leaves()
    assert all(leaf.level == "criterion" and leaf.origin.value == "assessed" for leaf in leaves)
    assert [leaf.max for leaf in leaves] == spread_points(Decimal(100), 42)
    thresholds = [(c.label, c.from_, c.below) for c in rs.document.classes]
    assert thresholds == [
        ("Tốt", 80, None),
        ("Khá", 65, 80),
        ("Trung bình", 50, 65),
        ("Yếu", None, 50),
    ]


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_the_rule_is_written_and_every_node_says_why_it_is_provisional(ruleset_id: str) -> None:
    rs = ruleset(ruleset_id)
    rule = rs.document.provenance.provisional_rule
    assert rule and rule.startswith("Một quy tắc cho cả")
    for node in rs.nodes.values():
        if node.level == "total":
            continue
        assert node.provenance.is_provisional, node.id
        assert "tạm" in node.provenance.provisional, node.id
