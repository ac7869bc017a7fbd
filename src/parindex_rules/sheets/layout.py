"""The annex layout of a facts table: its columns, its rows, and what each cell asks for.

One row per node of the ruleset, in the decision's order, numbered by STT (the node id). A leaf
whose facts have several parts gets sub-rows under it, keyed in the ``Mã`` column: one per
declared input (a formula or bands item reading several figures) or per condition (a checklist).
The same rows and keys serve the .xlsx template and reader and the .csv reader (``item`` and
``input`` columns), so a value always has one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.compile.compiled import ROOT_ID, CompiledNode
from parindex_rules.numbers import format_exact

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset

register_codes(
    Code(
        "PR820",
        "table-layout",
        Severity.ERROR,
        "A facts table lacks its header row or a required column (STT/Mã, or unit and item).",
    ),
    Code(
        "PR821",
        "table-unknown-column",
        Severity.ERROR,
        "A facts table has a column the layout does not define (never silently ignored).",
    ),
    Code(
        "PR822",
        "table-unknown-row",
        Severity.ERROR,
        "A row names no item of the ruleset, or a sub-row no input or condition of its item.",
    ),
    Code(
        "PR823",
        "table-conflict",
        Severity.ERROR,
        "The same value is given twice with different contents (unit details, a repeated row).",
    ),
    Code("PR824", "table-bad-cell", Severity.ERROR, "A cell's value cannot be read."),
    Code(
        "PR825",
        "missing-extra",
        Severity.ERROR,
        "An optional dependency is not installed; the message names the extra to install.",
    ),
    Code(
        "PR826", "unreadable-workbook", Severity.ERROR, "The file is not a readable .xlsx workbook."
    ),
)

RowKind = Literal["node", "input", "condition"]


@dataclass(frozen=True)
class Column:
    """A column of the facts table: its key, printed header, and other headers accepted."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    #: Shown for people, not read back (name, maximum, rule text, notes).
    informative: bool = False


#: The facts table's columns, in the template's order.
COLUMNS: tuple[Column, ...] = (
    Column("stt", "STT"),
    Column(
        "name",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        ("Nội dung", "Tiêu chí", "Lĩnh vực, tiêu chí, tiêu chí thành phần"),
        informative=True,
    ),
    Column("max", "Điểm tối đa", informative=True),
    Column(
        "guide",
        "Cách chấm điểm",
        ("Hướng dẫn chấm điểm", "Phương pháp chấm điểm", "Thang điểm", "Cách ghi"),
        informative=True,
    ),
    Column("self", "Điểm tự đánh giá", ("Tự đánh giá", "Tự chấm")),
    # "Thẩm định lần N" columns are matched by APPRAISAL below.
    Column("survey", "Điều tra XHH", ("Kết quả điều tra", "Điểm điều tra")),
    Column("evidence", "Tài liệu kiểm chứng"),
    Column("explanation", "Giải trình"),
    Column("not_applicable", "Không áp dụng (lý do)", ("Không áp dụng",)),
    Column("notes", "Ghi chú", informative=True),
    Column("key", "Mã", ("Mã mục",)),
)

#: "Thẩm định lần 1", "Điểm thẩm định lần 2", ... (a plain "Điểm thẩm định" is round 1).
APPRAISAL = re.compile(r"^(?:điểm )?thẩm định(?: lần (\d+))?$")
#: The template offers this many appraisal rounds; readers take any number.
TEMPLATE_ROUNDS = 2


def fold(text: str) -> str:
    """Compare headers and labels as people type them: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


_HEADERS = {fold(alias): c.key for c in COLUMNS for alias in (c.header, *c.aliases)}


def column_key(header: str) -> str | None:
    """The column key a header names ("appraisal:2" for round 2), or None when unknown."""
    text = fold(header)
    if text in _HEADERS:
        return _HEADERS[text]
    match = APPRAISAL.match(text)
    if match:
        return f"appraisal:{int(match.group(1) or 1)}"
    return None


def appraisal_header(round_number: int) -> str:
    return f"Thẩm định lần {round_number}"


#: Unit details written above the table as "label | value" pairs; key in the facts format.
UNIT_FIELDS: tuple[tuple[str, str], ...] = (
    ("ruleset", "Bộ chỉ số"),
    ("year", "Năm đánh giá"),
    ("unit", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("group", "Nhóm xếp hạng"),
    ("type", "Loại đơn vị"),
    ("submitted", "Ngày gửi"),
    ("not_ranked", "Không xếp hạng (lý do)"),
    ("not_evaluated", "Không đánh giá (lý do)"),
)
_UNIT_LABELS = {fold(label): key for key, label in UNIT_FIELDS}


def unit_field(label: str) -> str | None:
    return _UNIT_LABELS.get(fold(label.rstrip(":")))


YES = {"x", "có", "co", "true", "yes", "1", "đạt", "✓"}
NO = {"không", "khong", "false", "no", "0", "không đạt", "✗"}


def yes_no(text: str) -> bool | None:
    """A mark for a condition or a true/false column; None when it is neither."""
    value = fold(text)
    if value in YES:
        return True
    if value in NO:
        return False
    return None


@dataclass(frozen=True)
class LayoutRow:
    """One row of the facts table."""

    kind: RowKind
    #: The node id (kind "node") or the input / condition name (sub-rows).
    key: str
    #: The node the row belongs to.
    node: str
    name: str
    level: str
    max: Decimal | None
    #: The rule text and what to write, for the template's guidance column.
    guide: str
    leaf: bool
    #: Units give a self value on this row.
    self_value: bool
    #: A survey value is given on this row (the item is scored from a survey).
    survey: bool


def _input_words(kind: str, unit: str | None) -> str:
    words = {
        "percent": "tỷ lệ %, từ 0 đến 100",
        "count": "số lượng, số nguyên không âm",
        "ratio": "tỷ lệ từ 0 đến 1",
        "number": "số",
    }[kind]
    return f"{words} ({unit})" if unit else words


def _keyed(node: CompiledNode, attribute: str) -> list[tuple[str, str]]:
    """(key, label) pairs a method's settings list under `attribute` (options, conditions)."""
    if node.method is None:
        return []
    entries = getattr(node.method.config, attribute, None)
    if not isinstance(entries, list):
        return []
    out = []
    for entry in entries:
        key, label = getattr(entry, "key", None), getattr(entry, "label", None)
        if isinstance(key, str) and isinstance(label, str):
            out.append((key, label))
    return out


