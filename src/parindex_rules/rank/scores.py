"""Published scores from a CSV file, to rank results computed elsewhere (an auditor's check).

Columns: ``unit`` and ``index`` (required), and optionally ``name``, ``group``, ``ranked`` and
``reason``. The first line names the columns, in any order; unknown columns are errors.
``ranked`` is true/false (also yes/no, có/không, 1/0; empty means true). An index is read
exactly as written; a decimal comma is accepted in quoted values ("89,95"), or anywhere when the
file separates columns with semicolons (detected from the header line). Every bad line is
reported with its line and column; nothing is ranked until the file is clean.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from parindex_rules import limits
from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.loader.yaml import read_text
from parindex_rules.model.ruleset import NotRanked
from parindex_rules.numbers import NotADecimal, parse_decimal
from parindex_rules.rank.ranking import RankEntry

register_codes(
    Code(
        "PR802",
        "scores-header",
        Severity.ERROR,
        "The scores CSV's first line lacks a required column, repeats one or names an unknown one.",
    ),
    Code(
        "PR803",
        "scores-row",
        Severity.ERROR,
        "A line of the scores CSV cannot be read (column count, number, true/false).",
    ),
)

REQUIRED = ("unit", "index")
OPTIONAL = ("name", "group", "ranked", "reason")
_TRUE = {"true", "yes", "1", "có", "co", "x"}
_FALSE = {"false", "no", "0", "không", "khong"}


@dataclass
class ScoresFile:
    """Entries in file order and the most decimal places an index was written with."""

    file: str
    entries: list[RankEntry]
    places: int


def read_scores(path: str | Path) -> ScoresFile:
    """Read a scores CSV. Raises :class:`DiagnosticError` listing every bad line."""
    display = str(path)
    text = read_text(Path(path), max_bytes=limits.MAX_FACTS_BYTES, display=display)
    return parse_scores(text, display)


def parse_scores(text: str, name: str = "<scores>") -> ScoresFile:
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    problems: list[Diagnostic] = []

    def problem(code: str, message: str, line: int, column: int, hint: str | None = None) -> None:
        problems.append(
            Diagnostic.make(code, message, file=name, line=line, column=column, hint=hint)
        )

    header_line = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_line is None:
        raise DiagnosticError([Diagnostic.make("PR003", "the file is empty", file=name, line=1)])
    first = lines[header_line]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        start = 1
        for record in reader:
            rows.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        problem("PR803", f"cannot read the CSV: {exc}", reader.line_num, 1)
        raise DiagnosticError(problems) from None
    rows = [(n, r) for n, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise DiagnosticError([Diagnostic.make("PR003", "the file is empty", file=name, line=1)])
    (header_no, header), body = rows[0], rows[1:]
    if len(body) > limits.MAX_UNITS:
        problem("PR905", f"the file has {len(body)} rows; the limit is {limits.MAX_UNITS}", 1, 1)
        raise DiagnosticError(problems)
    columns: dict[str, int] = {}
    offsets = _offsets(lines[header_no - 1], delimiter)
    for i, raw in enumerate(header):
        key = raw.strip().lower()
        column = offsets[i] if i < len(offsets) else 1
        if key not in REQUIRED + OPTIONAL:
            problem(
                "PR802",
                f"unknown column {raw.strip()!r}",
                header_no,
                column,
                "columns: unit, index, and optionally name, group, ranked, reason",
            )
        elif key in columns:
            problem("PR802", f"column {key!r} appears twice", header_no, column)
        else:
            columns[key] = i
    for key in REQUIRED:
        if key not in columns:
            problem("PR802", f"the first line has no {key!r} column", header_no, 1)
    if problems:
        raise DiagnosticError(problems)

    entries: list[RankEntry] = []
    seen: dict[str, int] = {}
    places = 0
    for line_no, record in body:
        physical = lines[line_no - 1] if line_no - 1 < len(lines) else ""
        offsets = _offsets(physical, delimiter)

        def column_of(key: str, offsets: list[int] = offsets) -> int:
            i = columns[key]
            return offsets[i] if i < len(offsets) else 1

        if len(record) != len(header):
            hint = None
            if len(record) > len(header) and delimiter == ",":
                hint = 'quote decimals written with a comma: "89,95"'
            problem(
                "PR803",
                f"{len(record)} values for {len(header)} columns",
                line_no,
                1,
                hint,
            )
            continue

        def cell(key: str, record: list[str] = record) -> str:
            return record[columns[key]].strip() if key in columns else ""

        unit = cell("unit")
        if not unit:
            problem("PR803", "the unit is empty", line_no, column_of("unit"))
            continue
        if unit in seen:
            problem(
                "PR501",
                f"unit {unit!r} appears twice (first on line {seen[unit]})",
                line_no,
                column_of("unit"),
            )
            continue
        seen[unit] = line_no
        ranked = True
        ranked_text = cell("ranked").lower()
        if ranked_text:
            if ranked_text in _TRUE:
                ranked = True
            elif ranked_text in _FALSE:
                ranked = False
            else:
                problem(
                    "PR803",
                    f"ranked is {cell('ranked')!r}: write true or false (yes/no, 1/0)",
                    line_no,
                    column_of("ranked"),
                )
                continue
        reason = cell("reason") or None
        if not ranked and reason is None:
            problem(
                "PR514",
                f"unit {unit!r} is not ranked but gives no reason",
                line_no,
                column_of("ranked"),
                "fill the reason column",
            )
            continue
        index_text = cell("index")
        index = None
        if index_text:
            try:
                index = parse_decimal(index_text)
            except NotADecimal as exc:
                problem("PR803", f"index: {exc}", line_no, column_of("index"))
                continue
            if index < 0:
                problem("PR803", f"index {index_text} is negative", line_no, column_of("index"))
                continue
            places = max(places, -int(index.as_tuple().exponent))
        elif ranked:
            problem(
                "PR803",
                f"unit {unit!r} is ranked but has no index",
                line_no,
                column_of("index"),
                "give the index, or set ranked to false with a reason",
            )
            continue
        entries.append(
            RankEntry(
                unit=unit,
                name=cell("name") or unit,
                group=cell("group") or None,
                index=index,
                ranked=ranked,
                reason=reason,
                where=(name, line_no, 1),
            )
        )
    if problems:
        raise DiagnosticError(problems)
    return ScoresFile(name, entries, places)


def apply_not_ranked(scores: ScoresFile, rules: Sequence[NotRanked]) -> list[str]:
    """Mark the units a ruleset's ``ranking.not_ranked`` names as not ranked, with its reason;
    returns their ids. A unit the CSV already marks not ranked keeps the CSV's reason. Names
    match as :meth:`NotRanked.matches` says (a CSV without a name column: the unit column)."""
    marked: list[str] = []
    for i, entry in enumerate(scores.entries):
        if not entry.ranked:
            continue
        rule = next((r for r in rules if r.matches(entry.unit, entry.name)), None)
        if rule is not None:
            scores.entries[i] = replace(entry, ranked=False, reason=rule.reason)
            marked.append(entry.unit)
    return marked


def _offsets(line: str, delimiter: str) -> list[int]:
    """1-based columns where each value of a CSV line starts (quotes respected)."""
    offsets = [1]
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            offsets.append(i + 2)
    return offsets
