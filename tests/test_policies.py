"""Policies a ruleset declares: missing values, items not applicable, evidence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from parindex_rules.loader.yaml import load_yaml_file
from parindex_rules.model.schema import facts_schema, ruleset_schema

from .conftest import EXAMPLES
from .helpers import codes, ruleset, unit


def two_items(**top: Any) -> Any:
    return ruleset(
        [
            {"id": "1.1", "name": "A", "max": "4", "rule": "r", "scoring": {"method": "points"}},
            {"id": "1.2", "name": "B", "max": "6", "rule": "r", "scoring": {"method": "points"}},
        ],
        **top,
    )


def test_missing_value_is_an_error_by_default() -> None:
    result = two_items().evaluate(unit({"1.1": {"self": 4}}))
    assert codes(result) == ["PR509"]
    assert result.node("1.2").status == "missing"
    assert result.score is None and result.node("1").status == "incomplete"


def test_missing_value_scores_zero_when_declared_and_says_so() -> None:
    result = two_items(policies={"missing": "zero"}).evaluate(unit({"1.1": {"self": 4}}))
    assert codes(result) == ["PR510"]  # info, not an error
    assert result.ok
    assert result.score == Decimal(4)
    assert "scores a missing value 0" in (result.node("1.2").explain().zero_reason or "")


def test_not_applicable_fixed_keeps_the_denominator() -> None:
    """A (4 of 4) scored, B not applicable: fixed → 4 / 10 = 40 %."""
    rs = two_items(policies={"not_applicable": "fixed"})
    result = rs.evaluate(
        unit({"1.1": {"self": 4}, "1.2": {"applicable": False, "reason": "Không phát sinh"}})
    )
    assert (result.score, result.max, result.rounded(result.index)) == (
        Decimal(4),
        Decimal(10),
        "40.00",
    )
    assert result.deductions == []
    assert result.node("1.2").status == "not_applicable"


def test_not_applicable_comes_off_the_maximum_when_declared() -> None:
    """applicable_maximum → 4 / 4 = 100 %; the 6 points are listed as taken off."""
    rs = two_items(policies={"not_applicable": "applicable_maximum"})
    result = rs.evaluate(
        unit({"1.1": {"self": 4}, "1.2": {"applicable": False, "reason": "Không phát sinh"}})
    )
    assert (result.score, result.max, result.rounded(result.index)) == (
        Decimal(4),
        Decimal(4),
        "100.00",
    )
    (deduction,) = result.deductions
    assert (deduction.item, deduction.points, deduction.reason) == (
        "1.2",
        Decimal(6),
        "Không phát sinh",
    )


def test_not_applicable_needs_a_reason() -> None:
    result = two_items().evaluate(unit({"1.1": {"self": 4}, "1.2": {"applicable": False}}))
    assert codes(result) == ["PR514"]


def test_evidence_required_scores_zero_without_evidence() -> None:
    rs = two_items(
        policies={
            "evidence": {
                "value": "required",
                "provisional": "test",
            }
        }
    )
    facts = unit({"1.1": {"self": 4, "evidence": [{"number": "12/KH-STC"}]}, "1.2": {"self": 6}})
    result = rs.evaluate(facts)
    assert result.score == Decimal(4)
    assert codes(result) == ["PR601"]
    assert result.node("1.2").explain().caps == [
        "6 → 0: no evidence document (tài liệu kiểm chứng)"
    ]
    assert result.node("1.1").explain().evidence == ["12/KH-STC"]


def test_evidence_explanation_flags_for_the_council() -> None:
    rs = two_items(policies={"evidence": "explanation"})
    facts = unit({"1.1": {"self": 4, "explanation": "Đã giải trình"}, "1.2": {"self": 6}})
    result = rs.evaluate(facts)
    assert result.score == Decimal(10)
    assert codes(result) == ["PR602"]
    assert "1.2" in result.diagnostics[0].message


def test_unappraised_policy() -> None:
    facts = unit({"1.1": {"self": 4, "appraisal": [3]}, "1.2": {"self": 6}})
    assert two_items().evaluate(facts).score == Decimal(9)
    strict = two_items(policies={"unappraised": "missing"}).evaluate(facts)
    assert codes(strict) == ["PR509"]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (EXAMPLES / "camau-2013" / "ruleset.yaml", ruleset_schema),
        (EXAMPLES / "camau-2013" / "facts.yaml", facts_schema),
    ],
)
def test_json_schemas_accept_the_examples(path: Path, schema: Any) -> None:
    checker = jsonschema.Draft202012Validator(schema())
    jsonschema.Draft202012Validator.check_schema(checker.schema)
    data = _plain(load_yaml_file(path, max_bytes=10**7).data)
    assert list(checker.iter_errors(data)) == []


def test_ruleset_schema_rejects_what_the_compiler_rejects() -> None:
    checker = jsonschema.Draft202012Validator(ruleset_schema())
    data = _plain(load_yaml_file(EXAMPLES / "camau-2013" / "ruleset.yaml", max_bytes=10**7).data)
    data["fields"][0]["criteria"][0]["subcriteria"][0]["scoring"]["method"] = "chioce"
    data["level"] = "tinh"
    data["fields"][0]["nmae"] = "x"
    messages = " ".join(e.message for e in checker.iter_errors(data))
    assert "'tinh' is not one of" in messages
    assert "'nmae' was unexpected" in messages
    assert any("scoring" in list(e.absolute_path) for e in checker.iter_errors(data))


def test_a_provisional_reading_makes_the_result_provisional() -> None:
    """A fully sourced leaf whose band 'more than 4' is a reading of silent text: the leaf,
    its parents and the ruleset rest on provisional content, and strict validation says where."""
    scoring = {
        "method": "bands",
        "input": "so_cuoc_hop",
        "bands": [
            {"above": 4, "points": 20, "provisional": "the rule names only 4 meetings"},
            {"equals": 4, "points": 20},
            {"below": 4, "points": 0},
        ],
    }
    source = {"document": "d", "quote": "4 cuộc họp: 20 điểm"}
    rs = ruleset(
        [
            {
                "id": "1.1",
                "name": "Họp",
                "max": "20",
                "rule": "4 cuộc: 20",
                "source": source,
                "scoring": scoring,
                "inputs": {"so_cuoc_hop": {"label": "Số cuộc họp", "kind": "count"}},
            }
        ],
        documents={"d": {"title": "Test"}},
    )
    assert rs.provisional
    assert rs.describe()["provenance"]["provisional_readings"] == 1
    result = rs.evaluate(unit({"1.1": {"self": 5}}))
    assert result.node("1.1").provisional and result.node("1").provisional
    assert "provisional reading: the rule names only 4 meetings" in result.explain("1.1").notes
    strict = [d for d in rs.provisional_diagnostics(strict=True) if "reading" in d.message]
    assert len(strict) == 1 and strict[0].path[-2:] == ("bands", 0)
