"""`parindex describe` shows the workflow the decision states (deadlines with their day, the
day itself, the lock; appraisal bodies; reports_to; the data period), each marked sourced or
provisional; `--expanded` carries the PROVISIONAL banner on its first line and stays a ruleset
file; `--expanded --format json` gives the document as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import parindex_rules as pr

from ..conftest import EXAMPLES
from ._support import cli_text

CAMAU = str(EXAMPLES / "camau-2013" / "ruleset.yaml")


def workflow_lines(out: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index("workflow:")
    end = lines.index("", start)
    return lines[start + 1 : end]


def test_hanoi_shows_the_data_period_and_the_dated_deadline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Guidance mục 1: "từ ngày 01/01/2023 hết ngày 30/11/2023, ước tính đến 31/12/2023";
    mục 3: "chậm nhất ngày 30/11/2023. Sau ngày 30/11/2023, Hệ thống phần mềm sẽ tự động đóng"
    (so the day itself is on time, and the software locks)."""
    code, out, _err = cli_text(capsys, "describe", "hanoi-2023/so")
    assert code == 0
    assert workflow_lines(out) == [
        "  deadline submission: 30/11/2023 — Gửi kết quả tự chấm trên Hệ thống phần mềm Chấm "
        "điểm chỉ số CCHC (https://parindex.hanoi.gov.vn/)  [sourced]",
        "      30/11/2023 itself: on time; the scoring software locks after it",
        "  appraisal: Hội đồng thẩm định, xác định Chỉ số CCHC năm 2023 của Thành phố  [sourced]",
        "  data period: 01/01/2023 – 30/11/2023, estimated to 31/12/2023  [sourced]",
    ]


