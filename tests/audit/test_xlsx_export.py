"""Results as .xlsx in the annex layout: numbers as numbers, declared rounding, stable bytes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.exporters import exporters
from parindex_rules.report.xlsx import RANKING_SHEET, UNIT_HEADERS, XlsxExporter, results_workbook

from .helpers import FACTS, RULESET
from .rich import rich_ruleset, write_cohort


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def table(sheet: object) -> tuple[int, dict[str, tuple[object, ...]]]:
    rows = list(sheet.iter_rows())  # type: ignore[attr-defined]
    header = next(i for i, r in enumerate(rows) if r[0].value == "STT")
    return header, {str(r[0].value or r[1].value): r for r in rows[header + 1 :]}


@pytest.fixture(scope="module")
def camau_xlsx() -> bytes:
    ruleset = pr.load(RULESET)
    cohort = ruleset.evaluate_cohort(pr.load_facts(FACTS))
    return XlsxExporter().export(ruleset, cohort)


def test_registered_as_an_exporter() -> None:
    exporter = exporters()["xlsx"]
    assert (exporter.suffix, exporter.binary) == (".xlsx", True)


def test_one_sheet_per_unit_in_the_annex_layout(camau_xlsx: bytes) -> None:
    book = workbook(camau_xlsx)
    # Rank order (85.71 > 78.57 > 64.29), as the ruleset's ranking gives it.
    assert book.sheetnames == [RANKING_SHEET, "don-vi-a", "don-vi-c", "don-vi-b"]
    sheet = book["don-vi-c"]
    header, rows = table(sheet)
    assert tuple(c.value for c in list(sheet.iter_rows())[header][:6]) == UNIT_HEADERS
    assert list(rows)[:7] == ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2"]
    # Unit C (tests/test_example_camau.py): self 1 → appraised 0.5 on 1.1.1; 92 % → 88 % on 1.1.4.
    maximum, own, achieved, note = rows["1.1.1"][2:6]
    assert (maximum.value, own.value, achieved.value) == (1, 1, 0.5)
    assert note.value == "thẩm định: 1.00 → 0.50"
    assert own.fill.fgColor.rgb.endswith("FCE4D6")  # the change is highlighted
    assert (rows["1.1.4"][3].value, rows["1.1.4"][4].value) == (2, 1)
    total = rows["Tổng điểm"]
    assert (total[2].value, total[3].value, total[4].value) == (7, 7, 5.5)
    index = rows["Chỉ số CCHC (%)"]
    assert (index[3].value, index[4].value) == (100, 78.57)
    assert index[4].number_format == "0.00"
    assert isinstance(index[4].value, float)  # a number, not text


def test_decimal_values_are_written_exactly(camau_xlsx: bytes) -> None:
    """Excel stores the shortest decimal text: 78.57, never 78.5699999."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(camau_xlsx)) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = b"".join(archive.read(n) for n in names).decode()
    assert "<v>78.57</v>" in xml and "<v>85.71</v>" in xml and "<v>64.29</v>" in xml


def test_ranking_sheet_lists_every_unit(camau_xlsx: bytes) -> None:
    sheet = workbook(camau_xlsx)[RANKING_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Hạng")
    body = [r[:7] for r in rows[header + 1 :]]
    assert body == [
        (1, "don-vi-a", "Đơn vị ví dụ A", None, 6, 7, 85.71),
        (2, "don-vi-c", "Đơn vị ví dụ C", None, 5.5, 7, 78.57),
        (3, "don-vi-b", "Đơn vị ví dụ B", None, 4.5, 7, 64.29),
    ]


def test_rounding_is_the_declared_one(tmp_path: Path) -> None:
    """u-a: 10.25 of 16 → 64.0625 %. One place rounding down: 64.0; half up: 64.1.
    Scores shown with one place: 10.25 → 10.2 (down) and 10.3 (half up)."""
    facts = pr.load_facts(write_cohort(tmp_path))
    for mode, index, score in (("down", 64.0, 10.2), ("half_up", 64.1, 10.3)):
        ruleset = rich_ruleset(rounding={"places": 1, "mode": mode})
        data = results_workbook(ruleset, ruleset.evaluate_cohort(facts))
        _, rows = table(workbook(data)["u-a"])
        assert rows["Chỉ số CCHC (%)"][4].value == index
        assert rows["Tổng điểm"][4].value == score
        assert rows["Tổng điểm"][4].number_format == "0.0"


def test_provisional_banner_on_every_sheet(tmp_path: Path) -> None:
    ruleset = rich_ruleset()
    data = results_workbook(ruleset, ruleset.evaluate_cohort(pr.load_facts(write_cohort(tmp_path))))
    book = workbook(data)
    for sheet in book.worksheets:
        texts = [c.value for c in sheet["A"][:6] if isinstance(c.value, str)]
        assert any(t.startswith("TẠM THỜI (PROVISIONAL)") for t in texts), sheet.title
    _, rows = table(book["u-b"])
    assert rows["1.3"][5].value.startswith("không áp dụng: not applicable (Không phát sinh hồ sơ)")


def test_report_command_writes_identical_bytes_in_separate_processes(tmp_path: Path) -> None:
    """No time stamp anywhere: two runs (other hash seeds, a second apart) give the same file."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"ket-qua-{seed}.xlsx"
        subprocess.run(
            [str(Path(sys.executable).parent / "parindex"), "report", str(RULESET), "--facts",
             str(FACTS), "--format", "xlsx", "--out", str(out)],
            check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert b"1980-01-01T00:00:00Z" in __import__("zipfile").ZipFile(io.BytesIO(outs[0])).read(
        "docProps/core.xml"
    )


def test_report_xlsx_refuses_facts_with_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FACTS.read_text(encoding="utf-8").replace("{self: 90}", "{self: 190}"))
    out = tmp_path / "out.xlsx"
    assert (
        main(["report", str(RULESET), "--facts", str(bad), "--format", "xlsx", "--out", str(out)])
        == 1
    )
    assert "PR505" in capsys.readouterr().err
    assert not out.exists()


def test_xlsx_out_must_be_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", str(RULESET), "--facts", str(FACTS), "--format", "xlsx", "--out"]
    assert main([*args, str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert main(["template", str(RULESET), "--format", "xlsx", "--out", str(tmp_path)]) == 2
