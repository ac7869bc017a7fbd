"""``Ruleset.evaluate_many``: recognise the table's form, prepare it, run the batch engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parindex_rules.batch.columns import table_from_columns
from parindex_rules.batch.engine import BatchEngine
from parindex_rules.batch.facts import as_units, row_facts, table_from_facts
from parindex_rules.batch.result import BatchResult
from parindex_rules.compile.compiled import CompiledRuleset
from parindex_rules.evaluate.engine import STAGES, Stage
from parindex_rules.loader.facts import Facts

_ENGINES: dict[int, tuple[CompiledRuleset, BatchEngine]] = {}


def engine_for(compiled: CompiledRuleset) -> BatchEngine:
    """The batch engine of a compiled ruleset, prepared once."""
    cached = _ENGINES.get(id(compiled))
    if cached is not None and cached[0] is compiled:
        return cached[1]
    engine = BatchEngine(compiled)
    if len(_ENGINES) > 32:
        _ENGINES.clear()
    _ENGINES[id(compiled)] = (compiled, engine)
    return engine


def evaluate_table(
    compiled: CompiledRuleset, table: Any, *, stage: Stage = "final", year: int | None = None
) -> BatchResult:
    """Score every unit of `table` (facts or columns; see docs/scale.md) at `stage`."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
    engine = engine_for(compiled)
    if isinstance(table, Facts):
        year = year if year is not None else table.document.year
        prepared = table_from_facts(table.units, compiled, stage=stage, year=year)
        return engine.run(prepared, stage=stage, year=year)
    year = year if year is not None else compiled.document.year
    if isinstance(table, Sequence) and not isinstance(table, str | bytes):
        units = as_units(table)
        prepared = table_from_facts(units, compiled, stage=stage, year=year)
        return engine.run(prepared, stage=stage, year=year)
    if isinstance(table, Mapping) or hasattr(table, "columns") or hasattr(table, "column_names"):
        prepared = table_from_columns(table)
        chosen_year = year

        def facts_of(row: int) -> Any:
            return row_facts(prepared, row, compiled, stage=stage, year=chosen_year)

        prepared.row_facts = facts_of
        return engine.run(prepared, stage=stage, year=year)
    raise TypeError(
        "evaluate_many takes a list of unit facts, a Facts object, a mapping of columns, "
        f"a pandas DataFrame or an Arrow table; got {type(table).__name__}"
    )
