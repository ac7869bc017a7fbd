"""The ruleset's policies, checked against hand-worked cohorts: not applicable (fixed or
applicable maximum), survey fallback, evidence (required, explanation, none), missing values,
bonus and penalty within their caps, and units excluded or not ranked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex_rules.rank import rank_results
from parindex_rules.report.json import unit_json

from .helpers import TWO_FIELDS, facts, ruleset, unit

NOT_APPLICABLE_UNITS = [
    {
        "unit": "a",
        "name": "A",
        "items": {
            "1.1": {"self": "2"},
            "1.2": {"applicable": False, "reason": "không phát sinh"},
            "2.1": {"self": "4"},
        },
    },
    unit("b", {"1.1": "2", "1.2": "3", "2.1": "1"}),
]


def test_not_applicable_fixed_keeps_the_declared_denominator() -> None:
    """fixed: A scores 2 + 0 + 4 = 6 of 10 → 60.00; field 1: 2 of 5 → 40.00; nothing comes
    off the maximum. B: 2 + 3 + 1 = 6 of 10 → 60.00, so A and B tie for rank 1."""
    rs = ruleset(TWO_FIELDS, head="policies: {not_applicable: fixed}\n")
    cohort = rs.evaluate_cohort(facts(NOT_APPLICABLE_UNITS))
    a = cohort.unit("a")
    assert (a.score, a.max, a.rounded(a.index)) == (Decimal(6), Decimal(10), "60.00")
    assert a.rounded(a.node("1").index) == "40.00"
    assert a.node("1.2").status == "not_applicable" and a.node("1.2").max == 3
    assert a.deductions == []
    assert rank_results(rs.compiled, cohort.units).ranks() == {"a": 1, "b": 1}


def test_not_applicable_applicable_maximum_changes_the_denominator() -> None:
    """applicable_maximum: item 1.2 (3 points) comes off A's maximum: 6 of 10 − 3 = 7 →
    6 / 7 × 100 = 85.714… → 85.71; field 1: 2 of 2 → 100.00. The deduction is listed.
    B still has 6 of 10 → 60.00, so A is now 1st and B 2nd."""
    rs = ruleset(TWO_FIELDS, head="policies: {not_applicable: applicable_maximum}\n")
    cohort = rs.evaluate_cohort(facts(NOT_APPLICABLE_UNITS))
    a = cohort.unit("a")
    assert (a.score, a.max, a.rounded(a.index)) == (Decimal(6), Decimal(7), "85.71")
    assert a.node("1").max == 2 and a.rounded(a.node("1").index) == "100.00"
    assert unit_json(a, nodes=False)["deductions"] == [
        {"item": "1.2", "name": "Tiêu chí 1.2", "points": "3", "reason": "không phát sinh"}
    ]
    assert "come off this unit's maximum" in a.node("1.2").explain().notes[0]
    assert rank_results(rs.compiled, cohort.units).ranks() == {"a": 1, "b": 2}


def test_not_applicable_needs_a_reason_and_permission() -> None:
    """An item declared not applicable without a reason is PR514; a leaf marked
    `may_be_not_applicable: false` refuses it (PR517)."""
    body = TWO_FIELDS.replace(
        '{id: "2.1", name: Tiêu chí 2.1, max: 5, provisional: t, rule: r,',
        '{id: "2.1", name: Tiêu chí 2.1, max: 5, provisional: t, rule: r, '
        "may_be_not_applicable: false,",
    )
    rs = ruleset(body)
    result = rs.evaluate_cohort(
        facts(
            [
                {
                    "unit": "a",
                    "name": "A",
                    "items": {
                        "1.1": {"self": "2"},
                        "1.2": {"applicable": False},
                        "2.1": {"applicable": False, "reason": "x"},
                    },
                }
            ]
        )
    ).unit("a")
    assert sorted(d.code for d in result.diagnostics) == ["PR514", "PR517"]


SURVEY = """
- id: "1"
  name: Lĩnh vực một
  max: 6
  provisional: t
  criteria:
    - {id: "1.1", name: Tiêu chí 1.1, max: 6, provisional: t, rule: r, scoring: {method: points}}
- id: "2"
  name: Khảo sát
  max: 4
  provisional: t
  criteria:
    - {id: "2.1", name: SIPAS, max: 4, origin: survey, provisional: t, rule: r,
       scoring: {method: survey, scale: 100}}
