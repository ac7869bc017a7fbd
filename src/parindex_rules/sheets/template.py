"""Empty facts files for units to fill in: YAML (the facts format) or .xlsx (the annex layout).

Every leaf of the ruleset is listed with what to give for it (the rule text verbatim, and a line
saying whether to write points, one of the outcomes, a figure, or marks per condition). The
.xlsx template is the layout :mod:`parindex_rules.sheets.xlsx_reader` reads back: one sheet per
unit (copy the sheet for each unit), unit details above the table.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from parindex_rules.numbers import format_exact
from parindex_rules.sheets.layout import (
    COLUMNS,
    TEMPLATE_ROUNDS,
    UNIT_FIELDS,
    LayoutRow,
    appraisal_header,
    conditions,
    layout_rows,
    sub_inputs,
    what_to_give,
)
from parindex_rules.sheets.workbook import put as put_cell

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset

#: Sheets the reader skips: the instructions, and any sheet whose name starts with "_".
INSTRUCTIONS_SHEET = "Hướng dẫn"
UNIT_SHEET = "Đơn vị 1"


def provisional_words(ruleset: Ruleset) -> str | None:
    if not ruleset.provisional:
        return None
    return (
        f"TẠM THỜI (PROVISIONAL): bộ chỉ số {ruleset.id} có nội dung chưa có nguồn chính thức "
        "(xem `parindex describe`); kết quả tính theo bộ này không phải kết quả chính thức."
    )


def _q(text: str) -> str:
    """A YAML scalar in double quotes (JSON strings are valid YAML), Vietnamese kept."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.splitlines() if line.strip()]


def yaml_template(ruleset: Ruleset) -> str:
    """The facts format with one unit to fill in and every leaf listed, commented."""
    doc = ruleset.document
    banner = provisional_words(ruleset)  # a comment on the first line: the file stays valid
    lines = [f"# {banner}"] if banner else []
    lines += [f"# Mẫu số liệu đánh giá — {ruleset.title}", f"# Bộ chỉ số {ruleset.id}"]
    lines += [
        "# Điền mỗi đơn vị một mục trong `units` (chép khối `- unit:` cho đơn vị tiếp theo).",
        "# self: điểm tự đánh giá; appraisal: điểm thẩm định theo từng lần (Hội đồng ghi);",
        "# evidence: tài liệu kiểm chứng; explanation: giải trình. Xem docs/facts-format.md.",
        f"ruleset: {_q(ruleset.id)}",
        f"year: {doc.year}",
        "units:",
        '  - unit: ""  # Mã đơn vị, cố định qua các năm (ví dụ so-tai-chinh)',
        '    name: ""  # Tên đơn vị',
        "    group: null  # Nhóm xếp hạng (không bắt buộc)",
        "    items:",
    ]
    indent = "      "
    for node in ruleset.nodes.values():
        if node.level == "total":
            continue
        heading = f"{node.id} {node.name} — tối đa {format_exact(node.max)} điểm"
        if not node.is_leaf:
            lines.append(f"{indent}# {heading}")
            continue
        lines.append(f"{indent}{_q(node.id)}:")
        inner = indent + "  "
        lines += _comment(heading, inner)
        if node.rule:
            lines += _comment("Cách chấm: " + node.rule, inner)
        lines += _comment("→ " + what_to_give(node, doc.year), inner)
        method = node.method
        if method is not None and method.reads == "survey":
            lines.append(f"{inner}survey: {{{_q(str(doc.year))}: null}}")
            continue
        if node.origin.self_assessable:
            parts = sub_inputs(node)
            marks = conditions(node)
            if parts:
                lines.append(f"{inner}self:")
                for name in parts:
                    spec = node.inputs[name]
                    lines.append(f"{inner}  {name}: null  # {spec.label}")
            elif marks:
                lines.append(f"{inner}self:  # true (đạt) hoặc false cho từng điều kiện")
                for key, label in marks:
                    lines.append(f"{inner}  {key}: null  # {label}")
            else:
                lines.append(f"{inner}self: null")
        lines.append(f"{inner}evidence: []  # - {{number: ..., date: YYYY-MM-DD, title: ...}}")
        lines.append(f"{inner}explanation: null")
    return "\n".join(lines) + "\n"


# -- .xlsx ------------------------------------------------------------------------------------


def template_columns() -> list[tuple[str, str]]:
    """(key, header) of the template's columns, in order."""
    out: list[tuple[str, str]] = []
    for column in COLUMNS:
        if column.key == "survey":
            out += [(f"appraisal:{r}", appraisal_header(r)) for r in range(1, TEMPLATE_ROUNDS + 1)]
        out.append((column.key, column.header))
    return out


