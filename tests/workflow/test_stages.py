"""Stages: self, appraised, final; appraisal rounds; formula figures restated by the council;
self vs appraised differences; points lost against the maximum."""

from __future__ import annotations

from decimal import Decimal

from parindex_rules.evaluate.stages import (
    compare_stages,
    not_self_assessed,
    points_lost,
    self_assessable_max,
)

from .helpers import TWO_FIELDS, facts, facts_text, ruleset

#: Field 1 (6): 1.1 scored directly (2), 1.2 a formula over two raw figures (4),
#: field 2 (4): 2.1 from the survey (3), 2.2 scored by the council only (1).
STAGED = """
- id: "1"
  name: Lĩnh vực một
  max: 6
  provisional: t
  criteria:
    - {id: "1.1", name: Ban hành kế hoạch, max: 2, provisional: t, rule: r,
       scoring: {method: points, step: "0.5"}}
    - id: "1.2"
      name: Tỷ lệ hồ sơ đúng hạn
      max: 4
      provisional: t
      rule: "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa"
      inputs:
        so_dung_han: {label: Số hồ sơ đúng hạn, kind: count}
        tong_so: {label: Tổng số hồ sơ, kind: count}
      scoring: {method: formula, formula: "ratio(so_dung_han, tong_so) * max"}
- id: "2"
  name: Khảo sát và thẩm định
  max: 4
  provisional: t
  criteria:
    - {id: "2.1", name: SIPAS, max: 3, origin: survey, provisional: t, rule: r,
       scoring: {method: survey, scale: 100}}
    - {id: "2.2", name: Hiệu quả triển khai, max: 1, provisional: t, rule: r,
       scoring: {method: appraisal_only}}
"""

COHORT = """
- unit: a
  name: Đơn vị A
  items:
    "1.1": {self: "2", appraisal: ["1", "1.5"]}
    "1.2":
      self: {so_dung_han: 3, tong_so: 4}
      appraisal: [{tong_so: 6}, {so_dung_han: 6}]
    "2.1": {survey: {"2023": "80"}}
    "2.2": {appraisal: ["0.5"]}
- unit: b
  name: Đơn vị B
  items:
    "1.1": {self: "1"}
    "1.2": {self: {so_dung_han: 2, tong_so: 4}}
    "2.1": {survey: {"2023": "60"}}
    "2.2": {appraisal: ["1"]}
"""


def test_each_stage_scores_what_it_should() -> None:
    """Unit a.
    self: 1.1 = 2; 1.2 = 3/4 × 4 = 3 → 5 of the self-assessable 6 → 83.33.
    appraised: 1.1 = 1.5 (round 2 is the last present); 1.2 merges the figures: tong_so = 6
    (round 1), so_dung_han = 6 (round 2) → 6/6 × 4 = 4 → 5.5 of 6 → 91.67.
    final: 5.5 + survey 80/100 × 3 = 2.4 + council 0.5 = 8.4 of 10 → 84.00."""
    rs = ruleset(STAGED)
    cohort_facts = facts_text(COHORT)
    expected = {
        "self": (Decimal(5), Decimal(6), "83.33"),
        "appraised": (Decimal("5.5"), Decimal(6), "91.67"),
        "final": (Decimal("8.4"), Decimal(10), "84.00"),
    }
    for stage, (score, maximum, index) in expected.items():
        result = rs.evaluate_cohort(cohort_facts, stage=stage).unit("a")  # type: ignore[arg-type]
        assert result.ok, result.diagnostics
        assert (result.score, result.max, result.rounded(result.index)) == (score, maximum, index)
    self_stage = rs.evaluate_cohort(cohort_facts, stage="self").unit("a")
    assert self_stage.node("2.1").status == "not_in_stage"
    assert self_stage.node("2").status == "not_in_stage"


def test_formula_figures_say_which_round_they_come_from() -> None:
    """The council restated tong_so in round 1 and so_dung_han in round 2: the explanation of
    1.2 names the round (and the line) of each figure."""
    rs = ruleset(STAGED)
    result = rs.evaluate_cohort(facts_text(COHORT)).unit("a")
    sources = {r.name: r.source for r in result.node("1.2").explain().inputs}
    assert sources["so_dung_han"].startswith("appraisal round 2 (facts.yaml:")
    assert sources["tong_so"].startswith("appraisal round 1 (facts.yaml:")