def test_quangtri_xa_marks_the_reading_and_the_provisional_appraisal_body(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """30/11 and the lock are stated (sourced); whether 30/11 itself is allowed is a reading;
    that the district appraises is a reading too. Each reason is listed at the end."""
    code, out, _err = cli_text(capsys, "describe", "quangtri-2019/xa")
    assert code == 0
    assert workflow_lines(out) == [
        "  reports to: UBND cấp huyện (qua Phòng Nội vụ)  [sourced]",
        "  deadline submission: 30/11/2019 (yearly 30/11) — Gửi kết quả tự đánh giá, chấm điểm "
        "qua phần mềm quản lý chấm điểm Chỉ số CCHC (danhgiahanhchinh.quangtri.gov.vn)  [sourced]",
        "      30/11 itself: late [provisional reading]; the scoring software locks after it",
        "  appraisal: UBND cấp huyện (qua Phòng Nội vụ)  [provisional]",
    ]
    listed = out.split("provisional settings, readings of rules and derived values:\n", 1)[1]
    assert "  workflow.deadlines[0].inclusive: Nguồn ('chậm nhất trước ngày 30/11" in listed
    assert "  workflow.appraisal[0]: Nguồn chỉ nói xã báo cáo UBND cấp huyện" in listed
    assert "  policies.not_applicable: Cách đọc tạm." in listed
    assert len(listed.splitlines()) == len(pr.load("quangtri-2019/xa").compiled.settings) == 10


def test_vinhlong_so_shows_both_deadlines_and_the_council(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QĐ 1877 IV.2.c "chậm nhất vào ngày 15/12" (the day on time); IV.2.d "trước ngày 15/01
    của năm sau liền kề" (the year after; 15/01 itself late by a provisional reading)."""
    code, out, _err = cli_text(capsys, "describe", "vinhlong-2023/so")
    assert code == 0
    assert workflow_lines(out) == [
        "  reports to: Sở Nội vụ  [sourced]",
        "  deadline submission: 15/12/2023 (yearly 15/12) — Gửi kết quả tự đánh giá, chấm điểm "
        "về Sở Nội vụ  [sourced]",
        "      15/12 itself: on time",
        "  deadline appraisal_result: 15/01/2024 (yearly 15/01, the year after) — Hoàn chỉnh "
        "kết quả thẩm định, xác định Chỉ số CCHC của các sở, ban, ngành tỉnh  [sourced]",
        "      15/01 itself: late [provisional reading]",
        "  appraisal: Hội đồng thẩm định điểm số Chỉ số CCHC, convened by Sở Nội vụ  [sourced]",
    ]


def test_no_workflow_no_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli_text(capsys, "describe", CAMAU)
    assert code == 0 and "workflow:" not in out.splitlines()
    assert "provisional settings, readings" not in out


@pytest.mark.parametrize("ref", ["quangtri-2019/huyen", "hanoi-2023/so"])
def test_expanded_starts_with_the_banner_and_stays_loadable(
    ref: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = cli_text(capsys, "describe", ref, "--expanded")
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith(f"# PROVISIONAL — ruleset {ref} ")
    path = tmp_path / "expanded.yaml"
    path.write_text(out, encoding="utf-8")
    assert pr.load(path).compiled.fingerprint() == pr.load(ref).compiled.fingerprint()


def test_expanded_of_an_official_ruleset_has_no_banner(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli_text(capsys, "describe", CAMAU, "--expanded")
    assert code == 0 and "PROVISIONAL" not in out
    assert not out.startswith("#")


@pytest.mark.parametrize(("ref", "provisional"), [("quangtri-2019/so", True), (CAMAU, False)])
def test_expanded_json(
    ref: str, provisional: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = cli_text(capsys, "describe", ref, "--expanded", "--format", "json")
    assert code == 0
    data = json.loads(out)
    rs = pr.load(ref)
    assert (data["ruleset"], data["provisional"]) == (rs.id, provisional)
    # Decimals as strings (exactness), read back to the same ruleset.
    assert data["document"]["id"] == rs.id
    path = tmp_path / "expanded.json"
    path.write_text(json.dumps(data["document"], ensure_ascii=False), encoding="utf-8")
    assert pr.load(path).compiled.fingerprint() == rs.compiled.fingerprint()


#: One sourced leaf (1.1, 6 points), one provisional leaf (1.2, 4 points), a provisional
#: parameter, and a sourced deadline whose day-itself reading is provisional.
MIXED = """\
id: thu-2024/so
title: Bộ chỉ số thử
province: Thử
level: so
year: 2024
decision: {number: 1/QĐ-THU}
max: 10
source: {document: qd, part: "1"}
workflow:
  deadlines:
    - id: submission
      what: Gửi kết quả tự chấm
      day: "30/11"
      inclusive: {value: false, provisional: "'trước ngày 30/11' không nói chính ngày 30/11"}
      source: {document: qd, part: "3"}
documents:
  qd: {title: Quyết định thử}
parameters:
  he_so: {value: 0.5, provisional: "hệ số 0,5 là cách đọc tạm"}
fields:
  - id: "1"
    name: Lĩnh vực một
    max: 10
    source: {document: qd, row: "1"}
    criteria:
      - id: "1.1"
        name: Tỷ lệ
        max: 6
        rule: "Điểm = a × 0,5, tối đa 6"
        source: {document: qd, row: "1.1"}
        inputs:
          a: {label: a, kind: number}
        scoring: {method: formula, formula: "min(a * he_so, max)"}
      - id: "1.2"
        name: Điểm trực tiếp
        max: 4
        rule: "Điểm tự chấm"
        provisional: "mục 1.2 là giữ chỗ"
        scoring: {method: points}
"""


def test_describe_json_counts_and_lists_what_is_provisional(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """By hand from MIXED: nodes total, 1, 1.1 are sourced and 1.2 is not (3 and 1); leaf
    points 6 sourced (1.1) and 4 provisional (1.2); two settings, the parameter and the day
    itself — the deadline's day is sourced, so `workflow.deadlines[0]` is not listed."""
    path = tmp_path / "thu.yaml"
    path.write_text(MIXED, encoding="utf-8")
    code, out, _err = cli_text(capsys, "describe", str(path), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["ruleset"], data["provisional"]) == ("thu-2024/so", True)
    assert data["provenance"] == {
        "sourced_nodes": 3,
        "provisional_nodes": 1,
        "provisional_points": "4",
        "sourced_points": "6",
        "provisional_readings": 0,
        "provisional_derived": 0,
        "provisional_settings": 2,
        "settings": {
            "workflow.deadlines[0].inclusive": "'trước ngày 30/11' không nói chính ngày 30/11",
            "parameters.he_so": "hệ số 0,5 là cách đọc tạm",
        },
    }
    # The text form agrees, banner first; --expanded keeps the banner first too.
    code, out, _err = cli_text(capsys, "describe", str(path))
    assert out.splitlines()[0].startswith("PROVISIONAL — ruleset thu-2024/so ")
    code, out, _err = cli_text(capsys, "describe", str(path), "--expanded")
    assert out.splitlines()[0].startswith("# PROVISIONAL — ruleset thu-2024/so ")


def test_describe_json_of_an_official_ruleset(capsys: pytest.CaptureFixture[str]) -> None:
    """Cà Mau's extract: every node sourced, its 7 points all sourced, nothing listed."""
    code, out, _err = cli_text(capsys, "describe", CAMAU, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["provisional"] is False
    provenance = data["provenance"]
    assert (provenance["provisional_nodes"], provenance["provisional_points"]) == (0, "0")
    assert (provenance["sourced_points"], data["max"]) == ("7", "7")
    assert provenance["settings"] == {}