"""


def survey_unit(values: dict[str, str]) -> dict[str, object]:
    return {"unit": "a", "name": "A", "items": {"1.1": {"self": "6"}, "2.1": {"survey": values}}}


def test_survey_fallback_takes_the_previous_year_and_says_so() -> None:
    """Vĩnh Long: if the Ministry has not published this year's survey, last year's is used.
    Year 2023, only 2022 given: 75 / 100 × 4 = 3 points; the explanation records the fallback.
    With 2023 given (50), it is used: 50 / 100 × 4 = 2."""
    rs = ruleset(SURVEY, head="policies: {survey_fallback: previous_year}\n")
    node = rs.evaluate(survey_unit({"2022": "75"}), year=2023).node("2.1")
    assert node.score == 3
    assert node.explain().notes == [
        "no survey result published for 2023: the 2022 result is used, as the ruleset's "
        "fallback rule says"
    ]
    assert node.explain().inputs[0].name == "survey 2022"
    assert rs.evaluate(survey_unit({"2023": "50", "2022": "75"}), year=2023).node("2.1").score == 2


def test_without_fallback_a_missing_survey_year_is_an_error() -> None:
    """No fallback declared: 2022's value is not used for 2023 (PR518, no score). With the
    fallback, a value two years old is not used either."""
    plain = ruleset(SURVEY)
    result = plain.evaluate(survey_unit({"2022": "75"}), year=2023)
    assert result.node("2.1").score is None
    assert [d.code for d in result.diagnostics] == ["PR518"]
    fallback = ruleset(SURVEY, head="policies: {survey_fallback: previous_year}\n")
    old = fallback.evaluate(survey_unit({"2021": "75"}), year=2023)
    assert [d.code for d in old.diagnostics] == ["PR518"]
    assert "(or 2022)" in old.diagnostics[0].message


def test_item_fallback_overrides_the_ruleset() -> None:
    body = SURVEY.replace(
        "scoring: {method: survey, scale: 100}",
        "scoring: {method: survey, scale: 100, fallback: previous_year}",
    )
    assert ruleset(body).evaluate(survey_unit({"2022": "25"}), year=2023).node("2.1").score == 1


def evidence_units() -> list[dict[str, object]]:
    """Unit a: 1.1 = 2 with evidence, 1.2 = 3 without evidence or explanation, 2.1 = 4 without
    evidence but explained. Unit b: everything evidenced: 2 + 3 + 4 = 9."""
    doc = [{"number": "12/KH-UBND", "date": "2023-01-10", "title": "Kế hoạch CCHC"}]
    return [
        {
            "unit": "a",
            "name": "A",
            "items": {
                "1.1": {"self": "2", "evidence": doc},
                "1.2": {"self": "3"},
                "2.1": {"self": "4", "explanation": "Đang chờ văn bản của tỉnh"},
            },
        },
        {
            "unit": "b",
            "name": "B",
            "items": {k: {"self": v, "evidence": doc} for k, v in {"1.1": "2", "1.2": "3"}.items()}
            | {"2.1": {"self": "4", "evidence": doc}},
        },
    ]


def test_evidence_required_scores_zero_without_evidence() -> None:
    """Quảng Trị: items without evidence score nothing. a: 2 + 0 + 0 = 2 (1.2 and 2.1 have no
    evidence; an explanation does not replace it); b: 9. Each zeroing is a PR601 warning and
    the explanation says why 0."""
    rs = ruleset(TWO_FIELDS, head="policies: {evidence: required}\n")
    cohort = rs.evaluate_cohort(facts(evidence_units()))
    a = cohort.unit("a")
    assert [a.node(i).score for i in ("1.1", "1.2", "2.1")] == [2, 0, 0]
    assert a.score == 2 and cohort.unit("b").score == 9
    assert sorted(d.code for d in a.diagnostics) == ["PR601", "PR601"]
    explanation = a.node("1.2").explain()
    assert explanation.caps == ["3 → 0: no evidence document (tài liệu kiểm chứng)"]
    assert explanation.zero_reason is not None and "no evidence document" in explanation.zero_reason
    assert explanation.evidence == []
    assert a.node("1.1").explain().evidence == ["12/KH-UBND · 2023-01-10 · Kế hoạch CCHC"]


def test_evidence_explanation_flags_items_without_either() -> None:
    """Hà Nội, Điện Biên: without evidence the unit explains. Scores stand (2 + 3 + 4 = 9);
    1.2 has neither evidence nor explanation: PR602, flagged for the council; 2.1 is explained."""
    rs = ruleset(TWO_FIELDS, head="policies: {evidence: explanation}\n")
    a = rs.evaluate_cohort(facts(evidence_units())).unit("a")
    assert a.score == 9
    assert [(d.code, d.path[-1]) for d in a.diagnostics] == [("PR602", "1.2")]
    assert "flagged for the appraisal council" in a.node("1.2").explain().notes[0]


def test_evidence_none_takes_nothing_off() -> None:
    rs = ruleset(TWO_FIELDS)
    a = rs.evaluate_cohort(facts(evidence_units())).unit("a")
    assert a.score == 9 and a.diagnostics == []


def test_item_evidence_policy_overrides_the_ruleset() -> None:
    """Ruleset: none; leaf 1.2 declares `evidence: required`: only 1.2 is zeroed → 2 + 0 + 4."""
    body = TWO_FIELDS.replace(
        '{id: "1.2", name: Tiêu chí 1.2, max: 3, provisional: t, rule: r,',
        '{id: "1.2", name: Tiêu chí 1.2, max: 3, provisional: t, rule: r, evidence: required,',
    )
    a = ruleset(body).evaluate_cohort(facts(evidence_units())).unit("a")
    assert a.score == 6


def test_missing_policy_zero_scores_zero_and_says_so() -> None:
    """`missing: zero`: 1.2 not given → 0 (PR510, info): 2 + 0 + 4 = 6. With the default
    (error) the unit has no total."""
    given = [unit("a", {"1.1": "2", "2.1": "4"})]
    zero = ruleset(TWO_FIELDS, head="policies: {missing: zero}\n").evaluate_cohort(facts(given))
    assert zero.unit("a").score == 6
    assert [d.code for d in zero.unit("a").diagnostics] == ["PR510"]
    strict = ruleset(TWO_FIELDS).evaluate_cohort(facts(given)).unit("a")
    assert strict.score is None and [d.code for d in strict.diagnostics] == ["PR509"]


ADJUSTED = """
- id: "1"
  name: Lĩnh vực một
  max: 5
  provisional: t
  criteria:
    - {id: "1.1", name: Tiêu chí 1.1, max: 2, provisional: t, rule: r, scoring: {method: points}}
    - {id: "1.2", name: Tiêu chí 1.2, max: 3, provisional: t, rule: r, scoring: {method: points}}
    - {id: "1.3", name: Điểm thưởng, max: 1, origin: bonus, provisional: t, rule: r,
       scoring: {method: points}}
    - {id: "1.4", name: Điểm trừ, max: 2, origin: penalty, provisional: t, rule: r,
       scoring: {method: points}}