def test_a_round_may_restate_only_some_figures() -> None:
    """Round 1 restates tong_so only (6): so_dung_han stays the unit's 3 → 3/6 × 4 = 2."""
    rs = ruleset(STAGED)
    cohort = facts_text(
        """
        - unit: a
          name: A
          items:
            "1.1": {self: "2"}
            "1.2": {self: {so_dung_han: 3, tong_so: 4}, appraisal: [{tong_so: 6}]}
            "2.1": {survey: {"2023": "80"}}
            "2.2": {appraisal: ["1"]}
        """
    )
    node = rs.evaluate_cohort(cohort, stage="appraised").unit("a").node("1.2")
    assert node.score == 2
    sources = {r.name: r.source for r in node.explain().inputs}
    assert sources["so_dung_han"].startswith("self-assessment")


def test_unappraised_policy_for_scores_and_figures() -> None:
    """Unit b has no appraisal round for 1.1 and 1.2. `unappraised: self` (default): the self
    scores stand: 1 + 2/4 × 4 = 3. `unappraised: missing`: both items are missing (PR509), for
    the formula's figures as for the score given directly."""
    cohort = facts_text(COHORT)
    default = ruleset(STAGED).evaluate_cohort(cohort, stage="appraised").unit("b")
    assert default.score == 3
    strict = ruleset(STAGED, head="policies: {unappraised: missing}\n")
    result = strict.evaluate_cohort(cohort, stage="appraised").unit("b")
    assert result.score is None
    assert sorted((d.code, d.path[-1]) for d in result.diagnostics) == [
        ("PR509", "1.1"),
        ("PR509", "1.2"),
    ]
    assert "unappraised" in result.node("1.2").explain().zero_reason  # type: ignore[operator]


def test_last_present_round_is_final() -> None:
    """Rounds ["2", null]: round 2 is absent, so round 1 (2) is final."""
    rs = ruleset(TWO_FIELDS)
    result = rs.evaluate(
        {
            "unit": "a",
            "name": "A",
            "items": {
                "1.1": {"self": "1", "appraisal": ["2", None]},
                "1.2": {"self": "3"},
                "2.1": {"self": "5"},
            },
        }
    )
    assert result.node("1.1").score == 2
    assert result.node("1.1").explain().inputs[0].source.startswith("appraisal round 1")


def test_self_score_for_survey_or_council_item_is_a_diagnostic() -> None:
    """Survey and appraisal-only items are never self-assessed: a `self` given for 2.1 or 2.2
    is PR508 at every stage, located at the `self` key."""
    rs = ruleset(STAGED)
    cohort = facts_text(
        """
        - unit: a
          name: A
          items:
            "1.1": {self: "2"}
            "1.2": {self: {so_dung_han: 1, tong_so: 1}}
            "2.1": {self: "3", survey: {"2023": "80"}}
            "2.2": {self: "1", appraisal: ["1"]}
        """
    )
    for stage in ("self", "final"):
        result = rs.evaluate_cohort(cohort, stage=stage).unit("a")  # type: ignore[arg-type]
        found = sorted((d.code, d.path[-2], d.line) for d in result.diagnostics)
        assert found == [("PR508", "2.1", 10), ("PR508", "2.2", 11)]


def test_facts_an_item_never_reads_are_refused() -> None:
    """A survey item given appraisal rounds, or a directly scored item given survey values,
    would be ignored silently: PR521, at the key."""
    rs = ruleset(STAGED)
    cohort = facts_text(
        """
        - unit: a
          name: A
          items:
            "1.1": {self: "2", survey: {"2023": "1"}}
            "1.2": {self: {so_dung_han: 1, tong_so: 1}}
            "2.1": {survey: {"2023": "80"}, appraisal: ["2"]}
            "2.2": {appraisal: ["1"]}
        """
    )
    result = rs.evaluate_cohort(cohort).unit("a")
    assert sorted((d.code, d.path[-1], d.line) for d in result.diagnostics) == [
        ("PR521", "appraisal", 10),
        ("PR521", "survey", 8),
    ]


