"""Find the annex's columns by their headers, whatever their order and wording.

Decisions head the same columns differently; these are the variants met in real annexes:

| role | headers |
|---|---|
| stt | STT, TT, Số thứ tự |
| name | Lĩnh vực/Tiêu chí/Tiêu chí thành phần, Nội dung, Tiêu chí |
| max | Điểm tối đa |
| rule | Cách chấm điểm, Hướng dẫn chấm điểm, Phương pháp chấm điểm, Thang điểm, |
| | Cách xác định và tính điểm |
| evidence | Tài liệu kiểm chứng |
| notes | Ghi chú |

Headers may span two rows (the Cà Mau annex puts "Điều tra XHH · Tự đánh giá · SNV đánh giá"
under "Điểm đánh giá"); columns whose header is none of these (the score columns a unit fills
in) are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from parindex_rules.annex.table import Table

#: How far down a table its header may sit.
HEADER_SEARCH_ROWS = 10

ROLES = ("stt", "name", "max", "rule", "evidence", "notes")
REQUIRED = ("stt", "name", "max")

_RULE_HEADERS = (
    "cách chấm điểm",
    "hướng dẫn chấm điểm",
    "phương pháp chấm điểm",
    "thang điểm",
    "cách xác định và tính điểm",
    "cách xác định, tính điểm",
    "cách tính điểm",
)


def fold(text: str) -> str:
    """Compare as people read: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def role_of(header: str) -> str | None:
    """Which column a header names, or None."""
    text = fold(header)
    if not text:
        return None
    if text in ("stt", "tt", "số thứ tự", "số tt") or re.fullmatch(r"s\.?\s?tt\.?", text):
        return "stt"
    if "tối đa" in text:
        return "max"
    if "tài liệu kiểm chứng" in text:
        return "evidence"
    if "ghi chú" in text:
        return "notes"
    if any(h in text for h in _RULE_HEADERS):
        return "rule"
    if "điểm" in text or text == "chỉ số":
        return None  # the score columns units fill in
    if any(word in text for word in ("lĩnh vực", "nội dung", "tiêu chí")):
        return "name"
    return None


@dataclass
class Columns:
    """Where each role's column is in a table, and where the data starts."""

    table: Table
    index: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    first_data_row: int = 0

    def get(self, row: int, role: str) -> str:
        return self.table.cell(row, self.index.get(role)).strip()

    @property
    def complete(self) -> bool:
        return all(role in self.index for role in REQUIRED)


def find_columns(table: Table) -> Columns:
    """The first header found for each role within the first rows; data starts after the
    header rows (and after a row numbering the columns, "(1) (2) (3) ...", if there is one)."""
    found = Columns(table)
    last_header_row = -1
    for r, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if found.complete and STT_LIKE.match(found.get(r, "stt")):
            break  # the first numbered item: data
        if _numbering_row(row):
            last_header_row = r
            continue
        roles_here = False
        for c, cell in enumerate(row):
            role = role_of(cell)
            if role is None:
                continue
            roles_here = True
            if role not in found.index:
                found.index[role] = c
                found.headers[role] = cell.strip()
        if roles_here:
            last_header_row = r
        elif found.complete:
            break  # a row without headers once every column is known: data
    found.first_data_row = last_header_row + 1
    return found


#: What an item's number looks like: 1, 1.2, 1.2.3, I, II.3 (a trailing dot allowed).
STT_LIKE = re.compile(r"^(?:[IVXLC]+|\d+)(?:\.\d+)*\.?$")


def _numbering_row(row: list[str]) -> bool:
    values = [c.strip() for c in row if c.strip()]
    if len(values) < 3:
        return False
    numbers = []
    for value in values:
        match = re.fullmatch(r"\(?(\d+)\)?", value)
        if not match:
            return False
        numbers.append(int(match.group(1)))
    unique = sorted(set(numbers))
    return unique == list(range(unique[0], unique[0] + len(unique)))
