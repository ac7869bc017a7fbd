"""The exact path's output is byte-identical to the golden snapshots (see snapshots.py).

The goldens were written before explanation records became lazy; every explanation, text,
diagnostic and exact number must come out the same, node by node, whenever they are built.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.loader.cache import dumps

from .snapshots import GOLDEN, cases, digests, snapshots

CASES = cases()


def test_every_case_has_a_golden_and_every_golden_a_case() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(CASES)
    assert len(CASES) > 40  # cohorts, examples, the bad-facts corpus and the bench units


@pytest.mark.parametrize("name", sorted(CASES))
def test_explanations_match_the_golden(name: str, tmp_path: Path) -> None:
    ruleset, facts = CASES[name]()
    units = snapshots(ruleset, facts)
    got = digests(units)
    want = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    if got == want:
        return
    # Name the first differing unit, stage and node, and keep the full output to look at.
    dump = tmp_path / f"{name}.json"
    dump.write_text(json.dumps(units, ensure_ascii=False, indent=1), encoding="utf-8")
    for mine, golden in zip(json.loads(got), json.loads(want), strict=False):
        where = f"unit {golden['unit']} at stage {golden['stage']}"
        if mine["parts"] != golden["parts"]:
            differ = [k for k in golden["parts"] if mine["parts"].get(k) != golden["parts"][k]]
            pytest.fail(f"{name}: {where}: {', '.join(differ)} differ (output in {dump})")
        if mine["nodes"] != golden["nodes"]:
            differ = [k for k in golden["nodes"] if mine["nodes"].get(k) != golden["nodes"][k]]
            pytest.fail(f"{name}: {where}: nodes {', '.join(differ) or 'order'} differ ({dump})")
    pytest.fail(f"{name}: the units differ in number or order (output in {dump})")


@pytest.mark.parametrize("name", ["bench", "camau-2013", "plugin-demo", "corpus-evidence-missing"])
def test_and_so_do_rulesets_read_back_from_the_compiled_ruleset_cache(name: str) -> None:
    """What the engine and the methods work out once per ruleset survives the cache."""
    ruleset, facts = CASES[name]()
    cached = pr.Ruleset(pickle.loads(dumps(ruleset.compiled)))
    want = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    assert digests(snapshots(cached, facts)) == want


def test_a_parent_explanation_holds_its_children_records_themselves() -> None:
    """One record per node: the tree links the very objects `node(id).explain()` returns."""
    ruleset, facts = CASES["camau-2013"]()
    result = ruleset.evaluate_cohort(facts).units[0]
    for node in result.nodes.values():
        explanation = node.explain()
        assert explanation is node.explanation is result.explain(node.id)
        for child in explanation.children:
            assert child is result.node(child.node).explain()
