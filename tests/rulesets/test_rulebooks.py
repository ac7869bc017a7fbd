"""Each province ruleset against what shared/reference/rulebooks.md says its decision states.

Expected figures are copied from rulebooks.md (§1 Vĩnh Long, §2 Hà Nội, §3 Quảng Trị), never
read back from the rulesets: counts, field names, the maximum, the point split by origin, and
which fields hold survey items.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import parindex_rules as pr
from parindex_rules.diagnostics import RulesetError

from ._support import HANOI, PROVINCE_IDS, QUANGTRI, RULESETS, VINHLONG, cli_json, ruleset

# rulebooks.md §1: field names (exact) and TC/TCTP per field for each set.
VL_FIELDS = [
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế xã hội",
]
VL_COUNTS = {
    "so": [(8, 10), (4, 11), (5, 15), (3, 12), (6, 18), (3, 14), (3, 14), (2, 5)],
    "huyen": [(9, 12), (4, 11), (5, 16), (3, 11), (6, 18), (3, 14), (4, 17), (4, 9)],
    "xa": [(9, 11), (3, 7), (5, 15), (3, 2), (5, 11), (3, 10), (3, 14), (4, 9)],
}
VL_TOTALS = {"so": (8, 34, 99), "huyen": (8, 38, 108), "xa": (8, 35, 79)}
VL_SPLIT = {
    "so": {"assessed": "66", "survey": "34"},
    "huyen": {"assessed": "66", "survey": "34"},
    "xa": {"assessed": "79", "survey": "21"},
}
# Fields holding survey items besides criterion 8.1 (SIPAS).
VL_SURVEY_FIELDS = {"so": {"2", "4", "5", "6", "7"}, "huyen": {"2", "4", "5", "6", "7"}}
VL_SURVEY_FIELDS["xa"] = {"5", "6", "7"}
SIPAS = "Kết quả chỉ số hài lòng (SIPAS)"


@pytest.mark.parametrize("ruleset_id", VINHLONG)
def test_vinhlong_describe_json_gives_the_decisions_figures(
    ruleset_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = cli_json(capsys, "describe", ruleset_id, "--format", "json")
    fields, criteria, subcriteria = VL_TOTALS[ruleset_id.split("/")[1]]
    assert data["ruleset"] == ruleset_id
    assert (data["fields"], data["criteria"], data["subcriteria"]) == (
        fields,
        criteria,
        subcriteria,
    )
    assert data["max"] == "100"
    assert data["points_by_origin"] == VL_SPLIT[ruleset_id.split("/")[1]]
    assert data["decision"]["number"] == "1877/QĐ-UBND"
    assert data["decision"]["date"] == "2023-08-11"
    assert data["decision"]["replaces"] == ["2426/QĐ-UBND"]
    assert data["year"] == 2023
    assert data["provisional"] is True


@pytest.mark.parametrize("ruleset_id", VINHLONG)
def test_vinhlong_fields_carry_exact_names_and_counts(ruleset_id: str) -> None:
    set_ = ruleset_id.split("/")[1]
    rs = ruleset(ruleset_id)
    fields = [rs.node(c) for c in rs.compiled.root.children]
    assert [f.id for f in fields] == [str(i) for i in range(1, 9)]
    assert [f.name for f in fields] == VL_FIELDS
    for field, (criteria, subcriteria), model in zip(
        fields, VL_COUNTS[set_], rs.document.fields, strict=True
    ):
        assert len(field.children) == criteria, field.id
        assert sum(len(rs.node(c).children) for c in field.children) == subcriteria, field.id
        # The counts are declared on the field, sourced, so the compiler checks them.
        assert model.declared is not None
        assert (model.declared.criteria, model.declared.subcriteria) == (criteria, subcriteria)
        assert model.declared.source is not None
        assert model.declared.source.quote is not None
        assert model.declared.source.quote.startswith(f"+ {field.name}:")


@pytest.mark.parametrize("ruleset_id", VINHLONG)
def test_vinhlong_survey_items_sit_only_where_the_decision_says(ruleset_id: str) -> None:
    """8.1 (SIPAS) is survey in every set; other survey leaves only in the named fields."""
    set_ = ruleset_id.split("/")[1]
    rs = ruleset(ruleset_id)
    sipas = rs.node("8.1")
    assert sipas.name == SIPAS
    assert sipas.origin.value == "survey"
    survey_fields = set()
    for leaf in rs.compiled.leaves():
        field = leaf.id.split(".")[0]
        under_sipas = leaf.id.startswith("8.1.") or leaf.id == "8.1"
        if under_sipas:
            assert leaf.origin.value == "survey", leaf.id
            assert leaf.method.name == "survey", leaf.id
        elif leaf.origin.value == "survey":
            survey_fields.add(field)
        else:
            assert leaf.origin.value == "assessed", leaf.id
    assert survey_fields == VL_SURVEY_FIELDS[set_]


@pytest.mark.parametrize("ruleset_id", VINHLONG[:2])
def test_vinhlong_so_huyen_survey_items_read_the_ministrys_survey(ruleset_id: str) -> None:
    rs = ruleset(ruleset_id)
    ministry = [
        leaf
        for leaf in rs.compiled.leaves()
        if leaf.origin.value == "survey" and not leaf.id.startswith("8.1")
    ]
    assert ministry
    for leaf in ministry:
        assert leaf.method.name == "survey"
        assert "Bộ Nội vụ công bố hàng năm" in (leaf.basis or "")
    policy = rs.document.policies.survey_fallback
    assert policy.value == "previous_year"
    assert policy.source is not None and "năm trước liền kề" in (policy.source.quote or "")


def test_vinhlong_xa_survey_items_are_scored_on_the_district_offices_remarks() -> None:
    rs = ruleset("vinhlong-2023/xa")
    remarks = [
        leaf
        for leaf in rs.compiled.leaves()
        if leaf.origin.value == "survey" and not leaf.id.startswith("8.1")
    ]
    assert {leaf.id.split(".")[0] for leaf in remarks} == {"5", "6", "7"}
    for leaf in remarks:
        assert leaf.method.name == "points"  # the council gives the points
        assert "phòng chuyên môn huyện" in (leaf.basis or "")
    # Counted in the 21 survey points all the same.
    assert rs.points_by_origin()["survey"] == "21"


@pytest.mark.parametrize("ruleset_id", VINHLONG)
def test_vinhlong_stated_policies_are_sourced(ruleset_id: str) -> None:
    doc = ruleset(ruleset_id).document
    assert doc.policies.not_applicable.value == "fixed"
    assert "tổng điểm tối đa (100 điểm)" in (doc.policies.not_applicable.source.quote or "")
    assert doc.source is not None and "100" in (doc.source.quote or "")
    assert doc.declared is not None and doc.declared.source is not None


def test_vinhlong_ranking_and_workflow_as_stated() -> None:
    so, huyen, xa = (ruleset(i).document for i in VINHLONG)
    assert so.ranking.within == "all" and "từ cao xuống thấp" in so.ranking.source.quote
    assert {r.name for r in so.ranking.not_ranked} == {"Ban Dân tộc tỉnh", "Thanh tra tỉnh"}
    for rule in so.ranking.not_ranked:
        assert "không xếp hạng chung" in rule.reason
        assert rule.source is not None and "không xếp hạng chung" in rule.source.quote
    assert huyen.ranking.not_ranked == [] and xa.ranking.not_ranked == []
    assert xa.ranking.within == "group"
    assert "công bố xếp hạng Chỉ số CCHC của UBND cấp xã" in xa.ranking.source.quote
    # Deadlines: xã → district 30/11; sở → Sở Nội vụ 15/12; huyện → Sở Nội vụ 20/12.
    submission = {
        doc.level.value: next(d for d in doc.workflow.deadlines if d.id == "submission")
        for doc in (so, huyen, xa)
    }
    # "chậm nhất vào ngày 15/12": the day itself is allowed, as stated (no reading).
    assert {k: (d.day, d.inclusive.value) for k, d in submission.items()} == {
        "so": ("15/12", True),
        "huyen": ("20/12", True),
        "xa": ("30/11", True),
    }
    assert all(d.source is not None for d in submission.values())
    assert all(d.inclusive.provisional is None for d in submission.values())
    for level, day in (("so", "15/12"), ("huyen", "20/12"), ("xa", "30/11")):
        assert f"chậm nhất vào ngày {day}" in submission[level].source.quote
    assert xa.workflow.reports_to.value == "UBND cấp huyện"
    assert so.workflow.reports_to.value == huyen.workflow.reports_to.value == "Sở Nội vụ"
    # Appraisal bodies: Sở Nội vụ convenes for sở and huyện; the district for xã.
    assert [a.convened_by for a in so.workflow.appraisal] == ["Sở Nội vụ"]
    assert [a.convened_by for a in huyen.workflow.appraisal] == ["Sở Nội vụ"]
    assert [a.convened_by for a in xa.workflow.appraisal] == ["UBND cấp huyện"]
    assert "Phòng Nội vụ chủ trì" in xa.workflow.appraisal[0].source.quote
    # Final result "trước ngày 15/01 của năm sau liền kề": the date is stated (sourced, IV.2.d);
    # whether 15/01 itself counts is not — the literal reading (excluded) is provisional.
    for doc in (so, huyen):
        result = next(d for d in doc.workflow.deadlines if d.id == "appraisal_result")
        assert (result.day, result.year) == ("15/01", "next")
        assert result.provisional is None and result.source.part == "IV.2.d"
        assert "trước ngày 15/01 của năm sau liền kề" in result.source.quote
        assert result.inclusive.value is False
        assert "trước ngày 15/01" in result.inclusive.provisional
    assert [d.id for d in xa.workflow.deadlines] == ["submission"]


@pytest.mark.parametrize("ruleset_id", HANOI)
def test_hanoi_stated_rules(ruleset_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    rs = ruleset(ruleset_id)
    doc = rs.document
    assert doc.decision.number == "4190/QĐ-UBND" and doc.decision.date == "2023-08-22"
    assert doc.year == 2023
    # Content I, criterion 8: exact name, council only.
    field = rs.node("I")
    assert field.name == "Công tác chỉ đạo điều hành CCHC"
    i8 = rs.node("I.8")
    assert i8.name == (
        "Hiệu quả triển khai các nhiệm vụ CCHC theo lĩnh vực được phân công nhằm cải thiện các "
        "chỉ số PAR-Index, PAPI, SIPAS... của Thành phố"
    )
    assert i8.origin.value == "appraisal_only" and i8.method.name == "appraisal_only"
    assert rs.node("I.8").parent == "I"
    # Survey criteria exist and are survey items (never self-scored).
    survey = [leaf for leaf in rs.compiled.leaves() if leaf.origin.value == "survey"]
    assert survey
    # Evidence with explanation where missing; exclusion of dishonest units.
    assert doc.policies.evidence.value == "explanation"
    assert "Giải trình" in doc.policies.evidence.source.quote
    assert doc.ranking.exclusion.value is True
    assert "thiếu trung thực" in doc.ranking.exclusion.source.quote
    # Data period and deadline with the lock.
    period = doc.workflow.data_period
    assert (period.start, period.end, period.estimated_to) == (
        "2023-01-01",
        "2023-11-30",
        "2023-12-31",
    )
    assert period.source is not None
    (deadline,) = doc.workflow.deadlines
    assert (deadline.date, deadline.inclusive.value, deadline.locks) == ("2023-11-30", True, True)
    # "chậm nhất ngày 30/11/2023" states that the day itself is allowed; the lock is stated.
    assert deadline.inclusive.provisional is None and deadline.provisional is None
    assert "chậm nhất ngày 30/11/2023" in deadline.source.quote
    assert "tự động đóng" in deadline.source.quote
    # The structure is provisional and says whose shape it borrows.
    data = cli_json(capsys, "describe", ruleset_id, "--format", "json")
    assert data["provisional"] is True
    assert data["provenance"]["sourced_nodes"] == 0
    assert "3598" in doc.provenance.provisional_rule
    assert "không phải của QĐ 4190" in doc.provenance.provisional_rule
    assert "3598" in doc.provisional and "không phải của QĐ 4190" in doc.provisional


@pytest.mark.parametrize("ruleset_id", QUANGTRI)
def test_quangtri_stated_rules(ruleset_id: str) -> None:
    rs = ruleset(ruleset_id)
    doc = rs.document
    assert doc.decision.number == "2896/QĐ-UBND" and doc.decision.amends == ["3009/QĐ-UBND"]
    assert doc.decision.date == "2019-10-24"
    assert "3501/QĐ-UBND" in doc.decision.note and "23/03/2022" in doc.decision.note
    assert doc.policies.evidence.value == "required"
    assert "không được tính điểm" in doc.policies.evidence.source.quote
    # "Số điểm được trừ vào tổng số điểm tối đa (ghi các TC, TCTP cụ thể được trừ)" asks for
    # the points taken off, item by item; that the index then divides by the reduced maximum is
    # not stated: a reading, provisional, with the quote kept in its reason.
    not_applicable = doc.policies.not_applicable
    assert not_applicable.value == "applicable_maximum"
    assert not_applicable.source is None
    assert "Số điểm được trừ vào tổng số điểm tối đa" in not_applicable.provisional
    assert "cách đọc" in not_applicable.provisional
    # 30/11 and the lock are stated (sourced); only whether 30/11 itself is allowed is a reading.
    (deadline,) = doc.workflow.deadlines
    assert (deadline.day, deadline.locks) == ("30/11", True)
    assert deadline.provisional is None and deadline.source.document == "hd_snv_qt"
    assert "chậm nhất trước ngày 30/11 hàng năm" in deadline.source.quote
    assert "phần mềm sẽ tự động khóa" in deadline.source.quote
    assert deadline.inclusive.value is False and deadline.source is not None
    assert "chậm nhất trước ngày 30/11" in deadline.inclusive.provisional
    provisional = dict(ruleset(ruleset_id).compiled.provisional_settings)
    assert ("workflow", "deadlines", 0, "inclusive") in provisional
    assert ("policies", "not_applicable") in provisional
    assert ("workflow", "deadlines", 0) not in provisional
    labels = [c.label for c in doc.classes]
    assert labels[:2] == ["Tốt", "Khá"]
    assert all(c.provisional for c in doc.classes)


def test_quangtri_huyen_has_the_published_counts(capsys: pytest.CaptureFixture[str]) -> None:
    data = cli_json(capsys, "describe", "quangtri-2019/huyen", "--format", "json")
    assert (data["fields"], data["criteria"]) == (7, 42)
    declared = ruleset("quangtri-2019/huyen").document.declared
    assert (declared.fields, declared.criteria) == (7, 42)
    assert declared.source is not None and declared.source.document == "vinhlinh"


def test_quangtri_xa_report_to_their_district() -> None:
    xa = ruleset("quangtri-2019/xa").document
    assert xa.workflow.reports_to.value.startswith("UBND cấp huyện")
    assert "báo cáo UBND cấp huyện (qua Phòng Nội vụ)" in xa.workflow.reports_to.source.quote
    for other in ("quangtri-2019/so", "quangtri-2019/huyen"):
        assert "Sở Nội vụ" in ruleset(other).document.workflow.reports_to.value


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_every_maximum_is_a_clean_decimal_and_parents_add_up(ruleset_id: str) -> None:
    """Maxima are multiples of 0.25 and every parent is the sum of its children."""
    rs = ruleset(ruleset_id)
    for node in rs.nodes.values():
        assert node.max % Decimal("0.25") == 0, (node.id, node.max)
        if node.children:
            assert sum(rs.node(c).max for c in node.children) == node.max, node.id
    assert rs.compiled.root.max == Decimal(100)


@pytest.mark.parametrize("ruleset_id", VINHLONG)
def test_compiler_checks_the_declared_counts_and_split(ruleset_id: str) -> None:
    """Change one declared figure and the ruleset no longer compiles (PR205 / PR206)."""
    path = RULESETS / f"{ruleset_id}.yaml"
    text = path.read_text(encoding="utf-8")
    field_counts = re.sub(
        r"criteria: (\d+)\n      subcriteria", "criteria: 99\n      subcriteria", text, count=1
    )
    split = re.sub(r"points_by_origin: \{assessed: (\d+),", "points_by_origin: {assessed: 1,", text)
    for changed, code in ((field_counts, "PR205"), (split, "PR206")):
        assert changed != text
        with pytest.raises(RulesetError) as raised:
            pr.loads(changed, str(path))
        assert code in {d.code for d in raised.value.diagnostics}
