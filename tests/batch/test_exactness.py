"""After the declared rounding, every batch result equals the single-unit exact path.

Populations are aimed at the places where a float would go wrong: ratio scores that land
exactly on x.xx5 (1/8 of 0.25 point = 0.03125; 3/8 × 100 % = 37.5 %), long sums of ratio items
whose exact total is a decimal only after cancelling thirds and sevenths, band values exactly on
their thresholds, survey values that give half-hundredths. Each generated unit is evaluated
both ways (facts list and plain columns) and compared with `Ruleset.evaluate`, node by node.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import parindex_rules as pr
from parindex_rules.numbers import RoundingMode

from ..helpers import ruleset_doc
from ..strategies import facts_for, ruleset_docs
from .helpers import mismatches

#: Denominators that produce x.xx5 values (2**k, 5**k, 40) and ones that never end (3, 7, 12).
DENOMINATORS = [1, 2, 3, 4, 6, 7, 8, 12, 16, 24, 40, 80, 125, 3 * 7 * 8]


def _ratio_leaf(item_id: str, maximum: str, on_zero: str = "full") -> dict[str, Any]:
    a, b = f"a_{item_id.replace('.', '_')}", f"b_{item_id.replace('.', '_')}"
    return {
        "id": item_id,
        "name": f"Tỷ lệ {item_id}",
        "max": maximum,
        "rule": "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa",
        "inputs": {
            a: {"label": "Số đạt", "kind": "count"},
            b: {"label": "Tổng số", "kind": "count"},
        },
        "scoring": {
            "method": "formula",
            "formula": f"ratio({a}, {b}) * max",
            "on_zero_denominator": {"score": on_zero, "reason": "Không phát sinh"},
        },
    }


def boundary_ruleset(mode: str, places: int) -> dict[str, Any]:
    """Field 1: twelve ratio items in one criterion (a long sum); field 2: bands on a percent
    and a formula value; field 3: survey items on a 100 scale; field 4: a choice item."""
    maxima = ["0.25", "0.5", "0.75", "1", "1.25", "0.1", "0.05", "2", "0.125", "0.375", "3", "1"]
    ratios = [_ratio_leaf(f"1.1.{i + 1}", m) for i, m in enumerate(maxima)]
    ratio_total = sum((Decimal(m) for m in maxima), Decimal(0))
    bands = {
        "id": "2.1",
        "name": "Mức độ thực hiện",
        "max": "2",
        "rule": "Trên 90%: 2 · Từ 70% - 90%: 1 · Dưới 70%: 0",
        "inputs": {"ty_le": {"label": "Tỷ lệ", "kind": "percent"}},
        "scoring": {
            "method": "bands",
            "input": "ty_le",
            "bands": [
                {"above": 90, "points": 2},
                {"from": 70, "to": 90, "points": "1.005"},
                {"below": 70, "points": 0},
            ],
        },
    }
    formula_bands = {
        "id": "2.2",
        "name": "Tỷ lệ đúng hạn",
        "max": "1.5",
        "rule": "percent(c, d) ≥ 87.5: 1.5 · còn lại: 0.375",
        "inputs": {
            "c_dung_han": {"label": "Đúng hạn", "kind": "count"},
            "d_tong": {"label": "Tổng", "kind": "count"},
        },
        "scoring": {
            "method": "bands",
            "value": "percent(c_dung_han, d_tong, 100)",
            "domain": {"from": 0, "to": 100},
            "bands": [{"from": "87.5", "points": "1.5"}, {"below": "87.5", "points": "0.375"}],
        },
    }
    surveys = [
        {
            "id": f"3.{i + 1}",
            "name": f"Khảo sát {i + 1}",
            "max": m,
            "origin": "survey",
            "rule": "Kết quả khảo sát × điểm tối đa / 100",
            "scoring": {"method": "survey", "scale": 100},
        }
        for i, m in enumerate(["0.1", "0.3", "7"])
    ]
    choice = {
        "id": "4.1",
        "name": "Ban hành kế hoạch",
        "max": "0.125",
        "rule": "Kịp thời: 0.125 · Không kịp thời: 0.0625 · Không: 0",
        "scoring": {
            "method": "choice",
            "options": [
                {"key": "kip_thoi", "label": "Kịp thời", "points": "0.125"},
                {"key": "khong_kip_thoi", "label": "Không kịp thời", "points": "0.0625"},
                {"key": "khong", "label": "Không", "points": 0},
            ],
        },
    }
    fields = [
        {
            "id": "1",
            "name": "Tỷ lệ",
            "max": str(ratio_total),
            "criteria": [
                {"id": "1.1", "name": "Nhiều tỷ lệ", "max": str(ratio_total), "subcriteria": ratios}
            ],
        },
        {"id": "2", "name": "Ngưỡng", "max": "3.5", "criteria": [bands, formula_bands]},
        {"id": "3", "name": "Khảo sát", "max": "7.4", "criteria": surveys},
        {"id": "4", "name": "Lựa chọn", "max": "0.125", "criteria": [choice]},
    ]
    return ruleset_doc([], fields=fields, rounding={"places": places, "mode": mode})


@st.composite
def boundary_unit(draw: st.DrawFn, index: int) -> dict[str, Any]:
    items: dict[str, Any] = {}
    for i in range(12):
        b = draw(st.sampled_from([*DENOMINATORS, 0]))
        a = draw(st.integers(0, b)) if b else 0
        key = f"1_1_{i + 1}"
        items[f"1.1.{i + 1}"] = {"appraisal": [{f"a_{key}": a, f"b_{key}": b}]}
    percent = draw(
        st.one_of(
            st.sampled_from(["70", "90", "89.99", "90.01", "69.995", "0", "100"]),
            st.integers(0, 10_000).map(lambda v: str(Decimal(v) / 100)),
        )
    )
    items["2.1"] = {"self": percent}
    d = draw(st.sampled_from([0, 8, 16, 24, 40, 7]))
    items["2.2"] = {"self": {"c_dung_han": draw(st.integers(0, d)) if d else 0, "d_tong": d}}
    for i in range(3):
        value = draw(
            st.one_of(
                st.sampled_from(["12.5", "37.5", "62.5", "87.5", "50", "0", "100"]),
                st.integers(0, 10_000).map(lambda v: str(Decimal(v) / 100)),
            )
        )
        items[f"3.{i + 1}"] = {"survey": {"2024": value}}
    items["4.1"] = {"self": draw(st.sampled_from(["kip_thoi", "Không kịp thời", "khong"]))}
    return {"unit": f"u{index}", "name": f"Đơn vị {index}", "items": items}


@st.composite
def boundary_cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    mode = draw(st.sampled_from([m.value for m in RoundingMode]))
    places = draw(st.sampled_from([0, 1, 2, 3]))
    doc = boundary_ruleset(mode, places)
    size = draw(st.integers(1, 12))
    return doc, [draw(boundary_unit(i)) for i in range(size)]


def _compile(doc: dict[str, Any]) -> pr.Ruleset:
    return pr.loads(json.dumps(doc, ensure_ascii=False), "boundary.yaml")


def _columns(units: list[dict[str, Any]], ruleset: pr.Ruleset) -> dict[str, list[Any]]:
    """The same units as plain columns: item values, inputs, survey values."""
    columns: dict[str, list[Any]] = {"unit": [u["unit"] for u in units]}
    for row, unit in enumerate(units):
        for item_id, item in unit["items"].items():
            if "survey" in item:
                names_values = [(item_id, item["survey"]["2024"])]
            else:
                given = item.get("appraisal", [item.get("self")])[-1]
                if isinstance(given, dict):
                    names_values = list(given.items())
                elif ruleset.node(item_id).inputs:
                    names_values = [(next(iter(ruleset.node(item_id).inputs)), given)]
                else:
                    names_values = [(item_id, given)]
            for name, value in names_values:
                columns.setdefault(name, [None] * len(units))[row] = value
    return columns


@given(boundary_cases())
def test_boundary_populations_equal_the_exact_path(
    case: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    doc, units = case
    ruleset = _compile(doc)
    from_facts = ruleset.evaluate_many(units)
    assert mismatches(ruleset, from_facts, units) == []
    from_columns = ruleset.evaluate_many(_columns(units, ruleset))
    assert mismatches(ruleset, from_columns, units) == []


@st.composite
def random_cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    doc = draw(ruleset_docs())
    doc["rounding"] = {
        "places": draw(st.integers(0, 3)),
        "mode": draw(st.sampled_from([m.value for m in RoundingMode])),
    }
    size = draw(st.integers(1, 6))
    units = [
        {"unit": f"u{i}", "name": f"Đơn vị {i}", "items": draw(facts_for(doc))} for i in range(size)
    ]
    return doc, units


@settings(max_examples=60)
@given(random_cases())
def test_random_rulesets_equal_the_exact_path(
    case: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    """Any ruleset of real rule shapes (tests/strategies.py), self-assessed values."""
    doc, units = case
    ruleset = _compile(doc)
    for stage in ("self", "final"):
        result = ruleset.evaluate_many(units, stage=stage)  # type: ignore[arg-type]
        assert mismatches(ruleset, result, units, stage=stage) == []


def test_thirds_that_cancel_land_exactly_on_a_rounding_boundary() -> None:
    """Item 1.1.2 (max 0.5) scores 1/3 × 0.5 = 1/6, item 1.1.4 (max 1) 1/3 × 1 = 1/3, item
    1.1.9 (max 0.125) 1 × 0.125: neither of the first two is a decimal, yet the criterion's
    total is exactly 1/6 + 1/3 + 0.125 = 0.625, a half-hundredth: half up gives 0.63, and its
    index 0.625 / 10.4 × 100 = 6.0096... gives 6.01."""
    ruleset = _compile(boundary_ruleset("half_up", 2))
    pairs = {2: (1, 3), 4: (1, 3), 9: (1, 1)}
    items: dict[str, Any] = {}
    for i in range(1, 13):
        a, b = pairs.get(i, (0, 1))
        key = f"1_1_{i}"
        items[f"1.1.{i}"] = {"self": {f"a_{key}": a, f"b_{key}": b}}
    unit = {"unit": "u1", "name": "Đơn vị", "items": items}
    result = ruleset.evaluate_many([unit], stage="self")
    assert result.value("u1", "1.1") == Decimal("0.63")
    assert result.value("u1", "1.1", "index") == Decimal("6.01")
    assert not result.exact[0]  # settled by exact rationals in the batch, not handed over
    assert mismatches(ruleset, result, [unit], stage="self") == []
