"""Facts in .csv, one row per unit and item (docs/auditors.md): same scores as the YAML file."""

from __future__ import annotations

from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.diagnostics import FactsError
from parindex_rules.readers import read_facts

from .helpers import FACTS, RULESET
from .rich import rich_ruleset, write_cohort
from .test_xlsx_facts import scores

CAMAU_CSV = """\
unit,name,item,self,appraisal_1,appraisal_2
don-vi-a,Đơn vị ví dụ A,1.1.1,kip_thoi,,
don-vi-a,,1.1.2,day_du,,
don-vi-a,,1.1.3,Đạt yêu cầu,,
don-vi-a,,1.1.4,90,,
don-vi-a,,1.2.1,du_dung_han,,
don-vi-a,,1.2.2,dat,,
don-vi-b,Đơn vị ví dụ B,1.1.1,khong_kip_thoi,,
don-vi-b,,1.1.2,khong_day_du,,
don-vi-b,,1.1.3,dat,,
don-vi-b,,1.1.4,"95,5",,
don-vi-b,,1.2.1,khong_du,,
don-vi-b,,1.2.2,dat,,
don-vi-c,Đơn vị ví dụ C,1.1.1,kip_thoi,khong_kip_thoi,
don-vi-c,,1.1.2,day_du,,
don-vi-c,,1.1.3,dat,,
don-vi-c,,1.1.4,92,88,
don-vi-c,,1.2.1,du_dung_han,,
don-vi-c,,1.2.2,dat,khong_dat,dat
"""

# The rich cohort of tests/audit/rich.py, written as CSV with semicolons (as Vietnamese Excel
# saves it), a BOM, decimal commas, sub-rows for inputs and conditions, and a multi-line cell.
RICH_CSV = (
    "\ufeffunit;name;group;not_ranked;item;input;self;appraisal_1;appraisal_2;survey;evidence;"
    "explanation;applicable;reason\n"
    "u-a;Đơn vị A <b>&;nhom-1;;1.1;;Kịp thời;khong_kip_thoi;;;;;;\n"
    "u-a;;;;1.2;;95,5;88;;;;;;\n"
    'u-a;;;;1.3;;;;;;"12/KH-UBND | 2024-01-10 | Kế hoạch năm";Đã nộp đủ;;\n'
    "u-a;;;;1.3;dung_han;2;1;;;;;;\n"
    "u-a;;;;1.3;tong_so;3;;;;;;;\n"
    "u-a;;;;1.4;du_so_luong;x;;;;;;;\n"
    "u-a;;;;1.4;dung_han;không;;;;;;;\n"
    "u-a;;;;1.5;;Có;;;;;;;\n"
    "u-a;;;;1.6;;1,75;1,5;1,25;;;;;\n"
    "u-a;;;;1.7;;;1,5;;;;;;\n"
    "u-a;;;;1.8;;;;;87,5;;;;\n"
    "u-b;Đơn vị B;nhom-1;Mới thành lập;1.1;;khong;;;;;;;\n"
    "u-b;;;;1.2;;70;;;;;;;\n"
    "u-b;;;;1.3;;;;;;;;false;Không phát sinh hồ sơ\n"
    "u-b;;;;1.4;du_so_luong;x;;;;;;;\n"
    "u-b;;;;1.4;dung_han;x;;;;;;;\n"
    "u-b;;;;1.5;;false;;;;;;;\n"
    "u-b;;;;1.6;;2;;;;;;;\n"
    "u-b;;;;1.7;;;2;;;;;;\n"
    "u-b;;;;1.8;;;;;50;;;;\n"
)


def test_camau_csv_gives_the_yaml_scores(tmp_path: Path) -> None:
    path = tmp_path / "facts.csv"
    path.write_text(CAMAU_CSV, encoding="utf-8")
    ruleset = pr.load(RULESET)
    assert scores(ruleset, read_facts(path, ruleset=ruleset)) == scores(
        ruleset, pr.load_facts(FACTS)
    )


def test_every_kind_of_row_in_csv(tmp_path: Path) -> None:
    ruleset = rich_ruleset()
    path = tmp_path / "facts.csv"
    path.write_text(RICH_CSV, encoding="utf-8")
    facts = read_facts(path, ruleset=ruleset)
    assert scores(ruleset, facts) == scores(ruleset, pr.load_facts(write_cohort(tmp_path)))
    evidence = facts.unit("u-a").items["1.3"].evidence[0]
    assert (evidence.number, evidence.date, evidence.title) == (
        "12/KH-UBND",
        "2024-01-10",
        "Kế hoạch năm",
    )


