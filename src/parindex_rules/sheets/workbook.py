"""openpyxl, optionally: a clear message when it is missing, and byte-stable workbooks.

openpyxl comes with the ``excel`` extra; nothing in the core imports it. A saved workbook
normally differs from run to run (creation and modification times in docProps/core.xml, and
each zip entry's time stamp); :func:`workbook_bytes` fixes both, so the same results give the
same file, byte for byte.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.numbers import format_decimal, round_to

if TYPE_CHECKING:
    from openpyxl import Workbook

#: The time written in every workbook's properties and zip entries (the zip format's epoch).
FIXED_TIME = datetime.datetime(1980, 1, 1, 0, 0, 0)
#: Uncompressed bytes a workbook to read may hold (stops zip bombs before openpyxl sees them).
MAX_WORKBOOK_UNPACKED = 256 * 1024 * 1024
#: Rows read from one sheet.
MAX_SHEET_ROWS = 100_000

EXTRA_HINT = "install the Excel support: pip install 'parindex-rules[excel]'"


def require_openpyxl(file: str = "<xlsx>") -> Any:
    """Import openpyxl, or raise a diagnostic naming the extra that provides it."""
    try:
        import openpyxl
    except ImportError:
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR825",
                    "reading and writing .xlsx files needs openpyxl, which is not installed",
                    file=file,
                    hint=EXTRA_HINT,
                )
            ]
        ) from None
    return openpyxl


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write a cell; an exact number is written as its decimal text in a number cell.

    openpyxl writes numbers through a float with 16 digits (85.71 → 85.70999999999999); a number
    cell holding the decimal's own text reads back as exactly the value shown.
    """
    if isinstance(value, Fraction):
        value = round_to(value, 12)
    if isinstance(value, Decimal):
        cell = sheet.cell(row=row, column=column, value=format_decimal(value))
        cell.data_type = "n"
        return cell
    return sheet.cell(row=row, column=column, value=value)


def new_workbook(*, title: str) -> Workbook:
    openpyxl = require_openpyxl()
    workbook = openpyxl.Workbook()
    props = workbook.properties
    props.creator = "parindex-rules"
    props.lastModifiedBy = None
    props.title = title
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes that depend only on its content."""
    from openpyxl.xml.functions import tostring

    raw = io.BytesIO()
    workbook.save(raw)  # stamps `modified` with the time of saving: replaced below
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    core = tostring(workbook.properties.to_tree())
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            data = core if info.filename == "docProps/core.xml" else source.read(info.filename)
            target.writestr(entry, data)
    return out.getvalue()
