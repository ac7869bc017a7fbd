"""The examples of docs/plugins.md run, pass the registry's checks, and do what they say."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import parindex_rules as pr
from parindex_rules.exporters import export
from parindex_rules.plugins import registry
from parindex_rules.readers import read_facts

from ..conftest import ROOT
from .helpers import facts, write_ruleset

DOC = ROOT / "docs" / "plugins.md"


KINDS = ("Deduction", "WHOLE_STEPS", "CsvFactsReader", "CsvExporter")


@pytest.fixture
def examples() -> Iterator[dict[str, dict[str, Any]]]:
    """Each complete python example (one with imports), run as a module of its own."""
    registry.reset()
    out = {}
    text = DOC.read_text(encoding="utf-8")
    for i, block in enumerate(re.findall(r"```python\n(.*?)```", text, re.S)):
        if "import" not in block:
            continue  # a fragment, e.g. the api_version line
        module = types.ModuleType(f"docs_plugins_example_{i}")
        sys.modules[module.__name__] = module  # pydantic resolves annotations through it
        exec(compile(block, str(DOC), "exec"), module.__dict__)
        names = [n for n in KINDS if n in module.__dict__]
        assert len(names) == 1, names
        out[names[0]] = module.__dict__
    yield out
    for name in [m for m in sys.modules if m.startswith("docs_plugins_example_")]:
        del sys.modules[name]
    registry.reset()


def test_every_contract_has_a_runnable_example(examples: dict[str, Any]) -> None:
    assert set(examples) == {"Deduction", "WHOLE_STEPS", "CsvFactsReader", "CsvExporter"}


def test_the_method_example_scores(examples: dict[str, Any], tmp_path: Path) -> None:
    """3 occurrences × 0.25 = 0.75 off 1 → 0.25; with leaf 1.1's 1 → 1.25."""
    registry.register("methods", "docs_deduction", examples["Deduction"]["Deduction"])
    ruleset = pr.load(write_ruleset(tmp_path, "docs_deduction", "step: 0.25"))
    unit = ruleset.evaluate_cohort(facts(3)).units[0]
    assert unit.score == Decimal("1.25")
    assert unit.node("1.2").explain().steps == ["1 − 0.75 = 0.25"]


def test_the_function_example_counts_whole_steps(examples: dict[str, Any], tmp_path: Path) -> None:
    """whole_steps(35, 10) = 3 → 3 × 0.25 = 0.75; with leaf 1.1's 1 → 1.75."""
    registry.register("functions", "whole_steps", examples["WHOLE_STEPS"]["WHOLE_STEPS"])
    path = write_ruleset(
        tmp_path,
        "formula",
        'formula: "min(whole_steps(x, 10) * 0.25, max)"',
        inputs="x: {label: Tỷ lệ, kind: percent}",
    )
    assert pr.load(path).evaluate_cohort(facts(35)).units[0].score == Decimal("1.75")


def test_the_reader_and_exporter_examples_round_trip(
    examples: dict[str, Any], tmp_path: Path
) -> None:
    registry.register("readers", "docs_csv", examples["CsvFactsReader"]["CsvFactsReader"])
    registry.register("exporters", "docs_csv", examples["CsvExporter"]["CsvExporter"])
    ruleset = pr.load(write_ruleset(tmp_path, "points"))
    csv_file = tmp_path / "cohort.csv"
    csv_file.write_text("unit,name,item,self\na,A,1.1,1\na,A,1.2,0.5\nb,B,1.1,2\n", "utf-8")
    cohort = ruleset.evaluate_cohort(read_facts(csv_file, ruleset=ruleset))
    assert cohort.unit("a").score == Decimal("1.5")
    [error] = [d for d in cohort.all_diagnostics() if d.is_error and d.code == "PR506"]
    assert (error.file, error.line) == (str(csv_file), 4)  # b's 2 is above 1.1's maximum
    assert export("docs_csv", ruleset, cohort).splitlines()[:2] == [
        "unit,score,index",
        "a,1.50,75.00",
    ]
