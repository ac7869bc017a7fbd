"""The annex as a grid of text cells, read from Word (.docx), Excel (.xlsx) or CSV.

Every cell keeps where it was: the table (Word), sheet (Excel) or file (CSV), and its row and
column, so that a problem is reported at the cell a reader can find, and every node of the
imported ruleset can quote the row it came from. Word and Excel need the optional ``annex``
extra (python-docx, openpyxl); CSV needs nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.loader.yaml import decode

register_codes(
    Code("PR860", "annex-unreadable", Severity.ERROR, "The annex file cannot be read."),
    Code(
        "PR867",
        "annex-extra-missing",
        Severity.ERROR,
        "Reading Word or Excel annexes needs the optional `annex` extra.",
    ),
)

#: Annex files larger than this are refused before they are opened.
MAX_ANNEX_BYTES = 32 * 1024 * 1024

EXTRA_HINT = 'install the optional extra: pip install "parindex-rules[annex]"'


@dataclass
class Table:
    """One table of the annex: rows of cell texts, and how to name a place in it."""

    file: str
    kind: str  # "docx", "xlsx" or "csv"
    index: int  # 1-based: the n-th table of a Word file, the n-th sheet of a workbook
    name: str  # "Bảng 1", the sheet's name, or "CSV"
    rows: list[list[str]] = field(default_factory=list)
    #: The row number a reader sees for each row (sheet rows, CSV lines, table rows).
    row_numbers: list[int] = field(default_factory=list)

    def where(self, row: int, column: int | None = None) -> str:
        """A place a reader can find: "bảng 1, dòng 5, cột 3", "Sheet1!C5", "dòng 5"."""
        number = self.row_numbers[row]
        if self.kind == "xlsx":
            col = _column_letters(column + 1) if column is not None else ""
            return f"{self.name}!{col}{number}" if col else f"{self.name}, dòng {number}"
        where = f"dòng {number}" if self.kind == "csv" else f"bảng {self.index}, dòng {number}"
        return where + (f", cột {column + 1}" if column is not None else "")

    def diagnostic(
        self,
        code: str,
        message: str,
        row: int,
        column: int | None = None,
        *,
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        return Diagnostic.make(
            code,
            f"{self.where(row, column)}: {message}",
            file=self.file,
            line=self.row_numbers[row],
            column=(column + 1) if column is not None else 1,
            hint=hint,
            severity=severity,
        )

    def cell(self, row: int, column: int | None) -> str:
        if column is None or column >= len(self.rows[row]):
            return ""
        return self.rows[row][column]


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_tables(path: Path, display: str | None = None) -> list[Table]:
    """Every table of the file (by its suffix), or a DiagnosticError saying why not."""
    name = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".xlsx", ".csv"):
        raise _problem(
            name, f"not an annex file: {path.suffix or 'no suffix'}", "use .docx, .xlsx or .csv"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DiagnosticError(
            [Diagnostic.make("PR001", f"cannot read file: {exc.strerror or exc}", file=name)]
        ) from None
    if size > MAX_ANNEX_BYTES:
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR901",
                    f"file is {size} bytes; the limit is {MAX_ANNEX_BYTES}",
                    file=name,
                    line=1,
                    column=1,
                )
            ]
        )
    if suffix == ".csv":
        return [_read_csv(path, name)]
    if suffix == ".xlsx":
        return _read_xlsx(path, name)
    return _read_docx(path, name)


def _problem(
    name: str, message: str, hint: str | None = None, code: str = "PR860"
) -> DiagnosticError:
    return DiagnosticError([Diagnostic.make(code, message, file=name, line=1, column=1, hint=hint)])


def cell_text(value: Any) -> str:
    """A cell's text as printed: numbers without float noise (14.5, not 14.499999...)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, Decimal):
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _read_csv(path: Path, name: str) -> Table:
    text = decode(path.read_bytes(), name)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = Table(file=name, kind="csv", index=1, name="CSV")
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            table.rows.append([cell_text(c) for c in row])
            table.row_numbers.append(reader.line_num)
    except csv.Error as exc:
        raise DiagnosticError(
            [Diagnostic.make("PR860", f"CSV: {exc}", file=name, line=reader.line_num, column=1)]
        ) from None
    return table


def _read_xlsx(path: Path, name: str) -> list[Table]:
    try:
        import openpyxl
    except ImportError:
        raise _problem(name, "reading .xlsx needs openpyxl", EXTRA_HINT, "PR867") from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _problem(name, f"not a readable Excel workbook: {exc}") from None
    tables = []
    try:
        for index, sheet in enumerate(workbook.worksheets, start=1):
            table = Table(file=name, kind="xlsx", index=index, name=sheet.title)
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                table.rows.append([cell_text(v) for v in row])
                table.row_numbers.append(number)
            tables.append(table)
    finally:
        workbook.close()
    return tables


def _read_docx(path: Path, name: str) -> list[Table]:
    try:
        import docx
    except ImportError:
        raise _problem(name, "reading .docx needs python-docx", EXTRA_HINT, "PR867") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise _problem(name, f"not a readable Word document: {exc}") from None
    tables = []
    for index, source in enumerate(document.tables, start=1):
        table = Table(file=name, kind="docx", index=index, name=f"Bảng {index}")
        for number, row in enumerate(source.rows, start=1):
            table.rows.append([cell_text(cell.text) for cell in row.cells])
            table.row_numbers.append(number)
        tables.append(table)
    return tables
