"""Helpers for the auditor and spreadsheet tests: fill an .xlsx template as a person would."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex_rules.loader.yaml import load_yaml_file

ROOT = Path(__file__).resolve().parents[2]
CAMAU = ROOT / "examples" / "camau-2013"
RULESET = CAMAU / "ruleset.yaml"
FACTS = CAMAU / "facts.yaml"


def typed(value: Any) -> Any:
    """What a person types into a cell: numbers as numbers, everything else as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return float(value) if value != int(value) else int(value)
    return value


def fill_template(template: bytes, facts_path: Path) -> bytes:
    """Fill the template of `parindex template --format xlsx` from a YAML facts file.

    Written independently of the library's reader: columns are found by their printed headers,
    rows by the Mã column, exactly as the template's instructions tell a person.
    """
    import openpyxl

    data = load_yaml_file(facts_path, max_bytes=10**7).data
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    blank = workbook["Đơn vị 1"]
    for unit in data["units"]:
        sheet = workbook.copy_worksheet(blank)
        sheet.title = unit["unit"]
        header_row = next(
            r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "STT"
        )
        headers = {
            sheet.cell(row=header_row, column=c).value: c for c in range(1, sheet.max_column + 1)
        }
        labels = {sheet.cell(row=r, column=1).value: r for r in range(1, header_row)}
        sheet.cell(row=labels["Mã đơn vị"], column=2, value=unit["unit"])
        sheet.cell(row=labels["Tên đơn vị"], column=2, value=unit["name"])
        if unit.get("group"):
            sheet.cell(row=labels["Nhóm xếp hạng"], column=2, value=unit["group"])
        if unit.get("ranked") is False:
            sheet.cell(row=labels["Không xếp hạng (lý do)"], column=2, value=unit["reason"])
        rows = {
            sheet.cell(row=r, column=headers["Mã"]).value: r
            for r in range(header_row + 1, sheet.max_row + 1)
        }
        for item_id, item in unit.get("items", {}).items():
            row = rows[item_id]
            _put(sheet, row, headers["Điểm tự đánh giá"], item.get("self"), rows, headers)
            for n, value in enumerate(item.get("appraisal") or [], start=1):
                _put(sheet, row, headers[f"Thẩm định lần {n}"], value, rows, headers)
            if "survey" in item:
                sheet.cell(
                    row=row,
                    column=headers["Điều tra XHH"],
                    value=typed(item["survey"][str(data["year"])]),
                )
            if item.get("evidence"):
                lines = [
                    " | ".join(str(e.get(k, "")) for k in ("number", "date", "title", "link"))
                    for e in item["evidence"]
                ]
                sheet.cell(row=row, column=headers["Tài liệu kiểm chứng"], value="\n".join(lines))
            if item.get("explanation"):
                sheet.cell(row=row, column=headers["Giải trình"], value=item["explanation"])
            if item.get("applicable") is False:
                sheet.cell(
                    row=row, column=headers["Không áp dụng (lý do)"], value=item.get("reason")
                )
    workbook.remove(blank)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _put(sheet: Any, row: int, column: int, value: Any, rows: dict, headers: dict) -> None:
    if value is None:
        return
    if isinstance(value, dict):  # inputs or conditions: their sub-rows, found by Mã
        for key, part in value.items():
            sub = next(
                r
                for r in range(row + 1, sheet.max_row + 1)
                if sheet.cell(row=r, column=headers["Mã"]).value == key
            )
            sheet.cell(row=sub, column=column, value="x" if part is True else typed(part))
        return
    sheet.cell(row=row, column=column, value=typed(value))
