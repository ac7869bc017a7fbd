"""The example plugin, installed as its own distribution: method, function, pack, schema, list.

The demo ruleset demo-2024/so (3 points) and its cohort examples/so-cohort.jsonl, by hand:

- so-a: 1.1 one late report → 1 − 1 × 0.25 = 0.75; 1.2 35 % → whole_steps(35, 10) = 3 →
  3 × 0.25 = 0.75; 1.3 kịp thời → 1. Total 2.5 of 3 → 83.33 %.
- so-b: 1.1 self 1, but appraisal round 1 lists three late reports → 1 − 0.75 = 0.25;
  1.2 100 % → 10 × 0.25 = 2.5, min(2.5, max 1) = 1; 1.3 không kịp thời → 0.5. Total 1.75 →
  58.33 %.
- so-c: 1.1 five late reports → 5 × 0.25 = 1.25, capped at the maximum 1 → 0; 1.2 9.5 % →
  0 whole steps → 0; 1.3 "Ban hành kịp thời" (by label) → 1. Total 1 → 33.33 %.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.diagnostics import RulesetError
from parindex_rules.loader.yaml import load_yaml_text
from parindex_rules.methods.base import EvalContext, LeafInfo
from parindex_rules.model.ruleset import Origin
from parindex_rules.plugins import registry
from parindex_rules.readers import read_facts

from .conftest import DEMO
from .helpers import SCORING_LINE, facts, write_ruleset

METHOD = "per_occurrence_deduction"


@pytest.fixture
def cohort_file(demo: Path) -> Path:
    return demo / "examples" / "so-cohort.jsonl"


def test_the_demo_registers_each_kind_from_its_own_distribution(demo: Path) -> None:
    for kind, name, module in [
        ("methods", METHOD, "parindex_plugin_demo.deduction"),
        ("functions", "whole_steps", "parindex_plugin_demo.functions"),
        ("readers", "jsonl", "parindex_plugin_demo.jsonl"),
        ("rulesets", "demo", "parindex_plugin_demo"),
    ]:
        info = registry.info(kind, name)
        assert info is not None, (kind, name)
        assert (info.distribution, info.version) == (DEMO, "0.1.0")
        assert info.value.startswith(module + ":")
    assert not [i for i in registry.broken() if i.distribution == DEMO]


def test_the_demo_ruleset_loads_by_id_and_uses_the_plugin(demo: Path) -> None:
    ruleset = pr.load("demo-2024/so")
    assert ruleset.id == "demo-2024/so"
    assert ruleset.provisional  # it quotes no decision, and says so
    assert ruleset.node("1.1").method is not None
    assert ruleset.node("1.1").method.name == METHOD
    assert ruleset.node("1.1").method.describe() == (
        "trừ 0.25 điểm mỗi báo cáo chậm, tối đa trừ 1 điểm"
    )


def test_scores_worked_out_by_hand(demo: Path, cohort_file: Path) -> None:
    ruleset = pr.load("demo-2024/so")
    cohort = ruleset.evaluate_cohort(read_facts(cohort_file, ruleset=ruleset))
    assert cohort.ok
    expected = {
        "so-a": ("2.5", "0.75", "0.75", "1", "83.33"),
        "so-b": ("1.75", "0.25", "1", "0.5", "58.33"),
        "so-c": ("1", "0", "0", "1", "33.33"),
    }
    for unit_id, (total, s11, s12, s13, index) in expected.items():
        unit = cohort.unit(unit_id)
        assert unit.score == Decimal(total)
        assert [unit.node(i).score for i in ("1.1", "1.2", "1.3")] == [
            Decimal(s11),
            Decimal(s12),
            Decimal(s13),
        ]
        assert unit.rounded(unit.index) == index


def test_the_explanation_names_the_occurrences_and_the_deduction(
    demo: Path, cohort_file: Path
) -> None:
    ruleset = pr.load("demo-2024/so")
    cohort = ruleset.evaluate_cohort(read_facts(cohort_file, ruleset=ruleset))
    b = cohort.unit("so-b").node("1.1").explain()
    assert b.method == METHOD
    assert b.matched == "3 × báo cáo chậm"
    assert b.steps == [
        "3 × báo cáo chậm: Báo cáo quý I; Báo cáo 6 tháng; Báo cáo quý III",
        "deduction 3 × 0.25 = 0.75",
        "1 − 0.75 = 0.25",
    ]
    assert "appraisal round 1" in b.inputs[0].source
    assert f"{cohort_file}:5:" in b.inputs[0].source
    c = cohort.unit("so-c").node("1.1").explain()
    assert c.caps == ["deduction 1.25 capped at 1 (the most the rule deducts)"]
    assert c.zero_reason == "5 × báo cáo chậm deduct the whole maximum (1)"


def test_cli_scores_the_jsonl_cohort(
    demo: Path, cohort_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", "demo-2024/so", "--facts", str(cohort_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["ruleset"], data["provisional"]) == ("demo-2024/so", True)
    assert [(u["unit"], u["score"]) for u in data["units"]] == [
        ("so-a", "2.50"),  # shown with the ruleset's 2 places
        ("so-b", "1.75"),
        ("so-c", "1.00"),
    ]


class _Ctx(EvalContext):
    def __init__(self, leaf: LeafInfo, value: Any) -> None:
        self.leaf, self.value, self.value_source = leaf, value, "test"
        self.stage, self.year, self.survey_fallback = "final", 2024, "none"

    def env(self) -> Any:  # pragma: no cover - not read by this method
        raise NotImplementedError

    def lookup(self, name: str) -> Any:  # pragma: no cover
        raise NotImplementedError


def _method(max_: str, step: str, cap: str | None) -> Any:
    method_cls = registry.get("methods", METHOD)
    config = method_cls.Config(method=METHOD, step=step, occurrence="lần", max_deduction=cap)
    leaf = LeafInfo("1.1", "x", Decimal(max_), Origin.ASSESSED, None, {})
    return method_cls(config, leaf)


@given(
    n=st.integers(min_value=0, max_value=60),
    step=st.sampled_from(["0.05", "0.1", "0.25", "0,5", "1"]),
    max_=st.sampled_from(["1", "2", "2.5"]),
    cap=st.sampled_from([None, "0.5", "1"]),
)
def test_property_max_minus_n_steps_within_the_cap_never_below_zero(
    demo_for_module: Path, n: int, step: str, max_: str, cap: str | None
) -> None:
    method = _method(max_, step, cap)
    top, each = Decimal(max_), Decimal(step.replace(",", "."))
    limit = Decimal(cap) if cap is not None else top
    outcome = method.evaluate(_Ctx(method.leaf, method.read(n)))
    assert outcome.score == top - min(n * each, limit)
    assert Decimal(0) <= outcome.score <= top
    assert bool(outcome.caps) == (n * each > limit)


def test_occurrences_listed_by_name_count_once_each(demo: Path, tmp_path: Path) -> None:
    ruleset = pr.load(write_ruleset(tmp_path, METHOD, 'step: "0,25"', "occurrence: báo cáo chậm"))
    cohort = ruleset.evaluate_cohort(facts(["quý I", "quý  I"], [], "1.5", True))
    [twice, none, half, boolean] = cohort.units
    assert "báo cáo chậm 'quý I' is listed twice" in twice.diagnostics[0].message
    assert none.node("1.2").score == Decimal(1)
    assert none.node("1.2").explain().matched == "không có báo cáo chậm"
    for unit in (half, boolean):
        [error] = unit.diagnostics
        assert error.code == "PR504"
        assert "expected the number of báo cáo chậm (a whole number)" in error.message


def _errors(path: Path) -> list[tuple[str, int, int, str]]:
    with pytest.raises(RulesetError) as caught:
        pr.load(path)
    return [(d.code, d.line, d.column, d.message) for d in caught.value.errors]


def test_plugin_settings_are_validated_with_file_line_and_column(
    demo: Path, tmp_path: Path
) -> None:
    """`method:` is on line SCORING_LINE + 1; settings follow, indented 10 spaces."""
    first = SCORING_LINE + 2
    path = write_ruleset(tmp_path, METHOD, 'stepp: "0,25"', "occurrence: báo cáo chậm")
    errors = _errors(path)
    assert ("PR101", first, 11, "unknown key 'stepp'") in errors
    assert ("PR102", SCORING_LINE + 1, 11, "missing key 'step'") in errors
    [hint] = [d.hint for d in pr.validate_ruleset(path) if d.code == "PR101"]
    assert hint == "did you mean 'step'?"

    path = write_ruleset(tmp_path, METHOD, "step: abc", "occurrence: x")
    [(code, line, column, _)] = _errors(path)
    assert (code, line, column) == ("PR105", first, 17)

    path = write_ruleset(tmp_path, METHOD, "step: -1", "occurrence: x")
    [(code, line, column, message)] = _errors(path)
    assert (code, line, column) == ("PR104", first, 17)
    assert "greater than 0" in message

    path = write_ruleset(tmp_path, METHOD, "step: 0.5", "occurrence: x", "max_deduction: 2")
    [(code, line, column, message)] = _errors(path)
    assert (code, line, column) == ("PR104", first + 2, 26)
    assert "max_deduction 2 is above the item's maximum 1" in message

    path = write_ruleset(tmp_path, METHOD, "step: 2", "occurrence: lần")
    [(code, line, column, message)] = _errors(path)
    assert (code, line, column) == ("PR104", first, 17)
    assert "one lần would deduct 2, more than the most that may be deducted (1)" in message


def test_an_unknown_method_names_the_installed_ones(demo: Path, tmp_path: Path) -> None:
    path = write_ruleset(tmp_path, "per_occurence_deduction", "step: 1")
    with pytest.raises(RulesetError) as caught:
        pr.load(path)
    [error] = caught.value.errors
    assert (error.code, error.line, error.column) == ("PR109", SCORING_LINE + 1, 19)
    assert error.hint is not None
    assert error.hint.startswith(f"did you mean {METHOD!r}? installed: appraisal_only, bands")
    assert f", {METHOD}, points" in error.hint


def test_schema_includes_the_plugin_settings(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    options = schema["$defs"]["Criterion"]["properties"]["scoring"]["anyOf"][0]["oneOf"]
    [option] = [o for o in options if o["properties"]["method"].get("const") == METHOD]
    assert set(option["properties"]) == {"method", "step", "occurrence", "max_deduction"}
    assert option["required"] == ["method", "step", "occurrence"]
    assert option["additionalProperties"] is False
    validator = jsonschema.Draft202012Validator(schema)
    shipped = demo / "src" / "parindex_plugin_demo" / "rulesets" / "demo-2024" / "so.yaml"
    data = load_yaml_text(shipped.read_text(encoding="utf-8")).data
    assert list(validator.iter_errors(data)) == []
    data["fields"][0]["criteria"][0]["scoring"]["stepp"] = "0,25"
    assert list(validator.iter_errors(data)) != []


def test_list_shows_the_plugin_and_its_ruleset(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [ruleset] = [r for r in data["rulesets"] if r["id"] == "demo-2024/so"]
    assert ruleset == {
        "id": "demo-2024/so",
        "title": "Ví dụ minh họa — Chỉ số CCHC cấp sở (plugin parindex-plugin-demo)",
        "pack": "demo",
        "distribution": DEMO,
        "version": "0.1.0",
    }
    [method] = [m for m in data["methods"] if m["name"] == METHOD]
    assert (method["distribution"], method["version"], method["api_version"]) == (DEMO, "0.1.0", 1)
    assert method["object"] == "parindex_plugin_demo.deduction:PerOccurrenceDeduction"
    [reader] = [r for r in data["readers"] if r["name"] == "jsonl"]
    assert reader["suffixes"] == [".jsonl"]
    [function] = [f for f in data["functions"] if f["name"] == "whole_steps"]
    assert function["signature"] == "whole_steps(x, y)"

    assert main(["list"]) == 0
    text = capsys.readouterr().out
    assert "demo-2024/so" in text
    [row] = [line for line in text.splitlines() if line.startswith(METHOD)]
    assert f"{DEMO} 0.1.0" in row
