"""Facts in .xlsx: the template of `parindex template --format xlsx`, filled, reads back exactly.

Scores are those worked out by hand in tests/test_example_camau.py (Cà Mau: A 6 → 85.71 %,
B 4.5 → 64.29 %, C 5.5 → 78.57 %) and in tests/audit/rich.py for the ruleset with every kind of
facts row (u-a: 0.5 + 1 + 1 + 0.5 + 1 + 1.25 + 1.5 + 3.5 = 10.25 of 16; u-b: 8 of 16).
"""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.diagnostics import DiagnosticError, FactsError, sort_diagnostics
from parindex_rules.readers import read_facts
from parindex_rules.sheets.template import xlsx_template

from .helpers import FACTS, RULESET, fill_template
from .rich import rich_ruleset, write_cohort


def scores(ruleset: pr.Ruleset, facts: pr.Facts) -> dict[str, tuple[object, ...]]:
    """Every unit's total, maximum, ranking details and every node's score and status."""
    cohort = ruleset.evaluate_cohort(facts)
    assert cohort.ok, [d.format() for d in cohort.all_diagnostics()]
    return {
        u.unit: (
            u.score,
            u.max,
            u.ranked,
            u.reason,
            u.group,
            tuple((n, r.score, r.status) for n, r in u.nodes.items()),
        )
        for u in cohort.units
    }


def test_camau_round_trip_from_the_cli_template(tmp_path: Path) -> None:
    """facts.yaml → `parindex template --format xlsx` → filled by a person → same scores."""
    template = tmp_path / "mau.xlsx"
    assert main(["template", str(RULESET), "--format", "xlsx", "--out", str(template)]) == 0
    filled = tmp_path / "so-lieu.xlsx"
    filled.write_bytes(fill_template(template.read_bytes(), FACTS))
    ruleset = pr.load(RULESET)
    from_xlsx = read_facts(filled, ruleset=ruleset)
    assert scores(ruleset, from_xlsx) == scores(ruleset, pr.load_facts(FACTS))
    cohort = ruleset.evaluate_cohort(from_xlsx)
    assert [u.rounded(u.index) for u in cohort.units] == ["85.71", "64.29", "78.57"]
    # Where a value came from is the sheet and cell, in the explanation too.
    source = cohort.unit("don-vi-a").node("1.1.4").explain().inputs[0].source
    assert "sheet 'don-vi-a', cell E" in source


def test_every_kind_of_row_round_trips(tmp_path: Path) -> None:
    ruleset = rich_ruleset()
    cohort_yaml = write_cohort(tmp_path)
    filled = tmp_path / "cohort.xlsx"
    filled.write_bytes(fill_template(xlsx_template(ruleset), cohort_yaml))
    from_xlsx = read_facts(filled, ruleset=ruleset)
    assert scores(ruleset, from_xlsx) == scores(ruleset, pr.load_facts(cohort_yaml))
    a = from_xlsx.unit("u-a")
    assert a.name == "Đơn vị A <b>&"
    assert a.items["1.3"].evidence[0].number == "12/KH-UBND"
    assert a.items["1.3"].evidence[0].date == "2024-01-10"
    assert a.items["1.3"].explanation == "Đã nộp đủ"
    assert a.items["1.4"].self_ == {"du_so_luong": True, "dung_han": False}
    b = from_xlsx.unit("u-b")
    assert (b.ranked, b.reason) == (False, "Mới thành lập")
    assert b.items["1.3"].applicable is False
    assert b.items["1.3"].reason == "Không phát sinh hồ sơ"
    result = pr.load_facts(cohort_yaml)
    assert ruleset.evaluate_cohort(from_xlsx).unit("u-a").score == Decimal("10.25")
    assert result.unit("u-a").items.keys() == a.items.keys()