- id: "2"
  name: Lĩnh vực hai
  max: 5
  provisional: t
  criteria:
    - {id: "2.1", name: Tiêu chí 2.1, max: 5, provisional: t, rule: r, scoring: {method: points}}
"""


@pytest.mark.parametrize(
    ("scores", "field", "caps"),
    [
        # 2 + 2 + 1 (bonus) − 0.5 (penalty) = 4.5, within 0..5.
        ({"1.1": "2", "1.2": "2", "1.3": "1", "1.4": "0.5"}, "4.5", []),
        # 2 + 3 + 1 − 0 = 6 > 5: capped at the field's maximum.
        ({"1.1": "2", "1.2": "3", "1.3": "1", "1.4": "0"}, "5", ["6 capped at the maximum 5"]),
        # 0 + 0.5 + 0 − 2 = −1.5 < 0: raised to 0.
        ({"1.1": "0", "1.2": "0.5", "1.3": "0", "1.4": "2"}, "0", ["-1.5 raised to 0"]),
    ],
)
def test_bonus_and_penalty_within_caps(scores: dict[str, str], field: str, caps: list[str]) -> None:
    """Bonus and penalty sit outside field 1's maximum (5): the field's index divides by 5.
    Field 2 scores 5, so the total is field 1 + 5 of 10."""
    rs = ruleset(ADJUSTED)
    result = rs.evaluate(unit("a", scores | {"2.1": "5"}))
    node = result.node("1")
    assert node.score == Decimal(field) and node.max == 5
    assert node.explain().caps == caps
    assert result.score == Decimal(field) + 5 and result.max == 10


def test_bonus_above_its_cap_is_an_error_never_clamped() -> None:
    """The bonus item's maximum (1) is its cap: 1.5 is refused (PR506), not cut to 1."""
    result = ruleset(ADJUSTED).evaluate(
        unit("a", {"1.1": "2", "1.2": "3", "1.3": "1.5", "1.4": "0", "2.1": "5"})
    )
    assert result.node("1.3").score is None
    assert [d.code for d in result.diagnostics] == ["PR506"]


