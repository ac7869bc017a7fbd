"""`Ruleset.evaluate_many`: table forms, policies, facts that do not fit, plugin methods."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, ClassVar

import numpy as np
import pytest

import parindex_rules as pr
from parindex_rules.batch import Coded
from parindex_rules.loader.facts import facts_from_data
from parindex_rules.methods.base import EvalContext, MethodConfig, Outcome, ScoringMethod
from parindex_rules.numbers import div
from parindex_rules.plugins import registry

from ..helpers import ruleset_doc
from .helpers import bench_module, mismatches


def two_items(**top: Any) -> pr.Ruleset:
    """1.1: points (max 4, evidence as the ruleset says); 1.2: choice (max 6)."""
    doc = ruleset_doc(
        [
            {
                "id": "1.1",
                "name": "Điểm",
                "max": "4",
                "rule": "điểm",
                "scoring": {"method": "points"},
            },
            {
                "id": "1.2",
                "name": "Lựa chọn",
                "max": "6",
                "rule": "Đạt: 6 · Một phần: 2.5 · Không: 0",
                "scoring": {
                    "method": "choice",
                    "options": [
                        {"key": "dat", "label": "Đạt", "points": 6},
                        {"key": "mot_phan", "label": "Một phần", "points": "2.5"},
                        {"key": "khong", "label": "Không", "points": 0},
                    ],
                },
            },
        ],
        **top,
    )
    return pr.loads(json.dumps(doc, ensure_ascii=False), "two.yaml")


def unit(name: str, items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"unit": name, "name": f"Đơn vị {name}", "items": items, **extra}


def test_pandas_and_arrow_tables_give_the_facts_list_result() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    rs = two_items()
    facts = [
        unit("a", {"1.1": {"self": "3.5"}, "1.2": {"self": "dat"}}),
        unit("b", {"1.1": {"self": 0}, "1.2": {"self": "Một phần"}}),
        unit("c", {"1.1": {"self": "1,25"}, "1.2": {"self": "khong"}}),
    ]
    expected = rs.evaluate_many(facts)
    assert mismatches(rs, expected, facts) == []
    frame = pd.DataFrame(
        {
            "unit": ["a", "b", "c"],
            "1.1": [3.5, 0.0, 1.25],
            "1.2": pd.Categorical(["dat", "Một phần", "khong"]),
        }
    )
    for table in (frame, pa.Table.from_pandas(frame, preserve_index=False)):
        got = rs.evaluate_many(table)
        assert got.column("total", "score") == ["9.50", "2.50", "1.25"]
        assert (got.score == expected.score).all() and (got.index == expected.index).all()
    coded = {
        "unit": ["a", "b", "c"],
        "1.1": [3.5, 0.0, 1.25],
        "1.2": Coded([0, 1, 2], ["dat", "mot_phan", "khong"]),
    }
    assert rs.evaluate_many(coded).column("total", "index") == ["95.00", "25.00", "12.50"]


def test_facts_that_do_not_fit_go_to_the_exact_path_alone() -> None:
    """An unknown outcome and a score above the maximum: those units are scored by the exact
    path (errors, parents incomplete, ok False); the others stay on the batch path."""
    rs = two_items()
    facts = [
        unit("a", {"1.1": {"self": 4}, "1.2": {"self": "dat"}}),
        unit("b", {"1.1": {"self": 4}, "1.2": {"self": "không rõ"}}),
        unit("c", {"1.1": {"self": 5}, "1.2": {"self": "dat"}}),
    ]
    result = rs.evaluate_many(facts)
    assert mismatches(rs, result, facts) == []
    assert result.exact.tolist() == [False, True, True]
    assert result.ok.tolist() == [True, False, False]
    assert result.statuses("1.2")[1] == "error" and result.statuses("total")[1] == "incomplete"
    assert result.column("total", "score") == ["10.00", None, None]


def test_missing_not_applicable_and_evidence_policies() -> None:
    rs = two_items(
        policies={
            "not_applicable": "applicable_maximum",
            "missing": "zero",
            "evidence": "required",
        }
    )
    facts = [
        # 1.1 not applicable: 6 / 6 = 100 %
        unit(
            "a",
            {
                "1.1": {"applicable": False, "reason": "Không phát sinh"},
                "1.2": {"self": "dat", "evidence": [{"number": "1/KH"}]},
            },
        ),
        # 1.2 missing → 0 as the ruleset says; 1.1 without evidence → 0
        unit("b", {"1.1": {"self": 4}}),
        # both with evidence
        unit(
            "c",
            {
                "1.1": {"self": 2, "evidence": [{"title": "Báo cáo"}]},
                "1.2": {"self": "mot_phan", "evidence": [{"link": "x"}]},
            },
        ),
    ]
    result = rs.evaluate_many(facts)
    assert mismatches(rs, result, facts) == []
    assert result.column("total", "index") == ["100.00", "0.00", "45.00"]
    assert result.column("total", "max") == ["6", "10", "10"]
    columns = {
        "unit": ["a", "b", "c"],
        "1.1": [None, 4, 2],
        "1.1:applicable": [False, True, True],
        "1.1:reason": ["Không phát sinh", None, None],
        "1.1:evidence": [None, False, True],
        "1.2": ["dat", None, "mot_phan"],
        "1.2:evidence": [True, None, True],
    }
    from_columns = rs.evaluate_many(columns)
    assert (from_columns.score == result.score).all()
    assert from_columns.column("total", "index") == ["100.00", "0.00", "45.00"]


def test_a_facts_object_and_the_self_stage() -> None:
    rs = two_items()
    data = {
        "ruleset": "test-2024/so",
        "year": 2024,
        "units": [
            unit(
                "a",
                {
                    "1.1": {"self": 4, "appraisal": ["1.5"]},
                    "1.2": {"self": "dat", "appraisal": ["khong"]},
                },
            )
        ],
    }
    facts = facts_from_data(data)
    final = rs.evaluate_many(facts)
    self_stage = rs.evaluate_many(facts, stage="self")
    assert final.value("a") == Decimal("1.50")
    assert self_stage.value("a") == Decimal("10.00")
    assert mismatches(rs, self_stage, data["units"], stage="self") == []


class _Third(ScoringMethod):
    """A plugin without evaluate_batch: a third of the maximum when the fact is 'yes'."""

    Config = MethodConfig
    summary = "half"
    allowed_origins: ClassVar = ScoringMethod.allowed_origins

    def evaluate(self, ctx: EvalContext) -> Outcome:
        third = div(self.leaf.max, Decimal(3))  # exact: 1/3, a fraction
        return Outcome(score=third if ctx.value == "yes" else Decimal(0))


def test_a_plugin_without_evaluate_batch_is_looped_for_its_item_alone() -> None:
    registry.register("methods", "one_third", _Third)
    try:
        doc = ruleset_doc(
            [
                {
                    "id": "1.1",
                    "name": "Plugin",
                    "max": "1",
                    "rule": "x",
                    "scoring": {"method": "one_third"},
                },
                {
                    "id": "1.2",
                    "name": "Điểm",
                    "max": "2",
                    "rule": "x",
                    "scoring": {"method": "points"},
                },
            ]
        )
        rs = pr.loads(json.dumps(doc, ensure_ascii=False), "plugin.yaml")
        facts = [
            unit(f"u{i}", {"1.1": {"self": "yes" if i % 2 else "no"}, "1.2": {"self": i % 3}})
            for i in range(6)
        ]
        result = rs.evaluate_many(facts)
        assert mismatches(rs, result, facts) == []
        assert not result.exact.any()  # 1/3 of a point stays exact inside the batch
        assert result.column("1.1", "score")[:2] == ["0.00", "0.33"]
    finally:
        registry.unregister("methods", "one_third")


def test_the_bench_ruleset_has_vinh_long_size_and_batch_equals_exact() -> None:
    bench = bench_module()
    made = bench.bench_ruleset()
    rs = pr.loads(made.text, "bench.yaml")
    assert rs.counts() == {"fields": 8, "criteria": 34, "subcriteria": 99}
    assert rs.points_by_origin() == {"assessed": "66", "survey": "34"}
    assert rs.provisional
    shapes = {leaf.shape for leaf in made.leaves}
    assert {"choice", "percent_bands", "ratio", "count_steps", "sipas"} <= shapes
    facts = bench.unit_facts(made, 40, seed=11)
    from_columns = rs.evaluate_many(bench.unit_columns(made, 40, seed=11))
    assert mismatches(rs, from_columns, facts) == []
    assert (rs.evaluate_many(facts).score == from_columns.score).all()
    assert np.asarray(from_columns.ok).all()