def test_score_command_reads_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.csv"
    path.write_text(CAMAU_CSV, encoding="utf-8")
    assert main(["score", str(RULESET), "--facts", str(path), "--summary"]) == 0
    out = capsys.readouterr().out
    assert "don-vi-a" in out and "85.71" in out and "64.29" in out and "78.57" in out


def problems(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "facts.csv"
    path.write_text(text, encoding="utf-8")
    ruleset = pr.load(RULESET)
    try:
        facts = read_facts(path, ruleset=ruleset)
    except FactsError as exc:
        return [d.format().replace(str(path), "F") for d in exc.diagnostics]
    diagnostics = ruleset.evaluate_cohort(facts).all_diagnostics()
    return [d.format().replace(str(path), "F") for d in diagnostics if d.is_error]


def test_errors_name_the_line_the_column_and_the_item(tmp_path: Path) -> None:
    text = CAMAU_CSV.replace('don-vi-b,,1.1.4,"95,5"', "don-vi-b,,1.1.4,nhiều")
    assert problems(text, tmp_path) == [
        "F:11:4: PR504 unit don-vi-b: input ty_le_thuc_hien: expected a number, got 'nhiều' is "
        "not a decimal number (write 0.5 or 0,5) [line 11, column self] "
        "(at units[1].items['1.1.4'].self)"
    ]


def test_layout_errors_are_reported_together(tmp_path: Path) -> None:
    text = (
        "unit,item,self,diem\n"  # 'diem' is not a column
        "don-vi-a,1.1.1,kip_thoi,\n"
        "don-vi-a,1.1.1,khong_ban_hanh,\n"
    )
    assert problems(text, tmp_path) == [
        "F:1:4: PR821 unknown column 'diem' [line 1, column 4] (hint: columns: unit, item, "
        "input, self, appraisal_1, appraisal_2, survey, evidence, explanation, applicable, "
        "reason, name, group, type, submitted, not_ranked, not_evaluated, ruleset, year)"
    ]
    text = "unit,name,item,self\ndon-vi-a,A,1.1.1,kip_thoi\ndon-vi-a,B,1.1.1,khong_ban_hanh\n"
    assert problems(text, tmp_path) == [
        "F:3:2: PR823 unit don-vi-a: name is 'B' here but 'A' before [line 3, column name]",
        "F:3:3: PR823 unit don-vi-a: item 1.1.1 is given twice (first at line 2) "
        "[line 3, column item]",
    ]
    assert problems("unit,self\nx,1\n", tmp_path) == [
        "F:1:1: PR820 the header line has no 'item' column [line 1]"
    ]
    assert problems("unit,name,item,self\ndon-vi-a,A,1.1.7,1\n", tmp_path) == [
        "F:2:3: PR822 item '1.1.7' is not in ruleset camau-2013/so-trich [line 2, column item] "
        "(hint: did you mean '1.1.4'?)"
    ]


def test_a_multi_line_cell_keeps_the_line_of_its_row(tmp_path: Path) -> None:
    text = (
        "unit,name,item,self,evidence\n"
        'don-vi-a,A,1.1.1,kip_thoi,"1/KH | 2024-01-01 | a\n2/KH | 2024-13-01 | b"\n'
        "don-vi-a,A,1.1.2,sai,\n"
    )
    found = problems(text, tmp_path)
    assert len(found) == 1
    assert found[0].startswith("F:2:5: PR")
    assert "[line 2, column evidence]" in found[0]
    assert "2024-13-01" in found[0]


def test_csv_needs_the_ruleset(tmp_path: Path) -> None:
    path = tmp_path / "facts.csv"
    path.write_text(CAMAU_CSV, encoding="utf-8")
    with pytest.raises(FactsError) as info:
        read_facts(path)
    assert info.value.diagnostics[0].code == "PR820"


def test_a_row_without_item_carries_unit_details_only(tmp_path: Path) -> None:
    text = CAMAU_CSV + "don-vi-a,,,kip_thoi,,\n"
    assert problems(text, tmp_path) == [
        "F:20:4: PR820 values are given but the row names no item [line 20, column self]"
    ]
    details = CAMAU_CSV.replace("unit,name,", "unit,group,name,").replace(
        "\ndon-vi-a,", "\ndon-vi-a,,"
    )
    details = details.replace("\ndon-vi-b,", "\ndon-vi-b,,").replace("\ndon-vi-c,", "\ndon-vi-c,,")
    details += "don-vi-a,nhom-2,,,,,\n"
    path = tmp_path / "facts.csv"
    path.write_text(details, encoding="utf-8")
    assert read_facts(path, ruleset=pr.load(RULESET)).unit("don-vi-a").group == "nhom-2"
