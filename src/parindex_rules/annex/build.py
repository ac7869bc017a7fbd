"""From the rows of an annex table to ruleset data, with every problem located at its row.

The hierarchy comes from the STT column: "1" is a field, "1.1" a criterion, "1.1.1" a
sub-criterion; fields numbered in Roman numerals keep them, and their criteria's numbers are
prefixed ("I" then "8" is criterion "I.8", "8.1" is "I.8.1"). A row without a number under an
item is a line of that item's rule (its points in the maximum column); a row whose name starts
with "Tổng" is the total. Names are kept as printed (line breaks inside a cell become spaces),
maxima read with decimal commas, survey items recognised from the Ghi chú column, and every node
quotes its row as its `source`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex_rules.annex.columns import STT_LIKE, Columns, find_columns
from parindex_rules.annex.rules import ParsedRule, RuleLine, parse_rule, split_lines
from parindex_rules.annex.table import Table
from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.numbers import NotADecimal, Number, format_exact, parse_decimal, total

register_codes(
    Code("PR861", "annex-no-table", Severity.ERROR, "No table has the annex's columns."),
    Code("PR862", "annex-bad-number", Severity.ERROR, "An STT or a maximum cannot be read."),
    Code(
        "PR863",
        "annex-max-sum",
        Severity.ERROR,
        "In the annex, an item's maximum differs from the sum of its children's.",
    ),
    Code(
        "PR864",
        "annex-rule-not-recognised",
        Severity.WARNING,
        "A rule's text is kept verbatim as a `points` item: review it.",
    ),
    Code(
        "PR865",
        "annex-row-misplaced",
        Severity.ERROR,
        "A row's number does not fit the rows above it (or the row fits nowhere).",
    ),
    Code("PR866", "annex-review", Severity.WARNING, "Something the import could not decide."),
)

DOCUMENT_KEY = "phuluc"

_SURVEY_MARK = re.compile(
    r"điều tra|xã hội học|\bxhh\b|khảo sát|sipas|papi|mức độ hài lòng|chỉ số hài lòng",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"^tổng(\s+cộng|\s+số|\s+điểm|\s*:|$)", re.IGNORECASE)
_ROMAN = re.compile(r"^[IVXLC]+$")
_LEVELS = ("field", "criterion", "subcriterion")


def as_printed(text: str) -> list[str]:
    """A cell's lines as printed: NFC, blank lines and trailing spaces dropped, nothing else."""
    lines = unicodedata.normalize("NFC", text).splitlines()
    return [line.strip() for line in lines if line.strip()]


def clean(text: str) -> str:
    """A cell's words as printed: NFC, line breaks inside the cell joined by a space."""
    return " ".join(
        part.strip() for part in unicodedata.normalize("NFC", text).splitlines() if part.strip()
    )


@dataclass
class Item:
    """One numbered row of the annex."""

    id: str
    level: str
    row: int
    name: str
    max_text: str
    max: Decimal | None
    rule_text: str
    evidence: str
    notes: str
    sub_rows: list[RuleLine] = field(default_factory=list)
    sub_row_numbers: list[int] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    parent: Item | None = None


@dataclass
class Imported:
    """The ruleset data an annex gives, and every problem found on the way."""

    data: dict[str, Any]
    diagnostics: list[Diagnostic]
    table: Table
    columns: Columns
    recognised: dict[str, str]  # leaf id -> method
    reviews: dict[str, list[str]]  # item id -> what to check

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


@dataclass
class Options:
    """What the command line says about the ruleset the annex becomes."""

    id: str
    level: str
    title: str | None = None
    province: str | None = None
    decision: str | None = None
    year: int | None = None
    excerpt: bool = False
    table: int | None = None  # 1-based table (Word) or sheet (Excel) to read


def choose_table(tables: list[Table], wanted: int | None, file: str) -> tuple[Table, Columns]:
    """The table asked for, else the first whose headers name STT, the item and its maximum."""
    candidates = []
    for table in tables:
        columns = find_columns(table)
        if columns.complete:
            candidates.append((table, columns))
    if wanted is not None:
        for table in tables:
            if table.index == wanted:
                columns = find_columns(table)
                if columns.complete:
                    return table, columns
                missing = ", ".join(r for r in ("stt", "name", "max") if r not in columns.index)
                raise DiagnosticError(
                    [
                        Diagnostic.make(
                            "PR861",
                            f"{table.name}: no column for {missing}",
                            file=file,
                            line=1,
                            column=1,
                            hint=_COLUMN_HINT,
                        )
                    ]
                )
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR861",
                    f"the file has {len(tables)} table(s); there is no table {wanted}",
                    file=file,
                    line=1,
                    column=1,
                )
            ]
        )
    if not candidates:
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR861",
                    f"none of the {len(tables)} table(s) has the annex's columns",
                    file=file,
                    line=1,
                    column=1,
                    hint=_COLUMN_HINT,
                )
            ]
        )
    return candidates[0]


