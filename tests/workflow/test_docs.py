"""The examples in docs/facts-format.md and docs/workflow.md are valid and say what they show."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from parindex_rules.cli import main
from parindex_rules.loader.facts import load_facts_text
from parindex_rules.loader.yaml import load_yaml_text
from parindex_rules.model.schema import facts_schema
from parindex_rules.rank import NodeIndexTieBreaker, RankEntry, Ranking, RoundedTies

DOCS = Path(__file__).resolve().parents[2] / "docs"


def blocks(name: str, language: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_facts_format_example_loads_and_fits_the_published_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    yaml_example, json_example = (
        blocks("facts-format.md", "yaml")[0],
        blocks("facts-format.md", "json")[0],
    )
    facts = load_facts_text(yaml_example, "facts-format.md")
    assert [u.unit for u in facts.units] == ["so-tai-chinh", "ban-dan-toc", "so-x", "so-y"]
    item = facts.unit("so-tai-chinh").items["1.1.1"]
    assert item.appraisal == ["khong_kip_thoi", "kip_thoi"] and len(item.evidence) == 2
    assert facts.unit("so-y").evaluated is False
    # The schema `parindex schema --facts` prints accepts both examples.
    assert main(["schema", "--facts"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == json.loads(json.dumps(facts_schema()))
    data = _plain(load_yaml_text(yaml_example).data)
    jsonschema.validate(data, schema)
    jsonschema.validate(json.loads(json_example), schema)


def _plain(value: object) -> object:
    """YAML values as JSON would carry them (decimals as numbers, dates as text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def test_facts_schema_rejects_unknown_keys() -> None:
    bad = {"ruleset": "x-2023/so", "year": 2023, "units": [{"unit": "a", "name": "A", "itmes": {}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, facts_schema())


def test_workflow_ranking_snippet() -> None:
    """docs/workflow.md: 90.004 and 89.996 both show as 90.00, so they tie for rank 1; the
    declared tie-breaker has no value for either, so the tie remains, with a warning."""
    ranking = Ranking(
        RoundedTies(places=2),
        within="group",
        tie_breakers=[NodeIndexTieBreaker("8", "Tác động của CCHC")],
    )
    table = ranking.rank(
        [RankEntry("a", "A", None, Decimal("90.004")), RankEntry("b", "B", None, Decimal("89.996"))]
    )
    assert table.ranks() == {"a": 1, "b": 1}
    assert table.ties[0].text().startswith("a, b tie at 90.00 (rank 1)")
    assert [d.code for d in table.diagnostics] == ["PR607"]
    snippet = blocks("workflow.md", "python")[0]
    assert "table.ranks()          # {'a': 1, 'b': 1}" in snippet