def test_without_clamp_the_bonus_may_exceed_the_maximum() -> None:
    """`clamp_total: false`: 2 + 3 + 1 − 0 = 6 of 5 stands → field index 120.00."""
    rs = ruleset(ADJUSTED, head="policies: {clamp_total: false}\n")
    result = rs.evaluate(unit("a", {"1.1": "2", "1.2": "3", "1.3": "1", "1.4": "0", "2.1": "5"}))
    assert result.node("1").score == 6
    assert result.rounded(result.node("1").index) == "120.00"


def test_excluded_unit_is_withheld_and_not_ranked_units_keep_their_reason() -> None:
    """Hà Nội: a unit found dishonest is neither evaluated nor ranked (result withheld).
    Vĩnh Long: Ban Dân tộc tỉnh is evaluated (9 of 10) but not ranked, matched by name.
    Ranked: b (8) → 1, c (7) → 2."""
    head = """\
    ranking:
      exclusion: true
      not_ranked:
        - {name: Ban Dân tộc tỉnh, reason: "Đánh giá nhưng không xếp hạng chung"}
    """
    rs = ruleset(TWO_FIELDS, head=head)
    units = [
        unit("bdt", {"1.1": "2", "1.2": "3", "2.1": "4"}, name="Ban Dân tộc tỉnh"),
        unit("x", {"1.1": "2", "1.2": "3", "2.1": "5"}, evaluated=False, reason="gian dối"),
        unit("c", {"1.1": "2", "1.2": "3", "2.1": "2"}),
        unit("b", {"1.1": "2", "1.2": "3", "2.1": "3"}),
    ]
    cohort = rs.evaluate_cohort(facts(units))
    table = rank_results(rs.compiled, cohort.units)
    assert [(u.unit, u.rank, u.reason) for u in table.units] == [
        ("b", 1, None),
        ("c", 2, None),
        ("bdt", None, "Đánh giá nhưng không xếp hạng chung"),
        ("x", None, "gian dối"),
    ]
    withheld = cohort.unit("x")
    assert withheld.score is None and withheld.nodes == {} and not withheld.ranked
    bdt = cohort.unit("bdt")
    assert bdt.score == 9 and bdt.rank is None and not bdt.ranked


def test_survey_item_without_a_sample_comes_off_the_maximum() -> None:
    """Some provinces divide by the applicable maximum when a unit has no survey sample:
    1.1 = 6, survey 2.1 not applicable → 6 of 10 − 4 = 6 → 100.00; with `fixed`, 6 of 10."""
    facts_unit = {
        "unit": "a",
        "name": "A",
        "items": {"1.1": {"self": "6"}, "2.1": {"applicable": False, "reason": "không có mẫu"}},
    }
    applicable = ruleset(SURVEY, head="policies: {not_applicable: applicable_maximum}\n")
    result = applicable.evaluate(facts_unit)
    assert (result.score, result.max, result.rounded(result.index)) == (6, 6, "100.00")
    assert [(d.item, d.points) for d in result.deductions] == [("2.1", 4)]
    fixed = ruleset(SURVEY).evaluate(facts_unit)
    assert (fixed.score, fixed.max, fixed.rounded(fixed.index)) == (6, 10, "60.00")