def test_self_assessable_maximum_and_what_is_left_out() -> None:
    """Units self-assess 1.1 (2) and 1.2 (4): 6 of 10. Field 2 holds only survey and council
    items, so it is listed once rather than item by item."""
    rs = ruleset(STAGED)
    assert self_assessable_max(rs.compiled) == 6
    assert [(n.id, n.origin_label) for n in not_self_assessed(rs.compiled)] == [("2", "mixed")]
    mixed = ruleset(
        STAGED.replace(
            '- {id: "2.2", name: Hiệu quả triển khai, max: 1, provisional: t, rule: r,\n'
            "       scoring: {method: appraisal_only}}",
            '- {id: "2.2", name: Hiệu quả triển khai, max: 1, provisional: t, rule: r,\n'
            "       scoring: {method: points}}",
        )
    )
    assert self_assessable_max(mixed.compiled) == 7
    assert [(n.id, n.origin_label) for n in not_self_assessed(mixed.compiled)] == [
        ("2.1", "survey")
    ]


def test_self_vs_appraised_per_item_per_node_and_total() -> None:
    """Unit a, self → appraised: 1.1 2 → 1.5 (−0.5); 1.2 3 → 4 (+1, both figures restated);
    field 1 and the total 5 → 5.5 (+0.5). Unit b: nothing appraised, nothing changed."""
    rs = ruleset(STAGED)
    cohort = facts_text(COHORT)
    a = compare_stages(rs.compiled, cohort.unit("a"), facts=cohort)
    assert [(c.id, c.self_score, c.appraised_score, c.difference) for c in a.items] == [
        ("1.1", Decimal(2), Decimal("1.5"), Decimal("-0.5")),
        ("1.2", Decimal(3), Decimal(4), Decimal(1)),
    ]
    assert [c.id for c in a.changed] == ["1.1", "1.2"]
    assert a.items[1].restated == ("so_dung_han", "tong_so")
    assert a.total is not None and a.total.difference == Decimal("0.5")
    assert a.nodes["1"].difference == Decimal("0.5")
    assert "2" not in a.nodes  # field 2 is not self-assessed: no self score to compare
    data = a.to_json()
    assert data is not None
    assert (data["self_score"], data["appraised_score"], data["difference"], data["max"]) == (
        "5.00",
        "5.50",
        "0.50",
        "6",
    )
    assert data["changed"][0] == {
        "item": "1.1",
        "name": "Ban hành kế hoạch",
        "self": "2.00",
        "appraised": "1.50",
        "difference": "-0.50",
        "restated": [],
    }
    b = compare_stages(rs.compiled, cohort.unit("b"), facts=cohort)
    assert b.changed == [] and b.total is not None and b.total.difference == 0


def test_restating_the_same_figure_is_not_a_change() -> None:
    """The council writes tong_so 4 again ("4,0"): no figure restated, no score changed."""
    rs = ruleset(STAGED)
    unit = facts(
        [
            {
                "unit": "a",
                "name": "A",
                "items": {
                    "1.1": {"self": "2"},
                    "1.2": {
                        "self": {"so_dung_han": 3, "tong_so": 4},
                        "appraisal": [{"tong_so": "4,0"}],
                    },
                    "2.1": {"survey": {"2023": "80"}},
                    "2.2": {"appraisal": ["1"]},
                },
            }
        ]
    ).unit("a")
    comparison = compare_stages(rs.compiled, unit)
    assert comparison.items[1].restated == () and comparison.changed == []


def test_points_lost_largest_first() -> None:
    """Unit a, final: 1.1 loses 2 − 1.5 = 0.5; 1.2 loses 0; 2.1 loses 3 − 2.4 = 0.6;
    2.2 loses 1 − 0.5 = 0.5. Largest first, equal losses in the decision's order:
    2.1 (0.6), 1.1 (0.5), 2.2 (0.5)."""
    rs = ruleset(STAGED)
    result = rs.evaluate_cohort(facts_text(COHORT)).unit("a")
    lost = points_lost(rs.compiled, result)
    assert [(p.item, p.lost) for p in lost] == [
        ("2.1", Decimal("0.6")),
        ("1.1", Decimal("0.5")),
        ("2.2", Decimal("0.5")),
    ]
