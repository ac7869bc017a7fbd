"""The small core hooks this part relies on, and its plugin registrations."""

from __future__ import annotations

import parindex_rules as pr
from parindex_rules.exporters import exporters
from parindex_rules.loader.yaml import SourceMap
from parindex_rules.readers import reader_for, readers
from parindex_rules.sheets.build import Pos, TableSourceMap

from .helpers import FACTS, RULESET


def test_source_map_where_is_file_line_column() -> None:
    sm = SourceMap("f.yaml", values={("a",): (3, 7)})
    assert sm.where(("a", "b")) == "f.yaml:3:7"


def test_table_source_map_adds_the_cell_to_explanations_and_diagnostics() -> None:
    sm = TableSourceMap("f.xlsx")
    sm.put(("units", 0, "items", "1.1", "self"), Pos(19, 5, "sheet 'a', cell E19"))
    assert sm.where(("units", 0, "items", "1.1", "self")) == "f.xlsx:19:5, sheet 'a', cell E19"
    diagnostic = sm.diagnostic("PR504", "bad", ("units", 0, "items", "1.1", "self"))
    assert (diagnostic.line, diagnostic.column) == (19, 5)
    assert diagnostic.message == "bad [sheet 'a', cell E19]"


def test_cohort_keeps_its_facts_for_exporters() -> None:
    facts = pr.load_facts(FACTS)
    cohort = pr.load(RULESET).evaluate_cohort(facts)
    assert cohort.facts is facts


def test_readers_and_exporters_are_registered_by_suffix() -> None:
    assert {"csv", "xlsx", "yaml"} <= set(readers())
    assert type(reader_for(FACTS.with_suffix(".xlsx"))).__name__ == "XlsxFactsReader"
    assert type(reader_for(FACTS.with_suffix(".CSV"))).__name__ == "CsvFactsReader"
    assert {"html", "json", "text", "xlsx"} <= set(exporters())
