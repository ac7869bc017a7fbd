"""Facts from a .csv file: one row per unit and item (docs/auditors.md, "Facts in CSV").

Columns are found by their header, in any order:

- ``unit`` (required), and the unit's details on any of its rows: ``name``, ``group``, ``type``,
  ``submitted``, ``not_ranked`` (the reason), ``not_evaluated`` (the reason);
- ``item`` (the node id, e.g. 1.1.4) and ``input`` (an input or checklist condition of that item,
  for items whose facts have several parts); a row with an empty ``item`` carries unit details;
- values: ``self``, ``appraisal_1``, ``appraisal_2``, ... (rounds in order), ``survey`` (the
  survey value of the facts year) or ``survey_2023``, ``evidence`` (one document per line:
  ``number | date | title | link``), ``explanation``, ``applicable`` (true/false) and ``reason``;
- optional ``ruleset`` and ``year``; by default those of the ruleset the facts are read for.

Commas or semicolons separate columns (the header line decides); UTF-8 with or without a BOM.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from parindex_rules import limits
from parindex_rules.diagnostics import Diagnostic, DiagnosticError, FactsError
from parindex_rules.loader.facts import Facts
from parindex_rules.loader.yaml import read_text
from parindex_rules.plugins import API_VERSION
from parindex_rules.sheets.build import FactsBuilder, Pos, cell_value, plain_text

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset

UNIT_COLUMNS = ("name", "group", "type", "submitted", "not_ranked", "not_evaluated")
VALUE_COLUMNS = ("self", "evidence", "explanation", "applicable", "reason")
TOP_COLUMNS = ("ruleset", "year")
_ROUND = re.compile(r"^appraisal_(\d+)$")
_SURVEY = re.compile(r"^survey(?:_(\d{4}))?$")


def needs_ruleset(path: Path, kind: str) -> FactsError:
    return FactsError(
        [
            Diagnostic.make(
                "PR820",
                f"facts in a {kind} table are read for a ruleset: give it "
                "(read_facts(path, ruleset=...), or the RULESET argument of the command)",
                file=str(path),
            )
        ]
    )


def column_of(header: str, year: int) -> str | None:
    """The builder's key for a CSV header, or None when the header is unknown."""
    name = header.strip().lower()
    if name in ("unit", "item", "input", *UNIT_COLUMNS, *VALUE_COLUMNS, *TOP_COLUMNS):
        return name
    match = _ROUND.match(name)
    if match and int(match.group(1)) >= 1:
        return f"appraisal:{int(match.group(1))}"
    match = _SURVEY.match(name)
    if match:
        return f"survey:{match.group(1) or year}"
    return None


class CsvFactsReader:
    """One row per unit and item; see the module docstring for the columns."""

    api_version: ClassVar[int] = API_VERSION
    suffixes: ClassVar[tuple[str, ...]] = (".csv",)
    summary: ClassVar[str] = "facts as CSV, one row per unit and item (docs/auditors.md)"

    def read(self, path: Path, *, ruleset: Ruleset | None = None) -> Facts:
        if ruleset is None:
            raise needs_ruleset(path, "CSV")
        try:
            text = read_text(path, max_bytes=limits.MAX_FACTS_BYTES, display=str(path))
        except DiagnosticError as exc:
            raise FactsError(exc.diagnostics) from None
        return read_csv_text(text, str(path), ruleset)


def read_csv_text(text: str, file: str, ruleset: Ruleset) -> Facts:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    builder = FactsBuilder(file, ruleset)
    try:
        header = next(reader)
    except StopIteration:
        raise FactsError(
            [Diagnostic.make("PR820", "the CSV file is empty: no header line", file=file)]
        ) from None
    year = ruleset.document.year
    columns: list[str | None] = []
    for i, name in enumerate(header):
        key = column_of(name, year)
        pos = Pos(1, i + 1, f"line 1, column {i + 1}")
        if key is None and name.strip():
            builder.problem(
                "PR821",
                f"unknown column {name.strip()!r}",
                pos,
                hint="columns: unit, item, input, self, appraisal_1, appraisal_2, survey, "
                "evidence, explanation, applicable, reason, name, group, type, submitted, "
                "not_ranked, not_evaluated, ruleset, year",
            )
        if key is not None and key in columns:
            builder.problem("PR823", f"column {name.strip()!r} appears twice", pos)
        columns.append(key)
    for required in ("unit", "item"):
        if required not in columns:
            builder.problem(
                "PR820", f"the header line has no {required!r} column", Pos(1, 1, "line 1")
            )
    if builder.problems:
        raise FactsError(builder.problems)
    names = [h.strip() for h in header]
    line = 1
    for record in reader:
        start = line + 1
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        cells: dict[str, tuple[object, Pos]] = {}
        for i, raw in enumerate(record):
            if i >= len(columns):
                if raw.strip():
                    builder.problem(
                        "PR821",
                        f"a value beyond the last column ({raw.strip()!r})",
                        Pos(start, i + 1, f"line {start}, column {i + 1}"),
                    )
                continue
            key = columns[i]
            value = cell_value(raw)
            if key is None or value is None:
                continue
            cells[key] = (value, Pos(start, i + 1, f"line {start}, column {names[i]}"))
        _row(builder, cells, start)
    return builder.facts()


def _row(builder: FactsBuilder, cells: dict[str, tuple[object, Pos]], line: int) -> None:
    for key in TOP_COLUMNS:
        if key in cells:
            builder.set_top(key, *cells.pop(key))
    if "unit" not in cells:
        builder.problem("PR820", "the row names no unit", Pos(line, 1, f"line {line}"))
        return
    unit_id, unit_pos = cells.pop("unit")
    index = builder.unit(unit_id, unit_pos)
    for key in UNIT_COLUMNS:
        if key in cells:
            builder.set_unit_field(index, key, *cells.pop(key))
    item = cells.pop("item", None)
    sub = cells.pop("input", None)
    if item is None:
        given = [*cells.values(), *([sub] if sub is not None else [])]
        if given:
            builder.problem("PR820", "values are given but the row names no item", given[0][1])
        return
    item_id, item_pos = item
    builder.item_row(
        index,
        plain_text(item_id),
        None if sub is None else plain_text(sub[0]),
        cells,
        item_pos if sub is None else sub[1],
    )