def template_rows(data: bytes) -> tuple[list[str], list[tuple[object, ...]]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Đơn vị 1"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "STT")
    return [str(h) for h in rows[header]], rows[header + 1 :]


def test_the_template_lists_every_leaf_with_its_rule_in_the_annex_layout() -> None:
    ruleset = rich_ruleset()
    headers, rows = template_rows(xlsx_template(ruleset))
    assert headers[:5] == [
        "STT",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "Điểm tối đa",
        "Cách chấm điểm",
        "Điểm tự đánh giá",
    ]
    assert "Thẩm định lần 1" in headers and "Tài liệu kiểm chứng" in headers
    keys = [r[headers.index("Mã")] for r in rows]
    assert keys == [
        "1", "1.1", "1.2", "1.3", "dung_han", "tong_so", "1.4", "du_so_luong", "dung_han",
        "1.5", "1.6", "1.7", "1.8",
    ]  # fmt: skip
    by_key = {r[headers.index("Mã")]: r for r in rows if r[0] is not None}
    assert by_key["1.3"][headers.index("Điểm tối đa")] == 3
    guide = by_key["1.1"][headers.index("Cách chấm điểm")]
    assert guide.startswith("Kịp thời: 1 · Không kịp thời: 0,5")
    assert "Ghi một trong: Kịp thời; Không kịp thời; Không ban hành." in guide
    assert "Hội đồng thẩm định chấm" in by_key["1.7"][headers.index("Cách chấm điểm")]


def test_provisional_template_carries_a_banner() -> None:
    data = xlsx_template(rich_ruleset())
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Đơn vị 1"]
    assert str(sheet["A2"].value).startswith("TẠM THỜI (PROVISIONAL)")


def errors(path: Path, ruleset: pr.Ruleset) -> list[str]:
    try:
        facts = read_facts(path, ruleset=ruleset)
    except FactsError as exc:
        return [d.format() for d in exc.diagnostics]
    found = ruleset.evaluate_cohort(facts).all_diagnostics()
    return [d.format() for d in sort_diagnostics(found) if d.is_error]


def test_errors_name_the_sheet_the_cell_and_the_item(tmp_path: Path) -> None:
    ruleset = pr.load(RULESET)
    workbook = openpyxl.load_workbook(io.BytesIO(fill_template(xlsx_template(ruleset), FACTS)))
    sheet = workbook["don-vi-b"]
    header = next(r for r in range(1, 40) if sheet.cell(row=r, column=1).value == "STT")
    row_of = {sheet.cell(row=r, column=13).value: r for r in range(header + 1, header + 12)}
    sheet.cell(row=row_of["1.1.2"], column=5, value="Ban hành chậm")
    sheet.cell(row=row_of["1.1.4"], column=5, value=120)
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    found = errors(path, ruleset)
    r2, r4 = row_of["1.1.2"], row_of["1.1.4"]
    assert found == [
        f"{path}:{r2}:5: PR511 unit don-vi-b: item 1.1.2: 'Ban hành chậm' is not an outcome of "
        f"this item [sheet 'don-vi-b', cell E{r2}] (at units[1].items['1.1.2'].self; hint: one "
        "of: day_du = 'Xác định đầy đủ nhiệm vụ và có bố trí kinh phí'; khong_day_du = 'Không "
        "xác định đầy đủ nhiệm vụ hoặc không bố trí kinh phí')",
        f"{path}:{r4}:5: PR505 unit don-vi-b: input ty_le_thuc_hien = 120 is outside 0 to 100 "
        f"(a percentage) [sheet 'don-vi-b', cell E{r4}] (at units[1].items['1.1.4'].self)",
    ]


def test_layout_problems_are_all_reported_with_their_cells(tmp_path: Path) -> None:
    ruleset = pr.load(RULESET)
    workbook = openpyxl.load_workbook(io.BytesIO(fill_template(xlsx_template(ruleset), FACTS)))
    sheet = workbook["don-vi-a"]
    header = next(r for r in range(1, 40) if sheet.cell(row=r, column=1).value == "STT")
    sheet.cell(row=header, column=14, value="Người phụ trách")  # a column the layout lacks
    sheet.cell(row=header + 3, column=13, value="1.1.9")  # an item the ruleset lacks
    sheet.cell(row=header + 3, column=1, value="1.1.9")
    sheet.cell(row=2, column=1, value="Số điện thoại")
    sheet.cell(row=2, column=2, value="0290 123")
    workbook.create_sheet("Ghi chép").append(["ghi chú tự do"])
    workbook.create_sheet("_nháp").append(["bỏ qua"])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    with pytest.raises(FactsError) as info:
        read_facts(path, ruleset=ruleset)
    found = [(d.code, d.line, d.column, d.message) for d in info.value.diagnostics]
    assert found == [
        ("PR820", 1, 1, "sheet 'Ghi chép' has no header row (STT, Điểm tự đánh giá, ...); name "
         "it with a leading _ if it is not a unit sheet [sheet 'Ghi chép', cell A1]"),
        ("PR821", 2, 1, "unknown unit detail 'Số điện thoại' [sheet 'don-vi-a', cell A2]"),
        ("PR821", header, 14, f"unknown column 'Người phụ trách' [sheet 'don-vi-a', cell "
         f"N{header}]"),
        ("PR822", header + 3, 13, f"item '1.1.9' is not in ruleset camau-2013/so-trich [sheet "
         f"'don-vi-a', cell M{header + 3}]"),
    ]  # fmt: skip


def test_a_condition_mark_must_be_yes_or_no(tmp_path: Path) -> None:
    ruleset = rich_ruleset()
    data = fill_template(xlsx_template(ruleset), write_cohort(tmp_path))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["u-a"]
    row = next(r for r in range(1, 60) if sheet.cell(row=r, column=13).value == "du_so_luong")
    sheet.cell(row=row, column=5, value="có lẽ")
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    with pytest.raises(FactsError) as info:
        read_facts(path, ruleset=ruleset)
    [problem] = info.value.diagnostics
    assert (problem.code, problem.line, problem.column) == ("PR824", row, 5)
    assert "item 1.4, condition du_so_luong: write x (met) or không" in problem.message


def test_not_an_xlsx_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    assert main(["score", str(RULESET), "--facts", str(path)]) == 1
    assert "PR826 cannot read the workbook: not an .xlsx file" in capsys.readouterr().err


def test_missing_openpyxl_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    out = tmp_path / "mau.xlsx"
    assert main(["template", str(RULESET), "--format", "xlsx", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "PR825 reading and writing .xlsx files needs openpyxl, which is not installed" in err
    assert "pip install 'parindex-rules[excel]'" in err
    assert not out.exists()
    with pytest.raises(DiagnosticError):
        read_facts(FACTS.with_suffix(".xlsx"), ruleset=pr.load(RULESET))


def test_xlsx_template_needs_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", str(RULESET), "--format", "xlsx"]) == 2
    assert "give --out FILE.xlsx" in capsys.readouterr().err


def test_core_does_not_import_openpyxl() -> None:
    import subprocess

    code = (
        "import sys, parindex_rules as pr, parindex_rules.cli, parindex_rules.readers, "
        "parindex_rules.exporters as e; e.exporters(); parindex_rules.readers.readers(); "
        "print('openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_untouched_template_sheet_is_skipped_a_filled_one_needs_its_unit(
    tmp_path: Path,
) -> None:
    ruleset = pr.load(RULESET)
    template = xlsx_template(ruleset)
    workbook = openpyxl.load_workbook(io.BytesIO(fill_template(template, FACTS)))
    blank = openpyxl.load_workbook(io.BytesIO(template))["Đơn vị 1"]
    copy = workbook.create_sheet("Đơn vị 1")
    for row in blank.iter_rows():
        for cell in row:
            copy.cell(row=cell.row, column=cell.column, value=cell.value)
    path = tmp_path / "with-blank.xlsx"
    workbook.save(path)
    assert [u.unit for u in read_facts(path, ruleset=ruleset).units] == [
        "don-vi-a",
        "don-vi-b",
        "don-vi-c",
    ]
    header = next(r for r in range(1, 40) if copy.cell(row=r, column=1).value == "STT")
    copy.cell(row=header + 3, column=5, value="kip_thoi")
    workbook.save(path)
    with pytest.raises(FactsError) as info:
        read_facts(path, ruleset=ruleset)
    assert [d.message for d in info.value.diagnostics] == [
        "sheet 'Đơn vị 1' gives no Mã đơn vị [sheet 'Đơn vị 1', cell A1]"
    ]
