"""A cohort's results as .xlsx, in the layout of the decision's annex.

One sheet per unit: STT · Lĩnh vực/Tiêu chí/Tiêu chí thành phần · Điểm tối đa · Điểm tự đánh giá ·
Điểm đạt được · Ghi chú, every node in the decision's order, then the total and the index; plus a
ranking sheet first. Scores are numbers, rounded once with the ruleset's declared places and
mode, and shown with that many places; maxima are exact. A provisional ruleset is announced on
every sheet. The bytes depend only on the results (:func:`~parindex_rules.sheets.workbook.
workbook_bytes`). openpyxl is imported only when a workbook is written (the ``excel`` extra).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from parindex_rules.compile.compiled import ROOT_ID
from parindex_rules.evaluate.result import UnitResult
from parindex_rules.numbers import Number, round_to
from parindex_rules.plugins import API_VERSION
from parindex_rules.report.notes import (
    differs,
    display_order,
    ensure_ranked,
    node_note,
    sheet_names,
    tie_notes,
    unit_status,
)
from parindex_rules.sheets.template import provisional_words
from parindex_rules.sheets.workbook import put

if TYPE_CHECKING:
    from parindex_rules.api import CohortResult, Ruleset
    from parindex_rules.rank.ranking import RankTable

RANKING_SHEET = "Xếp hạng"
UNIT_HEADERS = (
    "STT",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Điểm đạt được",
    "Ghi chú",
)
RANKING_HEADERS = (
    "Hạng",
    "Mã đơn vị",
    "Tên đơn vị",
    "Nhóm",
    "Điểm đạt được",
    "Điểm tối đa",
    "Chỉ số CCHC (%)",
    "Xếp loại",
    "Ghi chú",
)
STAGE_WORDS = {
    "self": "tự đánh giá",
    "appraised": "sau thẩm định (các mục đơn vị tự đánh giá)",
    "final": "kết quả cuối cùng",
}


def number_format(places: int) -> str:
    return "0" if places == 0 else "0." + "0" * places


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=13)
        self.warn = Font(bold=True, color="9C0006")
        self.warn_fill = PatternFill("solid", fgColor="FFC7CE")
        self.head_fill = PatternFill("solid", fgColor="D9E1F2")
        self.diff_fill = PatternFill("solid", fgColor="FCE4D6")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(wrap_text=True, vertical="center", horizontal="center")


def results_workbook(
    ruleset: Ruleset,
    cohort: CohortResult,
    *,
    self_cohort: CohortResult | None = None,
    table: RankTable | None = None,
) -> bytes:
    """The .xlsx bytes of `cohort` (its stage is "Điểm đạt được"); `self_cohort` adds the
    self-assessed scores beside it; `table` (the ranking) orders the units and notes ties."""
    from parindex_rules.sheets.workbook import new_workbook, workbook_bytes

    workbook = new_workbook(title=f"Kết quả Chỉ số CCHC — {ruleset.id}")
    styles = _Styles()
    ranking = workbook.active
    ranking.title = RANKING_SHEET
    order = display_order(cohort, table)
    names = sheet_names([u.unit for u in order], taken=[RANKING_SHEET])
    _ranking_sheet(ranking, ruleset, cohort, order, tie_notes(table), styles)
    selves = {u.unit: u for u in self_cohort.units} if self_cohort is not None else {}
    for result, name in zip(order, names, strict=True):
        sheet = workbook.create_sheet(name)
        _unit_sheet(sheet, ruleset, cohort, result, selves.get(result.unit), styles)
    return workbook_bytes(workbook)


def _heading(sheet: Any, ruleset: Ruleset, lines: list[str], styles: _Styles) -> int:
    """Title lines and the provisional banner; returns the next free row."""
    row = 1
    for i, text in enumerate(lines):
        sheet.cell(row=row, column=1, value=text).font = styles.title if i == 0 else styles.bold
        row += 1
    banner = provisional_words(ruleset)
    if banner:
        cell = sheet.cell(row=row, column=1, value=banner)
        cell.font = styles.warn
        cell.fill = styles.warn_fill
        row += 1
    return row + 1


def _header(sheet: Any, row: int, headers: tuple[str, ...], styles: _Styles) -> None:
    for c, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=c, value=text)
        cell.font = styles.bold
        cell.fill = styles.head_fill
        cell.alignment = styles.center


def _rounded(result: UnitResult, value: Number | None) -> Decimal | None:
    return None if value is None else round_to(value, result.places, result.rounding)


def _ranking_sheet(
    sheet: Any,
    ruleset: Ruleset,
    cohort: CohortResult,
    order: list[UnitResult],
    ties: dict[str, str],
    styles: _Styles,
) -> None:
    from openpyxl.utils import get_column_letter

    row = _heading(
        sheet,
        ruleset,
        [
            f"Kết quả xếp hạng — {ruleset.title}",
            f"Bộ chỉ số {ruleset.id}; điểm: {STAGE_WORDS.get(cohort.stage, cohort.stage)}",
        ],
        styles,
    )
    _header(sheet, row, RANKING_HEADERS, styles)
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    fmt = number_format(ruleset.document.rounding.places)
    for result in order:
        row += 1
        values: list[Any] = [
            result.rank,
            result.unit,
            result.name,
            result.group,
            _rounded(result, result.score),
            result.max,
            _rounded(result, result.index),
            result.rank_class,
            unit_status(result, ties.get(result.unit)),
        ]
        for c, value in enumerate(values, start=1):
            cell = put(sheet, row, c, value)
            if c in (5, 7):
                cell.number_format = fmt
    for c, width in enumerate((7, 22, 42, 14, 12, 10, 12, 12, 36), start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width


def _unit_sheet(
    sheet: Any,
    ruleset: Ruleset,
    cohort: CohortResult,
    result: UnitResult,
    self_result: UnitResult | None,
    styles: _Styles,
) -> None:
    from openpyxl.utils import get_column_letter

    lines = [f"{result.name} ({result.unit})", ruleset.title]
    if result.rank is not None:
        lines.append(
            f"Xếp hạng: {result.rank}" + (f" — nhóm {result.group}" if result.group else "")
        )
    status = unit_status(result)
    if status:
        lines.append(status)
    row = _heading(sheet, ruleset, lines, styles)
    _header(sheet, row, UNIT_HEADERS, styles)
    sheet.freeze_panes = sheet.cell(row=row + 1, column=3)
    fmt = number_format(result.places)
    for node_id, node in result.nodes.items():
        if node_id == ROOT_ID:
            continue
        row += 1
        compiled = ruleset.nodes[node_id]
        self_node = self_result.nodes.get(node_id) if self_result else None
        leaf = compiled.is_leaf
        cells = [
            node_id,
            node.name,
            node.max,
            _rounded(result, self_node.score) if self_node else None,
            _rounded(result, node.score),
            node_note(result, node, self_node, leaf),
        ]
        for c, value in enumerate(cells, start=1):
            cell = put(sheet, row, c, value)
            cell.alignment = styles.wrap
            if c in (4, 5):
                cell.number_format = fmt
            if not leaf and c <= 5:
                cell.font = styles.bold
        if leaf and differs(self_node, node):
            for c in (4, 5):
                sheet.cell(row=row, column=c).fill = styles.diff_fill
    total = result.total
    self_total = self_result.total if self_result else None
    row += 1
    for c, value in enumerate(
        [
            None,
            "Tổng điểm",
            result.max,
            _rounded(result, self_total.score) if self_total else None,
            _rounded(result, result.score),
        ],
        start=1,
    ):
        cell = put(sheet, row, c, value)
        cell.font = styles.bold
        if c in (4, 5):
            cell.number_format = fmt
    row += 1
    index_row: list[Any] = [
        None,
        "Chỉ số CCHC (%)",
        100 if total is not None and total.max else None,
        _rounded(result, self_total.index) if self_total else None,
        _rounded(result, result.index),
    ]
    for c, value in enumerate(index_row, start=1):
        cell = put(sheet, row, c, value)
        cell.font = styles.bold
        if c in (4, 5):
            cell.number_format = fmt
    for c, width in enumerate((9, 60, 10, 12, 12, 40), start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width


class XlsxExporter:
    """The `xlsx` exporter: results in the annex layout (needs the ``excel`` extra)."""

    api_version: ClassVar[int] = API_VERSION
    suffix: ClassVar[str] = ".xlsx"
    binary: ClassVar[bool] = True
    summary: ClassVar[str] = "Excel workbook in the annex layout, one sheet per unit + ranking"

    def export(self, ruleset: Ruleset, cohort: CohortResult) -> bytes:
        table = ensure_ranked(ruleset, cohort)
        self_cohort = None
        if cohort.stage != "self" and cohort.facts is not None:
            self_cohort = ruleset.evaluate_cohort(cohort.facts, stage="self")
        elif cohort.stage == "self":
            self_cohort = cohort
        return results_workbook(ruleset, cohort, self_cohort=self_cohort, table=table)