WIDTHS = {
    "stt": 9,
    "name": 48,
    "max": 9,
    "guide": 48,
    "self": 16,
    "survey": 12,
    "evidence": 30,
    "explanation": 30,
    "not_applicable": 18,
    "notes": 18,
    "key": 16,
}


def xlsx_template(ruleset: Ruleset) -> bytes:
    """An .xlsx workbook: instructions, and one unit sheet in the annex layout to copy."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from parindex_rules.sheets.workbook import new_workbook, workbook_bytes

    workbook = new_workbook(title=f"Mẫu số liệu — {ruleset.id}")
    guide = workbook.active
    guide.title = INSTRUCTIONS_SHEET
    bold = Font(bold=True)
    warn = Font(bold=True, color="9C0006")
    warn_fill = PatternFill("solid", fgColor="FFC7CE")
    fill_in = PatternFill("solid", fgColor="FFF2CC")
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    banner = provisional_words(ruleset)
    texts = [
        f"Mẫu số liệu đánh giá — {ruleset.title}",
        f"Bộ chỉ số {ruleset.id}, năm đánh giá {ruleset.document.year}.",
        *([banner] if banner else []),
        "",
        f"Mỗi đơn vị một trang tính: chép trang «{UNIT_SHEET}» cho từng đơn vị, ghi Mã đơn vị "
        "và Tên đơn vị ở đầu trang.",
        "Ô nền vàng là ô đơn vị ghi: điểm tự đánh giá, kết quả (một trong các mức của Cách chấm "
        "điểm) hoặc số liệu, theo hướng dẫn ở cột Cách chấm điểm.",
        "Các dòng không có STT dưới một tiêu chí là số liệu hoặc điều kiện của tiêu chí đó "
        "(cột Mã cho biết tên).",
        "Điều kiện: ghi x (đạt) hoặc không. Tài liệu kiểm chứng: mỗi văn bản một dòng, dạng "
        "'số hiệu | ngày (YYYY-MM-DD) | trích yếu | đường dẫn'.",
        "Không áp dụng: ghi lý do ở cột Không áp dụng (lý do). Các cột Thẩm định do Hội đồng "
        "thẩm định ghi; lần sau cùng có giá trị là điểm cuối cùng.",
        "Không đổi tên cột, không sửa cột STT và Mã; trang tính có tên bắt đầu bằng _ được bỏ "
        "qua khi nhập.",
        f"Nhập lại: parindex score {ruleset.id} --facts TỆP.xlsx",
    ]
    for r, text in enumerate(texts, start=1):
        cell = guide.cell(row=r, column=1, value=text or None)
        if r == 1:
            cell.font = Font(bold=True, size=13)
        if banner and text == banner:
            cell.font = warn
            cell.fill = warn_fill
    guide.column_dimensions["A"].width = 110

    sheet = workbook.create_sheet(UNIT_SHEET)
    row = 1
    sheet.cell(row=row, column=1, value=f"{ruleset.title}").font = Font(bold=True, size=13)
    if banner:
        row += 1
        cell = sheet.cell(row=row, column=1, value=banner)
        cell.font = warn
        cell.fill = warn_fill
    row += 2
    defaults: dict[str, Any] = {"ruleset": ruleset.id, "year": ruleset.document.year}
    for key, label in UNIT_FIELDS:
        sheet.cell(row=row, column=1, value=label).font = bold
        value = defaults.get(key)
        cell = put_cell(sheet, row, 2, value)
        if key in ("unit", "name"):
            cell.fill = fill_in
        row += 1
    row += 1
    columns = template_columns()
    header_row = row
    for c, (key, header) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=c, value=header)
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        base = key.split(":")[0]
        sheet.column_dimensions[get_column_letter(c)].width = WIDTHS.get(base, 14)
    index = {key: c for c, (key, _) in enumerate(columns, start=1)}
    for layout in layout_rows(ruleset):
        row += 1
        _template_row(sheet, row, layout, index, fill_in, wrap, bold)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    return workbook_bytes(workbook)


def _template_row(
    sheet: Any,
    row: int,
    layout: LayoutRow,
    index: dict[str, int],
    fill_in: Any,
    wrap: Any,
    bold: Any,
) -> None:
    def put(key: str, value: Any) -> Any:
        cell = put_cell(sheet, row, index[key], value)
        cell.alignment = wrap
        return cell

    if layout.kind == "node":
        put("stt", layout.key)
        name = put("name", layout.name)
        if not layout.leaf:
            name.font = bold
        put("max", layout.max)
    else:
        put("name", f"– {layout.name}")
    if layout.guide:
        put("guide", layout.guide)
    put("key", layout.key)
    if layout.self_value:
        put("self", None).fill = fill_in
    if layout.survey:
        put("survey", None).fill = fill_in
