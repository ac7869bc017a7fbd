"""Facts from an .xlsx workbook in the annex layout (the template of `parindex template`).

Each sheet is one unit: "label | value" rows above the table give the unit's details (Mã đơn
vị, Tên đơn vị, ...), then a header row (STT, ..., Điểm tự đánh giá, Thẩm định lần 1, ..., Mã)
and one row per item, keyed by STT or Mã; sub-rows without STT carry an item's inputs or
conditions, keyed by Mã. Columns are found by their header. Sheets named "Hướng dẫn" or starting
with "_" are skipped; any other sheet must be a unit sheet. Every problem names the sheet and
cell (the diagnostic's line is the row, its column the column number).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from parindex_rules import limits
from parindex_rules.compile.compiled import ROOT_ID
from parindex_rules.diagnostics import Diagnostic, FactsError
from parindex_rules.loader.facts import Facts
from parindex_rules.model.common import NODE_ID
from parindex_rules.plugins import API_VERSION
from parindex_rules.sheets.build import FactsBuilder, Pos, cell_value, plain_text
from parindex_rules.sheets.csv_reader import needs_ruleset
from parindex_rules.sheets.layout import column_key, fold, unit_field
from parindex_rules.sheets.template import INSTRUCTIONS_SHEET
from parindex_rules.sheets.workbook import (
    MAX_SHEET_ROWS,
    MAX_WORKBOOK_UNPACKED,
    require_openpyxl,
)

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset

#: Rows scanned for the header row.
HEADER_SCAN = 60
#: Value columns passed to the builder (the others are shown for people only).
VALUE_KEYS = ("self", "survey", "evidence", "explanation", "not_applicable")


def _letter(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


class XlsxFactsReader:
    """Unit sheets in the annex layout; see the module docstring."""

    api_version: ClassVar[int] = API_VERSION
    suffixes: ClassVar[tuple[str, ...]] = (".xlsx", ".xlsm")
    summary: ClassVar[str] = (
        "facts in the annex layout, one sheet per unit (`parindex template --format xlsx`)"
    )

    def read(self, path: Path, *, ruleset: Ruleset | None = None) -> Facts:
        if ruleset is None:
            raise needs_ruleset(path, ".xlsx")
        openpyxl = require_openpyxl(str(path))
        workbook = _open(openpyxl, path)
        try:
            return read_workbook(workbook, str(path), ruleset)
        finally:
            workbook.close()


def _unreadable(path: Path, why: str) -> FactsError:
    return FactsError(
        [Diagnostic.make("PR826", f"cannot read the workbook: {why}", file=str(path))]
    )


def _open(openpyxl: Any, path: Path) -> Any:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FactsError(
            [Diagnostic.make("PR001", f"cannot read file: {exc.strerror or exc}", file=str(path))]
        ) from None
    if size > limits.MAX_FACTS_BYTES:
        raise FactsError(
            [
                Diagnostic.make(
                    "PR901",
                    f"file is {size} bytes; the limit is {limits.MAX_FACTS_BYTES}",
                    file=str(path),
                    line=1,
                    column=1,
                )
            ]
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _unreadable(path, f"not an .xlsx file ({exc})") from None
    if unpacked > MAX_WORKBOOK_UNPACKED:
        raise _unreadable(
            path, f"it unpacks to {unpacked} bytes; the limit is {MAX_WORKBOOK_UNPACKED}"
        )
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _unreadable(path, f"{type(exc).__name__}: {exc}") from None


def skipped(title: str) -> bool:
    return title.startswith("_") or fold(title) == fold(INSTRUCTIONS_SHEET)


def read_workbook(workbook: Any, file: str, ruleset: Ruleset) -> Facts:
    builder = FactsBuilder(file, ruleset)
    for sheet in workbook.worksheets:
        if skipped(sheet.title):
            continue
        _read_sheet(builder, sheet, ruleset)
    if not builder.units and not builder.problems:
        builder.problems.append(
            Diagnostic.make(
                "PR820",
                "the workbook has no unit sheet (a sheet with Mã đơn vị and the STT table)",
                file=file,
            )
        )
    return builder.facts()


def _read_sheet(builder: FactsBuilder, sheet: Any, ruleset: Ruleset) -> None:
    title = sheet.title

    def pos(r: int, c: int) -> Pos:
        return Pos(r, c, f"sheet {title!r}, cell {_letter(c)}{r}")

    rows = []
    for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if r > MAX_SHEET_ROWS:
            builder.problem("PR824", f"the sheet has more than {MAX_SHEET_ROWS} rows", pos(r, 1))
            return
        rows.append(values)
    header_at = None
    for r, values in enumerate(rows[:HEADER_SCAN], start=1):
        keys = [column_key(str(v)) for v in values if isinstance(v, str)]
        if ("stt" in keys or "key" in keys) and any(
            k is not None and (k in ("self", "survey") or k.startswith("appraisal:")) for k in keys
        ):
            header_at = r
            break
    if header_at is None:
        if any(cell_value(v) is not None for values in rows for v in values):
            builder.problem(
                "PR820",
                f"sheet {title!r} has no header row (STT, Điểm tự đánh giá, ...); name it "
                "with a leading _ if it is not a unit sheet",
                pos(1, 1),
            )
        return
    # -- unit details above the table
    details: dict[str, tuple[Any, Pos]] = {}
    for r, values in enumerate(rows[: header_at - 1], start=1):
        label = values[0] if values else None
        value = cell_value(values[1]) if len(values) > 1 else None
        extra = [c for c, v in enumerate(values[2:], start=3) if cell_value(v) is not None]
        if extra:
            builder.problem(
                "PR821",
                "unit details take a label in column A and a value in column B only",
                pos(r, extra[0]),
            )
        if value is None:
            continue
        key = unit_field(str(label)) if isinstance(label, str) else None
        if key is None:
            builder.problem("PR821", f"unknown unit detail {label!r}", pos(r, 1))
            continue
        details[key] = (value, pos(r, 2))
    for key in ("ruleset", "year"):
        if key in details:
            builder.set_top(key, *details.pop(key))
    # -- the table
    columns: dict[int, str] = {}
    for c, header in enumerate(rows[header_at - 1], start=1):
        if header is None or not str(header).strip():
            continue
        key = column_key(str(header))
        if key is None:
            builder.problem("PR821", f"unknown column {str(header).strip()!r}", pos(header_at, c))
            continue
        if key in columns.values():
            builder.problem(
                "PR823", f"column {str(header).strip()!r} appears twice", pos(header_at, c)
            )
            continue
        columns[c] = key
    if "unit" not in details:
        filled = details or any(
            cell_value(v) is not None
            for values in rows[header_at:]
            for c, v in enumerate(values, start=1)
            if columns.get(c) not in (None, "stt", "key", "name", "max", "guide", "notes")
        )
        if filled:  # an untouched copy of the template's unit sheet is skipped
            builder.problem("PR820", f"sheet {title!r} gives no Mã đơn vị", pos(1, 1))
        return
    index = builder.unit(*details.pop("unit"))
    if len(builder.units) - 1 != index:
        builder.problem(
            "PR823",
            f"unit {builder.units[index]['unit']} has a sheet already",
            pos(header_at, 1),
        )
        return
    for key, (value, at) in details.items():
        builder.set_unit_field(index, key, value, at)
    year = str(builder.top.get("year", ruleset.document.year))
    current: str | None = None
    for r, values in enumerate(rows[header_at:], start=header_at + 1):
        cells: dict[str, tuple[Any, Pos]] = {}
        stt = key_cell = None
        for c, raw in enumerate(values, start=1):
            key = columns.get(c)
            value = cell_value(raw)
            if value is None:
                continue
            if key is None:
                builder.problem("PR821", "a value in a column without a header", pos(r, c))
            elif key == "stt":
                stt = (plain_text(value), pos(r, c))
            elif key == "key":
                key_cell = (plain_text(value), pos(r, c))
            elif key in VALUE_KEYS or key.startswith("appraisal:"):
                column = f"survey:{year}" if key == "survey" else key
                cells[column] = (value, pos(r, c))
        if stt and key_cell and stt[0] != key_cell[0]:
            builder.problem("PR823", f"STT {stt[0]!r} and Mã {key_cell[0]!r} differ", key_cell[1])
            continue
        ident = key_cell or stt
        if ident is None:
            if cells:
                builder.problem(
                    "PR822",
                    "values on a row without STT or Mã",
                    next(iter(cells.values()))[1],
                )
            continue
        text, at = ident
        if text in ruleset.nodes and text != ROOT_ID:
            current = text
            if cells:
                builder.item_row(index, text, None, cells, at)
            continue
        if current is not None and not NODE_ID.match(text) and stt is None:
            if cells:
                builder.item_row(index, current, text, cells, at)
            continue
        builder.item_row(index, text, None, cells, at)  # reports the unknown item