CONTAINERS = """
- id: "1"
  name: Lĩnh vực một
  max: 5
  provisional: t
  criteria:
    - {id: "1.1", name: Tiêu chí 1.1, max: 2, provisional: t, rule: r, scoring: {method: points}}
    - {id: "1.2", name: Tiêu chí 1.2, max: 3, provisional: t, rule: r, scoring: {method: points}}
    - id: "1.3"
      name: Điểm thưởng
      max: 1
      origin: bonus
      provisional: t
      subcriteria:
        - {id: "1.3.1", name: Sáng kiến, max: 0.5, provisional: t, rule: r,
           scoring: {method: points}}
        - {id: "1.3.2", name: Giải thưởng, max: 0.5, provisional: t, rule: r,
           scoring: {method: points}}
    - id: "1.4"
      name: Điểm trừ
      max: 2
      origin: penalty
      provisional: t
      subcriteria:
        - {id: "1.4.1", name: Vi phạm, max: 1, provisional: t, rule: r, scoring: {method: points}}
        - {id: "1.4.2", name: Chậm báo cáo, max: 1, provisional: t, rule: r,
           scoring: {method: points}}
- id: "2"
  name: Lĩnh vực hai
  max: 5
  provisional: t
  criteria:
    - {id: "2.1", name: Tiêu chí 2.1, max: 5, provisional: t, rule: r, scoring: {method: points}}
"""

CONTAINER_SCORES = {
    "1.1": "2", "1.2": "2", "1.3.1": "0.5", "1.3.2": "0.5", "1.4.1": "0.5", "1.4.2": "0",
    "2.1": "5",
}  # fmt: skip


def test_bonus_and_penalty_criteria_sum_their_own_items() -> None:
    """A bonus (or penalty) criterion holding several items is a plain sum inside: its maximum
    is its items' (0.5 + 0.5 = 1; 1 + 1 = 2) and its score their sum (1; 0.5). Only its parent
    treats it as an adjustment: field 1 = 2 + 2 + 1 (bonus) − 0.5 (penalty) = 4.5 of 5, the
    total 4.5 + 5 = 9.5 of 10. The compiler accepts the maxima (no PR204)."""
    rs = ruleset(CONTAINERS)
    result = rs.evaluate(unit("a", CONTAINER_SCORES))
    bonus, penalty = result.node("1.3"), result.node("1.4")
    assert (bonus.score, bonus.max) == (Decimal(1), Decimal(1))
    assert (penalty.score, penalty.max) == (Decimal("0.5"), Decimal(2))
    assert (result.node("1").score, result.node("1").max) == (Decimal("4.5"), Decimal(5))
    assert (result.score, result.max) == (Decimal("9.5"), Decimal(10))


def test_bonus_and_penalty_criteria_agree_on_the_batch_path() -> None:
    """The column engine sums containers the same way: every node equals the exact path."""
    from ..batch.helpers import mismatches

    rs = ruleset(CONTAINERS)
    units = [
        unit("a", CONTAINER_SCORES),
        unit("b", CONTAINER_SCORES | {"1.4.1": "1", "1.4.2": "1", "1.1": "0", "1.2": "1"}),
    ]
    batch = rs.evaluate_many(units)
    assert mismatches(rs, batch, units) == []
    assert batch.column("1", "score")[1] == "0.00"  # 0 + 1 + 1 − 2 = 0


def test_not_ranked_names_match_whatever_their_case_spacing_or_unicode_form() -> None:
    """The ruleset writes "Ban Dân tộc tỉnh"; a facts file typed elsewhere may hold it in
    decomposed Unicode (NFD), in other case, with doubled or no-break spaces. Both the exact
    and the batch path leave such a unit unranked, with the ruleset's reason; a unit whose
    name only resembles it ("Ban Dân tộc huyện") is ranked."""
    import unicodedata

    head = """\
    ranking:
      not_ranked:
        - {name: Ban Dân tộc tỉnh, reason: "Đánh giá nhưng không xếp hạng chung"}
    """
    rs = ruleset(TWO_FIELDS, head=head)
    spellings = [
        unicodedata.normalize("NFD", "Ban Dân tộc tỉnh"),
        "BAN DÂN TỘC  TỈNH",
        "ban\u00a0dân tộc tỉnh ",
    ]
    units = [
        unit(f"u{i}", {"1.1": "2", "1.2": "3", "2.1": "4"}, name=name)
        for i, name in enumerate([*spellings, "Ban Dân tộc huyện"])
    ]
    cohort = rs.evaluate_cohort(facts(units))
    assert [(u.ranked, u.reason) for u in cohort.units] == [
        *[(False, "Đánh giá nhưng không xếp hạng chung")] * 3,
        (True, None),
    ]
    batch = rs.evaluate_many(units)
    assert list(batch.ranked) == [False, False, False, True]
