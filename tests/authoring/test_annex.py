"""`parindex import-annex`: a ruleset from the decision's own annex table.

Fixtures are built here, with python-docx / openpyxl / csv, from the real rows of rulebooks.md
§5 (Cà Mau 1880/QĐ-UBND, 2013). The import of those rows must score the example facts exactly
as the hand-written example ruleset does.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import parindex_rules as pr
from parindex_rules.annex.columns import find_columns, role_of
from parindex_rules.annex.rules import RuleLine, parse_rule, split_lines
from parindex_rules.annex.table import Table, read_tables
from parindex_rules.cli import main
from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.loader.yaml import load_yaml_text

from .annex_fixtures import (
    CAMAU_HEADER,
    CAMAU_ROWS,
    camau_sub_rows,
    write_csv,
    write_docx,
    write_xlsx,
)
from .conftest import CAMAU, CAMAU_FACTS

D = Decimal


# -- columns


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("STT", "stt"),
        ("TT", "stt"),
        ("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "name"),
        ("Nội dung", "name"),
        ("Tiêu chí", "name"),
        ("Nội dung tiêu chí", "name"),
        ("Điểm tối đa", "max"),
        ("Điểm\ntối đa", "max"),
        ("Cách chấm điểm", "rule"),
        ("Hướng dẫn chấm điểm", "rule"),
        ("Phương pháp chấm điểm", "rule"),
        ("Thang điểm", "rule"),
        ("Cách xác định và tính điểm", "rule"),
        ("Tài liệu kiểm chứng", "evidence"),
        ("Ghi chú", "notes"),
        ("Điểm đánh giá", None),
        ("Điều tra XHH", None),
        ("Tự đánh giá", None),
        ("SNV đánh giá", None),
        ("Điểm đạt được", None),
        ("Chỉ số", None),
    ],
)
def test_header_variants(header: str, role: str | None) -> None:
    assert role_of(header) == role


def test_columns_are_found_whatever_their_order() -> None:
    header = ["Ghi chú", "Điểm tối đa", "Hướng dẫn chấm điểm", "Nội dung", "TT"]
    rows = [header, ["(1)", "(2)", "(3)", "(4)", "(5)"], ["", "20", "", "LĨNH VỰC", "1"]]
    table = Table("t.csv", "csv", 1, "CSV", rows, [1, 2, 3])
    columns = find_columns(table)
    assert columns.index == {"notes": 0, "max": 1, "rule": 2, "name": 3, "stt": 4}
    assert columns.first_data_row == 2  # the header, then the row numbering the columns


def test_a_data_row_mentioning_a_header_word_is_data() -> None:
    rows = [
        ["STT", "Nội dung", "Điểm tối đa"],
        ["1", "Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn", "1"],
    ]
    columns = find_columns(Table("t.csv", "csv", 1, "CSV", rows, [1, 2]))
    assert columns.first_data_row == 1


# -- rule text


def parsed(text: str, maximum: str = "2", node_id: str = "1.1.4") -> Any:
    lines = [RuleLine(line) for line in split_lines(text)]
    return parse_rule(lines, node_id=node_id, name="Mục thử", maximum=D(maximum))


def bounds(result: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in band.items() if k != "label"} for band in result.scoring["bands"]]


def test_labelled_outcomes_become_a_choice() -> None:
    result = parsed(
        "Ban hành kịp thời: 1 điểm\nBan hành không kịp thời: 0,5 điểm\nKhông ban hành: 0 điểm",
        maximum="1",
    )
    assert result.recognised and result.method == "choice"
    assert result.scoring["options"] == [
        {"key": "ban_hanh_kip_thoi", "label": "Ban hành kịp thời", "points": D("1")},
        {"key": "ban_hanh_khong_kip_thoi", "label": "Ban hành không kịp thời", "points": D("0.5")},
        {"key": "khong_ban_hanh", "label": "Không ban hành", "points": D("0")},
    ]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Từ 80% đến dưới 100%", {"from": D(80), "below": D(100)}),
        ("Thực hiện trên 90% kế hoạch", {"above": D(90)}),
        ("Dưới 70% kế hoạch", {"below": D(70)}),
        ("Thực hiện từ 70% - 90% kế hoạch", {"from": D(70), "to": D(90)}),
        ("từ 70% – 90%", {"from": D(70), "to": D(90)}),
        ("Từ 50% đến 80%", {"from": D(50), "to": D(80)}),
        ("Trên 50% đến dưới 80%", {"above": D(50), "below": D(80)}),
        ("Đạt 100%", {"equals": D(100)}),
        ("Từ 95% trở lên", {"from": D(95)}),
        ("Từ 99,5% đến dưới 100%", {"from": D("99.5"), "below": D(100)}),
    ],
)
def test_each_percent_phrase_gives_its_bounds(phrase: str, expected: dict[str, Any]) -> None:
    from parindex_rules.annex.rules import _percent_bounds

    assert _percent_bounds(phrase) == expected


def test_percent_bands_with_inclusive_and_exclusive_bounds() -> None:
    """Cà Mau 1.1.4: "trên 90%" excludes 90; "từ 70% - 90%" includes both ends."""
    result = parsed(
        "Thực hiện trên 90% kế hoạch: 2\nThực hiện từ 70% - 90% kế hoạch: 1\nDưới 70% kế hoạch: 0"
    )
    assert result.method == "bands" and result.recognised
    assert bounds(result) == [
        {"above": D(90), "points": D(2)},
        {"from": D(70), "to": D(90), "points": D(1)},
        {"below": D(70), "points": D(0)},
    ]
    assert [b["label"] for b in result.scoring["bands"]] == [
        "Thực hiện trên 90% kế hoạch",
        "Thực hiện từ 70% - 90% kế hoạch",
        "Dưới 70% kế hoạch",
    ]
    assert result.inputs == {"ty_le_1_1_4": {"label": "Tỷ lệ (%) — Mục thử", "kind": "percent"}}
    result = parsed("Từ 80% đến dưới 100%: 0,5 điểm\nĐạt 100%: 1 điểm\nDưới 80%: 0 điểm", "1")
    assert bounds(result) == [
        {"from": D(80), "below": D(100), "points": D("0.5")},
        {"equals": D(100), "points": D(1)},
        {"below": D(80), "points": D(0)},
    ]


def test_bands_with_a_gap_are_not_guessed() -> None:
    """ "trên 90%" and "dưới 70%" leave 70–90 % unscored: kept verbatim for review."""
    result = parsed("Trên 90%: 2\nDưới 70%: 0")
    assert result.method == "points" and not result.recognised
    assert "do not cover every value" in result.review[0]


def test_ratio_rule_becomes_a_formula() -> None:
    """The district digital-transformation index: a = meetings chaired by the secretary or the
    chairman, b = all such meetings; Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa (20)."""
    result = parsed(
        "a = Số cuộc họp do Bí thư hoặc Chủ tịch chủ trì\nb = Tổng số cuộc họp\n"
        "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa",
        maximum="20",
        node_id="2.1",
    )
    assert result.method == "formula" and result.recognised
    assert result.scoring == {"method": "formula", "formula": "ratio(a_2_1, b_2_1) * max"}
    assert result.inputs == {
        "a_2_1": {"label": "Số cuộc họp do Bí thư hoặc Chủ tịch chủ trì", "kind": "count"},
        "b_2_1": {"label": "Tổng số cuộc họp", "kind": "count"},
    }
    assert "b = 0" in result.review[0]


def test_count_steps_become_bands_on_a_count() -> None:
    """4 meetings a year: 20; 3: 15; 2: 10; 1: 5; otherwise 0 — "otherwise" is every other
    count, read literally: 0, and 5 or more."""
    result = parsed(
        "4 cuộc/năm: 20 điểm\n3 cuộc/năm: 15 điểm\n2 cuộc/năm: 10 điểm\n1 cuộc/năm: 5 điểm\n"
        "Các trường hợp còn lại: 0 điểm",
        maximum="20",
        node_id="3.2",
    )
    assert result.method == "bands" and result.recognised
    assert bounds(result) == [
        {"equals": D(4), "points": D(20)},
        {"equals": D(3), "points": D(15)},
        {"equals": D(2), "points": D(10)},
        {"equals": D(1), "points": D(5)},
        {"equals": D(0), "points": D(0)},
        {"from": D(5), "points": D(0)},
    ]
    assert result.inputs["so_luong_3_2"]["kind"] == "count"


def test_an_unrecognised_rule_is_kept_verbatim(tmp_path: Path) -> None:
    text = "Căn cứ kết quả kiểm tra thực tế, Hội đồng thẩm định xem xét, cho điểm"
    result = parsed(text)
    assert result.method == "points" and not result.recognised
    assert text in result.review[0]
    header = [["STT", "Nội dung", "Điểm tối đa", "Phương pháp chấm điểm"]]
    rows = [["1", "LĨNH VỰC", "2", ""], ["1.1", "Kiểm tra", "2", text]]
    csv_path = tmp_path / "annex.csv"
    write_csv(csv_path, header, rows)
    out = tmp_path / "out.yaml"
    assert main(["import-annex", str(csv_path), "--id", "thu-2020/so", "--out", str(out)]) == 0
    data = load_yaml_text(out.read_text(encoding="utf-8"), "out").data
    leaf = data["fields"][0]["criteria"][0]
    assert leaf["rule"] == text
    assert leaf["scoring"] == {"method": "points"}
    assert f"# review: rule text not recognised: {text!r}" in out.read_text(encoding="utf-8")


def test_a_recognised_rule_is_kept_as_printed(tmp_path: Path) -> None:
    """The cell's bullets, semicolons and line breaks stay in `rule` (what an auditor reads
    beside the number); the outcomes are still recognised from it, and the quote of the source
    is the same words on one line."""
    cell = (
        "- Ban hành kịp thời: 1 điểm;\n- Ban hành không kịp thời: 0,5 điểm;\n- Không ban hành: 0."
    )
    header = [["STT", "Nội dung", "Điểm tối đa", "Phương pháp chấm điểm"]]
    rows = [["1", "LĨNH VỰC", "1", ""], ["1.1", "Ban hành kế hoạch", "1", cell]]
    csv_path = tmp_path / "annex.csv"
    write_csv(csv_path, header, rows)
    out = tmp_path / "out.yaml"
    assert main(["import-annex", str(csv_path), "--id", "thu-2020/so", "--out", str(out)]) == 0
    leaf = load_yaml_text(out.read_text(encoding="utf-8"), "out").data["fields"][0]["criteria"][0]
    assert leaf["rule"] == cell
    assert leaf["scoring"]["method"] == "choice"
    assert [str(o["points"]) for o in leaf["scoring"]["options"]] == ["1", "0.5", "0"]
    assert leaf["source"]["quote"] == "Ban hành kế hoạch · 1 · " + cell.replace("\n", " ")


# -- whole tables


def camau_docx(folder: Path) -> Path:
    path = folder / "camau-1880.docx"
    write_docx(path, CAMAU_HEADER, camau_sub_rows(), merge=True)
    return path


def camau_xlsx(folder: Path) -> Path:
    """Another layout of the same rows: rule text in a "Cách chấm điểm" column (several lines
    in one cell), columns in another order, maxima stored as numbers."""
    header = [["Nội dung", "TT", "Cách chấm điểm", "Ghi chú", "Điểm tối đa"]]
    rows: list[list[object]] = []
    for stt, name, maximum, rule in CAMAU_ROWS:
        rows.append([name, stt, "\n".join(rule) or None, None, int(maximum)])
    path = folder / "camau-1880.xlsx"
    write_xlsx(path, header, rows, "Phụ lục")
    return path


def import_camau(path: Path, folder: Path, *extra: str) -> tuple[int, Path]:
    out = folder / "camau.yaml"
    code = main(
        [
            "import-annex",
            str(path),
            "--id",
            "camau-2013/so-trich",
            "--level",
            "so",
            "--out",
            str(out),
            "--province",
            "Cà Mau",
            "--decision",
            "1880/QĐ-UBND",
            "--title",
            "Chỉ số CCHC các sở, ban, ngành tỉnh Cà Mau (trích)",
            *extra,
        ]
    )
    return code, out


def facts_by_label() -> dict[str, Any]:
    """The example facts with each outcome named by its label (the hand-written ruleset's keys
    are its author's; an import names its own keys, and choice facts accept labels)."""
    hand = pr.load(CAMAU)
    data = pr.load_facts(CAMAU_FACTS).document.model_dump(by_alias=True, mode="json")
    for unit in data["units"]:
        for item_id, item in unit["items"].items():
            method = hand.node(item_id).method
            options = getattr(method.config, "options", None) if method else None
            if not options:
                continue
            labels = {o.key: o.label for o in options}
            item["self"] = labels.get(item["self"], item["self"])
            if item.get("appraisal"):
                item["appraisal"] = [labels.get(v, v) for v in item["appraisal"]]
    return data


@pytest.mark.parametrize(
    "build", [camau_docx, camau_xlsx], ids=["docx-sub-rows", "xlsx-rule-column"]
)
def test_camau_rows_reproduce_the_example_scores(
    build: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hand-written example (tests/test_example_camau.py): A 6 of 7 (85.71), B 4.5 (64.29),
    C 5.5 appraised (78.57), 7 self-assessed. The import must give the same, unit by unit and
    node by node, at every stage."""
    code, out = import_camau(build(tmp_path), tmp_path, "--excerpt")
    err = capsys.readouterr().err
    assert code == 0, err
    assert "wrote" in err and "6 leaves (1 bands, 5 choice); it compiles" in err
    imported = pr.load(out)
    hand = pr.load(CAMAU)
    assert [n for n in imported.nodes] == [n for n in hand.nodes]
    assert imported.node("1").excerpt_of == D(20) and imported.node("1").max == D(7)
    facts = facts_by_label()
    for stage in ("self", "appraised", "final"):
        mine = imported.evaluate_cohort(facts, stage=stage)
        theirs = hand.evaluate_cohort(pr.load_facts(CAMAU_FACTS), stage=stage)
        assert mine.ok, mine.all_diagnostics()
        for a, b in zip(mine.units, theirs.units, strict=True):
            assert (a.unit, a.score, a.max, a.index) == (b.unit, b.score, b.max, b.index)
            for node_id in hand.nodes:
                assert a.node(node_id).score == b.node(node_id).score, (stage, a.unit, node_id)
    final = imported.evaluate_cohort(facts, stage="final")
    assert [(u.unit, u.score, u.rounded(u.index)) for u in final.units] == [
        ("don-vi-a", D(6), "85.71"),
        ("don-vi-b", D("4.5"), "64.29"),
        ("don-vi-c", D("5.5"), "78.57"),
    ]
    band = final.unit("don-vi-a").node("1.1.4").explain()
    assert band.matched == "Thực hiện từ 70% - 90% kế hoạch"


def test_every_node_quotes_its_row(tmp_path: Path) -> None:
    code, out = import_camau(camau_docx(tmp_path), tmp_path, "--excerpt")
    assert code == 0
    ruleset = pr.load(out)
    assert not ruleset.provisional
    assert ruleset.document.documents["phuluc"].title == "Phụ lục: camau-1880.docx"
    expected_lines = {"1": 3, "1.1": 4, "1.1.1": 5, "1.1.4": 15, "1.2": 19, "1.2.2": 23}
    for node_id, line in expected_lines.items():
        source = ruleset.node(node_id).provenance.source
        assert source is not None
        assert (source.document, source.part, source.row, source.line) == (
            "phuluc",
            "Bảng 1",
            node_id,
            line,
        )
    assert ruleset.node("1.1.1").provenance.source.quote == (  # type: ignore[union-attr]
        "Ban hành kế hoạch CCHC năm · 1 · Ban hành kịp thời: 1 · Ban hành không kịp thời: 0,5 · "
        "Không ban hành: 0"
    )
    names = {n.id: n.name for n in pr.load(CAMAU).nodes.values() if n.id != "total"}
    assert {n.id: n.name for n in ruleset.nodes.values() if n.id != "total"} == names


def test_maxima_that_do_not_add_up_are_reported_with_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --excerpt, field 1 (20 points) holds only 1.1 (5) and 1.2 (2): the table as
    given is inconsistent, and the diagnostics say where. The file is still written."""
    path = camau_docx(tmp_path)
    code, out = import_camau(path, tmp_path)
    err = capsys.readouterr().err
    assert code == 1
    assert (
        f"{path}:3:3: PR863 bảng 1, dòng 3, cột 3: item 1: maximum 20, but its children "
        "(rows 4–19) add up to 7 (5 + 2)"
    ) in err
    assert f"{out}:" in err and "PR204" in err  # and the ruleset written does not compile
    assert "does not compile yet" in err
    assert out.exists()


def test_roman_fields_survey_marks_and_decimal_commas(tmp_path: Path) -> None:
    """A field numbered "I" keeps it: its criteria "1", "2" become "I.1", "I.2", and "2.1"
    becomes "I.2.1". Ghi chú "Điều tra xã hội học" makes an item a survey item. Maxima use
    decimal commas: 14,5 = 10 + 4,5; 4,5 = 2 + 2,5."""
    header = [
        [
            "STT",
            "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
            "Điểm tối đa",
            "Cách chấm điểm",
            "Tài liệu kiểm chứng",
            "Ghi chú",
        ]
    ]
    rows = [
        ["I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "14,5", "", "", ""],
        ["1", "Mức độ hài lòng của người dân", "10", "", "", "Điều tra xã hội học"],
        ["2", "Giải quyết hồ sơ", "4,5", "", "", ""],
        [
            "2.1",
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "2",
            "Từ 95% trở lên: 2\nDưới 95%: 0",
            "Báo cáo kết quả giải quyết hồ sơ",
            "",
        ],
        ["2.2", "Công khai thủ tục hành chính", "2,5", "Đầy đủ: 2,5\nKhông đầy đủ: 0", "", ""],
        ["", "Tổng cộng", "14,5", "", "", ""],
    ]
    path = tmp_path / "annex.csv"
    write_csv(path, header, rows, delimiter=";")
    out = tmp_path / "out.yaml"
    assert main(["import-annex", str(path), "--id", "thu-2020/huyen", "--out", str(out)]) == 0
    ruleset = pr.load(out)
    assert list(ruleset.nodes) == ["total", "I", "I.1", "I.2", "I.2.1", "I.2.2"]
    assert ruleset.node("I").max == D("14.5") and ruleset.node("I.2.2").max == D("2.5")
    assert ruleset.node("I.1").origin.value == "survey"
    assert ruleset.node("I.1").method.name == "survey"  # type: ignore[union-attr]
    assert ruleset.node("I.1").basis == "Điều tra xã hội học"
    assert ruleset.node("I.2.1").evidence_documents == "Báo cáo kết quả giải quyết hồ sơ"
    assert ruleset.document.level.value == "huyen" and ruleset.document.year == 2020
    assert ruleset.compiled.root.provenance.source.quote == "Tổng cộng · 14,5"  # type: ignore[union-attr]
    assert ruleset.points_by_origin() == {"assessed": "4.5", "survey": "10"}


def test_numbering_problems_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = [["STT", "Nội dung", "Điểm tối đa"]]
    rows = [
        ["1", "LĨNH VỰC", "2"],
        ["1.1", "Một", "1"],
        ["1.1", "Một lần nữa", "1"],
        ["2.1", "Không có lĩnh vực 2", "1"],
        ["1.2", "Hai", "một"],
        ["x.1", "Số lạ", "1"],
    ]
    path = tmp_path / "bad.csv"
    write_csv(path, header, rows)
    code = main(
        ["import-annex", str(path), "--id", "thu-2020/xa", "--out", str(tmp_path / "o.yaml")]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"{path}:4:1: PR865 dòng 4, cột 1: STT 1.1 is used twice (first on row 3)" in err
    assert f"{path}:5:1: PR865 dòng 5, cột 1: STT 2.1: no item 2 above it" in err
    assert f"{path}:6:3: PR862 dòng 6, cột 3: item 1.2: the maximum 'một' is not a number" in err
    assert f"{path}:7:1: PR862 dòng 7, cột 1: STT 'x.1' is not an item number" in err


def test_xlsx_problems_name_the_sheet_and_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = [["STT", "Nội dung", "Điểm tối đa"]]
    rows: list[list[object]] = [["1", "LĨNH VỰC", 3], ["1.1", "Một", 1], ["1.2", "Hai", 1]]
    path = tmp_path / "annex.xlsx"
    write_xlsx(path, header, rows, "PL1")
    code = main(
        ["import-annex", str(path), "--id", "thu-2020/so", "--out", str(tmp_path / "o.yaml")]
    )
    assert code == 1
    assert (
        f"{path}:2:3: PR863 PL1!C2: item 1: maximum 3, but its children (rows 3–4) add up to 2"
        in capsys.readouterr().err
    )


def test_no_annex_table_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.csv"
    write_csv(path, [["Họ tên", "Đơn vị"]], [["A", "B"]])
    out = tmp_path / "o.yaml"
    assert main(["import-annex", str(path), "--id", "thu-2020/so", "--out", str(out)]) == 1
    assert "PR861 none of the 1 table(s) has the annex's columns" in capsys.readouterr().err
    assert not out.exists()


def test_usage_errors(tmp_path: Path) -> None:
    path = tmp_path / "annex.csv"
    write_csv(path, [["STT", "Nội dung", "Điểm tối đa"]], [["1", "A", "1"]])
    out = tmp_path / "o.yaml"
    out.write_text("giữ nguyên\n", encoding="utf-8")

    def run(source: Path, ruleset_id: str, target: Path) -> int:
        return main(["import-annex", str(source), "--id", ruleset_id, "--out", str(target)])

    assert run(path, "thu-2020/so", out) == 2
    assert out.read_text(encoding="utf-8") == "giữ nguyên\n"  # never overwritten unasked
    other = tmp_path / "x.yaml"
    assert run(path, "thu-2020/quan-huyen", other) == 2  # "quan" is no level: give --level
    assert run(path, "Thu/so", other) == 2  # not <province>-<year>/<set>
    assert run(tmp_path / "annex.pdf", "thu-2020/so", other) == 1  # PR860, not an annex file
    assert not other.exists()


def test_level_from_the_set_name_and_stray_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "so-trich" is level so; a note row above the first item is skipped with a warning."""
    path = tmp_path / "annex.csv"
    rows = [["", "(Kèm theo Quyết định số ...)", ""], ["1", "LĨNH VỰC", "1"], ["1.1", "Một", "1"]]
    write_csv(path, [["STT", "Nội dung", "Điểm tối đa"]], rows)
    out = tmp_path / "o.yaml"
    assert main(["import-annex", str(path), "--id", "thu-2020/so-trich", "--out", str(out)]) == 0
    assert pr.load(out).document.level.value == "so"
    err = capsys.readouterr().err
    assert f"{path}:2:2: PR866 [warning] dòng 2, cột 2: row ignored:" in err


def test_missing_extra_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = camau_docx(tmp_path)
    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    with pytest.raises(DiagnosticError) as caught:
        read_tables(path)
    [problem] = caught.value.diagnostics
    assert problem.code == "PR867"
    assert problem.hint is not None and "parindex-rules[annex]" in problem.hint


def test_output_is_canonical_and_deterministic(tmp_path: Path) -> None:
    code, out = import_camau(camau_xlsx(tmp_path), tmp_path, "--excerpt")
    assert code == 0
    first = out.read_text(encoding="utf-8")
    assert main(["fmt", "--check", str(out)]) == 0
    code, again = import_camau(camau_xlsx(tmp_path), tmp_path, "--excerpt", "--force")
    assert code == 0 and again.read_text(encoding="utf-8") == first
    assert re.search(r"^# Nhập từ camau-1880\.xlsx \(Phụ lục\)", first)