_COLUMN_HINT = (
    'the header row must name "STT", the item ("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", '
    '"Nội dung" or "Tiêu chí") and "Điểm tối đa"'
)


class _Builder:
    def __init__(self, table: Table, columns: Columns, options: Options, source_name: str) -> None:
        self.table = table
        self.columns = columns
        self.options = options
        self.source_name = source_name
        self.diags: list[Diagnostic] = []
        self.fields: list[Item] = []
        self.by_id: dict[str, Item] = {}
        self.total_row: int | None = None
        self.total: Decimal | None = None
        self.recognised: dict[str, str] = {}
        self.reviews: dict[str, list[str]] = {}

    # -- reporting
    def problem(
        self, code: str, message: str, row: int, role: str | None = None, **kw: Any
    ) -> None:
        column = self.columns.index.get(role) if role else None
        self.diags.append(self.table.diagnostic(code, message, row, column, **kw))

    # -- reading rows
    def read(self) -> None:
        current: Item | None = None
        for r in range(self.columns.first_data_row, len(self.table.rows)):
            stt = self.columns.get(r, "stt")
            name = clean(self.columns.get(r, "name"))
            max_text = self.columns.get(r, "max")
            if not stt and not name and not max_text and not self.columns.get(r, "rule"):
                continue
            if not stt and _TOTAL.match(name):
                self.total_row = r
                self.total = self._number(max_text, r, "the total")
                continue
            if not stt:
                if current is None:
                    self.problem(
                        "PR866",
                        f"row ignored: {name or max_text!r} comes before any numbered item",
                        r,
                        "name",
                        severity=Severity.WARNING,
                    )
                    continue
                if max_text == self.columns.get(r, "name"):
                    max_text = ""  # a merged cell repeats the label
                current.sub_rows.append(
                    RuleLine(
                        text=f"{name}: {max_text}" if max_text else name,
                        label=name if max_text else None,
                        points=max_text or None,
                    )
                )
                current.sub_row_numbers.append(r)
                continue
            item = self._item(stt, name, max_text, r)
            if item is not None:
                current = item

    def _number(self, text: str, row: int, what: str) -> Decimal | None:
        cleaned = re.sub(r"\s*(điểm|đ)\.?$", "", text.strip(), flags=re.IGNORECASE)
        if not cleaned:
            self.problem("PR862", f"{what} has no maximum", row, "max")
            return None
        try:
            return parse_decimal(cleaned)
        except NotADecimal:
            self.problem(
                "PR862",
                f"{what}: the maximum {text!r} is not a number",
                row,
                "max",
                hint='write it as "14,5" or "14.5"',
            )
            return None

    def _item(self, stt: str, name: str, max_text: str, row: int) -> Item | None:
        number = stt.strip().rstrip(".")
        if not STT_LIKE.match(stt.strip()):
            self.problem(
                "PR862",
                f"STT {stt!r} is not an item number such as 1, 1.2, 1.2.3 or II",
                row,
                "stt",
            )
            return None
        segments = number.split(".")
        last_field = self.fields[-1] if self.fields else None
        if _ROMAN.match(segments[0]):
            if len(segments) > 1:
                node_id, depth = number, len(segments)
            else:
                node_id, depth = number, 1
        elif last_field is not None and _ROMAN.match(last_field.id):
            node_id, depth = f"{last_field.id}.{number}", len(segments) + 1
        else:
            node_id, depth = number, len(segments)
        if depth > 3:
            self.problem(
                "PR865",
                f"STT {stt} is deeper than a sub-criterion (field · criterion · sub-criterion)",
                row,
                "stt",
            )
            return None
        if node_id in self.by_id:
            first = self.table.row_numbers[self.by_id[node_id].row]
            self.problem("PR865", f"STT {stt} is used twice (first on row {first})", row, "stt")
            return None
        parent: Item | None = None
        if depth > 1:
            head = node_id.rsplit(".", 1)[0]
            parent = self.by_id.get(head)
            if parent is None or _LEVELS.index(parent.level) != depth - 2:
                self.problem(
                    "PR865",
                    f"STT {stt}: no item {head} above it",
                    row,
                    "stt",
                    hint="each item must come after the item it belongs to",
                )
                return None
        item = Item(
            id=node_id,
            level=_LEVELS[depth - 1],
            row=row,
            name=name,
            max_text=max_text,
            max=self._number(max_text, row, f"item {node_id}"),
            rule_text=self.columns.get(row, "rule"),
            evidence=self.columns.get(row, "evidence"),
            notes=self.columns.get(row, "notes"),
            parent=parent,
        )
        if not name:
            self.problem("PR862", f"item {node_id} has no name", row, "name")
        self.by_id[node_id] = item
        if parent is None:
            self.fields.append(item)
        else:
            parent.children.append(item)
        return item

    # -- checks
    def check_sums(self) -> None:
        for item in self.by_id.values():
            if not item.children or item.max is None:
                continue
            maxima = [c.max for c in item.children]
            if any(m is None for m in maxima):
                continue
            added = total([m for m in maxima if m is not None])
            if added == item.max:
                continue
            first = self.table.row_numbers[item.children[0].row]
            last = self.table.row_numbers[item.children[-1].row]
            rows = f"row {first}" if first == last else f"rows {first}–{last}"
            parts = " + ".join(format_exact(m) for m in maxima if m is not None)
            if self.options.excerpt and added < item.max:
                self.problem(
                    "PR866",
                    f"item {item.id}: maximum {format_exact(item.max)} in the decision, "
                    f"{format_exact(added)} in the rows given (excerpt)",
                    item.row,
                    "max",
                )
                continue
            self.problem(
                "PR863",
                f"item {item.id}: maximum {format_exact(item.max)}, but its children ({rows}) "
                f"add up to {format_exact(added)} ({parts})",
                item.row,
                "max",
                hint="check the table; for an excerpt of an annex use --excerpt",
            )
        if self.total is not None and self.total_row is not None:
            fields: list[Number] = [f.max for f in self.fields if f.max is not None]
            added = total(fields)
            if added != self.total and not (self.options.excerpt and added < self.total):
                self.problem(
                    "PR863",
                    f"the total is {format_exact(self.total)}, but the fields add up to "
                    f"{format_exact(added)}",
                    self.total_row,
                    "max",
                )

    # -- writing the data
    def source(self, item: Item) -> dict[str, Any]:
        words = [item.name, item.max_text]
        if item.rule_text.strip():
            words.append(clean(item.rule_text))
        words += [line.text for line in item.sub_rows]
        quote = " · ".join(w for w in words if w)
        return {
            "document": DOCUMENT_KEY,
            "part": self.table.name,
            "row": item.id,
            "line": self.table.row_numbers[item.row],
            "quote": quote,
        }

    def node(self, item: Item, inherited_survey: bool) -> dict[str, Any]:
        maximum = item.max if item.max is not None else Decimal(0)
        data: dict[str, Any] = {"id": item.id, "name": item.name, "max": maximum}
        survey = bool(_SURVEY_MARK.search(item.notes))
        children = [self.node(child, inherited_survey or survey) for child in item.children]
        if self.options.excerpt and children and item.max is not None:
            # An excerpt: the item counts what its rows give; the decision's maximum is kept.
            given = total([c["max"] for c in children])
            if given < item.max:
                data["max"] = given
                data["excerpt_of"] = item.max
        if survey and not inherited_survey:
            data["origin"] = "survey"
        if item.notes:
            data["notes"] = clean(item.notes)
            if survey:
                data["basis"] = clean(item.notes)
        data["source"] = self.source(item)
        if item.children:
            if item.rule_text.strip() or item.sub_rows:
                words = [*split_lines(item.rule_text), *(line.text for line in item.sub_rows)]
                data["notes"] = "\n".join(filter(None, [data.get("notes"), *words]))
                self.problem(
                    "PR866",
                    f"item {item.id} has sub-items and rule text; the text is kept in its notes",
                    item.row,
                    "rule",
                )
            if item.evidence:
                data["notes"] = "\n".join(
                    filter(
                        None, [data.get("notes"), f"Tài liệu kiểm chứng: {clean(item.evidence)}"]
                    )
                )
            data["criteria" if item.level == "field" else "subcriteria"] = children
            return data
        if item.level == "field":
            self.problem("PR865", f"field {item.id} has no criteria under it", item.row, "stt")
        return self.leaf(item, data, survey or inherited_survey)

    def leaf(self, item: Item, data: dict[str, Any], survey: bool) -> dict[str, Any]:
        lines = [RuleLine(text=line) for line in split_lines(item.rule_text)] + item.sub_rows
        # The rule as the annex prints it (bullets, semicolons and line breaks kept): what an
        # auditor reads beside the number. `lines` is only what the scoring is recognised from.
        rule_words = [*as_printed(item.rule_text), *(line.text for line in item.sub_rows)]
        if rule_words:
            data["rule"] = "\n".join(rule_words)
        if item.evidence:
            data["evidence_documents"] = clean(item.evidence)
        if survey:
            data["scoring"] = {"method": "survey"}
            self.recognised[item.id] = "survey"
            self.reviews.setdefault(item.id, []).append(
                "survey item: points from the survey value; add `scale:` for a percentage"
            )
            self.problem(
                "PR866",
                f"item {item.id} is a survey item (Ghi chú: {clean(item.notes)!r}): scored "
                "from the survey value as points; add `scale:` if the survey gives a percentage",
                item.row,
                "notes",
                severity=Severity.WARNING,
            )
            return data
        maximum = data["max"]
        parsed: ParsedRule = parse_rule(lines, node_id=item.id, name=item.name, maximum=maximum)
        self.recognised[item.id] = parsed.method if parsed.recognised else "points (review)"
        if parsed.inputs:
            data["inputs"] = parsed.inputs
        data["scoring"] = parsed.scoring
        for note in parsed.review:
            self.reviews.setdefault(item.id, []).append(note)
            code = "PR864" if not parsed.recognised else "PR866"
            self.problem(
                code, f"item {item.id}: {note}", item.row, "rule", severity=Severity.WARNING
            )
        return data

    def ruleset(self) -> dict[str, Any]:
        options = self.options
        province_slug, _, rest = options.id.partition("-")
        year_text = rest.split("/", 1)[0]
        year = options.year or (int(year_text) if year_text.isdigit() else 0)
        fields = [self.node(f, False) for f in self.fields]
        field_sum = total([f["max"] for f in fields])
        root_source: dict[str, Any] = {"document": DOCUMENT_KEY, "part": self.table.name}
        notes = [f"Nhập từ {self.source_name} ({self.table.name}) bằng parindex import-annex."]
        if self.total is not None and self.total_row is not None:
            root_source["line"] = self.table.row_numbers[self.total_row]
            total_name = clean(self.columns.get(self.total_row, "name"))
            root_source["quote"] = f"{total_name} · {self.columns.get(self.total_row, 'max')}"
        else:
            notes.append("Bảng không có dòng tổng: tổng điểm tối đa là tổng các lĩnh vực.")
        data: dict[str, Any] = {
            "id": options.id,
            "title": options.title or f"Chỉ số CCHC — {options.id}",
            "province": options.province or province_slug,
            "level": options.level,
            "year": year,
            "decision": {"number": options.decision or "(chưa nhập)"},
            "max": field_sum,
        }
        if options.excerpt and self.total is not None and field_sum < self.total:
            data["excerpt_of"] = self.total
        data["source"] = root_source
        data["documents"] = {
            DOCUMENT_KEY: {
                "title": f"Phụ lục: {self.source_name}",
                "note": f"{self.table.name}; đọc bằng parindex import-annex",
            }
        }
        data["provenance"] = {"notes": notes}
        data["fields"] = fields
        for what, option, given in (
            ("title", "--title (the decision's own wording)", options.title),
            ("province", "--province", options.province),
            ("decision", "--decision (its number)", options.decision),
        ):
            if not given:
                self.diags.append(
                    Diagnostic.make(
                        "PR866",
                        f"the table does not give the ruleset's {what}: a placeholder was "
                        f"written; set {option}",
                        file=self.table.file,
                        line=1,
                        column=1,
                        severity=Severity.WARNING,
                    )
                )
        return data


def import_table(tables: list[Table], options: Options, source_name: str | None = None) -> Imported:
    """The ruleset data of the annex table, and every problem found (located at its row)."""
    if not tables:
        raise DiagnosticError(
            [Diagnostic.make("PR861", "the file holds no table", file="<annex>", line=1, column=1)]
        )
    file = tables[0].file
    table, columns = choose_table(tables, options.table, file)
    builder = _Builder(table, columns, options, source_name or Path(file).name)
    builder.read()
    if not builder.fields:
        raise DiagnosticError(
            [
                table.diagnostic(
                    "PR861",
                    "the table has no numbered items under its header",
                    max(columns.first_data_row - 1, 0),
                )
            ]
        )
    builder.check_sums()
    data = builder.ruleset()
    return Imported(data, builder.diags, table, columns, builder.recognised, builder.reviews)