def conditions(node: CompiledNode) -> list[tuple[str, str]]:
    """A checklist-like leaf's conditions: each becomes a sub-row marked yes or no."""
    return _keyed(node, "conditions")


def sub_inputs(node: CompiledNode) -> list[str]:
    """A leaf reading several declared inputs gets one sub-row per input."""
    if node.method is None or node.method.reads != "inputs" or len(node.inputs) < 2:
        return []
    return list(node.inputs)


def what_to_give(node: CompiledNode, year: int) -> str:
    """One line in Vietnamese saying what a unit (or the council) writes for this leaf."""
    method = node.method
    if method is None:
        return ""
    if method.reads == "survey":
        return f"Kết quả điều tra năm {year} (cột Điều tra XHH): {method.describe()}"
    if not node.origin.self_assessable:
        return (
            "Hội đồng thẩm định chấm (đơn vị không tự chấm; ghi giải trình và tài liệu kiểm "
            "chứng): " + method.describe()
        )
    if conditions(node):
        return "Đánh dấu từng điều kiện ở các dòng dưới: x (đạt) hoặc không."
    if method.reads == "inputs":
        if len(node.inputs) == 1:
            spec = next(iter(node.inputs.values()))
            return f"Ghi {spec.label} ({_input_words(spec.kind, spec.unit)})."
        return "Ghi từng số liệu ở các dòng dưới."
    options = _keyed(node, "options")
    if options:
        return "Ghi một trong: " + "; ".join(label for _, label in options) + "."
    return f"Ghi điểm ({method.describe()})."


def layout_rows(ruleset: Ruleset) -> list[LayoutRow]:
    """Every row of the facts table of `ruleset`, in the decision's order."""
    year = ruleset.document.year
    rows: list[LayoutRow] = []
    for node in ruleset.nodes.values():
        if node.id == ROOT_ID:
            continue
        leaf = node.is_leaf
        survey = leaf and node.method is not None and node.method.reads == "survey"
        parts = sub_inputs(node) if leaf else []
        marks = conditions(node) if leaf else []
        guide = ""
        if leaf:
            guide = "\n".join(t for t in (node.rule or "", "→ " + what_to_give(node, year)) if t)
        rows.append(
            LayoutRow(
                kind="node",
                key=node.id,
                node=node.id,
                name=node.name,
                level=node.level,
                max=node.max,
                guide=guide,
                leaf=leaf,
                self_value=leaf and node.origin.self_assessable and not parts and not marks,
                survey=survey,
            )
        )
        for name in parts:
            spec = node.inputs[name]
            rows.append(
                LayoutRow(
                    kind="input",
                    key=name,
                    node=node.id,
                    name=spec.label,
                    level="input",
                    max=None,
                    guide=_input_words(spec.kind, spec.unit),
                    leaf=False,
                    self_value=node.origin.self_assessable,
                    survey=False,
                )
            )
        for key, label in marks:
            rows.append(
                LayoutRow(
                    kind="condition",
                    key=key,
                    node=node.id,
                    name=label,
                    level="condition",
                    max=None,
                    guide="x (đạt) hoặc không",
                    leaf=False,
                    self_value=node.origin.self_assessable,
                    survey=False,
                )
            )
    return rows


def max_text(value: Decimal | None) -> str:
    return "" if value is None else format_exact(value)


def leaf_ids(rows: Iterable[LayoutRow]) -> list[str]:
    return [r.node for r in rows if r.kind == "node" and r.leaf]
